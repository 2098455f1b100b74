package insight

import (
	"reflect"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/shape"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// trendFixture is a team whose membership and targets change over 2026, computed by hand:
//
//	Ann   member from 2025-12-01, always
//	Ben   member 2026-02-01 – 2026-08-15 (leaves in Q3)
//	Cat   member from 2026-09-01 (joins in Q3)
//	Eve   member from 2026-01-15
//	Dan   leader from 2025-12-01: never counted
//
// Targets: default (coverage 2, depth 4, criticality 2) until 2026-05-01, then spec at
// coverage 1, depth 3, criticality 3. Nobody is rated at the end of Q4 2025.
func trendFixture() TrendInput {
	person := func(id int64, name, role string, from time.Time, to *time.Time) app.MemberSpan {
		return app.MemberSpan{TeamPerson: app.TeamPerson{UserID: id, Name: name, TeamRole: role, Active: true}, From: from, To: to}
	}
	benLeft := day(2026, 8, 15)
	specTarget := app.TeamTarget{Competency: "spec", Coverage: 1, Depth: 3, Criticality: 3}
	r := func(id int64, comp string, level int) app.EffectiveRating {
		return app.EffectiveRating{UserID: id, Competency: comp, Level: level}
	}
	points := QuarterPoints(day(2026, 11, 15), 5) // Q4 2025, Q1, Q2, Q3 2026, then 2026-11-14 (open)
	return TrendInput{
		Framework: &app.Framework{Competencies: []app.Competency{
			{Key: "spec", Name: "Spec", AreaKey: "x", AreaName: "X"},
			{Key: "ux", Name: "UX", AreaKey: "x", AreaName: "X"},
		}},
		Settings: shape.DefaultSettings(),
		History: app.TeamHistory{
			Members: []app.MemberSpan{
				person(1, "Ann", app.TeamMember, day(2025, 12, 1), nil),
				person(2, "Ben", app.TeamMember, day(2026, 2, 1), &benLeft),
				person(3, "Cat", app.TeamMember, day(2026, 9, 1), nil),
				person(5, "Eve", app.TeamMember, day(2026, 1, 15), nil),
				person(4, "Dan", app.TeamLeader, day(2025, 12, 1), nil),
			},
			Targets: []app.TargetSpan{{TeamTarget: specTarget, From: day(2026, 5, 1)}},
		},
		Ratings: map[time.Time][]app.EffectiveRating{
			points[1].AsOf: {r(1, "spec", 4), r(1, "ux", 2), r(2, "spec", 3), r(5, "ux", 3)},
			points[2].AsOf: {r(1, "spec", 4), r(1, "ux", 2), r(2, "spec", 2), r(5, "ux", 3), r(4, "spec", 5)},
			points[3].AsOf: {r(1, "spec", 4), r(1, "ux", 2), r(2, "spec", 4), r(2, "ux", 5), r(3, "spec", 2), r(3, "ux", 4), r(5, "ux", 3)},
			points[4].AsOf: {r(1, "spec", 4), r(1, "ux", 2), r(2, "spec", 4), r(2, "ux", 5), r(3, "spec", 2), r(3, "ux", 4), r(5, "ux", 4)},
		},
		Points: points,
	}
}

func TestTrendFollowsMembershipAndTargets(t *testing.T) {
	in := trendFixture()
	tc := func(comp string, cov, dep int, status string, score float64) TrendCompetency {
		return TrendCompetency{Competency: comp, Coverage: cov, Depth: dep, Status: status, Score: score}
	}
	type want struct {
		label   string
		open    bool
		members int
		total   float64
		comps   []TrendCompetency
	}
	tests := []struct {
		name        string
		individuals bool
		want        []want
	}{
		{"leader", true, []want{
			// Q4 2025: Ann alone, unrated: left out. Q1: Ann, Ben, Eve under the default
			// targets. spec: Ann 4, Ben 3 → coverage 2, depth 4, ok. ux: Ann 2, Eve 3 →
			// coverage 1 (short 1 of 2), depth 3 (short 1 of 4): risk, 2·½·(1/2+1/4) = 0.75.
			{"Q1 2026", false, 3, 0.75, []TrendCompetency{tc("spec", 2, 4, "ok", 0), tc("ux", 1, 3, "risk", 0.75)}},
			// Q2: Ben fell to 2 and Dan (a leader) rated 5, which does not count. spec under
			// its new target (1, 3, 3): Ann 4 → coverage 1, depth 4: ok. ux as before.
			{"Q2 2026", false, 3, 0.75, []TrendCompetency{tc("spec", 1, 4, "ok", 0), tc("ux", 1, 3, "risk", 0.75)}},
			// Q3: Ben left (his 4 and 5 do not count), Cat joined. spec: Ann 4, Cat 2 →
			// coverage 1, depth 4: ok. ux: Ann 2, Cat 4, Eve 3 → coverage 2, depth 4: ok.
			{"Q3 2026", false, 3, 0, []TrendCompetency{tc("spec", 1, 4, "ok", 0), tc("ux", 2, 4, "ok", 0)}},
			// The open quarter: Eve rose to 4; ux coverage 2, depth 4.
			{"2026-11-14", true, 3, 0, []TrendCompetency{tc("spec", 1, 4, "ok", 0), tc("ux", 2, 4, "ok", 0)}},
		}},
		{"aggregate", false, []want{
			// Q1 and Q2: two people rated in each competency: nothing disclosed, so the trend
			// has not started. Q3: ux has three (Ann, Cat, Eve), spec two (withheld).
			{"Q3 2026", false, 3, 0, []TrendCompetency{tc("ux", 2, 4, "ok", 0)}},
			{"2026-11-14", true, 3, 0, []TrendCompetency{tc("ux", 2, 4, "ok", 0)}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Trend(in, tt.individuals)
			if len(got) != len(tt.want) {
				t.Fatalf("%d points, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Label != w.label || g.Open != w.open || g.Members != w.members || g.Withheld || g.TotalScore != w.total ||
					!reflect.DeepEqual(g.Competencies, w.comps) {
					t.Errorf("point %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// A point of fewer than MinAggregate members is withheld whole from aggregate viewers, and
// changing a withheld person's rating changes nothing they receive.
func TestTrendWithholdsSmallTeams(t *testing.T) {
	in := trendFixture()
	in.History.Members = in.History.Members[:2] // Ann and Ben only
	for _, rs := range in.Ratings {
		for i := range rs {
			rs[i].Level = 3
		}
	}
	got := Trend(in, false)
	if len(got) != 0 {
		t.Fatalf("aggregate trend of a two-person team: %+v", got)
	}
	got = Trend(in, true)
	if len(got) == 0 || got[0].Withheld || got[0].Members != 2 {
		t.Fatalf("leader's trend of a two-person team: %+v", got)
	}
}

func TestSeriesOf(t *testing.T) {
	in := trendFixture()
	pts := Trend(in, false)
	s := SeriesOf([]HeatmapColumn{{Competency: "spec"}, {Competency: "ux"}}, pts)
	if len(s) != 2 || s[0].Depth[0] != nil || s[1].Depth[0] == nil || *s[1].Depth[0] != 4 || *s[1].Coverage[1] != 2 {
		t.Fatalf("series %+v", s)
	}
}

// A point with its closed cycle's snapshot is read from it: the frozen figures for viewers
// who may see individuals (here deliberately unlike a recomputation), the disclosed part of
// the frozen input for the others; the team's history and ratings play no part. The
// pointer to the frozen input does not leave Trend.
func TestFrozenPoint(t *testing.T) {
	in := trendFixture()
	snap := &Snapshot{
		Input: shape.Input{
			Competencies: []shape.Competency{{Key: "spec", Name: "Spec", Area: "x"}, {Key: "ux", Name: "UX", Area: "x"}},
			People: []shape.Person{
				{ID: 1, Ratings: map[string]int{"spec": 4, "ux": 2}},
				{ID: 2, Ratings: map[string]int{"spec": 3}},
				{ID: 3, Ratings: map[string]int{"spec": 5, "ux": 5}},
			},
			Settings: shape.DefaultSettings(),
		},
		Competencies: []shape.CompetencyStat{
			{Key: "spec", Coverage: 9, Depth: 9, Assessed: 3, Status: shape.StatusOK},
			{Key: "ux", Coverage: 8, Depth: 8, Assessed: 2, Status: shape.StatusRisk, Score: 1.5},
		},
		TotalScore: 1.5, Counts: map[string]int{shape.StatusOK: 1, shape.StatusRisk: 1, shape.StatusGap: 0},
	}
	in.Points[2].snapshot = snap // Q2 2026
	q2of := func(pts []TrendPoint) TrendPoint {
		t.Helper()
		for _, p := range pts {
			if p.Label == "Q2 2026" {
				return p
			}
		}
		t.Fatalf("no Q2 2026 in %+v", pts)
		return TrendPoint{}
	}
	lead := Trend(in, true)
	q2 := q2of(lead)
	if q2.Label != "Q2 2026" || !q2.Frozen || q2.snapshot != nil || q2.Members != 3 || q2.TotalScore != 1.5 ||
		len(q2.Competencies) != 2 || q2.Competencies[0].Coverage != 9 || q2.Competencies[1].Depth != 8 {
		t.Errorf("leader's Q2: %+v", q2)
	}
	for i, p := range lead {
		if p.Frozen != (p.Label == "Q2 2026") {
			t.Errorf("point %d (%s) frozen %v", i, p.Label, p.Frozen)
		}
	}
	// A PM: ux has two rated people, withheld; spec is computed from the frozen input.
	q2 = q2of(Trend(in, false))
	if !q2.Frozen || len(q2.Competencies) != 1 || q2.Competencies[0].Competency != "spec" || q2.Competencies[0].Depth != 5 || q2.Competencies[0].Coverage != 3 {
		t.Errorf("aggregate Q2: %+v", q2)
	}
	// Two frozen members: withheld whole from aggregate viewers (and, leading the trend
	// with no disclosed figure, left out of it).
	snap.Input.People = snap.Input.People[:2]
	if p := frozenPoint(TrendPoint{snapshot: snap}, false); !p.Withheld || len(p.Competencies) != 0 || p.TotalScore != 0 {
		t.Errorf("two members: %+v", p)
	}
}
