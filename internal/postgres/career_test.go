package postgres_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

func date(s string) app.Date {
	d, err := app.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestCareerRoleStore(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 2)
	pm, other := ids[0], ids[1]
	check := func(r *app.CareerRole) func([]app.CareerRole) error {
		return func(o []app.CareerRole) error { return app.CheckCareerRole(o, *r) }
	}
	end := date("2020-01-01")
	first := &app.CareerRole{OrgID: org.ID, PersonID: pm, Company: "Acme", Title: "APM", Start: date("2018-01-01"), End: &end,
		Market: "b2b", Specialism: "fintech", Spikes: []string{"compensation"}}
	if err := db.SaveCareerRole(ctx, first, check(first)); err != nil || first.ID == 0 {
		t.Fatalf("insert: %v (id %d)", err, first.ID)
	}
	current := &app.CareerRole{OrgID: org.ID, PersonID: pm, Company: "Demo", Title: "PM", Start: date("2020-01-01"),
		Market: "both", Spikes: []string{"management", "social_impact"}}
	var seen []app.CareerRole
	if err := db.SaveCareerRole(ctx, current, func(o []app.CareerRole) error { seen = o; return app.CheckCareerRole(o, *current) }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0].ID != first.ID {
		t.Fatalf("check saw %+v, want the first role", seen)
	}
	// A refused write stores nothing.
	bad := &app.CareerRole{OrgID: org.ID, PersonID: pm, Company: "X", Title: "PM", Start: date("2019-06-01"),
		Market: "b2c", Spikes: []string{"management"}}
	err := db.SaveCareerRole(ctx, bad, func(o []app.CareerRole) error { return app.CheckCareerRole(o, *bad) })
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "start" {
		t.Fatalf("overlapping role: %v", err)
	}
	roles, err := db.FindCareerRoles(ctx, org.ID, pm)
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != 2 || roles[0].Title != "APM" || roles[0].End == nil || roles[0].End.String() != "2020-01-01" ||
		roles[1].End != nil || len(roles[1].Spikes) != 2 || roles[0].Specialism != "fintech" {
		t.Fatalf("roles = %+v", roles)
	}
	// Update: an existing role keeps its id; another person's role is not found.
	current.Title = "Senior PM"
	if err := db.SaveCareerRole(ctx, current, check(current)); err != nil {
		t.Fatal(err)
	}
	stolen := *current
	stolen.PersonID = other
	if err := db.SaveCareerRole(ctx, &stolen, check(&stolen)); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("update of another person's role: %v", err)
	}
	if err := db.DeleteCareerRole(ctx, org.ID, other, current.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("delete of another person's role: %v", err)
	}
	if roles, _ := db.FindCareerRoles(ctx, org.ID, pm); roles[1].Title != "Senior PM" {
		t.Fatalf("after update: %+v", roles)
	}
}

// Two overlapping roles written at once: the person's lock lets exactly one through.
func TestCareerRoleConcurrentOverlap(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 1)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &app.CareerRole{OrgID: org.ID, PersonID: ids[0], Company: "C", Title: "PM", Start: app.Date{Time: date("2020-01-01").AddDate(0, 0, i)},
				Market: "b2b", Spikes: []string{"management"}}
			errs[i] = db.SaveCareerRole(ctx, r, func(o []app.CareerRole) error { return app.CheckCareerRole(o, *r) })
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if app.ErrorCode(err) != app.EINVALID {
			t.Errorf("unexpected error: %v", err)
		}
	}
	if roles, _ := db.FindCareerRoles(ctx, org.ID, ids[0]); ok != 1 || len(roles) != 1 {
		t.Fatalf("%d writes went through, %d roles stored; want 1", ok, len(roles))
	}
}

