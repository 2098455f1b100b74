package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

func TestLatestRatingsAndSeries(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 3)
	a, b, leader := ids[0], ids[1], ids[2]
	t0 := time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Second)
	rec := func(subject, rater int64, kind, comp string, level *int, at time.Time) {
		t.Helper()
		err := db.RecordRatings(ctx, app.RatingBatch{OrgID: org.ID, SubjectID: subject, RaterID: rater, Kind: kind, At: at,
			Ratings: []app.RatingInput{{Competency: comp, Level: level}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	rec(a, a, app.RatingSelf, "analytics", lv(2), t0)
	rec(a, a, app.RatingSelf, "analytics", lv(4), t0.Add(48*time.Hour))
	rec(a, leader, app.RatingLeader, "analytics", lv(3), t0.Add(24*time.Hour))
	rec(a, a, app.RatingSelf, "delivery", lv(3), t0)
	rec(a, a, app.RatingSelf, "delivery", nil, t0.Add(time.Hour)) // withdrawn
	rec(b, b, app.RatingSelf, "specification", lv(5), t0)

	latest := func(kind string, asOf time.Time) map[int64]map[string]int {
		t.Helper()
		rs, err := db.FindLatestRatings(ctx, org.ID, []int64{a, b}, kind, asOf)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]map[string]int{}
		for _, r := range rs {
			if r.Source != kind {
				t.Errorf("source %q, want %q", r.Source, kind)
			}
			if out[r.UserID] == nil {
				out[r.UserID] = map[string]int{}
			}
			out[r.UserID][r.Competency] = r.Level
		}
		return out
	}
	self := latest(app.RatingSelf, time.Now())
	if len(self[a]) != 1 || self[a]["analytics"] != 4 || self[b]["specification"] != 5 {
		t.Errorf("self now: %v", self)
	}
	if self := latest(app.RatingSelf, t0.Add(30*time.Minute)); self[a]["analytics"] != 2 || self[a]["delivery"] != 3 {
		t.Errorf("self at t0+30m: %v", self)
	}
	if l := latest(app.RatingLeader, time.Now()); len(l) != 1 || l[a]["analytics"] != 3 {
		t.Errorf("leader: %v", l)
	}
	if rs, _ := db.FindLatestRatings(ctx, org.ID+1, []int64{a}, app.RatingSelf, time.Now()); len(rs) != 0 {
		t.Errorf("another organisation sees %v", rs)
	}

	// The series answers each as-of time as FindEffectiveRatings would, in one query.
	times := []time.Time{t0.Add(-time.Hour), t0.Add(30 * time.Minute), t0.Add(36 * time.Hour), time.Now()}
	series, err := db.FindEffectiveRatingsSeries(ctx, org.ID, []int64{a, b}, times)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range times {
		single, err := db.FindEffectiveRatings(ctx, org.ID, []int64{a, b}, at)
		if err != nil {
			t.Fatal(err)
		}
		got := series[at] // under the caller's own time value
		if len(got) != len(single) {
			t.Fatalf("as of %v: series %v, single %v", at, got, single)
		}
		for i := range got {
			if got[i].UserID != single[i].UserID || got[i].Competency != single[i].Competency || got[i].Level != single[i].Level {
				t.Errorf("as of %v: %+v vs %+v", at, got[i], single[i])
			}
		}
	}
	// As of t0+36h the leader's 3 wins over the self 2 → analytics 3 (leader); at t0+30m, self 2.
	want := map[time.Time]int{times[0]: -1, times[1]: 2, times[2]: 3}
	for at, rs := range series {
		for _, r := range rs {
			if r.UserID == a && r.Competency == "analytics" {
				if w, ok := want[at]; ok && r.Level != w {
					t.Errorf("analytics as of %v = %d, want %d", at, r.Level, w)
				}
				delete(want, at)
			}
		}
	}
	if _, ok := want[times[0]]; !ok || len(want) != 1 {
		t.Errorf("before any rating analytics should be absent; left %v", want)
	}
}

func TestTeamsPeopleAndTargets(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 4)
	t1, err := db.CreateTeam(ctx, org.ID, "One", "")
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := db.CreateTeam(ctx, org.ID, "Two", "")
	other, _ := db.CreateOrganisation(ctx, "other", "Other")
	t3, _ := db.CreateTeam(ctx, other.ID, "Three", "")
	for _, m := range []struct {
		team, user int64
		role       string
	}{{t1.ID, ids[0], app.TeamLeader}, {t1.ID, ids[1], app.TeamMember}, {t2.ID, ids[1], app.TeamMember}, {t2.ID, ids[2], app.TeamHRPartner}} {
		if err := db.SetTeamMember(ctx, org.ID, m.team, m.user, m.role); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.FindTeamsPeople(ctx, org.ID, []int64{t1.ID, t2.ID, t3.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].TeamID != t1.ID || got[0].TeamRole != app.TeamLeader || got[1].UserID != ids[1] ||
		got[2].TeamID != t2.ID || got[3].TeamRole != app.TeamHRPartner {
		t.Errorf("people %+v", got)
	}
	if err := db.SetTeamTargets(ctx, org.ID, t1.ID, []app.TeamTarget{{Competency: "analytics", Coverage: 3, Depth: 5, Criticality: 3}}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetTeamTargets(ctx, other.ID, t3.ID, []app.TeamTarget{{Competency: "delivery", Coverage: 1, Depth: 2, Criticality: 1}}); err != nil {
		t.Fatal(err)
	}
	targets, err := db.FindTeamsTargets(ctx, org.ID, []int64{t1.ID, t2.ID, t3.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 1 || targets[t1.ID]["analytics"].Depth != 5 {
		t.Errorf("targets %v (another organisation's team must not appear)", targets)
	}
}

// TestSetTeamTargetsWritesOnlyChanges: a save writes only the targets that changed, so the
// team's target history gets a span per change, not one per target per save.
func TestSetTeamTargetsWritesOnlyChanges(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, _ := people(t, db, 1)
	team, err := db.CreateTeam(ctx, org.ID, "One", "")
	if err != nil {
		t.Fatal(err)
	}
	analytics := app.TeamTarget{Competency: "analytics", Coverage: 3, Depth: 5, Criticality: 3}
	delivery := app.TeamTarget{Competency: "delivery", Coverage: 1, Depth: 2, Criticality: 1}
	type span struct {
		ID         int64  `db:"id"`
		Competency string `db:"competency"`
		Coverage   int    `db:"coverage"`
		Open       bool   `db:"open"`
	}
	save := func(targets ...app.TeamTarget) []span {
		t.Helper()
		if err := db.SetTeamTargets(ctx, org.ID, team.ID, targets); err != nil {
			t.Fatal(err)
		}
		var spans []span
		if err := db.DB.SelectContext(ctx, &spans, `
			SELECT h.id, c.key AS competency, h.coverage, h.valid_to IS NULL AS open
			FROM team_target_history h JOIN competencies c ON c.id = h.competency_id
			WHERE h.team_id = $1 ORDER BY h.id`, team.ID); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindTeamTargets(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(targets) {
			t.Fatalf("saved %d targets, %d stored: %v", len(targets), len(got), got)
		}
		for _, want := range targets {
			if got[want.Competency] != want {
				t.Fatalf("stored %+v, saved %+v", got[want.Competency], want)
			}
		}
		return spans
	}
	first := save(analytics, delivery)
	if len(first) != 2 || !first[0].Open || !first[1].Open {
		t.Fatalf("first save: spans %+v", first)
	}
	if again := save(analytics, delivery); !slices.Equal(again, first) {
		t.Fatalf("saved unchanged, the history changed: %+v, was %+v", again, first)
	}
	delivery.Coverage = 2
	changed := save(analytics, delivery)
	if len(changed) != 3 || changed[0] != first[0] || changed[1].Open || !changed[2].Open ||
		changed[2].Competency != "delivery" || changed[2].Coverage != 2 {
		t.Fatalf("one target changed: spans %+v (analytics's must stay open as it was)", changed)
	}
	removed := save(delivery)
	if len(removed) != 3 || removed[0].Open || removed[2] != changed[2] {
		t.Fatalf("analytics removed: spans %+v", removed)
	}
}
