package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/http/kit"
)

func (s *Handlers) HandleListRequisitions(c *fiber.Ctx) error {
	f, err := kit.RequisitionFilter(c)
	if err != nil {
		return err
	}
	list, err := s.Hiring.Requisitions(c.UserContext(), kit.Actor(c), f)
	if err != nil {
		return err
	}
	return kit.Data(c, list)
}

func (s *Handlers) HandleCreateRequisition(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in hiring.RequisitionInput) (*app.Requisition, error) {
		return s.Hiring.OpenRequisition(c.UserContext(), kit.Actor(c), in)
	})
}

func (s *Handlers) HandleUpdateRequisition(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, in StatusInput) (*app.Requisition, error) {
		return s.Hiring.MoveRequisition(c.UserContext(), kit.Actor(c), id, in.Status)
	})
}
