package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// coachingTeam makes a team with a leader and two members; it returns the org and the ids
// (leader, member, member) and the team's id.
func coachingTeam(t *testing.T, db *postgres.DB) (*app.Organisation, []int64, int64) {
	t.Helper()
	ctx := context.Background()
	org, ids := people(t, db, 3)
	team, err := db.CreateTeam(ctx, org.ID, "T", "")
	if err != nil {
		t.Fatal(err)
	}
	for i, role := range []string{app.TeamLeader, app.TeamMember, app.TeamMember} {
		if err := db.SetTeamMember(ctx, org.ID, team.ID, ids[i], role); err != nil {
			t.Fatal(err)
		}
	}
	return org, ids, team.ID
}

func testPlan(org *app.Organisation, person, owner int64, q app.Quarter, comps ...string) *app.CoachingPlan {
	p := &app.CoachingPlan{OrgID: org.ID, PersonID: person, Quarter: q.String(), Spikes: []string{"management"}}
	for _, c := range comps {
		p.Goals = append(p.Goals, app.CoachingGoal{Competency: c, TargetLevel: 3, Due: q.End(), Goal: "g " + c,
			Actions: []app.CoachingAction{{Kind: app.ActionEducation, Description: "read", OwnerID: owner, Due: q.Start(), Status: app.ActionTodo}}})
	}
	return p
}

func TestCoachingPlanStore(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids, teamID := coachingTeam(t, db)
	leader, pm := ids[0], ids[1]
	q := app.QuarterOf(time.Now())
	p := testPlan(org, pm, leader, q, "delivery", "analytics")
	if err := db.CreateCoachingPlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	// One plan per person and quarter.
	if err := db.CreateCoachingPlan(ctx, testPlan(org, pm, leader, q, "delivery")); app.ErrorCode(err) != app.ECONFLICT || app.ErrorField(err) != "quarter" {
		t.Fatalf("second plan for the quarter: %v", err)
	}

	// An update that fails half-way (an owner who does not exist, in the second goal) leaves
	// the plan as it was: the delete of the old goals is rolled back with the inserts.
	upd := testPlan(org, pm, leader, q, "specification", "quality_launch")
	upd.ID = p.ID
	upd.Goals[1].Actions[0].OwnerID = 999999
	if err := db.UpdateCoachingPlan(ctx, upd); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("update with a missing owner: %v", err)
	}
	got, err := db.FindCoachingPlanByID(ctx, org.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Goals) != 2 || got.Goals[0].Competency != "delivery" || got.Goals[1].Competency != "analytics" || len(got.Goals[1].Actions) != 1 {
		t.Fatalf("plan after a failed update: %+v", got.Goals)
	}
	// A plan of another organisation is not found.
	other, err := db.CreateOrganisation(ctx, "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindCoachingPlanByID(ctx, other.ID, p.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("plan seen from another organisation: %v", err)
	}

	// Open goals: the plan of the quarter of asOf counts, other quarters do not.
	if err := db.CreateCoachingPlan(ctx, testPlan(org, pm, leader, q.Next(), "delivery", "analytics", "specification")); err != nil {
		t.Fatal(err)
	}
	open, err := db.CountOpenGoals(ctx, ids, time.Now())
	if err != nil || open[pm] != 2 || open[ids[2]] != 0 || len(open) != 1 {
		t.Fatalf("open goals: %v %v", open, err)
	}
	// insight.LoadTeam fills them in for the analytic core.
	team, err := insight.LoadTeam(ctx, db, org.ID, teamID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, person := range team.Input.People {
		want := map[int64]int{pm: 2}[person.ID]
		if person.OpenGoals != want {
			t.Fatalf("%d has %d open goals, want %d", person.ID, person.OpenGoals, want)
		}
	}

	// The circle: the team's leader and members, by name; a person in no team has none.
	circle, err := db.FindCoachingCircle(ctx, pm)
	if err != nil || len(circle.Teams) != 1 || len(circle.People) != 3 || !circle.Has(leader) {
		t.Fatalf("circle: %+v %v", circle, err)
	}
	if circle, _ := db.FindCoachingCircle(ctx, leader); len(circle.Teams) != 0 || len(circle.People) != 0 {
		t.Fatalf("a leader who is no member has a circle: %+v", circle)
	}
}

func TestCheckInNotesArePrivateToTheirAuthor(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids, _ := coachingTeam(t, db)
	leader, pm, peer := ids[0], ids[1], ids[2]
	q := app.QuarterOf(time.Now())
	p := testPlan(org, pm, leader, q, "delivery")
	if err := db.CreateCoachingPlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	level := 2
	ci := &app.CheckIn{PlanID: p.ID, Date: app.DateOf(time.Now()), CreatedBy: &leader,
		Goals: []app.CheckInGoal{{Competency: "delivery", Status: "on_track", Level: &level, TargetLevel: 3}},
		Notes: []app.CheckInNote{{AuthorID: leader, Text: "shared"}, {AuthorID: leader, Text: "secret", Private: true}}}
	if err := db.CreateCheckIn(ctx, ci); err != nil {
		t.Fatal(err)
	}
	for viewer, want := range map[int64]int{leader: 2, pm: 1, peer: 1, 0: 1} {
		cis, err := db.FindCheckIns(ctx, []int64{p.ID}, viewer)
		if err != nil || len(cis) != 1 {
			t.Fatal(err, len(cis))
		}
		if len(cis[0].Notes) != want || cis[0].Notes[0].Text != "shared" {
			t.Fatalf("viewer %d sees %+v", viewer, cis[0].Notes)
		}
		if g := cis[0].Goals; len(g) != 1 || *g[0].Level != 2 || g[0].Status != "on_track" {
			t.Fatalf("check-in goals: %+v", g)
		}
	}
	if err := db.SetCheckInReflection(ctx, ci.ID, "learned a lot"); err != nil {
		t.Fatal(err)
	}
	cis, _ := db.FindCheckIns(ctx, []int64{p.ID}, pm)
	if cis[0].Reflection != "learned a lot" || cis[0].ReflectionAt == nil {
		t.Fatalf("reflection: %+v", cis[0])
	}
}
