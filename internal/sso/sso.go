// Package sso signs people in with their organisation's OpenID Connect provider: the
// authorization code flow with PKCE (S256), state and nonce, through
// golang.org/x/oauth2, and the ID token verified by github.com/coreos/go-oidc (signature
// against the provider's published keys, issuer, audience, expiry). A person whose
// verified e-mail matches an account of the organisation signs in; one whose verified
// e-mail has an open invitation there accepts it; anyone else is refused, unless the
// organisation lets SSO create accounts.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

// Store is what single sign-on needs from storage.
type Store interface {
	app.SSOStore
	FindOrganisationBySlug(ctx context.Context, slug string) (*app.Organisation, error)
	FindUserByEmail(ctx context.Context, orgID int64, email string) (*app.User, error)
	CreateUser(ctx context.Context, u *app.User) error
	AcceptInvitationByEmail(ctx context.Context, orgID int64, email, passwordHash string) (*app.User, error)
	CreateSession(ctx context.Context, userID int64, ttl time.Duration, ip, userAgent string) (*app.Session, error)
}

// LoginTTL is how long a sign-in may take at the provider.
const LoginTTL = 10 * time.Minute

// discoveryTTL is how long a provider's discovery document (and with it the signing keys
// go-oidc caches, refreshed when a token names a key it does not know) is reused.
const discoveryTTL = 10 * time.Minute

// Service configures providers and runs sign-ins.
type Service struct {
	store  Store
	box    *auth.SecretBox
	now    func() time.Time
	log    *slog.Logger
	client *http.Client // to the providers

	mu        sync.Mutex
	providers map[string]discovered // by issuer
}

type discovered struct {
	p  *oidc.Provider
	at time.Time
}

// New returns the service.
func New(store Store, box *auth.SecretBox, now func() time.Time, log *slog.Logger) *Service {
	return &Service{store: store, box: box, now: now, log: log, client: &http.Client{Timeout: 10 * time.Second},
		providers: map[string]discovered{}}
}

// discover returns the issuer's provider, from the cache unless fresh is asked or it is
// older than discoveryTTL: a sign-in costs the provider no discovery or JWKS request.
func (s *Service) discover(ctx context.Context, issuer string, fresh bool) (*oidc.Provider, error) {
	s.mu.Lock()
	d, ok := s.providers[issuer]
	s.mu.Unlock()
	if ok && !fresh && s.now().Sub(d.at) < discoveryTTL {
		return d.p, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, s.client), issuer)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.providers[issuer] = discovered{p: p, at: s.now()}
	s.mu.Unlock()
	return p, nil
}

func secretAD(orgID int64) []byte { return []byte("sso:" + strconv.FormatInt(orgID, 10)) }

// Settings returns the actor's organisation's provider, or the defaults when it has none.
// The client secret never leaves: HasSecret says whether one is kept.
func (s *Service) Settings(ctx context.Context, a *app.Actor) (*app.SSOSettings, error) {
	if a.Role != app.RoleAdmin {
		return nil, app.Errorf(app.EFORBIDDEN, "Only admins see single sign-on settings.")
	}
	st, err := s.store.FindSSOSettings(ctx, a.OrgID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return &app.SSOSettings{OrgID: a.OrgID, PasswordSignIn: true, DefaultRole: app.RolePM}, nil
	} else if err != nil {
		return nil, err
	}
	st.SecretBox = nil
	return st, nil
}

// SettingsInput is what an admin saves; an empty ClientSecret keeps the secret kept.
type SettingsInput struct {
	Issuer         string `json:"issuer"`
	ClientID       string `json:"client_id"`
	ClientSecret   string `json:"client_secret"`
	Enabled        bool   `json:"enabled"`
	PasswordSignIn bool   `json:"password_sign_in"`
	AutoCreate     bool   `json:"auto_create"`
	DefaultRole    string `json:"default_role"`
}

