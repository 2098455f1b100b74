package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// SOPCategories are the parts of a team's operating model, in board order.
var SOPCategories = []Option{
	{"intake", "Intake"}, {"backlog", "Backlog"}, {"value_testing", "Value testing"},
	{"product_measurement", "Product measurement"}, {"user_feedback", "User feedback"},
	{"scaling", "Scaling"}, {"go_to_market", "Go-to-market"},
}

// SOPMaturities are how far a procedure has come, from written down to measured.
var SOPMaturities = []Option{
	{"draft", "Draft"}, {"documented", "Documented"}, {"adopted", "Adopted"}, {"measured", "Measured"},
}

// SOPPartners are the partner teams a procedure can have a handshake with.
var SOPPartners = []Option{
	{"engineering", "Engineering"}, {"process", "Process"}, {"finance", "Finance"}, {"hr", "HR"},
	{"design", "Design"}, {"sales", "Sales"}, {"marketing", "Marketing"}, {"legal", "Legal"},
	{"other", "Other"},
}

// SOPPartnerHR is the partner whose handshakes an HR partner of the team may read.
const SOPPartnerHR = "hr"

// Review cadence: a review is "due" within SOPReviewDueDays of its date and "overdue"
// after it; the due list looks SOPDueListDays ahead; a cadence is 1..SOPMaxCadence days.
const (
	SOPReviewDueDays = 14
	SOPDueListDays   = 30
	SOPMaxCadence    = 730
)

// Review statuses of an SOP.
const (
	SOPReviewOK      = "ok"
	SOPReviewDue     = "due"
	SOPReviewOverdue = "overdue"
)

// SOPInUse reports whether a maturity means the team actually runs the procedure.
func SOPInUse(maturity string) bool { return maturity == "adopted" || maturity == "measured" }

// SOPCompetency is a competency a procedure needs, at a level (1–5).
type SOPCompetency struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
}

// SOPHandshake is what the team and a partner team expect of each other in a procedure.
type SOPHandshake struct {
	Partner      string `json:"partner"`
	Purpose      string `json:"purpose"`
	Expectations string `json:"expectations"`
	Contact      string `json:"contact"`
}

// SOPFields are the content of an SOP: what every revision stores. Text and steps are Markdown.
type SOPFields struct {
	Category        string          `db:"category" json:"category"`
	Title           string          `db:"title" json:"title"`
	Purpose         string          `db:"purpose" json:"purpose"`
	OwnerID         *int64          `db:"owner_id" json:"owner_id"`
	Trigger         string          `db:"trigger" json:"trigger"`
	Steps           []string        `db:"-" json:"steps"`
	Outputs         string          `db:"outputs" json:"outputs"`
	DecisionRights  string          `db:"decision_rights" json:"decision_rights"`
	Escalation      string          `db:"escalation" json:"escalation"`
	Metrics         string          `db:"metrics" json:"metrics"`
	ReviewEveryDays int             `db:"review_every_days" json:"review_every_days"`
	Maturity        string          `db:"maturity" json:"maturity"`
	Competencies    []SOPCompetency `db:"-" json:"competencies"`
	Handshakes      []SOPHandshake  `db:"-" json:"handshakes"`
}

// SOP is a team's standard operating procedure at its current revision. The fields after
// SOPFields are read-only: a PUT may send them back and they are ignored.
type SOP struct {
	ID       int64 `db:"id" json:"id"`
	TeamID   int64 `db:"team_id" json:"team_id"`
	Revision int   `db:"revision" json:"revision"`
	SOPFields
	TeamName       string     `db:"team_name" json:"team_name"`
	OwnerName      string     `db:"owner_name" json:"owner_name"`
	CreatedAt      time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time  `db:"updated_at" json:"updated_at"`
	UpdatedBy      string     `db:"updated_by" json:"updated_by"`
	NextReviewOn   time.Time  `db:"next_review_on" json:"next_review_on"`
	LastReviewedAt *time.Time `db:"last_reviewed_at" json:"last_reviewed_at"`
	LastReviewedBy string     `db:"last_reviewed_by" json:"last_reviewed_by"`
	// ReviewStatus is ok, due or overdue as of today (set by SetReviewStatus).
	ReviewStatus string `db:"-" json:"review_status"`
}

