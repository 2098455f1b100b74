package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// coaching is the coaching service over the server's store and clock.
func (s *Handlers) HandleListCoachingPlans(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) ([]app.CoachingPlan, error) {
		plans, _, err := s.Coaching.Plans(c.UserContext(), kit.Actor(c), id)
		return plans, err
	})
}

func (s *Handlers) HandleCreateCoachingPlan(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Created, func(id int64, in coaching.PlanInput) (*app.CoachingPlan, error) {
		return s.Coaching.CreatePlan(c.UserContext(), kit.Actor(c), id, in)
	})
}

func (s *Handlers) HandleCoachingSuggestions(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*coaching.Suggestions, error) {
		return s.Coaching.Suggest(c.UserContext(), kit.Actor(c), id)
	})
}

func (s *Handlers) HandleGetCoachingPlan(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*app.CoachingPlan, error) {
		p, _, err := s.Coaching.Plan(c.UserContext(), kit.Actor(c), id)
		return p, err
	})
}

func (s *Handlers) HandleUpdateCoachingPlan(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, in coaching.PlanInput) (*app.CoachingPlan, error) {
		return s.Coaching.UpdatePlan(c.UserContext(), kit.Actor(c), id, in)
	})
}

func (s *Handlers) HandleCreateCheckIn(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Created, func(id int64, in coaching.CheckInInput) (*app.CheckIn, error) {
		return s.Coaching.AddCheckIn(c.UserContext(), kit.Actor(c), id, in)
	})
}

func (s *Handlers) HandleCarryOver(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Created, func(id int64) (*app.CoachingPlan, error) {
		return s.Coaching.CarryOver(c.UserContext(), kit.Actor(c), id)
	})
}

func (s *Handlers) HandleSetActionStatus(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, in StatusInput) (*app.CoachingAction, error) {
		return s.Coaching.SetActionStatus(c.UserContext(), kit.Actor(c), id, in.Status)
	})
}

func (s *Handlers) HandleSetReflection(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in ReflectionInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	text, err := s.Coaching.SetReflection(c.UserContext(), kit.Actor(c), id, in.Reflection)
	if err != nil {
		return err
	}
	return kit.Data(c, ReflectionView{ID: id, Reflection: text})
}

// StatusInput moves an action or a requisition to another status.
type StatusInput struct {
	Status string `json:"status"`
}

// ReflectionInput is the PM's reflection on a check-in; reflectionView, the one kept.
type ReflectionInput struct {
	Reflection string `json:"reflection"`
}

type ReflectionView struct {
	ID         int64  `json:"id"`
	Reflection string `json:"reflection"`
}
