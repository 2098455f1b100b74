// Package accounts signs people in, changes and resets passwords, and lists and ends a
// person's sessions. An e-mail address may have an account in several
// organisations (each its own, with its own password); nothing a sign-in answers, and
// nothing in how long it takes, tells someone who does not know a password whether the
// address has an account, or how many, or where.
package accounts

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

// Checked is how many passwords a sign-in without an organisation verifies: the
// address's active accounts, oldest first, and the dummy hash for the rest. The number is
// the same for an unknown address, a known one and one with accounts in several
// organisations, so the time a sign-in takes tells none of them apart. An address with
// more active accounts than this signs in to the others by naming the organisation
// (which verifies exactly one, real or dummy). Every sign-in pays for Checked argon2id
// computations (about 30 ms of CPU each), so it stays small: two covers an address with
// accounts in two organisations.
const Checked = 2

// Store is what the service needs from storage.
type Store interface {
	FindSignInAccounts(ctx context.Context, email, orgSlug string, limit int) ([]app.SignInAccount, error)
	FindLoginThrottle(ctx context.Context, email, ip string, window time.Duration) (*app.LoginThrottle, error)
	RecordLoginFailure(ctx context.Context, email, ip string) error
	CreateSession(ctx context.Context, userID int64, ttl time.Duration, ip, userAgent string) (*app.Session, error)
	FindUserByID(ctx context.Context, orgID, id int64) (*app.User, error)
	FindOrganisationByID(ctx context.Context, id int64) (*app.Organisation, error)
	app.PasswordStore
	RecordSignIn(ctx context.Context, u *app.User, how string) error
	RevokeSession(ctx context.Context, id string) error
	FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error)
	Ready(ctx context.Context) error
}

// SecondFactor checks a second-factor code (internal/mfa).
type SecondFactor interface {
	Check(ctx context.Context, userID int64, code string) (ok bool, how string, err error)
}

// Limits are the failed sign-ins allowed within Window before 429.
type Limits struct {
	PerEmailIP int // one e-mail's failures from one address: only that address waits
	PerEmail   int // one e-mail's failures from every address: every address waits
	PerIP      int // one address's failures for any e-mail
	Window     time.Duration
}

// locked reports whether a sign-in must wait, and the seconds until it may try again (the
// longest wait among the limits reached).
func (l Limits) locked(th *app.LoginThrottle) (retry int, locked bool) {
	for _, c := range []struct{ failures, limit, retry int }{
		{th.EmailIPFailures, l.PerEmailIP, th.EmailIPRetry},
		{th.EmailFailures, l.PerEmail, th.EmailRetry},
		{th.IPFailures, l.PerIP, th.IPRetry},
	} {
		if c.failures >= c.limit {
			retry, locked = max(retry, c.retry, 1), true
		}
	}
	return retry, locked
}

// Request is one sign-in.
type Request struct {
	Email, Password string
	// Organisation is the slug of the organisation to sign in to; empty: whichever of the
	// address's organisations the password opens.
	Organisation  string
	IP, UserAgent string
	TTL           time.Duration // of the session
	Limits        Limits
}

// Choice is an organisation a password opened an account in.
type Choice struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Result is a signed-in account and its session, or — when the password opened accounts
// in several organisations — the choices, to sign in again naming one, or — when the
// account has a second factor — the account whose code to ask for (no session yet).
type Result struct {
	User    *app.User
	Session *app.Session
	Choices []Choice
	// SecondFactor: the password was right; the session starts with FinishSignIn.
	SecondFactor bool
}

// ErrBadLogin is every failed sign-in's answer: no account, a wrong password, a
// deactivated account, an unknown organisation.
var ErrBadLogin = app.Errorf(app.EUNAUTHORIZED, "E-mail or password is incorrect.")

const errThrottled = "Too many failed sign-ins; wait a while and try again."

// ErrSSOOnly answers a right password for an organisation that signs in with SSO only.
var ErrSSOOnly = app.Errorf(app.EFORBIDDEN, "Your organisation signs in with single sign-on: use \"Sign in with single sign-on\" with its short name.")

// ErrBadCode answers a wrong, reused or malformed second-factor code.
var ErrBadCode = app.Invalid("code", "That code is not right (or was already used): enter the current code from your authenticator app, or a recovery code.")

// Service signs people in and looks after their passwords and sessions.
type Service struct {
	store   Store
	mails   app.Mailer
	now     func() time.Time
	factors SecondFactor
	// verify checks a password against a hash (auth.VerifyPassword; tests count the calls).
	verify func(ctx context.Context, pw, hash string) (bool, error)
	// resetFloor is the least time a reset request takes (ResetFloor; tests shorten it).
	resetFloor time.Duration
}

// New returns the service over the store; mails renders the e-mails it sends, factors
// checks second-factor codes (internal/mfa), now is the clock (time.Now outside tests).
func New(store Store, mails app.Mailer, factors SecondFactor, now func() time.Time) *Service {
	return &Service{store: store, mails: mails, factors: factors, now: now, verify: auth.VerifyPassword, resetFloor: ResetFloor}
}