func TestResourceStore(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 1)
	bg := "sales"
	r := &app.LearningResource{OrgID: org.ID, Title: "Interviews", URL: "https://example.com/i", Kind: "book",
		Competency: "customer_research", LevelMin: 1, LevelMax: 3, Market: "b2b", Background: &bg, CreatedBy: &ids[0]}
	if err := db.CreateResource(ctx, r); err != nil {
		t.Fatal(err)
	}
	dup := *r
	if err := db.CreateResource(ctx, &dup); app.ErrorCode(err) != app.ECONFLICT || app.ErrorField(err) != "title" {
		t.Fatalf("duplicate title: %v", err)
	}
	r2 := &app.LearningResource{OrgID: org.ID, Title: "Experiments", URL: "https://example.com/e", Kind: "course",
		Competency: "analytics", LevelMin: 0, LevelMax: 5, Market: "both"}
	if err := db.CreateResource(ctx, r2); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindResources(ctx, org.ID, "customer_research")
	if err != nil || len(got) != 1 || got[0].CompetencyName != "Customer research" || got[0].BackgroundKey() != "sales" {
		t.Fatalf("by competency: %+v %v", got, err)
	}
	if all, _ := db.FindResources(ctx, org.ID, ""); len(all) != 2 {
		t.Fatalf("all: %+v", all)
	}
	r.Title, r.Competency, r.Background = "Customer interviews", "analytics", nil
	if err := db.UpdateResource(ctx, r); err != nil {
		t.Fatal(err)
	}
	one, err := db.FindResourceByID(ctx, org.ID, r.ID)
	if err != nil || one.Title != "Customer interviews" || one.Competency != "analytics" || one.Background != nil || one.CreatedBy == nil {
		t.Fatalf("after update: %+v %v", one, err)
	}
	r.Title = "Experiments"
	if err := db.UpdateResource(ctx, r); app.ErrorField(err) != "title" {
		t.Fatalf("rename to a taken title: %v", err)
	}
	other, _ := db.CreateOrganisation(ctx, "other", "Other")
	if _, err := db.FindResourceByID(ctx, other.ID, r.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("other org reads: %v", err)
	}
	if err := db.DeleteResource(ctx, other.ID, r.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("other org deletes: %v", err)
	}
	if err := db.DeleteResource(ctx, org.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindResourceByID(ctx, org.ID, r.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("after delete: %v", err)
	}
}

func TestMentorshipStore(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 6)
	mentor := ids[0]
	ask := func(mentee int64, comp string) *app.Mentorship {
		t.Helper()
		m := &app.Mentorship{OrgID: org.ID, MenteeID: mentee, MentorID: mentor, Competency: comp, Message: "hi"}
		if err := db.CreateMentorship(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	var ms []*app.Mentorship
	for _, mentee := range ids[1:5] {
		ms = append(ms, ask(mentee, "delivery"))
	}
	again := &app.Mentorship{OrgID: org.ID, MenteeID: ids[1], MentorID: mentor, Competency: "delivery"}
	if err := db.CreateMentorship(ctx, again); app.ErrorCode(err) != app.ECONFLICT || app.ErrorField(err) != "mentor_id" {
		t.Fatalf("second open request: %v", err)
	}
	for _, m := range ms[:3] {
		if err := db.SetMentorshipStatus(ctx, org.ID, m.ID, app.MentorshipPending, app.MentorshipAccepted, 3); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetMentorshipStatus(ctx, org.ID, ms[3].ID, app.MentorshipPending, app.MentorshipAccepted, 3); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("accept past capacity: %v", err)
	}
	if n, _ := db.CountMentees(ctx, org.ID); n[mentor] != 3 {
		t.Fatalf("mentees = %v", n)
	}
	if err := db.SetMentorshipStatus(ctx, org.ID, ms[0].ID, app.MentorshipPending, app.MentorshipEnded, 3); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("status changed from the wrong status: %v", err)
	}
	// Ending one frees a place.
	if err := db.SetMentorshipStatus(ctx, org.ID, ms[0].ID, app.MentorshipAccepted, app.MentorshipEnded, 3); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMentorshipStatus(ctx, org.ID, ms[3].ID, app.MentorshipPending, app.MentorshipAccepted, 3); err != nil {
		t.Fatalf("accept after a place was freed: %v", err)
	}
	// An ended mentorship no longer blocks a new request.
	ask(ids[1], "delivery")
	got, err := db.FindMentorshipByID(ctx, org.ID, ms[0].ID)
	if err != nil || got.Status != app.MentorshipEnded || got.EndedAt == nil || got.AnsweredAt == nil || got.CompetencyName == "" {
		t.Fatalf("ended: %+v %v", got, err)
	}
	asMentor, _ := db.FindMentorships(ctx, org.ID, app.MentorshipFilter{PersonID: mentor, AsMentor: true})
	asMentee, _ := db.FindMentorships(ctx, org.ID, app.MentorshipFilter{PersonID: mentor, AsMentee: true})
	mine, _ := db.FindMentorships(ctx, org.ID, app.MentorshipFilter{PersonID: ids[1], AsMentee: true, AsMentor: true})
	if len(asMentor) != 5 || len(asMentee) != 0 || len(mine) != 2 {
		t.Fatalf("as mentor %d, as mentee %d, person 1 %d", len(asMentor), len(asMentee), len(mine))
	}

	// Consent: none until the person decides; offers in framework order, kept when an
	// opt-in does not name them, withdrawn by an opt-out; a bad offer changes nothing.
	consent := func() app.MentorConsent {
		t.Helper()
		all, err := db.FindMentorConsents(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) > 1 {
			t.Fatalf("consents of %d people: %v", len(all), all)
		}
		return all[ids[5]]
	}
	if c := consent(); c.OptedIn || c.Offers != nil {
		t.Fatalf("before deciding: %+v", c)
	}
	set := func(optIn bool, offers []string) {
		t.Helper()
		if err := db.SetMentorConsent(ctx, ids[5], optIn, offers); err != nil {
			t.Fatal(err)
		}
	}
	set(true, []string{"delivery", "specification"})
	set(true, []string{"delivery", "specification"})
	if c := consent(); !c.OptedIn || !slices.Equal(c.Offers, []string{"specification", "delivery"}) {
		t.Fatalf("after opting in: %+v", c)
	}
	set(true, nil)
	if c := consent(); !slices.Equal(c.Offers, []string{"specification", "delivery"}) {
		t.Fatalf("an opt-in without offers changed them: %+v", c)
	}
	for _, bad := range [][]string{{"delivery", "juggling"}, {"delivery", "delivery"}} {
		if err := db.SetMentorConsent(ctx, ids[5], true, bad); app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "offers" {
			t.Fatalf("offers %v: %v", bad, err)
		}
	}
	if c := consent(); !slices.Equal(c.Offers, []string{"specification", "delivery"}) {
		t.Fatalf("a refused write changed the offers: %+v", c)
	}
	set(false, nil)
	if c := consent(); c.OptedIn || len(c.Offers) != 0 {
		t.Fatalf("after opting out: %+v", c)
	}
	if err := db.SetMentorConsent(ctx, 999999, true, nil); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown person: %v", err)
	}
}

