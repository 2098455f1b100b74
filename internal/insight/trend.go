package insight

import (
	"maps"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
)

// TrendPoint is the team as it stood at one time: the members and targets in force then,
// analysed over their effective ratings then. For a viewer who may not see individuals,
// the point counts disclosed figures only, and a point of fewer than MinAggregate members
// is withheld whole.
type TrendPoint struct {
	Label string    `json:"label"`
	AsOf  time.Time `json:"as_of"`
	// Open: the quarter is not over; the point is as of the dashboard's time, not a
	// quarter's end, and will move.
	Open       bool           `json:"open"`
	Members    int            `json:"members"`
	Withheld   bool           `json:"withheld"`
	TotalScore float64        `json:"total_score"`
	Counts     map[string]int `json:"counts"`
	// Competencies are the figures per competency the viewer may see, framework order.
	Competencies []TrendCompetency `json:"competencies"`
	// Frozen: the quarter's assessment cycle closed, and the point is the snapshot taken
	// then (its members, ratings, targets and thresholds), not a recomputation: later
	// changes, even backdated ones, never move it.
	Frozen bool `json:"frozen"`
	// snapshot is the closed cycle's snapshot the point is read from (nil: computed from
	// the team's history).
	snapshot *Snapshot
}

// TrendCompetency is one competency's standing at a trend point.
type TrendCompetency struct {
	Competency string  `json:"competency"`
	Coverage   int     `json:"coverage"`
	Depth      int     `json:"depth"`
	Status     string  `json:"status"`
	Score      float64 `json:"score"`
}

// TrendInput is what a team's trend is computed from: the framework and thresholds of
// today, the team's history, and everyone's effective ratings at each point.
type TrendInput struct {
	Framework *app.Framework
	Settings  shape.Settings
	History   app.TeamHistory
	// Ratings holds the effective ratings at each point's AsOf (of anyone; only the
	// members in force at the point count).
	Ratings map[time.Time][]app.EffectiveRating
	Points  []TrendPoint
}

// Trend computes each point for a viewer who may or may not see individuals. Points
// before the team's first rating are left out: a team nobody had rated has no shape, not
// the worst one. For a viewer who may not see individuals "first rating" means the first
// disclosed figure, so a withheld rating never moves the start.
func Trend(in TrendInput, individuals bool) []TrendPoint {
	out := []TrendPoint{}
	for _, p := range in.Points {
		p = trendPoint(in, p, individuals)
		if len(out) == 0 && !rated(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// rated reports whether a point shows at least one assessed figure.
func rated(p TrendPoint) bool { return len(p.Competencies) > 0 }

func trendPoint(in TrendInput, p TrendPoint, individuals bool) TrendPoint {
	if p.snapshot != nil {
		return frozenPoint(p, individuals)
	}
	var members []app.TeamPerson
	for _, m := range in.History.PeopleAt(p.AsOf) {
		if analysed(m) {
			members = append(members, m)
		}
	}
	p.Members, p.Competencies, p.Counts, p.TotalScore = len(members), []TrendCompetency{}, map[string]int{}, 0
	if Withheld(individuals, p.Members) {
		p.Withheld = true
		return p
	}
	si := BuildInput(in.Framework, members, nil, in.Ratings[p.AsOf], in.History.TargetsAt(p.AsOf), nil)
	si.Settings = in.Settings
	return withFigures(p, shape.Analyze(Disclosed(si, individuals).Input))
}

// frozenPoint reads a point from its closed cycle's snapshot: for viewers who may see
// individuals the figures frozen at close; for the others the figures of the disclosed
// part of the frozen input (the disclosure rule applies to every point).
func frozenPoint(p TrendPoint, individuals bool) TrendPoint {
	s := p.snapshot
	p.snapshot, p.Frozen = nil, true // the answer carries the figures, not the frozen input
	p.Members, p.Competencies, p.Counts, p.TotalScore = len(s.Input.People), []TrendCompetency{}, map[string]int{}, 0
	if Withheld(individuals, p.Members) {
		p.Withheld = true
		return p
	}
	if !individuals {
		return withFigures(p, shape.Analyze(Disclosed(s.Input, false).Input))
	}
	return withFigures(p, shape.Result{Competencies: s.Competencies, TotalScore: s.TotalScore, Counts: maps.Clone(s.Counts)})
}

// withFigures sets the point's figures from an analysis.
func withFigures(p TrendPoint, res shape.Result) TrendPoint {
	p.TotalScore = res.TotalScore
	if res.Counts != nil {
		p.Counts = res.Counts
	}
	for _, st := range res.Competencies {
		if st.Assessed == 0 {
			// Nobody rated: no figure yet (not a gap the team "closed" later).
			continue
		}
		p.Competencies = append(p.Competencies, TrendCompetency{
			Competency: st.Key, Coverage: st.Coverage, Depth: st.Depth, Status: st.Status, Score: st.Score})
	}
	return p
}

// CompetencySeries is one competency over a trend's points: Coverage[i] and Depth[i] are
// its figures at point i, nil where the point shows none (nobody rated, withheld).
type CompetencySeries struct {
	HeatmapColumn
	Coverage []*int `json:"coverage"`
	Depth    []*int `json:"depth"`
}

// SeriesOf turns points into one series per competency of cols (the team's scope).
func SeriesOf(cols []HeatmapColumn, points []TrendPoint) []CompetencySeries {
	out := make([]CompetencySeries, len(cols))
	at := map[string]int{}
	for i, c := range cols {
		out[i] = CompetencySeries{HeatmapColumn: c, Coverage: make([]*int, len(points)), Depth: make([]*int, len(points))}
		at[c.Competency] = i
	}
	for j, p := range points {
		for _, c := range p.Competencies {
			if i, ok := at[c.Competency]; ok {
				cov, dep := c.Coverage, c.Depth
				out[i].Coverage[j], out[i].Depth[j] = &cov, &dep
			}
		}
	}
	return out
}

// Columns are the competencies of the team's scope, framework order.
func (d *Dashboard) Columns() []HeatmapColumn {
	out := make([]HeatmapColumn, 0, len(d.Result.Competencies))
	for _, st := range d.Result.Competencies {
		out = append(out, HeatmapColumn{Competency: st.Key, Name: st.Name, Area: st.Area, AreaName: st.AreaName})
	}
	return out
}
