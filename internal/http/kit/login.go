package kit

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/invitations"
)

type LoginResult struct {
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

// LoginInput is a sign-in: the API's JSON body and the page's form alike.
type LoginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// Organisation (a slug) is needed only when the password opens accounts in several.
	Organisation string `json:"organisation"`
}

// Login signs in (internal/accounts: the throttle, the password against the address's
// accounts) and issues the token. Failures say the same thing whether or not an account
// exists, and take the same time. When the password opened accounts in several
// organisations, it returns their choices instead, and no session.
func (s *Deps) Login(c *fiber.Ctx, in LoginInput) (*LoginResult, []accounts.Choice, error) {
	res, err := s.Accounts.SignIn(c.UserContext(), accounts.Request{
		Email: in.Email, Password: in.Password, Organisation: in.Organisation,
		IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), TTL: s.Tokens.TTL(), Limits: s.LoginLimits(),
	})
	if err != nil {
		return nil, nil, err
	}
	if len(res.Choices) > 0 {
		return nil, res.Choices, nil
	}
	if res.SecondFactor {
		exp := s.Now().Add(challengeTTL)
		ch, err := s.Tokens.IssueChallenge(res.User.ID, res.User.OrgID, s.Now(), exp)
		if err != nil {
			return nil, nil, err
		}
		return &LoginResult{SecondFactor: true, Challenge: ch, ExpiresAt: exp}, nil, nil
	}
	lr, err := s.Issue(res.User, res.Session)
	return lr, nil, err
}

// Issue signs the token of a started session.
func (s *Deps) Issue(u *app.User, sess *app.Session) (*LoginResult, error) {
	tok, err := s.Tokens.Issue(u.ID, u.OrgID, u.Role, sess.ID, s.Now(), sess.ExpiresAt)
	if err != nil {
		return nil, err
	}
	return &LoginResult{Token: tok, ExpiresAt: sess.ExpiresAt, User: u}, nil
}

// SecondFactorInput is the code after the password: the API's JSON and the page's form.
type SecondFactorInput struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
}

// ErrChallenge answers a challenge that is forged or expired.
var ErrChallenge = app.Errorf(app.EUNAUTHORIZED, "The sign-in took too long or did not start here: sign in with your password again.")

// FinishLogin checks the second-factor code against the challenge and issues the token.
func (s *Deps) FinishLogin(c *fiber.Ctx, in SecondFactorInput) (*LoginResult, error) {
	uid, org, err := s.Tokens.ParseChallenge(in.Challenge)
	if err != nil {
		return nil, ErrChallenge
	}
	res, err := s.Accounts.FinishSignIn(c.UserContext(), accounts.SecondFactorRequest{UserID: uid, OrgID: org, Code: in.Code,
		IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), TTL: s.Tokens.TTL(), Limits: s.LoginLimits()})
	if err != nil {
		return nil, err
	}
	return s.Issue(res.User, res.Session)
}

// LoginLimits are the failed sign-in limits, read per request as the configuration holds
// them: per e-mail from one address (only that address waits: a flood from one address
// does not lock the owner out on theirs), per e-mail from every address (guessing spread
// over many addresses), per address.
func (s *Deps) LoginLimits() accounts.Limits {
	perAccount := s.Cfg.LoginMaxPerAccount
	if perAccount < 1 { // a Config built in code, not read by config.FromEnv
		perAccount = config.DefaultLoginMaxPerAccount
	}
	return accounts.Limits{PerEmailIP: s.Cfg.LoginMaxPerEmail, PerEmail: perAccount, PerIP: s.Cfg.LoginMaxPerIP, Window: s.Cfg.LoginWindow}
}

// AcceptInvitation accepts an invitation and issues the new account's token, as a sign-in does.
func (s *Deps) AcceptInvitation(c *fiber.Ctx, in invitations.AcceptInput) (*LoginResult, error) {
	in.IP, in.UserAgent, in.TTL = c.IP(), c.Get(fiber.HeaderUserAgent), s.Tokens.TTL()
	u, sess, err := s.Invitations.Accept(c.UserContext(), in)
	if err != nil {
		return nil, err
	}
	return s.Issue(u, sess)
}

// MsgResetSent is the answer to every reset request, whether or not the address has an account.
const MsgResetSent = "If this address has an account, a link to reset its password is on its way. It works once, within 30 minutes."
