package app

import (
	"context"
	"time"
)

// Invitation is an offer of an account in an organisation, sent by e-mail as a one-time
// link (its token is stored only as a hash).
type Invitation struct {
	ID          int64      `db:"id" json:"id"`
	OrgID       int64      `db:"org_id" json:"-"`
	OrgName     string     `db:"org_name" json:"-"`
	Email       string     `db:"email" json:"email"`
	Name        string     `db:"name" json:"name"`
	Role        string     `db:"role" json:"role"`
	TeamID      *int64     `db:"team_id" json:"team_id"`
	TeamName    *string    `db:"team_name" json:"team_name"`
	InvitedBy   *int64     `db:"invited_by" json:"invited_by"`
	InviterName *string    `db:"inviter_name" json:"inviter_name"`
	CreatedAt   time.Time  `db:"created_at" json:"created_at"`
	SentAt      time.Time  `db:"sent_at" json:"sent_at"`
	ExpiresAt   time.Time  `db:"expires_at" json:"expires_at"`
	AcceptedAt  *time.Time `db:"accepted_at" json:"-"`
	RevokedAt   *time.Time `db:"revoked_at" json:"-"`
}

// NewInvitation is an invitation ready to be stored: the row, its token's hash (the
// token is only in the e-mail) and its e-mail.
type NewInvitation struct {
	Invitation *Invitation
	TokenHash  []byte
	Mail       Mail
}

// Expired reports whether the invitation's link no longer works at now (resending renews it).
func (i *Invitation) Expired(now time.Time) bool { return !now.Before(i.ExpiresAt) }

// TeamRole is the team role an invited person gets in the invitation's team.
func (i *Invitation) TeamRole() string {
	switch i.Role {
	case RolePM:
		return TeamMember
	case RoleHR:
		return TeamHRPartner
	}
	return TeamLeader
}

// SessionInfo is one live sign-in as its owner sees it on the Security page.
type SessionInfo struct {
	ID         string    `db:"id" json:"id"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at" json:"last_seen_at"`
	ExpiresAt  time.Time `db:"expires_at" json:"expires_at"`
	IP         string    `db:"ip" json:"ip"`
	UserAgent  string    `db:"user_agent" json:"user_agent"`
	Device     string    `db:"-" json:"device"`  // a short description of the user agent
	Current    bool      `db:"-" json:"current"` // the session of the request
}

// Mailer renders an e-mail from the templates (package mail's Templates).
type Mailer interface {
	Render(name, to string, data any) (Mail, error)
}

// InvitationStore keeps invitations. Every write records its audit entry, and the
// e-mail it enqueues (when given), in its own transaction.
type InvitationStore interface {
	// CreateInvitation inserts inv, open until inv.ExpiresAt: ECONFLICT (field email) when
	// the address has an account in the organisation or an open invitation.
	CreateInvitation(ctx context.Context, inv *Invitation, tokenHash []byte, m *Mail) error
	// FindInvitations lists the organisation's open invitations, newest first; invitedBy
	// > 0: only those that person sent.
	FindInvitations(ctx context.Context, orgID, invitedBy int64) ([]Invitation, error)
	// FindInvitationByID returns an open invitation of the organisation, else ENOTFOUND.
	FindInvitationByID(ctx context.Context, orgID, id int64) (*Invitation, error)
	// FindInvitationByToken returns the open, unexpired invitation the token opens, else ENOTFOUND.
	FindInvitationByToken(ctx context.Context, tokenHash []byte) (*Invitation, error)
	// ResendInvitation gives an open invitation a new token and expiry and enqueues m.
	ResendInvitation(ctx context.Context, orgID, id int64, tokenHash []byte, expires time.Time, m Mail) error
	// RevokeInvitation closes an open invitation (ENOTFOUND when there is none).
	RevokeInvitation(ctx context.Context, orgID, id int64) error
	// AcceptInvitation, in one transaction, closes the open unexpired invitation the
	// token opens (ENOTFOUND when none: used, revoked, expired or forged), creates its
	// account with the password hash, joins it to the invitation's team and starts a
	// session.
	AcceptInvitation(ctx context.Context, tokenHash []byte, passwordHash string, ttl time.Duration, ip, userAgent string) (*User, *Session, error)
	// AcceptInvitationByEmail, in one transaction, closes the organisation's open
	// unexpired invitation of the address (ENOTFOUND when none), creates its account with
	// the password hash and joins it to the invitation's team: single sign-on verified
	// the address.
	AcceptInvitationByEmail(ctx context.Context, orgID int64, email, passwordHash string) (*User, error)
}

// PasswordStore keeps password changes and resets.
type PasswordStore interface {
	// ChangePassword sets the user's password hash, ends every other session of the
	// user (all of them when keepSession is ""), records the change and enqueues m.
	ChangePassword(ctx context.Context, orgID, userID int64, hash, keepSession string, m Mail) error
	// RecordResetRequest notes a reset request and returns how many, this one included,
	// the e-mail and the address made within the window.
	RecordResetRequest(ctx context.Context, email, ip string, window time.Duration) (byEmail, byIP int, err error)
	// CreatePasswordReset stores a reset link's token hash for the user, valid until
	// expires, and enqueues m.
	CreatePasswordReset(ctx context.Context, userID int64, tokenHash []byte, expires time.Time, m Mail) error
	// FindPasswordReset returns the user an unused, unexpired reset token is for, else ENOTFOUND.
	FindPasswordReset(ctx context.Context, tokenHash []byte) (*User, error)
	// ResetPassword uses the token (once: ENOTFOUND when it is used, expired or unknown),
	// sets the password hash, voids the user's other reset links, ends every session,
	// records the reset and enqueues m.
	ResetPassword(ctx context.Context, tokenHash []byte, hash string, m Mail) error
	// FindUserSessions lists the user's live sessions, last seen first.
	FindUserSessions(ctx context.Context, userID int64) ([]SessionInfo, error)
	// EndSession ends one live session of the user (ENOTFOUND when it is not one).
	EndSession(ctx context.Context, orgID, userID int64, sessionID string) error
	// EndOtherSessions ends every live session of the user but keep and says how many.
	EndOtherSessions(ctx context.Context, orgID, userID int64, keep string) (int, error)
}
