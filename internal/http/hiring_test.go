package http

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/transfer"
)

// lab is a small hand-built team in the demo organisation: three PMs rated by its leader
// (leader@demo.test), with hr@demo.test as its HR partner.
type lab struct {
	team          int64
	ann, bob, cy  int64
	names, emails []string
}

// newLab builds the team. Every competency in scope (13: nobody is a lead) is rated Ann 4,
// Bob 4, Cy 3, hence ok (coverage 3 ≥ 2, depth 4 ≥ 4), except:
//
//	                    Ann Bob Cy  cov depth shortCov shortDep status score
//	market_domain        1   1   1   0    1      2        3     gap   2·½·(2/2 + 3/4) = 1.75
//	analytics            2   2   2   0    2      2        2     gap   2·½·(2/2 + 2/4) = 1.5
//	customer_research    3   2   2   1    3      1        1     risk  2·½·(1/2 + 1/4) = 0.75
//	quality_launch       5   2   1   1    5      1        0     risk  2·½·(1/2)       = 0.5
//	delivery             5   3   1   2    5      0        0     ok
//
// Total 4.5. Nobody has coaching goals, so everyone has room for one.
//   - market_domain: 3 short in depth → hire. analytics: 2 short → hire.
//   - customer_research: 1 more at 3 needed, Bob and Cy sit at 2; depth 1 short, Ann at 3
//     → develop. quality_launch: 1 more at 3, Bob at 2 → develop; Ann (5) can teach.
//
// Hire 1: spike market_domain at 4, must-have analytics at 3. Tags industry (market_domain),
// data (analytics) → "Data PM"; backgrounds whose strengths include analytics: marketing,
// business analysis. After it: market_domain cov 1, depth 4 → 0.5; analytics cov 1, depth 3 →
// 0.75; total 2.5, removed 2.0. analytics is then growable (Ann, Bob, Cy at 2; the hire at 3),
// market_domain is not (nobody at 2).
// Hire 2: spike market_domain at 4 → cov 2, ok: total 2.0, removed 0.5. Tag industry → no
// title of its own: "Product Manager"; no background lists market_domain.
func newLab(t *testing.T, f *fixture) *lab {
	t.Helper()
	ctx := context.Background()
	l := &lab{}
	team, err := f.db.CreateTeam(ctx, f.org.ID, "Hiring Lab", "A hand-built team.")
	if err != nil {
		t.Fatal(err)
	}
	l.team = team.ID
	title := "pm"
	for i, n := range []string{"Ann Archer", "Bob Baker", "Cy Cole"} {
		email := strings.ToLower(strings.Fields(n)[0]) + "@lab.test"
		u := &app.User{OrgID: f.org.ID, Email: email, Name: n, Role: app.RolePM, Title: &title}
		if err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := f.db.SetTeamMember(ctx, f.org.ID, l.team, u.ID, app.TeamMember); err != nil {
			t.Fatal(err)
		}
		*[]*int64{&l.ann, &l.bob, &l.cy}[i] = u.ID
		f.ids[email] = u.ID
		l.names, l.emails = append(l.names, n), append(l.emails, email)
	}
	for email, role := range map[string]string{"leader@demo.test": app.TeamLeader, "hr@demo.test": app.TeamHRPartner} {
		if err := f.db.SetTeamMember(ctx, f.org.ID, l.team, f.ids[email], role); err != nil {
			t.Fatal(err)
		}
	}
	special := map[string][3]int{
		"market_domain": {1, 1, 1}, "analytics": {2, 2, 2}, "customer_research": {3, 2, 2},
		"quality_launch": {5, 2, 1}, "delivery": {5, 3, 1},
	}
	fw, err := f.db.FindFramework(ctx, f.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range []int64{l.ann, l.bob, l.cy} {
		var ratings []app.RatingInput
		for _, c := range fw.Active() {
			if c.LeadsOnly {
				continue
			}
			level := [3]int{4, 4, 3}[i]
			if s, ok := special[c.Key]; ok {
				level = s[i]
			}
			ratings = append(ratings, app.RatingInput{Competency: c.Key, Level: &level})
		}
		err := f.db.RecordRatings(ctx, app.RatingBatch{OrgID: f.org.ID, SubjectID: id, RaterID: f.ids["leader@demo.test"],
			Kind: app.RatingLeader, Ratings: ratings})
		if err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func (l *lab) path(format string, args ...any) string {
	return fmt.Sprintf(format, append([]any{l.team}, args...)...)
}

// gapsResponse is GET /api/v1/teams/{id}/hiring-gaps.
type gapsResponse struct {
	Data struct {
		Members      int            `json:"members"`
		TotalScore   float64        `json:"total_score"`
		Counts       map[string]int `json:"counts"`
		Competencies []struct {
			Key      string `json:"key"`
			Status   string `json:"status"`
			Coverage int    `json:"coverage"`
			Depth    int    `json:"depth"`
		} `json:"competencies"`
		Items []struct {
			Competencies []string       `json:"competencies"`
			Action       string         `json:"action"`
			HireIndex    *int           `json:"hire_index"`
			ScoreRemoved float64        `json:"score_removed"`
			Profile      *hiring.Hire   `json:"profile"`
			Gaps         []decisionJSON `json:"gaps"`
		} `json:"items"`
	} `json:"data"`
}

type decisionJSON struct {
	Competency     string          `json:"competency"`
	Status         string          `json:"status"`
	Score          float64         `json:"score"`
	Action         string          `json:"action"`
	Reason         string          `json:"reason"`
	Summary        string          `json:"summary"`
	CandidateCount int             `json:"candidate_count"`
	TeacherCount   int             `json:"teacher_count"`
	Candidates     []hiring.Person `json:"candidates"`
	Teachers       []hiring.Person `json:"teachers"`
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestHiringGapsHandComputed(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)

	res := f.as(t, "leader@demo.test", "GET", l.path("/api/v1/teams/%d/hiring-gaps"), nil)
	wantStatus(t, res, http.StatusOK)
	var got gapsResponse
	res.JSON(t, &got)
	d := got.Data
	if d.Members != 3 || !near(d.TotalScore, 4.5) || d.Counts["gap"] != 2 || d.Counts["risk"] != 2 || d.Counts["ok"] != 9 {
		t.Fatalf("members %d, total %v, counts %v; want 3, 4.5, 2 gaps 2 risks 9 ok", d.Members, d.TotalScore, d.Counts)
	}

	// Items in decision order: hire 1 (market_domain 1.75 and analytics 1.5), then hire 2 (placed
	// at market_domain too), then the two gaps to develop.
	var summary []string
	for _, it := range d.Items {
		summary = append(summary, it.Action+":"+strings.Join(it.Competencies, "+"))
	}
	want := []string{"hire:market_domain+analytics", "hire:market_domain", "develop:customer_research", "develop:quality_launch"}
	if !reflect.DeepEqual(summary, want) {
		t.Fatalf("items %v, want %v", summary, want)
	}

	h1 := d.Items[0].Profile
	if h1 == nil || h1.Title != "Data PM" || h1.Spike != "market_domain" || h1.SpikeLevel != 4 ||
		!reflect.DeepEqual(h1.MustHaves, []string{"analytics"}) || h1.MustHaveLevel != 3 || h1.Lead ||
		!reflect.DeepEqual(h1.Tags, []string{"industry", "data"}) ||
		!reflect.DeepEqual(h1.Backgrounds, []string{"marketing", "business_analysis"}) ||
		!near(h1.ScoreBefore, 4.5) || !near(h1.ScoreAfter, 2.5) || !near(d.Items[0].ScoreRemoved, 2) {
		t.Errorf("hire 1: %+v (removed %v)", h1, d.Items[0].ScoreRemoved)
	}
	wantBrief := "Data PM: a product manager who is proficient (4+) in Market & domain knowledge and at least working " +
		"level (3+) in Analytics & experimentation. Specialisms that fit: industry, data. Backgrounds that often bring " +
		"these strengths: marketing; business analysis / consulting. This hire would remove 2.00 of the team's 4.50 gap score."
	if h1 != nil && h1.Brief != wantBrief {
		t.Errorf("brief:\n%s\nwant\n%s", h1.Brief, wantBrief)
	}
	if gaps := d.Items[0].Gaps; len(gaps) != 2 || gaps[0].Competency != "market_domain" || !near(gaps[0].Score, 1.75) ||
		gaps[0].Reason != "deepest is 1, target 4: too far to close by coaching" || gaps[1].Competency != "analytics" || !near(gaps[1].Score, 1.5) {
		t.Errorf("hire 1 gaps: %+v", gaps)
	}
	h2 := d.Items[1].Profile
	if h2 == nil || h2.Index != 1 || h2.Title != "Product Manager" || len(h2.MustHaves) != 0 || len(h2.Backgrounds) != 0 ||
		!near(h2.ScoreBefore, 2.5) || !near(h2.ScoreRemoved, 0.5) {
		t.Errorf("hire 2: %+v", h2)
	}

	// The leader sees who can grow and who can teach, linked by id.
	research, ql := d.Items[2].Gaps[0], d.Items[3].Gaps[0]
	if !near(research.Score, 0.75) || research.CandidateCount != 3 ||
		!reflect.DeepEqual(research.Candidates, []hiring.Person{{ID: l.ann, Name: "Ann Archer", Level: 3}, {ID: l.bob, Name: "Bob Baker", Level: 2}, {ID: l.cy, Name: "Cy Cole", Level: 2}}) ||
		research.Reason != "Bob Baker, Cy Cole at 2 can grow to working level (1 needed); Ann Archer at 3 can grow to 4 (deepest is 3)" ||
		research.Summary != "2 members at 2 can grow to working level (1 needed); 1 member at 3 can grow to 4 (deepest is 3)" {
		t.Errorf("customer research: %+v", research)
	}
	if ql.TeacherCount != 1 || !reflect.DeepEqual(ql.Teachers, []hiring.Person{{ID: l.ann, Name: "Ann Archer", Level: 5}}) ||
		ql.Reason != "Bob Baker at 2 can grow to working level (1 needed); Ann Archer can teach" {
		t.Errorf("quality & launch: %+v", ql)
	}

	// HR gets the same plan with people counted: no candidates, no teachers, no names.
	res = f.as(t, "hr@demo.test", "GET", l.path("/api/v1/teams/%d/hiring-gaps"), nil)
	wantStatus(t, res, http.StatusOK)
	var hr gapsResponse
	res.JSON(t, &hr)
	research, ql = hr.Data.Items[2].Gaps[0], hr.Data.Items[3].Gaps[0]
	if research.Candidates != nil || ql.Teachers != nil || research.CandidateCount != 3 || ql.TeacherCount != 1 ||
		research.Reason != research.Summary || ql.Reason != "1 member at 2 can grow to working level (1 needed); 1 member can teach" {
		t.Errorf("HR sees: %+v / %+v", research, ql)
	}
	if !near(hr.Data.TotalScore, 4.5) || len(hr.Data.Items) != 4 || hr.Data.Items[0].Profile.Brief != wantBrief {
		t.Errorf("HR plan differs: %+v", hr.Data)
	}

	// The page shows the leader names and coaching links; the brief is copyable.
	page := f.as(t, "leader@demo.test", "GET", l.path("/teams/%d/hiring"), nil)
	wantStatus(t, page, http.StatusOK)
	for _, s := range []string{fmt.Sprintf(`href="/people/%d/coaching"`, l.bob), "Ann Archer", "<textarea", "readonly",
		"Hire 1 · Data PM", "Hire 2 · Product Manager", "Develop"} {
		if !strings.Contains(string(page.Body), s) {
			t.Errorf("leader's page lacks %q", s)
		}
	}
	if strings.Contains(string(page.Body), "Open requisition") {
		t.Error("the leader's page offers to open a requisition")
	}
	page = f.as(t, "hr@demo.test", "GET", l.path("/teams/%d/hiring"), nil)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.Body), "Open requisition for hire 1") || strings.Contains(string(page.Body), "/coaching") {
		t.Error("HR's page: want the requisition form and no coaching links")
	}
}

func TestHiringExports(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)
	// A competency name a spreadsheet would run as a formula.
	if _, err := f.db.Exec(`UPDATE competencies SET name = '=HYPERLINK("http://x.test")' WHERE org_id = $1 AND key = 'analytics'`, f.org.ID); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{"/api/v1/teams/%d/hiring-gaps.csv", "/api/v1/teams/%d/hiring-gaps?format=csv"} {
		res := f.as(t, "hr@demo.test", "GET", l.path(path), nil)
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("%s: content type %q", path, ct)
		}
		if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="hiring-lab-hiring-gaps.csv"` {
			t.Errorf("%s: disposition %q", path, cd)
		}
		lines := strings.Split(strings.TrimSpace(string(res.Body)), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "hire,title,spike,spike_key,spike_level,must_haves") {
			t.Fatalf("%s: %d lines:\n%s", path, len(lines), res.Body)
		}
		if !strings.HasPrefix(lines[1], `1,Data PM,Market & domain knowledge,market_domain,4,"'=HYPERLINK(""http://x.test"")",analytics,3,false,industry; data,`) ||
			!strings.Contains(lines[1], ",2.00,4.50,2.50,") {
			t.Errorf("%s: hire 1 row: %s", path, lines[1])
		}
		if !strings.HasPrefix(lines[2], "2,Product Manager,Market & domain knowledge,market_domain,4,,,,false,industry,,0.50,2.50,2.00,") {
			t.Errorf("%s: hire 2 row: %s", path, lines[2])
		}
	}

	res := f.as(t, "leader@demo.test", "GET", l.path("/api/v1/teams/%d/hiring-gaps.md"), nil)
	wantStatus(t, res, http.StatusOK)
	md := string(res.Body)
	for _, s := range []string{"# Hiring gaps: Hiring Lab", "## Hire 1: Data PM", "## Hire 2: Product Manager",
		"- **Gap score removed:** 2.00 (4.50 → 2.50)", "## Develop rather than hire",
		"- Customer research (risk): 3 members can grow into it"} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q:\n%s", s, md)
		}
	}
	// Exports name nobody, even for the leader.
	for _, n := range l.names {
		if strings.Contains(md, n) {
			t.Errorf("markdown names %s", n)
		}
	}

	res = f.as(t, "leader@demo.test", "GET", l.path("/api/v1/teams/%d/hiring-gaps?format=xml"), nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(string(res.Body), `"field":"format"`) {
		t.Errorf("bad format: %s", res.Body)
	}
}

// csvText is how the hiring CSV export writes a text cell (package hiring uses
// transfer.Neutralise); TestCSVText and FuzzCSVText check it here.
func csvText(s string) string { return transfer.Neutralise(s) }

func TestCSVText(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Data PM": "Data PM", "": "", "a=b": "a=b",
	} {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHiringAccess(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)
	ctx := context.Background()

	// Another organisation's leader and an HR user who partners no team.
	other, err := f.db.CreateOrganisation(ctx, "elsewhere", "Elsewhere Ltd")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*app.User{
		{OrgID: other.ID, Email: "boss@elsewhere.test", Name: "Boss", Role: app.RoleAdmin},
		{OrgID: f.org.ID, Email: "hr2@demo.test", Name: "Second HR", Role: app.RoleHR},
	} {
		if err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}

	paths := []string{"/api/v1/teams/%d/hiring-gaps", "/api/v1/teams/%d/hiring-gaps.csv", "/api/v1/teams/%d/hiring-gaps.md", "/teams/%d/hiring"}
	for _, tt := range []struct {
		email  string
		status int
	}{
		{"admin@demo.test", http.StatusOK},
		{"leader@demo.test", http.StatusOK},
		{"hr@demo.test", http.StatusOK},
		{"pm@demo.test", http.StatusForbidden},          // role
		{"ann@lab.test", http.StatusForbidden},          // a member of the team, but a PM
		{"other-leader@demo.test", http.StatusNotFound}, // leads another team
		{"hr2@demo.test", http.StatusNotFound},          // HR, but not this team's partner
		{"boss@elsewhere.test", http.StatusNotFound},    // admin of another organisation
	} {
		for _, p := range paths {
			if res := f.as(t, tt.email, "GET", l.path(p), nil); res.Status != tt.status {
				t.Errorf("%s GET %s: %d, want %d", tt.email, p, res.Status, tt.status)
			}
		}
		whatIf := http.StatusOK
		switch tt.email {
		case "hr@demo.test", "hr2@demo.test", "pm@demo.test", "ann@lab.test":
			whatIf = http.StatusForbidden // by role
		case "other-leader@demo.test", "boss@elsewhere.test":
			whatIf = http.StatusNotFound
		}
		if res := f.as(t, tt.email, "POST", l.path("/api/v1/teams/%d/what-if"), `{"add":[],"remove":[]}`); res.Status != whatIf {
			t.Errorf("%s POST what-if: %d, want %d: %s", tt.email, res.Status, whatIf, res.Body)
		}
		if res := f.as(t, tt.email, "GET", l.path("/teams/%d/what-if"), nil); res.Status != whatIf {
			t.Errorf("%s GET what-if page: %d, want %d", tt.email, res.Status, whatIf)
		}
	}
	// A team id that does not exist is 404 like a private one.
	if res := f.as(t, "admin@demo.test", "GET", "/api/v1/teams/999999/hiring-gaps", nil); res.Status != http.StatusNotFound {
		t.Errorf("unknown team: %d", res.Status)
	}
}

// whatIfResponse is POST /api/v1/teams/{id}/what-if.
type whatIfResponse struct {
	Data struct {
		Before  gapsData `json:"before"`
		After   gapsData `json:"after"`
		Added   []string `json:"added"`
		Removed []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"removed"`
		Changes []struct {
			Key    string           `json:"key"`
			Before *hiring.Standing `json:"before"`
			After  *hiring.Standing `json:"after"`
		} `json:"changes"`
	} `json:"data"`
}

