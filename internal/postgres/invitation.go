package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

// Invitations (migrations/00019). An invitation is open while neither accepted nor
// revoked; its link works while it is open and not expired.

const invitationColumns = `i.id, i.org_id, o.name AS org_name, i.email, i.name, i.role, i.team_id, t.name AS team_name,
	i.invited_by, u.name AS inviter_name, i.created_at, i.sent_at, i.expires_at, i.accepted_at, i.revoked_at`

const invitationFrom = `
FROM invitations i JOIN organisations o ON o.id = i.org_id
LEFT JOIN teams t ON t.id = i.team_id LEFT JOIN users u ON u.id = i.invited_by`

const openInvitation = `i.accepted_at IS NULL AND i.revoked_at IS NULL`

// snapInvitation is what the audit log keeps of an invitation (never its token hash).
const snapInvitation = `SELECT to_jsonb(i) - 'token_hash' - 'org_id' FROM invitations i WHERE i.id = $1`

// CreateInvitation inserts the invitation, its audit entry and its e-mail in one
// transaction. The address must not have an account in the organisation nor an open
// invitation there (ECONFLICT, field email).
func (db *DB) CreateInvitation(ctx context.Context, inv *app.Invitation, tokenHash []byte, m *app.Mail) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		return insertInvitation(ctx, tx, inv, tokenHash, m)
	})
}

