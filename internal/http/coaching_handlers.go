package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
)

// coaching is the coaching service over the server's store and clock.
func (s *Server) handleListCoachingPlans(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) ([]app.CoachingPlan, error) {
		plans, _, err := s.coaching.Plans(c.UserContext(), actor(c), id)
		return plans, err
	})
}

func (s *Server) handleCreateCoachingPlan(c *fiber.Ctx) error {
	return onIDBody(c, created, func(id int64, in coaching.PlanInput) (*app.CoachingPlan, error) {
		return s.coaching.CreatePlan(c.UserContext(), actor(c), id, in)
	})
}

func (s *Server) handleCoachingSuggestions(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*coaching.Suggestions, error) {
		return s.coaching.Suggest(c.UserContext(), actor(c), id)
	})
}

func (s *Server) handleGetCoachingPlan(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*app.CoachingPlan, error) {
		p, _, err := s.coaching.Plan(c.UserContext(), actor(c), id)
		return p, err
	})
}

func (s *Server) handleUpdateCoachingPlan(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, in coaching.PlanInput) (*app.CoachingPlan, error) {
		return s.coaching.UpdatePlan(c.UserContext(), actor(c), id, in)
	})
}

func (s *Server) handleCreateCheckIn(c *fiber.Ctx) error {
	return onIDBody(c, created, func(id int64, in coaching.CheckInInput) (*app.CheckIn, error) {
		return s.coaching.AddCheckIn(c.UserContext(), actor(c), id, in)
	})
}

func (s *Server) handleCarryOver(c *fiber.Ctx) error {
	return onID(c, created, func(id int64) (*app.CoachingPlan, error) {
		return s.coaching.CarryOver(c.UserContext(), actor(c), id)
	})
}

func (s *Server) handleSetActionStatus(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, in struct {
		Status string `json:"status"`
	}) (*app.CoachingAction, error) {
		return s.coaching.SetActionStatus(c.UserContext(), actor(c), id, in.Status)
	})
}

func (s *Server) handleSetReflection(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Reflection string `json:"reflection"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	text, err := s.coaching.SetReflection(c.UserContext(), actor(c), id, in.Reflection)
	if err != nil {
		return err
	}
	return data(c, fiber.Map{"id": id, "reflection": text})
}
