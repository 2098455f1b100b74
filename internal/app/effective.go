package app

import (
	"cmp"
	"slices"
	"time"
)

// The effective-rating rule: the one statement of how a person's ratings in a competency
// become the level the team's figures use.
//
//   - Only ratings made before asOf count (so the same rule answers "as of" a past date),
//     asOf taken to the microsecond, the precision ratings are stored with.
//   - The leader's latest rating, where it has a level ("not assessed" does not count), is
//     the effective rating; its source is "leader".
//   - Otherwise it is the lower median of the latest level of every other rater (the person
//     themself and each peer, each rater's latest rating; "not assessed" ones left out),
//     rated when the newest of those was made; its source is "others".
//   - Otherwise the person is not assessed in the competency: there is no effective rating.
//
// "Latest" is by creation time, then by id. PostgreSQL implements the same rule twice: for
// many people and as-of times at once over the history (findEffectiveRatings in
// internal/postgres/rating.go), and for the pairs each change to ratings touches, keeping
// every person's current effective ratings in a table (refresh_effective_ratings in
// migrations/00017_effective_ratings.sql). TestEffectiveRatings (internal/postgres) holds
// the first to this rule on hand-computed histories; TestEffectiveRatingsMaintained holds
// all three together after random sequences of writes.

// Sources of an effective rating.
const (
	SourceLeader = "leader"
	SourceOthers = "others"
)

// EffectiveRatings applies the rule to one person's rating history (any order) as of asOf,
// in competency key order.
func EffectiveRatings(userID int64, history []Rating, asOf time.Time) []EffectiveRating {
	asOf = asOf.Truncate(time.Microsecond)
	latest := map[string]map[raterKey]Rating{} // competency → each rater's latest rating
	for _, r := range history {
		if r.SubjectID != userID || !r.CreatedAt.Before(asOf) {
			continue
		}
		if latest[r.Competency] == nil {
			latest[r.Competency] = map[raterKey]Rating{}
		}
		k := raterKey{r.Kind, r.RaterID}
		if r.Kind == RatingLeader {
			k.rater = 0 // the leader's latest, whoever the leader was
		}
		if cur, ok := latest[r.Competency][k]; !ok || newer(r, cur) {
			latest[r.Competency][k] = r
		}
	}
	var out []EffectiveRating
	for c, byRater := range latest {
		if l, ok := byRater[raterKey{RatingLeader, 0}]; ok && l.Level != nil {
			out = append(out, EffectiveRating{UserID: userID, Competency: c, Level: *l.Level, Source: SourceLeader, RatedAt: l.CreatedAt})
			continue
		}
		var levels []int
		var at time.Time
		for k, r := range byRater {
			if k.kind == RatingLeader || r.Level == nil {
				continue
			}
			levels = append(levels, *r.Level)
			if r.CreatedAt.After(at) {
				at = r.CreatedAt
			}
		}
		if m, ok := LowerMedian(levels); ok {
			out = append(out, EffectiveRating{UserID: userID, Competency: c, Level: m, Source: SourceOthers, RatedAt: at})
		}
	}
	slices.SortFunc(out, func(a, b EffectiveRating) int { return cmp.Compare(a.Competency, b.Competency) })
	return out
}

// LowerMedian is the lower median of the levels (the middle one, or the lower of the two
// middle ones), as PostgreSQL's percentile_disc(0.5); false when there are none.
func LowerMedian(levels []int) (int, bool) {
	if len(levels) == 0 {
		return 0, false
	}
	s := slices.Sorted(slices.Values(levels))
	return s[(len(s)-1)/2], true
}

type raterKey struct {
	kind  string
	rater int64
}

// newer reports whether a was made after b (later time, then higher id).
func newer(a, b Rating) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.ID > b.ID
}
