package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/sso"
)

// Single sign-on (internal/sso) and the second factor (internal/mfa): the API and the
// pages call the same service methods.

// ---- SSO settings: admins ----

func (s *Server) handleGetSSO(c *fiber.Ctx) error {
	st, err := s.sso.Settings(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, st)
}

func (s *Server) handlePutSSO(c *fiber.Ctx) error {
	var in sso.SettingsInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := s.sso.Save(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return data(c, st)
}

// orgSecurity is the organisation's second-factor rule.
type orgSecurity struct {
	RequireAdminTOTP *bool `json:"require_admin_totp"`
}

func (s *Server) handleGetOrgSecurity(c *fiber.Ctx) error {
	st, err := s.factors.Status(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, orgSecurity{RequireAdminTOTP: &st.RequiredAdmin})
}

func (s *Server) handlePutOrgSecurity(c *fiber.Ctx) error {
	var in orgSecurity
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.RequireAdminTOTP == nil {
		return app.Invalid("require_admin_totp", "require_admin_totp (true or false) is required.")
	}
	if err := s.factors.SetRequireForAdmins(c.UserContext(), actor(c), *in.RequireAdminTOTP); err != nil {
		return err
	}
	return data(c, in)
}

// ---- the second factor: every user's own ----

type codeInput struct {
	Code string `json:"code"`
}

// recoveryCodes answers a confirmed second factor and new recovery codes: shown only then.
type recoveryCodes struct {
	Codes []string `json:"recovery_codes"`
}

func (s *Server) handleTOTPStatus(c *fiber.Ctx) error {
	st, err := s.factors.Status(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	st.Setup = nil // its secret is given once, by POST
	return data(c, st)
}

func (s *Server) handleTOTPBegin(c *fiber.Ctx) error {
	setup, err := s.factors.Begin(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return created(c, setup)
}

func (s *Server) handleTOTPConfirm(c *fiber.Ctx) error {
	var in codeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	codes, err := s.factors.Confirm(c.UserContext(), actor(c), in.Code)
	if err != nil {
		return err
	}
	return data(c, recoveryCodes{Codes: codes})
}

func (s *Server) handleRecoveryCodes(c *fiber.Ctx) error {
	var in codeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	codes, err := s.factors.NewRecoveryCodes(c.UserContext(), actor(c), in.Code)
	if err != nil {
		return err
	}
	return data(c, recoveryCodes{Codes: codes})
}

func (s *Server) handleTOTPDisable(c *fiber.Ctx) error {
	var in codeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.factors.Disable(c.UserContext(), actor(c), in.Code); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ---- pages ----
