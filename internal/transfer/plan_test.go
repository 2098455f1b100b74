package transfer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

// The organisation the plan tests import into: org 1 with teams Growth (7) and Platform
// (8); the leader (id 2) leads Growth, where Maya (3) and Greta (5, a Group PM) are members.
func planFixture() (PlanInput, *app.Actor, *app.Actor) {
	fw := &app.Framework{}
	id := int64(0)
	for _, a := range app.DefaultFramework {
		for _, c := range a.Competencies {
			id++
			fw.Competencies = append(fw.Competencies, app.Competency{ID: id, AreaKey: a.Key, Key: c.Key, Name: c.Name, LeadsOnly: a.LeadsOnly})
		}
	}
	fw.Competencies = append(fw.Competencies, app.Competency{ID: 99, Key: "old_skill", Name: "Old skill", Archived: true})
	title := func(s string) *string { return &s }
	growth, platform := app.Team{ID: 7, OrgID: 1, Name: "Growth"}, app.Team{ID: 8, OrgID: 1, Name: "Platform"}
	people := []*app.ImportPerson{
		{ID: 2, OrgID: 1, Email: "leader@x.test", Name: "Lena", Role: app.RoleLeader, Title: title("group_pm"), Active: true, Teams: map[int64]string{7: app.TeamLeader}},
		{ID: 3, OrgID: 1, Email: "Maya@x.test", Name: "Maya Chen", Role: app.RolePM, Title: title("senior_pm"), Background: title("development"), Active: true, Teams: map[int64]string{7: app.TeamMember}},
		{ID: 4, OrgID: 1, Email: "paula@x.test", Name: "Paula", Role: app.RolePM, Title: title("pm"), Active: true, Teams: map[int64]string{8: app.TeamMember}},
		{ID: 5, OrgID: 1, Email: "greta@x.test", Name: "Greta", Role: app.RolePM, Title: title("group_pm"), Active: true, Teams: map[int64]string{7: app.TeamMember}},
		{ID: 6, OrgID: 1, Email: "hr@x.test", Name: "Hana", Role: app.RoleHR, Active: true, Teams: map[int64]string{7: app.TeamHRPartner}},
		{ID: 9, OrgID: 1, Email: "gone@x.test", Name: "Gone", Role: app.RolePM, Active: false, Teams: map[int64]string{7: app.TeamMember}},
	}
	st := &app.ImportState{People: map[string]*app.ImportPerson{}, Teams: []app.Team{growth, platform},
		Effective: map[int64]map[string]int{3: {"specification": 3, "delivery": 4}, 5: {"coaching": 2}}}
	for _, p := range people {
		st.People[strings.ToLower(p.Email)] = p
	}
	leader := &app.Actor{UserID: 2, OrgID: 1, Role: app.RoleLeader}
	admin := &app.Actor{UserID: 1, OrgID: 1, Role: app.RoleAdmin}
	return PlanInput{Actor: leader, Team: &growth, Framework: fw, State: st, Hash: "h"}, leader, admin
}

func mustPlan(t *testing.T, in PlanInput, csv string) *app.ImportPlan {
	t.Helper()
	tab, err := ParseMatrix([]byte(csv))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return Plan(tab, in)
}

func TestPlanChanges(t *testing.T) {
	in, _, admin := planFixture()
	in.Actor = admin // into Growth, with a new person: only an admin creates accounts
	p := mustPlan(t, in, "email,name,title,background,team,specification,delivery,coaching\n"+
		"maya@x.test,Maya Chen-Li,principal_pm,,growth,3,5,\n"+ // new name and title, delivery 4 → 5, specification unchanged
		"new@x.test,'=Bob,Associate PM,UX design,,2,,\n"+ // the export's quote is stripped; labels work
		"greta@x.test,,,,Growth,,,2\n") // unchanged
	if !p.OK() {
		t.Fatalf("problems: %+v", p.Problems)
	}
	want := app.ImportSummary{Rows: 3, NewPeople: 1, ChangedPeople: 1, NewMemberships: 1, RatingChanges: 2, UnchangedRatings: 2}
	if p.Summary != want {
		t.Errorf("summary %+v, want %+v", p.Summary, want)
	}
	maya, bob, greta := p.People[0], p.People[1], p.People[2]
	four := 4
	if maya.UserID != 3 || maya.Name != "Maya Chen-Li" || maya.Title != "principal_pm" || maya.JoinTeamID != 0 ||
		!reflect.DeepEqual(maya.Changes, []app.ImportFieldChange{{Field: "name", From: "Maya Chen", To: "Maya Chen-Li"}, {Field: "title", From: "senior_pm", To: "principal_pm"}}) ||
		!reflect.DeepEqual(maya.Ratings, []app.ImportRatingChange{{Competency: "delivery", From: &four, To: 5}}) {
		t.Errorf("maya: %+v", maya)
	}
	if !bob.New || bob.Name != "=Bob" || bob.Title != "apm" || bob.Background != "ux_design" || bob.JoinTeamID != 7 ||
		len(bob.Changes) != 0 || !reflect.DeepEqual(bob.Ratings, []app.ImportRatingChange{{Competency: "specification", To: 2}}) {
		t.Errorf("bob: %+v", bob)
	}
	if greta.Changed() {
		t.Errorf("greta changes: %+v", greta)
	}
	if p.Hash != "h" || p.TeamID == nil || *p.TeamID != 7 || p.TeamName != "Growth" {
		t.Errorf("plan: hash %q team %v %q", p.Hash, p.TeamID, p.TeamName)
	}
}

