package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/sso"
)

// Single sign-on (internal/sso) and the second factor (internal/mfa): the API and the
// pages call the same service methods.

// ---- SSO settings: admins ----

func (s *Handlers) HandleGetSSO(c *fiber.Ctx) error {
	st, err := s.SSO.Settings(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, st)
}

func (s *Handlers) HandlePutSSO(c *fiber.Ctx) error {
	var in sso.SettingsInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	st, err := s.SSO.Save(c.UserContext(), kit.Actor(c), in)
	if err != nil {
		return err
	}
	return kit.Data(c, st)
}

// OrgSecurity is the organisation's second-factor rule.
type OrgSecurity struct {
	RequireAdminTOTP *bool `json:"require_admin_totp"`
}

func (s *Handlers) HandleGetOrgSecurity(c *fiber.Ctx) error {
	st, err := s.Factors.Status(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, OrgSecurity{RequireAdminTOTP: &st.RequiredAdmin})
}

func (s *Handlers) HandlePutOrgSecurity(c *fiber.Ctx) error {
	var in OrgSecurity
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.RequireAdminTOTP == nil {
		return app.Invalid("require_admin_totp", "require_admin_totp (true or false) is required.")
	}
	if err := s.Factors.SetRequireForAdmins(c.UserContext(), kit.Actor(c), *in.RequireAdminTOTP); err != nil {
		return err
	}
	return kit.Data(c, in)
}

// ---- the second factor: every user's own ----

type CodeInput struct {
	Code string `json:"code"`
}

// RecoveryCodes answers a confirmed second factor and new recovery codes: shown only then.
type RecoveryCodes struct {
	Codes []string `json:"recovery_codes"`
}

func (s *Handlers) HandleTOTPStatus(c *fiber.Ctx) error {
	st, err := s.Factors.Status(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	st.Setup = nil // its secret is given once, by POST
	return kit.Data(c, st)
}

func (s *Handlers) HandleTOTPBegin(c *fiber.Ctx) error {
	setup, err := s.Factors.Begin(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Created(c, setup)
}

func (s *Handlers) HandleTOTPConfirm(c *fiber.Ctx) error {
	var in CodeInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	codes, err := s.Factors.Confirm(c.UserContext(), kit.Actor(c), in.Code)
	if err != nil {
		return err
	}
	return kit.Data(c, RecoveryCodes{Codes: codes})
}

func (s *Handlers) HandleRecoveryCodes(c *fiber.Ctx) error {
	var in CodeInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	codes, err := s.Factors.NewRecoveryCodes(c.UserContext(), kit.Actor(c), in.Code)
	if err != nil {
		return err
	}
	return kit.Data(c, RecoveryCodes{Codes: codes})
}

func (s *Handlers) HandleTOTPDisable(c *fiber.Ctx) error {
	var in CodeInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.Factors.Disable(c.UserContext(), kit.Actor(c), in.Code); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ---- pages ----
