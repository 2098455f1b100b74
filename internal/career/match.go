package career

import (
	"cmp"
	"slices"
)

// MinMentorLevel is the least effective rating in a competency a person must have to offer
// mentoring in it: 3, working (typical cases end to end, alone). It is checked when they
// make the offer, from their own ratings. Suggestions then follow the offer alone, never the
// rating: a later change of the mentor's rating changes nothing a seeker receives (a
// listing that came and went with the rating would be a figure of one person).
const MinMentorLevel = 3

// MaxPeers is how many peers to learn with are suggested.
const MaxPeers = 5

// Person is someone of the organisation as matching sees them: no rating of theirs is part
// of it.
type Person struct {
	ID         int64
	Name       string
	Title      *string
	PM         bool // a product manager: peers to learn with are PMs
	HR         bool // an HR partner, who keeps no ratings and mentors no one here
	Active     bool
	OptIn      bool // agreed to be suggested: as a peer, and as a mentor in what they offer
	Offers     bool // offers mentoring in the competency sought
	Mentees    int  // active (accepted) mentees
	Background string
	Tags       []string // specialism tags
	Spikes     []string // career spikes pursued now
}

// Reasons a person cannot be asked to mentor someone in a competency.
const (
	NotSelf     = "self"        // the seeker themself
	NotActive   = "inactive"    // deactivated, or HR (who keeps no ratings and mentors no one here)
	NotOffered  = "not_offered" // has not opted in, or does not offer the competency
	NotCapacity = "full"        // at capacity
)

// MentorRefusal says why p cannot mentor the seeker (seekerID), "" when they can.
func MentorRefusal(seekerID int64, p Person, capacity int) string {
	switch {
	case p.ID == seekerID:
		return NotSelf
	case !p.Active || p.HR:
		return NotActive
	case !p.OptIn || !p.Offers:
		return NotOffered
	case p.Mentees >= capacity:
		return NotCapacity
	}
	return ""
}

// Suggestion is a suggested mentor or peer. It never carries the person's ratings, nor
// anything that follows from them: a mentor is said to offer mentoring in the competency,
// whatever their rating in it.
type Suggestion struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Title  *string  `json:"title"`
	Label  string   `json:"label,omitempty"` // mentors: "offers mentoring in <competency>"
	Room   int      `json:"room,omitempty"`  // mentors: places left
	Shared []string `json:"shared"`          // what the seeker and the person have in common
	score  int
}

// Matches are the mentors and peers suggested to a seeker for a competency.
type Matches struct {
	Mentors []Suggestion `json:"mentors"`
	Peers   []Suggestion `json:"peers"`
}

// OfferLabel is how a suggested mentor is labelled: by what they offer, never by level.
func OfferLabel(competencyName string) string {
	return "offers mentoring in " + competencyName
}

// Match suggests, for the seeker and one competency (named competencyName), mentors and
// peers.
//
// Mentors are the people MentorRefusal accepts, those with the most in common with the
// seeker first, then by name: their ratings order nothing. Peers to learn with are other
// active PMs who opted in and are not among the mentors, who share a background (2 points),
// specialism tags or career spikes (1 point each) with the seeker: most in common first,
// then by name, at most MaxPeers.
func Match(seeker Person, people []Person, capacity int, competencyName string, words Words) Matches {
	m := Matches{Mentors: []Suggestion{}, Peers: []Suggestion{}}
	mentor := map[int64]bool{}
	for _, p := range people {
		if MentorRefusal(seeker.ID, p, capacity) != "" {
			continue
		}
		s := common(seeker, p, words)
		s.Label, s.Room = OfferLabel(competencyName), capacity-p.Mentees
		m.Mentors = append(m.Mentors, s)
		mentor[p.ID] = true
	}
	slices.SortFunc(m.Mentors, bySimilarity)
	for _, p := range people {
		if p.ID == seeker.ID || mentor[p.ID] || !p.Active || !p.PM || !p.OptIn {
			continue
		}
		if s := common(seeker, p, words); s.score > 0 {
			m.Peers = append(m.Peers, s)
		}
	}
	slices.SortFunc(m.Peers, bySimilarity)
	m.Peers = m.Peers[:min(MaxPeers, len(m.Peers))]
	return m
}

// common is a suggestion of p with what they share with the seeker and its score.
func common(seeker, p Person, words Words) Suggestion {
	s := Suggestion{ID: p.ID, Name: p.Name, Title: p.Title, Shared: []string{}}
	if seeker.Background != "" && seeker.Background == p.Background {
		s.score += 2
		s.Shared = append(s.Shared, "also from "+words.Of(seeker.Background))
	}
	for _, t := range seeker.Tags {
		if slices.Contains(p.Tags, t) {
			s.score++
			s.Shared = append(s.Shared, "also "+t)
		}
	}
	for _, sp := range seeker.Spikes {
		if slices.Contains(p.Spikes, sp) {
			s.score++
			s.Shared = append(s.Shared, "also pursues "+words.Of(sp))
		}
	}
	return s
}

func bySimilarity(a, b Suggestion) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