// Save validates and keeps the provider. The issuer must answer OpenID discovery, so a
// typo is caught here rather than at someone's sign-in.
func (s *Service) Save(ctx context.Context, a *app.Actor, in SettingsInput) (*app.SSOSettings, error) {
	if a.Role != app.RoleAdmin {
		return nil, app.Errorf(app.EFORBIDDEN, "Only admins change single sign-on settings.")
	}
	in.Issuer = strings.TrimRight(strings.TrimSpace(in.Issuer), "/")
	in.ClientID = strings.TrimSpace(in.ClientID)
	if in.DefaultRole == "" {
		in.DefaultRole = app.RolePM
	}
	if err := validIssuer(in.Issuer); err != nil {
		return nil, err
	}
	switch {
	case in.ClientID == "" || len(in.ClientID) > 300:
		return nil, app.Invalid("client_id", "Client ID is required (at most 300 characters): the provider shows it for the Teamshape application.")
	case len(in.ClientSecret) > 1000:
		return nil, app.Invalid("client_secret", "Client secret is at most 1,000 characters.")
	case in.DefaultRole != app.RolePM && in.DefaultRole != app.RoleLeader && in.DefaultRole != app.RoleHR:
		return nil, app.Invalid("default_role", "Default role is pm, leader or hr (accounts SSO creates are never admins).")
	case !in.PasswordSignIn && !in.Enabled:
		return nil, app.Invalid("password_sign_in", "Password sign-in can be turned off only while single sign-on is on.")
	}
	st := &app.SSOSettings{OrgID: a.OrgID, Issuer: in.Issuer, ClientID: in.ClientID, Enabled: in.Enabled,
		PasswordSignIn: in.PasswordSignIn, AutoCreate: in.AutoCreate, DefaultRole: in.DefaultRole}
	if in.ClientSecret != "" {
		st.SecretBox = s.box.Seal([]byte(in.ClientSecret), secretAD(a.OrgID))
	} else if old, err := s.store.FindSSOSettings(ctx, a.OrgID); err != nil || len(old.SecretBox) == 0 {
		return nil, app.Invalid("client_secret", "Client secret is required the first time (it is never shown again; leave it empty later to keep it).")
	}
	if _, err := s.discover(ctx, in.Issuer, true); err != nil {
		s.log.Info("sso: discovery failed", "issuer", in.Issuer, "err", err)
		return nil, app.Invalid("issuer", "The issuer did not answer OpenID Connect discovery (%s/.well-known/openid-configuration): check the URL.", in.Issuer)
	}
	if err := s.store.SaveSSOSettings(ctx, st); err != nil {
		return nil, err
	}
	return s.Settings(ctx, a)
}

// validIssuer: an https URL without query or fragment; http only on this machine (a
// provider on the loopback address, as in development and tests).
func validIssuer(issuer string) error {
	bad := app.Invalid("issuer", "Issuer is the provider's https URL, e.g. https://login.example.com (http only for 127.0.0.1 or localhost).")
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || len(issuer) > 500 {
		return bad
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if h := u.Hostname(); h == "localhost" || net.ParseIP(h).IsLoopback() {
			return nil
		}
	}
	return bad
}

// Options is how an organisation's people may sign in, for its sign-in page.
type Options struct {
	Slug, Name string
	SSO        bool
	Password   bool
}

// OptionsFor returns the organisation's sign-in options; an unknown slug is ENOTFOUND.
func (s *Service) OptionsFor(ctx context.Context, slug string) (*Options, error) {
	org, err := s.store.FindOrganisationBySlug(ctx, strings.ToLower(strings.TrimSpace(slug)))
	if err != nil {
		return nil, err
	}
	o := &Options{Slug: org.Slug, Name: org.Name, Password: true}
	st, err := s.store.FindSSOSettings(ctx, org.ID)
	if err == nil && st.Enabled {
		o.SSO, o.Password = true, st.PasswordSignIn
	} else if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	return o, nil
}

// errNoSSO answers a sign-in with SSO to an organisation that has none.
var errNoSSO = app.Errorf(app.ENOTFOUND, "This organisation does not sign in with single sign-on.")

// Start begins a sign-in with the organisation's provider: it keeps the state (hashed),
// nonce and PKCE verifier, and returns the provider's authorisation URL and the state,
// which the browser also keeps in a cookie.
func (s *Service) Start(ctx context.Context, slug, redirectURL, next string) (authURL, state string, err error) {
	org, err := s.store.FindOrganisationBySlug(ctx, strings.ToLower(strings.TrimSpace(slug)))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return "", "", errNoSSO
	} else if err != nil {
		return "", "", err
	}
	st, conf, _, err := s.provider(ctx, org.ID, redirectURL)
	if err != nil {
		return "", "", err
	}
	state, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
	if err := s.store.CreateSSOLogin(ctx, hash(state), app.SSOLogin{OrgID: st.OrgID, Nonce: nonce, Verifier: verifier, Next: next}, LoginTTL); err != nil {
		return "", "", err
	}
	return conf.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), state, nil
}

