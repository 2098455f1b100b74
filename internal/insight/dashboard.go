package insight

import (
	"context"
	"fmt"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
)

// Heatmap views: whose ratings the cells show.
const (
	ViewEffective = "effective" // the effective rating (leader's latest, else median of others)
	ViewSelf      = "self"      // the person's latest self-assessment
	ViewLeader    = "leader"    // the leader's latest rating
)

// ValidView reports whether v names a heatmap view.
func ValidView(v string) bool { return v == ViewEffective || v == ViewSelf || v == ViewLeader }

// StaleAfterMonths: a rating older than two quarters before the as-of time is stale (faded).
const StaleAfterMonths = 6

// Stale reports whether a rating made at ratedAt is older than two quarters as of asOf.
func Stale(ratedAt, asOf time.Time) bool {
	return ratedAt.Before(asOf.AddDate(0, -StaleAfterMonths, 0))
}

// Dashboard is a team loaded and analysed as of one time, with its trend.
type Dashboard struct {
	*Team
	Result shape.Result // for viewers who may see individuals; see Figures for the others
	// trend is what the trend's points are computed from (no points unless asked for).
	trend TrendInput
}

// DashboardStore is what a dashboard needs: a team's parts, its history, and effective
// ratings at several times in one query.
type DashboardStore interface {
	Store
	FindTeamHistory(ctx context.Context, teamID int64) (*app.TeamHistory, error)
	FindEffectiveRatingsSeries(ctx context.Context, orgID int64, userIDs []int64, asOfs []time.Time) (map[time.Time][]app.EffectiveRating, error)
	// FindTeamCycles lists the team's assessment cycles: a closed one's snapshot is its
	// quarter's trend point.
	FindTeamCycles(ctx context.Context, orgID, teamID int64) ([]app.Cycle, error)
}

// LoadDashboard loads the team as of asOf (by LoadTeam's rules) and analyses it. With trend
// points (see QuarterPoints) it also loads what Trend needs: the team's membership and
// targets over time, the effective ratings at each point of its members (with those for
// asOf, in one query) and of the people its history names who are no longer members (a
// second, only when there are any), and the snapshots of the team's closed cycles, which
// are their quarters' points.
func LoadDashboard(ctx context.Context, st DashboardStore, orgID, teamID int64, asOf time.Time, trend []TrendPoint) (*Dashboard, error) {
	// The history and the cycles load while loadTeam loads the team and the members'
	// ratings at every point; the former members' ratings wait for the history. (Which
	// points are frozen is not known yet, so the members' read includes them: past points'
	// ratings are kept in memory, postgres pastRatings.)
	ats := []time.Time{asOf}
	for _, p := range trend {
		ats = append(ats, p.AsOf)
	}
	hist := &app.TeamHistory{}
	var past errgroup.Group
	if len(trend) > 0 {
		var cycles []app.Cycle
		var parts errgroup.Group
		parts.Go(func() (err error) { hist, err = st.FindTeamHistory(ctx, teamID); return err })
		parts.Go(func() (err error) { cycles, err = st.FindTeamCycles(ctx, orgID, teamID); return err })
		past.Go(func() (err error) {
			if err := parts.Wait(); err != nil {
				return err
			}
			trend, err = withSnapshots(cycles, trend, asOf)
			return err
		})
	}
	var series map[time.Time][]app.EffectiveRating
	t, err := loadTeam(ctx, st, orgID, teamID, asOf, func(ids []int64) ([]app.EffectiveRating, error) {
		var err error
		if series, err = st.FindEffectiveRatingsSeries(ctx, orgID, ids, ats); err != nil {
			return nil, err
		}
		if err := past.Wait(); err != nil {
			return nil, err
		}
		if err := addFormerMembers(ctx, st, orgID, series, ids, hist, trend); err != nil {
			return nil, err
		}
		return series[asOf], nil
	})
	if werr := past.Wait(); err == nil { // loadTeam may have failed before waiting for it
		err = werr
	}
	if err != nil {
		return nil, err
	}
	if t.Ratings == nil {
		t.Ratings = []app.EffectiveRating{}
	}
	return &Dashboard{Team: t, Result: shape.Analyze(t.Input), trend: TrendInput{
		Framework: t.Framework, Settings: t.Input.Settings, History: *hist, Ratings: series, Points: trend,
	}}, nil
}

