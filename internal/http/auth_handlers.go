package http

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/config"
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

type loginResult struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      *app.User `json:"user"`
}

var errBadLogin = app.Errorf(app.EUNAUTHORIZED, "E-mail or password is incorrect.")

// login checks the throttle, then the password, and starts a session. Failures say the
// same thing whether or not the account exists, and take the same time.
func (s *Server) login(c *fiber.Ctx, email, password string) (*loginResult, error) {
	ctx := c.UserContext()
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		return nil, app.Invalid("email", "E-mail and password are required.")
	}
	ip := c.IP()
	th, err := s.store.FindLoginThrottle(ctx, email, ip, s.cfg.LoginWindow)
	if err != nil {
		return nil, err
	}
	if retry, locked := s.throttled(th); locked {
		return nil, &app.Error{Code: app.ETOOMANY, RetryAfter: retry,
			Message: "Too many failed sign-ins; wait a while and try again."}
	}
	u, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	var ok bool
	if u == nil {
		ok, err = auth.VerifyDummy(ctx, password)
	} else {
		ok, err = auth.VerifyPassword(ctx, password, u.PasswordHash)
		ok = ok && u.Active
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, email, ip); err != nil {
			return nil, err
		}
		return nil, errBadLogin
	}
	sess, err := s.store.CreateSession(ctx, u.ID, s.tokens.TTL(), ip, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return nil, err
	}
	tok, err := s.tokens.Issue(u.ID, u.OrgID, u.Role, sess.ID, s.now(), sess.ExpiresAt)
	if err != nil {
		return nil, err
	}
	return &loginResult{Token: tok, ExpiresAt: sess.ExpiresAt, User: u}, nil
}

// throttled reports whether a sign-in must wait, and how many seconds: when the e-mail
// failed too often from this address (that address only: a flood from one address does
// not lock the owner out on theirs), from every address together (guessing spread over
// many addresses), or this address failed too often for any e-mail. The limits are read
// per request, as the configuration holds them.
func (s *Server) throttled(th *app.LoginThrottle) (retry int, locked bool) {
	perAccount := s.cfg.LoginMaxPerAccount
	if perAccount < 1 { // a Config built in code, not read by config.FromEnv
		perAccount = config.DefaultLoginMaxPerAccount
	}
	for _, l := range []struct{ failures, limit, retry int }{
		{th.EmailIPFailures, s.cfg.LoginMaxPerEmail, th.EmailIPRetry},
		{th.EmailFailures, perAccount, th.EmailRetry},
		{th.IPFailures, s.cfg.LoginMaxPerIP, th.IPRetry},
	} {
		if l.failures >= l.limit {
			retry, locked = max(retry, l.retry, 1), true
		}
	}
	return retry, locked
}

func (s *Server) handleAPILogin(c *fiber.Ctx) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.login(c, in.Email, in.Password)
	if err != nil {
		return err
	}
	return data(c, res)
}

func (s *Server) handleAPILogout(c *fiber.Ctx) error {
	if err := s.store.RevokeSession(c.UserContext(), actor(c).SessionID); err != nil {
		return err
	}
	return data(c, fiber.Map{"signed_out": true})
}

func (s *Server) handleMe(c *fiber.Ctx) error {
	a := actor(c)
	u, err := s.store.FindUserByID(c.UserContext(), a.OrgID, a.UserID)
	if err != nil {
		return err
	}
	teams, err := s.store.FindTeams(c.UserContext(), a)
	if err != nil {
		return err
	}
	return data(c, fiber.Map{"user": u, "role": u.Role, "teams": teams})
}
