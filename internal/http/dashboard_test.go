package http

import (
	"context"
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
)

// tinyTeam is a hand-computed team of three PMs (no lead: 13 competencies in scope), rated by
// the admin as their leader:
//
//	specification      A 4, B 3, C 2   cov 2, depth 4            ok    0
//	delivery           A 3             cov 1, depth 3 (2,4,2)    risk  2·½·(1/2 + 1/4) = 0.75
//	quality_launch     A 5             cov 1, depth 5            risk  2·½·(1/2)       = 0.5
//	analytics          A 2, B 1        cov 0, depth 2            gap   2·½·(2/2 + 2/4) = 1.5
//	customer_research  B 3, target (1,3,3)                       ok    0
//	vision_roadmap     A 4, B 4, target depth 5, criticality 3   risk  3·½·(0 + 1/5)   = 0.3
//	7 others           nobody assessed                           gap   2 each          = 14
//
// Total 17.05; ok 2, risk 3, gap 8; A alone covers delivery and quality_launch (key person).
type tinyTeam struct {
	id      int64
	a, b, c int64
	names   []string
}

const (
	nameA = "Aoife Tinyteam"
	nameB = "Bruno Tinyteam"
	nameC = "Chidi Tinyteam"
)

// addPM creates a PM in the demo organisation and makes them a member of the team.
func (f *fixture) addPM(t *testing.T, teamID int64, email, name string) int64 {
	t.Helper()
	ctx := context.Background()
	title := "pm"
	u := &app.User{OrgID: f.org.ID, Email: email, Name: name, Role: app.RolePM, Title: &title}
	if err := f.db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetTeamMember(ctx, f.org.ID, teamID, u.ID, app.TeamMember); err != nil {
		t.Fatal(err)
	}
	f.ids[email] = u.ID
	return u.ID
}

// rate records the admin's leader ratings of the person at the time.
func (f *fixture) rate(t *testing.T, subject int64, at time.Time, levels map[string]int) {
	t.Helper()
	var rs []app.RatingInput
	for k, l := range levels {
		rs = append(rs, app.RatingInput{Competency: k, Level: &l, Note: "test"})
	}
	err := f.db.RecordRatings(context.Background(), app.RatingBatch{OrgID: f.org.ID, SubjectID: subject,
		RaterID: f.ids["admin@demo.test"], Kind: app.RatingLeader, Ratings: rs, At: at})
	if err != nil {
		t.Fatal(err)
	}
}

