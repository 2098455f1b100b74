package http

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/cycles"
)

// cycleRoutes: assessment cycles (issue 18). A team's leaders and admins open, read and
// close its cycles, run the 1:1 (agreements, coaching goals) and see the team's flagged
// differences; its PMs read their cycle and their own compare view. HR has no route:
// nothing here is an aggregate. The service answers 404 outside the team.
func (s *Server) cycleRoutes() []Route {
	return []Route{
		{Method: get, Path: "/api/v1/teams/:id/cycles", Roles: leaders, Handler: s.handleTeamCycles},
		{Method: post, Path: "/api/v1/teams/:id/cycles", Roles: leaders, Handler: s.handleOpenCycle},
		{Method: get, Path: "/api/v1/teams/:id/flags", Roles: leaders, Handler: s.handleTeamFlags},
		{Method: post, Path: "/api/v1/cycles", Roles: leaders, Handler: s.handleOpenCycles},
		{Method: get, Path: "/api/v1/cycles/:id", Roles: leadersPM, Handler: s.handleGetCycle},
		{Method: post, Path: "/api/v1/cycles/:id/close", Roles: leaders, Handler: s.handleCloseCycle},
		{Method: get, Path: "/api/v1/people/:id/compare", Roles: leadersPM, Handler: s.handleCompare},
		{Method: put, Path: "/api/v1/cycles/:id/people/:person_id/agreements", Roles: leaders, Handler: s.handleAgree},
		{Method: post, Path: "/api/v1/cycles/:id/people/:person_id/coaching-plan", Roles: leaders, Handler: s.handleStartCoaching},
		{Method: get, Path: "/api/v1/me/cycles", Roles: leadersPM, Handler: s.handleMyCycles},

		{Method: get, Path: "/teams/:id/cycles", Roles: leaders, Handler: s.pageTeamCycles},
		{Method: post, Path: "/teams/:id/cycles", Roles: leaders, Handler: s.pageOpenCycle},
		{Method: get, Path: "/cycles/:id", Roles: leadersPM, Handler: s.pageCycle},
		{Method: post, Path: "/cycles/:id/close", Roles: leaders, Handler: s.pageCloseCycle},
		{Method: get, Path: "/people/:id/compare", Roles: leadersPM, Handler: s.pageCompare},
		{Method: post, Path: "/cycles/:id/people/:person_id/agreements", Roles: leaders, Handler: s.pageAgree},
		{Method: post, Path: "/cycles/:id/people/:person_id/coaching-plan", Roles: leaders, Handler: s.pageStartCoaching},
	}
}

func (s *Server) handleTeamCycles(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) ([]app.Cycle, error) {
		v, err := s.cycles.TeamCycles(c.UserContext(), actor(c), id)
		if err != nil {
			return nil, err
		}
		return v.Cycles, nil
	})
}

func (s *Server) handleOpenCycle(c *fiber.Ctx) error {
	return onIDBody(c, created, func(id int64, in cycles.OpenInput) (*app.Cycle, error) {
		return s.cycles.Open(c.UserContext(), actor(c), id, in)
	})
}

// openCyclesInput opens the same cycle for several teams.
type openCyclesInput struct {
	TeamIDs []int64 `json:"team_ids"`
	cycles.OpenInput
}

func (s *Server) handleOpenCycles(c *fiber.Ctx) error {
	return onBody(c, created, func(in openCyclesInput) ([]app.Cycle, error) {
		return s.cycles.OpenForTeams(c.UserContext(), actor(c), in.TeamIDs, in.OpenInput)
	})
}

func (s *Server) handleTeamFlags(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) ([]cycles.Flag, error) {
		return s.cycles.TeamFlags(c.UserContext(), actor(c), id)
	})
}

func (s *Server) handleGetCycle(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*cycles.View, error) {
		return s.cycles.Get(c.UserContext(), actor(c), id)
	})
}

func (s *Server) handleCloseCycle(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*cycles.View, error) {
		return s.cycles.Close(c.UserContext(), actor(c), id)
	})
}

// cycleQuery reads ?cycle=, naming it when it is missing or not an id.
func cycleQuery(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Query("cycle"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Invalid("cycle", "Name the cycle: ?cycle=<id>.")
	}
	return id, nil
}

func (s *Server) handleCompare(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*cycles.CompareView, error) {
		cycle, err := cycleQuery(c)
		if err != nil {
			return nil, err
		}
		return s.cycles.Compare(c.UserContext(), actor(c), id, cycle)
	})
}

// cycleAndPerson reads :id (the cycle) and :person_id.
func cycleAndPerson(c *fiber.Ctx) (cycle, person int64, err error) {
	if cycle, err = paramID(c, "id"); err != nil {
		return 0, 0, err
	}
	person, err = paramID(c, "person_id")
	return cycle, person, err
}

func (s *Server) handleAgree(c *fiber.Ctx) error {
	cycle, person, err := cycleAndPerson(c)
	if err != nil {
		return err
	}
	var in struct {
		Agreements []cycles.AgreementInput `json:"agreements"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := s.cycles.Agree(c.UserContext(), actor(c), person, cycle, in.Agreements)
	if err != nil {
		return err
	}
	return data(c, v)
}

func (s *Server) handleStartCoaching(c *fiber.Ctx) error {
	cycle, person, err := cycleAndPerson(c)
	if err != nil {
		return err
	}
	var in cycles.StartCoachingInput
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	p, err := s.cycles.StartCoaching(c.UserContext(), actor(c), person, cycle, in)
	if err != nil {
		return err
	}
	return created(c, p)
}

func (s *Server) handleMyCycles(c *fiber.Ctx) error {
	todo, err := s.cycles.MyToDo(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, todo)
}
