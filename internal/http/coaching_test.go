package http

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo"
)

// planOut is the part of a plan the tests read.
type planOut struct {
	ID       int64    `json:"id"`
	PersonID int64    `json:"person_id"`
	Quarter  string   `json:"quarter"`
	Spikes   []string `json:"spikes"`
	MentorID *int64   `json:"mentor_id"`
	Goals    []struct {
		Competency   string `json:"competency"`
		CurrentLevel *int   `json:"current_level"`
		TargetLevel  int    `json:"target_level"`
		Due          string `json:"due"`
		LevelNow     *int   `json:"level_now"`
		Status       string `json:"status"`
		Actions      []struct {
			ID          int64  `json:"id"`
			Kind        string `json:"kind"`
			Description string `json:"description"`
			OwnerID     int64  `json:"owner_id"`
			Due         string `json:"due"`
			Status      string `json:"status"`
		} `json:"actions"`
	} `json:"goals"`
	CheckIns []struct {
		ID    int64 `json:"id"`
		Goals []struct {
			Competency string `json:"competency"`
			Status     string `json:"status"`
			Level      *int   `json:"level"`
		} `json:"goals"`
		Notes []struct {
			Text    string `json:"text"`
			Private bool   `json:"private"`
		} `json:"notes"`
		Reflection string `json:"reflection"`
	} `json:"check_ins"`
}

func decodePlan(t *testing.T, r response) planOut {
	t.Helper()
	var out struct {
		Data planOut `json:"data"`
	}
	r.JSON(t, &out)
	return out.Data
}

// quarter is the current quarter; day(n) is its n-th day (0 = the first).
func quarter() app.Quarter { return app.QuarterOf(time.Now()) }

func quarterDay(q app.Quarter, n int) string {
	return q.Start().AddDate(0, 0, n).Format(app.DateLayout)
}

// omarPlan is a valid plan for Omar (pm2@demo.test), whose demo ratings are delivery 1 and
// analytics 1, for the quarter: two goals, actions owned by Omar, Lena and Maya.
func omarPlan(f *fixture, q app.Quarter) map[string]any {
	return map[string]any{
		"quarter": q.String(), "spikes": []string{"industry_expertise"},
		"mentor_id": f.ids["pm5@demo.test"],
		"goals": []map[string]any{
			{"competency": "delivery", "target_level": 2, "due": quarterDay(q, 80), "goal": "Ship the billing API with engineering",
				"reality": "r", "options": "o", "will": "w", "actions": []map[string]any{
					{"kind": "experience", "description": "Run the sprint planning", "owner_id": f.ids["pm2@demo.test"], "due": quarterDay(q, 30), "status": "done"},
					{"kind": "relationships", "description": "Pair with Maya on estimates", "owner_id": f.ids["pm@demo.test"], "due": quarterDay(q, 40)},
					{"kind": "education", "description": "Read Shape Up", "owner_id": f.ids["pm2@demo.test"], "due": quarterDay(q, 50),
						"resource_url": "https://basecamp.com/shapeup"},
				}},
			{"competency": "analytics", "target_level": 3, "due": quarterDay(q, 85), "actions": []map[string]any{
				{"kind": "experience", "description": "Own the activation dashboard", "owner_id": f.ids["leader@demo.test"], "due": quarterDay(q, 60)},
			}},
		},
	}
}

// demoPlanID is the id of Maya's demo plan.
func demoPlanID(t *testing.T, f *fixture) int64 {
	t.Helper()
	plans, err := f.db.FindCoachingPlans(context.Background(), app.CoachingPlanFilter{OrgID: f.org.ID, PersonIDs: []int64{f.ids["pm@demo.test"]}})
	if err != nil || len(plans) != 1 {
		t.Fatalf("demo plan: %v %d", err, len(plans))
	}
	return plans[0].ID
}

func TestCoachingDemoPlan(t *testing.T) {
	f := newFixture(t)
	id := demoPlanID(t, f)
	// Seeding again changes nothing.
	if _, err := demo.Seed(context.Background(), f.db, testPassword); err != nil {
		t.Fatal(err)
	}
	if demoPlanID(t, f) != id {
		t.Fatal("a second seed made another plan")
	}
	res := f.as(t, "leader@demo.test", "GET", "/api/v1/coaching-plans/"+itoa64(id), nil)
	wantStatus(t, res, 200)
	p := decodePlan(t, res)
	if p.Quarter != quarter().String() || len(p.Goals) != 2 || len(p.CheckIns) != 1 || len(p.CheckIns[0].Notes) != 2 {
		t.Fatalf("demo plan: %+v", p)
	}
	if p.CheckIns[0].Notes[1].Text != demo.PrivateNote || !p.CheckIns[0].Notes[1].Private {
		t.Fatalf("the leader does not see her private note: %+v", p.CheckIns[0].Notes)
	}
}

