package http

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
)

func (s *Server) dashboardRoutes() []Route {
	return []Route{
		{Method: get, Path: "/api/v1/teams/:id/shape", Roles: anyone, Handler: s.handleTeamShape},
		{Method: get, Path: "/api/v1/teams/:id/heatmap", Roles: leaders, Handler: s.handleTeamHeatmap},
		{Method: put, Path: "/api/v1/teams/:id/targets", Roles: leaders, Handler: s.handleSetTeamTargets},
		{Method: get, Path: "/api/v1/org/shape", Roles: adminOnly, Handler: s.handleOrgShape},
		{Method: get, Path: "/teams/:id/targets", Roles: leaders, Handler: s.pageTeamTargets},
		{Method: post, Path: "/teams/:id/targets", Roles: leaders, Handler: s.pageTeamTargetsPost},
		{Method: get, Path: "/org", Roles: adminOnly, Handler: s.pageOrg},
		{Method: get, Path: "/hr", Roles: adminHR, Handler: s.pageHR},
	}
}

// TrendQuarters is how many quarters the gap-score trend shows.
const TrendQuarters = 6

// earliestAsOf bounds ?as_of from below.
var earliestAsOf = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// asOfParam reads ?as_of=YYYY-MM-DD: the figures count ratings made up to the end of that
// day (UTC). Absent, it is now. It also returns the date for display.
func (s *Server) asOfParam(c *fiber.Ctx) (time.Time, string, error) {
	now := s.now().UTC()
	raw := strings.TrimSpace(c.Query("as_of"))
	if raw == "" {
		return now, now.Format(time.DateOnly), nil
	}
	d, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		return time.Time{}, "", app.Invalid("as_of", "as_of must be a date as YYYY-MM-DD.")
	}
	if d.Before(earliestAsOf) || d.After(now) {
		return time.Time{}, "", app.Invalid("as_of", "as_of must be between 2000-01-01 and today.")
	}
	if d.Format(time.DateOnly) == now.Format(time.DateOnly) {
		return now, raw, nil
	}
	return d.AddDate(0, 0, 1), raw, nil
}

// dashboardDay is today's date as the dashboards count it (UTC, as ?as_of is read).
func (s *Server) dashboardDay() string { return s.now().UTC().Format(time.DateOnly) }

// viewParam reads ?view=effective|self|leader (default effective).
func viewParam(c *fiber.Ctx) (string, error) {
	v := c.Query("view", insight.ViewEffective)
	if !insight.ValidView(v) {
		return "", app.Invalid("view", "view must be effective, self or leader.")
	}
	return v, nil
}

// teamDashboard checks the caller may see team id (404 otherwise) and loads its dashboard as
// of asOf, with the quarterly trend if asked for.
func (s *Server) teamDashboard(c *fiber.Ctx, id int64, asOf time.Time, withTrend bool) (*insight.Dashboard, app.TeamAccess, error) {
	a := actor(c)
	acc, err := s.store.TeamAccess(c.UserContext(), a, id)
	if err != nil {
		return nil, acc, err
	}
	d, err := insight.LoadDashboard(c.UserContext(), s.store, a.OrgID, id, asOf, trendPoints(asOf, withTrend))
	return d, acc, err
}

// cachedAPI answers with the JSON of the caller's view kind of team :id (as of ?as_of),
// built by build on a cache miss; see viewCache.
func (s *Server) cachedAPI(c *fiber.Ctx, kind, view string, build func(id int64, asOf time.Time) (any, error)) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	asOf, date, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	return s.cachedJSON(c, s.viewKey(c, kind, id, view, date), func() (any, error) { return build(id, asOf) })
}

// trendPoints are the quarter ends a dashboard's trend shows (none without a trend).
func trendPoints(asOf time.Time, withTrend bool) []insight.TrendPoint {
	if !withTrend {
		return nil
	}
	return insight.QuarterPoints(asOf, TrendQuarters)
}

