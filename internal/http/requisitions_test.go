package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

type requisitionJSON struct {
	Data app.Requisition `json:"data"`
}

// countRequisitions counts every stored requisition (all organisations).
func countRequisitions(t *testing.T, f *fixture) int {
	t.Helper()
	var n int
	if err := f.db.Get(&n, `SELECT count(*) FROM requisitions`); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRequisitionOpen(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)

	// Against the team's second suggested hire: the snapshot is the profile as it is now.
	res := f.as(t, "hr@demo.test", "POST", "/api/v1/requisitions", map[string]any{"team_id": l.team, "hire_index": 0, "notes": " Budget for Q1 "})
	wantStatus(t, res, http.StatusCreated)
	var got requisitionJSON
	res.JSON(t, &got)
	r := got.Data
	if r.ID == 0 || r.TeamID != l.team || r.TeamName != "Hiring Lab" || r.Status != app.RequisitionOpen || r.Title != "Data PM" ||
		r.Spike != "market_domain" || !reflect.DeepEqual(r.MustHaves, []string{"analytics"}) || !near(r.ScoreRemoved, 2) ||
		!strings.HasPrefix(r.Brief, "Data PM: a product manager who is proficient (4+) in Market & domain knowledge") ||
		r.Notes != "Budget for Q1" || r.CreatedByName != "Hana Reyes" {
		t.Errorf("requisition: %+v", r)
	}

	// Against a profile given in full (an admin may too).
	res = f.as(t, "admin@demo.test", "POST", "/api/v1/requisitions", map[string]any{"team_id": l.team,
		"profile": map[string]any{"title": "Platform PM", "spike": "delivery", "must_haves": []string{"quality_launch"}, "brief": "Owns the APIs.", "score_removed": 0.5}})
	wantStatus(t, res, http.StatusCreated)

	// The form on the hiring page: a redirect to the list, which says so.
	form := url.Values{"team_id": {itoa64(l.team)}, "hire_index": {"1"}, "notes": {""}}.Encode()
	res = f.do(t, "POST", "/requisitions", f.token(t, "hr@demo.test"), form, "Content-Type", "application/x-www-form-urlencoded")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/requisitions?done=opened&id=") {
		t.Fatalf("form post: %d to %q: %s", res.Status, res.Header.Get("Location"), res.Body)
	}
	page := f.as(t, "hr@demo.test", "GET", res.Header.Get("Location"), nil)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.Body), "opened for Hiring Lab.") || !strings.Contains(string(page.Body), "Product Manager") {
		t.Errorf("list after the form post lacks the flash or the requisition")
	}
	if n := countRequisitions(t, f); n != 3 {
		t.Fatalf("%d requisitions stored, want 3", n)
	}

	// Bad input: 4xx naming the field, nothing stored.
	ctx := context.Background()
	other, err := f.db.CreateOrganisation(ctx, "elsewhere", "Elsewhere Ltd")
	if err != nil {
		t.Fatal(err)
	}
	otherTeam, err := f.db.CreateTeam(ctx, other.ID, "Secret", "")
	if err != nil {
		t.Fatal(err)
	}
	profile := func(edit func(p map[string]any)) map[string]any {
		p := map[string]any{"title": "Data PM", "spike": "analytics", "must_haves": []string{}, "brief": "B", "score_removed": 1}
		edit(p)
		return map[string]any{"team_id": l.team, "profile": p}
	}
	tests := []struct {
		name   string
		email  string
		body   any
		status int
		field  string
	}{
		{"no team", "hr@demo.test", map[string]any{"hire_index": 0}, 422, "team_id"},
		{"neither hire nor profile", "hr@demo.test", map[string]any{"team_id": l.team}, 422, "hire_index"},
		{"both", "hr@demo.test", map[string]any{"team_id": l.team, "hire_index": 0, "profile": map[string]any{}}, 422, "hire_index"},
		{"hire out of range", "hr@demo.test", map[string]any{"team_id": l.team, "hire_index": 2}, 422, "hire_index"},
		{"negative hire", "hr@demo.test", map[string]any{"team_id": l.team, "hire_index": -1}, 422, "hire_index"},
		{"notes too long", "hr@demo.test", map[string]any{"team_id": l.team, "hire_index": 0, "notes": strings.Repeat("x", 2001)}, 422, "notes"},
		{"unknown spike", "hr@demo.test", profile(func(p map[string]any) { p["spike"] = "juggling" }), 422, "profile.spike"},
		{"four must-haves", "hr@demo.test", profile(func(p map[string]any) {
			p["must_haves"] = []string{"delivery", "specification", "quality_launch", "vision_roadmap"}
		}), 422, "profile.must_haves"},
		{"empty title", "hr@demo.test", profile(func(p map[string]any) { p["title"] = "" }), 422, "profile.title"},
		{"unknown field", "hr@demo.test", map[string]any{"team_id": l.team, "hire_index": 0, "status": "filled"}, 400, "status"},
		{"another organisation's team", "hr@demo.test", map[string]any{"team_id": otherTeam.ID, "hire_index": 0}, 404, ""},
		{"a team HR does not partner", "hr2@demo.test", map[string]any{"team_id": l.team, "hire_index": 0}, 404, ""},
		{"a leader", "leader@demo.test", map[string]any{"team_id": l.team, "hire_index": 0}, 403, ""},
	}
	hr2 := &app.User{OrgID: f.org.ID, Email: "hr2@demo.test", Name: "Second HR", Role: app.RoleHR}
	if err := f.db.CreateUser(ctx, hr2); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		res := f.as(t, tt.email, "POST", "/api/v1/requisitions", tt.body)
		if res.Status != tt.status || (tt.field != "" && !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`)) {
			t.Errorf("%s: %d %s, want %d naming %q", tt.name, res.Status, res.Body, tt.status, tt.field)
		}
	}
	if n := countRequisitions(t, f); n != 3 {
		t.Errorf("bad input stored something: %d requisitions, want 3", n)
	}
}

func TestRequisitionTransitions(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)
	open := func() int64 {
		res := f.as(t, "hr@demo.test", "POST", "/api/v1/requisitions", map[string]any{"team_id": l.team, "hire_index": 0})
		wantStatus(t, res, http.StatusCreated)
		var r requisitionJSON
		res.JSON(t, &r)
		return r.Data.ID
	}
	move := func(email string, id int64, status string) response {
		return f.as(t, email, "PATCH", fmt.Sprintf("/api/v1/requisitions/%d", id), map[string]string{"status": status})
	}
	statusNow := func(id int64) string {
		var s string
		if err := f.db.Get(&s, `SELECT status FROM requisitions WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Each path is a series of moves from a fresh open requisition; a move with want 422 must
	// leave the status as it was.
	type step struct {
		to   string
		want int
	}
	paths := []struct {
		name  string
		steps []step
	}{
		{"the pipeline", []step{{"interviewing", 200}, {"offer", 200}, {"filled", 200}, {"cancelled", 422}, {"offer", 422}}},
		{"skipping ahead", []step{{"offer", 422}, {"filled", 422}, {"interviewing", 200}, {"filled", 422}}},
		{"going back", []step{{"interviewing", 200}, {"offer", 200}, {"interviewing", 422}, {"open", 422}}},
		{"cancel when open", []step{{"cancelled", 200}, {"open", 422}, {"interviewing", 422}, {"cancelled", 422}}},
		{"cancel at offer", []step{{"interviewing", 200}, {"offer", 200}, {"cancelled", 200}, {"filled", 422}}},
		{"standing still and nonsense", []step{{"open", 422}, {"hired", 422}, {"", 422}}},
	}
	for _, p := range paths {
		id := open()
		for _, s := range p.steps {
			before := statusNow(id)
			res := move("hr@demo.test", id, s.to)
			if res.Status != s.want {
				t.Errorf("%s: %s → %s: %d %s, want %d", p.name, before, s.to, res.Status, res.Body, s.want)
				continue
			}
			if s.want == 422 {
				if !strings.Contains(string(res.Body), `"field":"status"`) {
					t.Errorf("%s: %s → %s: error does not name status: %s", p.name, before, s.to, res.Body)
				}
				if after := statusNow(id); after != before {
					t.Errorf("%s: refused move changed %s to %s", p.name, before, after)
				}
			} else if after := statusNow(id); after != s.to {
				t.Errorf("%s: status %s after moving to %s", p.name, after, s.to)
			}
		}
	}

	// Who may move them: HR partner and admin; the leader reads only; others see nothing.
	id := open()
	if res := move("leader@demo.test", id, "interviewing"); res.Status != http.StatusForbidden {
		t.Errorf("leader moves: %d", res.Status)
	}
	if res := move("admin@demo.test", id, "interviewing"); res.Status != http.StatusOK {
		t.Errorf("admin moves: %d %s", res.Status, res.Body)
	}
	if res := move("hr@demo.test", 999999, "interviewing"); res.Status != http.StatusNotFound {
		t.Errorf("unknown requisition: %d", res.Status)
	}
	// HR of the demo org takes the lab's HR partner off: the requisition becomes invisible.
	if err := f.db.RemoveTeamMember(context.Background(), f.org.ID, l.team, f.ids["hr@demo.test"]); err != nil {
		t.Fatal(err)
	}
	if res := move("hr@demo.test", id, "offer"); res.Status != http.StatusNotFound {
		t.Errorf("HR no longer partner: %d", res.Status)
	}
	if statusNow(id) != "interviewing" {
		t.Errorf("status changed by a refused move")
	}

	// The status buttons on the list page: a refused move renders the list with the reason.
	if err := f.db.SetTeamMember(context.Background(), f.org.ID, l.team, f.ids["hr@demo.test"], app.TeamHRPartner); err != nil {
		t.Fatal(err)
	}
	res := f.do(t, "POST", fmt.Sprintf("/requisitions/%d/status", id), f.token(t, "hr@demo.test"), "status=filled",
		"Content-Type", "application/x-www-form-urlencoded")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "can move to offer or cancelled, not to filled") {
		t.Errorf("refused form move: %d %s", res.Status, res.Body)
	}
	res = f.do(t, "POST", fmt.Sprintf("/requisitions/%d/status", id), f.token(t, "hr@demo.test"), "status=offer",
		"Content-Type", "application/x-www-form-urlencoded")
	if res.Status != http.StatusSeeOther || statusNow(id) != "offer" {
		t.Errorf("form move: %d, status %s", res.Status, statusNow(id))
	}
}

