package app

import (
	"context"
	"time"
)

// Area groups competencies.
type Area struct {
	ID           int64        `db:"id" json:"-"`
	Key          string       `db:"key" json:"key"`
	Name         string       `db:"name" json:"name"`
	Position     int          `db:"position" json:"-"`
	Competencies []Competency `db:"-" json:"competencies"`
}

// Competency is one skill of the organisation's framework. Key is stable; Name may change.
type Competency struct {
	ID         int64  `db:"id" json:"-"`
	AreaID     int64  `db:"area_id" json:"-"`
	AreaKey    string `db:"area_key" json:"area"`
	AreaName   string `db:"area_name" json:"-"`
	Key        string `db:"key" json:"key"`
	Name       string `db:"name" json:"name"`
	Definition string `db:"definition" json:"definition"`
	Importance int    `db:"importance" json:"importance"`
	LeadsOnly  bool   `db:"leads_only" json:"leads_only"`
	Archived   bool   `db:"archived" json:"archived"`
	Position   int    `db:"position" json:"-"`
}

// Framework is an organisation's areas and competencies in display order.
type Framework struct {
	Areas        []Area       `json:"areas"`
	Competencies []Competency `json:"-"` // flat, in order, archived included
}

// ByKey returns the competency with the key, or nil.
func (f *Framework) ByKey(key string) *Competency {
	for i := range f.Competencies {
		if f.Competencies[i].Key == key {
			return &f.Competencies[i]
		}
	}
	return nil
}

// Active returns the competencies that are not archived, in order.
func (f *Framework) Active() []Competency {
	out := make([]Competency, 0, len(f.Competencies))
	for _, c := range f.Competencies {
		if !c.Archived {
			out = append(out, c)
		}
	}
	return out
}

// Rating kinds.
const (
	RatingSelf   = "self"
	RatingLeader = "leader"
	RatingPeer   = "peer"
)

// Rating is one row of a person's rating history (append-only).
type Rating struct {
	ID         int64     `db:"id" json:"id"`
	SubjectID  int64     `db:"subject_id" json:"subject_id"`
	RaterID    int64     `db:"rater_id" json:"rater_id"`
	RaterName  string    `db:"rater_name" json:"rater_name"`
	Kind       string    `db:"kind" json:"kind"`
	Competency string    `db:"competency" json:"competency"`
	Level      *int      `db:"level" json:"level"` // nil: not assessed
	Note       string    `db:"note" json:"note"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
}

// RatingInput is one rating in a batch; Level nil records "not assessed".
type RatingInput struct {
	Competency string `json:"competency"`
	Level      *int   `json:"level"`
	Note       string `json:"note"`
}

// RatingBatch is a set of ratings of one person by one rater, stored all or nothing.
type RatingBatch struct {
	OrgID     int64
	SubjectID int64
	RaterID   int64
	Kind      string
	Ratings   []RatingInput
	// At backdates the batch (imports, demo history); zero means now.
	At time.Time
}

// EffectiveRating is a person's effective level in a competency: the leader's latest
// rating where there is one, else the (lower) median of the latest self and peer ratings.
type EffectiveRating struct {
	UserID     int64     `db:"user_id" json:"user_id"`
	Competency string    `db:"competency" json:"competency"`
	Level      int       `db:"level" json:"level"`
	Source     string    `db:"source" json:"source"` // "leader" or "others"
	RatedAt    time.Time `db:"rated_at" json:"rated_at"`
}

// SkillStore keeps the framework and ratings.
type SkillStore interface {
	// FindFramework returns the organisation's areas and competencies (archived included).
	FindFramework(ctx context.Context, orgID int64) (*Framework, error)
	// RecordRatings validates competency keys against the framework and stores the batch
	// in one transaction: all or nothing.
	RecordRatings(ctx context.Context, b RatingBatch) error
	// FindEffectiveRatings returns the effective ratings of the users as of the time
	// (ratings made before it): as of now (any time after the organisation's newest
	// rating) read from the ratings kept current, as of an earlier time computed from
	// the history. Callers pass the time they mean; the answer is the same either way.
	FindEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOf time.Time) ([]EffectiveRating, error)
}

// ActiveAreas returns the areas that have active competencies, each with those only, in
// order.
func (f *Framework) ActiveAreas() []Area {
	var out []Area
	for _, ar := range f.Areas {
		active := ar
		active.Competencies = nil
		for _, c := range ar.Competencies {
			if !c.Archived {
				active.Competencies = append(active.Competencies, c)
			}
		}
		if len(active.Competencies) > 0 {
			out = append(out, active)
		}
	}
	return out
}
