package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
)

func (s *Handlers) HandleHealthz(c *fiber.Ctx) error { return kit.Data(c, fiber.Map{"status": "ok"}) }

func (s *Handlers) HandleReadyz(c *fiber.Ctx) error {
	if err := s.Accounts.Ready(c.UserContext()); err != nil {
		return err
	}
	return kit.Data(c, fiber.Map{"status": "ready"})
}

// msgChooseOrganisation answers a password that opened accounts in several organisations.
const msgChooseOrganisation = "This e-mail and password open accounts in several organisations: choose the one to sign in to."

func (s *Handlers) HandleAPISecondFactor(c *fiber.Ctx) error {
	var in kit.SecondFactorInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.FinishLogin(c, in)
	if err != nil {
		return err
	}
	return kit.Data(c, res)
}

func (s *Handlers) HandleAPILogin(c *fiber.Ctx) error {
	var in kit.LoginInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	res, choices, err := s.Login(c, in)
	if err != nil {
		return err
	}
	if choices != nil {
		return c.Status(kit.StatusOf[app.EINVALID]).JSON(LoginChoices{Error: loginChoicesBody{
			Code: app.EINVALID, Field: "organisation", Message: msgChooseOrganisation, Organisations: choices}})
	}
	return kit.Data(c, res)
}

// LoginChoices is the 422 of a password that opened accounts in several organisations.
type LoginChoices struct {
	Error loginChoicesBody `json:"error"`
}

type loginChoicesBody struct {
	Code          string            `json:"code"`
	Field         string            `json:"field"`
	Message       string            `json:"message"`
	Organisations []accounts.Choice `json:"organisations"`
}

// SignedOut answers a sign-out.
type SignedOut struct {
	SignedOut bool `json:"signed_out"`
}

// MeView is the caller, their role and teams.
type MeView struct {
	Role  string     `json:"role"`
	Teams []app.Team `json:"teams"`
	User  *app.User  `json:"user"`
}

func (s *Handlers) HandleAPILogout(c *fiber.Ctx) error {
	if err := s.Accounts.SignOut(c.UserContext(), kit.Actor(c)); err != nil {
		return err
	}
	return kit.Data(c, SignedOut{SignedOut: true})
}

// HandleMe answers from the view cache: the user and their teams are dashboard inputs, so
// any change to them bumps the organisation's data version.
func (s *Handlers) HandleMe(c *fiber.Ctx) error {
	return s.CachedJSON(c, s.ViewKey(c, "me", 0, "", ""), func() (any, error) {
		me, err := s.Accounts.Me(c.UserContext(), kit.Actor(c))
		if err != nil {
			return nil, err
		}
		return MeView{User: me.User, Role: me.User.Role, Teams: me.Teams}, nil
	})
}
