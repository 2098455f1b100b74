package app

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Career: a PM's past and current roles as a portfolio of spikes, the organisation's
// learning resources (hit-lists) and mentorships.

// Markets a role or a resource is for.
var Markets = []Option{{"b2b", "B2B"}, {"b2c", "B2C"}, {"both", "B2B & B2C"}}

// MarketBoth is the market of a role or resource that serves businesses and consumers.
const MarketBoth = "both"

// ResourceKinds are the kinds of learning resource.
var ResourceKinds = []Option{
	{"article", "Article"}, {"course", "Course"}, {"book", "Book"}, {"talk", "Talk"}, {"internal", "Internal"},
}

// MentorCapacity is how many active (accepted) mentees a mentor takes at most.
const MentorCapacity = 3

// Limits of career roles and resources.
const (
	maxRoleText       = 200
	maxIndustry       = 100
	maxResourceText   = 1000
	maxURLLength      = 2000
	MaxRolesPerPerson = 40
	MaxMentorshipNote = 1000
)

// CareerRole is one role in a person's career: end nil means it is their current role.
type CareerRole struct {
	ID         int64     `db:"id" json:"id"`
	OrgID      int64     `db:"org_id" json:"-"`
	PersonID   int64     `db:"person_id" json:"person_id"`
	Company    string    `db:"company" json:"company"` // company or team
	Title      string    `db:"title" json:"title"`
	Start      Date      `db:"started_on" json:"start"`
	End        *Date     `db:"ended_on" json:"end"`
	Industry   string    `db:"industry" json:"industry"`
	Market     string    `db:"market" json:"market"` // b2b, b2c or both
	Specialism string    `db:"specialism" json:"specialism"`
	Spikes     []string  `db:"-" json:"spikes"` // the one or two career spikes the role served
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`
}

// Current reports whether the role has no end: the person is in it now.
func (r CareerRole) Current() bool { return r.End == nil }

// CareerRoleInput is a role as the person writes it (API body and form). An empty end
// means the role is the current one.
type CareerRoleInput struct {
	Company    string   `json:"company"`
	Title      string   `json:"title"`
	Start      string   `json:"start"` // YYYY-MM-DD
	End        string   `json:"end"`   // YYYY-MM-DD or "" (current role)
	Industry   string   `json:"industry"`
	Market     string   `json:"market"`
	Specialism string   `json:"specialism"`
	Spikes     []string `json:"spikes"`
}

// Role validates the input on its own and returns the role to store, naming the first
// wrong field. Overlaps with the person's other roles are CheckCareerRoles' job.
func (in CareerRoleInput) Role(personID int64, today time.Time) (*CareerRole, error) {
	r := &CareerRole{PersonID: personID, Company: strings.TrimSpace(in.Company), Title: strings.TrimSpace(in.Title),
		Industry: strings.TrimSpace(in.Industry), Market: strings.TrimSpace(in.Market),
		Specialism: strings.TrimSpace(in.Specialism), Spikes: []string{}}
	if n := utf8.RuneCountInString(r.Company); n == 0 || n > maxRoleText {
		return nil, Invalid("company", "Name the company or team in 1 to %d characters.", maxRoleText)
	}
	if n := utf8.RuneCountInString(r.Title); n == 0 || n > maxRoleText {
		return nil, Invalid("title", "Give the title in 1 to %d characters.", maxRoleText)
	}
	start, err := ParseDate(strings.TrimSpace(in.Start))
	if err != nil {
		return nil, Invalid("start", "Give the start date as YYYY-MM-DD.")
	}
	if start.Year() < 1950 || start.After(today) {
		return nil, Invalid("start", "The start date must be a past date.")
	}
	r.Start = start
	if e := strings.TrimSpace(in.End); e != "" {
		end, err := ParseDate(e)
		if err != nil {
			return nil, Invalid("end", "Give the end date as YYYY-MM-DD, or leave it empty for your current role.")
		}
		if !end.After(start.Time) {
			return nil, Invalid("end", "The role must end after it starts (%s).", start)
		}
		if end.After(today) {
			return nil, Invalid("end", "The end date cannot be in the future; leave it empty for your current role.")
		}
		r.End = &end
	}
	if utf8.RuneCountInString(r.Industry) > maxIndustry {
		return nil, Invalid("industry", "Keep the industry under %d characters.", maxIndustry)
	}
	if !ValidOption(Markets, r.Market) {
		return nil, Invalid("market", "Market must be one of %s.", optionKeys(Markets))
	}
	if r.Specialism != "" && !tagPattern.MatchString(r.Specialism) {
		return nil, Invalid("specialism", "Specialism %q: use 1 to 30 lowercase letters, digits, - or _ (e.g. platform, fintech).", r.Specialism)
	}
	for i, s := range in.Spikes {
		if !ValidOption(CareerSpikes, s) {
			return nil, Invalid(fmt.Sprintf("spikes[%d]", i), "Career spike must be one of %s.", optionKeys(CareerSpikes))
		}
		if slices.Contains(r.Spikes, s) {
			return nil, Invalid(fmt.Sprintf("spikes[%d]", i), "The same spike is listed twice.")
		}
		r.Spikes = append(r.Spikes, s)
	}
	if len(r.Spikes) < 1 || len(r.Spikes) > MaxSpikes {
		return nil, Invalid("spikes", "Choose the one or two career spikes this role served, not %d.", len(r.Spikes))
	}
	return r, nil
}

// CheckCareerRole checks a role against the person's other roles: no two overlap (a role
// ending on the day the next starts does not), so at most one is current, and the history
// stays within MaxRolesPerPerson. The error names the role's field that runs into another.
func CheckCareerRole(others []CareerRole, r CareerRole) error {
	if len(others)+1 > MaxRolesPerPerson {
		return Invalid("roles", "Keep at most %d roles in your career history.", MaxRolesPerPerson)
	}
	for _, o := range others {
		if !before(r.Start, o.End) || !before(o.Start, r.End) {
			continue
		}
		field := "end" // r starts first and runs into o
		if r.Start.After(o.Start.Time) {
			field = "start" // r starts while o runs
		}
		return Invalid(field, "This role overlaps %s at %s (%s to %s): one role ends before the next starts.",
			o.Title, o.Company, o.Start, endLabel(o.End))
	}
	return nil
}

// before reports whether the day d comes before the end (nil: an open end, after every day).
func before(d Date, end *Date) bool { return end == nil || d.Before(end.Time) }

func endLabel(d *Date) string {
	if d == nil {
		return "now"
	}
	return d.String()
}

// LearningResource is an article, course, book, talk or internal resource the organisation
// recommends for a competency at a range of levels.
type LearningResource struct {
	ID             int64     `db:"id" json:"id"`
	OrgID          int64     `db:"org_id" json:"-"`
	Title          string    `db:"title" json:"title"`
	URL            string    `db:"url" json:"url"`
	Description    string    `db:"description" json:"description"`
	Kind           string    `db:"kind" json:"kind"`
	Competency     string    `db:"competency" json:"competency"`
	CompetencyName string    `db:"competency_name" json:"competency_name"`
	LevelMin       int       `db:"level_min" json:"level_min"`
	LevelMax       int       `db:"level_max" json:"level_max"`
	Market         string    `db:"market" json:"market"`         // b2b, b2c or both
	Background     *string   `db:"background" json:"background"` // the background it suits, if any
	CreatedBy      *int64    `db:"created_by" json:"created_by"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time `db:"updated_at" json:"updated_at"`
}

