package http

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
)

func (s *Server) handleHealthz(c *fiber.Ctx) error { return data(c, fiber.Map{"status": "ok"}) }

func (s *Server) handleReadyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		return app.Errorf(app.EUNAVAILABLE, "The database is not reachable.")
	}
	return data(c, fiber.Map{"status": "ready"})
}

// msgChooseOrganisation answers a password that opened accounts in several organisations.
const msgChooseOrganisation = "This e-mail and password open accounts in several organisations: choose the one to sign in to."

func (s *Server) handleAPISecondFactor(c *fiber.Ctx) error {
	var in secondFactorInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.finishLogin(c, in)
	if err != nil {
		return err
	}
	return data(c, res)
}

func (s *Server) handleAPILogin(c *fiber.Ctx) error {
	var in loginInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, choices, err := s.login(c, in)
	if err != nil {
		return err
	}
	if choices != nil {
		return c.Status(statusOf[app.EINVALID]).JSON(loginChoices{Error: loginChoicesBody{
			Code: app.EINVALID, Field: "organisation", Message: msgChooseOrganisation, Organisations: choices}})
	}
	return data(c, res)
}

// loginChoices is the 422 of a password that opened accounts in several organisations.
type loginChoices struct {
	Error loginChoicesBody `json:"error"`
}

type loginChoicesBody struct {
	Code          string            `json:"code"`
	Field         string            `json:"field"`
	Message       string            `json:"message"`
	Organisations []accounts.Choice `json:"organisations"`
}

// signedOut answers a sign-out.
type signedOut struct {
	SignedOut bool `json:"signed_out"`
}

// meView is the caller, their role and teams.
type meView struct {
	Role  string     `json:"role"`
	Teams []app.Team `json:"teams"`
	User  *app.User  `json:"user"`
}

func (s *Server) handleAPILogout(c *fiber.Ctx) error {
	if err := s.store.RevokeSession(c.UserContext(), actor(c).SessionID); err != nil {
		return err
	}
	return data(c, signedOut{SignedOut: true})
}

// handleMe answers from the view cache: the user and their teams are dashboard inputs, so
// any change to them bumps the organisation's data version.
func (s *Server) handleMe(c *fiber.Ctx) error {
	return s.cachedJSON(c, s.viewKey(c, "me", 0, "", ""), func() (any, error) {
		a := actor(c)
		u, err := s.store.FindUserByID(c.UserContext(), a.OrgID, a.UserID)
		if err != nil {
			return nil, err
		}
		teams, err := s.store.FindTeams(c.UserContext(), a)
		if err != nil {
			return nil, err
		}
		return meView{User: u, Role: u.Role, Teams: teams}, nil
	})
}
