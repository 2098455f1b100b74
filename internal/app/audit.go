package app

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry is one row of the append-only audit log: who wrote what, when, with the
// state before and after where it applies. Storage records one inside the transaction of
// every write, so a write and its entry commit together. Private coaching notes' text is
// never in it.
type AuditEntry struct {
	ID      int64 `db:"id" json:"id"`
	OrgID   int64 `db:"org_id" json:"-"`
	ActorID int64 `db:"actor_id" json:"actor_id"` // 0: the system (seed, command line)
	// TeamID is the team the write belongs to; PersonID the person it is about. A team's
	// log holds the entries of the team and those about its members.
	TeamID   *int64          `db:"team_id" json:"team_id"`
	PersonID *int64          `db:"person_id" json:"person_id"`
	Action   string          `db:"action" json:"action"`
	Entity   string          `db:"entity" json:"entity"`
	EntityID int64           `db:"entity_id" json:"entity_id"` // 0: none
	Summary  string          `db:"summary" json:"summary"`
	Before   json.RawMessage `db:"-" json:"before"`
	After    json.RawMessage `db:"-" json:"after"`

	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	ActorName  string    `db:"actor_name" json:"actor_name"`
	TeamName   string    `db:"team_name" json:"team_name,omitempty"`
	PersonName string    `db:"person_name" json:"person_name,omitempty"`
}

// Audit actions.
const (
	AuditCreate  = "create"
	AuditUpdate  = "update"
	AuditDelete  = "delete"
	AuditRate    = "rate"
	AuditAdd     = "add"
	AuditRemove  = "remove"
	AuditReview  = "review"
	AuditRestore = "restore"
	AuditAnswer  = "answer"
	AuditDecline = "decline"
	AuditImport  = "import"
	AuditReflect = "reflect"
	AuditShare   = "share"
	AuditInvite  = "invite"
	AuditResend  = "resend"
	AuditRevoke  = "revoke"
	AuditAccept  = "accept"
	AuditReset   = "reset"
	AuditEnd     = "end"
	AuditSignIn  = "sign_in" // by SSO or with a second factor
)

// AuditActions lists the actions the audit filter offers, in order.
var AuditActions = []string{AuditCreate, AuditUpdate, AuditDelete, AuditRate, AuditAdd, AuditRemove,
	AuditReview, AuditRestore, AuditAnswer, AuditDecline, AuditImport, AuditReflect, AuditShare,
	AuditInvite, AuditResend, AuditRevoke, AuditAccept, AuditReset, AuditEnd, AuditSignIn}

// AuditEntities lists the entities the audit filter offers; features add theirs
// (mentor_opt_out: entries written before mentoring became opt-in, mentor_consent since).
var AuditEntities = []string{"organisation", "user", "password", "team", "team_member", "ratings", "profile",
	"competency_area", "competency", "ladder", "team_targets", "peer_request", "sop", "coaching_plan", "check_in",
	"coaching_action", "requisition", "career_role", "learning_resource", "mentorship", "mentor_opt_out", "mentor_consent", "import",
	"hiring_brief", "cycle", "cycle_agreement",
	"invitation", "session", "sso_settings", "second_factor", "org_security"}

// AuditFilter selects audit entries of one organisation, newest first; zero fields do
// not filter.
type AuditFilter struct {
	OrgID int64
	// TeamID selects a team's log: entries of the team and entries about its members.
	TeamID   int64
	ActorID  int64
	Action   string
	Entity   string
	EntityID int64
	From, To time.Time // [From, To)
	BeforeID int64     // paging: entries older than this id
	Limit    int
}

// MaxAuditPage bounds one page of the audit log.
const MaxAuditPage = 500

// AuditStore reads the audit log (writes go through each write's own transaction).
type AuditStore interface {
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
