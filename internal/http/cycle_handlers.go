package http

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/cycles"
)

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

// compareCycleQuery reads the optional ?cycle= of a compare view: 0 (the person's latest
// cycle) when it is left out.
func compareCycleQuery(c *fiber.Ctx) (int64, error) {
	if c.Query("cycle") == "" {
		return 0, nil
	}
	return cycleQuery(c)
}

func (s *Server) handleCompare(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*cycles.CompareView, error) {
		cycle, err := compareCycleQuery(c)
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

// agreementsInput is the body of PUT /api/v1/cycles/:id/people/:person_id/agreements.
type agreementsInput struct {
	Agreements []cycles.AgreementInput `json:"agreements"`
}

func (s *Server) handleAgree(c *fiber.Ctx) error {
	cycle, person, err := cycleAndPerson(c)
	if err != nil {
		return err
	}
	var in agreementsInput
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