// addFormerMembers adds to series (by time) the effective ratings, at the trend's points
// that are not frozen, of the people the history names as analysed members (trendPoint's
// rule) who are not among the members ids.
func addFormerMembers(ctx context.Context, st DashboardStore, orgID int64, series map[time.Time][]app.EffectiveRating,
	ids []int64, hist *app.TeamHistory, trend []TrendPoint) error {
	var former []int64
	for _, s := range hist.Members {
		if analysed(s.TeamPerson) && !slices.Contains(ids, s.UserID) && !slices.Contains(former, s.UserID) {
			former = append(former, s.UserID)
		}
	}
	var ats []time.Time
	for _, p := range trend {
		if p.snapshot == nil && !p.Open { // a frozen point needs no ratings; the open one is now
			ats = append(ats, p.AsOf)
		}
	}
	if len(former) == 0 || len(ats) == 0 {
		return nil
	}
	more, err := st.FindEffectiveRatingsSeries(ctx, orgID, former, ats)
	if err != nil {
		return err
	}
	for at, rs := range more {
		series[at] = append(slices.Clip(series[at]), rs...) // a slice of its own: times may share one
	}
	return nil
}

// Trend is the team's trend as a viewer who may (individuals) or may not see
// individuals sees it: see the function Trend.
func (d *Dashboard) Trend(individuals bool) []TrendPoint {
	if len(d.trend.Points) == 0 {
		return nil
	}
	return Trend(d.trend, individuals)
}

// Target is a competency's effective target.
type Target struct {
	Coverage    int `json:"coverage"`
	Depth       int `json:"depth"`
	Criticality int `json:"criticality"`
}

// PersonRef names a person (only in views for leaders and admins).
type PersonRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// CompetencyFigure is the team's standing in one competency.
type CompetencyFigure struct {
	Competency    string  `json:"competency"`
	Name          string  `json:"name"`
	Area          string  `json:"area"`
	AreaName      string  `json:"area_name"`
	LeadsOnly     bool    `json:"leads_only"`
	Coverage      int     `json:"coverage"`
	Depth         int     `json:"depth"`
	Assessed      int     `json:"assessed"`
	Teachers      int     `json:"teachers"`
	Target        Target  `json:"target"`
	ShortCoverage int     `json:"short_coverage"`
	ShortDepth    int     `json:"short_depth"`
	Status        string  `json:"status"`
	Score         float64 `json:"score"`
	// Why is the reason in a few words; it names nobody unless the view is for a leader.
	Why       string      `json:"why"`
	CoveredBy []PersonRef `json:"covered_by,omitempty"`
}

// KeyPersonRisk is someone who alone covers two or more competencies. Person is nil in
// aggregate views: they learn that the risk exists and where, not who.
type KeyPersonRisk struct {
	Person       *PersonRef `json:"person,omitempty"`
	Competencies []string   `json:"competencies"`
	Names        []string   `json:"competency_names"`
}

// PersonFigure is one member's shape (leaders and admins only).
type PersonFigure struct {
	ID         int64    `json:"id"`
	Name       string   `json:"name"`
	Title      string   `json:"title"`
	Breadth    float64  `json:"breadth"`
	Spikes     []string `json:"spikes"`
	SpikeNames []string `json:"spike_names"`
	Shape      string   `json:"shape"`
	Assessed   int      `json:"assessed"`
	InScope    int      `json:"in_scope"`
}

// Figures are a team's dashboard figures. With Individuals false they name nobody.
type Figures struct {
	AsOf           time.Time          `json:"as_of"`
	Members        int                `json:"members"`
	Counts         map[string]int     `json:"counts"`
	TotalScore     float64            `json:"total_score"`
	Competencies   []CompetencyFigure `json:"competencies"`
	Gaps           []CompetencyFigure `json:"gaps"` // not ok, highest score first
	KeyPersonRisks []KeyPersonRisk    `json:"key_person_risks"`
	People         []PersonFigure     `json:"people,omitempty"`
	Trend          []TrendPoint       `json:"trend,omitempty"`
	// WithheldCompetencies are the competencies of the team's scope whose figures this
	// viewer may not see: fewer than shape.MinContributors people are rated in them. Empty
	// for viewers who may see individuals.
	WithheldCompetencies []HeatmapColumn `json:"withheld_competencies"`
	Individuals          bool            `json:"individuals"`
	// Withheld: an aggregate view of a team too small to aggregate (see MinAggregate); it
	// holds the member count and nothing else.
	Withheld bool `json:"withheld"`
}

