package accounts

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

// Password changes and resets. Each ends sessions (a change every other one, a reset
// every one), voids open reset links, writes an audit entry and e-mails the person that
// the password changed, in one transaction of the store.

const (
	// ResetTTL is how long a reset link works.
	ResetTTL = 30 * time.Minute
	// ResetFloor is the least time a reset request takes, whatever the address: the work
	// for an address with accounts (a token, an e-mail, a row) fits well within it, so the
	// answer's time does not tell whether the address has any.
	ResetFloor = 250 * time.Millisecond
	// resetAccounts bounds the accounts one request sends links for (one per organisation).
	resetAccounts = 5
)

// ResetLimits bound reset requests within ResetWindow: per e-mail (beyond it, requests
// are answered as usual but send nothing more: nobody's mailbox is flooded) and per client
// address (beyond it, 429: that says nothing about any account).
const (
	ResetPerEmail = 3
	ResetPerIP    = 20
	ResetWindow   = time.Hour
)

// ErrResetLink answers a reset link that is unknown, used or expired.
var ErrResetLink = app.Errorf(app.ENOTFOUND, "This password reset link has expired or was already used. Ask for a new one from the sign-in page (Forgot your password?).")

// ChangeInput is a signed-in person's password change.
type ChangeInput struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
	IP              string `json:"-"`
}

// ChangePassword checks the current password (a wrong one counts as a failed sign-in,
// so guessing through this form is throttled like the sign-in), applies the password
// rules to the new one, and changes it: every other session of the person ends and they
// get an e-mail saying so.
func (s *Service) ChangePassword(ctx context.Context, a *app.Actor, in ChangeInput, limits Limits) error {
	if in.CurrentPassword == "" {
		return app.Invalid("current_password", "Enter your current password.")
	}
	u, err := s.store.FindUserByID(ctx, a.OrgID, a.UserID)
	if err != nil {
		return err
	}
	th, err := s.store.FindLoginThrottle(ctx, u.Email, in.IP, limits.Window)
	if err != nil {
		return err
	}
	if retry, locked := limits.locked(th); locked {
		return &app.Error{Code: app.ETOOMANY, RetryAfter: retry, Message: errThrottled}
	}
	ok, err := s.verify(ctx, in.CurrentPassword, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, u.Email, in.IP); err != nil {
			return err
		}
		return app.Invalid("current_password", "The current password is not correct.")
	}
	if err := auth.CheckNewPassword("new_password", in.NewPassword); err != nil {
		return err
	}
	hash, err := auth.HashPassword(in.NewPassword)
	if err != nil {
		return err
	}
	m, err := s.changedMail(ctx, u, "changed", true)
	if err != nil {
		return err
	}
	return s.store.ChangePassword(ctx, a.OrgID, a.UserID, hash, a.SessionID, m)
}

// changedMail is the "your password changed" e-mail.
func (s *Service) changedMail(ctx context.Context, u *app.User, how string, keptSession bool) (app.Mail, error) {
	org, err := s.store.FindOrganisationByID(ctx, u.OrgID)
	if err != nil {
		return app.Mail{}, err
	}
	return s.mails.Render("password-changed", addressOf(u.Name, u.Email), map[string]any{
		"Name": u.Name, "Org": org.Name, "How": how, "KeptSession": keptSession,
		"When": s.now().UTC().Format("2 January 2006 at 15:04 UTC"),
	})
}

// ResetRequest is a "forgot your password" request.
type ResetRequest struct {
	Email string `json:"email"`
	IP    string `json:"-"`
}

// RequestReset e-mails a reset link to each active account of the address (one per
// organisation, at most resetAccounts), and nothing to an address without one. Its answer
// and the time it takes (ResetFloor at least) are the same either way; only a client
// address making too many requests is told to wait (429).
func (s *Service) RequestReset(ctx context.Context, r ResetRequest) error {
	start := time.Now()
	err := s.requestReset(ctx, r)
	if app.ErrorCode(err) == app.EINVALID {
		return err // the form's own fault, the same for every address
	}
	select {
	case <-time.After(time.Until(start.Add(s.resetFloor))):
	case <-ctx.Done():
	}
	return err
}

func (s *Service) requestReset(ctx context.Context, r ResetRequest) error {
	email := strings.TrimSpace(r.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return app.Invalid("email", "Enter a valid e-mail address.")
	}
	byEmail, byIP, err := s.store.RecordResetRequest(ctx, email, r.IP, ResetWindow)
	if err != nil {
		return err
	}
	if byIP > ResetPerIP {
		return &app.Error{Code: app.ETOOMANY, RetryAfter: int(ResetWindow.Seconds()), Message: "Too many password reset requests from your address; try again later."}
	}
	if byEmail > ResetPerEmail {
		return nil // links went out already; the answer stays the same
	}
	accounts, err := s.store.FindSignInAccounts(ctx, email, "", resetAccounts)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		token, hash := auth.NewToken()
		m, err := s.mails.Render("password-reset", addressOf(a.Name, a.Email), map[string]any{
			"Name": a.Name, "Org": a.OrgName, "Token": token,
		})
		if err != nil {
			return err
		}
		if err := s.store.CreatePasswordReset(ctx, a.ID, hash, s.now().Add(ResetTTL), m); err != nil {
			return err
		}
	}
	return nil
}

// CheckResetLink returns the account a reset link is for (the page greets them), or
// ErrResetLink.
func (s *Service) CheckResetLink(ctx context.Context, token string) (*app.User, error) {
	if token == "" {
		return nil, ErrResetLink
	}
	u, err := s.store.FindPasswordReset(ctx, auth.HashToken(token))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, ErrResetLink
	}
	return u, err
}

// ConfirmInput sets a new password from a reset link.
type ConfirmInput struct {
	Token       string `json:"token"`
	NewPassword string `json:"new_password"`
}

// ConfirmReset sets the new password from a reset link: the link works once, every
// session of the account ends, and the person gets an e-mail saying so.
func (s *Service) ConfirmReset(ctx context.Context, in ConfirmInput) error {
	u, err := s.CheckResetLink(ctx, in.Token)
	if err != nil {
		return err
	}
	if err := auth.CheckNewPassword("new_password", in.NewPassword); err != nil {
		return err
	}
	hash, err := auth.HashPassword(in.NewPassword)
	if err != nil {
		return err
	}
	m, err := s.changedMail(ctx, u, "reset with a link sent by e-mail", false)
	if err != nil {
		return err
	}
	err = s.store.ResetPassword(ctx, auth.HashToken(in.Token), hash, m)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return ErrResetLink // used by a concurrent request since CheckResetLink
	}
	return err
}

// addressOf is a recipient: the name and the address.
func addressOf(name, email string) string {
	return (&mail.Address{Name: name, Address: email}).String()
}
