package sops_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/sops"
)

// demoOrg seeds the demo organisation on a fresh database and returns the service over it,
// the demo accounts as actors by e-mail (plus "stranger": the demo admin's user id acting in
// another organisation) and the team ids by name.
func demoOrg(t *testing.T) (*postgres.DB, *sops.Service, map[string]*app.Actor, map[string]int64) {
	t.Helper()
	o := demotest.Seed(t)
	o.Actors["stranger"] = &app.Actor{UserID: o.Actors["admin@demo.test"].UserID, OrgID: o.Elsewhere(t).ID, Role: app.RoleAdmin}
	return o.DB, sops.New(o.DB, time.Now), o.Actors, o.Teams
}

// findSOP is the demo SOP of the Growth team with the title, as its leader reads it.
func findSOP(t *testing.T, svc *sops.Service, leader *app.Actor, teamID int64, title string) sops.Doc {
	t.Helper()
	b, err := svc.Board(context.Background(), leader, teamID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range b.SOPs {
		if d.Title == title {
			return d
		}
	}
	t.Fatalf("no SOP %q on the board", title)
	return sops.Doc{}
}

// edit and base are the readers of a write's input, as a handler passes them.
func edit(base int, f app.SOPFields) func() (sops.Edit, error) {
	return func() (sops.Edit, error) { return sops.Edit{Base: base, Fields: f}, nil }
}

func base(n int) func() (int, error) { return func() (int, error) { return n, nil } }

// TestAccess walks every method with every kind of actor: the team's leader and admins do
// everything, its PMs read, its HR partners see the board only; anyone outside the team
// (another team's people, another organisation) is told nothing exists.
func TestAccess(t *testing.T) {
	_, svc, actors, teams := demoOrg(t)
	ctx := context.Background()
	growth := teams["Growth"]
	backlog := findSOP(t, svc, actors["leader@demo.test"], growth, "Backlog refinement with engineering")
	leaderID := actors["leader@demo.test"].UserID
	fields := func() app.SOPFields {
		return app.SOPFields{Category: "intake", Title: "Triage", Purpose: "Decide fast.", OwnerID: &leaderID,
			Steps: []string{"Collect", "Decide"}, ReviewEveryDays: 30, Maturity: "draft"}
	}

	const ok, nf, forbidden, invalid, bad = "", app.ENOTFOUND, app.EFORBIDDEN, app.EINVALID, app.EBADREQUEST
	unreadable := app.Errorf(app.EBADREQUEST, "Malformed JSON.")
	type want struct{ admin, leader, pm, hr, outsider string }
	reader := want{ok, ok, ok, forbidden, nf}
	writer := want{ok, ok, forbidden, forbidden, nf}
	for _, tc := range []struct {
		name string
		call func(a *app.Actor) error
		want want
	}{
		{"Board", func(a *app.Actor) error { _, err := svc.Board(ctx, a, growth); return err }, want{ok, ok, ok, ok, nf}},
		{"SOP", func(a *app.Actor) error { _, err := svc.SOP(ctx, a, backlog.ID); return err }, reader},
		{"Detail", func(a *app.Actor) error { _, err := svc.Detail(ctx, a, backlog.ID); return err }, reader},
		{"Revisions", func(a *app.Actor) error { _, err := svc.Revisions(ctx, a, backlog.ID); return err }, reader},
		{"Revision", func(a *app.Actor) error { _, err := svc.Revision(ctx, a, backlog.ID, 1); return err }, reader},
		// A revision that is not there is answered after the access check.
		{"Revision 0", func(a *app.Actor) error { _, err := svc.Revision(ctx, a, backlog.ID, 0); return err },
			want{nf, nf, nf, forbidden, nf}},
		{"Create", func(a *app.Actor) error { _, err := svc.Create(ctx, a, growth, fields()); return err }, writer},
		// Writers get as far as the checks of their input: no base revision, the current one.
		{"Update", func(a *app.Actor) error { _, err := svc.Update(ctx, a, backlog.ID, edit(0, fields())); return err },
			want{invalid, invalid, forbidden, forbidden, nf}},
		{"Restore", func(a *app.Actor) error {
			_, err := svc.Restore(ctx, a, backlog.ID, backlog.Revision, base(0))
			return err
		}, want{invalid, invalid, forbidden, forbidden, nf}},
		// A write's input is read only once the actor may write: an outsider's bad body is 404.
		{"Update, unreadable", func(a *app.Actor) error {
			_, err := svc.Update(ctx, a, backlog.ID, func() (sops.Edit, error) { return sops.Edit{}, unreadable })
			return err
		}, want{bad, bad, forbidden, forbidden, nf}},
		{"Restore, unreadable", func(a *app.Actor) error {
			_, err := svc.Restore(ctx, a, backlog.ID, 1, func() (int, error) { return 0, unreadable })
			return err
		}, want{bad, bad, forbidden, forbidden, nf}},
		{"Review", func(a *app.Actor) error { _, err := svc.Review(ctx, a, backlog.ID); return err }, writer},
		{"Editor", func(a *app.Actor) error { _, err := svc.Editor(ctx, a, backlog.ID); return err }, writer},
		{"NewEditor", func(a *app.Actor) error { _, err := svc.NewEditor(ctx, a, growth, "intake"); return err }, writer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []struct{ email, want string }{
				{"admin@demo.test", tc.want.admin}, {"leader@demo.test", tc.want.leader}, {"pm@demo.test", tc.want.pm},
				{"hr@demo.test", tc.want.hr}, {"other-leader@demo.test", tc.want.outsider},
				{"other-pm@demo.test", tc.want.outsider}, {"stranger", tc.want.outsider},
			} {
				if got := app.ErrorCode(tc.call(actors[c.email])); got != c.want {
					t.Errorf("%s: %q, want %q", c.email, got, c.want)
				}
			}
		})
	}
}