// MinAggregate is the fewest PMs a team's figures aggregate over for viewers who may not
// see individuals (the team's PMs, its HR partners). With one PM the team's depth per
// competency is that person's level; with two, either PM reads the other's from it.
const MinAggregate = 3

// Withheld reports whether a view of a team of members PMs must be withheld from a viewer
// who may (individuals) or may not see individuals: an aggregate of too few people.
func Withheld(individuals bool, members int) bool {
	return !individuals && members > 0 && members < MinAggregate
}

// HasShape reports whether the figures show a shape: the team has PMs and they are not
// withheld.
func (f Figures) HasShape() bool { return f.Members > 0 && !f.Withheld }

// Figures summarises the analysis; individuals says whether names and per-person shapes
// may be in it (leaders of the team and admins). For the other viewers every figure comes
// from the disclosed part of the team (see Team.For): competencies fewer than
// shape.MinContributors people are rated in are listed as withheld and count nowhere.
func (d *Dashboard) Figures(individuals bool) Figures {
	names := map[int64]string{}
	titles := map[int64]string{}
	for _, m := range d.Members {
		names[m.UserID] = m.Name
		if m.Title != nil {
			titles[m.UserID] = *m.Title
		}
	}
	compName := map[string]string{}
	for _, c := range d.Framework.Competencies {
		compName[c.Key] = c.Name
	}
	namesOf := func(keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = compName[k]
		}
		return out
	}
	f := Figures{
		AsOf: d.AsOf, Members: len(d.Members), Competencies: []CompetencyFigure{}, Gaps: []CompetencyFigure{},
		KeyPersonRisks: []KeyPersonRisk{}, WithheldCompetencies: []HeatmapColumn{}, Individuals: individuals,
	}
	if Withheld(individuals, f.Members) {
		f.Counts, f.Withheld = map[string]int{}, true
		return f
	}
	view := d.For(individuals)
	res := d.Result
	if !individuals {
		res = shape.Analyze(view.Input)
	}
	f.Counts, f.TotalScore, f.Trend = res.Counts, res.TotalScore, d.Trend(individuals)
	for _, c := range view.Withheld {
		f.WithheldCompetencies = append(f.WithheldCompetencies, Column(c))
	}
	for _, st := range res.Competencies {
		f.Competencies = append(f.Competencies, competencyFigure(st, d.Input.Settings, individuals, names))
	}
	for _, st := range res.Gaps() {
		f.Gaps = append(f.Gaps, competencyFigure(st, d.Input.Settings, individuals, names))
	}
	for _, r := range res.KeyPersonRisks {
		k := KeyPersonRisk{Competencies: r.Competencies, Names: namesOf(r.Competencies)}
		if individuals {
			k.Person = &PersonRef{ID: r.PersonID, Name: r.Name}
		}
		f.KeyPersonRisks = append(f.KeyPersonRisks, k)
	}
	if individuals {
		for _, p := range res.People {
			f.People = append(f.People, PersonFigure{
				ID: p.ID, Name: p.Name, Title: titles[p.ID], Breadth: p.Breadth,
				Spikes: orEmpty(p.Spikes), SpikeNames: namesOf(p.Spikes), Shape: p.Shape,
				Assessed: p.Assessed, InScope: p.InScope,
			})
		}
	}
	return f
}

// Column names a competency as a heatmap column does.
func Column(c shape.Competency) HeatmapColumn {
	return HeatmapColumn{Competency: c.Key, Name: c.Name, Area: c.Area, AreaName: c.AreaName}
}

