package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/hiring"
)

func (s *Server) handleListRequisitions(c *fiber.Ctx) error {
	f, err := requisitionFilter(c)
	if err != nil {
		return err
	}
	list, err := s.hiring.Requisitions(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return data(c, list)
}

func (s *Server) handleCreateRequisition(c *fiber.Ctx) error {
	return onBody(c, created, func(in hiring.RequisitionInput) (*app.Requisition, error) {
		return s.hiring.OpenRequisition(c.UserContext(), actor(c), in)
	})
}

func (s *Server) handleUpdateRequisition(c *fiber.Ctx) error {
	return onIDBody(c, data, func(id int64, in statusInput) (*app.Requisition, error) {
		return s.hiring.MoveRequisition(c.UserContext(), actor(c), id, in.Status)
	})
}
