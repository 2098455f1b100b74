package http

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

type cycleOut struct {
	ID      int64  `json:"id"`
	Quarter string `json:"quarter"`
}

// growthCycles returns the demo's Growth cycles: the open one first, then the closed one.
func (f *fixture) growthCycles(t *testing.T) []cycleOut {
	t.Helper()
	var out struct{ Data []cycleOut }
	res := f.as(t, "leader@demo.test", "GET", "/api/v1/teams/"+itoa64(f.ids["team:Growth"])+"/cycles", nil)
	wantStatus(t, res, 200)
	res.JSON(t, &out)
	if len(out.Data) != 2 {
		t.Fatalf("Growth has %d cycles", len(out.Data))
	}
	return out.Data
}

// The API contract: open (201), read the progress, close; bad input names the field.
func TestCycleAPI(t *testing.T) {
	f := newFixture(t)
	platform := itoa64(f.ids["team:Platform"])
	in := map[string]any{"quarter": "2030-Q2", "self_due": "2030-05-01", "peer_due": "2030-05-15", "leader_due": "2030-06-01",
		"review_due": "2030-06-20", "anonymous_peers": true}
	bad := map[string]any{}
	for k, v := range in {
		bad[k] = v
	}
	bad["leader_due"] = "2030-13-01"
	res := f.as(t, "other-leader@demo.test", "POST", "/api/v1/teams/"+platform+"/cycles", bad)
	wantStatus(t, res, 422)
	if !strings.Contains(string(res.Body), `"field":"leader_due"`) {
		t.Errorf("bad date: %s", res.Body)
	}
	res = f.as(t, "other-leader@demo.test", "POST", "/api/v1/teams/"+platform+"/cycles", in)
	wantStatus(t, res, 201)
	var made struct{ Data cycleOut }
	res.JSON(t, &made)
	id := itoa64(made.Data.ID)
	wantStatus(t, f.as(t, "other-leader@demo.test", "POST", "/api/v1/teams/"+platform+"/cycles", in), 409)
	wantStatus(t, f.as(t, "leader@demo.test", "POST", "/api/v1/teams/"+platform+"/cycles", in), 404)
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/api/v1/cycles/"+id, nil), 404)
	wantStatus(t, f.as(t, "pm@demo.test", "GET", "/api/v1/cycles/"+id, nil), 404)
	res = f.as(t, "other-leader@demo.test", "GET", "/api/v1/cycles/"+id, nil)
	wantStatus(t, res, 200)
	var v struct {
		Data struct {
			Cycle struct {
				AnonymousPeers bool `json:"anonymous_peers"`
			}
			Progress struct {
				Stages []struct {
					Key         string
					Done, Total int
				}
				Members []struct{ Name string }
			}
		}
	}
	res.JSON(t, &v)
	if !v.Data.Cycle.AnonymousPeers || len(v.Data.Progress.Stages) != 4 || len(v.Data.Progress.Members) != 1 {
		t.Errorf("progress: %s", res.Body)
	}
	wantStatus(t, f.as(t, "other-pm@demo.test", "POST", "/api/v1/cycles/"+id+"/close", nil), 403)
	res = f.as(t, "other-leader@demo.test", "POST", "/api/v1/cycles/"+id+"/close", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), `"snapshot":{`) {
		t.Errorf("closed without a snapshot: %.300s", res.Body)
	}
	wantStatus(t, f.as(t, "other-leader@demo.test", "POST", "/api/v1/cycles/"+id+"/close", nil), 409)
	wantStatus(t, f.as(t, "pm@demo.test", "GET", "/api/v1/people/"+itoa64(f.ids["pm@demo.test"])+"/compare?cycle=x", nil), 422)

	// An admin opens the next quarter for both teams at once; Growth's open cycle refuses it.
	in["quarter"], in["team_ids"] = "2030-Q3", []int64{f.ids["team:Platform"], f.ids["team:Growth"]}
	in["self_due"], in["peer_due"], in["leader_due"], in["review_due"] = "2030-08-01", "2030-08-15", "2030-09-01", "2030-09-20"
	res = f.as(t, "admin@demo.test", "POST", "/api/v1/cycles", in)
	wantStatus(t, res, 409)
	if !strings.Contains(string(res.Body), `"field":"team_ids[1]"`) {
		t.Errorf("conflict: %s", res.Body)
	}
	in["team_ids"] = []int64{f.ids["team:Platform"]}
	wantStatus(t, f.as(t, "admin@demo.test", "POST", "/api/v1/cycles", in), 201)
}

var options = regexp.MustCompile(`<option [^>]*>[^<]*</option>`)

