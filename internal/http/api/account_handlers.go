package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/invitations"
)

// Invitations, password change and reset, sessions (issue 17): the API and the pages call
// the same methods of internal/invitations and internal/accounts.

// --- the API

func (s *Handlers) HandleInvite(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Created, func(in invitations.Input) (*app.Invitation, error) {
		return s.Invitations.Invite(c.UserContext(), kit.Actor(c), in)
	})
}

func (s *Handlers) HandleListInvitations(c *fiber.Ctx) error {
	list, err := s.Invitations.List(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, list)
}

func (s *Handlers) HandleRevokeInvitation(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Invitations.Revoke(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Handlers) HandleResendInvitation(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Data, func(id int64) (*app.Invitation, error) {
		return s.Invitations.Resend(c.UserContext(), kit.Actor(c), id)
	})
}

func (s *Handlers) HandleAcceptInvitation(c *fiber.Ctx) error {
	return kit.OnBody(c, kit.Data, func(in invitations.AcceptInput) (*kit.LoginResult, error) { return s.AcceptInvitation(c, in) })
}

func (s *Handlers) HandleChangePassword(c *fiber.Ctx) error {
	var in accounts.ChangeInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	in.IP = c.IP()
	if err := s.Accounts.ChangePassword(c.UserContext(), kit.Actor(c), in, s.LoginLimits()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Handlers) HandlePasswordReset(c *fiber.Ctx) error {
	var in accounts.ResetRequest
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	in.IP = c.IP()
	if err := s.Accounts.RequestReset(c.UserContext(), in); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"data": ResetSent{Message: kit.MsgResetSent}})
}

// ResetSent answers every password-reset request.
type ResetSent struct {
	Message string `json:"message"`
}

func (s *Handlers) HandlePasswordResetConfirm(c *fiber.Ctx) error {
	var in accounts.ConfirmInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.Accounts.ConfirmReset(c.UserContext(), in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Handlers) HandleListSessions(c *fiber.Ctx) error {
	list, err := s.Accounts.Sessions(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, list)
}

func (s *Handlers) HandleEndSession(c *fiber.Ctx) error {
	if err := s.Accounts.EndSession(c.UserContext(), kit.Actor(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// --- the pages