func TestRequisitionLists(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)
	// HR opens the lab's requisition. Platform has one PM, so HR sees no live hire for it (the
	// disclosure rule: its figures are one person's ratings) and cannot open one from a
	// suggestion there; the admin, who sees every team whole, does.
	wantStatus(t, f.as(t, "hr@demo.test", "POST", "/api/v1/requisitions", map[string]any{"team_id": l.team, "hire_index": 0}), http.StatusCreated)
	wantStatus(t, f.as(t, "hr@demo.test", "POST", "/api/v1/requisitions", map[string]any{"team_id": f.ids["team:Platform"], "hire_index": 0}),
		http.StatusUnprocessableEntity)
	wantStatus(t, f.as(t, "admin@demo.test", "POST", "/api/v1/requisitions", map[string]any{"team_id": f.ids["team:Platform"], "hire_index": 0}),
		http.StatusCreated)
	teamsSeen := func(email, query string) []string {
		res := f.as(t, email, "GET", "/api/v1/requisitions"+query, nil)
		wantStatus(t, res, http.StatusOK)
		var got struct{ Data []app.Requisition }
		res.JSON(t, &got)
		var names []string
		for _, r := range got.Data {
			names = append(names, r.TeamName)
		}
		return names
	}
	for _, tt := range []struct {
		email, query string
		want         []string
	}{
		{"hr@demo.test", "", []string{"Platform", "Hiring Lab"}},
		{"admin@demo.test", "", []string{"Platform", "Hiring Lab"}},
		{"leader@demo.test", "", []string{"Hiring Lab"}}, // leads Growth and the lab
		{"other-leader@demo.test", "", []string{"Platform"}},
		{"hr@demo.test", "?team_id=" + itoa64(l.team), []string{"Hiring Lab"}},
		{"hr@demo.test", "?status=filled", nil},
	} {
		if got := teamsSeen(tt.email, tt.query); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s%s sees %v, want %v", tt.email, tt.query, got, tt.want)
		}
	}
	if res := f.as(t, "hr@demo.test", "GET", "/api/v1/requisitions?status=hired", nil); res.Status != 422 {
		t.Errorf("bad status filter: %d", res.Status)
	}

	// The leader's page lists them read-only; HR's has the buttons.
	page := f.as(t, "leader@demo.test", "GET", "/requisitions", nil)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.Body), "Hiring Lab") || strings.Contains(string(page.Body), "/status") {
		t.Errorf("leader's list: want the lab's requisition and no status forms")
	}
	page = f.as(t, "hr@demo.test", "GET", "/requisitions", nil)
	if !strings.Contains(string(page.Body), `name="status" value="interviewing"`) {
		t.Errorf("HR's list lacks the status buttons")
	}
	// An empty list says what to do next.
	page = f.as(t, "other-leader@demo.test", "GET", "/requisitions?status=offer", nil)
	if !strings.Contains(string(page.Body), "No requisition matches") {
		t.Errorf("empty filtered list: %s", page.Body)
	}
}