// TestCoachingPrivateNotes checks that a private note reaches its author and nobody else,
// through every plan and check-in route and page, reads and writes alike.
func TestCoachingPrivateNotes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	planID := demoPlanID(t, f)
	plan, err := f.db.FindCoachingPlanByID(ctx, f.org.ID, planID)
	if err != nil {
		t.Fatal(err)
	}
	checkIns, err := f.db.FindCheckIns(ctx, []int64{planID}, 0)
	if err != nil || len(checkIns) != 1 {
		t.Fatal(err, len(checkIns))
	}
	maya := f.ids["pm@demo.test"]
	var mayaAction int64
	for _, a := range plan.Actions() {
		if a.OwnerID == maya {
			mayaAction = a.ID
		}
	}
	// An admin's private note on a check-in of their own: the admin's alone, not Lena's.
	const adminPrivate = "ADMIN-ONLY: compensation review pending"
	body := map[string]any{"date": time.Now().Format(app.DateLayout), "goals": []map[string]string{
		{"competency": "customer_research", "status": "on_track"}, {"competency": "business_outcomes", "status": "on_track"}},
		"notes": []map[string]any{{"text": adminPrivate, "private": true}, {"text": "Shared by the admin", "private": false}}}
	res := f.as(t, "admin@demo.test", "POST", "/api/v1/coaching-plans/"+itoa64(planID)+"/check-ins", body)
	wantStatus(t, res, 201)
	if !strings.Contains(string(res.Body), adminPrivate) {
		t.Fatalf("the admin's answer lacks their own note: %s", res.Body)
	}

	id, ciID := itoa64(planID), itoa64(checkIns[0].ID)
	growth := itoa64(f.ids["team:Growth"])
	mayaID := itoa64(maya)
	planJSON := mayaPlanInput(plan)
	form := url.Values{"status": {"doing"}, "next": {"/me/coaching"}}.Encode()
	requests := []struct{ method, path, body string }{
		{"GET", "/api/v1/people/" + mayaID + "/coaching-plans", ""},
		{"GET", "/api/v1/coaching-plans/" + id, ""},
		{"GET", "/api/v1/people/" + mayaID + "/coaching-suggestions", ""},
		{"PUT", "/api/v1/coaching-plans/" + id, planJSON},
		{"PATCH", "/api/v1/coaching-actions/" + itoa64(mayaAction), `{"status":"doing"}`},
		{"PUT", "/api/v1/check-ins/" + ciID + "/reflection", `{"reflection":"Noted."}`},
		{"POST", "/api/v1/coaching-plans/" + id + "/carry-over", ""},
		{"GET", "/me/coaching", ""},
		{"GET", "/people/" + mayaID + "/coaching", ""},
		{"GET", "/people/" + mayaID + "/coaching?plan=" + id + "&edit=1", ""},
		{"GET", "/teams/" + growth + "/coaching", ""},
		{"POST", "/coaching/actions/" + itoa64(mayaAction), form},
		{"POST", "/coaching/check-ins/" + ciID + "/reflection", url.Values{"reflection": {"Noted."}}.Encode()},
	}
	seen := map[string]bool{}
	for _, who := range []string{"pm@demo.test", "hr@demo.test", "pm2@demo.test", "other-leader@demo.test", "other-pm@demo.test", "admin@demo.test", "leader@demo.test"} {
		for _, r := range requests {
			var res response
			switch {
			case r.body == "":
				res = f.as(t, who, r.method, r.path, nil)
			case strings.HasPrefix(r.body, "{"):
				res = f.as(t, who, r.method, r.path, r.body)
			default:
				res = f.do(t, r.method, r.path, f.token(t, who), r.body, "Content-Type", "application/x-www-form-urlencoded")
			}
			if res.Status >= 500 {
				t.Fatalf("%s %s %s: %d %s", who, r.method, r.path, res.Status, res.Body)
			}
			b := string(res.Body)
			if strings.Contains(b, demo.PrivateNote) {
				seen[who] = true
				if who != "leader@demo.test" {
					t.Errorf("%s %s (%d) shows Lena's private note to %s", r.method, r.path, res.Status, who)
				}
			}
			if strings.Contains(b, adminPrivate) && who != "admin@demo.test" {
				t.Errorf("%s %s shows the admin's private note to %s", r.method, r.path, who)
			}
			if who == "pm@demo.test" && r.method == "GET" && res.Status == 200 && strings.Contains(r.path, "coaching") &&
				!strings.Contains(b, demo.SharedNote) && !strings.Contains(r.path, "suggestions") {
				t.Errorf("%s: Maya does not see the shared note", r.path)
			}
		}
	}
	if !seen["leader@demo.test"] {
		t.Fatal("the leader never saw her own private note: the test proves nothing")
	}
	// Storage itself only hands a private note to its author.
	for _, viewer := range []int64{0, maya, f.ids["admin@demo.test"], f.ids["hr@demo.test"]} {
		cis, err := f.db.FindCheckIns(ctx, []int64{planID}, viewer)
		if err != nil {
			t.Fatal(err)
		}
		for _, ci := range cis {
			for _, n := range ci.Notes {
				if n.Text == demo.PrivateNote {
					t.Fatalf("storage gave Lena's private note to user %d", viewer)
				}
			}
		}
	}
}

// mayaPlanInput writes a stored plan as a PUT body.
func mayaPlanInput(p *app.CoachingPlan) string {
	var b strings.Builder
	b.WriteString(`{"spikes":["` + strings.Join(p.Spikes, `","`) + `"],"goals":[`)
	for i, g := range p.Goals {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"competency":"` + g.Competency + `","target_level":` + itoa64(int64(g.TargetLevel)) + `,"due":"` + g.Due.String() + `","actions":[`)
		for j, a := range g.Actions {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"kind":"` + a.Kind + `","description":"d","owner_id":` + itoa64(a.OwnerID) + `,"due":"` + a.Due.String() + `","status":"` + a.Status + `"}`)
		}
		b.WriteString("]}")
	}
	b.WriteString("]}")
	return b.String()
}

