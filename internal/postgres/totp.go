package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

// FindTOTP returns the user's factor, confirmed or being set up; ENOTFOUND without one.
func (db *DB) FindTOTP(ctx context.Context, userID int64) (*app.TOTP, error) {
	var t app.TOTP
	err := db.GetContext(ctx, &t, `SELECT user_id, secret_box, confirmed_at, last_step FROM user_totp WHERE user_id = $1`, userID)
	if err != nil {
		return nil, notFound(err, "Second factor")
	}
	return &t, nil
}

// startTOTP replaces a set-up under way, never a confirmed factor (then no row changes).
const startTOTP = `
INSERT INTO user_totp (user_id, secret_box) VALUES ($1, $2)
ON CONFLICT (user_id) DO UPDATE SET secret_box = EXCLUDED.secret_box, created_at = now(), last_step = 0
WHERE user_totp.confirmed_at IS NULL`

// StartTOTP keeps a new secret for a set-up; ECONFLICT when the factor is already on.
func (db *DB) StartTOTP(ctx context.Context, userID int64, secretBox []byte) error {
	res, err := db.ExecContext(ctx, startTOTP, userID, secretBox)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ECONFLICT, "The second factor is already on; turn it off first to set up another.")
	}
	return nil
}

// ConfirmTOTP turns the set-up factor on at step, replaces the recovery codes, and records it.
func (db *DB) ConfirmTOTP(ctx context.Context, a *app.Actor, step int64, codeHashes [][]byte) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE user_totp SET confirmed_at = now(), last_step = $2
			WHERE user_id = $1 AND confirmed_at IS NULL`, a.UserID, step)
		if err != nil {
			return mapErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ECONFLICT, "There is no second factor being set up: start again.")
		}
		if err := insertRecoveryCodes(ctx, tx, a.UserID, codeHashes); err != nil {
			return err
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: a.OrgID, ActorID: a.UserID, PersonID: &a.UserID,
			Action: app.AuditCreate, Entity: "second_factor", EntityID: a.UserID,
			Summary: "Turned on the second factor (authenticator app) with recovery codes"})
	})
}

func insertRecoveryCodes(ctx context.Context, tx *sqlx.Tx, userID int64, hashes [][]byte) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return mapErr(err)
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// ReplaceRecoveryCodes replaces the actor's recovery codes (the factor must be on), and records it.
func (db *DB) ReplaceRecoveryCodes(ctx context.Context, a *app.Actor, codeHashes [][]byte) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := insertRecoveryCodes(ctx, tx, a.UserID, codeHashes); err != nil {
			return err
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: a.OrgID, ActorID: a.UserID, PersonID: &a.UserID,
			Action: app.AuditUpdate, Entity: "second_factor", EntityID: a.UserID, Summary: "Made new recovery codes (the old ones no longer work)"})
	})
}

// UseTOTPStep moves the factor's last step forward to step, once: a code is good once.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := db.ExecContext(ctx, `UPDATE user_totp SET last_step = $2
		WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2`, userID, step)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// UseRecoveryCode spends an unused code, once.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, codeHash []byte) (bool, error) {
	res, err := db.ExecContext(ctx, `UPDATE recovery_codes SET used_at = now()
		WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, userID, codeHash)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// CountRecoveryCodes counts the user's unused recovery codes.
func (db *DB) CountRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.GetContext(ctx, &n, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID)
	return n, mapErr(err)
}

// DeleteTOTP turns the actor's factor off with its recovery codes, and records it.
func (db *DB) DeleteTOTP(ctx context.Context, a *app.Actor) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM user_totp WHERE user_id = $1`, a.UserID)
		if err != nil {
			return mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, a.UserID); err != nil {
			return mapErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: a.OrgID, ActorID: a.UserID, PersonID: &a.UserID,
			Action: app.AuditDelete, Entity: "second_factor", EntityID: a.UserID, Summary: "Turned off the second factor"})
	})
}

// FindRequireAdminTOTP reports whether the organisation requires a second factor of admins.
func (db *DB) FindRequireAdminTOTP(ctx context.Context, orgID int64) (bool, error) {
	var on bool
	err := db.GetContext(ctx, &on, `SELECT require_admin_totp FROM organisations WHERE id = $1`, orgID)
	return on, notFound(err, "Organisation")
}

// SetRequireAdminTOTP sets the requirement, with its audit entry.
func (db *DB) SetRequireAdminTOTP(ctx context.Context, a *app.Actor, on bool) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		e := app.AuditEntry{OrgID: a.OrgID, Action: app.AuditUpdate, Entity: "org_security", EntityID: a.OrgID,
			Summary: "Second factor for admins"}
		return auditChange(ctx, tx, e, `SELECT jsonb_build_object('require_admin_totp', require_admin_totp)
			FROM organisations WHERE id = $1`, []any{a.OrgID}, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE organisations SET require_admin_totp = $2 WHERE id = $1`, a.OrgID, on)
			return mapErr(err)
		})
	})
}