// heatmap lays out the view's ratings; only leaders of the team and admins see it.
func (s *Server) heatmap(c *fiber.Ctx, d *insight.Dashboard, view string) (insight.Heatmap, error) {
	ratings := d.Ratings
	if view != insight.ViewEffective {
		ids := make([]int64, len(d.Members))
		for i, m := range d.Members {
			ids[i] = m.UserID
		}
		var err error
		ratings, err = s.store.FindLatestRatings(c.UserContext(), actor(c).OrgID, ids, view, d.AsOf)
		if err != nil {
			return insight.Heatmap{}, err
		}
	}
	return d.Heatmap(view, ratings), nil
}

func (s *Server) handleTeamShape(c *fiber.Ctx) error {
	return s.cachedAPI(c, "team-shape", "", func(id int64, asOf time.Time) (any, error) {
		d, acc, err := s.teamDashboard(c, id, asOf, true)
		if err != nil {
			return nil, err
		}
		return d.Figures(acc.CanSeeIndividuals()), nil
	})
}

func (s *Server) handleTeamHeatmap(c *fiber.Ctx) error {
	view, err := viewParam(c)
	if err != nil {
		return err
	}
	return s.cachedAPI(c, "team-heatmap", view, func(id int64, asOf time.Time) (any, error) {
		d, acc, err := s.teamDashboard(c, id, asOf, false)
		if err != nil {
			return nil, err
		}
		if !acc.CanSeeIndividuals() {
			return nil, app.ErrForbidden
		}
		return s.heatmap(c, d, view)
	})
}

// TargetsInput is the body of PUT /api/v1/teams/:id/targets: the team's targets, all of them
// (competencies left out use the defaults).
type TargetsInput struct {
	Targets *[]app.TeamTarget `json:"targets"`
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

// setTargets replaces the team's targets after checking the caller leads the team: all or
// nothing.
func (s *Server) setTargets(c *fiber.Ctx, teamID int64, targets []app.TeamTarget) error {
	a := actor(c)
	fw, err := s.store.FindFramework(c.UserContext(), a.OrgID)
	if err != nil {
		return err
	}
	if err := validateTargets(fw, targets); err != nil {
		return err
	}
	return s.store.SetTeamTargets(c.UserContext(), a.OrgID, teamID, targets)
}

// leadAccess is the caller's access to a team they must lead: 404 when the team is not
// theirs to see, 403 when they see it but do not lead it.
func (s *Server) leadAccess(c *fiber.Ctx) (int64, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return 0, err
	}
	acc, err := s.store.TeamAccess(c.UserContext(), actor(c), id)
	if err != nil {
		return 0, err
	}
	if !acc.CanLead() {
		return 0, app.ErrForbidden
	}
	return id, nil
}

func (s *Server) handleSetTeamTargets(c *fiber.Ctx) error {
	id, err := s.leadAccess(c)
	if err != nil {
		return err
	}
	var in TargetsInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Targets == nil {
		return app.Invalid("targets", "targets is required: a list of {competency, coverage, depth, criticality}.")
	}
	if err := s.setTargets(c, id, *in.Targets); err != nil {
		return err
	}
	stored, err := s.store.FindTeamTargets(c.UserContext(), id)
	if err != nil {
		return err
	}
	return data(c, fiber.Map{"targets": stored})
}

// rollup analyses the teams as of ?as_of; small teams' figures show only to admins and
// the teams' leaders.
func (s *Server) rollup(c *fiber.Ctx, teams []app.Team) (*insight.Rollup, string, error) {
	asOf, date, err := s.asOfParam(c)
	if err != nil {
		return nil, "", err
	}
	a := actor(c)
	leads := func(t app.Team) bool { return a.Role == app.RoleAdmin || t.MyRole == app.TeamLeader }
	r, err := insight.LoadRollup(c.UserContext(), s.store, a.OrgID, teams, asOf, leads)
	return r, date, err
}

func (s *Server) handleOrgShape(c *fiber.Ctx) error {
	_, date, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	return s.cachedJSON(c, s.viewKey(c, "org-shape", 0, "", date), func() (any, error) {
		teams, err := s.store.FindTeams(c.UserContext(), actor(c))
		if err != nil {
			return nil, err
		}
		r, _, err := s.rollup(c, teams)
		return r, err
	})
}