type gapsData struct {
	Members    int     `json:"members"`
	TotalScore float64 `json:"total_score"`
	Items      []struct {
		Competencies []string     `json:"competencies"`
		Action       string       `json:"action"`
		Profile      *hiring.Hire `json:"profile"`
	} `json:"items"`
}

func TestWhatIf(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)

	// Priya brings market_domain 4 and analytics 4; Cy leaves.
	//   market_domain: Priya alone at 4 → cov 1, depth 4 → 2·½·(1/2) = 0.5
	//   analytics:     Priya alone at 4 → cov 1, depth 4 → 0.5
	//   customer_research (Ann 3, Bob 2) 0.75 and quality_launch (Ann 5, Bob 2) 0.5 are unchanged,
	//   and without Cy every other competency still has Ann and Bob at 4 (or delivery 5, 3): ok.
	//   Total 2.25. Still to hire: market_domain (nobody sits at 2 to grow into the second seat);
	//   analytics is growable (Ann and Bob sit at 2 with room), so one hire, removing 0.5.
	body := fmt.Sprintf(`{"add":[{"name":" Priya ","ratings":[{"competency":"market_domain","level":4},{"competency":"analytics","level":4}]}],"remove":[%d]}`, l.cy)
	res := f.as(t, "leader@demo.test", "POST", l.path("/api/v1/teams/%d/what-if"), body)
	wantStatus(t, res, http.StatusOK)
	var got whatIfResponse
	res.JSON(t, &got)
	d := got.Data
	if !near(d.Before.TotalScore, 4.5) || !near(d.After.TotalScore, 2.25) || d.Before.Members != 3 || d.After.Members != 3 {
		t.Errorf("before %v (%d), after %v (%d); want 4.5 (3), 2.25 (3)", d.Before.TotalScore, d.Before.Members, d.After.TotalScore, d.After.Members)
	}
	if !reflect.DeepEqual(d.Added, []string{"Priya"}) || len(d.Removed) != 1 || d.Removed[0].ID != l.cy || d.Removed[0].Name != "Cy Cole" {
		t.Errorf("added %v, removed %+v", d.Added, d.Removed)
	}
	var hires []string
	for _, it := range d.After.Items {
		if it.Profile != nil {
			hires = append(hires, fmt.Sprintf("%s %.2f", it.Profile.Spike, it.Profile.ScoreRemoved))
		}
	}
	if !reflect.DeepEqual(hires, []string{"market_domain 0.50"}) {
		t.Errorf("hires after: %v", hires)
	}
	// Changes: market_domain and analytics change status; every competency Cy covered loses
	// one of coverage (all but market_domain, analytics, customer_research, quality_launch and
	// delivery, where Cy is below 3).
	changed := map[string]string{}
	for _, c := range d.Changes {
		changed[c.Key] = fmt.Sprintf("%s %d/%d → %s %d/%d", c.Before.Status, c.Before.Depth, c.Before.Coverage, c.After.Status, c.After.Depth, c.After.Coverage)
	}
	if changed["market_domain"] != "gap 1/0 → risk 4/1" || changed["analytics"] != "gap 2/0 → risk 4/1" ||
		changed["specification"] != "ok 4/3 → ok 4/2" || len(changed) != 10 || changed["delivery"] != "" {
		t.Errorf("changes: %v", changed)
	}

	// Nothing was stored: the team's plan is as before.
	res = f.as(t, "leader@demo.test", "GET", l.path("/api/v1/teams/%d/hiring-gaps"), nil)
	var now gapsResponse
	res.JSON(t, &now)
	if !near(now.Data.TotalScore, 4.5) || now.Data.Members != 3 {
		t.Errorf("after a what-if the team is %d members, %v", now.Data.Members, now.Data.TotalScore)
	}

	// The page takes the same scenario from the query string.
	q := url.Values{"c0_name": {"Priya"}, "c0_market_domain": {"4"}, "c0_analytics": {"4"}, "remove": {itoa64(l.cy)}}
	page := f.as(t, "leader@demo.test", "GET", l.path("/teams/%d/what-if?")+q.Encode(), nil)
	wantStatus(t, page, http.StatusOK)
	for _, s := range []string{"What changes", "<b>4.50</b> to <b>2.25</b>", "and removing", "Cy Cole", "With the changes", "Candidate 1: Priya"} {
		if !strings.Contains(string(page.Body), s) {
			t.Errorf("what-if page lacks %q", s)
		}
	}
	// "Start from hire profile 1" fills a candidate with the profile's levels.
	page = f.as(t, "leader@demo.test", "GET", l.path("/teams/%d/what-if?from=1"), nil)
	wantStatus(t, page, http.StatusOK)
	for _, s := range []string{`value="Hire 1: Data PM"`, `<option value="4" selected>4 · proficient</option>`, "<b>4.50</b> to <b>2.50</b>"} {
		if !strings.Contains(string(page.Body), s) {
			t.Errorf("what-if from hire 1 lacks %q", s)
		}
	}
	// A bad level on the page: 422 with the message, and the team as it is.
	page = f.as(t, "leader@demo.test", "GET", l.path("/teams/%d/what-if?c0_name=X&c0_analytics=9"), nil)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	if !strings.Contains(string(page.Body), "Level must be a number from 0 to 5.") {
		t.Errorf("bad level page: %s", page.Body)
	}
}

