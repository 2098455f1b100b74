package http

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// TestDisclosureDifferential proves the disclosure rule from outside: for every GET route
// of the route table that a PM or an HR partner may call (mentors are PMs), with every id
// of the demo organisation in each path parameter, the answer is the same, byte for byte
// apart from timestamps, after the ratings that sit in figures of fewer than
// shape.MinContributors people change: every rating of a one-PM team (Platform) and the
// only lead's ratings in the leads-only competencies (Growth). A viewer's own ratings are
// theirs to see, so each viewer is checked with everyone else's changed. A new route is
// covered without anyone remembering to add it here.
func TestDisclosureDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every route for every PM and HR partner")
	}
	probe := newFixture(t)
	hidden := hiddenRatings(t, probe)
	if len(hidden) == 0 {
		t.Fatal("the demo has no figure under the threshold: nothing to prove")
	}
	var viewers []string
	users, err := probe.db.FindUsers(context.Background(), probe.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Role == app.RolePM || u.Role == app.RoleHR {
			viewers = append(viewers, u.Email)
		}
	}
	slices.Sort(viewers)
	// Viewers who hold none of the hidden ratings share one run; each one who does gets a
	// run of their own, with everyone else's changed.
	groups := map[int64][]string{}
	for _, v := range viewers {
		id := probe.ids[v]
		if !slices.ContainsFunc(hidden, func(h hiddenRating) bool { return h.person == id }) {
			id = 0
		}
		groups[id] = append(groups[id], v)
	}
	for self, group := range groups {
		t.Run(strings.Join(group, ","), func(t *testing.T) {
			f := newFixture(t)
			targets := requestsFor(t, f, group)
			before := map[string]response{}
			for _, r := range targets {
				before[r.key()] = f.as(t, r.viewer, "GET", r.path, nil)
			}
			changed := 0
			for _, h := range hidden {
				if h.person != self {
					f.rate(t, h.person, time.Now(), map[string]int{h.competency: (h.level + 3) % 6})
					changed++
				}
			}
			answered := 0
			for _, r := range targets {
				b, a := before[r.key()], f.as(t, r.viewer, "GET", r.path, nil)
				if b.Status == 200 {
					answered++
				}
				if b.Status != a.Status || normalise(b.Body) != normalise(a.Body) {
					t.Errorf("%s: the answer changed with %d ratings of figures under %d people (status %d → %d):\n%s",
						r.key(), changed, shape.MinContributors, b.Status, a.Status, firstDiff(normalise(b.Body), normalise(a.Body)))
				}
			}
			t.Logf("%d requests, %d answered 200, %d ratings changed", len(targets), answered, changed)
			if answered < 20 {
				t.Errorf("only %d requests answered 200: the walk does not reach the pages", answered)
			}
		})
	}
}

// hiddenRating is an effective rating that no disclosed figure contains.
type hiddenRating struct {
	person     int64
	competency string
	level      int
}

// hiddenRatings finds, team by team, the ratings in competencies the disclosure rule
// withholds from viewers who may not see individuals.
func hiddenRatings(t *testing.T, f *fixture) []hiddenRating {
	t.Helper()
	ctx := context.Background()
	var out []hiddenRating
	for _, team := range []string{"team:Growth", "team:Platform"} {
		loaded, err := insight.LoadTeam(ctx, f.db, f.org.ID, f.ids[team], time.Now())
		if err != nil {
			t.Fatal(err)
		}
		withheld := loaded.For(false).WithheldKeys()
		for _, p := range loaded.Input.People {
			for k, l := range p.Ratings {
				if withheld[k] {
					out = append(out, hiddenRating{person: p.ID, competency: k, level: l})
				}
			}
		}
	}
	return out
}

// viewRequest is one GET a viewer makes.
type viewRequest struct{ viewer, path string }

func (r viewRequest) key() string { return r.viewer + " GET " + r.path }

// queryVariants are the query strings worth walking for a path, besides none.
func queryVariants(path string) []string {
	switch path {
	case "/api/v1/mentors":
		var out []string
		for _, a := range app.DefaultFramework {
			for _, c := range a.Competencies {
				out = append(out, "?competency="+url.QueryEscape(c.Key))
			}
		}
		return out
	case "/teams/:id", "/api/v1/teams/:id/shape":
		return []string{"?view=self", "?view=leader"}
	}
	return nil
}