// Two acceptances racing for the mentor's last place: one wins.
func TestMentorshipConcurrentAccept(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 5)
	var ms []*app.Mentorship
	for _, mentee := range ids[1:] {
		m := &app.Mentorship{OrgID: org.ID, MenteeID: mentee, MentorID: ids[0], Competency: "delivery"}
		if err := db.CreateMentorship(ctx, m); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	for _, m := range ms[:2] {
		if err := db.SetMentorshipStatus(ctx, org.ID, m.ID, app.MentorshipPending, app.MentorshipAccepted, 3); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, m := range ms[2:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.SetMentorshipStatus(ctx, org.ID, m.ID, app.MentorshipPending, app.MentorshipAccepted, 3)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("errors = %v; want exactly one acceptance", errs)
	}
	if n, _ := db.CountMentees(ctx, org.ID); n[ids[0]] != 3 {
		t.Fatalf("mentees = %v", n)
	}
}

func TestAddCoachingAction(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids, _ := coachingTeam(t, db)
	q := app.QuarterOf(time.Now())
	p := testPlan(org, ids[1], ids[1], q, "delivery")
	if err := db.CreateCoachingPlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	a := &app.CoachingAction{GoalID: p.Goals[0].ID, Kind: app.ActionEducation, Description: "Read it", OwnerID: ids[1],
		Due: q.End(), ResourceURL: "https://example.com/r", Status: app.ActionTodo}
	if err := db.AddCoachingAction(ctx, a); err != nil || a.ID == 0 {
		t.Fatalf("add: %v", err)
	}
	got, err := db.FindCoachingPlanByID(ctx, org.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	acts := got.Goals[0].Actions
	if len(acts) != 2 || acts[1].ID != a.ID || acts[1].ResourceURL != "https://example.com/r" {
		t.Fatalf("actions = %+v", acts)
	}
}
