package http

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// errRoleRefused is the answer when the route does not admit the caller's role.
var errRoleRefused = app.Errorf(app.EFORBIDDEN, "Your role cannot use this.")

// errMustEnrol answers an admin who must turn on a second factor first.
var errMustEnrol = app.Errorf(app.EFORBIDDEN, "Your organisation requires admins to use a second factor: turn it on on the Security page (/me/security) first.")

// guard authenticates the request (Bearer header for the API, the session cookie for
// pages), checks the route's roles, and checks CSRF on cookie-authenticated writes. After a
// write it waits for the session cache to catch up, so that the caller's next request on
// this instance sees what the write changed (a sign-out, a role, a data version).
func (s *Server) guard(r Route) fiber.Handler {
	check := s.check(r)
	return func(c *fiber.Ctx) error {
		err := check(c)
		if kit.IsUnsafe(c.Method()) {
			s.SessionCache.CatchUp(c.UserContext())
		}
		return err
	}
}

func (s *Server) check(r Route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if r.Roles == nil {
			if r.SameOrigin && !sameOrigin(c) {
				return app.Errorf(app.EFORBIDDEN, "Cross-site request refused.")
			}
			return c.Next()
		}
		a, viaCookie, err := s.Authenticate(c)
		if err != nil {
			return err
		}
		if viaCookie && kit.IsUnsafe(c.Method()) {
			if !sameOrigin(c) {
				return app.Errorf(app.EFORBIDDEN, "Cross-site request refused.")
			}
			tok := c.Get("X-CSRF-Token")
			if tok == "" {
				tok = c.FormValue("_csrf")
			}
			if !s.Tokens.CheckCSRF(a.SessionID, tok) {
				return app.Errorf(app.EFORBIDDEN, "The form has expired or did not come from this site; reload the page and try again.")
			}
		}
		c.Locals(kit.ActorKey, a) // also lets an error page show who is signed in
		if !a.Is(r.Roles...) {
			return errRoleRefused
		}
		if a.MustEnrolTOTP && !r.Enrol {
			if !kit.IsAPI(c) && c.Method() == fiber.MethodGet {
				return c.Redirect("/me/security", fiber.StatusSeeOther)
			}
			return errMustEnrol
		}
		c.SetUserContext(app.WithActor(c.UserContext(), a))
		return c.Next()
	}
}

// sameOrigin refuses a request whose Origin (or, failing that, Referer) names another
// host. Browsers send Origin on every cross-site POST.
func sameOrigin(c *fiber.Ctx) bool {
	src := c.Get(fiber.HeaderOrigin)
	if src == "" {
		src = c.Get(fiber.HeaderReferer)
	}
	if src == "" {
		return true // not a browser form post (curl, API clients)
	}
	u, err := url.Parse(src)
	if err != nil {
		return false
	}
	return u.Host == c.Hostname()
}
