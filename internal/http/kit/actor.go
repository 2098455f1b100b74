package kit

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// errContextDeadline is a request that ran out of its time (the error table answers 503).
var errContextDeadline = context.DeadlineExceeded

// CookieName is the pages' session cookie (the API sends a Bearer token instead).
const CookieName = "teamshape_session"

// ActorKey is where the guard leaves the authenticated caller in the request (Actor reads it).
const ActorKey localKey = "actor"

// Authenticate finds the caller from the token and checks its session is live; the
// role comes from the database (through the session cache, which PostgreSQL invalidates),
// so a changed role or a deactivation applies at once.
func (s *Deps) Authenticate(c *fiber.Ctx) (a *app.Actor, viaCookie bool, err error) {
	raw := ""
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, false, app.Errorf(app.EUNAUTHORIZED, "Use an Authorization: Bearer token.")
		}
		raw = strings.TrimSpace(tok)
	} else if ck := c.Cookies(CookieName); ck != "" {
		raw, viaCookie = ck, true
	}
	if raw == "" {
		return nil, false, app.Errorf(app.EUNAUTHORIZED, "Sign in first.")
	}
	claims, err := s.Tokens.Parse(raw)
	if err != nil {
		return nil, false, app.Errorf(app.EUNAUTHORIZED, "Your session is invalid or has expired; sign in again.")
	}
	uid, _ := claims.UserID()
	a, err = s.SessionCache.Find(c.UserContext(), claims.SessionID, uid)
	if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && a.OrgID != claims.OrgID) {
		return nil, false, app.Errorf(app.EUNAUTHORIZED, "Your session has ended; sign in again.")
	} else if err != nil {
		return nil, false, err
	}
	return a, viaCookie, nil
}

// Actor returns the authenticated caller; guarded routes always have one.
func Actor(c *fiber.Ctx) *app.Actor {
	a, ok := c.Locals(ActorKey).(*app.Actor)
	if !ok || a == nil {
		panic("http: actor missing on a guarded route")
	}
	return a
}

// IsUnsafe reports whether a method may change something (the guard checks CSRF on those).
func IsUnsafe(method string) bool {
	switch method {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return false
	}
	return true
}

// localKey keys what this package keeps in a request's locals.
type localKey string