// BackgroundKey returns the background key or "".
func (r *LearningResource) BackgroundKey() string { return deref(r.Background) }

// ResourceInput is a resource as a curator writes it. Nil levels and an empty market take
// the defaults (0–5, both).
type ResourceInput struct {
	Title       string  `json:"title"`
	URL         string  `json:"url"`
	Description string  `json:"description"`
	Kind        string  `json:"kind"`
	Competency  string  `json:"competency"`
	LevelMin    *int    `json:"level_min"`
	LevelMax    *int    `json:"level_max"`
	Market      string  `json:"market"`
	Background  *string `json:"background"`
}

// Resource validates the input against the framework and returns the resource to store,
// naming the first wrong field.
func (in ResourceInput) Resource(orgID int64, fw *Framework) (*LearningResource, error) {
	r := &LearningResource{OrgID: orgID, Title: strings.TrimSpace(in.Title), URL: strings.TrimSpace(in.URL),
		Description: strings.TrimSpace(in.Description), Kind: strings.TrimSpace(in.Kind),
		Competency: strings.TrimSpace(in.Competency), LevelMin: 0, LevelMax: MaxLevel, Market: strings.TrimSpace(in.Market)}
	if n := utf8.RuneCountInString(r.Title); n == 0 || n > maxRoleText {
		return nil, Invalid("title", "Give the title in 1 to %d characters.", maxRoleText)
	}
	if !WebURL(r.URL) {
		return nil, Invalid("url", "The link must be an http:// or https:// address.")
	}
	if utf8.RuneCountInString(r.Description) > maxResourceText {
		return nil, Invalid("description", "Keep the description under %d characters.", maxResourceText)
	}
	if !ValidOption(ResourceKinds, r.Kind) {
		return nil, Invalid("kind", "Kind must be one of %s.", optionKeys(ResourceKinds))
	}
	c := fw.ByKey(r.Competency)
	if c == nil || c.Archived {
		return nil, Invalid("competency", "Unknown competency %q.", r.Competency)
	}
	r.CompetencyName = c.Name
	if in.LevelMin != nil {
		r.LevelMin = *in.LevelMin
	}
	if in.LevelMax != nil {
		r.LevelMax = *in.LevelMax
	}
	if r.LevelMin < 0 || r.LevelMin > MaxLevel {
		return nil, Invalid("level_min", "The lowest level must be 0 to 5.")
	}
	if r.LevelMax < 0 || r.LevelMax > MaxLevel {
		return nil, Invalid("level_max", "The highest level must be 0 to 5.")
	}
	if r.LevelMin > r.LevelMax {
		return nil, Invalid("level_min", "The lowest level (%d) is above the highest (%d).", r.LevelMin, r.LevelMax)
	}
	if r.Market == "" {
		r.Market = MarketBoth
	} else if !ValidOption(Markets, r.Market) {
		return nil, Invalid("market", "Market must be one of %s.", optionKeys(Markets))
	}
	if in.Background != nil && *in.Background != "" {
		if !ValidOption(Backgrounds, *in.Background) {
			return nil, Invalid("background", "Background must be one of %s.", optionKeys(Backgrounds))
		}
		b := *in.Background
		r.Background = &b
	}
	return r, nil
}

