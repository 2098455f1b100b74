// Package dashboards runs the team dashboard, the organisation view and the HR partner's
// view as a service over insight (loading and disclosure) and shape (the analysis):
//   - a team's figures go to anyone who may see the team (else ENOTFOUND); viewers who may
//     not see individuals get the disclosed figures only (insight.Disclosed);
//   - the heatmap, names against ratings, goes to the team's leaders and admins only;
//   - targets are set by the team's leaders and admins, all or nothing;
//   - the organisation view is an admin's; the partner view shows an HR partner's teams.
//
// The HTTP layer reads the request, calls one method and lays the answer out; it caches
// answers by the organisation's data version (internal/http/kit/viewcache.go).
package dashboards

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/people"
	"github.com/teamshape/teamshape/internal/shape"
)

// Store is what dashboards needs from storage.
type Store interface {
	insight.DashboardStore
	insight.RollupStore
	TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error)
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
	FindTeamTargets(ctx context.Context, teamID int64) (map[string]app.TeamTarget, error)
	SetTeamTargets(ctx context.Context, orgID, teamID int64, targets []app.TeamTarget) error
	FindLatestRatings(ctx context.Context, orgID int64, userIDs []int64, kind string, asOf time.Time) ([]app.EffectiveRating, error)
}

// The figures the service answers with, as insight lays them out.
type (
	Figures          = insight.Figures
	Heatmap          = insight.Heatmap
	Rollup           = insight.Rollup
	TeamSummary      = insight.TeamSummary
	CompetencyRollup = insight.CompetencyRollup
	CompetencySeries = insight.CompetencySeries
	TrendPoint       = insight.TrendPoint
	CompetencyFigure = insight.CompetencyFigure
)

// Heatmap views and the smallest group whose aggregate figures are shown to viewers who may
// not see individuals.
const (
	ViewEffective = insight.ViewEffective
	MinAggregate  = insight.MinAggregate
	MaxLevel      = shape.MaxLevel // the top of the rating scale
)

// ValidView reports whether v names a heatmap view (effective, self, leader).
func ValidView(v string) bool { return insight.ValidView(v) }

// TrendQuarters is how many quarters the gap-score trend shows.
const TrendQuarters = 6

// Service answers dashboard requests on behalf of an actor.
type Service struct {
	store Store
	// views is what the views read through (the store unless ReadFrom gave another): the
	// figures, the heatmap and the rollups. Writes, and what follows them, use store.
	views Store
	// people gives the team as the viewer may see it (its people) on the team's pages.
	people *people.Service
	// summaries keeps the rollups' team summaries: after a write, the organisation view
	// analyses again only the teams it changed.
	summaries *insight.Summaries
	now       func() time.Time
}

// New returns a service over the store; people shows a team's people as each viewer may
// see them; now is the clock (time.Now outside tests).
func New(st Store, ppl *people.Service, now func() time.Time) *Service {
	return &Service{store: st, views: st, people: ppl, summaries: insight.NewSummaries(summariesKept), now: now}
}

// summariesKept is how many team summaries the rollups keep: every team of a few large
// organisations, for the two kinds of viewer (who may and may not see individuals).
const summariesKept = 4096

// ReadFrom has the views read through views (internal/readcache: the structure from
// memory), and the team's people from ppl (a people service over it).
func (s *Service) ReadFrom(views Store, ppl *people.Service) {
	s.views, s.people = views, ppl
}

// Team is one team's dashboard as one viewer may see it.
type Team struct {
	d      *insight.Dashboard
	Access app.TeamAccess
}

// Figures are the team's figures as the viewer may see them.
func (t *Team) Figures() Figures { return t.d.Figures(t.Access.CanSeeIndividuals()) }

// Series is each competency's depth and coverage at the points of the figures' trend
// (the viewer's figures: withheld points stay empty).
func (t *Team) Series(f Figures) []CompetencySeries { return insight.SeriesOf(t.d.Columns(), f.Trend) }

// Members is how many PMs the team analyses.
func (t *Team) Members() int { return len(t.d.Members) }

// Team loads the dashboard of team teamID as of asOf, with the quarterly trend if asked
// for. The access check and the loading run at once; the figures are dropped unless the
// check passes.
func (s *Service) Team(ctx context.Context, a *app.Actor, teamID int64, asOf time.Time, withTrend bool) (*Team, error) {
	var (
		t      Team
		accErr error
	)
	checked := make(chan struct{})
	go func() {
		defer close(checked)
		t.Access, accErr = s.views.TeamAccess(ctx, a, teamID)
	}()
	var trend []insight.TrendPoint
	if withTrend {
		trend = insight.QuarterPoints(asOf, TrendQuarters)
	}
	d, err := insight.LoadDashboard(ctx, s.views, a.OrgID, teamID, asOf, trend)
	<-checked
	if accErr != nil {
		return nil, accErr
	}
	if err != nil {
		return nil, err
	}
	t.d = d
	return &t, nil
}

