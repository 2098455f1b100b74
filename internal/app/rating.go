package app

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a rating batch.
const (
	MaxRatingsPerBatch = 200
	MaxNoteLength      = 2000
	// FlagDelta is how far self and others must differ for a discussion flag.
	FlagDelta = 2
)

// InScopeFor reports whether the competency counts for a person with the title:
// archived ones never do, leads-only ones only for a lead title.
func (c *Competency) InScopeFor(title string) bool {
	return !c.Archived && (!c.LeadsOnly || title == TitleLead)
}

// InScope returns the competencies that count for a person with the title, in order.
func (f *Framework) InScope(title string) []Competency {
	out := []Competency{}
	for _, c := range f.Competencies {
		if c.InScopeFor(title) {
			out = append(out, c)
		}
	}
	return out
}

// ValidateRatings checks a batch of ratings of one person (whose title is subjectTitle)
// before anything is stored: the one check for self, leader and peer ratings. The
// error names the item, e.g. "ratings[2].level", and the competency.
func ValidateRatings(fw *Framework, s *Settings, subjectTitle string, ratings []RatingInput) error {
	if len(ratings) == 0 {
		return Invalid("ratings", "Send at least one rating.")
	}
	if len(ratings) > MaxRatingsPerBatch {
		return Invalid("ratings", "Send at most %d ratings at once.", MaxRatingsPerBatch)
	}
	seen := map[string]bool{}
	for i, r := range ratings {
		field := func(name string) string { return fmt.Sprintf("ratings[%d].%s", i, name) }
		c := fw.ByKey(r.Competency)
		switch {
		case c == nil || c.Archived:
			return Invalid(field("competency"), "Unknown competency %q.", r.Competency)
		case c.LeadsOnly && subjectTitle != TitleLead:
			return Invalid(field("competency"), "%s applies to leads (Group PM) only.", c.Name)
		case seen[c.Key]:
			return Invalid(field("competency"), "%s is rated twice in this batch.", c.Name)
		case r.Level != nil && (*r.Level < 0 || *r.Level > 5):
			return Invalid(field("level"), "%s: the level must be 0 to 5, or not assessed.", c.Name)
		case utf8.RuneCountInString(r.Note) > MaxNoteLength:
			return Invalid(field("note"), "%s: the evidence note must be at most %d characters.", c.Name, MaxNoteLength)
		case r.Level != nil && s != nil && s.RequireEvidence && strings.TrimSpace(r.Note) == "":
			return Invalid(field("note"), "%s: your organisation asks for evidence with every rating.", c.Name)
		}
		seen[c.Key] = true
	}
	return nil
}

// RatingView is one rating as a person's page shows it.
type RatingView struct {
	Level     *int      `json:"level"`
	Note      string    `json:"note"`
	RaterID   int64     `json:"rater_id"`
	RaterName string    `json:"rater_name"`
	At        time.Time `json:"at"`
}

// CompetencyRatings is a person's standing in one competency: the latest self and
// leader ratings, each peer's latest, the effective rating and the discussion flag.
type CompetencyRatings struct {
	Competency string           `json:"competency"`
	Name       string           `json:"name"`
	Area       string           `json:"area"`
	AreaName   string           `json:"area_name"`
	Definition string           `json:"definition"`
	Self       *RatingView      `json:"self"`
	Leader     *RatingView      `json:"leader"`
	Peers      []RatingView     `json:"peers"`
	Effective  *EffectiveRating `json:"effective"`
	// Others is what others see: the leader's latest level, else the lower median of
	// the peers' latest levels (the effective rule without the self rating).
	Others *int `json:"others"`
	// Expected is the level the person's title expects (career ladder), if any.
	Expected *int `json:"expected"`
	// Flag: self and others differ by FlagDelta or more.
	Flag bool `json:"flag"`
}

// SummarizeRatings builds the per-competency view of a person from their rating
// history (oldest first) and their effective ratings, over the competencies in scope.
func SummarizeRatings(scope []Competency, history []Rating, effective []EffectiveRating, expected map[string]int) []CompetencyRatings {
	out := make([]CompetencyRatings, 0, len(scope))
	for _, c := range scope {
		cr := CompetencyRatings{Competency: c.Key, Name: c.Name, Area: c.AreaKey, AreaName: c.AreaName,
			Definition: c.Definition, Peers: []RatingView{}}
		peers := map[int64]int{} // rater → index in cr.Peers
		for _, r := range history {
			if r.Competency != c.Key {
				continue
			}
			v := RatingView{Level: r.Level, Note: r.Note, RaterID: r.RaterID, RaterName: r.RaterName, At: r.CreatedAt}
			switch r.Kind {
			case RatingSelf:
				cr.Self = &v
			case RatingLeader:
				cr.Leader = &v
			case RatingPeer:
				if i, ok := peers[r.RaterID]; ok {
					cr.Peers[i] = v
				} else {
					peers[r.RaterID] = len(cr.Peers)
					cr.Peers = append(cr.Peers, v)
				}
			}
		}
		for i := range effective {
			if effective[i].Competency == c.Key {
				e := effective[i]
				cr.Effective = &e
			}
		}
		if l, ok := expected[c.Key]; ok {
			cr.Expected = &l
		}
		var leader *int
		if cr.Leader != nil {
			leader = cr.Leader.Level
		}
		cr.Others = OthersLevel(leader, cr.Peers, func(v RatingView) *int { return v.Level })
		if cr.Self != nil && cr.Self.Level != nil && cr.Others != nil {
			cr.Flag = Flagged(*cr.Self.Level, *cr.Others)
		}
		out = append(out, cr)
	}
	return out
}

// Flagged reports whether a self level and the others' level differ by FlagDelta or more:
// a discussion flag. (The store's FindFlaggedLevels selects the same in SQL.)
func Flagged(self, others int) bool {
	d := self - others
	return d >= FlagDelta || -d >= FlagDelta
}

// SelfOthers is one person's latest self level in a competency and the others' level
// there (SummarizeRatings's Self and Others, as maintained by the store), both set.
type SelfOthers struct {
	UserID     int64  `db:"user_id"`
	Competency string `db:"competency"`
	Self       int    `db:"self_level"`
	Others     int    `db:"others_level"`
}

// OthersLevel is what a self rating is compared with: the leader's latest level where
// there is one (leader: nil when none, or "not assessed"), else the lower median of the
// peers' latest levels (level gives a peer's, nil for "not assessed"), else nil: the
// effective rule (EffectiveRatings) without the self rating. The profile's summary
// (SummarizeRatings) and a cycle's compare view both use it; the store keeps it as
// effective_ratings.others_level (migrations/00031).
func OthersLevel[P any](leader *int, peers []P, level func(P) *int) *int {
	if leader != nil {
		l := *leader
		return &l
	}
	var levels []int
	for _, p := range peers {
		if l := level(p); l != nil {
			levels = append(levels, *l)
		}
	}
	if m, ok := LowerMedian(levels); ok {
		return &m
	}
	return nil
}