// WebURL accepts absolute http and https addresses with a host and no credentials.
func WebURL(s string) bool {
	if len(s) > maxURLLength {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// Mentorship statuses: a request is pending until the mentor accepts or declines it; an
// accepted mentorship counts toward the mentor's capacity until either person ends it.
const (
	MentorshipPending  = "pending"
	MentorshipAccepted = "accepted"
	MentorshipDeclined = "declined"
	MentorshipEnded    = "ended"
)

// MentorshipStatuses lists the statuses with their labels.
var MentorshipStatuses = []Option{
	{MentorshipPending, "Waiting for an answer"}, {MentorshipAccepted, "Active"},
	{MentorshipDeclined, "Declined"}, {MentorshipEnded, "Ended"},
}

// Mentorship is a PM's request to a mentor for help in one competency, and its answer.
type Mentorship struct {
	ID             int64      `db:"id" json:"id"`
	OrgID          int64      `db:"org_id" json:"-"`
	MenteeID       int64      `db:"mentee_id" json:"mentee_id"`
	MenteeName     string     `db:"mentee_name" json:"mentee_name"`
	MentorID       int64      `db:"mentor_id" json:"mentor_id"`
	MentorName     string     `db:"mentor_name" json:"mentor_name"`
	Competency     string     `db:"competency" json:"competency"`
	CompetencyName string     `db:"competency_name" json:"competency_name"`
	Message        string     `db:"message" json:"message"`
	Status         string     `db:"status" json:"status"`
	CreatedAt      time.Time  `db:"created_at" json:"created_at"`
	AnsweredAt     *time.Time `db:"answered_at" json:"answered_at"`
	EndedAt        *time.Time `db:"ended_at" json:"ended_at"`
}

// Open reports whether the mentorship is pending or active.
func (m Mentorship) Open() bool {
	return m.Status == MentorshipPending || m.Status == MentorshipAccepted
}

// MentorshipFilter selects mentorships of one person: as mentee, as mentor, or either.
type MentorshipFilter struct {
	PersonID int64
	AsMentee bool
	AsMentor bool
}

// MentorConsent is a person's own say in being suggested to colleagues: OptedIn, as a peer
// to learn with and as a mentor in the competencies they Offer (keys, framework order).
// Someone who never decided has none and is not suggested.
type MentorConsent struct {
	UserID  int64    `db:"user_id" json:"-"`
	OptedIn bool     `db:"opted_in" json:"mentor_opt_in"`
	Offers  []string `db:"-" json:"offers"`
}

// CareerStore keeps career roles, learning resources, mentorships and mentoring consents.
type CareerStore interface {
	// FindCareerRoles returns the person's roles, oldest first.
	FindCareerRoles(ctx context.Context, orgID, personID int64) ([]CareerRole, error)
	// SaveCareerRole inserts the role (ID 0) or updates the person's role with its ID
	// (ENOTFOUND if they have none), in one transaction that holds the person's lock:
	// check gets the person's other roles and may refuse the write.
	SaveCareerRole(ctx context.Context, r *CareerRole, check func(others []CareerRole) error) error
	DeleteCareerRole(ctx context.Context, orgID, personID, id int64) error

	// FindResources returns the organisation's resources by competency and title; a
	// competency key of "" means every competency.
	FindResources(ctx context.Context, orgID int64, competency string) ([]LearningResource, error)
	FindResourceByID(ctx context.Context, orgID, id int64) (*LearningResource, error)
	// CreateResource and UpdateResource are ECONFLICT when another resource has the title.
	CreateResource(ctx context.Context, r *LearningResource) error
	UpdateResource(ctx context.Context, r *LearningResource) error
	DeleteResource(ctx context.Context, orgID, id int64) error

	// FindMentorConsents returns, by person, the consents of the organisation's people who
	// decided (the offers in archived competencies included).
	FindMentorConsents(ctx context.Context, orgID int64) (map[int64]MentorConsent, error)
	// SetMentorConsent records whether the person agrees to be suggested and, when offers is
	// not nil, replaces the competencies (keys of their organisation's framework) they offer;
	// opting out withdraws every offer. All or nothing: EINVALID naming offers when a key is
	// not the organisation's.
	SetMentorConsent(ctx context.Context, userID int64, optIn bool, offers []string) error
	// CountMentees counts each mentor's accepted mentorships in the organisation.
	CountMentees(ctx context.Context, orgID int64) (map[int64]int, error)
	FindMentorships(ctx context.Context, orgID int64, f MentorshipFilter) ([]Mentorship, error)
	FindMentorshipByID(ctx context.Context, orgID, id int64) (*Mentorship, error)
	// CreateMentorship stores a pending request; ECONFLICT when the same mentee already has
	// an open one with the mentor in the competency.
	CreateMentorship(ctx context.Context, m *Mentorship) error
	// SetMentorshipStatus moves a mentorship from its status to another; ECONFLICT when
	// its status is not the one expected, or when accepting would take the mentor past
	// capacity (counted under the mentor's lock).
	SetMentorshipStatus(ctx context.Context, orgID, id int64, from, to string, capacity int) error
}
