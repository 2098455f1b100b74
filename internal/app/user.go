package app

import (
	"context"
	"regexp"
	"time"
)

// Roles of a user in an organisation.
const (
	RoleAdmin  = "admin"
	RoleLeader = "leader"
	RolePM     = "pm"
	RoleHR     = "hr"
)

// Roles lists every role, in the order the UI shows them.
var Roles = []string{RoleAdmin, RoleLeader, RolePM, RoleHR}

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return contains(Roles, r) }

// Organisation is a tenant: nothing crosses organisations.
type Organisation struct {
	ID        int64     `db:"id" json:"id"`
	Slug      string    `db:"slug" json:"slug"`
	Name      string    `db:"name" json:"name"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// User is a person who can sign in.
type User struct {
	ID           int64     `db:"id" json:"id"`
	OrgID        int64     `db:"org_id" json:"org_id"`
	Email        string    `db:"email" json:"email"`
	Name         string    `db:"name" json:"name"`
	Role         string    `db:"role" json:"role"`
	Title        *string   `db:"title" json:"title"`
	Active       bool      `db:"active" json:"active"`
	PasswordHash string    `db:"password_hash" json:"-"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// SignInAccount is an account a sign-in may open, with its organisation.
type SignInAccount struct {
	User
	OrgSlug string `db:"org_slug"`
	OrgName string `db:"org_name"`
	// PasswordSignIn false: the organisation signs in with SSO only.
	PasswordSignIn bool `db:"password_sign_in"`
	// HasTOTP: the account has a confirmed second factor to ask for after the password.
	HasTOTP bool `db:"has_totp"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// ValidSlug reports whether s is an organisation's short name: lower-case letters, digits
// and hyphens, 2–40 characters.
func ValidSlug(s string) bool { return slugPattern.MatchString(s) }

// TitleKey returns the user's title key or "".
func (u *User) TitleKey() string { return deref(u.Title) }

// Actor is the authenticated caller of a request.
type Actor struct {
	UserID    int64
	OrgID     int64
	Role      string
	Name      string
	Email     string
	SessionID string
	// SessionExpires is when the session ends.
	SessionExpires time.Time
	// DataVersion is the organisation's data version when the session was looked up: it
	// changes with every write to a dashboard's inputs (see migrations/00011).
	DataVersion int64
	// MustEnrolTOTP: an admin of an organisation that requires a second factor for admins,
	// who has none yet: only the Security page and signing out are open to them.
	MustEnrolTOTP bool
}

// Is reports whether the actor has one of the roles.
func (a *Actor) Is(roles ...string) bool { return contains(roles, a.Role) }

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the context, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// UserUpdate holds the fields of a user an admin may change; nil means unchanged.
type UserUpdate struct {
	Name   *string `json:"name"`
	Title  *string `json:"title"`
	Role   *string `json:"role"`
	Active *bool   `json:"active"`
}

// Session is a sign-in; revoking it ends every token that carries its id at once.
type Session struct {
	ID        string     `db:"id"`
	UserID    int64      `db:"user_id"`
	CreatedAt time.Time  `db:"created_at"`
	ExpiresAt time.Time  `db:"expires_at"`
	RevokedAt *time.Time `db:"revoked_at"`
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// deref returns the string an optional key points to, or "" for none.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