func newTinyTeam(t *testing.T, f *fixture) tinyTeam {
	t.Helper()
	ctx := context.Background()
	team, err := f.db.CreateTeam(ctx, f.org.ID, "Tiny", "A hand-computed team.")
	if err != nil {
		t.Fatal(err)
	}
	f.ids["team:Tiny"] = team.ID
	tt := tinyTeam{id: team.ID, names: []string{nameA, nameB, nameC}}
	tt.a = f.addPM(t, team.ID, "a@tiny.test", nameA)
	tt.b = f.addPM(t, team.ID, "b@tiny.test", nameB)
	tt.c = f.addPM(t, team.ID, "c@tiny.test", nameC)
	at := time.Now().Add(-time.Hour)
	f.rate(t, tt.a, at, map[string]int{"specification": 4, "delivery": 3, "quality_launch": 5, "analytics": 2, "vision_roadmap": 4})
	f.rate(t, tt.b, at, map[string]int{"specification": 3, "analytics": 1, "customer_research": 3, "vision_roadmap": 4})
	f.rate(t, tt.c, at, map[string]int{"specification": 2})
	err = f.db.SetTeamTargets(ctx, f.org.ID, team.ID, []app.TeamTarget{
		{Competency: "customer_research", Coverage: 1, Depth: 3, Criticality: 3},
		{Competency: "vision_roadmap", Depth: 5, Criticality: 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

type shapeAnswer struct {
	Data insight.Figures `json:"data"`
}

func (f *fixture) shape(t *testing.T, email string, teamID int64, query string) (insight.Figures, response) {
	t.Helper()
	res := f.as(t, email, "GET", "/api/v1/teams/"+itoa64(teamID)+"/shape"+query, nil)
	wantStatus(t, res, 200)
	var out shapeAnswer
	res.JSON(t, &out)
	return out.Data, res
}

// gapCount is how a team card words the figures' number of gaps ("1 gap", "2 gaps").
func gapCount(f insight.Figures) string {
	if n := f.Counts["gap"]; n != 1 {
		return itoa64(int64(n)) + " gaps"
	}
	return "1 gap"
}

func figure(t *testing.T, f insight.Figures, key string) insight.CompetencyFigure {
	t.Helper()
	for _, c := range f.Competencies {
		if c.Competency == key {
			return c
		}
	}
	t.Fatalf("no %s in %d competencies", key, len(f.Competencies))
	return insight.CompetencyFigure{}
}

func TestTeamShapeHandComputed(t *testing.T) {
	f := newFixture(t)
	tt := newTinyTeam(t, f)
	fig, _ := f.shape(t, "admin@demo.test", tt.id, "")

	if fig.Members != 3 || len(fig.Competencies) != 13 {
		t.Fatalf("members %d, competencies %d; want 3 and 13", fig.Members, len(fig.Competencies))
	}
	if math.Abs(fig.TotalScore-17.05) > 1e-9 {
		t.Errorf("total score %v, want 17.05", fig.TotalScore)
	}
	if fig.Counts["ok"] != 2 || fig.Counts["risk"] != 3 || fig.Counts["gap"] != 8 {
		t.Errorf("counts %v, want ok 2, risk 3, gap 8", fig.Counts)
	}
	for _, w := range []struct {
		key             string
		coverage, depth int
		target          insight.Target
		status          string
		score           float64
		why             string
		teachers        int
	}{
		{"specification", 2, 4, insight.Target{Coverage: 2, Depth: 4, Criticality: 2}, "ok", 0, "meets target", 0},
		{"delivery", 1, 3, insight.Target{Coverage: 2, Depth: 4, Criticality: 2}, "risk", 0.75, "only " + nameA + " is at working level; deepest is 3, target 4", 0},
		{"quality_launch", 1, 5, insight.Target{Coverage: 2, Depth: 4, Criticality: 2}, "risk", 0.5, "only " + nameA + " is an expert", 1},
		{"analytics", 0, 2, insight.Target{Coverage: 2, Depth: 4, Criticality: 2}, "gap", 1.5, "nobody at working level; deepest is 2, target 4", 0},
		{"customer_research", 1, 3, insight.Target{Coverage: 1, Depth: 3, Criticality: 3}, "ok", 0, "meets target", 0},
		{"vision_roadmap", 2, 4, insight.Target{Coverage: 2, Depth: 5, Criticality: 3}, "risk", 0.3, "deepest is 4, target 5", 0},
		{"market_domain", 0, 0, insight.Target{Coverage: 2, Depth: 4, Criticality: 2}, "gap", 2, "nobody assessed", 0},
	} {
		got := figure(t, fig, w.key)
		if got.Coverage != w.coverage || got.Depth != w.depth || got.Target != w.target || got.Status != w.status ||
			math.Abs(got.Score-w.score) > 1e-9 || got.Why != w.why || got.Teachers != w.teachers {
			t.Errorf("%s: got %+v\nwant coverage %d depth %d target %+v %s %v %q teachers %d",
				w.key, got, w.coverage, w.depth, w.target, w.status, w.score, w.why, w.teachers)
		}
	}
	// The gap list: highest score first (the seven unassessed), ties in framework order.
	var order []string
	for _, g := range fig.Gaps {
		order = append(order, g.Competency)
	}
	if len(order) != 11 || order[0] != "user_experience" || order[6] != "communication" || order[7] != "analytics" || order[8] != "delivery" ||
		order[9] != "quality_launch" || order[10] != "vision_roadmap" {
		t.Errorf("gap order %v", order)
	}
	if len(fig.KeyPersonRisks) != 1 || fig.KeyPersonRisks[0].Person == nil || fig.KeyPersonRisks[0].Person.ID != tt.a ||
		strings.Join(fig.KeyPersonRisks[0].Competencies, ",") != "delivery,quality_launch" {
		t.Errorf("key-person risks %+v", fig.KeyPersonRisks)
	}
	// A: 5 of 13 assessed, Σ min(r,3) = 3+3+3+2+3 = 14 → breadth 14/39, spikes in two areas → I.
	if len(fig.People) != 3 || fig.People[0].Name != nameA || fig.People[0].Shape != "I" ||
		math.Abs(fig.People[0].Breadth-14.0/39) > 1e-9 || fig.People[2].Shape != "developing" {
		t.Errorf("people %+v", fig.People)
	}
	if cb := figure(t, fig, "specification").CoveredBy; len(cb) != 2 || cb[0].Name != nameA || cb[1].Name != nameB {
		t.Errorf("covered by %+v", cb)
	}
	// The trend's last point is now, the open quarter, and it agrees with the figures. The
	// team was made today: no quarter before it has a point (not a score of 28 for
	// "nobody assessed", as the trend once showed).
	if len(fig.Trend) != 1 || !fig.Trend[0].Open || math.Abs(fig.Trend[0].TotalScore-17.05) > 1e-9 || fig.Trend[0].Members != 3 {
		t.Errorf("trend %+v", fig.Trend)
	}
}

func TestDashboardAccessByRole(t *testing.T) {
	f := newFixture(t)
	growth, platform := itoa64(f.ids["team:Growth"]), itoa64(f.ids["team:Platform"])
	growthNames := []string{"Maya Chen", "Omar Haddad", "Sofia Lindqvist", "Ravi Kumar", "Jonas Weber", "Grace Liu"}

	// A leader of another team: the team's existence is private.
	for _, p := range []string{"/api/v1/teams/" + platform + "/shape", "/api/v1/teams/" + platform + "/heatmap",
		"/teams/" + platform, "/teams/" + platform + "/targets"} {
		wantStatus(t, f.as(t, "leader@demo.test", "GET", p, nil), 404)
	}
	wantStatus(t, f.as(t, "leader@demo.test", "PUT", "/api/v1/teams/"+platform+"/targets", map[string]any{"targets": []any{}}), 404)
	wantStatus(t, f.as(t, "other-pm@demo.test", "GET", "/api/v1/teams/"+growth+"/shape", nil), 404)
	wantStatus(t, f.as(t, "other-pm@demo.test", "GET", "/teams/"+growth, nil), 404)

	// The leader sees names: in the heatmap and in the reasons.
	lead := f.as(t, "leader@demo.test", "GET", "/api/v1/teams/"+growth+"/heatmap", nil)
	wantStatus(t, lead, 200)
	for _, n := range growthNames {
		if !strings.Contains(string(lead.Body), n) {
			t.Errorf("leader's heatmap lacks %s", n)
		}
	}
	page := f.as(t, "leader@demo.test", "GET", "/teams/"+growth, nil)
	wantStatus(t, page, 200)
	for _, want := range []string{"Growth skill heatmap", "only Sofia Lindqvist is proficient", "People's shapes", `/targets">Targets</a>`, `href="/people/`} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("leader's page lacks %q", want)
		}
	}

	// A PM of the team and the HR partner: the aggregate shape, nobody's name against it.
	// Growth has one lead (Grace), so the three leads-only competencies have one contributor
	// each and are withheld (the disclosure rule): 13 of the leader's 16 are shown.
	leadsOnly := []string{"operating_model", "coaching", "team_wellbeing"}
	for _, who := range []string{"pm@demo.test", "hr@demo.test"} {
		fig, res := f.shape(t, who, f.ids["team:Growth"], "")
		if fig.Individuals || fig.People != nil || len(fig.Competencies) != 13 {
			t.Errorf("%s: individuals %v, people %v, %d competencies", who, fig.Individuals, fig.People, len(fig.Competencies))
		}
		var withheld []string
		for _, c := range fig.WithheldCompetencies {
			withheld = append(withheld, c.Competency)
		}
		if !slices.Equal(withheld, leadsOnly) {
			t.Errorf("%s: withheld %v, want %v", who, withheld, leadsOnly)
		}
		for _, k := range leadsOnly {
			for _, c := range append(fig.Competencies, fig.Gaps...) {
				if c.Competency == k {
					t.Errorf("%s: the withheld %s has figures", who, k)
				}
			}
		}
		for _, n := range growthNames {
			if strings.Contains(string(res.Body), n) {
				t.Errorf("%s: shape names %s: %s", who, n, res.Body)
			}
		}
		if got := figure(t, fig, "customer_research").Why; got != "only one person is proficient" {
			t.Errorf("%s: why %q", who, got)
		}
		// The leader's one key-person risk rests on a withheld competency: from the
		// disclosed figures alone nobody covers two competencies alone.
		if len(fig.KeyPersonRisks) != 0 {
			t.Errorf("%s: key-person risks %+v", who, fig.KeyPersonRisks)
		}
		if len(figure(t, fig, "specification").CoveredBy) != 0 {
			t.Errorf("%s: covered_by shown", who)
		}
		// No heatmap: refused by role for the API, absent from the page.
		res = f.as(t, who, "GET", "/api/v1/teams/"+growth+"/heatmap", nil)
		wantStatus(t, res, 403)
		page := f.as(t, who, "GET", "/teams/"+growth+"?view=self", nil)
		wantStatus(t, page, 200)
		body := string(page.Body)
		for _, bad := range []string{"skill heatmap", "only Sofia", "People's shapes", `/targets">Targets</a>`, "<b>Grace Liu</b>", `href="/people/`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page shows %q", who, bad)
			}
		}
		if !strings.Contains(body, "only one person is proficient") || !strings.Contains(body, "<b>Withheld:</b> Operating model") {
			t.Errorf("%s: the page lacks the name-free reasons or the withheld competencies", who)
		}
		wantStatus(t, f.as(t, who, "GET", "/teams/"+growth+"/targets", nil), 403)
	}
	// The PM sees the team's names in the roster (not against ratings); HR does not.
	hrPage := f.as(t, "hr@demo.test", "GET", "/teams/"+growth, nil)
	for _, n := range growthNames {
		if strings.Contains(string(hrPage.Body), n) {
			t.Errorf("HR's page names %s", n)
		}
	}
	// Someone with the leader role who is only a member of a team sees its aggregate, no heatmap.
	if err := f.db.SetTeamMember(context.Background(), f.org.ID, f.ids["team:Platform"], f.ids["leader@demo.test"], app.TeamMember); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/api/v1/teams/"+platform+"/heatmap", nil), 403)
	fig, _ := f.shape(t, "leader@demo.test", f.ids["team:Platform"], "")
	if fig.Individuals {
		t.Error("a member with the leader role sees individuals")
	}

	// Organisation view for admins only; HR's landing page lists the partner teams.
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/org", nil), 200)
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/org", nil), 403)
	hr := f.as(t, "hr@demo.test", "GET", "/hr", nil)
	wantStatus(t, hr, 200)
	// The card shows what the shape API gives HR: the gaps of the disclosed competencies.
	hrFig, _ := f.shape(t, "hr@demo.test", f.ids["team:Growth"], "")
	for _, want := range []string{`href="/teams/` + growth + `"`, `href="/teams/` + platform + `"`, gapCount(hrFig),
		"3 competencies withheld"} {
		if !strings.Contains(string(hr.Body), want) {
			t.Errorf("/hr lacks %q", want)
		}
	}
}

func TestAsOfRecomputesFromHistory(t *testing.T) {
	f := newFixture(t)
	team, err := f.db.CreateTeam(context.Background(), f.org.ID, "History", "")
	if err != nil {
		t.Fatal(err)
	}
	p := f.addPM(t, team.ID, "h@hist.test", "Hedda History")
	now := time.Now().UTC()
	// Hedda has been in the team for over a year (the trend counts members as they were).
	if err := f.db.BackdateTeamHistory(context.Background(), team.ID, now.AddDate(-2, 0, 0)); err != nil {
		t.Fatal(err)
	}
	f.rate(t, p, now.AddDate(0, 0, -300), map[string]int{"analytics": 2, "delivery": 3})
	f.rate(t, p, now.AddDate(0, 0, -100), map[string]int{"analytics": 4})
	f.rate(t, p, now.AddDate(0, 0, -10), map[string]int{"analytics": 5})
	date := func(days int) string { return now.AddDate(0, 0, days).Format(time.DateOnly) }

	for _, tc := range []struct {
		query     string
		analytics int
		assessed  int
	}{
		{"", 5, 1},
		{"?as_of=" + date(-50), 4, 1},
		{"?as_of=" + date(-200), 2, 1},
		{"?as_of=" + date(-400), 0, 0},
	} {
		fig, _ := f.shape(t, "admin@demo.test", team.ID, tc.query)
		if got := figure(t, fig, "analytics"); got.Depth != tc.analytics || got.Assessed != tc.assessed {
			t.Errorf("%s: analytics depth %d assessed %d, want %d %d", tc.query, got.Depth, got.Assessed, tc.analytics, tc.assessed)
		}
	}
	// The heatmap as of a date: the level then, and its age (delivery, rated 300 days ago, is stale today).
	var hm struct {
		Data insight.Heatmap `json:"data"`
	}
	res := f.as(t, "admin@demo.test", "GET", "/api/v1/teams/"+itoa64(team.ID)+"/heatmap?as_of="+date(-200), nil)
	wantStatus(t, res, 200)
	res.JSON(t, &hm)
	cell := func(key string) insight.HeatmapCell {
		for _, c := range hm.Data.People[0].Cells {
			if c.Competency == key {
				return c
			}
		}
		t.Fatalf("no cell %s", key)
		return insight.HeatmapCell{}
	}
	if c := cell("analytics"); c.Level == nil || *c.Level != 2 || c.Stale {
		t.Errorf("analytics as of -200 days: %+v", c)
	}
	res = f.as(t, "admin@demo.test", "GET", "/api/v1/teams/"+itoa64(team.ID)+"/heatmap", nil)
	res.JSON(t, &hm)
	if c := cell("delivery"); c.Level == nil || *c.Level != 3 || !c.Stale {
		t.Errorf("delivery today: %+v, want 3 and stale", c)
	}
	if c := cell("analytics"); *c.Level != 5 || c.Stale {
		t.Errorf("analytics today: %+v", c)
	}
	if c := cell("specification"); c.Level != nil {
		t.Errorf("specification is not assessed: %+v", c)
	}
	// The trend follows the history: worse before the ratings.
	fig, _ := f.shape(t, "admin@demo.test", team.ID, "")
	if first, last := fig.Trend[0].TotalScore, fig.Trend[len(fig.Trend)-1].TotalScore; first <= last {
		t.Errorf("trend %v … %v: want a falling gap score", first, last)
	}

	// Bad dates name the field and change nothing.
	for _, bad := range []string{"2026-02-30", "yesterday", "20260101", date(2), "1999-12-31"} {
		for _, path := range []string{"/api/v1/teams/" + itoa64(team.ID) + "/shape", "/api/v1/teams/" + itoa64(team.ID) + "/heatmap", "/api/v1/org/shape"} {
			res := f.as(t, "admin@demo.test", "GET", path+"?as_of="+url.QueryEscape(bad), nil)
			if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"as_of"`) {
				t.Errorf("%s as_of=%q: %d %s", path, bad, res.Status, res.Body)
			}
		}
	}
	res = f.as(t, "admin@demo.test", "GET", "/api/v1/teams/"+itoa64(team.ID)+"/heatmap?view=peer", nil)
	if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"view"`) {
		t.Errorf("view=peer: %d %s", res.Status, res.Body)
	}
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/teams/"+itoa64(team.ID)+"?as_of=nope", nil), 422)
}

func TestHeatmapViews(t *testing.T) {
	f := newFixture(t)
	growth := "/api/v1/teams/" + itoa64(f.ids["team:Growth"]) + "/heatmap"
	level := func(view, email, key string) *int {
		t.Helper()
		var hm struct {
			Data insight.Heatmap `json:"data"`
		}
		res := f.as(t, "leader@demo.test", "GET", growth+"?view="+view, nil)
		wantStatus(t, res, 200)
		res.JSON(t, &hm)
		if hm.Data.View != view || len(hm.Data.Competencies) != 16 || len(hm.Data.People) != 6 {
			t.Fatalf("%s: view %q, %d competencies, %d people", view, hm.Data.View, len(hm.Data.Competencies), len(hm.Data.People))
		}
		for _, p := range hm.Data.People {
			if p.ID == f.ids[email] {
				for _, c := range p.Cells {
					if c.Competency == key {
						return c.Level
					}
				}
			}
		}
		t.Fatalf("no %s/%s", email, key)
		return nil
	}
	// Omar (pm2) rates himself 4 in specification; his leader rates him 2 (the effective level).
	if l := level("self", "pm2@demo.test", "specification"); l == nil || *l != 4 {
		t.Errorf("self: %v", l)
	}
	if l := level("leader", "pm2@demo.test", "specification"); l == nil || *l != 2 {
		t.Errorf("leader: %v", l)
	}
	if l := level("effective", "pm2@demo.test", "specification"); l == nil || *l != 2 {
		t.Errorf("effective: %v", l)
	}
	// Ravi (pm4) has no self-assessment: every self cell is "not assessed".
	if l := level("self", "pm4@demo.test", "analytics"); l != nil {
		t.Errorf("Ravi's self rating: %v, want not assessed", *l)
	}
}

func TestTeamTargetsAllOrNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.ids["team:Growth"]
	path := "/api/v1/teams/" + itoa64(id) + "/targets"
	good := map[string]any{"competency": "analytics", "coverage": 3, "depth": 5, "criticality": 3}
	wantStatus(t, f.as(t, "leader@demo.test", "PUT", path, map[string]any{"targets": []any{good}}), 200)
	before, err := f.db.FindTeamTargets(ctx, id)
	if err != nil || len(before) != 1 || before["analytics"].Depth != 5 {
		t.Fatalf("stored %v %v", before, err)
	}
	fig, _ := f.shape(t, "leader@demo.test", id, "")
	if got := figure(t, fig, "analytics").Target; got != (insight.Target{Coverage: 3, Depth: 5, Criticality: 3}) {
		t.Errorf("analytics target %+v", got)
	}
	item := func(kv ...any) map[string]any {
		m := map[string]any{"competency": "delivery", "coverage": 2, "depth": 4, "criticality": 2}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		body   any
		status int
		field  string
	}{
		{map[string]any{"targets": []any{good, item("coverage", 51)}}, 422, "targets[1].coverage"},
		{map[string]any{"targets": []any{good, item("coverage", -1)}}, 422, "targets[1].coverage"},
		{map[string]any{"targets": []any{good, item("depth", 6)}}, 422, "targets[1].depth"},
		{map[string]any{"targets": []any{item("criticality", 0)}}, 422, "targets[0].criticality"},
		{map[string]any{"targets": []any{item("criticality", 4)}}, 422, "targets[0].criticality"},
		{map[string]any{"targets": []any{good, item("competency", "juggling")}}, 422, "targets[1].competency"},
		{map[string]any{"targets": []any{good, good}}, 422, "targets[1].competency"},
		{map[string]any{"targets": []any{item("coverage", "many")}}, 422, "targets.coverage"},
		{map[string]any{}, 422, "targets"},
		{map[string]any{"targets": []any{good}, "extra": 1}, 400, "extra"},
	} {
		res := f.as(t, "leader@demo.test", "PUT", path, tc.body)
		if res.Status != tc.status || !strings.Contains(string(res.Body), `"field":"`+tc.field+`"`) {
			t.Errorf("%v: %d %s, want %d naming %s", tc.body, res.Status, res.Body, tc.status, tc.field)
		}
		after, err := f.db.FindTeamTargets(ctx, id)
		if err != nil || len(after) != 1 || after["analytics"] != before["analytics"] {
			t.Fatalf("%v: targets changed to %v", tc.body, after)
		}
	}
	// Only the team's leaders and admins.
	wantStatus(t, f.as(t, "pm@demo.test", "PUT", path, map[string]any{"targets": []any{}}), 403)
	wantStatus(t, f.as(t, "hr@demo.test", "PUT", path, map[string]any{"targets": []any{}}), 403)
	wantStatus(t, f.as(t, "other-leader@demo.test", "PUT", path, map[string]any{"targets": []any{}}), 404)
	// An empty list resets every target to the defaults.
	wantStatus(t, f.as(t, "admin@demo.test", "PUT", path, map[string]any{"targets": []any{}}), 200)
	if after, _ := f.db.FindTeamTargets(ctx, id); len(after) != 0 {
		t.Errorf("after reset: %v", after)
	}
}

func TestTeamTargetsForm(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.ids["team:Growth"]
	path := "/teams/" + itoa64(id) + "/targets"
	page := f.as(t, "leader@demo.test", "GET", path, nil)
	wantStatus(t, page, 200)
	if !strings.Contains(string(page.Body), `name="coverage_market_domain"`) || !strings.Contains(string(page.Body), `name="_csrf"`) {
		t.Fatal("the form lacks its fields")
	}
	post := func(form url.Values) response {
		return f.do(t, "POST", path, f.token(t, "leader@demo.test"), form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	// A bad value: the form comes back with the message and what was typed; nothing is stored.
	res := post(url.Values{"coverage_analytics": {"3"}, "depth_delivery": {"9"}, "criticality_delivery": {"2"}})
	wantStatus(t, res, 422)
	if body := string(res.Body); !strings.Contains(body, "Depth of Delivery &amp; technical partnership must be a level from 0 to 5.") ||
		!strings.Contains(body, `value="9"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("error page: %s", body)
	}
	res = post(url.Values{"coverage_analytics": {"three"}})
	wantStatus(t, res, 422)
	if stored, _ := f.db.FindTeamTargets(ctx, id); len(stored) != 0 {
		t.Fatalf("stored after errors: %v", stored)
	}
	// Good values: blank means default; a row left at the defaults stores nothing.
	res = post(url.Values{"coverage_analytics": {"3"}, "depth_analytics": {""}, "criticality_analytics": {"2"},
		"criticality_market_domain": {"3"}, "coverage_delivery": {""}, "criticality_delivery": {"2"}})
	wantStatus(t, res, 303)
	if loc := res.Header.Get("Location"); loc != "/teams/"+itoa64(id)+"?saved=targets" {
		t.Errorf("redirect to %q", loc)
	}
	stored, _ := f.db.FindTeamTargets(ctx, id)
	if len(stored) != 2 || stored["analytics"] != (app.TeamTarget{Competency: "analytics", Coverage: 3, Criticality: 2}) ||
		stored["market_domain"] != (app.TeamTarget{Competency: "market_domain", Criticality: 3}) {
		t.Errorf("stored %v", stored)
	}
	// The form shows stored values, blanks for defaults.
	page = f.as(t, "leader@demo.test", "GET", path, nil)
	if !strings.Contains(string(page.Body), `name="coverage_analytics" min="0" max="50" step="1" inputmode="numeric" value="3"`) {
		t.Error("the form does not show the stored coverage")
	}
	dash := f.as(t, "leader@demo.test", "GET", "/teams/"+itoa64(id)+"?saved=targets", nil)
	if !strings.Contains(string(dash.Body), "Targets saved") {
		t.Error("no confirmation after saving")
	}
}

// Names that would run as script if any text reached the page or a chart unescaped.
const (
	injectScript   = `</script><script>alert(1)</script>`
	injectFunction = `__f__alert(1)__f__`
	injectTeam     = `<svg onload=alert(1)>`
)

func TestInjectionNamesRenderAsText(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	team, err := f.db.CreateTeam(ctx, f.org.ID, injectTeam, injectScript)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetTeamMember(ctx, f.org.ID, team.ID, f.ids["leader@demo.test"], app.TeamLeader); err != nil {
		t.Fatal(err)
	}
	p1 := f.addPM(t, team.ID, "x1@evil.test", injectScript)
	p2 := f.addPM(t, team.ID, "x2@evil.test", injectFunction)
	at := time.Now().Add(-time.Hour)
	f.rate(t, p1, at, map[string]int{"analytics": 4, "delivery": 5, "specification": 3})
	f.rate(t, p2, at, map[string]int{"analytics": 2})
	id := itoa64(team.ID)
	for _, tc := range []struct{ who, path string }{
		{"leader@demo.test", "/teams/" + id},
		{"leader@demo.test", "/teams/" + id + "?view=self"},
		{"leader@demo.test", "/teams/" + id + "/targets"},
		{"leader@demo.test", "/api/v1/teams/" + id + "/heatmap"},
		{"leader@demo.test", "/api/v1/teams/" + id + "/shape"},
		{"admin@demo.test", "/org"},
		{"admin@demo.test", "/api/v1/org/shape"},
		{"hr@demo.test", "/hr"},
	} {
		res := f.as(t, tc.who, "GET", tc.path, nil)
		wantStatus(t, res, 200)
		body := string(res.Body)
		for _, bad := range []string{"<script>alert", "</script><script>", "<svg onload"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: %q appears unescaped", tc.path, bad)
			}
		}
	}
	// The names are there, as text: in the chart data (JSON inside an attribute) and in tables.
	page := string(f.as(t, "leader@demo.test", "GET", "/teams/"+id, nil).Body)
	if !strings.Contains(page, `&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;`) {
		t.Error("the script name is not shown as text")
	}
	if !strings.Contains(page, injectFunction) || !strings.Contains(page, `data-chart='{`) {
		t.Error("the heatmap lacks the function-looking name as plain data")
	}
	api := string(f.as(t, "leader@demo.test", "GET", "/api/v1/teams/"+id+"/heatmap", nil).Body)
	if !strings.Contains(api, `\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Errorf("the API does not escape the name: %s", api)
	}
}

func TestOrgRollup(t *testing.T) {
	f := newFixture(t)
	tt := newTinyTeam(t, f)
	var out struct {
		Data insight.Rollup `json:"data"`
	}
	res := f.as(t, "admin@demo.test", "GET", "/api/v1/org/shape", nil)
	wantStatus(t, res, 200)
	res.JSON(t, &out)
	r := out.Data
	if len(r.Teams) != 3 || len(r.Competencies) != 16 {
		t.Fatalf("%d teams, %d competencies", len(r.Teams), len(r.Competencies))
	}
	var tiny insight.TeamSummary
	for _, s := range r.Teams {
		if s.ID == tt.id {
			tiny = s
		}
	}
	// The rollup agrees with the team's own dashboard.
	if tiny.Members != 3 || math.Abs(tiny.TotalScore-17.05) > 1e-9 || tiny.Counts["gap"] != 8 || tiny.KeyPersonRisks != 1 {
		t.Errorf("tiny: %+v", tiny)
	}
	if len(tiny.TopGaps) != insight.TopGaps || tiny.TopGaps[0].Score != 2 {
		t.Errorf("top gaps %+v", tiny.TopGaps)
	}
	if tiny.Statuses["delivery"] != "risk" || tiny.Statuses["analytics"] != "gap" || tiny.Statuses["specification"] != "ok" {
		t.Errorf("statuses %v", tiny.Statuses)
	}
	if _, ok := tiny.Statuses["coaching"]; ok {
		t.Error("a leads-only competency is in scope of a team without a lead")
	}
	// Market knowledge: a gap in Growth, Platform and Tiny.
	for _, c := range r.Competencies {
		if c.Competency == "market_domain" && c.Teams["gap"] != 3 {
			t.Errorf("market_domain teams %v", c.Teams)
		}
	}
	for _, n := range tt.names {
		if strings.Contains(string(res.Body), n) {
			t.Errorf("the rollup names %s", n)
		}
	}
	page := f.as(t, "admin@demo.test", "GET", "/org", nil)
	wantStatus(t, page, 200)
	for _, want := range []string{"Competency × team", `href="/teams/` + itoa64(tt.id) + `"`, `data-csv="competency by team.csv"`, "Teams with a gap per competency"} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("/org lacks %q", want)
		}
	}
}

func TestEmptyTeamDashboard(t *testing.T) {
	f := newFixture(t)
	team, err := f.db.CreateTeam(context.Background(), f.org.ID, "Empty", "")
	if err != nil {
		t.Fatal(err)
	}
	fig, _ := f.shape(t, "admin@demo.test", team.ID, "")
	if fig.Members != 0 || len(fig.Competencies) != 13 || fig.Counts["gap"] != 13 || len(fig.KeyPersonRisks) != 0 {
		t.Errorf("empty team: %+v", fig)
	}
	page := f.as(t, "admin@demo.test", "GET", "/teams/"+itoa64(team.ID), nil)
	wantStatus(t, page, 200)
	if body := string(page.Body); !strings.Contains(body, "No members yet") || strings.Contains(body, "data-chart=") ||
		strings.Contains(body, "vendor/echarts/") {
		t.Errorf("empty team page: %s", body)
	}
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/api/v1/teams/"+itoa64(team.ID)+"/heatmap", nil), 200)
	wantStatus(t, f.as(t, "admin@demo.test", "GET", "/teams/"+itoa64(team.ID)+"/targets", nil), 200)
}

// TestSmallTeamAggregateWithheld: a team with fewer than insight.MinAggregate PMs shows its
// PMs and HR partner no figures (they would give away a person's own ratings), in the
// shape API, the team page, SOP staffing checks and the HR partner's rollup; its leader
// sees everything; at MinAggregate PMs the aggregate shows.
func TestSmallTeamAggregateWithheld(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	team, err := f.db.CreateTeam(ctx, f.org.ID, "Tiny", "")
	if err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]string{"leader@demo.test": app.TeamLeader, "hr@demo.test": app.TeamHRPartner,
		"pm@demo.test": app.TeamMember} {
		if err := f.db.SetTeamMember(ctx, f.org.ID, team.ID, f.ids[email], role); err != nil {
			t.Fatal(err)
		}
	}
	for _, email := range []string{"hr@demo.test", "pm@demo.test"} {
		fig, res := f.shape(t, email, team.ID, "")
		if !fig.Withheld || fig.Members != 1 || len(fig.Competencies) != 0 || len(fig.Gaps) != 0 ||
			len(fig.KeyPersonRisks) != 0 || len(fig.Counts) != 0 || fig.TotalScore != 0 || len(fig.Trend) != 0 {
			t.Fatalf("%s sees a one-PM team's figures: %s", email, res.Body)
		}
		page := f.as(t, email, "GET", "/teams/"+itoa64(team.ID), nil)
		wantStatus(t, page, 200)
		if !strings.Contains(string(page.Body), "Too few PMs to show an aggregate") || strings.Contains(string(page.Body), "data-chart=") {
			t.Fatalf("%s's page of a one-PM team shows figures", email)
		}
	}
	// The staffing check of an SOP (how many can run each step) is withheld too.
	res := f.as(t, "leader@demo.test", "POST", "/api/v1/teams/"+itoa64(team.ID)+"/sops", f.newSOPBody())
	wantStatus(t, res, 201)
	sop := "/api/v1/sops/" + itoa64(decodeSOP(t, res).ID)
	if doc := decodeSOP(t, f.as(t, "leader@demo.test", "GET", sop, nil)); doc.Staffing == nil {
		t.Fatal("the leader gets no staffing check")
	}
	if doc := decodeSOP(t, f.as(t, "pm@demo.test", "GET", sop, nil)); doc.Staffing == nil || doc.Staffing.Status != "withheld" ||
		slices.ContainsFunc(doc.Staffing.Competencies, func(r staffingRow) bool { return !r.Withheld || r.Count != 0 }) {
		t.Fatalf("a PM of a one-PM team gets its staffing check: %+v", doc.Staffing)
	}
	hr := f.as(t, "hr@demo.test", "GET", "/hr", nil)
	wantStatus(t, hr, 200)
	if !strings.Contains(string(hr.Body), "Too few PMs to show an aggregate") {
		t.Fatal("the HR rollup shows the one-PM team's figures")
	}
	if fig, _ := f.shape(t, "leader@demo.test", team.ID, ""); fig.Withheld || len(fig.Competencies) == 0 || len(fig.People) != 1 {
		t.Fatalf("the leader's view is withheld: withheld %v, %d competencies", fig.Withheld, len(fig.Competencies))
	}
	for _, email := range []string{"pm2@demo.test", "pm3@demo.test"} {
		if err := f.db.SetTeamMember(ctx, f.org.ID, team.ID, f.ids[email], app.TeamMember); err != nil {
			t.Fatal(err)
		}
	}
	if fig, _ := f.shape(t, "hr@demo.test", team.ID, ""); fig.Withheld || fig.Members != insight.MinAggregate || len(fig.Competencies) == 0 {
		t.Fatalf("a team of %d PMs is withheld from HR: withheld %v, %d members, %d competencies",
			insight.MinAggregate, fig.Withheld, fig.Members, len(fig.Competencies))
	}
}

// TestTeamsListFigures: the teams list shows each team's gaps to its leader and PMs (a
// team under insight.MinAggregate PMs withheld from its PMs), and no figures to an admin.
func TestTeamsListFigures(t *testing.T) {
	f := newFixture(t)
	list := func(email string) string {
		t.Helper()
		res := f.as(t, email, "GET", "/teams", nil)
		wantStatus(t, res, 200)
		return string(res.Body)
	}
	if body := list("leader@demo.test"); !strings.Contains(body, "2 gaps") || !strings.Contains(body, "Market &amp; domain knowledge") {
		t.Error("the leader's list lacks Growth's gaps")
	}
	pmFig, _ := f.shape(t, "pm@demo.test", f.ids["team:Growth"], "")
	if body := list("pm@demo.test"); !strings.Contains(body, gapCount(pmFig)) || !strings.Contains(body, "3 competencies withheld") {
		t.Error("a PM's list lacks Growth's aggregate")
	}
	if body := list("other-pm@demo.test"); !strings.Contains(body, "Too few PMs to show an aggregate") || strings.Contains(body, "gap score") {
		t.Error("the one-PM team's figures show to its PM")
	}
	if body := list("other-leader@demo.test"); strings.Contains(body, "Too few PMs") || !strings.Contains(body, "gap score") {
		t.Error("the one-PM team's leader does not see its figures")
	}
	if body := list("admin@demo.test"); strings.Contains(body, "gap score") || !strings.Contains(body, `href="/org"`) {
		t.Error("the admin's list shows figures or no link to the organisation view")
	}
}