func TestWhatIfBadInput(t *testing.T) {
	f := newFixture(t)
	l := newLab(t, f)
	six := `{"add":[` + strings.TrimSuffix(strings.Repeat(`{"name":"C","ratings":[]},`, 6), ",") + `]}`
	tests := []struct {
		name, body, field string
		status            int
	}{
		{"six candidates", six, "add", 422},
		{"no name", `{"add":[{"name":"  ","ratings":[]}]}`, "add[0].name", 422},
		{"unknown competency", `{"add":[{"name":"A","ratings":[]},{"name":"B","ratings":[{"competency":"analytics","level":3},{"competency":"juggling","level":3}]}]}`, "add[1].ratings[1].competency", 422},
		{"level above 5", `{"add":[{"name":"A","ratings":[{"competency":"analytics","level":6}]}]}`, "add[0].ratings[0].level", 422},
		{"level below 0", `{"add":[{"name":"A","ratings":[{"competency":"analytics","level":-1}]}]}`, "add[0].ratings[0].level", 422},
		{"level missing", `{"add":[{"name":"A","ratings":[{"competency":"analytics"}]}]}`, "add[0].ratings[0].level", 422},
		{"level not a number", `{"add":[{"name":"A","ratings":[{"competency":"analytics","level":"high"}]}]}`, "add.ratings.level", 422},
		{"rated twice", `{"add":[{"name":"A","ratings":[{"competency":"analytics","level":3},{"competency":"analytics","level":4}]}]}`, "add[0].ratings[1].competency", 422},
		{"remove the leader", fmt.Sprintf(`{"remove":[%d]}`, f.ids["leader@demo.test"]), "remove[0]", 422},
		{"remove another team's PM", fmt.Sprintf(`{"remove":[%d,%d]}`, l.ann, f.ids["pm@demo.test"]), "remove[1]", 422},
		{"unknown field", `{"add":[],"hire":1}`, "hire", 400},
	}
	for _, tt := range tests {
		res := f.as(t, "leader@demo.test", "POST", l.path("/api/v1/teams/%d/what-if"), tt.body)
		var e struct {
			Error struct{ Code, Field, Message string } `json:"error"`
		}
		json.Unmarshal(res.Body, &e) //nolint:errcheck
		if res.Status != tt.status || e.Error.Field != tt.field || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d naming %q", tt.name, res.Status, res.Body, tt.status, tt.field)
		}
	}
}
