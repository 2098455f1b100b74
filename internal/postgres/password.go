package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

// Password changes and resets, and the Security page's sessions (migrations/00019).

// ChangePassword sets the hash, ends the user's other sessions, records the change and
// enqueues the e-mail that says so, in one transaction.
func (db *DB) ChangePassword(ctx context.Context, orgID, userID int64, hash, keepSession string, m app.Mail) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		return setPassword(ctx, tx, orgID, userID, hash, keepSession, app.AuditUpdate, "password changed", m)
	})
}

// setPassword is a change and a reset alike: the hash, every session but keep ended, the
// user's open reset links voided, the audit entry and the e-mail.
func setPassword(ctx context.Context, tx *sqlx.Tx, orgID, userID int64, hash, keep, action, summary string, m app.Mail) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $3, updated_at = now() WHERE id = $1 AND org_id = $2`,
		userID, orgID, hash)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return app.ErrNotFound("User")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = now()
		WHERE user_id = $1 AND revoked_at IS NULL AND id::text <> $2`, userID, keep); err != nil {
		return mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, userID); err != nil {
		return mapErr(err)
	}
	if err := recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, ActorID: userID, PersonID: &userID, Action: action,
		Entity: "password", EntityID: userID, Summary: summary}); err != nil {
		return err
	}
	_, err = EnqueueMail(ctx, tx, "", m)
	return err
}

// RecordResetRequest notes the request and counts the window's requests of the e-mail
// and of the address, this one included; requests older than a day are pruned.
func (db *DB) RecordResetRequest(ctx context.Context, email, ip string, window time.Duration) (byEmail, byIP int, err error) {
	var n struct {
		Email int `db:"by_email"`
		IP    int `db:"by_ip"`
	}
	err = db.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			WITH pruned AS (DELETE FROM password_reset_requests WHERE at < now() - interval '1 day')
			INSERT INTO password_reset_requests (email, ip) VALUES ($1, $2)`, truncate(strings.TrimSpace(email), 254), ip); err != nil {
			return mapErr(err)
		}
		return mapErr(tx.GetContext(ctx, &n, `
			SELECT count(*) FILTER (WHERE lower(email) = lower($1)) AS by_email, count(*) FILTER (WHERE ip = $2) AS by_ip
			FROM password_reset_requests
			WHERE (lower(email) = lower($1) OR ip = $2) AND at > now() - $3 * interval '1 second'`,
			truncate(strings.TrimSpace(email), 254), ip, int64(window.Seconds())))
	})
	return n.Email, n.IP, err
}

// CreatePasswordReset stores a reset link for the user and enqueues its e-mail.
func (db *DB) CreatePasswordReset(ctx context.Context, userID int64, tokenHash []byte, expires time.Time, m app.Mail) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`,
			userID, tokenHash, expires); err != nil {
			return mapErr(err)
		}
		_, err := EnqueueMail(ctx, tx, "", m)
		return err
	})
}

const findPasswordReset = `
SELECT ` + userColumns + ` FROM users
WHERE active AND id = (SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now())`

// FindPasswordReset returns the active user an unused, unexpired reset token is for.
func (db *DB) FindPasswordReset(ctx context.Context, tokenHash []byte) (*app.User, error) {
	var u app.User
	if err := db.GetContext(ctx, &u, findPasswordReset, tokenHash); err != nil {
		return nil, notFound(err, "Password reset")
	}
	return &u, nil
}

// ResetPassword uses the token once (the UPDATE takes it: a second use finds it used)
// and sets the password, ending every session of the user.
func (db *DB) ResetPassword(ctx context.Context, tokenHash []byte, hash string, m app.Mail) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var u struct {
			ID    int64 `db:"id"`
			OrgID int64 `db:"org_id"`
		}
		err := tx.GetContext(ctx, &u, `
			UPDATE password_resets r SET used_at = now() FROM users u
			WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now() AND u.id = r.user_id AND u.active
			RETURNING u.id, u.org_id`, tokenHash)
		if err != nil {
			return notFound(err, "Password reset")
		}
		return setPassword(ctx, tx, u.OrgID, u.ID, hash, "", app.AuditReset, "password reset by e-mail", m)
	})
}

// FindUserSessions lists the user's live sessions, last seen first.
func (db *DB) FindUserSessions(ctx context.Context, userID int64) ([]app.SessionInfo, error) {
	out := []app.SessionInfo{}
	err := db.SelectContext(ctx, &out, `
		SELECT id, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
		ORDER BY last_seen_at DESC, created_at DESC`, userID)
	return out, mapErr(err)
}

// EndSession ends one live session of the user.
func (db *DB) EndSession(ctx context.Context, orgID, userID int64, sessionID string) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = now()
			WHERE id::text = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()`, sessionID, userID)
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return app.ErrNotFound("Session")
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, ActorID: userID, PersonID: &userID, Action: app.AuditEnd,
			Entity: "session", Summary: "one session ended"})
	})
}

// EndOtherSessions ends every live session of the user but keep.
func (db *DB) EndOtherSessions(ctx context.Context, orgID, userID int64, keep string) (int, error) {
	var n int64
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = now()
			WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND id::text <> $2`, userID, keep)
		if err != nil {
			return mapErr(err)
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return mapErr(err)
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, ActorID: userID, PersonID: &userID, Action: app.AuditEnd,
			Entity: "session", Summary: "every other session ended"})
	})
	return int(n), err
}