// provider discovers the organisation's provider and returns its OAuth2 configuration.
func (s *Service) provider(ctx context.Context, orgID int64, redirectURL string) (*app.SSOSettings, *oauth2.Config, *oidc.Provider, error) {
	st, err := s.store.FindSSOSettings(ctx, orgID)
	if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && !st.Enabled) {
		return nil, nil, nil, errNoSSO
	} else if err != nil {
		return nil, nil, nil, err
	}
	secret, err := s.box.Open(st.SecretBox, secretAD(orgID))
	if err != nil {
		s.log.Error("sso: the client secret does not open (TEAMSHAPE_JWT_SECRET changed?)", "org", orgID)
		return nil, nil, nil, app.Errorf(app.EUNAVAILABLE, "Single sign-on is not set up correctly: an admin must enter the client secret again.")
	}
	p, err := s.discover(ctx, st.Issuer, false)
	if err != nil {
		s.log.Warn("sso: discovery failed", "issuer", st.Issuer, "err", err)
		return nil, nil, nil, app.Errorf(app.EUNAVAILABLE, "The identity provider cannot be reached; try again later.")
	}
	conf := &oauth2.Config{ClientID: st.ClientID, ClientSecret: string(secret), Endpoint: p.Endpoint(),
		RedirectURL: redirectURL, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	return st, conf, p, nil
}

// Callback is the provider's answer, as the browser brings it back.
type Callback struct {
	State       string // from the query
	CookieState string // from this browser's cookie
	Code        string
	Error       string // the provider's error, if it refused
	RedirectURL string
	IP          string
	UserAgent   string
	TTL         time.Duration
}

// Result is a signed-in account and its session, and where to go.
type Result struct {
	User    *app.User
	Session *app.Session
	Next    string
}

// Refusals: each says what happened and what to do.
var (
	errState      = app.Errorf(app.EFORBIDDEN, "This sign-in did not start in this browser, or was already used, or took more than 10 minutes. Start again from the sign-in page.")
	errExchange   = app.Errorf(app.EUNAUTHORIZED, "The identity provider did not confirm the sign-in. Start again from the sign-in page.")
	errAudience   = app.Errorf(app.EUNAUTHORIZED, "The identity provider's token was issued for another application (wrong audience): the sign-in is refused. Ask your admin to check the client ID.")
	errSignature  = app.Errorf(app.EUNAUTHORIZED, "The identity provider's token has a signature that does not verify: the sign-in is refused.")
	errToken      = app.Errorf(app.EUNAUTHORIZED, "The identity provider's token does not verify (issuer or expiry): the sign-in is refused.")
	errNonce      = app.Errorf(app.EUNAUTHORIZED, "The identity provider's token does not carry this sign-in's nonce: the sign-in is refused. Start again from the sign-in page.")
	errUnverified = app.Errorf(app.EFORBIDDEN, "Your identity provider has not verified your e-mail address, so it cannot be matched to an account. Verify it there, then sign in again.")
	errNoEmail    = app.Errorf(app.EFORBIDDEN, "Your identity provider did not share your e-mail address, so it cannot be matched to an account.")
	errUnknown    = app.Errorf(app.EFORBIDDEN, "Your identity provider signed you in, but this organisation has no account with your e-mail address. Ask an admin to add or invite you.")
	errInactive   = app.Errorf(app.EFORBIDDEN, "Your account in this organisation is deactivated. Ask an admin.")
)

