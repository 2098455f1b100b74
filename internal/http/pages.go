package http

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/dashboards"
)

func (s *Server) pageLogin(c *fiber.Ctx) error {
	if a, _, err := s.authenticate(c); err == nil && a != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	p := page{Title: "Sign in", Data: fiber.Map{"Next": safeNext(c.Query("next")), "Email": "", "Organisation": c.Query("organisation")}}
	if c.Query("reset") == "done" {
		p.Flash = "Your password is set and every session of the account has ended: sign in with the new password."
	}
	return s.render(c, "login.html", p)
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
		if code != app.EUNAUTHORIZED && code != app.ETOOMANY && code != app.EINVALID {
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
	s.setSessionCookie(c, res)
	return c.Redirect(next, fiber.StatusSeeOther)
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
