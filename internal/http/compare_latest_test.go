package http

import (
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/cycles"
)

// Without ?cycle= the compare view (API and page) is the person's latest cycle: the open
// one, else the latest closed one; 404 with a message saying so when there is none the
// viewer may compare.
func TestCompareDefaultsToLatestCycle(t *testing.T) {
	f := newFixture(t)
	cs := f.growthCycles(t) // the open one, then last quarter's closed one
	maya, paula := itoa64(f.ids["pm@demo.test"]), itoa64(f.ids["other-pm@demo.test"])
	cycleOf := func(email, path string) int64 {
		t.Helper()
		res := f.as(t, email, "GET", path, nil)
		wantStatus(t, res, 200)
		var v struct {
			Data struct{ Cycle cycleOut }
		}
		res.JSON(t, &v)
		return v.Data.Cycle.ID
	}
	for _, who := range []string{"pm@demo.test", "leader@demo.test", "admin@demo.test"} {
		if got := cycleOf(who, "/api/v1/people/"+maya+"/compare"); got != cs[0].ID {
			t.Errorf("%s: cycle %d, want the open one %d", who, got, cs[0].ID)
		}
	}
	res := f.as(t, "pm@demo.test", "GET", "/people/"+maya+"/compare", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), cs[0].Quarter) {
		t.Errorf("Maya's compare page does not show the open cycle %s", cs[0].Quarter)
	}
	// Once it closes, the latest closed cycle: the one just closed, not last quarter's.
	wantStatus(t, f.as(t, "leader@demo.test", "POST", "/api/v1/cycles/"+itoa64(cs[0].ID)+"/close", nil), 200)
	if got := cycleOf("pm@demo.test", "/api/v1/people/"+maya+"/compare"); got != cs[0].ID {
		t.Errorf("after the close: cycle %d, want %d", got, cs[0].ID)
	}
	// Paula's team (Platform) has no cycle; Maya is not the other leader's to compare, and
	// another PM is never Maya's: the same 404 with the same message.
	for _, tc := range []struct{ who, path string }{
		{"other-leader@demo.test", "/api/v1/people/" + paula + "/compare"},
		{"other-pm@demo.test", "/api/v1/people/" + paula + "/compare"},
		{"other-leader@demo.test", "/api/v1/people/" + maya + "/compare"},
		{"pm2@demo.test", "/api/v1/people/" + maya + "/compare"},
		{"leader@demo.test", "/api/v1/people/999999/compare"},
	} {
		res := f.as(t, tc.who, "GET", tc.path, nil)
		wantStatus(t, res, 404)
		if !strings.Contains(string(res.Body), cycles.NoCycle[:40]) {
			t.Errorf("%s %s: %s", tc.who, tc.path, res.Body)
		}
	}
	res = f.as(t, "other-pm@demo.test", "GET", "/people/"+paula+"/compare", nil)
	wantStatus(t, res, 404)
	if !strings.Contains(string(res.Body), cycles.NoCycle[:40]) {
		t.Errorf("the page without a cycle: %.500s", res.Body)
	}
}
