package http

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

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
	return onIDBody(c, data, func(id int64, in TargetsInput) (targetsView, error) {
		stored, err := s.dashboards.SetTargets(c.UserContext(), actor(c), id, in.Targets)
		return targetsView{Targets: stored}, err
	})
}

// targetsView is a team's targets as stored.
type targetsView struct {
	Targets map[string]app.TeamTarget `json:"targets"`
}

func (s *Server) handleOrgShape(c *fiber.Ctx) error {
	asOf, date, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	return s.cachedJSON(c, s.viewKey(c, "org-shape", 0, "", date), func() (any, error) {
		o, err := s.dashboards.Org(c.UserContext(), actor(c), asOf)
		if err != nil {
			return nil, err
		}
		return o.Rollup, nil
	})
}
