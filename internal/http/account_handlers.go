package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/invitations"
)

// Invitations, password change and reset, sessions (issue 17): the API and the pages call
// the same methods of internal/invitations and internal/accounts.

// --- the API

func (s *Server) handleInvite(c *fiber.Ctx) error {
	return onBody(c, created, func(in invitations.Input) (*app.Invitation, error) {
		return s.invitations.Invite(c.UserContext(), actor(c), in)
	})
}

func (s *Server) handleListInvitations(c *fiber.Ctx) error {
	list, err := s.invitations.List(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, list)
}

func (s *Server) handleRevokeInvitation(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.invitations.Revoke(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) handleResendInvitation(c *fiber.Ctx) error {
	return onID(c, data, func(id int64) (*app.Invitation, error) {
		return s.invitations.Resend(c.UserContext(), actor(c), id)
	})
}

func (s *Server) handleAcceptInvitation(c *fiber.Ctx) error {
	return onBody(c, data, func(in invitations.AcceptInput) (*loginResult, error) { return s.accept(c, in) })
}

func (s *Server) handleChangePassword(c *fiber.Ctx) error {
	var in accounts.ChangeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.IP = c.IP()
	if err := s.accounts.ChangePassword(c.UserContext(), actor(c), in, s.loginLimits()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) handlePasswordReset(c *fiber.Ctx) error {
	var in accounts.ResetRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.IP = c.IP()
	if err := s.accounts.RequestReset(c.UserContext(), in); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"data": resetSent{Message: msgResetSent}})
}

// resetSent answers every password-reset request.
type resetSent struct {
	Message string `json:"message"`
}

func (s *Server) handlePasswordResetConfirm(c *fiber.Ctx) error {
	var in accounts.ConfirmInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.accounts.ConfirmReset(c.UserContext(), in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) handleListSessions(c *fiber.Ctx) error {
	list, err := s.accounts.Sessions(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, list)
}

func (s *Server) handleEndSession(c *fiber.Ctx) error {
	if err := s.accounts.EndSession(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// --- the pages