// Finish completes a sign-in: the state must be this browser's and unused; the code is
// exchanged with the PKCE verifier; the ID token must verify and carry the nonce; the
// verified e-mail must belong to an account of the organisation (or one is created when
// the organisation allows it). It starts the session and writes the audit entry.
func (s *Service) Finish(ctx context.Context, cb Callback) (*Result, error) {
	if cb.State == "" || subtle.ConstantTimeCompare([]byte(cb.State), []byte(cb.CookieState)) != 1 {
		return nil, errState
	}
	login, err := s.store.TakeSSOLogin(ctx, hash(cb.State))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, errState
	} else if err != nil {
		return nil, err
	}
	if cb.Error != "" {
		return nil, app.Errorf(app.EFORBIDDEN, "The identity provider refused the sign-in (%.100s). Start again from the sign-in page.", cb.Error)
	}
	st, conf, p, err := s.provider(ctx, login.OrgID, cb.RedirectURL)
	if err != nil {
		return nil, err
	}
	pctx := oidc.ClientContext(ctx, s.client)
	tok, err := conf.Exchange(pctx, cb.Code, oauth2.VerifierOption(login.Verifier))
	if err != nil {
		s.log.Info("sso: code exchange failed", "org", login.OrgID, "err", err)
		return nil, errExchange
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, errExchange
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: st.ClientID, Now: s.now}).Verify(pctx, raw)
	if err != nil {
		s.log.Info("sso: ID token refused", "org", login.OrgID, "err", err)
		var expired *oidc.TokenExpiredError
		switch msg := err.Error(); {
		case strings.Contains(msg, "audience"):
			return nil, errAudience
		case strings.Contains(msg, "signature"):
			return nil, errSignature
		case errors.As(err, &expired):
			return nil, errToken
		}
		return nil, errToken
	}
	if idt.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(login.Nonce)) != 1 {
		return nil, errNonce
	}
	who, err := s.identity(pctx, p, tok, idt)
	if err != nil {
		return nil, err
	}
	u, err := s.account(ctx, st, who)
	if err != nil {
		return nil, err
	}
	sess, err := s.store.CreateSession(ctx, u.ID, cb.TTL, cb.IP, cb.UserAgent)
	if err != nil {
		return nil, err
	}
	if err := s.store.RecordSignIn(ctx, u, "with single sign-on"); err != nil {
		return nil, err
	}
	return &Result{User: u, Session: sess, Next: login.Next}, nil
}

// claims are the ID token's (or UserInfo's) claims sign-in uses.
type claims struct {
	Email    string `json:"email"`
	Verified *bool  `json:"email_verified"`
	Name     string `json:"name"`
}

// identity reads the e-mail, whether the provider verified it, and the name: from the ID
// token, or — when it carries no e-mail, as some providers do — from UserInfo, whose
// subject must be the ID token's.
func (s *Service) identity(ctx context.Context, p *oidc.Provider, tok *oauth2.Token, idt *oidc.IDToken) (*claims, error) {
	var c claims
	if err := idt.Claims(&c); err != nil {
		return nil, errToken
	}
	if c.Email == "" {
		ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			s.log.Info("sso: userinfo failed", "err", err)
			return nil, errNoEmail
		}
		if ui.Subject != idt.Subject {
			return nil, errToken
		}
		if err := ui.Claims(&c); err != nil {
			return nil, errNoEmail
		}
	}
	c.Email = strings.TrimSpace(c.Email)
	switch {
	case c.Email == "":
		return nil, errNoEmail
	case c.Verified == nil || !*c.Verified:
		return nil, errUnverified
	}
	return &c, nil
}

// account finds the organisation's account with the e-mail; else accepts the open,
// unexpired invitation of the e-mail (an expired or revoked one does not count), making
// the account with the invitation's role and team; else creates one when the
// organisation lets SSO do so.
func (s *Service) account(ctx context.Context, st *app.SSOSettings, who *claims) (*app.User, error) {
	u, err := s.store.FindUserByEmail(ctx, st.OrgID, who.Email)
	switch {
	case err == nil && !u.Active:
		return nil, errInactive
	case err == nil:
		return u, nil
	case app.ErrorCode(err) != app.ENOTFOUND:
		return nil, err
	}
	// A new account has a password nobody knows: it signs in with SSO (or resets it).
	hash, err := auth.HashPassword(random() + random())
	if err != nil {
		return nil, err
	}
	u, err = s.store.AcceptInvitationByEmail(ctx, st.OrgID, who.Email, hash)
	switch {
	case err == nil:
		return u, nil
	case app.ErrorCode(err) != app.ENOTFOUND:
		return nil, err
	case !st.AutoCreate:
		return nil, errUnknown
	}
	name := strings.TrimSpace(who.Name)
	if name == "" {
		name, _, _ = strings.Cut(who.Email, "@")
	}
	u = &app.User{OrgID: st.OrgID, Email: who.Email, Name: truncate(name, 200), Role: st.DefaultRole, PasswordHash: hash}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// random is 32 random bytes, base64url.
func random() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// hash is how a state is kept: a copy of the table does not give live states away.
func hash(state string) []byte {
	h := sha256.Sum256([]byte(state))
	return h[:]
}