// competencyFigure turns a statistic into a figure; aggregate views get a name-free reason.
func competencyFigure(st shape.CompetencyStat, s shape.Settings, individuals bool, names map[int64]string) CompetencyFigure {
	f := CompetencyFigure{
		Competency: st.Key, Name: st.Name, Area: st.Area, AreaName: st.AreaName, LeadsOnly: st.LeadsOnly,
		Coverage: st.Coverage, Depth: st.Depth, Assessed: st.Assessed, Teachers: st.Teachers,
		Target:        Target{Coverage: st.Target.Coverage, Depth: st.Target.Depth, Criticality: st.Target.Criticality},
		ShortCoverage: st.ShortCov, ShortDepth: st.ShortDep, Status: st.Status, Score: st.Score,
		Why: shape.NameFreeWhy(st, s),
	}
	if individuals {
		f.Why = st.Why
		for _, id := range st.CoveredBy {
			f.CoveredBy = append(f.CoveredBy, PersonRef{ID: id, Name: names[id]})
		}
	}
	return f
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// HeatmapCell is one person's rating in one competency; Level nil is "not assessed".
type HeatmapCell struct {
	Competency string     `json:"competency"`
	Level      *int       `json:"level"`
	RatedAt    *time.Time `json:"rated_at"`
	Stale      bool       `json:"stale"`
}

// HeatmapRow is one person's row.
type HeatmapRow struct {
	ID    int64         `json:"id"`
	Name  string        `json:"name"`
	Cells []HeatmapCell `json:"cells"`
}

// HeatmapColumn is one competency of the team's scope.
type HeatmapColumn struct {
	Competency string `json:"competency"`
	Name       string `json:"name"`
	Area       string `json:"area"`
	AreaName   string `json:"area_name"`
}

// Heatmap is every member against every competency of the team's scope, in one view.
type Heatmap struct {
	View         string          `json:"view"`
	AsOf         time.Time       `json:"as_of"`
	Competencies []HeatmapColumn `json:"competencies"`
	People       []HeatmapRow    `json:"people"`
}

// Heatmap lays out the ratings of the view (the effective ones, or the latest self or leader
// ratings as loaded by the caller) over the team's members and scope.
func (d *Dashboard) Heatmap(view string, ratings []app.EffectiveRating) Heatmap {
	h := Heatmap{View: view, AsOf: d.AsOf, Competencies: d.Columns(), People: make([]HeatmapRow, len(d.Members))}
	// The cells, their levels and their times are three slabs, a row of each per person,
	// and each rating finds its cell through two small indexes.
	nC := len(h.Competencies)
	cells, levels, ats := make([]HeatmapCell, len(d.Members)*nC), make([]int, len(d.Members)*nC), make([]time.Time, len(d.Members)*nC)
	col := make(map[string]int, nC)
	for i, c := range h.Competencies {
		col[c.Competency] = i
	}
	row := make(map[int64]int, len(d.Members))
	for p, m := range d.Members {
		h.People[p] = HeatmapRow{ID: m.UserID, Name: m.Name, Cells: cells[p*nC : (p+1)*nC : (p+1)*nC]}
		for i, c := range h.Competencies {
			h.People[p].Cells[i].Competency = c.Competency
		}
		row[m.UserID] = p
	}
	for _, r := range ratings {
		p, member := row[r.UserID]
		c, inScope := col[r.Competency]
		if !member || !inScope {
			continue
		}
		k := p*nC + c
		levels[k], ats[k] = r.Level, r.RatedAt
		cells[k].Level, cells[k].RatedAt, cells[k].Stale = &levels[k], &ats[k], Stale(r.RatedAt, d.AsOf)
	}
	return h
}

// QuarterPoints returns n trend points, oldest first: the ends of the n−1 quarters before the
// one asOf falls in, then asOf itself, labelled with its date ("2026-05-14"), or with its
// quarter ("Q1 2026") when asOf is a quarter's end. A quarter's end is the first instant of
// the next quarter: ratings made before it count.
func QuarterPoints(asOf time.Time, n int) []TrendPoint {
	if n <= 0 {
		return nil
	}
	a := asOf.UTC()
	q0 := quarterStart(a.Add(-time.Nanosecond)) // the quarter holding the last moment that counts
	out := make([]TrendPoint, n)
	label := quarterLabel(q0)
	if a.Before(q0.AddDate(0, 3, 0)) {
		label = a.Add(-time.Nanosecond).Format(time.DateOnly)
	}
	out[n-1] = TrendPoint{Label: label, AsOf: asOf, Open: !a.Equal(q0.AddDate(0, 3, 0))}
	for k := 1; k < n; k++ {
		out[n-1-k] = TrendPoint{Label: quarterLabel(q0.AddDate(0, -3*k, 0)), AsOf: q0.AddDate(0, -3*(k-1), 0)}
	}
	return out
}

func quarterStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
}

func quarterLabel(start time.Time) string {
	return fmt.Sprintf("Q%d %d", (int(start.Month())-1)/3+1, start.Year())
}