// TestHRSeesNoIndividuals walks every hiring and requisition response an HR partner can get
// and looks for the names and e-mails of the team's members.
func TestHRSeesNoIndividuals(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)
	growth := f.ids["team:Growth"]

	// The members of both teams, as the database has them.
	var secrets []string
	for _, team := range []int64{l.team, growth} {
		people, err := f.db.FindTeamPeople(context.Background(), team)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range people {
			if p.TeamRole == app.TeamMember {
				secrets = append(secrets, p.Name, p.Email)
			}
		}
	}
	if len(secrets) != 2*(3+6) {
		t.Fatalf("expected 9 members, got %v", secrets)
	}

	var bodies []string
	get := func(path string) {
		res := f.as(t, "hr@demo.test", "GET", path, nil)
		wantStatus(t, res, http.StatusOK)
		bodies = append(bodies, path+"\n"+string(res.Body))
	}
	for _, team := range []int64{l.team, growth} {
		for _, p := range []string{"/api/v1/teams/%d/hiring-gaps", "/api/v1/teams/%d/hiring-gaps.csv", "/api/v1/teams/%d/hiring-gaps.md",
			"/api/v1/teams/%d/hiring-gaps?format=md", "/teams/%d/hiring"} {
			get(fmt.Sprintf(p, team))
		}
		res := f.as(t, "hr@demo.test", "POST", "/api/v1/requisitions", map[string]any{"team_id": team, "hire_index": 0})
		wantStatus(t, res, http.StatusCreated)
		bodies = append(bodies, "POST requisition\n"+string(res.Body))
		var r requisitionJSON
		res.JSON(t, &r)
		res = f.as(t, "hr@demo.test", "PATCH", fmt.Sprintf("/api/v1/requisitions/%d", r.Data.ID), map[string]string{"status": "interviewing"})
		wantStatus(t, res, http.StatusOK)
		bodies = append(bodies, "PATCH requisition\n"+string(res.Body))
		get(fmt.Sprintf("/teams/%d/hiring", team)) // now with the requisition listed
	}
	get("/api/v1/requisitions")
	get("/requisitions")
	// Refused routes answer without data.
	for _, p := range []string{"/teams/%d/what-if"} {
		res := f.as(t, "hr@demo.test", "GET", fmt.Sprintf(p, growth), nil)
		bodies = append(bodies, string(res.Body))
	}
	res := f.as(t, "hr@demo.test", "POST", fmt.Sprintf("/api/v1/teams/%d/what-if", growth), `{}`)
	bodies = append(bodies, string(res.Body))

	for _, b := range bodies {
		for _, s := range secrets {
			if strings.Contains(strings.ToLower(b), strings.ToLower(s)) {
				t.Errorf("HR response names %q:\n%.300s", s, b)
			}
		}
	}
	// The same responses for the leader do name people: the test would notice a leak.
	res = f.as(t, "leader@demo.test", "GET", fmt.Sprintf("/teams/%d/hiring", l.team), nil)
	if !strings.Contains(string(res.Body), "Ann Archer") {
		t.Error("the leader's page names nobody: the HR check proves nothing")
	}
}