// SetReviewStatus sets ReviewStatus as of today: overdue after the review date, due within
// SOPReviewDueDays of it.
func (s *SOP) SetReviewStatus(today time.Time) {
	s.ReviewStatus = SOPReviewStatus(s.NextReviewOn, today)
}

// SOPReviewStatus is the review status of a review date as of today (dates compare by day).
func SOPReviewStatus(next, today time.Time) string {
	n, t := Day(next), Day(today)
	switch {
	case n.Before(t):
		return SOPReviewOverdue
	case !n.After(t.AddDate(0, 0, SOPReviewDueDays)):
		return SOPReviewDue
	}
	return SOPReviewOK
}

// Day returns the calendar day of t (its year, month and day) as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// SOPRevision is one saved version of an SOP.
type SOPRevision struct {
	SOPID      int64     `db:"sop_id" json:"sop_id"`
	Revision   int       `db:"revision" json:"revision"`
	AuthorID   *int64    `db:"author_id" json:"author_id"`
	AuthorName string    `db:"author_name" json:"author_name"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	// RestoredFrom is the revision this one restored, if it is a restore.
	RestoredFrom *int `db:"restored_from" json:"restored_from,omitempty"`
	SOPFields
	OwnerName string `db:"owner_name" json:"owner_name"`
	// Changed lists the fields that differ from the previous revision (set by listings).
	Changed []string `db:"-" json:"changed,omitempty"`
}

// SOPFilter selects SOPs of one organisation.
type SOPFilter struct {
	OrgID   int64
	TeamIDs []int64
	// DueBy, if set, keeps the SOPs whose next review is on or before it.
	DueBy *time.Time
}

// SOPUpdate saves new content as the next revision of an SOP.
type SOPUpdate struct {
	// BaseRevision is the revision the edit started from: if another save came in between,
	// the update fails with ECONFLICT. Zero skips the check (a restore without one).
	BaseRevision int
	AuthorID     int64
	Fields       SOPFields
	RestoredFrom int // the revision restored, 0 for an edit
}

// SOPStore keeps SOPs and their revisions.
type SOPStore interface {
	// FindSOPs lists the current revision of the SOPs the filter selects, by title.
	FindSOPs(ctx context.Context, f SOPFilter) ([]SOP, error)
	// FindSOPByID returns an SOP of the organisation at its current revision.
	FindSOPByID(ctx context.Context, orgID, id int64) (*SOP, error)
	// CreateSOP stores an SOP and its first revision; its first review is due today + cadence.
	CreateSOP(ctx context.Context, orgID, teamID, authorID int64, f SOPFields, today time.Time) (*SOP, error)
	// UpdateSOP adds a revision atomically: ECONFLICT if the SOP moved past BaseRevision.
	// The next review moves by the change of cadence.
	UpdateSOP(ctx context.Context, orgID, id int64, upd SOPUpdate) (*SOP, error)
	// FindSOPRevisions lists every revision, newest first.
	FindSOPRevisions(ctx context.Context, sopID int64) ([]SOPRevision, error)
	FindSOPRevision(ctx context.Context, sopID int64, revision int) (*SOPRevision, error)
	// ReviewSOP records a review today: the next review is today + cadence.
	ReviewSOP(ctx context.Context, orgID, id, reviewerID int64, today time.Time) (*SOP, error)
}

// CanReadSOPs: the team's leaders and members (PMs) and admins read its SOPs; its HR
// partners see only the board summary and the handshakes with HR.
func (t TeamAccess) CanReadSOPs() bool {
	return t.Admin || t.Role == TeamLeader || t.Role == TeamMember
}

// SOP text limits.
const (
	sopMaxText       = 10000
	sopMaxSteps      = 100
	sopMaxStep       = 2000
	sopMaxLinks      = 20
	sopMaxHandshakes = 20
)

// Normalize trims the text of f and drops blank steps and empty rows.
func (f *SOPFields) Normalize() {
	f.Category, f.Maturity = strings.TrimSpace(f.Category), strings.TrimSpace(f.Maturity)
	f.Title = strings.TrimSpace(f.Title)
	for _, p := range []*string{&f.Purpose, &f.Trigger, &f.Outputs, &f.DecisionRights, &f.Escalation, &f.Metrics} {
		*p = strings.TrimSpace(strings.ReplaceAll(*p, "\r\n", "\n"))
	}
	steps := []string{}
	for _, s := range f.Steps {
		// A step is one line: the editor shows one step per line.
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			steps = append(steps, s)
		}
	}
	f.Steps = steps
	if f.Competencies == nil {
		f.Competencies = []SOPCompetency{}
	}
	for i := range f.Competencies {
		f.Competencies[i].Competency = strings.TrimSpace(f.Competencies[i].Competency)
	}
	if f.Handshakes == nil {
		f.Handshakes = []SOPHandshake{}
	}
	for i := range f.Handshakes {
		h := &f.Handshakes[i]
		h.Partner, h.Purpose = strings.TrimSpace(h.Partner), strings.TrimSpace(h.Purpose)
		h.Expectations, h.Contact = strings.TrimSpace(h.Expectations), strings.TrimSpace(h.Contact)
	}
}

// ValidateSOP normalizes f and checks every field against the organisation's framework and
// the people who may own it (the team's leaders and members), naming the first field that
// is wrong.
func ValidateSOP(f *SOPFields, fw *Framework, owners map[int64]bool) error {
	f.Normalize()
	if !ValidOption(SOPCategories, f.Category) {
		return Invalid("category", "Category must be one of %s.", optionKeys(SOPCategories))
	}
	if f.Title == "" || utf8.RuneCountInString(f.Title) > 200 {
		return Invalid("title", "Title must be 1 to 200 characters.")
	}
	for _, t := range []struct{ field, text string }{{"purpose", f.Purpose}, {"trigger", f.Trigger},
		{"outputs", f.Outputs}, {"decision_rights", f.DecisionRights}, {"escalation", f.Escalation}, {"metrics", f.Metrics}} {
		if utf8.RuneCountInString(t.text) > sopMaxText {
			return Invalid(t.field, "%s must be at most %d characters.", t.field, sopMaxText)
		}
	}
	if f.OwnerID != nil && !owners[*f.OwnerID] {
		return Invalid("owner_id", "The owner must be a leader or member of this team.")
	}
	if len(f.Steps) > sopMaxSteps {
		return Invalid("steps", "An SOP has at most %d steps.", sopMaxSteps)
	}
	for i, s := range f.Steps {
		if utf8.RuneCountInString(s) > sopMaxStep {
			return Invalid(fmt.Sprintf("steps[%d]", i), "A step must be at most %d characters.", sopMaxStep)
		}
	}
	if f.ReviewEveryDays < 1 || f.ReviewEveryDays > SOPMaxCadence {
		return Invalid("review_every_days", "Review cadence must be 1 to %d days.", SOPMaxCadence)
	}
	if !ValidOption(SOPMaturities, f.Maturity) {
		return Invalid("maturity", "Maturity must be one of %s.", optionKeys(SOPMaturities))
	}
	if len(f.Competencies) > sopMaxLinks {
		return Invalid("competencies", "Link at most %d competencies.", sopMaxLinks)
	}
	seen := map[string]bool{}
	for i, c := range f.Competencies {
		field := fmt.Sprintf("competencies[%d]", i)
		switch {
		case fw.ByKey(c.Competency) == nil:
			return Invalid(field+".competency", "Unknown competency %q.", c.Competency)
		case seen[c.Competency]:
			return Invalid(field+".competency", "Competency %q is linked twice.", c.Competency)
		case c.Level < 1 || c.Level > 5:
			return Invalid(field+".level", "The level a competency needs must be 1 to 5.")
		}
		seen[c.Competency] = true
	}
	if len(f.Handshakes) > sopMaxHandshakes {
		return Invalid("handshakes", "An SOP has at most %d handshakes.", sopMaxHandshakes)
	}
	for i, h := range f.Handshakes {
		field := fmt.Sprintf("handshakes[%d]", i)
		switch {
		case !ValidOption(SOPPartners, h.Partner):
			return Invalid(field+".partner", "Partner must be one of %s.", optionKeys(SOPPartners))
		case h.Purpose == "" || utf8.RuneCountInString(h.Purpose) > 500:
			return Invalid(field+".purpose", "A handshake's purpose must be 1 to 500 characters.")
		case utf8.RuneCountInString(h.Expectations) > 2000:
			return Invalid(field+".expectations", "Expectations must be at most 2000 characters.")
		case utf8.RuneCountInString(h.Contact) > 200:
			return Invalid(field+".contact", "Contact must be at most 200 characters.")
		}
	}
	return nil
}

func optionKeys(opts []Option) string {
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.Key
	}
	return strings.Join(keys, ", ")
}
