package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// cachedAPI answers with the JSON of the caller's view kind of team :id (as of ?as_of),
// built by build on a cache miss; see viewCache.
func (s *Handlers) cachedAPI(c *fiber.Ctx, kind, view string, build func(id int64, asOf time.Time) (any, error)) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	asOf, date, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	return s.CachedJSON(c, s.ViewKey(c, kind, id, view, date), func() (any, error) { return build(id, asOf) })
}

func (s *Handlers) HandleTeamShape(c *fiber.Ctx) error {
	return s.cachedAPI(c, "team-shape", "", func(id int64, asOf time.Time) (any, error) {
		t, err := s.Dashboards.Team(c.UserContext(), kit.Actor(c), id, asOf, true)
		if err != nil {
			return nil, err
		}
		return t.Figures(), nil
	})
}

func (s *Handlers) HandleTeamHeatmap(c *fiber.Ctx) error {
	view, err := kit.ViewParam(c)
	if err != nil {
		return err
	}
	return s.cachedAPI(c, "team-heatmap", view, func(id int64, asOf time.Time) (any, error) {
		t, err := s.Dashboards.Team(c.UserContext(), kit.Actor(c), id, asOf, false)
		if err != nil {
			return nil, err
		}
		return s.Dashboards.Heatmap(c.UserContext(), kit.Actor(c), t, view)
	})
}

// TargetsInput is the body of PUT /api/v1/teams/:id/targets: the team's targets, all of them
// (competencies left out use the defaults).
type TargetsInput struct {
	Targets *[]app.TeamTarget `json:"targets"`
}

func (s *Handlers) HandleSetTeamTargets(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, in TargetsInput) (TargetsView, error) {
		stored, err := s.Dashboards.SetTargets(c.UserContext(), kit.Actor(c), id, in.Targets)
		return TargetsView{Targets: stored}, err
	})
}

// TargetsView is a team's targets as stored.
type TargetsView struct {
	Targets map[string]app.TeamTarget `json:"targets"`
}

func (s *Handlers) HandleOrgShape(c *fiber.Ctx) error {
	asOf, date, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	return s.CachedJSON(c, s.ViewKey(c, "org-shape", 0, "", date), func() (any, error) {
		o, err := s.Dashboards.Org(c.UserContext(), kit.Actor(c), asOf)
		if err != nil {
			return nil, err
		}
		return o.Rollup, nil
	})
}
