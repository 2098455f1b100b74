package app

import (
	"testing"
	"time"
)

func TestEffectiveRatingsRule(t *testing.T) {
	t0 := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	lv := func(n int) *int { return &n }
	r := func(id int64, kind string, rater int64, level *int, at time.Duration) Rating {
		return Rating{ID: id, SubjectID: 1, RaterID: rater, Kind: kind, Competency: "c", Level: level, CreatedAt: t0.Add(at)}
	}
	tests := []struct {
		name    string
		history []Rating
		asOf    time.Duration
		want    *EffectiveRating // nil: not assessed
	}{
		{"nothing", nil, time.Hour, nil},
		{"only not assessed", []Rating{r(1, RatingSelf, 1, nil, 0)}, time.Hour, nil},
		// self 2, peers 4 and 5: lower median of {2,4,5} = 4, rated at the newest (peer 5).
		{"median of self and peers", []Rating{r(1, RatingSelf, 1, lv(2), 0), r(2, RatingPeer, 7, lv(4), 1), r(3, RatingPeer, 8, lv(5), 2)},
			time.Hour, &EffectiveRating{Level: 4, Source: SourceOthers, RatedAt: t0.Add(2)}},
		// two levels {1,4}: the lower of the middle two = 1; a rater's earlier rating drops out.
		{"lower median, latest per rater", []Rating{r(1, RatingSelf, 1, lv(3), 0), r(2, RatingSelf, 1, lv(1), 5), r(3, RatingPeer, 7, lv(4), 1)},
			time.Hour, &EffectiveRating{Level: 1, Source: SourceOthers, RatedAt: t0.Add(5)}},
		{"the leader wins", []Rating{r(1, RatingSelf, 1, lv(5), 0), r(2, RatingLeader, 9, lv(2), 1)},
			time.Hour, &EffectiveRating{Level: 2, Source: SourceLeader, RatedAt: t0.Add(1)}},
		// a later leader's rating counts, whoever the leader is; at the same instant, the higher id.
		{"the leader's latest, by time then id", []Rating{r(5, RatingLeader, 9, lv(1), 3), r(4, RatingLeader, 10, lv(4), 3), r(3, RatingLeader, 10, lv(2), 0)},
			time.Hour, &EffectiveRating{Level: 1, Source: SourceLeader, RatedAt: t0.Add(3)}},
		{"a withdrawn leader rating falls back to the others", []Rating{r(1, RatingLeader, 9, lv(4), 0), r(2, RatingSelf, 1, lv(2), 0), r(3, RatingLeader, 9, nil, 10)},
			time.Hour, &EffectiveRating{Level: 2, Source: SourceOthers, RatedAt: t0}},
		{"as of before the withdrawal", []Rating{r(1, RatingLeader, 9, lv(4), 0), r(2, RatingSelf, 1, lv(2), 0), r(3, RatingLeader, 9, nil, time.Minute)},
			time.Second, &EffectiveRating{Level: 4, Source: SourceLeader, RatedAt: t0}},
		{"a rating made at as-of does not count", []Rating{r(1, RatingSelf, 1, lv(3), time.Hour)}, time.Hour, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EffectiveRatings(1, tt.history, t0.Add(tt.asOf))
			switch {
			case tt.want == nil && len(got) != 0:
				t.Errorf("got %+v, want none", got)
			case tt.want != nil && (len(got) != 1 || got[0].Level != tt.want.Level || got[0].Source != tt.want.Source || !got[0].RatedAt.Equal(tt.want.RatedAt)):
				t.Errorf("got %+v, want %+v", got, *tt.want)
			}
		})
	}
}