func TestPlanOrganisationWide(t *testing.T) {
	in, _, admin := planFixture()
	in.Actor, in.Team = admin, nil
	p := mustPlan(t, in, "email,name,team,analytics\npaula@x.test,,Growth,3\nnew@x.test,Neo,,1\nmaya@x.test,,,\n")
	if !p.OK() {
		t.Fatalf("problems: %+v", p.Problems)
	}
	// An admin moves an existing person into a team; no team cell, no membership.
	if p.People[0].JoinTeamID != 7 || p.People[1].JoinTeamID != 0 || p.People[2].Changed() || p.TeamID != nil {
		t.Errorf("people: %+v", p.People)
	}
}

func TestPlanProblems(t *testing.T) {
	const head = "email,name,title,background,team,specification,coaching\n"
	for _, tc := range []struct {
		name, csv   string
		admin       bool // an organisation-wide import by an admin
		row         int
		col, reason string
	}{
		{"unknown key", "email,name,speling\na@x.test,A,3\n", false, 1, "speling", "Unknown column"},
		{"archived key", "email,name,old_skill\na@x.test,A,3\n", false, 1, "old_skill", "archived"},
		{"bad level", head + "new@x.test,N,,,,x,\n", false, 2, "specification", `"x" is not a level`},
		{"level out of range", head + "new@x.test,N,,,,6,\n", false, 2, "specification", `"6" is not a level`},
		{"decimal level", head + "new@x.test,N,,,,3.0,\n", false, 2, "specification", "not a level"},
		{"formula level", head + "new@x.test,N,,,,=1+2,\n", false, 2, "specification", `"=1+2" is not a level`},
		{"leads-only for a non-lead", head + "maya@x.test,,,,,,3\n", false, 2, "coaching", "leads (Group PM) only"},
		{"leads-only, title set to non-lead", head + "greta@x.test,,pm,,,,3\n", false, 2, "coaching", "title is PM"},
		{"duplicate e-mail", head + "new@x.test,N,,,,,\nNEW@x.test,N,,,,,\n", false, 3, "email", "also on row 2"},
		{"leader names someone new", head + "newbie@x.test,N,,,,3,\n", false, 2, "email", "ask an admin to add them"},
		{"HR partner", head + "hr@x.test,,,,,3,\n", false, 2, "email", "HR partner"},
		{"deactivated", head + "gone@x.test,,,,,3,\n", false, 2, "email", "deactivated"},
		{"unknown title", head + "new@x.test,N,VP,,,,\n", false, 2, "title", `Unknown title "VP"`},
		{"unknown background", head + "new@x.test,N,,astronaut,,,\n", false, 2, "background", "Unknown background"},
		{"unknown team", head + "new@x.test,N,,,Nowhere,,\n", true, 2, "team", `Unknown team "Nowhere"`},
		{"another team in a team import", head + "new@x.test,N,,,Platform,,\n", false, 2, "team", "import is into Growth"},
		{"leader imports a non-member", head + "paula@x.test,,,,,3,\n", false, 2, "email", "not a member of Growth"},
		{"a team's HR partner or leader", head + "leader@x.test,,,,,,\n", false, 2, "email", "in Growth as leader"},
		{"own leader ratings", head + "leader@x.test,,,,,3,\n", true, 2, "email", "cannot give yourself"},
		{"missing e-mail", head + ",N,,,,3,\n", false, 2, "email", "missing"},
		{"bad e-mail", head + "not-an-email,N,,,,3,\n", false, 2, "email", "not a valid e-mail"},
		{"new person without a name", head + "new@x.test,,,,,3,\n", false, 2, "name", "needs one"},
		{"formula name", head + "new@x.test,=cmd|' /C calc'!A0,,,,,\n", false, 2, "name", "spreadsheet formula"},
		{"formula e-mail", head + "@SUM(A1),N,,,,,\n", false, 2, "email", "spreadsheet formula"},
		{"more cells than columns", "email,name\nnew@x.test,N,surprise\n", false, 2, "column 3", "more cells"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, leader, admin := planFixture()
			switch {
			case tc.admin:
				in.Actor, in.Team = admin, nil
				if strings.Contains(tc.name, "own") {
					in.Actor = &app.Actor{UserID: leader.UserID, OrgID: 1, Role: app.RoleAdmin}
				}
			case strings.Contains(tc.csv, "new@x.test"):
				in.Actor = admin // into Growth: a new person is an admin's to create
			}
			p := mustPlan(t, in, tc.csv)
			if p.OK() || len(p.Problems) == 0 {
				t.Fatalf("no problem; plan %+v", p.People)
			}
			got := p.Problems[0]
			if got.Row != tc.row || got.Column != tc.col || !strings.Contains(got.Message, tc.reason) {
				t.Errorf("problem %+v, want row %d column %s containing %q", got, tc.row, tc.col, tc.reason)
			}
			for _, pp := range p.People {
				if pp.Row == tc.row {
					t.Errorf("a row with a problem is planned: %+v", pp)
				}
			}
		})
	}
}

