package postgres

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

const userColumns = `id, org_id, email, name, role, title, active, password_hash, created_at, updated_at`

// FindUserByID returns a user of the organisation.
func (db *DB) FindUserByID(ctx context.Context, orgID, id int64) (*app.User, error) {
	var u app.User
	err := db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1 AND org_id = $2`, id, orgID)
	if err != nil {
		return nil, notFound(err, "User")
	}
	return &u, nil
}

// FindUserByEmail returns the organisation's user with the e-mail (any case).
func (db *DB) FindUserByEmail(ctx context.Context, orgID int64, email string) (*app.User, error) {
	var u app.User
	err := db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE org_id = $1 AND lower(email) = lower($2)`,
		orgID, strings.TrimSpace(email))
	if err != nil {
		return nil, notFound(err, "User")
	}
	return &u, nil
}

// findSignInAccounts: the active accounts with the e-mail, in the organisation with the
// slug ($2) or in any when it is empty, oldest first, at most $3.
const findSignInAccounts = `
SELECT u.id, u.org_id, u.email, u.name, u.role, u.title, u.active, u.password_hash, u.created_at, u.updated_at,
       o.slug AS org_slug, o.name AS org_name, COALESCE(sso.password_sign_in, true) AS password_sign_in,
       EXISTS (SELECT FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS has_totp
FROM users u JOIN organisations o ON o.id = u.org_id
LEFT JOIN org_sso sso ON sso.org_id = o.id AND sso.enabled
WHERE lower(u.email) = lower($1) AND u.active AND ($2 = '' OR o.slug = $2)
ORDER BY u.id
LIMIT $3`

// FindSignInAccounts returns the active accounts a sign-in with the e-mail may open, with
// their organisations: every organisation's, or only the one with orgSlug. At most limit.
func (db *DB) FindSignInAccounts(ctx context.Context, email, orgSlug string, limit int) ([]app.SignInAccount, error) {
	accounts := []app.SignInAccount{}
	err := db.SelectContext(ctx, &accounts, findSignInAccounts, strings.TrimSpace(email), orgSlug, limit)
	return accounts, mapErr(err)
}

// FindUsers lists the organisation's users by name.
func (db *DB) FindUsers(ctx context.Context, orgID int64) ([]app.User, error) {
	users := []app.User{}
	err := db.SelectContext(ctx, &users, `SELECT `+userColumns+` FROM users WHERE org_id = $1 ORDER BY name, id`, orgID)
	return users, mapErr(err)
}

// CreateUser inserts a user with an already hashed password. An e-mail is unique within
// its organisation only (ECONFLICT there); another organisation's accounts are never
// consulted, so the answer tells nothing about them.
func (db *DB) CreateUser(ctx context.Context, u *app.User) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, u,
			`INSERT INTO users (org_id, email, name, role, title, password_hash)
			 VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+userColumns,
			u.OrgID, strings.TrimSpace(u.Email), strings.TrimSpace(u.Name), u.Role, u.Title, u.PasswordHash)
		if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
			return &app.Error{Code: app.ECONFLICT, Field: "email", Message: "A user with this e-mail already exists."}
		} else if err != nil {
			return mapErr(err)
		}
		return auditChange(ctx, tx, app.AuditEntry{OrgID: u.OrgID, PersonID: &u.ID, Action: app.AuditCreate,
			Entity: "user", EntityID: u.ID}, snapUser, []any{u.ID}, func() error { return nil })
	})
}

// UpdateUser applies an admin's changes; deactivating revokes every session at once.
func (db *DB) UpdateUser(ctx context.Context, orgID, id int64, upd app.UserUpdate) (*app.User, error) {
	var u app.User
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		e := app.AuditEntry{OrgID: orgID, PersonID: &id, Action: app.AuditUpdate, Entity: "user", EntityID: id}
		return auditChange(ctx, tx, e, snapUser, []any{id}, func() error {
			return notFound(tx.GetContext(ctx, &u, `
				UPDATE users SET
					name   = COALESCE($3, name),
					title  = CASE WHEN $4::text IS NULL THEN title WHEN $4 = '' THEN NULL ELSE $4 END,
					role   = COALESCE($5, role),
					active = COALESCE($6, active),
					updated_at = now()
				WHERE id = $1 AND org_id = $2
				RETURNING `+userColumns, id, orgID, upd.Name, upd.Title, upd.Role, upd.Active), "User")
		})
	})
	if err != nil {
		return nil, err
	}
	if !u.Active {
		if err := db.RevokeUserSessions(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return &u, nil
}

// SetPassword stores a new password hash (the log says it changed, never the hash).
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var orgID int64
		err := tx.GetContext(ctx, &orgID, `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING org_id`, userID, hash)
		if err != nil {
			return notFound(err, "User")
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, PersonID: &userID, Action: app.AuditUpdate,
			Entity: "password", EntityID: userID, Summary: "password set"})
	})
}

// notFound maps a missing row to ENOTFOUND naming what was sought.
func notFound(err error, what string) error {
	err = mapErr(err)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.ErrNotFound(what)
	}
	return err
}
