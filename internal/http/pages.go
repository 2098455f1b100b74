package http

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/dashboards"
)

func (s *Server) pageLogin(c *fiber.Ctx) error {
	if a, _, err := s.authenticate(c); err == nil && a != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	form := fiber.Map{"Next": safeNext(c.Query("next")), "Email": "", "Organisation": c.Query("organisation")}
	if err := s.signInOptions(c, form, c.Query("organisation")); err != nil {
		return err
	}
	p := page{Title: "Sign in", Data: form}
	if c.Query("reset") == "done" {
		p.Flash = "Your password is set and every session of the account has ended: sign in with the new password."
	}
	return s.render(c, "login.html", p)
}

// signInOptions puts how the named organisation signs in (SSO, password) into the sign-in
// form; an unknown or empty name leaves the usual form.
func (s *Server) signInOptions(c *fiber.Ctx, form fiber.Map, slug string) error {
	if slug == "" || !app.ValidSlug(slug) {
		return nil
	}
	o, err := s.sso.OptionsFor(c.UserContext(), slug)
	if app.ErrorCode(err) == app.ENOTFOUND {
		form["UnknownOrganisation"] = true
		return nil
	} else if err != nil {
		return err
	}
	form["Options"] = o
	return nil
}

// pageLoginPost signs in from the form. When the password opened accounts in several
// organisations, the form comes back with the e-mail and a choice of those organisations
// (the password is typed again: it is never written into a page).
func (s *Server) pageLoginPost(c *fiber.Ctx) error {
	in := loginInput{Email: c.FormValue("email"), Password: c.FormValue("password"), Organisation: c.FormValue("organisation")}
	next := safeNext(c.FormValue("next"))
	form := fiber.Map{"Next": next, "Email": in.Email, "Organisation": in.Organisation}
	res, choices, err := s.login(c, in)
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.EUNAUTHORIZED && code != app.ETOOMANY && code != app.EINVALID && err != accounts.ErrSSOOnly {
			return err
		}
		var ae *app.Error
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
		}
		return s.renderStatus(c, statusOf[code], "login.html", page{Title: "Sign in", Error: app.ErrorMessage(err), Data: form})
	}
	if choices != nil {
		form["Choices"] = choices
		return s.render(c, "login.html", page{Title: "Sign in", Data: form})
	}
	if res.SecondFactor {
		return s.render(c, "second_factor.html", page{Title: "Second factor", Data: fiber.Map{"Challenge": res.Challenge, "Next": next}})
	}
	s.setSessionCookie(c, res)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// pageSecondFactorPost checks the code asked for after the password.
func (s *Server) pageSecondFactorPost(c *fiber.Ctx) error {
	in := secondFactorInput{Challenge: c.FormValue("challenge"), Code: c.FormValue("code")}
	next := safeNext(c.FormValue("next"))
	res, err := s.finishLogin(c, in)
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.EUNAUTHORIZED && code != app.ETOOMANY && code != app.EINVALID {
			return err
		}
		var ae *app.Error
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
		}
		if err == errChallenge {
			return s.renderStatus(c, statusOf[code], "login.html", page{Title: "Sign in", Error: app.ErrorMessage(err), Data: fiber.Map{"Next": next}})
		}
		return s.renderStatus(c, statusOf[code], "second_factor.html", page{Title: "Second factor", Error: app.ErrorMessage(err),
			Data: fiber.Map{"Challenge": in.Challenge, "Next": next}})
	}
	s.setSessionCookie(c, res)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// setSessionCookie gives the browser the session.
func (s *Server) setSessionCookie(c *fiber.Ctx, res *loginResult) {
	c.Cookie(&fiber.Cookie{
		Name: cookieName, Value: res.Token, Path: "/", Expires: res.ExpiresAt,
		HTTPOnly: true, Secure: s.cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func (s *Server) pageLogout(c *fiber.Ctx) error {
	if err := s.store.RevokeSession(c.UserContext(), actor(c).SessionID); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HTTPOnly: true,
		Secure: s.cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// pageHome is where each role lands after signing in: a PM on their profile, HR on their
// partner teams, an admin on the organisation view, a leader on their team's dashboard
// when they lead one team (else on the list of their teams).
func (s *Server) pageHome(c *fiber.Ctx) error {
	a := actor(c)
	home := "/teams"
	switch a.Role {
	case app.RolePM:
		home = "/me/profile"
	case app.RoleHR:
		home = "/hr"
	case app.RoleAdmin:
		home = "/org"
	case app.RoleLeader:
		teams, err := s.store.FindTeams(c.UserContext(), a)
		if err != nil {
			return err
		}
		if len(teams) == 1 {
			home = "/teams/" + strconv.FormatInt(teams[0].ID, 10)
		}
	}
	return c.Redirect(home, fiber.StatusSeeOther)
}

// teamsPage lists the caller's teams, each with its figures (the rollup's summary), so a
// leader sees at a glance which team is thin. An admin sees every team of the organisation
// without figures: their rollup is the organisation view.
type teamsPage struct {
	Teams   []app.Team
	Figures map[int64]*dashboards.TeamSummary // nil for an admin
}

func (s *Server) pageTeams(c *fiber.Ctx) error {
	teams, figures, err := s.dashboards.MyTeams(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return s.render(c, "teams.html", page{Title: "Teams", Nav: "teams", Data: teamsPage{Teams: teams, Figures: figures}})
}
