package ui

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/invitations"
)

func (s *Pages) renderInvitations(c *fiber.Ctx, status int, formErr error, form *invitations.Input) error {
	o, err := s.Invitations.Overview(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	d := invitationsPage{Overview: o, Form: invitations.Input{Role: app.RolePM}, Now: s.Now(), MailOff: s.Cfg.MailMode() == config.MailOff}
	if form != nil {
		d.Form = *form
	}
	p := kit.Page{Title: "Invitations", Nav: "invitations", Data: d, Flash: invitationFlash[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.RenderStatus(c, status, "invitations.html", p)
}

func (s *Pages) PageInvitations(c *fiber.Ctx) error {
	return s.renderInvitations(c, fiber.StatusOK, nil, nil)
}

func (s *Pages) PageInvitePost(c *fiber.Ctx) error {
	in := invitations.Input{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: c.FormValue("role")}
	if v, err := strconv.ParseInt(c.FormValue("team_id"), 10, 64); err == nil && v > 0 {
		in.TeamID = &v
	}
	if _, err := s.Invitations.Invite(c.UserContext(), kit.Actor(c), in); err != nil {
		return formError(err, func(status int) error { return s.renderInvitations(c, status, err, &in) })
	}
	return c.Redirect("/invitations?done=sent", fiber.StatusSeeOther)
}

func (s *Pages) PageInvitationResend(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Invitations.Resend(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/invitations?done=resent", fiber.StatusSeeOther)
}

func (s *Pages) PageInvitationRevoke(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Invitations.Revoke(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/invitations?done=revoked", fiber.StatusSeeOther)
}

func (s *Pages) PageAcceptInvitation(c *fiber.Ctx) error {
	token := c.Query("token")
	inv, err := s.Invitations.Open(c.UserContext(), token)
	return s.linkPage(c, "invitation_accept.html", "Join Teamshape", fiber.Map{"Token": token, "Invitation": inv}, err)
}

func (s *Pages) PageAcceptInvitationPost(c *fiber.Ctx) error {
	in := invitations.AcceptInput{Token: c.FormValue("token"), Password: c.FormValue("password")}
	if err := confirmed(c, "password", in.Password); err != nil {
		inv, _ := s.Invitations.Open(c.UserContext(), in.Token)
		return s.linkPage(c, "invitation_accept.html", "Join Teamshape", fiber.Map{"Token": in.Token, "Invitation": inv}, err)
	}
	res, err := s.AcceptInvitation(c, in)
	if err != nil {
		inv, _ := s.Invitations.Open(c.UserContext(), in.Token)
		return s.linkPage(c, "invitation_accept.html", "Join Teamshape", fiber.Map{"Token": in.Token, "Invitation": inv}, err)
	}
	s.setSessionCookie(c, res)
	return c.Redirect("/", fiber.StatusSeeOther) // pageHome sends each role to its page
}

func (s *Pages) PagePasswordReset(c *fiber.Ctx) error {
	return s.Render(c, "password_reset.html", kit.Page{Title: "Reset your password", Data: fiber.Map{"Email": c.Query("email"),
		"MailOff": s.Cfg.MailMode() == config.MailOff}})
}

func (s *Pages) PagePasswordResetPost(c *fiber.Ctx) error {
	in := accounts.ResetRequest{Email: c.FormValue("email"), IP: c.IP()}
	err := s.Accounts.RequestReset(c.UserContext(), in)
	d := fiber.Map{"Email": in.Email}
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.EINVALID && code != app.ETOOMANY {
			return err
		}
		var ae *app.Error
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
		}
		return s.RenderStatus(c, kit.StatusOf[code], "password_reset.html", kit.Page{Title: "Reset your password", Error: app.ErrorMessage(err), Data: d})
	}
	d["Sent"] = kit.MsgResetSent
	return s.RenderStatus(c, fiber.StatusAccepted, "password_reset.html", kit.Page{Title: "Reset your password", Data: d})
}

func (s *Pages) PagePasswordResetConfirm(c *fiber.Ctx) error {
	token := c.Query("token")
	u, err := s.Accounts.CheckResetLink(c.UserContext(), token)
	return s.linkPage(c, "password_reset_confirm.html", "Choose a new password", fiber.Map{"Token": token, "User": u}, err)
}

func (s *Pages) PagePasswordResetConfirmPost(c *fiber.Ctx) error {
	in := accounts.ConfirmInput{Token: c.FormValue("token"), NewPassword: c.FormValue("new_password")}
	err := confirmed(c, "new_password", in.NewPassword)
	if err == nil {
		err = s.Accounts.ConfirmReset(c.UserContext(), in)
	}
	if err != nil {
		u, _ := s.Accounts.CheckResetLink(c.UserContext(), in.Token)
		return s.linkPage(c, "password_reset_confirm.html", "Choose a new password", fiber.Map{"Token": in.Token, "User": u}, err)
	}
	return c.Redirect("/login?reset=done", fiber.StatusSeeOther)
}

func (s *Pages) PageSecurityPassword(c *fiber.Ctx) error {
	in := accounts.ChangeInput{CurrentPassword: c.FormValue("current_password"), NewPassword: c.FormValue("new_password"), IP: c.IP()}
	err := confirmed(c, "new_password", in.NewPassword)
	if err == nil {
		err = s.Accounts.ChangePassword(c.UserContext(), kit.Actor(c), in, s.LoginLimits())
	}
	if err != nil {
		if app.ErrorCode(err) == app.ETOOMANY {
			return s.renderSecurity(c, fiber.StatusTooManyRequests, err, nil)
		}
		return formError(err, func(status int) error { return s.renderSecurity(c, status, err, nil) })
	}
	return c.Redirect("/me/security?done=password", fiber.StatusSeeOther)
}

func (s *Pages) PageSecurityEndSession(c *fiber.Ctx) error {
	a := kit.Actor(c)
	id := c.Params("id")
	if err := s.Accounts.EndSession(c.UserContext(), a, id); err != nil {
		return err
	}
	if id == a.SessionID {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return c.Redirect("/me/security?done=ended", fiber.StatusSeeOther)
}

func (s *Pages) PageSecurityEndOthers(c *fiber.Ctx) error {
	if _, err := s.Accounts.EndOtherSessions(c.UserContext(), kit.Actor(c)); err != nil {
		return err
	}
	return c.Redirect("/me/security?done=others", fiber.StatusSeeOther)
}

type invitationsPage struct {
	*invitations.Overview
	Form    invitations.Input
	Now     time.Time
	MailOff bool // e-mail is not configured: invitations wait in the outbox
}

var invitationFlash = map[string]string{
	"sent":    "Invitation sent.",
	"resent":  "Invitation sent again, with a new link; the old one no longer works.",
	"revoked": "Invitation withdrawn; its link no longer works.",
}

// linkPage renders a page reached from an e-mail's link: a link that no longer works gets
// its status (404) and the page saying what to do instead, without the form.
func (s *Pages) linkPage(c *fiber.Ctx, name, title string, d fiber.Map, err error) error {
	status := fiber.StatusOK
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.ENOTFOUND && code != app.EINVALID && code != app.ECONFLICT && code != app.ETOOMANY {
			return err
		}
		status = kit.StatusOf[code]
		d["Dead"] = code == app.ENOTFOUND
	}
	p := kit.Page{Title: title, Data: d}
	if err != nil {
		p.Error = app.ErrorMessage(err)
	}
	return s.RenderStatus(c, status, name, p)
}

// confirmed checks a form's password against its confirmation field (name + "_confirm").
func confirmed(c *fiber.Ctx, name, pw string) error {
	if c.FormValue(name+"_confirm") != pw {
		return app.Invalid(name+"_confirm", "The two passwords differ; type the same password twice.")
	}
	return nil
}