// Anonymous peers over every route the PM has: the compare view (API and page), her
// ratings, her profile and person pages, her to-do and the cycle; the leader sees the names.
func TestCycleAnonymityRoutes(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])
	wantStatus(t, f.as(t, "leader@demo.test", "POST", "/api/v1/cycles/"+itoa64(f.growthCycles(t)[0].ID)+"/close", nil), 200)
	res := f.as(t, "leader@demo.test", "POST", "/api/v1/teams/"+growth+"/cycles", map[string]any{"quarter": "2030-Q1",
		"self_due": "2030-02-01", "peer_due": "2030-02-15", "leader_due": "2030-03-01", "review_due": "2030-03-20", "anonymous_peers": true})
	wantStatus(t, res, 201)
	var made struct{ Data cycleOut }
	res.JSON(t, &made)
	open := itoa64(made.Data.ID)
	maya := itoa64(f.ids["pm@demo.test"])
	// Lena asks Sofia and Grace; both answer (two peers: fewer than 3).
	for _, email := range []string{"pm3@demo.test", "pm6@demo.test"} {
		res := f.as(t, "leader@demo.test", "POST", "/api/v1/people/"+maya+"/peer-requests", map[string]any{"reviewer_id": f.ids[email]})
		wantStatus(t, res, 201)
		var r struct{ Data struct{ ID int64 } }
		res.JSON(t, &r)
		wantStatus(t, f.as(t, email, "POST", "/api/v1/peer-requests/"+itoa64(r.Data.ID)+"/answer",
			map[string]any{"ratings": []map[string]any{{"competency": "analytics", "level": 1, "note": "secret note of " + email}}}), 200)
	}
	names := []string{"Sofia Lindqvist", "Grace Liu"}
	for _, path := range []string{
		"/api/v1/people/" + maya + "/compare?cycle=" + open, "/people/" + maya + "/compare?cycle=" + open,
		"/api/v1/people/" + maya + "/ratings?history=true", "/me/profile", "/people/" + maya, "/api/v1/me/cycles", "/cycles/" + open,
		"/api/v1/peer-requests",
	} {
		res := f.as(t, "pm@demo.test", "GET", path, nil)
		wantStatus(t, res, 200)
		// The people Maya may ask for a peer rating are listed as options: not a rating.
		body := options.ReplaceAllString(string(res.Body), "")
		for _, n := range names {
			if strings.Contains(body, n) {
				t.Errorf("%s names the anonymous peer %s to Maya", path, n)
			}
		}
		if strings.Contains(body, "secret note of") {
			t.Errorf("%s shows a withheld peer note to Maya", path)
		}
	}
	res = f.as(t, "pm@demo.test", "GET", "/people/"+maya+"/compare?cycle="+open, nil)
	if !strings.Contains(string(res.Body), "with fewer than 3") {
		t.Error("Maya's compare page does not say why peers are withheld")
	}
	res = f.as(t, "pm@demo.test", "GET", "/me/profile", nil)
	if !strings.Contains(string(res.Body), "2030-Q1 assessment cycle") {
		t.Error("Maya's profile shows no cycle to-do")
	}
	res = f.as(t, "leader@demo.test", "GET", "/people/"+maya+"/compare?cycle="+open, nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), "Sofia Lindqvist") || !strings.Contains(string(res.Body), "secret note of pm6@demo.test") ||
		!strings.Contains(string(res.Body), "Save what we agreed") {
		t.Error("the leader's compare page lacks the peers' names and notes or the agreement form")
	}
	wantStatus(t, f.as(t, "pm2@demo.test", "GET", "/api/v1/people/"+maya+"/compare?cycle="+open, nil), 404)
}

// The leader's pages: the board with progress bars, the 1:1 form, coaching goals from it,
// and the team dashboard's flagged differences.
func TestCyclePages(t *testing.T) {
	f := newFixture(t)
	cs := f.growthCycles(t)
	open, closed := itoa64(cs[0].ID), itoa64(cs[1].ID)
	res := f.as(t, "leader@demo.test", "GET", "/cycles/"+open, nil)
	wantStatus(t, res, 200)
	body := string(res.Body)
	if strings.Count(body, "<progress") < 4 || !strings.Contains(body, "waiting on Ravi Kumar") || !strings.Contains(body, "overdue") {
		t.Errorf("the board lacks progress bars, the pending peer or the overdue stage")
	}
	res = f.as(t, "pm5@demo.test", "GET", "/me/profile", nil)
	if !strings.Contains(string(res.Body), "Rate Sofia Lindqvist") || !strings.Contains(string(res.Body), "assessment cycle") {
		t.Error("Jonas's profile shows no cycle to-do")
	}
	res = f.as(t, "leader@demo.test", "GET", "/cycles/"+closed, nil)
	if !strings.Contains(string(res.Body), "frozen") {
		t.Error("the closed cycle shows no snapshot")
	}
	res = f.as(t, "leader@demo.test", "GET", "/teams/"+itoa64(f.ids["team:Growth"]), nil)
	if !strings.Contains(string(res.Body), "Flagged for discussion") || !strings.Contains(string(res.Body), "Omar Haddad") {
		t.Error("the team dashboard lists no flagged difference")
	}
	hr := f.as(t, "hr@demo.test", "GET", "/teams/"+itoa64(f.ids["team:Growth"]), nil)
	if strings.Contains(string(hr.Body), "Flagged for discussion") {
		t.Error("HR sees individuals' flagged differences")
	}
	omar := itoa64(f.ids["pm2@demo.test"])
	form := url.Values{"level_specification": {"1"}, "decision_specification": {"Pair on specs <b>with Maya</b>"}, "level_delivery": {"1"}, "level_analytics": {""}}
	res = f.do(t, "POST", "/cycles/"+open+"/people/"+omar+"/agreements", f.token(t, "leader@demo.test"), form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, 303)
	res = f.as(t, "leader@demo.test", "GET", res.Header.Get("Location"), nil)
	if !strings.Contains(string(res.Body), "Pair on specs &lt;b&gt;with Maya&lt;/b&gt;") {
		t.Error("the decision is not shown, or not as text")
	}
	res = f.do(t, "POST", "/cycles/"+open+"/people/"+omar+"/coaching-plan", f.token(t, "leader@demo.test"), "",
		"Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, 303)
	if !strings.Contains(res.Header.Get("Location"), "/people/"+omar+"/coaching?plan=") {
		t.Errorf("coaching goals: redirect to %q", res.Header.Get("Location"))
	}
	res = f.as(t, "leader@demo.test", "GET", "/api/v1/teams/"+itoa64(f.ids["team:Growth"])+"/flags", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), `"competency"`) {
		t.Errorf("flags: %s", res.Body)
	}
}
