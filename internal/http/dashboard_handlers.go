package http

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/dashboards"
)

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
	v := c.Query("view", dashboards.ViewEffective)
	if !dashboards.ValidView(v) {
		return "", app.Invalid("view", "view must be effective, self or leader.")
	}
	return v, nil
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
	v, err := s.views.get(s.viewKey(c, kind, id, view, date), func() (cachedView, error) {
		out, err := build(id, asOf)
		if err != nil {
			return cachedView{}, err
		}
		body, err := json.Marshal(fiber.Map{"data": out})
		return cachedView{Body: string(body)}, err
	})
	if err != nil {
		return err
	}
	return sendJSON(c, v)
}

func (s *Server) handleTeamShape(c *fiber.Ctx) error {
	return s.cachedAPI(c, "team-shape", "", func(id int64, asOf time.Time) (any, error) {
		t, err := s.dashboards.Team(c.UserContext(), actor(c), id, asOf, true)
		if err != nil {
			return nil, err
		}
		return t.Figures(), nil
	})
}

func (s *Server) handleTeamHeatmap(c *fiber.Ctx) error {
	view, err := viewParam(c)
	if err != nil {
		return err
	}
	return s.cachedAPI(c, "team-heatmap", view, func(id int64, asOf time.Time) (any, error) {
		t, err := s.dashboards.Team(c.UserContext(), actor(c), id, asOf, false)
		if err != nil {
			return nil, err
		}
		return s.dashboards.Heatmap(c.UserContext(), actor(c), t, view)
	})
}

// TargetsInput is the body of PUT /api/v1/teams/:id/targets: the team's targets, all of them
// (competencies left out use the defaults).
type TargetsInput struct {
	Targets *[]app.TeamTarget `json:"targets"`
}

func (s *Server) handleSetTeamTargets(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, in TargetsInput) (fiber.Map, error) {
		stored, err := s.dashboards.SetTargets(c.UserContext(), actor(c), id, in.Targets)
		return fiber.Map{"targets": stored}, err
	})
}

func (s *Server) handleOrgShape(c *fiber.Ctx) error {
	asOf, _, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	o, err := s.dashboards.Org(c.UserContext(), actor(c), asOf)
	if err != nil {
		return err
	}
	return data(c, o.Rollup)
}
