package app

import (
	"context"
	"encoding/json"
)

// An import brings a skill matrix in from a spreadsheet: one row per person, one column
// per competency key. It is planned (checked against the organisation, every problem
// named by row and column) and then applied all or nothing.

// ImportPerson is what the planner knows of a person of the organisation named in a file.
type ImportPerson struct {
	ID         int64            `db:"id"`
	OrgID      int64            `db:"org_id"`
	Email      string           `db:"email"`
	Name       string           `db:"name"`
	Role       string           `db:"role"`
	Title      *string          `db:"title"`
	Active     bool             `db:"active"`
	Background *string          `db:"background"`
	Teams      map[int64]string `db:"-"` // team id → team role, in the organisation
}

// ImportState is the organisation as far as a file concerns it.
type ImportState struct {
	People    map[string]*ImportPerson // by lower-case e-mail
	Teams     []Team                   // every team of the organisation
	Effective map[int64]map[string]int // user id → competency key → effective level
	Invited   map[string]bool          // lower-case e-mails with an open invitation
}

// ImportPlan is what an import will do, or why it cannot.
type ImportPlan struct {
	OrgID      int64  `json:"-"`
	ImporterID int64  `json:"-"`
	TeamID     *int64 `json:"team_id"`
	TeamName   string `json:"team_name,omitempty"`
	// Hash is the SHA-256 of the file (hex): the confirm sends it back with the same file.
	Hash     string             `json:"hash"`
	Summary  ImportSummary      `json:"summary"`
	People   []ImportPersonPlan `json:"people"`
	Problems []ImportProblem    `json:"problems"`
	// InviteUnknown: people without an account become invitations (role pm, the row's
	// team) instead of accounts with one-time passwords.
	InviteUnknown bool `json:"invite_unknown"`
	// Invitations are the prepared invitations of the Invite rows, in row order, set just
	// before applying.
	Invitations []NewInvitation `json:"-"`
}

// OK reports whether the plan may be applied.
func (p *ImportPlan) OK() bool { return p.Summary.Problems == 0 }

// ImportSummary counts what a plan does.
type ImportSummary struct {
	Rows             int `json:"rows"`
	NewPeople        int `json:"new_people"`
	ChangedPeople    int `json:"changed_people"` // existing people whose name, title or background changes
	NewMemberships   int `json:"new_memberships"`
	RatingChanges    int `json:"rating_changes"`
	UnchangedRatings int `json:"unchanged_ratings"`
	Invitations      int `json:"invitations"` // people without an account invited (invite_unknown)
	Problems         int `json:"problems"`    // all of them; Problems lists at most MaxImportProblems
}

// ImportPersonPlan is one row of the file and what it does.
type ImportPersonPlan struct {
	Row    int    `json:"row"`
	Email  string `json:"email"`
	UserID int64  `json:"user_id,omitempty"` // 0: a new person
	New    bool   `json:"new"`
	// Invite: the person has no account and is invited (by e-mail, into JoinTeamID)
	// instead; they join the team when they accept.
	Invite     bool                 `json:"invite,omitempty"`
	Name       string               `json:"name"`
	Title      string               `json:"title"`      // after the import, "" for none
	Background string               `json:"background"` // after the import, "" for none
	Changes    []ImportFieldChange  `json:"changes"`    // of an existing person
	JoinTeamID int64                `json:"join_team_id,omitempty"`
	JoinTeam   string               `json:"join_team,omitempty"`
	Ratings    []ImportRatingChange `json:"ratings"`
	// PasswordHash of a new person's one-time password, set just before applying.
	PasswordHash string `json:"-"`
}

// Changed reports whether the row does anything.
func (p *ImportPersonPlan) Changed() bool {
	return p.New || p.Invite || len(p.Changes) > 0 || p.JoinTeamID != 0 || len(p.Ratings) > 0
}

// ImportFieldChange is a changed name, title or background.
type ImportFieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// ImportRatingChange is a new leader rating that differs from the current effective one.
type ImportRatingChange struct {
	Competency string `json:"competency"`
	From       *int   `json:"from"` // nil: not assessed
	To         int    `json:"to"`
}

// ImportProblem is one reason a file cannot be imported, by row (1 is the header) and column.
type ImportProblem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// Import limits.
const (
	MaxImportProblems  = 1000
	MaxImportNewPeople = 1000 // one-time passwords are hashed with argon2id, ~50 ms each
	ImportNote         = "imported"
)

// ImportCredential is a new person's one-time password, shown once in the import result.
type ImportCredential struct {
	UserID          int64  `json:"user_id"`
	Email           string `json:"email"`
	Name            string `json:"name"`
	OneTimePassword string `json:"one_time_password"`
}

// ImportResult is what an applied import did.
type ImportResult struct {
	Summary     ImportSummary      `json:"summary"`
	TeamID      *int64             `json:"team_id"`
	TeamName    string             `json:"team_name,omitempty"`
	Credentials []ImportCredential `json:"new_people"`
	Invitations []ImportInvitation `json:"invitations"`
}

// ImportInvitation is an invitation an import created; its e-mail is on its way.
type ImportInvitation struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	TeamID   *int64 `json:"team_id"`
	TeamName string `json:"team_name,omitempty"`
}

// TransferStore reads the audit log, imports skill matrices and exports the organisation.
type TransferStore interface {
	AuditStore
	// FindImportState loads the organisation's people with the e-mails, its teams and
	// their effective ratings (never another organisation's accounts).
	FindImportState(ctx context.Context, orgID int64, emails []string) (*ImportState, error)
	// ApplyImport applies a plan without problems in one transaction: new people (with
	// their password hashes), changed names, titles and backgrounds, memberships, leader
	// ratings by the importer noted "imported", and the audit entry. It sets the UserID
	// of new people. The plan's Invitations are created in the same transaction, each
	// with its audit entry and its e-mail in the outbox, and get their ids.
	ApplyImport(ctx context.Context, p *ImportPlan) error
	// ExportOrganisation returns the organisation as one JSON document (a backup):
	// no password hashes, no private notes' text.
	ExportOrganisation(ctx context.Context, orgID int64) (json.RawMessage, error)
}