// idTables names the table whose ids a path parameter takes, by the path segment before it.
// A parameter after any other segment (a new route's) takes the ids of all of them.
var idTables = map[string]string{
	"teams": "teams", "people": "users", "users": "users", "sops": "sops", "coaching-plans": "coaching_plans",
	"peer-requests": "peer_requests", "requisitions": "requisitions", "mentorships": "mentorships",
	"check-ins": "check_ins", "actions": "coaching_actions", "goals": "coaching_goals",
}

// requestsFor lists every GET of the route table each viewer's role may call, with each id
// of the organisation's rows in every path parameter.
func requestsFor(t *testing.T, f *fixture, viewers []string) []viewRequest {
	t.Helper()
	idsOf := map[string][]int64{}
	var union []string
	for _, table := range idTables {
		if _, done := idsOf[table]; done {
			continue
		}
		var ids []int64
		if err := f.db.Select(&ids, `SELECT id FROM `+table+` ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		idsOf[table] = ids
		union = append(union, `SELECT id FROM `+table)
	}
	var all []int64
	if err := f.db.Select(&all, strings.Join(union, " UNION ")+` ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	var out []viewRequest
	for _, v := range viewers {
		u, err := f.db.FindUserByEmail(context.Background(), f.org.ID, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range f.srv.Routes() {
			if rt.Method != "GET" || (rt.Roles != nil && !slices.Contains(rt.Roles, u.Role)) {
				continue
			}
			paths := []string{rt.Path}
			for strings.Contains(paths[0], ":") {
				var next []string
				for _, p := range paths {
					i := strings.Index(p, ":")
					j := strings.IndexAny(p[i:], "/.")
					if j < 0 {
						j = len(p) - i
					}
					segments := strings.Split(strings.TrimSuffix(p[:i], "/"), "/")
					values, known := idsOf[idTables[segments[len(segments)-1]]]
					switch {
					case p[i:i+j] == ":rev":
						values = []int64{1, 2}
					case !known:
						values = all
					}
					// And an id nobody has: its answer must not change either.
					for _, id := range append(slices.Clip(values), 999999) {
						next = append(next, p[:i]+itoa64(id)+p[i+j:])
					}
				}
				paths = next
			}
			for _, p := range paths {
				out = append(out, viewRequest{viewer: v, path: p})
				for _, q := range queryVariants(rt.Path) {
					out = append(out, viewRequest{viewer: v, path: p + q})
				}
			}
		}
	}
	return out
}

// volatile matches what may change between two identical requests: timestamps (RFC 3339,
// and the pages' "3 Dec 2026 14:05").
var volatile = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)|\d{1,2} [A-Z][a-z]{2} \d{4}( \d\d:\d\d)?`)

func normalise(b []byte) string { return volatile.ReplaceAllString(string(b), "<time>") }

// firstDiff shows where two bodies part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-120)
	return fmt.Sprintf("before: …%s…\nafter:  …%s…", a[from:min(len(a), i+120)], b[from:min(len(b), i+120)])
}

// TestHRHiringGapsOfAOnePMTeam: HR partners saw a one-PM team's depth per competency on the
// hiring gaps (Platform's equalled Paula Rossi's ratings). Now every competency of such a
// team is withheld from them, in the API, the exports and the page, and what they get
// instead is the brief the team's leader chose to share.
func TestHRHiringGapsOfAOnePMTeam(t *testing.T) {
	f := newFixture(t)
	platform := itoa64(f.ids["team:Platform"])
	type gaps struct {
		Data struct {
			Competencies []map[string]any `json:"competencies"`
			Items        []map[string]any `json:"items"`
			Counts       map[string]int   `json:"counts"`
			TotalScore   float64          `json:"total_score"`
			Withheld     []map[string]any `json:"withheld_competencies"`
			SharedBrief  *app.HiringBrief `json:"shared_brief"`
		} `json:"data"`
	}
	var g gaps
	res := f.as(t, "hr@demo.test", "GET", "/api/v1/teams/"+platform+"/hiring-gaps", nil)
	wantStatus(t, res, 200)
	res.JSON(t, &g)
	if len(g.Data.Competencies) != 0 || len(g.Data.Items) != 0 || g.Data.TotalScore != 0 || g.Data.Counts["gap"]+g.Data.Counts["risk"]+g.Data.Counts["ok"] != 0 {
		t.Errorf("HR gets figures of a one-PM team: %s", res.Body)
	}
	if len(g.Data.Withheld) != 13 || g.Data.SharedBrief != nil {
		t.Errorf("withheld %d competencies (want the 13 in scope), brief %v", len(g.Data.Withheld), g.Data.SharedBrief)
	}
	md := f.as(t, "hr@demo.test", "GET", "/api/v1/teams/"+platform+"/hiring-gaps.md", nil)
	if !strings.Contains(string(md.Body), "Withheld, because fewer than 3") || strings.Contains(string(md.Body), "## Hire") {
		t.Errorf("HR's Markdown: %s", md.Body)
	}
	csv := f.as(t, "hr@demo.test", "GET", "/api/v1/teams/"+platform+"/hiring-gaps.csv", nil)
	if n := strings.Count(strings.TrimSpace(string(csv.Body)), "\n"); n != 0 {
		t.Errorf("HR's CSV has %d hire rows", n)
	}
	page := string(f.as(t, "hr@demo.test", "GET", "/teams/"+platform+"/hiring", nil).Body)
	if !strings.Contains(page, "<b>Withheld:</b>") || strings.Contains(page, "Share these hiring gaps") || !strings.Contains(page, "Ask the team's leader to share") {
		t.Error("HR's hiring page does not say what is withheld and how to get it")
	}
	if strings.Contains(page, "Every competency meets") || strings.Contains(page, "data-chart=") {
		t.Error("HR's hiring page of a fully withheld team shows an empty chart or says every target is met")
	}

	// Only the team's leaders (and admins) share; the share is audited.
	wantStatus(t, f.as(t, "hr@demo.test", "POST", "/api/v1/teams/"+platform+"/hiring-brief", nil), 403)
	wantStatus(t, f.as(t, "other-pm@demo.test", "POST", "/api/v1/teams/"+platform+"/hiring-brief", nil), 403)
	wantStatus(t, f.as(t, "leader@demo.test", "POST", "/api/v1/teams/"+platform+"/hiring-brief", nil), 404)
	if !strings.Contains(string(f.as(t, "other-leader@demo.test", "GET", "/teams/"+platform+"/hiring", nil).Body), "Share these hiring gaps with HR") {
		t.Error("the leader's hiring page has no share button")
	}
	res = f.as(t, "other-leader@demo.test", "POST", "/api/v1/teams/"+platform+"/hiring-brief", nil)
	wantStatus(t, res, 201)
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'hiring_brief' AND action = 'share' AND team_id = $1`, f.ids["team:Platform"]); n != 1 {
		t.Errorf("%d audit entries for the share, want 1", n)
	}
	g = gaps{}
	f.as(t, "hr@demo.test", "GET", "/api/v1/teams/"+platform+"/hiring-gaps", nil).JSON(t, &g)
	b := g.Data.SharedBrief
	if b == nil || !strings.Contains(b.Brief, "# Hiring gaps: Platform") || b.SharedByName == "" {
		t.Fatalf("HR does not get the shared brief: %+v", b)
	}
	if strings.Contains(b.Brief, "Paula") || strings.Contains(b.Brief, "Withheld") {
		t.Errorf("the brief names the PM or is the withheld view: %s", b.Brief)
	}
	if len(g.Data.Competencies) != 0 {
		t.Error("sharing a brief disclosed live figures")
	}
	page = string(f.as(t, "hr@demo.test", "GET", "/teams/"+platform+"/hiring", nil).Body)
	if !strings.Contains(page, "Hiring brief from the team's leader") || !strings.Contains(page, "<h1>Hiring gaps: Platform</h1>") {
		t.Error("HR's hiring page does not show the shared brief")
	}
}