func TestCoachingAccess(t *testing.T) {
	f := newFixture(t)
	q := quarter()
	omar := itoa64(f.ids["pm2@demo.test"])
	res := f.as(t, "leader@demo.test", "POST", "/api/v1/people/"+omar+"/coaching-plans", omarPlan(f, q))
	wantStatus(t, res, 201)
	p := decodePlan(t, res)
	id := itoa64(p.ID)
	var omarOwn, lenaOwn int64
	for _, g := range p.Goals {
		for _, a := range g.Actions {
			switch {
			case a.OwnerID == f.ids["pm2@demo.test"] && omarOwn == 0:
				omarOwn = a.ID
			case a.OwnerID == f.ids["leader@demo.test"]:
				lenaOwn = a.ID
			}
		}
	}
	checkIn := map[string]any{"goals": []map[string]string{{"competency": "delivery", "status": "on_track"}, {"competency": "analytics", "status": "needs_focus"}}}
	res = f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+id+"/check-ins", checkIn)
	wantStatus(t, res, 201)
	var ci struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	res.JSON(t, &ci)
	ciID := itoa64(ci.Data.ID)

	// Whether a plan exists is private: outsiders get the same 404 as for a plan that does not exist.
	missing := f.as(t, "pm@demo.test", "GET", "/api/v1/coaching-plans/999999", nil)
	wantStatus(t, missing, 404)
	for _, who := range []string{"pm@demo.test", "other-leader@demo.test", "other-pm@demo.test"} {
		for _, r := range []struct{ method, path string }{
			{"GET", "/api/v1/coaching-plans/" + id},
			{"GET", "/api/v1/people/" + omar + "/coaching-plans"},
			{"PATCH", "/api/v1/coaching-actions/" + itoa64(omarOwn)},
			{"PUT", "/api/v1/check-ins/" + ciID + "/reflection"},
		} {
			body := `{"status":"done"}`
			if r.method == "PUT" {
				body = `{"reflection":"x"}`
			}
			res := f.as(t, who, r.method, r.path, body)
			if res.Status != 404 {
				t.Errorf("%s %s %s: %d, want 404: %s", who, r.method, r.path, res.Status, res.Body)
			}
			if r.method == "GET" && strings.Contains(r.path, "coaching-plans/") && string(res.Body) != string(missing.Body) {
				t.Errorf("%s: the answer differs from a missing plan's: %s", who, res.Body)
			}
		}
	}
	// Leaders of other teams cannot write either.
	for _, r := range []struct {
		method, path string
		body         any
	}{
		{"PUT", "/api/v1/coaching-plans/" + id, omarPlan(f, q)}, {"POST", "/api/v1/coaching-plans/" + id + "/check-ins", checkIn},
		{"POST", "/api/v1/coaching-plans/" + id + "/carry-over", nil}, {"POST", "/api/v1/people/" + omar + "/coaching-plans", omarPlan(f, q)},
		{"GET", "/api/v1/people/" + omar + "/coaching-suggestions", nil}, {"GET", "/people/" + omar + "/coaching", nil},
		{"GET", "/teams/" + itoa64(f.ids["team:Growth"]) + "/coaching", nil},
	} {
		if res := f.as(t, "other-leader@demo.test", r.method, r.path, r.body); res.Status != 404 {
			t.Errorf("other leader %s %s: %d, want 404", r.method, r.path, res.Status)
		}
	}
	// HR: no coaching route admits the role.
	for _, path := range []string{"/api/v1/coaching-plans/" + id, "/api/v1/people/" + omar + "/coaching-plans", "/me/coaching",
		"/teams/" + itoa64(f.ids["team:Growth"]) + "/coaching"} {
		res := f.as(t, "hr@demo.test", "GET", path, nil)
		if res.Status != 403 || strings.Contains(string(res.Body), "Ship the billing API") {
			t.Errorf("HR %s: %d %s", path, res.Status, res.Body)
		}
	}

	// The PM reads their plan, sets the status of actions they own and writes reflections.
	wantStatus(t, f.as(t, "pm2@demo.test", "GET", "/api/v1/coaching-plans/"+id, nil), 200)
	wantStatus(t, f.as(t, "pm2@demo.test", "GET", "/api/v1/people/"+omar+"/coaching-plans", nil), 200)
	wantStatus(t, f.as(t, "pm2@demo.test", "PATCH", "/api/v1/coaching-actions/"+itoa64(omarOwn), `{"status":"doing"}`), 200)
	wantStatus(t, f.as(t, "pm2@demo.test", "PATCH", "/api/v1/coaching-actions/"+itoa64(lenaOwn), `{"status":"done"}`), 403)
	wantStatus(t, f.as(t, "pm2@demo.test", "PATCH", "/api/v1/coaching-actions/"+itoa64(omarOwn), `{"status":"finished"}`), 422)
	wantStatus(t, f.as(t, "pm2@demo.test", "PUT", "/api/v1/check-ins/"+ciID+"/reflection", `{"reflection":"It went well."}`), 200)
	wantStatus(t, f.as(t, "pm2@demo.test", "PUT", "/api/v1/coaching-plans/"+id, omarPlan(f, q)), 403)
	wantStatus(t, f.as(t, "pm2@demo.test", "POST", "/api/v1/coaching-plans/"+id+"/check-ins", checkIn), 403)
	wantStatus(t, f.as(t, "pm2@demo.test", "GET", "/api/v1/people/"+omar+"/coaching-suggestions", nil), 403)
	// Only the PM writes the reflection, not the leader nor an admin.
	wantStatus(t, f.as(t, "leader@demo.test", "PUT", "/api/v1/check-ins/"+ciID+"/reflection", `{"reflection":"x"}`), 403)
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", "/api/v1/check-ins/"+ciID+"/reflection", `{"reflection":"x"}`), 403)

	// Leader and admin: everything.
	res = f.as(t, "leader@demo.test", "GET", "/api/v1/coaching-plans/"+id, nil)
	wantStatus(t, res, 200)
	got := decodePlan(t, res)
	if got.CheckIns[0].Reflection != "It went well." || got.Goals[0].Actions[0].Status != "doing" || got.Goals[1].Status != "needs_focus" {
		t.Fatalf("after the PM's writes: %+v", got)
	}
	wantStatus(t, f.as(t, "leader@demo.test", "PATCH", "/api/v1/coaching-actions/"+itoa64(lenaOwn), `{"status":"done"}`), 200)
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", "/api/v1/coaching-plans/"+id, omarPlan(f, q)), 200)
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/people/"+omar+"/coaching", nil), 200)
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/teams/"+itoa64(f.ids["team:Platform"])+"/coaching", nil), 200)
	// A second plan for the same quarter is a conflict.
	wantStatus(t, f.as(t, "leader@demo.test", "POST", "/api/v1/people/"+omar+"/coaching-plans", omarPlan(f, q)), 409)

	// Another organisation sees nothing.
	ctx := context.Background()
	org, err := f.db.CreateOrganisation(ctx, "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.CreateUser(ctx, &app.User{OrgID: org.ID, Email: "boss@acme.test", Name: "Boss", Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.as(t, "boss@acme.test", "GET", "/api/v1/coaching-plans/"+id, nil), 404)
	wantStatus(t, f.as(t, "boss@acme.test", "GET", "/api/v1/people/"+omar+"/coaching-plans", nil), 404)
	wantStatus(t, f.as(t, "boss@acme.test", "PATCH", "/api/v1/coaching-actions/"+itoa64(omarOwn), `{"status":"done"}`), 404)
}