func TestPlanLimits(t *testing.T) {
	in, _, admin := planFixture()
	in.Actor = admin // new people: only an admin imports them
	var b strings.Builder
	b.WriteString("email,name,specification\n")
	for i := range app.MaxImportNewPeople + 1 {
		fmt.Fprintf(&b, "p%d@x.test,P %d,x\n", i, i)
	}
	p := mustPlan(t, in, b.String())
	// Every bad level counts; the list is capped; the new-people limit names its row.
	if p.Summary.Problems != app.MaxImportNewPeople+2 || len(p.Problems) != app.MaxImportProblems {
		t.Errorf("problems %d listed of %d", len(p.Problems), p.Summary.Problems)
	}
}

// TestPlanInvitations: with InviteUnknown, people without an account become invitations
// into the import's team (the name from the file, else the e-mail's local part); a
// pending invitation, a refusal by the invitations' rule, and levels, a title or a
// background on an invited row are row problems; members are planned as usual.
func TestPlanInvitations(t *testing.T) {
	in, _, _ := planFixture()
	in.InviteUnknown = true
	in.State.Invited = map[string]bool{"pending@x.test": true}
	var asked []int64
	in.MayInvite = func(team *int64) error {
		if team == nil {
			return app.Invalid("team_id", "Choose one of the teams you lead.")
		}
		asked = append(asked, *team)
		return nil
	}
	p := mustPlan(t, in, "email,name,title,background,delivery\n"+
		"maya@x.test,,,,5\n"+
		"Nina@New.test,Nina,,,\n"+
		"omar@new.test,,,,\n")
	if !p.OK() {
		t.Fatalf("problems: %+v", p.Problems)
	}
	if want := (app.ImportSummary{Rows: 3, Invitations: 2, RatingChanges: 1}); p.Summary != want {
		t.Errorf("summary %+v, want %+v", p.Summary, want)
	}
	nina, omar := p.People[1], p.People[2]
	if !nina.Invite || nina.New || nina.Name != "Nina" || nina.Email != "Nina@New.test" || nina.JoinTeamID != 7 || len(nina.Changes) != 0 {
		t.Errorf("Nina: %+v", nina)
	}
	if !omar.Invite || omar.Name != "omar" {
		t.Errorf("Omar: %+v", omar)
	}
	if !reflect.DeepEqual(asked, []int64{7, 7}) || !p.InviteUnknown {
		t.Errorf("the rule was asked for teams %v", asked)
	}

	for _, tc := range []struct{ csv, column, says string }{
		{"email,delivery\nrated@new.test,3\n", "delivery", "leader ratings need an account"},
		{"email,title\ntitled@new.test,pm\n", "title", "leave the title empty"},
		{"email,background\nbg@new.test,qa\n", "background", "leave the background empty"},
		{"email\npending@x.test\n", "email", "pending invitation"},
	} {
		p := mustPlan(t, in, tc.csv)
		if p.OK() || len(p.Problems) != 1 || p.Problems[0].Row != 2 || p.Problems[0].Column != tc.column ||
			!strings.Contains(p.Problems[0].Message, tc.says) || len(p.People) != 0 {
			t.Errorf("%q: %+v", tc.csv, p.Problems)
		}
	}
	// The rule refuses (here: no team): a problem naming the person and the reason.
	in.Team = nil
	p = mustPlan(t, in, "email\nx@new.test\n")
	if p.OK() || len(p.Problems) != 1 || !strings.Contains(p.Problems[0].Message, "x@new.test cannot be invited: Choose one of the teams you lead") {
		t.Errorf("refused by the rule: %+v", p.Problems)
	}
	// Without the option, a leader's unknown e-mail is refused as before, naming the option.
	in, _, _ = planFixture()
	p = mustPlan(t, in, "email\nx@new.test\n")
	if p.OK() || !strings.Contains(p.Problems[0].Message, "Invite people without an account") {
		t.Errorf("without invite_unknown: %+v", p.Problems)
	}
}
