package trends

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/insight"
)

// TestTrendFollowsMembership builds a team whose membership changes over four quarters,
// through the store (the triggers of migration 00025 keep the history), dates the changes
// in the past, and reads the trend as the admin and as a member.
//
//	p0 (a quarter's end, 3 quarters ago): A, B, C, each at analytics 4 → coverage 3
//	p1: D joined (analytics 1)                  → 4 members, coverage 3
//	p2: C left                                  → 3 members (A, B, D), coverage 2
//	now (open quarter): as p2
//
// The quarter before p0 has members but no ratings: it is left out.
func TestTrendFollowsMembership(t *testing.T) {
	o := demotest.Seed(t)
	ctx := context.Background()
	db := o.DB
	now := time.Now().UTC()
	svc := New(db, func() time.Time { return now })
	pts := insight.QuarterPoints(now, 5)
	p0, p1, p2 := pts[1].AsOf, pts[2].AsOf, pts[3].AsOf

	team, err := db.CreateTeam(ctx, o.Org.ID, "Trendy", "")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, n := range []string{"a", "b", "c", "d"} {
		title := "pm"
		u := &app.User{OrgID: o.Org.ID, Email: n + "@trendy.test", Name: "Person " + n, Role: app.RolePM, Title: &title}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids[n] = u.ID
		if err := db.SetTeamMember(ctx, o.Org.ID, team.ID, u.ID, app.TeamMember); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RemoveTeamMember(ctx, o.Org.ID, team.ID, ids["c"]); err != nil {
		t.Fatal(err)
	}
	// Date the history: A, B, C from before the quarter before p0, D from p1 − 10 days,
	// C until p2 − 10 days.
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE team_member_history SET valid_from = $2 WHERE team_id = $1`, team.ID, p0.AddDate(0, -5, 0))
	exec(`UPDATE team_member_history SET valid_from = $3 WHERE team_id = $1 AND user_id = $2`, team.ID, ids["d"], p1.AddDate(0, 0, -10))
	exec(`UPDATE team_member_history SET valid_to = $3 WHERE team_id = $1 AND user_id = $2`, team.ID, ids["c"], p2.AddDate(0, 0, -10))
	rate := func(who string, at time.Time, level int) {
		t.Helper()
		err := db.RecordRatings(ctx, app.RatingBatch{OrgID: o.Org.ID, SubjectID: ids[who], RaterID: o.Actors["admin@demo.test"].UserID,
			Kind: app.RatingLeader, At: at, Ratings: []app.RatingInput{{Competency: "analytics", Level: &level, Note: "t"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []string{"a", "b", "c"} {
		rate(who, p0.AddDate(0, 0, -20), 4)
	}
	rate("d", p1.AddDate(0, 0, -5), 1)

	type point struct {
		members, coverage, depth int
		open                     bool
	}
	check := func(name string, a *app.Actor, want []point) {
		t.Helper()
		tr, err := svc.Team(ctx, a, Query{TeamID: team.ID, Quarters: 5})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(tr.Points) != len(want) {
			t.Fatalf("%s: %d points, want %d: %+v", name, len(tr.Points), len(want), tr.Points)
		}
		var analytics *insight.CompetencySeries
		for i := range tr.Series {
			if tr.Series[i].Competency == "analytics" {
				analytics = &tr.Series[i]
			}
		}
		for i, w := range want {
			p := tr.Points[i]
			cov, dep := analytics.Coverage[i], analytics.Depth[i]
			if p.Members != w.members || p.Open != w.open || cov == nil || *cov != w.coverage || *dep != w.depth {
				t.Errorf("%s: point %d (%s): members %d open %v analytics %v/%v, want %+v", name, i, p.Label, p.Members, p.Open, cov, dep, w)
			}
		}
	}
	want := []point{{3, 3, 4, false}, {4, 3, 4, false}, {3, 2, 4, false}, {3, 2, 4, true}}
	check("admin", o.Actors["admin@demo.test"], want)
	// A member sees aggregates: analytics has three contributors at every point, so the same.
	a := &app.Actor{UserID: ids["a"], OrgID: o.Org.ID, Role: app.RolePM}
	check("member", a, want)

	// Someone outside the team: its existence is private.
	if _, err := svc.Team(ctx, o.Actors["other-leader@demo.test"], Query{TeamID: team.ID}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("other leader: %v, want ENOTFOUND", err)
	}
	if _, err := svc.Team(ctx, o.Actors["admin@demo.test"], Query{TeamID: team.ID, Quarters: 21}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("21 quarters: %v, want EINVALID", err)
	}
}

// The triggers record every change of role and every removal.
func TestTeamHistoryTriggers(t *testing.T) {
	o := demotest.Seed(t)
	ctx := context.Background()
	growth, pm := o.Teams["Growth"], o.Actors["pm@demo.test"].UserID
	if err := o.DB.SetTeamMember(ctx, o.Org.ID, growth, pm, app.TeamLeader); err != nil {
		t.Fatal(err)
	}
	if err := o.DB.RemoveTeamMember(ctx, o.Org.ID, growth, pm); err != nil {
		t.Fatal(err)
	}
	h, err := o.DB.FindTeamHistory(ctx, growth)
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, s := range h.Members {
		if s.UserID == pm {
			if s.To == nil {
				t.Errorf("%s span still open after the removal", s.TeamRole)
			}
			roles = append(roles, s.TeamRole)
		}
	}
	if len(roles) != 2 || roles[0] != app.TeamMember || roles[1] != app.TeamLeader {
		t.Errorf("pm's spans %v, want member then leader", roles)
	}
	for _, p := range h.PeopleAt(time.Now().Add(time.Hour)) {
		if p.UserID == pm {
			t.Error("pm is still in Growth after the removal")
		}
	}
	for _, depth := range []int{3, 5} {
		if err := o.DB.SetTeamTargets(ctx, o.Org.ID, growth, []app.TeamTarget{{Competency: "analytics", Coverage: 2, Depth: depth, Criticality: 3}}); err != nil {
			t.Fatal(err)
		}
	}
	if h, err = o.DB.FindTeamHistory(ctx, growth); err != nil {
		t.Fatal(err)
	}
	if n := len(h.Targets); n < 2 || h.Targets[n-2].To == nil || h.Targets[n-2].Depth != 3 || h.Targets[n-1].To != nil || h.Targets[n-1].Depth != 5 {
		t.Errorf("target history %+v", h.Targets)
	}
	if got := h.TargetsAt(time.Now().Add(time.Hour)); len(got) != 1 || got["analytics"].Depth != 5 {
		t.Errorf("targets now %+v", got)
	}
}

// TestClosedCycleFreezesItsPoint: a quarter whose assessment cycle closed is the snapshot
// taken at close. A rating backdated into that quarter moves nothing there, while the same
// change in a quarter without a closed cycle moves its point. The disclosure rule applies
// to the frozen point: a competency only two people were rated in is withheld from a PM.
func TestClosedCycleFreezesItsPoint(t *testing.T) {
	o := demotest.Seed(t)
	ctx := context.Background()
	db := o.DB
	now := time.Now().UTC()
	svc := New(db, func() time.Time { return now })
	pts := insight.QuarterPoints(now, 4)
	p0, p1 := pts[0].AsOf, pts[1].AsOf // the ends of two past quarters
	admin := o.Actors["admin@demo.test"]

	team, err := db.CreateTeam(ctx, o.Org.ID, "Frozen", "")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, n := range []string{"a", "b", "c"} {
		title := "pm"
		u := &app.User{OrgID: o.Org.ID, Email: n + "@frozen.test", Name: "Person " + n, Role: app.RolePM, Title: &title}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids[n] = u.ID
		if err := db.SetTeamMember(ctx, o.Org.ID, team.ID, u.ID, app.TeamMember); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE team_member_history SET valid_from = $2 WHERE team_id = $1`, team.ID, p0.AddDate(0, -5, 0)); err != nil {
		t.Fatal(err)
	}
	rate := func(who, comp string, at time.Time, level int) {
		t.Helper()
		err := db.RecordRatings(ctx, app.RatingBatch{OrgID: o.Org.ID, SubjectID: ids[who], RaterID: admin.UserID,
			Kind: app.RatingLeader, At: at, Ratings: []app.RatingInput{{Competency: comp, Level: &level, Note: "t"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []string{"a", "b", "c"} {
		rate(who, "analytics", p0.AddDate(0, 0, -30), 4)
	}
	rate("a", "specification", p0.AddDate(0, 0, -30), 3)
	rate("b", "specification", p0.AddDate(0, 0, -30), 3)

	// The cycle of p0's quarter closed ten days before the quarter's end.
	q := app.QuarterOf(p0.AddDate(0, 0, -1))
	closedAt := p0.AddDate(0, 0, -10)
	c := &app.Cycle{OrgID: o.Org.ID, TeamID: team.ID, Quarter: q.String(), OpenedAt: p0.AddDate(0, 0, -40),
		SelfDue: q.End(), PeerDue: q.End(), LeaderDue: q.End(), ReviewDue: q.End()}
	if err := db.CreateCycles(ctx, []*app.Cycle{c}); err != nil {
		t.Fatal(err)
	}
	snap, err := cycles.TakeSnapshot(ctx, db, c, closedAt)
	if err != nil {
		t.Fatal(err)
	}
	c.ClosedAt = &closedAt
	version := func() int64 {
		t.Helper()
		var v int64
		if err := db.GetContext(ctx, &v, `SELECT version FROM org_data_versions WHERE org_id = $1`, o.Org.ID); err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()
	if err := db.CloseCycle(ctx, c, admin.UserID, snap); err != nil {
		t.Fatal(err)
	}
	// Cycles are a dashboard input now: closing one moves the cached dashboards on.
	if v := version(); v <= v0 {
		t.Errorf("data version %d after the close, %d before", v, v0)
	}

	type fig struct {
		frozen          bool
		analytics, spec *int
	}
	read := func(a *app.Actor) []fig {
		t.Helper()
		tr, err := svc.Team(ctx, a, Query{TeamID: team.ID, Quarters: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Points) != 4 {
			t.Fatalf("%d points, want 4: %+v", len(tr.Points), tr.Points)
		}
		out := make([]fig, len(tr.Points))
		for i, p := range tr.Points {
			out[i].frozen = p.Frozen
		}
		for _, s := range tr.Series {
			for i := range tr.Points {
				switch s.Competency {
				case "analytics":
					out[i].analytics = s.Coverage[i]
				case "specification":
					out[i].spec = s.Depth[i]
				}
			}
		}
		return out
	}
	val := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	member := &app.Actor{UserID: ids["a"], OrgID: o.Org.ID, Role: app.RolePM}
	before, beforePM := read(admin), read(member)
	if !before[0].frozen || before[1].frozen || before[3].frozen {
		t.Fatalf("frozen points %+v, want only the first", before)
	}
	if val(before[0].analytics) != 3 || val(before[1].analytics) != 3 || val(before[0].spec) != 3 {
		t.Fatalf("before: analytics coverage %d, %d; specification depth %d", val(before[0].analytics), val(before[1].analytics), val(before[0].spec))
	}
	// Two people rated in specification: a PM sees no specification figure, frozen point or not.
	if beforePM[0].spec != nil || beforePM[1].spec != nil || val(beforePM[0].analytics) != 3 {
		t.Errorf("a PM sees specification %d at the frozen point, %d after; analytics %d", val(beforePM[0].spec), val(beforePM[1].spec), val(beforePM[0].analytics))
	}

	// Backdated changes: C's analytics drops to 1 within p0's quarter (after the close),
	// B's within p1's quarter, and C is rated in specification in p0's quarter (specification then has three).
	rate("c", "analytics", p0.AddDate(0, 0, -5), 1)
	rate("c", "specification", p0.AddDate(0, 0, -5), 5)
	rate("b", "analytics", p1.AddDate(0, 0, -5), 1)
	after, afterPM := read(admin), read(member)
	if val(after[0].analytics) != 3 || val(after[0].spec) != 3 || !after[0].frozen {
		t.Errorf("frozen point moved: analytics coverage %d, specification depth %d", val(after[0].analytics), val(after[0].spec))
	}
	if afterPM[0].spec != nil || val(afterPM[0].analytics) != 3 {
		t.Errorf("a PM's frozen point moved: specification %d, analytics %d", val(afterPM[0].spec), val(afterPM[0].analytics))
	}
	// p1's quarter has no closed cycle: B's and C's drops show (coverage 1), and specification now
	// has three contributors, so the PM sees it there.
	if val(after[1].analytics) != 1 || val(afterPM[1].spec) != 5 {
		t.Errorf("p1: analytics coverage %d, want 1; the PM's specification depth %d, want 5", val(after[1].analytics), val(afterPM[1].spec))
	}
}