// TestWhatReadersSee: the board and the staffing check show each reader what they may see.
func TestWhatReadersSee(t *testing.T) {
	_, svc, actors, teams := demoOrg(t)
	ctx := context.Background()
	growth := teams["Growth"]
	backlog := findSOP(t, svc, actors["leader@demo.test"], growth, "Backlog refinement with engineering")

	// The leader sees who alone holds a competency; a PM sees the counts without names.
	lead, err := svc.SOP(ctx, actors["leader@demo.test"], backlog.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st := lead.Staffing; st == nil || st.Status != sops.StatusFragile || len(st.SinglePoints) != 1 || st.SinglePoints[0].Name != "Maya Chen" {
		t.Errorf("leader's staffing check: %+v", lead.Staffing)
	}
	pm, err := svc.SOP(ctx, actors["pm@demo.test"], backlog.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st := pm.Staffing; st == nil || st.Status != sops.StatusFragile || len(st.SinglePoints) != 0 {
		t.Fatalf("PM's staffing check: %+v", pm.Staffing)
	}
	for _, r := range pm.Staffing.Competencies {
		if r.People != nil {
			t.Errorf("a PM sees who holds %s: %v", r.Competency, r.People)
		}
	}

	// HR partners get the summary and the handshakes with HR, no SOP.
	b, err := svc.Board(ctx, actors["hr@demo.test"], growth)
	if err != nil {
		t.Fatal(err)
	}
	if b.SOPs != nil || b.Due != nil || len(b.HRHandshakes) != 1 || b.HRHandshakes[0].Partner != app.SOPPartnerHR || b.Total != 7 {
		t.Errorf("HR board: %d SOPs, %d due, handshakes %+v, total %d", len(b.SOPs), len(b.Due), b.HRHandshakes, b.Total)
	}

	// The due list holds only SOPs of teams whose SOPs the actor reads.
	for _, email := range []string{"other-leader@demo.test", "hr@demo.test"} {
		due, err := svc.Due(ctx, actors[email])
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range due {
			if d.TeamID == growth {
				t.Errorf("%s's due list holds Growth's %q", email, d.Title)
			}
		}
	}
	if due, err := svc.Due(ctx, actors["pm@demo.test"]); err != nil || len(due) == 0 {
		t.Errorf("the PM's due list: %d SOPs (%v), want Growth's due ones", len(due), err)
	}
}

// TestWrites: input is checked against the team's people, and saves based on an older
// revision are refused.
func TestWrites(t *testing.T) {
	_, svc, actors, teams := demoOrg(t)
	ctx := context.Background()
	leader := actors["leader@demo.test"]
	outsider := actors["other-pm@demo.test"].UserID
	f := app.SOPFields{Category: "intake", Title: "Triage", Purpose: "Decide fast.", OwnerID: &leader.UserID,
		Steps: []string{"Collect", "Decide"}, ReviewEveryDays: 30, Maturity: "draft"}

	bad := f
	bad.OwnerID = &outsider
	if _, err := svc.Create(ctx, leader, teams["Growth"], bad); app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "owner_id" {
		t.Errorf("an owner outside the team: %v", err)
	}
	sop, err := svc.Create(ctx, leader, teams["Growth"], f)
	if err != nil {
		t.Fatal(err)
	}
	if sop.Revision != 1 || sop.ReviewStatus != app.SOPReviewOK {
		t.Errorf("created: revision %d, review %q", sop.Revision, sop.ReviewStatus)
	}
	f.Title = "Weekly triage"
	if saved, err := svc.Update(ctx, actors["admin@demo.test"], sop.ID, edit(1, f)); err != nil || saved.Revision != 2 {
		t.Fatalf("update: %+v %v", saved, err)
	}
	f.Title = "Stale"
	if _, err := svc.Update(ctx, leader, sop.ID, edit(1, f)); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a save based on revision 1 after revision 2: %v, want a conflict", err)
	}
	if _, err := svc.Restore(ctx, leader, sop.ID, 9, base(0)); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("restoring a revision that is not there: %v", err)
	}
	restored, err := svc.Restore(ctx, leader, sop.ID, 1, base(2))
	if err != nil || restored.Revision != 3 || restored.Title != "Triage" {
		t.Fatalf("restore: %+v %v", restored, err)
	}
	d, err := svc.Revision(ctx, actors["pm@demo.test"], sop.ID, 2)
	if err != nil || d.SOP.Revision != 3 || d.Revision.Title != "Weekly triage" || len(d.Diff) != 1 || d.Diff[0].Field != "title" {
		t.Errorf("revision 2 against 3: %+v %v", d, err)
	}
	ed, err := svc.NewEditor(ctx, leader, teams["Growth"], "scaling")
	if err != nil || ed.Fields.Category != "scaling" || ed.Fields.OwnerID == nil || *ed.Fields.OwnerID != leader.UserID || len(ed.Owners) == 0 {
		t.Errorf("new editor: %+v %v", ed, err)
	}
}