// SignIn checks the throttle, then the password against the address's accounts, and
// starts a session when exactly one account opens. Throttling is by e-mail and address,
// whoever has (or has not) an account: it reveals nothing either.
func (s *Service) SignIn(ctx context.Context, r Request) (*Result, error) {
	email, org := strings.TrimSpace(r.Email), strings.ToLower(strings.TrimSpace(r.Organisation))
	if email == "" || r.Password == "" {
		return nil, app.Invalid("email", "E-mail and password are required.")
	}
	if org != "" && !app.ValidSlug(org) {
		return nil, app.Invalid("organisation", "Organisation is the organisation's short name, such as demo: lower-case letters, digits and hyphens.")
	}
	th, err := s.store.FindLoginThrottle(ctx, email, r.IP, r.Limits.Window)
	if err != nil {
		return nil, err
	}
	if retry, locked := r.Limits.locked(th); locked {
		return nil, &app.Error{Code: app.ETOOMANY, RetryAfter: retry, Message: errThrottled}
	}
	n := Checked
	if org != "" {
		n = 1
	}
	accounts, err := s.store.FindSignInAccounts(ctx, email, org, n)
	if err != nil {
		return nil, err
	}
	opened, err := s.open(ctx, r.Password, accounts, n)
	if err != nil {
		return nil, err
	}
	switch len(opened) {
	case 0:
		if err := s.store.RecordLoginFailure(ctx, email, r.IP); err != nil {
			return nil, err
		}
		return nil, ErrBadLogin
	case 1:
		u := opened[0].User
		if !opened[0].PasswordSignIn {
			return nil, ErrSSOOnly
		}
		if opened[0].HasTOTP {
			return &Result{User: &u, SecondFactor: true}, nil
		}
		sess, err := s.store.CreateSession(ctx, u.ID, r.TTL, r.IP, r.UserAgent)
		if err != nil {
			return nil, err
		}
		return &Result{User: &u, Session: sess}, nil
	}
	// Only someone who knows the password learns these organisations: each is one its
	// account there opened with it.
	choices := make([]Choice, len(opened))
	for i, a := range opened {
		choices[i] = Choice{Slug: a.OrgSlug, Name: a.OrgName}
	}
	sort.Slice(choices, func(i, j int) bool { return choices[i].Name < choices[j].Name })
	return &Result{Choices: choices}, nil
}

// open verifies the password n times: against each account, then against the dummy hash
// for the accounts there are not, every one of them whatever matched before, so that the
// work (n argon2id computations) does not depend on the accounts. It returns the
// accounts the password opened.
func (s *Service) open(ctx context.Context, pw string, accounts []app.SignInAccount, n int) ([]app.SignInAccount, error) {
	var opened []app.SignInAccount
	for i := range n {
		hash := auth.DummyHash()
		if i < len(accounts) {
			hash = accounts[i].PasswordHash
		}
		ok, err := s.verify(ctx, pw, hash)
		if err != nil {
			return nil, err
		}
		if ok && i < len(accounts) { // a match against the dummy hash never counts
			opened = append(opened, accounts[i])
		}
	}
	return opened, nil
}

// SecondFactorRequest is the code asked for after a right password.
type SecondFactorRequest struct {
	UserID, OrgID int64 // from the challenge the password earned
	Code          string
	IP, UserAgent string
	TTL           time.Duration
	Limits        Limits
}

// FinishSignIn checks the second-factor code of an account whose password was right and
// starts its session. Wrong codes count as failed sign-ins of the account's e-mail (the
// same throttle as passwords), so codes cannot be guessed.
func (s *Service) FinishSignIn(ctx context.Context, r SecondFactorRequest) (*Result, error) {
	u, err := s.store.FindUserByID(ctx, r.OrgID, r.UserID)
	if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && !u.Active) {
		return nil, ErrBadLogin
	} else if err != nil {
		return nil, err
	}
	th, err := s.store.FindLoginThrottle(ctx, u.Email, r.IP, r.Limits.Window)
	if err != nil {
		return nil, err
	}
	if retry, locked := r.Limits.locked(th); locked {
		return nil, &app.Error{Code: app.ETOOMANY, RetryAfter: retry, Message: errThrottled}
	}
	ok, how, err := s.factors.Check(ctx, u.ID, r.Code)
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, u.Email, r.IP); err != nil {
			return nil, err
		}
		return nil, ErrBadCode
	}
	sess, err := s.store.CreateSession(ctx, u.ID, r.TTL, r.IP, r.UserAgent)
	if err != nil {
		return nil, err
	}
	if err := s.store.RecordSignIn(ctx, u, "with a second factor ("+how+")"); err != nil {
		return nil, err
	}
	return &Result{User: u, Session: sess}, nil
}
