// Package calibration is the head of product's calibration of leader ratings across teams:
// how each leader's ratings are spread, per leader and per competency, whether a leader rates
// above or below their PMs' own and peers' view (lenient or severe), and whose ratings moved
// most this quarter. Compute is pure; Service loads its input and checks the actor.
package calibration

import (
	"cmp"
	"slices"

	"github.com/teamshape/teamshape/internal/app"
)

// Levels on the proficiency scale: a histogram has one bar per level 0..5.
const Levels = 6

// Lean is how far (in levels, on average) a leader may rate above or below their PMs' self
// and peer ratings and still count as aligned; MinPairs is the fewest compared ratings a
// verdict needs.
const (
	Lean     = 0.5
	MinPairs = 3
)

// Verdicts on a leader's ratings.
const (
	Lenient  = "lenient" // rates above the PMs' own and peers' view
	Severe   = "severe"  // rates below it
	Aligned  = "aligned" // within Lean
	TooFew   = "too_few" // fewer than MinPairs compared ratings
	MaxMoved = 10        // how many people the movers list shows
)

// Rating is the latest rating of one rater of one kind for one person in one competency,
// with a level ("not assessed" is left out).
type Rating = app.RaterRating

// Input is what Compute needs.
type Input struct {
	Ratings      []Rating
	Competencies []app.Competency // framework order; others are ignored
	Names        map[int64]string
	// Before and After are the effective ratings at the quarter's start and now, by person
	// and competency key (the movers).
	Before, After map[int64]map[string]int
}

// Distribution is a set of ratings' histogram (count per level 0..5), size and mean.
type Distribution struct {
	Histogram [Levels]int `json:"histogram"`
	Count     int         `json:"count"`
	Mean      float64     `json:"mean"`
	sum       int
}

func (d *Distribution) add(level int) {
	d.Histogram[level]++
	d.Count++
	d.sum += level
	d.Mean = float64(d.sum) / float64(d.Count)
}

// Gap is the mean of leader − other over the pairs where both rated the same person in the
// same competency.
type Gap struct {
	Pairs int     `json:"pairs"`
	Mean  float64 `json:"mean"`
	sum   int
}

func (g *Gap) add(diff int) {
	g.Pairs++
	g.sum += diff
	g.Mean = float64(g.sum) / float64(g.Pairs)
}

// LeaderStat is one leader's ratings.
type LeaderStat struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Distribution
	People int `json:"people"` // how many people they rated
	// VsSelf compares with the PMs' self-assessments, VsPeers with the lower median of
	// their peers' ratings; Overall pools both.
	VsSelf  Gap    `json:"vs_self"`
	VsPeers Gap    `json:"vs_peers"`
	Overall Gap    `json:"overall"`
	Verdict string `json:"verdict"`
	// ByCompetency is the leader's ratings per competency, framework order, rated ones only.
	ByCompetency []CompetencyStat `json:"by_competency"`
	byComp       map[string]*Distribution
}

// CompetencyStat is every leader's ratings in one competency.
type CompetencyStat struct {
	Competency string `json:"competency"`
	Name       string `json:"name"`
	Distribution
}

// Change is one competency's effective level at the quarter's start and now.
type Change struct {
	Competency string `json:"competency"`
	From       int    `json:"from"`
	To         int    `json:"to"`
}

// Mover is a person whose effective ratings moved this quarter: Moved is the sum of the
// absolute changes over the competencies rated at both times.
type Mover struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Moved   int      `json:"moved"`
	Changes []Change `json:"changes"`
}

// Report is the calibration.
type Report struct {
	Leaders      []LeaderStat     `json:"leaders"`
	Competencies []CompetencyStat `json:"competencies"`
	Movers       []Mover          `json:"movers"`
}

type pair struct {
	subject    int64
	competency string
}

