package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDefinitionLength bounds a competency's one-line definition.
const MaxDefinitionLength = 500

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// NewCompetency is an admin's new competency in an existing area.
type NewCompetency struct {
	Area       string `json:"area"`
	Key        string `json:"key"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
	Importance int    `json:"importance"`
	LeadsOnly  bool   `json:"leads_only"`
}

// Validate checks every field, naming the first that is wrong.
func (n *NewCompetency) Validate() error {
	n.Key, n.Name, n.Definition = strings.TrimSpace(n.Key), strings.TrimSpace(n.Name), strings.TrimSpace(n.Definition)
	if n.Area == "" {
		return Invalid("area", "Choose the area the competency belongs to.")
	}
	if !keyPattern.MatchString(n.Key) {
		return Invalid("key", "The key must be 2 to 40 lowercase letters, digits or _, starting with a letter.")
	}
	return validateCompetencyFields(&n.Name, &n.Definition, &n.Importance)
}

// NewArea is an admin's new competency area; it goes after the existing ones.
type NewArea struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Validate checks every field, naming the first that is wrong.
func (n *NewArea) Validate() error {
	n.Key, n.Name = strings.TrimSpace(n.Key), strings.TrimSpace(n.Name)
	if !keyPattern.MatchString(n.Key) {
		return Invalid("key", "The key must be 2 to 40 lowercase letters, digits or _, starting with a letter.")
	}
	return validateCompetencyFields(&n.Name, nil, nil)
}

// AreaUpdate holds what an admin may change of an area; nil means unchanged. Position is
// where the area goes, 1 for first; the others keep their order around it.
type AreaUpdate struct {
	Name     *string `json:"name"`
	Position *int    `json:"position"`
}

// Validate checks the fields that are set (the store checks Position against the number of
// areas).
func (u *AreaUpdate) Validate() error {
	if u.Name != nil {
		n := strings.TrimSpace(*u.Name)
		u.Name = &n
	}
	if u.Position != nil && *u.Position < 1 {
		return Invalid("position", "The position must be 1 or more.")
	}
	if u.Name == nil && u.Position == nil {
		return Invalid("name", "Give a new name or a position.")
	}
	return validateCompetencyFields(u.Name, nil, nil)
}

// CompetencyUpdate holds the fields of a competency an admin may change; nil means unchanged.
// The key never changes.
type CompetencyUpdate struct {
	Name       *string `json:"name"`
	Definition *string `json:"definition"`
	Importance *int    `json:"importance"`
	LeadsOnly  *bool   `json:"leads_only"`
	Archived   *bool   `json:"archived"`
}

// Validate checks the fields that are set.
func (u *CompetencyUpdate) Validate() error {
	if u.Name != nil {
		n := strings.TrimSpace(*u.Name)
		u.Name = &n
	}
	if u.Definition != nil {
		d := strings.TrimSpace(*u.Definition)
		u.Definition = &d
	}
	return validateCompetencyFields(u.Name, u.Definition, u.Importance)
}

func validateCompetencyFields(name, definition *string, importance *int) error {
	if name != nil && (*name == "" || utf8.RuneCountInString(*name) > 200) {
		return Invalid("name", "The name must be 1 to 200 characters.")
	}
	if definition != nil && utf8.RuneCountInString(*definition) > MaxDefinitionLength {
		return Invalid("definition", "The definition must be at most %d characters.", MaxDefinitionLength)
	}
	if importance != nil && (*importance < 1 || *importance > 3) {
		return Invalid("importance", "Importance must be 1, 2 or 3.")
	}
	return nil
}

// LadderLevel is the level a title is expected to reach in a competency.
type LadderLevel struct {
	Title      string `db:"title" json:"title"`
	Competency string `db:"competency" json:"competency"`
	Level      int    `db:"level" json:"level"`
}

// Ladder is the career ladder: expected level by title, then competency key.
type Ladder map[string]map[string]int

// NewLadder indexes ladder rows.
func NewLadder(rows []LadderLevel) Ladder {
	l := Ladder{}
	for _, r := range rows {
		if l[r.Title] == nil {
			l[r.Title] = map[string]int{}
		}
		l[r.Title][r.Competency] = r.Level
	}
	return l
}

// ValidateLadder checks a set of ladder cells against the framework, naming the item.
func ValidateLadder(fw *Framework, levels []LadderLevel) error {
	if len(levels) == 0 {
		return Invalid("levels", "Send at least one level.")
	}
	for i, l := range levels {
		field := func(name string) string { return fmt.Sprintf("levels[%d].%s", i, name) }
		if !ValidOption(Titles, l.Title) {
			return Invalid(field("title"), "Title must be one of %s.", optionKeys(Titles))
		}
		if c := fw.ByKey(l.Competency); c == nil || c.Archived {
			return Invalid(field("competency"), "Unknown competency %q.", l.Competency)
		}
		if l.Level < 0 || l.Level > 5 {
			return Invalid(field("level"), "The expected level must be 0 to 5.")
		}
	}
	return nil
}

// Peer request statuses.
const (
	RequestOpen     = "open"
	RequestAnswered = "answered"
	RequestDeclined = "declined"
)

// MaxRequestMessage bounds a peer request's message.
const MaxRequestMessage = 1000

// PeerRequest asks a named reviewer for a peer or mentor rating of a person.
type PeerRequest struct {
	ID            int64      `db:"id" json:"id"`
	SubjectID     int64      `db:"subject_id" json:"subject_id"`
	SubjectName   string     `db:"subject_name" json:"subject_name"`
	SubjectTitle  *string    `db:"subject_title" json:"subject_title"`
	ReviewerID    int64      `db:"reviewer_id" json:"reviewer_id"`
	ReviewerName  string     `db:"reviewer_name" json:"reviewer_name"`
	RequestedBy   int64      `db:"requested_by" json:"requested_by"`
	RequesterName string     `db:"requester_name" json:"requester_name"`
	Message       string     `db:"message" json:"message"`
	Status        string     `db:"status" json:"status"`
	CreatedAt     time.Time  `db:"created_at" json:"created_at"`
	AnsweredAt    *time.Time `db:"answered_at" json:"answered_at"`
	// CycleID is the assessment cycle the request was made for, if any.
	CycleID *int64 `db:"cycle_id" json:"cycle_id"`
	// Anonymous: the request's cycle hides its peers from the person rated.
	Anonymous bool `db:"anonymous" json:"-"`
}

// WithoutAnonymousRequests drops the requests of anonymous cycles that someone other
// than viewer made: who was asked about a PM there is the leader's to know.
func WithoutAnonymousRequests(rs []PeerRequest, viewer int64) []PeerRequest {
	out := make([]PeerRequest, 0, len(rs))
	for _, r := range rs {
		if !r.Anonymous || r.RequestedBy == viewer {
			out = append(out, r)
		}
	}
	return out
}

// PeerRequestFilter selects peer requests; zero fields do not filter. Set at least one.
type PeerRequestFilter struct {
	ReviewerID  int64
	RequestedBy int64
	SubjectID   int64
	Status      string
}

// SkillProfileStore keeps what the framework editor, profiles and person pages need
// beyond SkillStore: framework edits, the career ladder, rating history and peer requests.
type SkillProfileStore interface {
	// CreateArea adds an area after the others; ECONFLICT naming key if the key is taken.
	CreateArea(ctx context.Context, orgID int64, n NewArea) (*Area, error)
	// UpdateArea renames and/or moves an area; EINVALID naming position past the last area.
	UpdateArea(ctx context.Context, orgID int64, key string, upd AreaUpdate) (*Area, error)
	CreateCompetency(ctx context.Context, orgID int64, n NewCompetency) (*Competency, error)
	UpdateCompetency(ctx context.Context, orgID int64, key string, upd CompetencyUpdate) (*Competency, error)
	// DeleteCompetency deletes a competency nobody has rated; ECONFLICT otherwise.
	DeleteCompetency(ctx context.Context, orgID int64, key string) error
	// CountRatingsByCompetency returns how many ratings each rated competency has.
	CountRatingsByCompetency(ctx context.Context, orgID int64) (map[string]int, error)

	FindLadder(ctx context.Context, orgID int64) (Ladder, error)
	// SetLadderLevels upserts the cells in one transaction.
	SetLadderLevels(ctx context.Context, orgID int64, levels []LadderLevel) error

	// FindRatings returns a person's rating history, oldest first.
	FindRatings(ctx context.Context, orgID, subjectID int64) ([]Rating, error)
	// FindFlaggedLevels returns the people's current self and others' levels (what
	// SummarizeRatings makes of their histories) in the competencies where they are
	// Flagged, unordered: the people's discussion flags.
	FindFlaggedLevels(ctx context.Context, orgID int64, subjectIDs []int64) ([]SelfOthers, error)

	CreatePeerRequest(ctx context.Context, orgID int64, r *PeerRequest) error
	FindPeerRequestByID(ctx context.Context, orgID, id int64) (*PeerRequest, error)
	FindPeerRequests(ctx context.Context, orgID int64, f PeerRequestFilter) ([]PeerRequest, error)
	// AnswerPeerRequest stores the reviewer's peer ratings and closes the open request,
	// in one transaction; ECONFLICT if it is no longer open.
	AnswerPeerRequest(ctx context.Context, id int64, b RatingBatch) error
	// DeclinePeerRequest closes the reviewer's open request; ECONFLICT if it is not open.
	DeclinePeerRequest(ctx context.Context, orgID, id, reviewerID int64) error
}