// insertInvitation is CreateInvitation within tx (an import creates many in its own).
func insertInvitation(ctx context.Context, tx *sqlx.Tx, inv *app.Invitation, tokenHash []byte, m *app.Mail) error {
	inv.Email, inv.Name = strings.TrimSpace(inv.Email), strings.TrimSpace(inv.Name)
	var exists bool
	if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT FROM users WHERE org_id = $1 AND lower(email) = lower($2))`,
		inv.OrgID, inv.Email); err != nil {
		return mapErr(err)
	}
	if exists {
		return &app.Error{Code: app.ECONFLICT, Field: "email", Message: "This address already has an account in the organisation."}
	}
	err := tx.GetContext(ctx, inv, `
		INSERT INTO invitations (org_id, email, name, role, team_id, invited_by, token_hash, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id, created_at, sent_at`,
		inv.OrgID, inv.Email, inv.Name, inv.Role, inv.TeamID, inv.InvitedBy, tokenHash, inv.ExpiresAt)
	if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
		return &app.Error{Code: app.ECONFLICT, Field: "email", Message: "This address has a pending invitation already: resend it instead."}
	} else if err != nil {
		return mapErr(err)
	}
	after, err := snapshot(ctx, tx, snapInvitation, inv.ID)
	if err != nil {
		return err
	}
	if err := recordAudit(ctx, tx, app.AuditEntry{OrgID: inv.OrgID, TeamID: inv.TeamID, Action: app.AuditInvite,
		Entity: "invitation", EntityID: inv.ID, Summary: inv.Email, After: after}); err != nil {
		return err
	}
	if m != nil {
		_, err = EnqueueMail(ctx, tx, "", *m)
	}
	return err
}

// FindInvitations lists the open invitations, newest first (only those invitedBy sent, when > 0).
func (db *DB) FindInvitations(ctx context.Context, orgID, invitedBy int64) ([]app.Invitation, error) {
	out := []app.Invitation{}
	err := db.SelectContext(ctx, &out, `SELECT `+invitationColumns+invitationFrom+`
		WHERE i.org_id = $1 AND `+openInvitation+` AND ($2 = 0 OR i.invited_by = $2)
		ORDER BY i.created_at DESC, i.id DESC`, orgID, invitedBy)
	return out, mapErr(err)
}

// FindInvitationByID returns an open invitation of the organisation.
func (db *DB) FindInvitationByID(ctx context.Context, orgID, id int64) (*app.Invitation, error) {
	var inv app.Invitation
	err := db.GetContext(ctx, &inv, `SELECT `+invitationColumns+invitationFrom+`
		WHERE i.id = $1 AND i.org_id = $2 AND `+openInvitation, id, orgID)
	if err != nil {
		return nil, notFound(err, "Invitation")
	}
	return &inv, nil
}

// FindInvitationByToken returns the open, unexpired invitation of the token.
func (db *DB) FindInvitationByToken(ctx context.Context, tokenHash []byte) (*app.Invitation, error) {
	var inv app.Invitation
	err := db.GetContext(ctx, &inv, `SELECT `+invitationColumns+invitationFrom+`
		WHERE i.token_hash = $1 AND `+openInvitation+` AND i.expires_at > now()`, tokenHash)
	if err != nil {
		return nil, notFound(err, "Invitation")
	}
	return &inv, nil
}

// ResendInvitation renews an open invitation's token and expiry and enqueues its e-mail.
func (db *DB) ResendInvitation(ctx context.Context, orgID, id int64, tokenHash []byte, expires time.Time, m app.Mail) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var teamID *int64
		err := tx.GetContext(ctx, &teamID, `
			UPDATE invitations i SET token_hash = $3, expires_at = $4, sent_at = now()
			WHERE i.id = $1 AND i.org_id = $2 AND `+openInvitation+` RETURNING team_id`, id, orgID, tokenHash, expires)
		if err != nil {
			return notFound(err, "Invitation")
		}
		if err := recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, TeamID: teamID, Action: app.AuditResend,
			Entity: "invitation", EntityID: id, Summary: m.To}); err != nil {
			return err
		}
		_, err = EnqueueMail(ctx, tx, "", m)
		return err
	})
}

// RevokeInvitation closes an open invitation: its link stops working at once.
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id int64) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var inv struct {
			TeamID *int64 `db:"team_id"`
			Email  string `db:"email"`
		}
		err := tx.GetContext(ctx, &inv, `UPDATE invitations i SET revoked_at = now()
			WHERE i.id = $1 AND i.org_id = $2 AND `+openInvitation+` RETURNING team_id, email`, id, orgID)
		if err != nil {
			return notFound(err, "Invitation")
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, TeamID: inv.TeamID, Action: app.AuditRevoke,
			Entity: "invitation", EntityID: id, Summary: inv.Email})
	})
}

// AcceptInvitation turns the invitation of the token into an account, in one
// transaction: the invitation is closed first (FOR UPDATE through the UPDATE), so two
// acceptances of one link make one account.
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash []byte, passwordHash string, ttl time.Duration, ip, userAgent string) (*app.User, *app.Session, error) {
	var u *app.User
	var sess *app.Session
	err := db.InTx(ctx, func(tx *sqlx.Tx) (err error) {
		if u, err = acceptInvitation(ctx, tx, `i.token_hash = $1`, passwordHash, tokenHash); err != nil {
			return err
		}
		sess, err = createSession(ctx, tx, u.ID, ttl, ip, userAgent)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return u, sess, nil
}

// AcceptInvitationByEmail turns the organisation's open, unexpired invitation of the
// address (any case) into an account, as AcceptInvitation does: single sign-on has
// verified that the person owns the address. ENOTFOUND when there is none.
func (db *DB) AcceptInvitationByEmail(ctx context.Context, orgID int64, email, passwordHash string) (*app.User, error) {
	var u *app.User
	err := db.InTx(ctx, func(tx *sqlx.Tx) (err error) {
		u, err = acceptInvitation(ctx, tx, `i.org_id = $1 AND lower(i.email) = lower($2)`, passwordHash, orgID, strings.TrimSpace(email))
		return err
	})
	return u, err
}

// acceptInvitation closes the open, unexpired invitation that where (over args) picks,
// creates its account with the password hash, joins it to the invitation's team and
// records the audit entry, within tx.
func acceptInvitation(ctx context.Context, tx *sqlx.Tx, where, passwordHash string, args ...any) (*app.User, error) {
	var inv app.Invitation
	err := tx.GetContext(ctx, &inv, `
		UPDATE invitations i SET accepted_at = now()
		WHERE `+where+` AND `+openInvitation+` AND i.expires_at > now()
		RETURNING i.id, i.org_id, i.email, i.name, i.role, i.team_id`, args...)
	if err != nil {
		return nil, notFound(err, "Invitation")
	}
	var u app.User
	err = tx.GetContext(ctx, &u, `INSERT INTO users (org_id, email, name, role, password_hash)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+userColumns, inv.OrgID, inv.Email, inv.Name, inv.Role, passwordHash)
	if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
		return nil, &app.Error{Code: app.ECONFLICT, Field: "email", Message: "This address has an account in the organisation already: sign in, or reset its password."}
	} else if err != nil {
		return nil, mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET user_id = $2 WHERE id = $1`, inv.ID, u.ID); err != nil {
		return nil, mapErr(err)
	}
	if inv.TeamID != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)`,
			*inv.TeamID, u.ID, inv.TeamRole()); err != nil {
			return nil, mapErr(err)
		}
	}
	if err := recordAudit(ctx, tx, app.AuditEntry{OrgID: u.OrgID, ActorID: u.ID, TeamID: inv.TeamID, PersonID: &u.ID,
		Action: app.AuditAccept, Entity: "invitation", EntityID: inv.ID, Summary: u.Email}); err != nil {
		return nil, err
	}
	return &u, nil
}