// Compute builds the report: leaders by name, competencies in framework order, movers by
// how much they moved (then name), at most MaxMoved.
func Compute(in Input) Report {
	known := map[string]bool{}
	for _, c := range in.Competencies {
		known[c.Key] = true
	}
	self := map[pair]int{}
	peers := map[pair][]int{}
	leaders := map[int64]*LeaderStat{}
	comps := map[string]*Distribution{}
	rated := map[int64]map[int64]bool{}
	var valid []Rating
	for _, r := range in.Ratings {
		if known[r.Competency] && r.Level >= 0 && r.Level < Levels {
			valid = append(valid, r)
		}
	}
	for _, r := range valid {
		p := pair{r.SubjectID, r.Competency}
		switch r.Kind {
		case app.RatingSelf:
			self[p] = r.Level
		case app.RatingPeer:
			peers[p] = append(peers[p], r.Level)
		case app.RatingLeader:
			l := leaders[r.RaterID]
			if l == nil {
				l = &LeaderStat{ID: r.RaterID, Name: in.Names[r.RaterID], byComp: map[string]*Distribution{}}
				leaders[r.RaterID], rated[r.RaterID] = l, map[int64]bool{}
			}
			l.add(r.Level)
			if l.byComp[r.Competency] == nil {
				l.byComp[r.Competency] = &Distribution{}
			}
			l.byComp[r.Competency].add(r.Level)
			rated[r.RaterID][r.SubjectID] = true
			if comps[r.Competency] == nil {
				comps[r.Competency] = &Distribution{}
			}
			comps[r.Competency].add(r.Level)
		}
	}
	for _, r := range valid {
		l := leaders[r.RaterID]
		if r.Kind != app.RatingLeader || l == nil {
			continue
		}
		p := pair{r.SubjectID, r.Competency}
		if s, ok := self[p]; ok {
			l.VsSelf.add(r.Level - s)
			l.Overall.add(r.Level - s)
		}
		if m, ok := app.LowerMedian(peers[p]); ok {
			l.VsPeers.add(r.Level - m)
			l.Overall.add(r.Level - m)
		}
	}
	out := Report{Leaders: []LeaderStat{}, Competencies: []CompetencyStat{}}
	for id, l := range leaders {
		l.People = len(rated[id])
		l.Verdict = verdict(l.Overall)
		l.ByCompetency = perCompetency(in.Competencies, l.byComp)
		l.byComp = nil
		out.Leaders = append(out.Leaders, *l)
	}
	slices.SortFunc(out.Leaders, func(a, b LeaderStat) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	out.Competencies = perCompetency(in.Competencies, comps)
	out.Movers = movers(in, known)
	return out
}

// perCompetency lists the distributions in framework order, rated competencies only.
func perCompetency(comps []app.Competency, by map[string]*Distribution) []CompetencyStat {
	out := []CompetencyStat{}
	for _, c := range comps {
		if d := by[c.Key]; d != nil {
			out = append(out, CompetencyStat{Competency: c.Key, Name: c.Name, Distribution: *d})
		}
	}
	return out
}

func verdict(g Gap) string {
	switch {
	case g.Pairs < MinPairs:
		return TooFew
	case g.Mean >= Lean:
		return Lenient
	case g.Mean <= -Lean:
		return Severe
	}
	return Aligned
}

func movers(in Input, known map[string]bool) []Mover {
	out := []Mover{}
	for id, after := range in.After {
		m := Mover{ID: id, Name: in.Names[id]}
		for _, c := range in.Competencies {
			from, okB := in.Before[id][c.Key]
			to, okA := after[c.Key]
			if okA && okB && from != to && known[c.Key] {
				m.Changes = append(m.Changes, Change{Competency: c.Key, From: from, To: to})
				m.Moved += max(to-from, from-to)
			}
		}
		if m.Moved > 0 {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Mover) int {
		return cmp.Or(cmp.Compare(b.Moved, a.Moved), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	if len(out) > MaxMoved {
		out = out[:MaxMoved]
	}
	return out
}
