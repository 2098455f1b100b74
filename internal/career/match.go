package career

import (
	"cmp"
	"slices"

	"github.com/teamshape/teamshape/internal/app"
)

// Levels that make a mentor: an expert (5) can teach a competency, a proficient person (4)
// can coach it.
const (
	TeachLevel = 5
	CoachLevel = 4
)

// MaxPeers is how many peers to learn with are suggested.
const MaxPeers = 5

// Person is someone of the organisation as matching sees them. Level is their effective
// rating in the competency sought (nil: not assessed); it is used, never shown.
type Person struct {
	ID         int64
	Name       string
	Title      *string
	Role       string // app.RoleAdmin, …
	Active     bool
	Level      *int
	OptOut     bool // opted out of being suggested
	Mentees    int  // active (accepted) mentees
	Background string
	Tags       []string // specialism tags
	Spikes     []string // career spikes pursued now
}

// Reasons a person cannot be asked to mentor someone in a competency.
const (
	NotSelf     = "self"      // the seeker themself
	NotActive   = "inactive"  // deactivated, or HR (who keeps no ratings and mentors no one here)
	NotOptedIn  = "opted_out" // opted out of being suggested
	NotExpert   = "level"     // below CoachLevel (or not assessed) in the competency
	NotCapacity = "full"      // at capacity
)

// MentorRefusal says why p cannot mentor the seeker (seekerID), "" when they can.
func MentorRefusal(seekerID int64, p Person, capacity int) string {
	switch {
	case p.ID == seekerID:
		return NotSelf
	case !p.Active || p.Role == app.RoleHR:
		return NotActive
	case p.OptOut:
		return NotOptedIn
	case p.Level == nil || *p.Level < CoachLevel:
		return NotExpert
	case p.Mentees >= capacity:
		return NotCapacity
	}
	return ""
}

// Suggestion is a suggested mentor or peer. It never carries the person's ratings: a mentor
// is only said to be able to teach (level 5) or coach (level 4) the competency.
type Suggestion struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Title    *string  `json:"title"`
	CanTeach bool     `json:"can_teach,omitempty"` // mentors: true "can teach", false "can coach"
	Label    string   `json:"label,omitempty"`     // mentors: "can teach" or "can coach"
	Room     int      `json:"room,omitempty"`      // mentors: places left
	Shared   []string `json:"shared"`              // what the seeker and the person have in common
	score    int
}

// Matches are the mentors and peers suggested to a seeker for a competency.
type Matches struct {
	Mentors []Suggestion `json:"mentors"`
	Peers   []Suggestion `json:"peers"`
}

// Match suggests, for the seeker and one competency, mentors and peers.
//
// Mentors are the people MentorRefusal accepts: those who can teach it (5) first, then
// those with the most room, then those with the most in common with the seeker, then by
// name. Peers to learn with are other active PMs who have not opted out and are not among
// the mentors, who share a background (2 points), specialism tags or career spikes (1 point
// each) with the seeker: most in common first, then by name, at most MaxPeers.
func Match(seeker Person, people []Person, capacity int) Matches {
	m := Matches{Mentors: []Suggestion{}, Peers: []Suggestion{}}
	mentor := map[int64]bool{}
	for _, p := range people {
		if MentorRefusal(seeker.ID, p, capacity) != "" {
			continue
		}
		s := common(seeker, p)
		s.CanTeach, s.Label, s.Room = *p.Level >= TeachLevel, "can coach", capacity-p.Mentees
		if s.CanTeach {
			s.Label = "can teach"
		}
		m.Mentors = append(m.Mentors, s)
		mentor[p.ID] = true
	}
	slices.SortFunc(m.Mentors, func(a, b Suggestion) int {
		if a.CanTeach != b.CanTeach {
			if a.CanTeach {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.Room, a.Room); c != 0 {
			return c
		}
		return bySimilarity(a, b)
	})
	for _, p := range people {
		if p.ID == seeker.ID || mentor[p.ID] || !p.Active || p.Role != app.RolePM || p.OptOut {
			continue
		}
		if s := common(seeker, p); s.score > 0 {
			m.Peers = append(m.Peers, s)
		}
	}
	slices.SortFunc(m.Peers, bySimilarity)
	m.Peers = m.Peers[:min(MaxPeers, len(m.Peers))]
	return m
}

// common is a suggestion of p with what they share with the seeker and its score.
func common(seeker, p Person) Suggestion {
	s := Suggestion{ID: p.ID, Name: p.Name, Title: p.Title, Shared: []string{}}
	if seeker.Background != "" && seeker.Background == p.Background {
		s.score += 2
		s.Shared = append(s.Shared, "also from "+app.OptionLabel(app.Backgrounds, seeker.Background))
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
			s.Shared = append(s.Shared, "also pursues "+app.OptionLabel(app.CareerSpikes, sp))
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