func TestCoachingBadInput(t *testing.T) {
	f := newFixture(t)
	q := quarter()
	omar := "/api/v1/people/" + itoa64(f.ids["pm2@demo.test"]) + "/coaching-plans"
	goal := func(p map[string]any, i int) map[string]any { return p["goals"].([]map[string]any)[i] }
	action := func(p map[string]any, g, a int) map[string]any {
		return goal(p, g)["actions"].([]map[string]any)[a]
	}
	cases := []struct {
		name, field string
		edit        func(p map[string]any)
	}{
		{"target not above current", "goals[0].target_level", func(p map[string]any) { goal(p, 0)["target_level"] = 1 }}, // delivery is 1
		{"target above 5", "goals[1].target_level", func(p map[string]any) { goal(p, 1)["target_level"] = 6 }},
		{"four goals", "goals", func(p map[string]any) {
			g := goal(p, 1)
			p["goals"] = append(p["goals"].([]map[string]any),
				map[string]any{"competency": "specification", "target_level": 3, "due": g["due"]},
				map[string]any{"competency": "quality_launch", "target_level": 3, "due": g["due"]})
		}},
		{"no goal", "goals", func(p map[string]any) { p["goals"] = []map[string]any{} }},
		{"duplicate competency", "goals[1].competency", func(p map[string]any) { goal(p, 1)["competency"] = "delivery" }},
		{"unknown competency", "goals[1].competency", func(p map[string]any) { goal(p, 1)["competency"] = "juggling" }},
		{"goal due before the quarter", "goals[0].due", func(p map[string]any) { goal(p, 0)["due"] = quarterDay(q, -1) }},
		{"action due after the quarter", "goals[0].actions[2].due", func(p map[string]any) {
			action(p, 0, 2)["due"] = q.End().AddDate(0, 0, 1).Format(app.DateLayout)
		}},
		{"bad date", "goals[0].actions[0].due", func(p map[string]any) { action(p, 0, 0)["due"] = "31/12/2026" }},
		{"owner outside the team", "goals[0].actions[1].owner_id", func(p map[string]any) { action(p, 0, 1)["owner_id"] = f.ids["other-pm@demo.test"] }},
		{"HR partner as owner", "goals[1].actions[0].owner_id", func(p map[string]any) { action(p, 1, 0)["owner_id"] = f.ids["hr@demo.test"] }},
		{"unknown kind", "goals[0].actions[0].kind", func(p map[string]any) { action(p, 0, 0)["kind"] = "reading" }},
		{"empty description", "goals[0].actions[1].description", func(p map[string]any) { action(p, 0, 1)["description"] = "  " }},
		{"bad status", "goals[0].actions[1].status", func(p map[string]any) { action(p, 0, 1)["status"] = "blocked" }},
		{"javascript link", "goals[0].actions[2].resource_url", func(p map[string]any) { action(p, 0, 2)["resource_url"] = "javascript:alert(1)" }},
		{"ftp link", "goals[0].actions[2].resource_url", func(p map[string]any) { action(p, 0, 2)["resource_url"] = "ftp://files.example.com/x" }},
		{"relative link", "goals[0].actions[2].resource_url", func(p map[string]any) { action(p, 0, 2)["resource_url"] = "/shapeup" }},
		{"bad quarter", "quarter", func(p map[string]any) { p["quarter"] = "2026-Q5" }},
		{"quarter as date", "quarter", func(p map[string]any) { p["quarter"] = "2026-10-01" }},
		{"no spike", "spikes", func(p map[string]any) { p["spikes"] = []string{} }},
		{"unknown spike", "spikes[0]", func(p map[string]any) { p["spikes"] = []string{"fame"} }},
		{"three spikes", "spikes", func(p map[string]any) { p["spikes"] = []string{"fame", "money", "power"} }},
		{"mentor from another org or unknown", "mentor_id", func(p map[string]any) { p["mentor_id"] = 999999 }},
		{"mentor is the PM", "mentor_id", func(p map[string]any) { p["mentor_id"] = f.ids["pm2@demo.test"] }},
		{"level as text", "goals.target_level", func(p map[string]any) { goal(p, 0)["target_level"] = "three" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := omarPlan(f, q)
			tc.edit(p)
			res := f.as(t, "leader@demo.test", "POST", omar, p)
			if res.Status != 422 && res.Status != 400 {
				t.Fatalf("status %d: %s", res.Status, res.Body)
			}
			var e struct {
				Error struct {
					Field, Message string
				} `json:"error"`
			}
			res.JSON(t, &e)
			if e.Error.Field != tc.field || e.Error.Message == "" {
				t.Fatalf("field %q (%s), want %q", e.Error.Field, e.Error.Message, tc.field)
			}
		})
	}
	// Nothing was stored.
	res := f.as(t, "leader@demo.test", "GET", omar, nil)
	wantStatus(t, res, 200)
	if strings.TrimSpace(string(res.Body)) != `{"data":[]}` {
		t.Fatalf("a bad plan was stored: %s", res.Body)
	}

	// Check-ins: every goal needs one status, dates fall in the quarter and not in the future.
	res = f.as(t, "leader@demo.test", "POST", omar, omarPlan(f, q))
	wantStatus(t, res, 201)
	id := itoa64(decodePlan(t, res).ID)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(app.DateLayout)
	for _, tc := range []struct {
		field string
		body  map[string]any
	}{
		{"goals", map[string]any{"goals": []map[string]string{{"competency": "delivery", "status": "on_track"}}}},
		{"goals[1].competency", map[string]any{"goals": []map[string]string{{"competency": "delivery", "status": "on_track"}, {"competency": "vision_roadmap", "status": "on_track"}}}},
		{"goals[1].competency", map[string]any{"goals": []map[string]string{{"competency": "delivery", "status": "on_track"}, {"competency": "delivery", "status": "on_track"}}}},
		{"goals[0].status", map[string]any{"goals": []map[string]string{{"competency": "delivery", "status": "great"}, {"competency": "analytics", "status": "on_track"}}}},
		{"date", map[string]any{"date": quarterDay(q, -3), "goals": []map[string]string{{"competency": "delivery", "status": "on_track"}, {"competency": "analytics", "status": "on_track"}}}},
		{"date", map[string]any{"date": tomorrow, "goals": []map[string]string{{"competency": "delivery", "status": "on_track"}, {"competency": "analytics", "status": "on_track"}}}},
		{"notes[0].text", map[string]any{"goals": []map[string]string{{"competency": "delivery", "status": "on_track"}, {"competency": "analytics", "status": "on_track"}},
			"notes": []map[string]any{{"text": " ", "private": true}}}},
	} {
		res := f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+id+"/check-ins", tc.body)
		if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"`+tc.field+`"`) {
			t.Errorf("check-in %v: %d %s, want 422 naming %s", tc.body, res.Status, res.Body, tc.field)
		}
	}
	res = f.as(t, "leader@demo.test", "GET", "/api/v1/coaching-plans/"+id, nil)
	if p := decodePlan(t, res); len(p.CheckIns) != 0 {
		t.Fatalf("a bad check-in was stored: %+v", p.CheckIns)
	}
}

func TestCoachingCheckInReadsLevelsNow(t *testing.T) {
	f := newFixture(t)
	q := quarter()
	res := f.as(t, "leader@demo.test", "POST", "/api/v1/people/"+itoa64(f.ids["pm2@demo.test"])+"/coaching-plans", omarPlan(f, q))
	wantStatus(t, res, 201)
	p := decodePlan(t, res)
	if *p.Goals[0].CurrentLevel != 1 || *p.Goals[1].CurrentLevel != 1 {
		t.Fatalf("current levels: %+v", p.Goals)
	}
	// Lena rates Omar's delivery 2 now: the check-in stores 2; the goal keeps starting from 1.
	two := 2
	if err := f.db.RecordRatings(context.Background(), app.RatingBatch{OrgID: f.org.ID, SubjectID: f.ids["pm2@demo.test"],
		RaterID: f.ids["leader@demo.test"], Kind: app.RatingLeader, At: time.Now().Add(-time.Minute),
		Ratings: []app.RatingInput{{Competency: "delivery", Level: &two}}}); err != nil {
		t.Fatal(err)
	}
	res = f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+itoa64(p.ID)+"/check-ins", map[string]any{
		"goals": []map[string]string{{"competency": "analytics", "status": "needs_focus"}, {"competency": "delivery", "status": "outperforming"}}})
	wantStatus(t, res, 201)
	res = f.as(t, "pm2@demo.test", "GET", "/api/v1/coaching-plans/"+itoa64(p.ID), nil)
	got := decodePlan(t, res)
	ci := got.CheckIns[0]
	if ci.Goals[1].Competency != "delivery" || *ci.Goals[1].Level != 2 || *ci.Goals[0].Level != 1 {
		t.Fatalf("check-in levels: %+v", ci.Goals)
	}
	if *got.Goals[0].CurrentLevel != 1 || *got.Goals[0].LevelNow != 2 || got.Goals[0].Status != "outperforming" {
		t.Fatalf("goal after the check-in: %+v", got.Goals[0])
	}
}

func TestCoachingCarryOver(t *testing.T) {
	f := newFixture(t)
	q := quarter()
	omar := f.ids["pm2@demo.test"]
	res := f.as(t, "leader@demo.test", "POST", "/api/v1/people/"+itoa64(omar)+"/coaching-plans", omarPlan(f, q))
	wantStatus(t, res, 201)
	old := decodePlan(t, res)
	// Omar reaches the delivery target (2): that goal is finished.
	two := 2
	if err := f.db.RecordRatings(context.Background(), app.RatingBatch{OrgID: f.org.ID, SubjectID: omar,
		RaterID: f.ids["leader@demo.test"], Kind: app.RatingLeader, At: time.Now().Add(-time.Minute),
		Ratings: []app.RatingInput{{Competency: "delivery", Level: &two}}}); err != nil {
		t.Fatal(err)
	}
	res = f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+itoa64(old.ID)+"/carry-over", nil)
	wantStatus(t, res, 201)
	next := decodePlan(t, res)
	nq := q.Next()
	if next.Quarter != nq.String() || next.PersonID != omar || next.ID == old.ID || len(next.Spikes) != 1 || next.MentorID == nil {
		t.Fatalf("carried plan: %+v", next)
	}
	if len(next.Goals) != 1 || next.Goals[0].Competency != "analytics" || next.Goals[0].TargetLevel != 3 || *next.Goals[0].CurrentLevel != 1 {
		t.Fatalf("carried goals: %+v", next.Goals)
	}
	acts := next.Goals[0].Actions
	oldDue, _ := app.ParseDate(old.Goals[1].Actions[0].Due)
	if len(acts) != 1 || acts[0].Description != "Own the activation dashboard" || acts[0].OwnerID != f.ids["leader@demo.test"] ||
		acts[0].Status != "todo" || acts[0].Due != moveThreeMonths(oldDue, nq) {
		t.Fatalf("carried actions: %+v (old due %s)", acts, oldDue)
	}
	if d, _ := app.ParseDate(next.Goals[0].Due); !nq.Contains(d) {
		t.Fatalf("goal due %s is outside %s", next.Goals[0].Due, nq)
	}
	// The old plan is unchanged.
	res = f.as(t, "leader@demo.test", "GET", "/api/v1/coaching-plans/"+itoa64(old.ID), nil)
	if again := decodePlan(t, res); again.Quarter != q.String() || len(again.Goals) != 2 {
		t.Fatalf("the old plan changed: %+v", again)
	}
	// Once only: the next quarter has a plan now.
	res = f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+itoa64(old.ID)+"/carry-over", nil)
	wantStatus(t, res, 409)
	// The carried plan's goal reached too: nothing left to carry.
	three := 3
	if err := f.db.RecordRatings(context.Background(), app.RatingBatch{OrgID: f.org.ID, SubjectID: omar,
		RaterID: f.ids["leader@demo.test"], Kind: app.RatingLeader, At: time.Now().Add(-time.Second),
		Ratings: []app.RatingInput{{Competency: "analytics", Level: &three}}}); err != nil {
		t.Fatal(err)
	}
	res = f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+itoa64(next.ID)+"/carry-over", nil)
	wantStatus(t, res, 422)
	plans, err := f.db.FindCoachingPlans(context.Background(), app.CoachingPlanFilter{OrgID: f.org.ID, PersonIDs: []int64{omar}})
	if err != nil || len(plans) != 2 {
		t.Fatalf("plans: %d %v", len(plans), err)
	}
}

// moveThreeMonths is the carry-over's due date, computed here independently.
func moveThreeMonths(d app.Date, q app.Quarter) string {
	m := d.AddDate(0, 3, 0)
	if m.After(q.End().Time) {
		return q.End().String()
	}
	return m.Format(app.DateLayout)
}

// TestCoachingSuggestions checks the suggestions on a small team computed by hand. Team Tiny:
// Pia (PM, marketing) and Tom (PM); default targets (coverage 2, depth 4), B = 3, D = 4.
//
//	             Pia  Tom   coverage  depth  status  develop or hire
//	analytics     2    4       1        4    risk    develop: Pia at B−1 = 2 → 3
//	specification 3    3       2        3    risk    develop: depth one short, Pia and Tom at 3 → 4
//	delivery      2    –       0        2    gap     hire (coverage 0, depth two short)
//	research      4    3       2        4    ok
//	communication 1    –       0        1    gap     hire
//
// Pia's ladder (PM: 3 everywhere): communication 1 (gap 2), delivery 2 and analytics 2 (gap 1,
// both importance 3, delivery first in the framework); specification 3 and research 4 are no gap.
// Her background (marketing) usually grows specification (3 → 4) and delivery (2 → 3).
func TestCoachingSuggestions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mk := func(email, name, role, title string) int64 {
		u := &app.User{OrgID: f.org.ID, Email: email, Name: name, Role: role, Title: &title}
		if err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.ids[email] = u.ID
		return u.ID
	}
	boss, pia, tom := mk("boss@demo.test", "Bea Boss", app.RoleLeader, "group_pm"), mk("pia@demo.test", "Pia", app.RolePM, "pm"), mk("tom@demo.test", "Tom", app.RolePM, "pm")
	team, err := f.db.CreateTeam(ctx, f.org.ID, "Tiny", "")
	if err != nil {
		t.Fatal(err)
	}
	for id, role := range map[int64]string{boss: app.TeamLeader, pia: app.TeamMember, tom: app.TeamMember} {
		if err := f.db.SetTeamMember(ctx, f.org.ID, team.ID, id, role); err != nil {
			t.Fatal(err)
		}
	}
	bg := "marketing"
	if err := f.db.UpsertProfile(ctx, &app.Profile{UserID: pia, Background: &bg, Spikes: []string{"compensation"}}); err != nil {
		t.Fatal(err)
	}
	rate := func(who int64, levels map[string]int) {
		var in []app.RatingInput
		for k, l := range levels {
			in = append(in, app.RatingInput{Competency: k, Level: &l})
		}
		if err := f.db.RecordRatings(ctx, app.RatingBatch{OrgID: f.org.ID, SubjectID: who, RaterID: boss, Kind: app.RatingLeader,
			At: time.Now().Add(-time.Hour), Ratings: in}); err != nil {
			t.Fatal(err)
		}
	}
	rate(pia, map[string]int{"analytics": 2, "specification": 3, "delivery": 2, "customer_research": 4, "communication": 1})
	rate(tom, map[string]int{"analytics": 4, "specification": 3, "customer_research": 3})

	type item struct {
		Source     string `json:"source"`
		Competency string `json:"competency"`
		Current    *int   `json:"current_level"`
		Target     int    `json:"target_level"`
		Expected   int    `json:"expected_level"`
		TeamID     int64  `json:"team_id"`
	}
	suggest := func(who string) []item {
		t.Helper()
		res := f.as(t, who, "GET", "/api/v1/people/"+itoa64(pia)+"/coaching-suggestions", nil)
		wantStatus(t, res, 200)
		var out struct {
			Data struct {
				Title, Background string
				Spikes            []string
				Items             []item
			} `json:"data"`
		}
		res.JSON(t, &out)
		if out.Data.Title != "pm" || out.Data.Background != "marketing" || len(out.Data.Spikes) != 1 {
			t.Fatalf("suggestions header: %+v", out.Data)
		}
		return out.Data.Items
	}
	want := []string{
		"title communication 1→2", "title delivery 2→3", "title analytics 2→3",
		"team analytics 2→3", "team specification 3→4",
		"background specification 3→4", "background delivery 2→3",
	}
	check := func(items []item, want []string) {
		t.Helper()
		var got []string
		for _, it := range items {
			got = append(got, it.Source+" "+it.Competency+" "+itoa64(int64(*it.Current))+"→"+itoa64(int64(it.Target)))
			if it.Source == "team" && it.TeamID != team.ID {
				t.Errorf("team suggestion from team %d", it.TeamID)
			}
			if it.Source == "title" && it.Expected != 3 {
				t.Errorf("ladder level %d, want 3", it.Expected)
			}
		}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Fatalf("suggestions:\n got %s\nwant %s", strings.Join(got, "; "), strings.Join(want, "; "))
		}
	}
	check(suggest("boss@demo.test"), want)
	// An admin gets the same; the leader of another team nothing at all.
	check(suggest("admin@demo.test"), want)
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/api/v1/people/"+itoa64(pia)+"/coaching-suggestions", nil), 404)

	// Open goals feed the analytic core: with three goals this quarter Tom has no room for
	// another, so Pia is the only member who can grow specification; with three goals of her
	// own, Pia is no candidate anywhere and the team suggestions disappear.
	q := quarter()
	threeGoals := func(comps ...string) map[string]any {
		var goals []map[string]any
		for _, c := range comps {
			goals = append(goals, map[string]any{"competency": c, "target_level": 5, "due": q.End().String()})
		}
		return map[string]any{"quarter": q.String(), "spikes": []string{"compensation"}, "goals": goals}
	}
	wantStatus(t, f.as(t, "boss@demo.test", "POST", "/api/v1/people/"+itoa64(tom)+"/coaching-plans",
		threeGoals("analytics", "specification", "customer_research")), 201)
	loaded, err := f.srv.Coaching.Suggest(ctx, &app.Actor{UserID: boss, OrgID: f.org.ID, Role: app.RoleLeader}, pia)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(loaded.Items); n != len(want) {
		t.Fatalf("Tom's goals changed Pia's suggestions: %+v", loaded.Items)
	}
	wantStatus(t, f.as(t, "boss@demo.test", "POST", "/api/v1/people/"+itoa64(pia)+"/coaching-plans",
		threeGoals("analytics", "specification", "delivery")), 201)
	check(suggest("boss@demo.test"), []string{
		"title communication 1→2", "title delivery 2→3", "title analytics 2→3",
		"background specification 3→4", "background delivery 2→3",
	})
}

func TestCoachingPages(t *testing.T) {
	f := newFixture(t)
	q := quarter()
	omar := itoa64(f.ids["pm2@demo.test"])
	lena := f.token(t, "leader@demo.test")
	form := func(method, path string, v url.Values) response {
		return f.do(t, method, path, lena, v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	// The new-plan form starts from the suggestions and posts as plain HTML.
	res := f.as(t, "leader@demo.test", "GET", "/people/"+omar+"/coaching", nil)
	wantStatus(t, res, 200)
	for _, want := range []string{"New plan", `name="goals[0].competency"`, "Suggestions", "Ladder gap", `action="/people/` + omar + `/coaching"`} {
		if !strings.Contains(string(res.Body), want) {
			t.Fatalf("new-plan page lacks %q", want)
		}
	}
	v := url.Values{
		"quarter": {q.String()}, "spikes": {"management", "compensation"}, "mentor_id": {""},
		"goals[0].competency": {"delivery"}, "goals[0].target_level": {"3"}, "goals[0].due": {quarterDay(q, 70)},
		"goals[0].goal": {"Ship <b>it</b>"},
		// Slot 0 left empty, slot 2 filled: empty rows are skipped.
		"goals[0].actions[0].kind": {"experience"}, "goals[0].actions[0].description": {""},
		"goals[0].actions[2].kind": {"education"}, "goals[0].actions[2].description": {"Read Inspired"},
		"goals[0].actions[2].owner_id": {omar}, "goals[0].actions[2].due": {quarterDay(q, 20)}, "goals[0].actions[2].status": {"todo"},
		"goals[1].competency": {""}, "goals[1].target_level": {"1"},
	}
	// A bad owner in the third row: the page comes back with the row named and the input kept.
	bad := url.Values{}
	for k, vs := range v {
		bad[k] = vs
	}
	bad.Set("goals[0].actions[2].owner_id", itoa64(f.ids["other-pm@demo.test"]))
	res = form("POST", "/people/"+omar+"/coaching", bad)
	wantStatus(t, res, 422)
	body := string(res.Body)
	if !strings.Contains(body, "Goal 1, action 3, owner: The owner must be") || !strings.Contains(body, "Read Inspired") {
		t.Fatalf("error page: %s", body)
	}
	if plans, _ := f.db.FindCoachingPlans(context.Background(), app.CoachingPlanFilter{OrgID: f.org.ID, PersonIDs: []int64{f.ids["pm2@demo.test"]}}); len(plans) != 0 {
		t.Fatal("the bad form stored a plan")
	}
	res = form("POST", "/people/"+omar+"/coaching", v)
	if res.Status != 303 || !strings.Contains(res.Header.Get("Location"), "done=plan") {
		t.Fatalf("create: %d %s", res.Status, res.Header.Get("Location"))
	}
	plans, err := f.db.FindCoachingPlans(context.Background(), app.CoachingPlanFilter{OrgID: f.org.ID, PersonIDs: []int64{f.ids["pm2@demo.test"]}})
	if err != nil || len(plans) != 1 || len(plans[0].Goals) != 1 || len(plans[0].Goals[0].Actions) != 1 || len(plans[0].Spikes) != 2 {
		t.Fatalf("stored from the form: %+v %v", plans, err)
	}
	id := itoa64(plans[0].ID)
	// User text is escaped on the page.
	res = f.as(t, "leader@demo.test", "GET", "/people/"+omar+"/coaching?plan="+id, nil)
	wantStatus(t, res, 200)
	if strings.Contains(string(res.Body), "<b>it</b>") || !strings.Contains(string(res.Body), "Ship &lt;b&gt;it&lt;/b&gt;") {
		t.Fatal("the goal text is not escaped")
	}
	// Edit: add a second goal.
	v.Set("goals[1].competency", "analytics")
	v.Set("goals[1].target_level", "2")
	v.Set("goals[1].due", quarterDay(q, 60))
	res = form("POST", "/coaching/plans/"+id, v)
	wantStatus(t, res, 303)
	// Check-in with a shared and a private note, through the form.
	res = form("POST", "/coaching/plans/"+id+"/check-ins", url.Values{"date": {time.Now().Format(app.DateLayout)},
		"goals[0].competency": {"delivery"}, "goals[0].status": {"on_track"},
		"goals[1].competency": {"analytics"}, "goals[1].status": {"needs_focus"},
		"shared_note": {"Shared from the form"}, "private_note": {"Private from the form"}})
	wantStatus(t, res, 303)
	res = f.as(t, "pm2@demo.test", "GET", "/me/coaching", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), "Shared from the form") || strings.Contains(string(res.Body), "Private from the form") {
		t.Fatal("Omar's page: the shared note must show, the private one never")
	}
	res = f.as(t, "leader@demo.test", "GET", "/people/"+omar+"/coaching?plan="+id, nil)
	if !strings.Contains(string(res.Body), "Private from the form") || !strings.Contains(string(res.Body), `data-chart="`) {
		t.Fatal("Lena's page lacks her private note or the goal charts")
	}
	// The team view lists the plan with its progress.
	res = f.as(t, "leader@demo.test", "GET", "/teams/"+itoa64(f.ids["team:Growth"])+"/coaching", nil)
	wantStatus(t, res, 200)
	for _, want := range []string{"Omar Haddad", "Maya Chen", "0/1", "2/6", "Write a plan"} {
		if !strings.Contains(string(res.Body), want) {
			t.Errorf("team view lacks %q", want)
		}
	}
	// A PM without a plan sees what happens next.
	res = f.as(t, "pm3@demo.test", "GET", "/me/coaching", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), "No coaching plan yet") {
		t.Fatal("empty state missing")
	}
}
