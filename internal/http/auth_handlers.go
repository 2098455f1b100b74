package http

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
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
	Token     string    `json:"token,omitempty"`
	ExpiresAt time.Time `json:"expires_at"`
	User      *app.User `json:"user,omitempty"`
	// SecondFactor: the password was right and the account has a second factor: send
	// Challenge with a code to /api/v1/auth/login/second-factor (before ExpiresAt).
	SecondFactor bool   `json:"second_factor_required,omitempty" description:"true: the password was right and the account has a second factor; no token yet: send challenge with a code to POST /api/v1/auth/login/second-factor before expires_at."`
	Challenge    string `json:"challenge,omitempty" description:"With second_factor_required: what POST /api/v1/auth/login/second-factor takes with the code."`
}

// challengeTTL is how long the code may take after the password.
const challengeTTL = 5 * time.Minute

// loginInput is a sign-in: the API's JSON body and the page's form alike.
type loginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// Organisation (a slug) is needed only when the password opens accounts in several.
	Organisation string `json:"organisation"`
}

// msgChooseOrganisation answers a password that opened accounts in several organisations.
const msgChooseOrganisation = "This e-mail and password open accounts in several organisations: choose the one to sign in to."

// login signs in (internal/accounts: the throttle, the password against the address's
// accounts) and issues the token. Failures say the same thing whether or not an account
// exists, and take the same time. When the password opened accounts in several
// organisations, it returns their choices instead, and no session.
func (s *Server) login(c *fiber.Ctx, in loginInput) (*loginResult, []accounts.Choice, error) {
	res, err := s.accounts.SignIn(c.UserContext(), accounts.Request{
		Email: in.Email, Password: in.Password, Organisation: in.Organisation,
		IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), TTL: s.tokens.TTL(), Limits: s.loginLimits(),
	})
	if err != nil {
		return nil, nil, err
	}
	if len(res.Choices) > 0 {
		return nil, res.Choices, nil
	}
	if res.SecondFactor {
		exp := s.now().Add(challengeTTL)
		ch, err := s.tokens.IssueChallenge(res.User.ID, res.User.OrgID, s.now(), exp)
		if err != nil {
			return nil, nil, err
		}
		return &loginResult{SecondFactor: true, Challenge: ch, ExpiresAt: exp}, nil, nil
	}
	lr, err := s.issue(res.User, res.Session)
	return lr, nil, err
}

// issue signs the token of a started session.
func (s *Server) issue(u *app.User, sess *app.Session) (*loginResult, error) {
	tok, err := s.tokens.Issue(u.ID, u.OrgID, u.Role, sess.ID, s.now(), sess.ExpiresAt)
	if err != nil {
		return nil, err
	}
	return &loginResult{Token: tok, ExpiresAt: sess.ExpiresAt, User: u}, nil
}

// secondFactorInput is the code after the password: the API's JSON and the page's form.
type secondFactorInput struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
}

// errChallenge answers a challenge that is forged or expired.
var errChallenge = app.Errorf(app.EUNAUTHORIZED, "The sign-in took too long or did not start here: sign in with your password again.")

// finishLogin checks the second-factor code against the challenge and issues the token.
func (s *Server) finishLogin(c *fiber.Ctx, in secondFactorInput) (*loginResult, error) {
	uid, org, err := s.tokens.ParseChallenge(in.Challenge)
	if err != nil {
		return nil, errChallenge
	}
	res, err := s.accounts.FinishSignIn(c.UserContext(), accounts.SecondFactorRequest{UserID: uid, OrgID: org, Code: in.Code,
		IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), TTL: s.tokens.TTL(), Limits: s.loginLimits()})
	if err != nil {
		return nil, err
	}
	return s.issue(res.User, res.Session)
}

func (s *Server) handleAPISecondFactor(c *fiber.Ctx) error {
	var in secondFactorInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.finishLogin(c, in)
	if err != nil {
		return err
	}
	return data(c, res)
}

// loginLimits are the failed sign-in limits, read per request as the configuration holds
// them: per e-mail from one address (only that address waits: a flood from one address
// does not lock the owner out on theirs), per e-mail from every address (guessing spread
// over many addresses), per address.
func (s *Server) loginLimits() accounts.Limits {
	perAccount := s.cfg.LoginMaxPerAccount
	if perAccount < 1 { // a Config built in code, not read by config.FromEnv
		perAccount = config.DefaultLoginMaxPerAccount
	}
	return accounts.Limits{PerEmailIP: s.cfg.LoginMaxPerEmail, PerEmail: perAccount, PerIP: s.cfg.LoginMaxPerIP, Window: s.cfg.LoginWindow}
}

func (s *Server) handleAPILogin(c *fiber.Ctx) error {
	var in loginInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, choices, err := s.login(c, in)
	if err != nil {
		return err
	}
	if choices != nil {
		return c.Status(statusOf[app.EINVALID]).JSON(loginChoices{Error: loginChoicesBody{
			Code: app.EINVALID, Field: "organisation", Message: msgChooseOrganisation, Organisations: choices}})
	}
	return data(c, res)
}

// loginChoices is the 422 of a password that opened accounts in several organisations.
type loginChoices struct {
	Error loginChoicesBody `json:"error"`
}

type loginChoicesBody struct {
	Code          string            `json:"code"`
	Field         string            `json:"field"`
	Message       string            `json:"message"`
	Organisations []accounts.Choice `json:"organisations"`
}

// signedOut answers a sign-out.
type signedOut struct {
	SignedOut bool `json:"signed_out"`
}

// meView is the caller, their role and teams.
type meView struct {
	Role  string     `json:"role"`
	Teams []app.Team `json:"teams"`
	User  *app.User  `json:"user"`
}

func (s *Server) handleAPILogout(c *fiber.Ctx) error {
	if err := s.store.RevokeSession(c.UserContext(), actor(c).SessionID); err != nil {
		return err
	}
	return data(c, signedOut{SignedOut: true})
}

// handleMe answers from the view cache: the user and their teams are dashboard inputs, so
// any change to them bumps the organisation's data version.
func (s *Server) handleMe(c *fiber.Ctx) error {
	return s.cachedJSON(c, s.viewKey(c, "me", 0, "", ""), func() (any, error) {
		a := actor(c)
		u, err := s.store.FindUserByID(c.UserContext(), a.OrgID, a.UserID)
		if err != nil {
			return nil, err
		}
		teams, err := s.store.FindTeams(c.UserContext(), a)
		if err != nil {
			return nil, err
		}
		return meView{User: u, Role: u.Role, Teams: teams}, nil
	})
}
