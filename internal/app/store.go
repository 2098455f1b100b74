package app

import (
	"context"
	"time"
)

// Store is everything the HTTP layer and the commands need from storage. Each feature
// adds its own interface here; package postgres implements them all.
type Store interface {
	Ready(ctx context.Context) error
	OrgStore
	UserStore
	SessionStore
	TeamStore
	TeamHistoryStore
	SkillStore
	ProfileStore
	SkillProfileStore
	SOPStore
	CoachingStore
	RequisitionStore
	HiringBriefStore
	DashboardStore
	CareerStore
	TransferStore
	MailStore
	CycleStore
	InvitationStore
	PasswordStore
	SSOStore
	SecondFactorStore
	CalibrationStore
	NotificationStore
}

// OrgStore keeps organisations.
type OrgStore interface {
	FindOrganisationBySlug(ctx context.Context, slug string) (*Organisation, error)
	FindOrganisationByID(ctx context.Context, id int64) (*Organisation, error)
	// CreateOrganisation also creates the default framework, ladder and settings.
	CreateOrganisation(ctx context.Context, slug, name string) (*Organisation, error)
}

// UserStore keeps people.
type UserStore interface {
	FindUserByID(ctx context.Context, orgID, id int64) (*User, error)
	// FindUserByEmail finds the organisation's user with the e-mail: an address may have
	// accounts in several organisations, each its own.
	FindUserByEmail(ctx context.Context, orgID int64, email string) (*User, error)
	// FindSignInAccounts returns the active accounts with the e-mail, in the organisation
	// with the slug or (slug "") in every organisation, oldest first, at most limit: only
	// sign-in looks across organisations (see internal/accounts).
	FindSignInAccounts(ctx context.Context, email, orgSlug string, limit int) ([]SignInAccount, error)
	FindUsers(ctx context.Context, orgID int64) ([]User, error)
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, orgID, id int64, upd UserUpdate) (*User, error)
	SetPassword(ctx context.Context, userID int64, hash string) error
}

// SessionStore keeps sign-ins and failed sign-in counts (shared by every instance).
type SessionStore interface {
	CreateSession(ctx context.Context, userID int64, ttl time.Duration, ip, userAgent string) (*Session, error)
	// FindActiveSession returns the actor behind a live session of an active user, else ENOTFOUND.
	FindActiveSession(ctx context.Context, sessionID string, userID int64) (*Actor, error)
	// TouchSessions moves each session's last_seen_at on to its time (never back), in one
	// statement: the session cache's batch of uses it answered from memory.
	TouchSessions(ctx context.Context, seen map[string]time.Time) error
	RevokeSession(ctx context.Context, sessionID string) error
	RevokeUserSessions(ctx context.Context, userID int64) error
	FindLoginThrottle(ctx context.Context, email, ip string, window time.Duration) (*LoginThrottle, error)
	RecordLoginFailure(ctx context.Context, email, ip string) error
}

// LoginThrottle is the state of failed sign-ins for one e-mail and one address: the
// e-mail's failures from this address, from every address, and this address's failures
// for every e-mail.
type LoginThrottle struct {
	EmailIPFailures int `db:"email_ip_failures"`
	EmailFailures   int `db:"email_failures"`
	IPFailures      int `db:"ip_failures"`
	// Seconds until the oldest failure in the window leaves it.
	EmailIPRetry int `db:"email_ip_retry"`
	EmailRetry   int `db:"email_retry"`
	IPRetry      int `db:"ip_retry"`
}

// TeamStore keeps teams and who is in them.
type TeamStore interface {
	FindTeams(ctx context.Context, a *Actor) ([]Team, error)
	FindTeamByID(ctx context.Context, a *Actor, id int64) (*Team, error)
	// TeamAccess is ENOTFOUND when the team is not the actor's to see.
	TeamAccess(ctx context.Context, a *Actor, teamID int64) (TeamAccess, error)
	CreateTeam(ctx context.Context, orgID int64, name, description string) (*Team, error)
	FindTeamPeople(ctx context.Context, teamID int64) ([]TeamPerson, error)
	SetTeamMember(ctx context.Context, orgID, teamID, userID int64, role string) error
	RemoveTeamMember(ctx context.Context, orgID, teamID, userID int64) error
	// PersonAccess is ENOTFOUND for a person outside the actor's organisation.
	PersonAccess(ctx context.Context, a *Actor, personID int64) (PersonAccess, error)
}