// TeamPage loads what the team's dashboard page shows: the team with the people the viewer
// may see (people.Team: the same access check) and its dashboard as of asOf with the
// quarterly trend, both at once.
func (s *Service) TeamPage(ctx context.Context, a *app.Actor, teamID int64, asOf time.Time) (*people.TeamView, *Team, error) {
	var (
		v       *people.TeamView
		viewErr error
	)
	viewed := make(chan struct{})
	go func() {
		defer close(viewed)
		v, _, viewErr = s.people.Team(ctx, a, teamID)
	}()
	t, err := s.Team(ctx, a, teamID, asOf, true)
	<-viewed
	if err != nil {
		return nil, nil, err
	}
	if viewErr != nil {
		return nil, nil, viewErr
	}
	return v, t, nil
}

// Heatmap lays out the view's ratings (effective, self or leader) of the team's people;
// only the team's leaders and admins see it.
func (s *Service) Heatmap(ctx context.Context, a *app.Actor, t *Team, view string) (Heatmap, error) {
	if !t.Access.CanSeeIndividuals() {
		return Heatmap{}, app.ErrForbidden
	}
	ratings := t.d.Ratings
	if view != insight.ViewEffective {
		ids := make([]int64, len(t.d.Members))
		for i, m := range t.d.Members {
			ids[i] = m.UserID
		}
		var err error
		if ratings, err = s.store.FindLatestRatings(ctx, a.OrgID, ids, view, t.d.AsOf); err != nil {
			return Heatmap{}, err
		}
	}
	return t.d.Heatmap(view, ratings), nil
}

// validateTargets checks every target against the framework, naming the first bad field.
func validateTargets(fw *app.Framework, targets []app.TeamTarget) error {
	seen := map[string]bool{}
	for i, t := range targets {
		field := func(name string) string { return "targets[" + strconv.Itoa(i) + "]." + name }
		c := fw.ByKey(t.Competency)
		switch {
		case c == nil || c.Archived:
			return app.Invalid(field("competency"), "Unknown competency %q.", t.Competency)
		case seen[t.Competency]:
			return app.Invalid(field("competency"), "%s is listed twice.", c.Name)
		case t.Coverage < 0 || t.Coverage > 50:
			return app.Invalid(field("coverage"), "Coverage of %s must be 0 to 50 people.", c.Name)
		case t.Depth < 0 || t.Depth > 5:
			return app.Invalid(field("depth"), "Depth of %s must be a level from 0 to 5.", c.Name)
		case t.Criticality < 1 || t.Criticality > 3:
			return app.Invalid(field("criticality"), "Criticality of %s must be 1, 2 or 3.", c.Name)
		}
		seen[t.Competency] = true
	}
	return nil
}

// SetTargets replaces the team's targets (competencies left out use the defaults), all or
// nothing, and returns the stored targets. The list is required (nil: EINVALID); an empty
// one clears every target.
func (s *Service) SetTargets(ctx context.Context, a *app.Actor, teamID int64, list *[]app.TeamTarget) (map[string]app.TeamTarget, error) {
	if err := app.RequireLead(ctx, s.store, a, teamID); err != nil {
		return nil, err
	}
	if list == nil {
		return nil, app.Invalid("targets", "targets is required: a list of {competency, coverage, depth, criticality}.")
	}
	targets := *list
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	if err := validateTargets(fw, targets); err != nil {
		return nil, err
	}
	if err := s.store.SetTeamTargets(ctx, a.OrgID, teamID, targets); err != nil {
		return nil, err
	}
	return s.store.FindTeamTargets(ctx, teamID)
}

// TargetRow is one competency of the targets form: the stored target, the defaults and
// the team's standing today.
type TargetRow struct {
	Key, Name, AreaName string
	LeadsOnly           bool
	InScope             bool // in the team's scope (leads-only needs a lead among the members)
	Coverage, Depth     int  // the team's standing now
	Status              string
	Target              *app.TeamTarget // stored; nil: the defaults
	DefCoverage         int
	DefDepth            int
}

// Targets is the targets form of a team.
type Targets struct {
	Team        *people.TeamView
	Rows        []TargetRow
	DefCrit     int
	MemberCount int
}

