package app

import (
	"context"
	"time"
)

// SSOSettings is an organisation's OpenID Connect provider. The client secret is sealed
// (SecretBox) in storage and never leaves it through a route: HasSecret says one is kept.
type SSOSettings struct {
	OrgID    int64  `db:"org_id" json:"-"`
	Issuer   string `db:"issuer" json:"issuer"`
	ClientID string `db:"client_id" json:"client_id"`
	// SecretBox is the sealed client secret (never serialised).
	SecretBox []byte `db:"client_secret_box" json:"-"`
	HasSecret bool   `db:"-" json:"has_secret"`
	Enabled   bool   `db:"enabled" json:"enabled"`
	// PasswordSignIn false: the organisation's people sign in with SSO only.
	PasswordSignIn bool `db:"password_sign_in" json:"password_sign_in"`
	// AutoCreate: a verified e-mail the organisation does not know becomes an account
	// with DefaultRole; else it is refused.
	AutoCreate  bool      `db:"auto_create" json:"auto_create"`
	DefaultRole string    `db:"default_role" json:"default_role"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
}

// SSOLogin is a sign-in under way: what the callback needs to finish it.
type SSOLogin struct {
	OrgID    int64  `db:"org_id"`
	Nonce    string `db:"nonce"`
	Verifier string `db:"verifier"`
	Next     string `db:"next"`
}

// SSOStore keeps organisations' providers and the sign-ins under way.
type SSOStore interface {
	// FindSSOSettings is ENOTFOUND when the organisation has no provider.
	FindSSOSettings(ctx context.Context, orgID int64) (*SSOSettings, error)
	// SaveSSOSettings creates or replaces the provider (a nil SecretBox keeps the secret
	// kept), with an audit entry (never the secret).
	SaveSSOSettings(ctx context.Context, s *SSOSettings) error
	CreateSSOLogin(ctx context.Context, stateHash []byte, l SSOLogin, ttl time.Duration) error
	// TakeSSOLogin deletes and returns the live sign-in with the state: ENOTFOUND when
	// there is none (never started, expired, or already used).
	TakeSSOLogin(ctx context.Context, stateHash []byte) (*SSOLogin, error)
	// RecordSignIn writes the audit entry of a sign-in by a second factor or SSO.
	RecordSignIn(ctx context.Context, u *User, how string) error
}

// TOTP is a user's time-based one-time password factor.
type TOTP struct {
	UserID      int64      `db:"user_id"`
	SecretBox   []byte     `db:"secret_box"`
	ConfirmedAt *time.Time `db:"confirmed_at"`
	LastStep    int64      `db:"last_step"`
}

// SecondFactorStore keeps TOTP factors, recovery codes and the admins' requirement.
type SecondFactorStore interface {
	// FindTOTP is ENOTFOUND when the user has none (not even one being set up).
	FindTOTP(ctx context.Context, userID int64) (*TOTP, error)
	// StartTOTP replaces an unconfirmed factor with a new secret; ECONFLICT when a
	// confirmed one exists.
	StartTOTP(ctx context.Context, userID int64, secretBox []byte) error
	// ConfirmTOTP turns the factor on at step with the recovery codes' hashes, and
	// records it in the audit log.
	ConfirmTOTP(ctx context.Context, a *Actor, step int64, codeHashes [][]byte) error
	// UseTOTPStep accepts step for the user's confirmed factor once: false when a code of
	// that step or a later one was already used.
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	// UseRecoveryCode spends the unused code with the hash: false when there is none.
	UseRecoveryCode(ctx context.Context, userID int64, codeHash []byte) (bool, error)
	CountRecoveryCodes(ctx context.Context, userID int64) (int, error)
	// ReplaceRecoveryCodes replaces the actor's recovery codes, with an audit entry.
	ReplaceRecoveryCodes(ctx context.Context, a *Actor, codeHashes [][]byte) error
	// DeleteTOTP turns the factor off and deletes the recovery codes, with an audit entry.
	DeleteTOTP(ctx context.Context, a *Actor) error
	FindRequireAdminTOTP(ctx context.Context, orgID int64) (bool, error)
	SetRequireAdminTOTP(ctx context.Context, a *Actor, on bool) error
}
