package hiring_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/postgres"
)

// demoOrg seeds the demo organisation (Growth: leader, hr as HR partner, pm … pm6; Platform:
// other-leader, hr as HR partner, other-pm) plus the admin of a second organisation
// (boss@elsewhere.test), and returns the service, the actors by e-mail and the team ids.
func demoOrg(t *testing.T) (*hiring.Service, *postgres.DB, map[string]*app.Actor, map[string]int64) {
	t.Helper()
	o := demotest.Seed(t)
	o.Outsider(t, "boss@elsewhere.test", app.RoleAdmin)
	return hiring.New(o.DB, time.Now), o.DB, o.Actors, o.Teams
}

// wantCode fails unless err has the domain code ("" for no error).
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); (err == nil && code != "") || (err != nil && got != code) {
		t.Errorf("%s: error %v, want %q", what, err, code)
	}
}

// TestAccess: who may see a team's hiring gaps and who may act on them. Outsiders (another
// team, another organisation, a team that does not exist) get ENOTFOUND; people of the team
// without the right get EFORBIDDEN.
func TestAccess(t *testing.T) {
	svc, _, actors, teams := demoOrg(t)
	ctx := context.Background()
	growth := teams["Growth"]
	for _, tc := range []struct {
		email  string
		teamID int64
		read   string // Gaps, Export, Overview
		lead   string // WhatIf, Scenario, ShareBrief
		named  bool
	}{
		{"admin@demo.test", growth, "", "", true},
		{"leader@demo.test", growth, "", "", true},
		{"hr@demo.test", growth, "", app.EFORBIDDEN, false},             // the team's HR partner reads aggregates
		{"pm@demo.test", growth, app.EFORBIDDEN, app.EFORBIDDEN, false}, // a member, not a leader
		{"other-leader@demo.test", growth, app.ENOTFOUND, app.ENOTFOUND, false},
		{"other-pm@demo.test", growth, app.ENOTFOUND, app.ENOTFOUND, false},
		{"boss@elsewhere.test", growth, app.ENOTFOUND, app.ENOTFOUND, false},
		{"admin@demo.test", 999999, app.ENOTFOUND, app.ENOTFOUND, false},
	} {
		a := actors[tc.email]
		v, err := svc.Gaps(ctx, a, tc.teamID)
		wantCode(t, tc.email+" Gaps", err, tc.read)
		if err == nil && v.Named != tc.named {
			t.Errorf("%s Gaps: named %v, want %v", tc.email, v.Named, tc.named)
		}
		_, err = svc.Overview(ctx, a, tc.teamID)
		wantCode(t, tc.email+" Overview", err, tc.read)
		for _, format := range []string{hiring.FormatCSV, hiring.FormatMarkdown} {
			_, err = svc.Export(ctx, a, tc.teamID, format)
			wantCode(t, tc.email+" Export "+format, err, tc.read)
		}
		_, err = svc.WhatIf(ctx, a, tc.teamID, hiring.WhatIfInput{})
		wantCode(t, tc.email+" WhatIf", err, tc.lead)
		_, err = svc.Scenario(ctx, a, tc.teamID, hiring.ScenarioForm{})
		wantCode(t, tc.email+" Scenario", err, tc.lead)
		_, err = svc.ShareBrief(ctx, a, tc.teamID)
		wantCode(t, tc.email+" ShareBrief", err, tc.lead)
	}
}