// Targets returns the form of the team's targets, for its leaders and admins.
func (s *Service) Targets(ctx context.Context, a *app.Actor, teamID int64) (*Targets, error) {
	if err := app.RequireLead(ctx, s.store, a, teamID); err != nil {
		return nil, err
	}
	d, err := insight.LoadDashboard(ctx, s.views, a.OrgID, teamID, s.now(), nil)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.FindTeamTargets(ctx, teamID)
	if err != nil {
		return nil, err
	}
	team, _, err := s.people.Team(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	set := d.Input.Settings
	standing := map[string]shape.CompetencyStat{}
	for _, st := range d.Result.Competencies {
		standing[st.Key] = st
	}
	f := &Targets{Team: team, DefCrit: set.DefaultCriticality, MemberCount: len(d.Members)}
	for _, comp := range d.Framework.Active() {
		r := TargetRow{Key: comp.Key, Name: comp.Name, AreaName: comp.AreaName, LeadsOnly: comp.LeadsOnly,
			DefCoverage: set.DefaultCoverage, DefDepth: set.DefaultDepth}
		if comp.LeadsOnly {
			r.DefCoverage = set.LeadsOnlyCoverage
		}
		if st, ok := standing[comp.Key]; ok {
			r.InScope, r.Coverage, r.Depth, r.Status = true, st.Coverage, st.Depth, st.Status
		}
		if t, ok := stored[comp.Key]; ok {
			r.Target = &t
		}
		f.Rows = append(f.Rows, r)
	}
	return f, nil
}

// rollup analyses the teams as of asOf; small teams' figures show only to admins and the
// teams' leaders.
func (s *Service) rollup(ctx context.Context, a *app.Actor, teams []app.Team, asOf time.Time) (*Rollup, error) {
	leads := func(t app.Team) bool { return a.Role == app.RoleAdmin || t.MyRole == app.TeamLeader }
	return insight.LoadRollup(ctx, s.views, a.OrgID, teams, asOf, leads, s.summaries)
}

// MyTeams is the actor's teams, each with its figures (the rollup's summaries, by team
// id) so a leader sees at a glance which team is thin. An admin gets every team without
// figures: their rollup is the organisation view.
func (s *Service) MyTeams(ctx context.Context, a *app.Actor) ([]app.Team, map[int64]*TeamSummary, error) {
	teams, err := s.views.FindTeams(ctx, a)
	if err != nil || a.Role == app.RoleAdmin || len(teams) == 0 {
		return teams, nil, err
	}
	r, err := s.rollup(ctx, a, teams, s.now())
	if err != nil {
		return nil, nil, err
	}
	figures := map[int64]*TeamSummary{}
	for i := range r.Teams {
		figures[r.Teams[i].ID] = &r.Teams[i]
	}
	return teams, figures, nil
}

// Org is the organisation view: every team's figures, the teams by total gap score, and
// where the organisation is thin.
type Org struct {
	*Rollup
	ByScore   []TeamSummary      // highest total gap score first
	TeamsGap  int                // teams with at least one gap
	ThinSpots []CompetencyRollup // by the number of teams with a gap, then with a risk
}

// Org returns the organisation view as of asOf; admins only.
func (s *Service) Org(ctx context.Context, a *app.Actor, asOf time.Time) (*Org, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	teams, err := s.views.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	r, err := s.rollup(ctx, a, teams, asOf)
	if err != nil {
		return nil, err
	}
	o := &Org{Rollup: r, ByScore: slices.Clone(r.Teams), ThinSpots: slices.Clone(r.Competencies)}
	slices.SortStableFunc(o.ByScore, func(a, b TeamSummary) int { return cmp.Compare(b.TotalScore, a.TotalScore) })
	for _, t := range r.Teams {
		if t.Counts[shape.StatusGap] > 0 {
			o.TeamsGap++
		}
	}
	slices.SortStableFunc(o.ThinSpots, func(a, b CompetencyRollup) int {
		return cmp.Or(cmp.Compare(b.Teams[shape.StatusGap], a.Teams[shape.StatusGap]),
			cmp.Compare(b.Teams[shape.StatusRisk], a.Teams[shape.StatusRisk]))
	})
	return o, nil
}

// GapTeams is how many teams have a gap in the competency.
func GapTeams(c CompetencyRollup) int { return c.Teams[shape.StatusGap] }

// Partner returns the rollup of an HR partner's teams as of asOf (an admin's: every team).
func (s *Service) Partner(ctx context.Context, a *app.Actor, asOf time.Time) (*Rollup, error) {
	all, err := s.views.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	var teams []app.Team
	for _, t := range all {
		if a.Role == app.RoleAdmin || t.MyRole == app.TeamHRPartner {
			teams = append(teams, t)
		}
	}
	return s.rollup(ctx, a, teams, asOf)
}
