package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// Issuer and Audience are required in every token.
	Issuer   = "teamshape"
	Audience = "teamshape"
)

// Claims are what a Teamshape token carries: subject (user id), organisation, role, session id.
type Claims struct {
	OrgID     int64  `json:"org"`
	Role      string `json:"role"`
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// UserID returns the subject as a user id.
func (c *Claims) UserID() (int64, error) { return strconv.ParseInt(c.Subject, 10, 64) }

// Tokens signs and verifies HS256 tokens with one secret.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	parser *jwt.Parser
	// times checks a verified token's times again on each use (the parser's rules).
	times *jwt.Validator
	// verified are tokens whose signature and claims verified, by the exact token: a repeat
	// request skips the base64, JSON and HMAC work (a third of a cached page's server CPU)
	// and only has its times checked again. At most maxVerified; past it, emptied.
	mu       sync.RWMutex
	verified map[string]*Claims
	// now is the clock the times are checked against (tests move it).
	now func() time.Time
}

// maxVerified bounds the verified tokens kept (about 400 bytes each).
const maxVerified = 10_000

// NewTokens returns a signer/verifier; the parser admits only HS256 and requires
// issuer, audience and expiry.
func NewTokens(secret []byte, ttl time.Duration) *Tokens {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(5 * time.Second),
	}
	t := &Tokens{secret: secret, ttl: ttl, verified: map[string]*Claims{}, now: time.Now}
	opts = append(opts, jwt.WithTimeFunc(func() time.Time { return t.now() }))
	t.parser, t.times = jwt.NewParser(opts...), jwt.NewValidator(opts...)
	return t
}

// TTL is how long a token lives.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue signs a token for the user and session, expiring at exp.
func (t *Tokens) Issue(userID, orgID int64, role, sessionID string, now, exp time.Time) (string, error) {
	c := Claims{
		OrgID: orgID, Role: role, SessionID: sessionID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   strconv.FormatInt(userID, 10),
			Audience:  jwt.ClaimStrings{Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.secret)
}

// ErrBadToken is returned for any token that does not verify.
var ErrBadToken = errors.New("invalid token")

// Parse verifies a token and returns its claims (shared: not to be modified). A token
// verified before is only checked for its times again: its signature covers the rest.
func (t *Tokens) Parse(s string) (*Claims, error) {
	t.mu.RLock()
	known, ok := t.verified[s]
	t.mu.RUnlock()
	if ok {
		if t.times.Validate(known) != nil {
			return nil, ErrBadToken
		}
		return known, nil
	}
	c, err := t.parse(s)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	if len(t.verified) >= maxVerified {
		clear(t.verified)
	}
	t.verified[s] = c
	t.mu.Unlock()
	return c, nil
}

// parse verifies a token's signature and claims.
func (t *Tokens) parse(s string) (*Claims, error) {
	var c Claims
	tok, err := t.parser.ParseWithClaims(s, &c, func(*jwt.Token) (any, error) { return t.secret, nil })
	if err != nil || !tok.Valid || c.SessionID == "" || c.Subject == "" {
		return nil, ErrBadToken
	}
	if _, err := c.UserID(); err != nil {
		return nil, ErrBadToken
	}
	return &c, nil
}

// CSRFToken derives the form token for a session: an HMAC of the session id, so it
// needs no storage and dies with the session.
func (t *Tokens) CSRFToken(sessionID string) string {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte("csrf:" + sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether tok is the form token of the session, in constant time.
func (t *Tokens) CheckCSRF(sessionID, tok string) bool {
	return tok != "" && hmac.Equal([]byte(t.CSRFToken(sessionID)), []byte(tok))
}

// challengeAudience marks a second-factor challenge: a token that proves the password
// only, never accepted as a session (its audience is not Audience, and it has no session).
const challengeAudience = "teamshape-second-factor"

// IssueChallenge signs a second-factor challenge for the user, valid until exp: the
// password was right; the session starts when a code is.
func (t *Tokens) IssueChallenge(userID, orgID int64, now, exp time.Time) (string, error) {
	c := Claims{OrgID: orgID, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: Issuer, Subject: strconv.FormatInt(userID, 10), Audience: jwt.ClaimStrings{challengeAudience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.secret)
}

// ParseChallenge verifies a challenge and returns its user and organisation.
func (t *Tokens) ParseChallenge(s string) (userID, orgID int64, err error) {
	var c Claims
	tok, err := jwt.ParseWithClaims(s, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(Issuer),
		jwt.WithAudience(challengeAudience), jwt.WithExpirationRequired())
	if err != nil || !tok.Valid || c.SessionID != "" {
		return 0, 0, ErrBadToken
	}
	if userID, err = c.UserID(); err != nil {
		return 0, 0, ErrBadToken
	}
	return userID, c.OrgID, nil
}