// TestRequisitionAccess: HR partners of the team and admins open and move requisitions, its
// leaders only read them, and anyone outside the team does not learn that one exists.
func TestRequisitionAccess(t *testing.T) {
	svc, _, actors, teams := demoOrg(t)
	ctx := context.Background()
	growth := teams["Growth"]
	profile := func() *app.HireSnapshot {
		return &app.HireSnapshot{Title: "Platform PM", Spike: "delivery", MustHaves: []string{"analytics"}, Brief: "Owns delivery.", ScoreRemoved: 0.5}
	}
	for _, tc := range []struct {
		email string
		code  string
	}{
		{"hr@demo.test", ""},
		{"admin@demo.test", ""},
		{"leader@demo.test", app.EFORBIDDEN},
		{"other-leader@demo.test", app.ENOTFOUND},
		{"boss@elsewhere.test", app.ENOTFOUND},
	} {
		_, err := svc.OpenRequisition(ctx, actors[tc.email], hiring.RequisitionInput{TeamID: growth, Profile: profile()})
		wantCode(t, tc.email+" open", err, tc.code)
		zero := 0
		_, err = svc.OpenRequisition(ctx, actors[tc.email], hiring.RequisitionInput{TeamID: growth, HireIndex: &zero, Profile: profile()})
		wantCode(t, tc.email+" open with both", err, app.EINVALID)
	}

	r, err := svc.OpenRequisition(ctx, actors["hr@demo.test"], hiring.RequisitionInput{TeamID: growth, Profile: profile(), Notes: " Q3 "})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != app.RequisitionOpen || r.Notes != "Q3" || r.TeamName != "Growth" {
		t.Errorf("opened: %+v", r)
	}
	for _, tc := range []struct {
		email string
		code  string
	}{
		{"leader@demo.test", app.EFORBIDDEN},
		{"other-leader@demo.test", app.ENOTFOUND},
		{"pm@demo.test", app.EFORBIDDEN},
		{"boss@elsewhere.test", app.ENOTFOUND},
		{"hr@demo.test", ""},
	} {
		_, err := svc.MoveRequisition(ctx, actors[tc.email], r.ID, app.RequisitionInterviewing)
		wantCode(t, tc.email+" move", err, tc.code)
	}
	_, err = svc.MoveRequisition(ctx, actors["hr@demo.test"], r.ID, app.RequisitionFilled)
	wantCode(t, "interviewing → filled", err, app.EINVALID)

	// The leader reads the team's requisitions but may move none; the other leader sees none.
	b, err := svc.RequisitionBoard(ctx, actors["leader@demo.test"], app.RequisitionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != 3 || b.Manages || b.Rows[0].Next != nil || b.Rows[0].SpikeName == "delivery" {
		t.Errorf("leader's board: %+v", b)
	}
	b, err = svc.RequisitionBoard(ctx, actors["hr@demo.test"], app.RequisitionFilter{TeamID: growth, Status: app.RequisitionInterviewing})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != 1 || !b.Manages || len(b.Rows[0].Next) != 2 {
		t.Errorf("HR's board: %+v", b)
	}
	if list, err := svc.Requisitions(ctx, actors["other-leader@demo.test"], app.RequisitionFilter{}); err != nil || len(list) != 0 {
		t.Errorf("other leader's requisitions: %v %v", list, err)
	}
}

// TestDisclosure: HR's view and every export name no member; a shared brief names nobody
// either, and HR sees it with the gaps.
func TestDisclosure(t *testing.T) {
	svc, db, actors, teams := demoOrg(t)
	ctx := context.Background()
	growth := teams["Growth"]
	people, err := db.FindTeamPeople(ctx, growth)
	if err != nil {
		t.Fatal(err)
	}
	v, err := svc.Gaps(ctx, actors["hr@demo.test"], growth)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range v.Decisions {
		if len(d.Candidates)+len(d.Teachers) > 0 || d.Reason != d.Summary {
			t.Errorf("HR sees people in %s: %+v", d.Competency, d)
		}
	}
	b, err := svc.ShareBrief(ctx, actors["leader@demo.test"], growth)
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{b.Brief}
	for _, format := range []string{hiring.FormatCSV, hiring.FormatMarkdown} {
		doc, err := svc.Export(ctx, actors["leader@demo.test"], growth, format)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(doc.Body))
	}
	for _, doc := range docs {
		for _, p := range people {
			if p.TeamRole == app.TeamMember && strings.Contains(doc, p.Name) {
				t.Errorf("a document names %s:\n%s", p.Name, doc)
			}
		}
	}
	if v, err = svc.Gaps(ctx, actors["hr@demo.test"], growth); err != nil || v.SharedBrief == nil || v.SharedBrief.Brief != b.Brief {
		t.Errorf("HR does not see the shared brief: %v", err)
	}
	if _, err := svc.Export(ctx, actors["leader@demo.test"], growth, "xml"); app.ErrorField(err) != "format" {
		t.Errorf("export as xml: %v", err)
	}
}

// TestScenario: the what-if page's form. Nameless candidates are numbered, levels of unknown
// competencies are dropped, a level that is not a number is refused with its field named and
// the team shown unchanged, and "start from hire N" adds a candidate rated as the profile.
func TestScenario(t *testing.T) {
	svc, _, actors, teams := demoOrg(t)
	ctx := context.Background()
	leader, growth := actors["leader@demo.test"], teams["Growth"]

	form := hiring.ScenarioForm{Candidates: []hiring.CandidateForm{
		{Levels: map[string]string{}},                                    // unused: no name, no level
		{Levels: map[string]string{"delivery": "4", "no_such_key": "3"}}, // nameless: "Candidate 1"
	}}
	sc, err := svc.Scenario(ctx, leader, growth, form)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Refused != nil || len(sc.Candidates) != 1 || sc.Candidates[0].Name != "Candidate 1" ||
		len(sc.Candidates[0].Levels) != 1 || len(sc.Result.Added) != 1 || sc.Result.Added[0] != "Candidate 1" {
		t.Errorf("scenario: refused %v, candidates %+v, added %v", sc.Refused, sc.Candidates, sc.Result.Added)
	}

	form.Candidates[1].Levels["delivery"] = "four"
	sc, err = svc.Scenario(ctx, leader, growth, form)
	if err != nil {
		t.Fatal(err)
	}
	if app.ErrorField(sc.Refused) != "add[0].ratings[0].level" || len(sc.Result.Added) != 0 || sc.Candidates[0].Levels["delivery"] != "four" {
		t.Errorf("bad level: refused %v, added %v", sc.Refused, sc.Result.Added)
	}

	v, err := svc.Gaps(ctx, leader, growth)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Hires) == 0 {
		t.Skip("the demo team needs no hire today")
	}
	sc, err = svc.Scenario(ctx, leader, growth, hiring.ScenarioForm{From: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Hire 1: " + v.Hires[0].Title; sc.Refused != nil || len(sc.Candidates) != 1 || sc.Candidates[0].Name != want ||
		sc.Candidates[0].Levels[v.Hires[0].Spike] == "" {
		t.Errorf("from hire 1: refused %v, candidates %+v", sc.Refused, sc.Candidates)
	}
}
