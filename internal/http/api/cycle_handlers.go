package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/http/kit"
)

func (s *Handlers) HandleTeamCycles(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) ([]app.Cycle, error) {
		v, err := s.Cycles.TeamCycles(c.UserContext(), kit.Actor(c), id)
		if err != nil {
			return nil, err
		}
		return v.Cycles, nil
	})
}

func (s *Handlers) HandleOpenCycle(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Created, func(id int64, in cycles.OpenInput) (*app.Cycle, error) {
		return s.Cycles.Open(c.UserContext(), kit.Actor(c), id, in)
	})
}

// OpenCyclesInput opens the same cycle for several teams.
type OpenCyclesInput struct {
	TeamIDs []int64 `json:"team_ids"`
	cycles.OpenInput
}

func (s *Handlers) HandleOpenCycles(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in OpenCyclesInput) ([]app.Cycle, error) {
		return s.Cycles.OpenForTeams(c.UserContext(), kit.Actor(c), in.TeamIDs, in.OpenInput)
	})
}

func (s *Handlers) HandleTeamFlags(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) ([]cycles.Flag, error) {
		return s.Cycles.TeamFlags(c.UserContext(), kit.Actor(c), id)
	})
}

func (s *Handlers) HandleGetCycle(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*cycles.View, error) {
		return s.Cycles.Get(c.UserContext(), kit.Actor(c), id)
	})
}

func (s *Handlers) HandleCloseCycle(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*cycles.View, error) {
		return s.Cycles.Close(c.UserContext(), kit.Actor(c), id)
	})
}

func (s *Handlers) HandleCompare(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*cycles.CompareView, error) {
		cycle, err := kit.CompareCycleQuery(c)
		if err != nil {
			return nil, err
		}
		return s.Cycles.Compare(c.UserContext(), kit.Actor(c), id, cycle)
	})
}

// AgreementsInput is the body of PUT /api/v1/cycles/:id/people/:person_id/agreements.
type AgreementsInput struct {
	Agreements []cycles.AgreementInput `json:"agreements"`
}

func (s *Handlers) HandleAgree(c *fiber.Ctx) error {
	cycle, person, err := kit.CycleAndPerson(c)
	if err != nil {
		return err
	}
	var in AgreementsInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	v, err := s.Cycles.Agree(c.UserContext(), kit.Actor(c), person, cycle, in.Agreements)
	if err != nil {
		return err
	}
	return kit.Data(c, v)
}

func (s *Handlers) HandleStartCoaching(c *fiber.Ctx) error {
	cycle, person, err := kit.CycleAndPerson(c)
	if err != nil {
		return err
	}
	var in cycles.StartCoachingInput
	if len(c.Body()) > 0 {
		if err := kit.DecodeJSON(c, &in); err != nil {
			return err
		}
	}
	p, err := s.Cycles.StartCoaching(c.UserContext(), kit.Actor(c), person, cycle, in)
	if err != nil {
		return err
	}
	return kit.Created(c, p)
}

func (s *Handlers) HandleMyCycles(c *fiber.Ctx) error {
	todo, err := s.Cycles.MyToDo(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, todo)
}
