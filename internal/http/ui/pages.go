package ui

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/http/kit"
)

func (s *Pages) PageLogin(c *fiber.Ctx) error {
	if a, _, err := s.Authenticate(c); err == nil && a != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	form := fiber.Map{"Next": kit.SafeNext(c.Query("next")), "Email": "", "Organisation": c.Query("organisation")}
	if err := s.signInOptions(c, form, c.Query("organisation")); err != nil {
		return err
	}
	p := kit.Page{Title: "Sign in", Data: form}
	if c.Query("reset") == "done" {
		p.Flash = "Your password is set and every session of the account has ended: sign in with the new password."
	}
	return s.Render(c, "login.html", p)
}

// signInOptions puts how the named organisation signs in (SSO, password) into the sign-in
// form; an unknown or empty name leaves the usual form.
func (s *Pages) signInOptions(c *fiber.Ctx, form fiber.Map, slug string) error {
	if slug == "" || !app.ValidSlug(slug) {
		return nil
	}
	o, err := s.SSO.OptionsFor(c.UserContext(), slug)
	if app.ErrorCode(err) == app.ENOTFOUND {
		form["UnknownOrganisation"] = true
		return nil
	} else if err != nil {
		return err
	}
	form["Options"] = o
	return nil
}

// PageLoginPost signs in from the form. When the password opened accounts in several
// organisations, the form comes back with the e-mail and a choice of those organisations
// (the password is typed again: it is never written into a page).
func (s *Pages) PageLoginPost(c *fiber.Ctx) error {
	in := kit.LoginInput{Email: c.FormValue("email"), Password: c.FormValue("password"), Organisation: c.FormValue("organisation")}
	next := kit.SafeNext(c.FormValue("next"))
	form := fiber.Map{"Next": next, "Email": in.Email, "Organisation": in.Organisation}
	res, choices, err := s.Login(c, in)
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.EUNAUTHORIZED && code != app.ETOOMANY && code != app.EINVALID && err != accounts.ErrSSOOnly {
			return err
		}
		var ae *app.Error
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
		}
		return s.RenderStatus(c, kit.StatusOf[code], "login.html", kit.Page{Title: "Sign in", Error: app.ErrorMessage(err), Data: form})
	}
	if choices != nil {
		form["Choices"] = choices
		return s.Render(c, "login.html", kit.Page{Title: "Sign in", Data: form})
	}
	if res.SecondFactor {
		return s.Render(c, "second_factor.html", kit.Page{Title: "Second factor", Data: fiber.Map{"Challenge": res.Challenge, "Next": next}})
	}
	s.setSessionCookie(c, res)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// PageSecondFactorPost checks the code asked for after the password.
func (s *Pages) PageSecondFactorPost(c *fiber.Ctx) error {
	in := kit.SecondFactorInput{Challenge: c.FormValue("challenge"), Code: c.FormValue("code")}
	next := kit.SafeNext(c.FormValue("next"))
	res, err := s.FinishLogin(c, in)
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.EUNAUTHORIZED && code != app.ETOOMANY && code != app.EINVALID {
			return err
		}
		var ae *app.Error
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(ae.RetryAfter))
		}
		if err == kit.ErrChallenge {
			return s.RenderStatus(c, kit.StatusOf[code], "login.html", kit.Page{Title: "Sign in", Error: app.ErrorMessage(err), Data: fiber.Map{"Next": next}})
		}
		return s.RenderStatus(c, kit.StatusOf[code], "second_factor.html", kit.Page{Title: "Second factor", Error: app.ErrorMessage(err),
			Data: fiber.Map{"Challenge": in.Challenge, "Next": next}})
	}
	s.setSessionCookie(c, res)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// setSessionCookie gives the browser the session.
func (s *Pages) setSessionCookie(c *fiber.Ctx, res *kit.LoginResult) {
	c.Cookie(&fiber.Cookie{
		Name: kit.CookieName, Value: res.Token, Path: "/", Expires: res.ExpiresAt,
		HTTPOnly: true, Secure: s.Cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func (s *Pages) PageLogout(c *fiber.Ctx) error {
	if err := s.Accounts.SignOut(c.UserContext(), kit.Actor(c)); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: kit.CookieName, Value: "", Path: "/", MaxAge: -1, HTTPOnly: true,
		Secure: s.Cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// PageHome is where each role lands after signing in: a PM on their profile, HR on their
// partner teams, an admin on the organisation view, a leader on their team's dashboard
// when they lead one team (else on the list of their teams).
func (s *Pages) PageHome(c *fiber.Ctx) error {
	a := kit.Actor(c)
	home := "/teams"
	switch a.Role {
	case app.RolePM:
		home = "/me/profile"
	case app.RoleHR:
		home = "/hr"
	case app.RoleAdmin:
		home = "/org"
	case app.RoleLeader:
		teams, err := s.People.Teams(c.UserContext(), a)
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

func (s *Pages) PageTeams(c *fiber.Ctx) error {
	teams, figures, err := s.Dashboards.MyTeams(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return s.Render(c, "teams.html", kit.Page{Title: "Teams", Nav: "teams", Data: teamsPage{Teams: teams, Figures: figures}})
}
