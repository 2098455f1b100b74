package postgres

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

const findSSOSettings = `
SELECT org_id, issuer, client_id, client_secret_box, enabled, password_sign_in, auto_create, default_role, updated_at
FROM org_sso WHERE org_id = $1`

// FindSSOSettings returns the organisation's OpenID provider; ENOTFOUND without one.
func (db *DB) FindSSOSettings(ctx context.Context, orgID int64) (*app.SSOSettings, error) {
	var s app.SSOSettings
	if err := db.GetContext(ctx, &s, findSSOSettings, orgID); err != nil {
		return nil, notFound(err, "Single sign-on")
	}
	s.HasSecret = len(s.SecretBox) > 0
	return &s, nil
}

// saveSSOSettings: a NULL box ($4) keeps the secret kept.
const saveSSOSettings = `
INSERT INTO org_sso (org_id, issuer, client_id, client_secret_box, enabled, password_sign_in, auto_create, default_role)
VALUES ($1, $2, $3, COALESCE($4, ''::bytea), $5, $6, $7, $8)
ON CONFLICT (org_id) DO UPDATE SET
    issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
    client_secret_box = COALESCE($4, org_sso.client_secret_box),
    enabled = EXCLUDED.enabled, password_sign_in = EXCLUDED.password_sign_in,
    auto_create = EXCLUDED.auto_create, default_role = EXCLUDED.default_role, updated_at = now()`

// snapSSO is the provider as the audit log keeps it: whether a secret changed, never the secret.
const snapSSO = `SELECT to_jsonb(s) - 'client_secret_box' - 'updated_at' - 'org_id' ||
	jsonb_build_object('secret_sha256', encode(sha256(s.client_secret_box), 'hex'))
	FROM org_sso s WHERE s.org_id = $1`

// SaveSSOSettings creates or replaces the organisation's provider, with its audit entry.
func (db *DB) SaveSSOSettings(ctx context.Context, s *app.SSOSettings) error {
	var box any
	if s.SecretBox != nil {
		box = s.SecretBox
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		e := app.AuditEntry{OrgID: s.OrgID, Action: app.AuditUpdate, Entity: "sso_settings", Summary: "Single sign-on settings"}
		return auditChange(ctx, tx, e, snapSSO, []any{s.OrgID}, func() error {
			_, err := tx.ExecContext(ctx, saveSSOSettings, s.OrgID, s.Issuer, s.ClientID, box, s.Enabled, s.PasswordSignIn,
				s.AutoCreate, s.DefaultRole)
			return mapErr(err)
		})
	})
}

// CreateSSOLogin keeps a sign-in under way for ttl, and drops the expired ones.
func (db *DB) CreateSSOLogin(ctx context.Context, stateHash []byte, l app.SSOLogin, ttl time.Duration) error {
	_, err := db.ExecContext(ctx, `
		WITH expired AS (DELETE FROM sso_logins WHERE expires_at < now())
		INSERT INTO sso_logins (state_hash, org_id, nonce, verifier, next, expires_at)
		VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')`,
		stateHash, l.OrgID, l.Nonce, l.Verifier, l.Next, ttl.Milliseconds())
	return mapErr(err)
}

// TakeSSOLogin deletes the live sign-in with the state and returns it: a state is good once.
func (db *DB) TakeSSOLogin(ctx context.Context, stateHash []byte) (*app.SSOLogin, error) {
	var l app.SSOLogin
	err := db.GetContext(ctx, &l, `
		WITH taken AS (DELETE FROM sso_logins WHERE state_hash = $1 RETURNING *)
		SELECT org_id, nonce, verifier, next FROM taken WHERE expires_at > now()`, stateHash)
	if err != nil {
		return nil, notFound(err, "Sign-in")
	}
	return &l, nil
}

// RecordSignIn writes the audit entry of a sign-in that is not a plain password's: by
// SSO or with a second factor.
func (db *DB) RecordSignIn(ctx context.Context, u *app.User, how string) error {
	return mapErr(recordAudit(ctx, db, app.AuditEntry{OrgID: u.OrgID, ActorID: u.ID, PersonID: &u.ID,
		Action: app.AuditSignIn, Entity: "user", EntityID: u.ID, Summary: "Signed in " + how}))
}
