package calibration

import (
	"reflect"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

// The fixture, by hand. Two leaders, L1 (id 10) and L2 (id 20); PMs 1, 2 (L1's) and 3 (L2's);
// competencies a and b; peers 7 and 8.
//
//	L1 rates 1: a 4, b 3;  2: a 5, b 4            → 4 ratings 3,4,4,5: mean 4
//	   self   1: a 3, b 3;  2: a 4, b 2            → leader − self: 1, 0, 1, 2 → mean 1
//	   peers  1a: 3 and 4 (lower median 3); 2b: 3  → leader − peers: 4−3, 4−3 = 1, 1 → mean 1
//	   pooled: 1,0,1,2,1,1 → 6 pairs, mean 1 → lenient
//	L2 rates 3: a 2, b 1                           → mean 1.5
//	   self   3: a 3, b 3                          → −1, −2: 2 pairs, mean −1.5
//	   peers  3a: 4                                → −2
//	   pooled: 3 pairs, mean −5/3 → severe
//	A self rating in an unknown competency and a leader rating of level 6 are ignored.
//
// Per competency (leader ratings only): a: 4, 5, 2 → mean 11/3; b: 3, 4, 1 → mean 8/3;
// per leader and competency: L1 a 4, 5 (4.5), b 3, 4 (3.5); L2 a 2, b 1.
// Movers: 1 moved a 3→4 and b 3→3 (1); 2 moved a 2→5, b 4→2 (5); 3 has no rating before.
func TestCompute(t *testing.T) {
	r := func(subject, rater int64, kind, comp string, level int) Rating {
		return Rating{SubjectID: subject, RaterID: rater, Kind: kind, Competency: comp, Level: level}
	}
	L, S, P := app.RatingLeader, app.RatingSelf, app.RatingPeer
	in := Input{
		Competencies: []app.Competency{{Key: "a", Name: "A"}, {Key: "b", Name: "B"}},
		Names:        map[int64]string{10: "Lee", 20: "Kim", 1: "Ann", 2: "Ben", 3: "Cat"},
		Ratings: []Rating{
			r(1, 10, L, "a", 4), r(1, 10, L, "b", 3), r(2, 10, L, "a", 5), r(2, 10, L, "b", 4),
			r(1, 1, S, "a", 3), r(1, 1, S, "b", 3), r(2, 2, S, "a", 4), r(2, 2, S, "b", 2),
			r(1, 7, P, "a", 3), r(1, 8, P, "a", 4), r(2, 7, P, "b", 3),
			r(3, 20, L, "a", 2), r(3, 20, L, "b", 1), r(3, 3, S, "a", 3), r(3, 3, S, "b", 3), r(3, 8, P, "a", 4),
			r(3, 3, S, "zzz", 5), r(3, 20, L, "a", 6),
		},
		Before: map[int64]map[string]int{1: {"a": 3, "b": 3}, 2: {"a": 2, "b": 4}},
		After:  map[int64]map[string]int{1: {"a": 4, "b": 3}, 2: {"a": 5, "b": 2}, 3: {"a": 2, "b": 1}},
	}
	got := Compute(in)
	want := Report{
		Leaders: []LeaderStat{
			{ID: 20, Name: "Kim", Distribution: Distribution{Histogram: [Levels]int{0, 1, 1, 0, 0, 0}, Count: 2, Mean: 1.5, sum: 3},
				People: 1, VsSelf: Gap{Pairs: 2, Mean: -1.5, sum: -3}, VsPeers: Gap{Pairs: 1, Mean: -2, sum: -2},
				Overall: Gap{Pairs: 3, Mean: -5.0 / 3, sum: -5}, Verdict: Severe,
				ByCompetency: []CompetencyStat{
					{Competency: "a", Name: "A", Distribution: Distribution{Histogram: [Levels]int{0, 0, 1, 0, 0, 0}, Count: 1, Mean: 2, sum: 2}},
					{Competency: "b", Name: "B", Distribution: Distribution{Histogram: [Levels]int{0, 1, 0, 0, 0, 0}, Count: 1, Mean: 1, sum: 1}},
				}},
			{ID: 10, Name: "Lee", Distribution: Distribution{Histogram: [Levels]int{0, 0, 0, 1, 2, 1}, Count: 4, Mean: 4, sum: 16},
				People: 2, VsSelf: Gap{Pairs: 4, Mean: 1, sum: 4}, VsPeers: Gap{Pairs: 2, Mean: 1, sum: 2},
				Overall: Gap{Pairs: 6, Mean: 1, sum: 6}, Verdict: Lenient,
				ByCompetency: []CompetencyStat{
					{Competency: "a", Name: "A", Distribution: Distribution{Histogram: [Levels]int{0, 0, 0, 0, 1, 1}, Count: 2, Mean: 4.5, sum: 9}},
					{Competency: "b", Name: "B", Distribution: Distribution{Histogram: [Levels]int{0, 0, 0, 1, 1, 0}, Count: 2, Mean: 3.5, sum: 7}},
				}},
		},
		Competencies: []CompetencyStat{
			{Competency: "a", Name: "A", Distribution: Distribution{Histogram: [Levels]int{0, 0, 1, 0, 1, 1}, Count: 3, Mean: 11.0 / 3, sum: 11}},
			{Competency: "b", Name: "B", Distribution: Distribution{Histogram: [Levels]int{0, 1, 0, 1, 1, 0}, Count: 3, Mean: 8.0 / 3, sum: 8}},
		},
		Movers: []Mover{
			{ID: 2, Name: "Ben", Moved: 5, Changes: []Change{{"a", 2, 5}, {"b", 4, 2}}},
			{ID: 1, Name: "Ann", Moved: 1, Changes: []Change{{"a", 3, 4}}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		g    Gap
		want string
	}{
		{Gap{Pairs: 2, Mean: 3}, TooFew},
		{Gap{Pairs: 3, Mean: 0.5}, Lenient},
		{Gap{Pairs: 3, Mean: 0.49}, Aligned},
		{Gap{Pairs: 3, Mean: -0.49}, Aligned},
		{Gap{Pairs: 3, Mean: -0.5}, Severe},
	} {
		if got := verdict(tc.g); got != tc.want {
			t.Errorf("verdict(%+v) = %s, want %s", tc.g, got, tc.want)
		}
	}
}
