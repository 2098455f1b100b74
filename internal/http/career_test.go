package http

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// careerOut is the part of GET /api/v1/people/:id/career the tests read.
type careerOut struct {
	Person struct {
		ID int64 `json:"id"`
	} `json:"person"`
	Roles []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
		Start string `json:"start"`
	} `json:"roles"`
	Shape     string `json:"shape"`
	Window    string `json:"window_label"`
	Portfolio struct {
		MonthsPerSpike []struct {
			Spike  string `json:"spike"`
			Months int    `json:"months"`
		} `json:"months_per_spike"`
		NeverPursued []string `json:"never_pursued"`
		Gaps         []struct {
			From   string `json:"from"`
			To     string `json:"to"`
			Months int    `json:"months"`
		} `json:"gaps"`
		MonthsAsPM    int    `json:"months_as_pm"`
		CurrentMonths int    `json:"current_months"`
		Window        string `json:"window"`
		Stage         string `json:"stage"`
		Advice        string `json:"advice"`
	} `json:"portfolio"`
}

func (f *fixture) career(t *testing.T, email string, id int64) careerOut {
	t.Helper()
	res := f.as(t, email, http.MethodGet, "/api/v1/people/"+itoa64(id)+"/career", nil)
	wantStatus(t, res, http.StatusOK)
	var out struct {
		Data careerOut `json:"data"`
	}
	res.JSON(t, &out)
	return out.Data
}

// at sets the server's clock.
func (f *fixture) at(day string) {
	d, err := time.Parse(app.DateLayout, day)
	if err != nil {
		panic(err)
	}
	f.srv.Now = func() time.Time { return d.Add(10 * time.Hour) }
}

func role(company, title, start, end string, spikes ...string) map[string]any {
	return map[string]any{"company": company, "title": title, "start": start, "end": end, "market": "b2b", "spikes": spikes}
}

// Sofia (pm3@demo.test) has no demo career: her roles are added by hand and the portfolio
// is checked against months counted by hand (a month counts when its day is reached). The
// clock is set after the demo ratings, so her profile has its demo shape.
func TestCareerPortfolio(t *testing.T) {
	f := newFixture(t)
	f.at("2030-03-15")
	sofia := f.ids["pm3@demo.test"]
	var ids []int64
	for _, r := range []map[string]any{
		role("Brightpath", "APM", "2019-09-01", "2021-07-01", "social_impact"),                   // 22 months
		role("Ledgerly", "PM", "2021-11-15", "2024-05-14", "compensation", "industry_expertise"), // 29 months, after a 4-month gap
		role("Ledgerly", "PM, payments", "2024-05-14", "2028-01-31", "industry_expertise"),       // 44 months
		role("Demo Co", "Senior PM", "2028-02-20", "", "advancement_speed", "management"),        // 24 months to 2030-03-15
	} {
		res := f.as(t, "pm3@demo.test", http.MethodPost, "/api/v1/me/career/roles", r)
		wantStatus(t, res, http.StatusCreated)
		var out struct {
			Data struct {
				ID int64 `json:"id"`
			} `json:"data"`
		}
		res.JSON(t, &out)
		ids = append(ids, out.Data.ID)
	}
	c := f.career(t, "pm3@demo.test", sofia)
	var months []int
	for _, m := range c.Portfolio.MonthsPerSpike {
		months = append(months, m.Months)
	}
	// social_impact, management, industry_expertise, compensation, advancement_speed
	if want := []int{22, 24, 29 + 44, 29, 24}; !slices.Equal(months, want) {
		t.Errorf("months per spike = %v, want %v", months, want)
	}
	p := c.Portfolio
	if p.MonthsAsPM != 119 || p.CurrentMonths != 24 || p.Window != app.WindowIn || c.Window != "in the window" {
		t.Errorf("months as PM %d, current %d %q %q", p.MonthsAsPM, p.CurrentMonths, p.Window, c.Window)
	}
	if len(p.Gaps) != 1 || p.Gaps[0].Months != 4 || p.Gaps[0].From != "2021-07-01" || len(p.NeverPursued) != 0 {
		t.Errorf("gaps %+v, never pursued %v", p.Gaps, p.NeverPursued)
	}
	// Sofia's demo ratings make a T (spikes in customer insight, breadth 31/39): later in a
	// career with a T, a specialism may accelerate.
	if c.Shape != "T" || p.Stage != "later" || !strings.Contains(p.Advice, "may now accelerate") {
		t.Errorf("shape %q, stage %q: %s", c.Shape, p.Stage, p.Advice)
	}

	// The window's edges: 17 and 18 months, 36 and 37 months in the role (started 2028-02-20).
	for day, want := range map[string]string{"2029-08-19": app.WindowEarly, "2029-08-20": app.WindowIn,
		"2031-03-19": app.WindowIn, "2031-03-20": app.WindowOverstaying} {
		f.at(day)
		if got := f.career(t, "pm3@demo.test", sofia).Portfolio.Window; got != want {
			t.Errorf("on %s: window %q, want %q", day, got, want)
		}
	}
	f.at("2030-03-15")

	// Bad input: a clear 422 naming the field, and nothing stored.
	count := func() int { return f.count(t, `SELECT count(*) FROM career_roles WHERE person_id = $1`, sofia) }
	for _, tc := range []struct {
		body  any
		field string
	}{
		{role("X", "PM", "2020-01-01", "2020-06-01", "management"), "start"}, // inside the APM role
		{role("X", "PM", "2019-01-01", "2019-10-01", "management"), "end"},   // runs into it
		{role("X", "PM", "2029-01-01", "", "management"), "start"},           // a second current role
		{role("X", "PM", "2012-01-01", "2011-01-01", "management"), "end"},
		{role("X", "PM", "2012-01-01", "2012-01-01", "management"), "end"},
		{role("X", "PM", "2012-01-01", "2013-01-01"), "spikes"},
		{role("X", "PM", "2012-01-01", "2013-01-01", "management", "compensation", "social_impact"), "spikes"},
		{role("X", "PM", "2012-01-01", "2013-01-01", "fame"), "spikes[0]"},
		{role("X", "PM", "2031-01-01", "", "management"), "start"}, // in the future
		{map[string]any{"company": "X", "title": "PM", "start": "2012-01-01", "market": "b2g", "spikes": []string{"management"}}, "market"},
		{map[string]any{"company": "X", "title": "PM", "start": "2012-01-01", "market": "b2b", "spikes": "management"}, "spikes"},
		{map[string]any{"company": "", "title": "PM", "start": "2012-01-01", "market": "b2b", "spikes": []string{"management"}}, "company"},
	} {
		wantField(t, f.as(t, "pm3@demo.test", http.MethodPost, "/api/v1/me/career/roles", tc.body), http.StatusUnprocessableEntity, tc.field)
	}
	if n := count(); n != 4 {
		t.Fatalf("%d roles after refused writes, want 4", n)
	}
	// An update that would overlap is refused and leaves the role as it was.
	wantField(t, f.as(t, "pm3@demo.test", http.MethodPut, "/api/v1/me/career/roles/"+itoa64(ids[3]),
		role("Demo Co", "Senior PM", "2028-01-01", "", "management")), http.StatusUnprocessableEntity, "start")
	res := f.as(t, "pm3@demo.test", http.MethodPut, "/api/v1/me/career/roles/"+itoa64(ids[3]),
		role("Demo Co", "Lead PM", "2028-02-01", "", "management"))
	wantStatus(t, res, http.StatusOK)
	if c := f.career(t, "pm3@demo.test", sofia); c.Roles[3].Title != "Lead PM" || c.Roles[3].Start != "2028-02-01" {
		t.Errorf("after update: %+v", c.Roles[3])
	}
	// Someone else's role is not found, for update and delete.
	maya := f.career(t, "pm@demo.test", f.ids["pm@demo.test"]).Roles[0].ID
	wantStatus(t, f.as(t, "pm3@demo.test", http.MethodPut, "/api/v1/me/career/roles/"+itoa64(maya), role("X", "PM", "2001-01-01", "2002-01-01", "management")), http.StatusNotFound)
	wantStatus(t, f.as(t, "pm3@demo.test", http.MethodDelete, "/api/v1/me/career/roles/"+itoa64(maya), nil), http.StatusNotFound)
	wantStatus(t, f.as(t, "pm3@demo.test", http.MethodDelete, "/api/v1/me/career/roles/"+itoa64(ids[0]), nil), http.StatusOK)
	if n := count(); n != 3 {
		t.Fatalf("%d roles after delete, want 3", n)
	}
	res = f.as(t, "pm3@demo.test", http.MethodGet, "/api/v1/me/career/roles", nil)
	wantStatus(t, res, http.StatusOK)
	if strings.Count(string(res.Body), `"company"`) != 3 {
		t.Errorf("my roles: %s", res.Body)
	}
}

// The demo careers: Maya is later in her career, Omar early and too early to move.
func TestCareerDemo(t *testing.T) {
	f := newFixture(t)
	maya := f.career(t, "pm@demo.test", f.ids["pm@demo.test"])
	if len(maya.Roles) != 3 || maya.Portfolio.Stage != "later" || maya.Portfolio.Window != app.WindowIn ||
		!slices.Equal(maya.Portfolio.NeverPursued, []string{"management"}) || len(maya.Portfolio.Gaps) != 1 {
		t.Errorf("Maya: %+v", maya.Portfolio)
	}
	omar := f.career(t, "pm2@demo.test", f.ids["pm2@demo.test"])
	if len(omar.Roles) != 2 || omar.Portfolio.Stage != "early" || omar.Portfolio.Window != app.WindowEarly {
		t.Errorf("Omar: %+v", omar.Portfolio)
	}
}

// Who reads a portfolio: the person, their leader and admins; not another PM, not a leader
// of another team, not HR (by role), not anyone outside the organisation.
func TestCareerAccess(t *testing.T) {
	f := newFixture(t)
	maya := itoa64(f.ids["pm@demo.test"])
	for email, want := range map[string]int{
		"pm@demo.test": http.StatusOK, "leader@demo.test": http.StatusOK, "admin@demo.test": http.StatusOK,
		"other-leader@demo.test": http.StatusNotFound, "pm2@demo.test": http.StatusNotFound, "hr@demo.test": http.StatusForbidden,
	} {
		if res := f.as(t, email, http.MethodGet, "/api/v1/people/"+maya+"/career", nil); res.Status != want {
			t.Errorf("%s: API status %d, want %d", email, res.Status, want)
		}
		page := want
		if email == "pm@demo.test" {
			page = http.StatusSeeOther // to /me/career
		}
		if res := f.as(t, email, http.MethodGet, "/people/"+maya+"/career", nil); res.Status != page {
			t.Errorf("%s: page status %d, want %d", email, res.Status, page)
		}
	}
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodGet, "/api/v1/people/"+itoa64(f.outsider(t))+"/career", nil), http.StatusNotFound)
	res := f.as(t, "leader@demo.test", http.MethodGet, "/people/"+maya+"/career", nil)
	body := string(res.Body)
	if !strings.Contains(body, "Maya Chen · career") || !strings.Contains(body, "Ledgerly") || strings.Contains(body, `action="/me/career/roles`) {
		t.Errorf("the leader's view is not Maya's read-only portfolio")
	}
	// Each PM's own page is their own portfolio.
	if body := string(f.as(t, "pm2@demo.test", http.MethodGet, "/me/career", nil).Body); !strings.Contains(body, "Northwind CRM") || strings.Contains(body, "Ledgerly") {
		t.Errorf("Omar's /me/career is not his")
	}
	for _, path := range []string{"/me/career", "/learn", "/me/mentoring", "/api/v1/resources", "/api/v1/mentorships"} {
		wantStatus(t, f.as(t, "hr@demo.test", http.MethodGet, path, nil), http.StatusForbidden)
	}
}

func TestCareerRoleForms(t *testing.T) {
	f := newFixture(t)
	count := func() int {
		return f.count(t, `SELECT count(*) FROM career_roles WHERE person_id = $1`, f.ids["pm3@demo.test"])
	}
	form := url.Values{"company": {"Acme <b>"}, "title": {"PM"}, "start": {"2019-01-01"}, "end": {"2021-01-01"},
		"market": {"b2c"}, "spikes": {"management", "compensation"}}
	res := f.form(t, "pm3@demo.test", "/me/career/roles", form)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/me/career?done=role#roles" {
		t.Fatalf("add: %d %s", res.Status, res.Header.Get("Location"))
	}
	form.Set("start", "2020-01-01")
	form.Set("end", "")
	res = f.form(t, "pm3@demo.test", "/me/career/roles", form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "overlaps PM at Acme &lt;b&gt;") {
		t.Fatalf("overlap: %d", res.Status)
	}
	if !strings.Contains(string(res.Body), `value="2020-01-01"`) {
		t.Error("the refused form lost what was typed")
	}
	if n := count(); n != 1 {
		t.Fatalf("%d roles, want 1", n)
	}
	page := string(f.as(t, "pm3@demo.test", http.MethodGet, "/me/career", nil).Body)
	if !strings.Contains(page, "Acme &lt;b&gt;") || strings.Contains(page, "Acme <b>") {
		t.Error("the company name is not escaped")
	}
	id := itoa64(int64(f.count(t, `SELECT max(id) FROM career_roles WHERE person_id = $1`, f.ids["pm3@demo.test"])))
	if page := string(f.as(t, "pm3@demo.test", http.MethodGet, "/me/career?edit="+id, nil).Body); !strings.Contains(page, `action="/me/career/roles/`+id+`"`) {
		t.Error("the edit form does not post to the role")
	}
	wantStatus(t, f.form(t, "pm3@demo.test", "/me/career/roles/"+id+"/delete", url.Values{}), http.StatusSeeOther)
	if n := count(); n != 0 {
		t.Fatalf("%d roles after delete", n)
	}
}

// ---- hit-lists ----

func (f *fixture) resourceID(t *testing.T, title string) int64 {
	t.Helper()
	return int64(f.count(t, `SELECT id FROM learning_resources WHERE title = $1`, title))
}

func resource(title, link, competency string, lo, hi int, market string) map[string]any {
	return map[string]any{"title": title, "url": link, "kind": "article", "competency": competency,
		"level_min": lo, "level_max": hi, "market": market}
}

func TestResources(t *testing.T) {
	f := newFixture(t)
	count := func() int { return f.count(t, `SELECT count(*) FROM learning_resources`) }
	before := count()
	if before < 15 {
		t.Fatalf("the demo ships %d resources", before)
	}
	res := f.as(t, "leader@demo.test", http.MethodPost, "/api/v1/resources", resource("Pricing pages", "https://example.com/p", "business_outcomes", 1, 4, "b2b"))
	wantStatus(t, res, http.StatusCreated)
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPost, "/api/v1/resources", resource("Mine", "https://example.com/m", "analytics", 0, 5, "both")), http.StatusForbidden)
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{resource("Bad link", "javascript:alert(1)", "analytics", 0, 5, "both"), "url"},
		{resource("Relative", "/learn", "analytics", 0, 5, "both"), "url"},
		{resource("Low", "https://example.com/x", "analytics", -1, 5, "both"), "level_min"},
		{resource("High", "https://example.com/x", "analytics", 0, 6, "both"), "level_max"},
		{resource("Upside down", "https://example.com/x", "analytics", 4, 2, "both"), "level_min"},
		{resource("Market", "https://example.com/x", "analytics", 0, 5, "b2g"), "market"},
		{resource("Competency", "https://example.com/x", "juggling", 0, 5, "both"), "competency"},
		{func() map[string]any {
			r := resource("Kind", "https://example.com/x", "analytics", 0, 5, "both")
			r["kind"] = "podcast"
			return r
		}(), "kind"},
		{func() map[string]any {
			r := resource("Background", "https://example.com/x", "analytics", 0, 5, "both")
			r["background"] = "astronaut"
			return r
		}(), "background"},
	} {
		wantField(t, f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/resources", tc.body), http.StatusUnprocessableEntity, tc.field)
	}
	wantField(t, f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/resources", resource("Pricing pages", "https://example.com/q", "analytics", 0, 5, "both")), http.StatusConflict, "title")
	if n := count(); n != before+1 {
		t.Fatalf("%d resources, want %d", n, before+1)
	}
	id := itoa64(f.resourceID(t, "Pricing pages"))
	wantField(t, f.as(t, "admin@demo.test", http.MethodPut, "/api/v1/resources/"+id, resource("Pricing pages", "ftp://example.com", "analytics", 0, 5, "both")), http.StatusUnprocessableEntity, "url")
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPut, "/api/v1/resources/"+id, resource("Pricing pages, revised", "https://example.com/p2", "business_outcomes", 2, 3, "both")), http.StatusOK)
	if f.count(t, `SELECT level_min FROM learning_resources WHERE title = 'Pricing pages, revised'`) != 2 {
		t.Error("the update is not stored")
	}
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodDelete, "/api/v1/resources/"+id, nil), http.StatusForbidden)
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodDelete, "/api/v1/resources/"+id, nil), http.StatusOK)
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodDelete, "/api/v1/resources/"+id, nil), http.StatusNotFound)
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodGet, "/api/v1/resources?competency=analytics", nil), http.StatusOK)
}

func TestResourceForms(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"title": {`<script>alert(1)</script>`}, "url": {"javascript:alert(1)"}, "kind": {"talk"},
		"competency": {"customer_research"}, "level_min": {"0"}, "level_max": {"5"}, "market": {"both"}}
	res := f.form(t, "leader@demo.test", "/learn/manage", form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "url: The link must be an http") {
		t.Fatalf("bad link: %d", res.Status)
	}
	form.Set("url", `https://example.com/"><b>`)
	wantStatus(t, f.form(t, "leader@demo.test", "/learn/manage", form), http.StatusSeeOther)
	wantStatus(t, f.form(t, "pm@demo.test", "/learn/manage", form), http.StatusForbidden)
	// The resource fits Maya (any level, any market): it shows on her hit-list, escaped,
	// opening with no opener and no referrer.
	for _, page := range []string{"/learn?competency=customer_research", "/learn/manage"} {
		email := "pm@demo.test"
		if strings.HasSuffix(page, "manage") {
			email = "leader@demo.test"
		}
		body := string(f.as(t, email, http.MethodGet, page, nil).Body)
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: the title is not escaped", page)
		}
		if strings.Contains(body, `"><b>`) || !strings.Contains(body, `rel="noopener noreferrer"`) {
			t.Errorf("%s: the link is not safe", page)
		}
	}
	id := itoa64(f.resourceID(t, `<script>alert(1)</script>`))
	form.Set("level_min", "4")
	form.Set("level_max", "1")
	res = f.form(t, "leader@demo.test", "/learn/manage/"+id, form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "level_min:") {
		t.Fatalf("upside-down levels: %d", res.Status)
	}
	wantStatus(t, f.form(t, "admin@demo.test", "/learn/manage/"+id+"/delete", url.Values{}), http.StatusSeeOther)
	if f.count(t, `SELECT count(*) FROM learning_resources WHERE id = $1`, id) != 0 {
		t.Error("not deleted")
	}
}

func (f *fixture) hitList(t *testing.T, email, query string) []string {
	t.Helper()
	res := f.as(t, email, http.MethodGet, "/api/v1/resources/recommended?"+query, nil)
	wantStatus(t, res, http.StatusOK)
	var out struct {
		Data struct {
			Items []struct {
				Resource app.LearningResource `json:"resource"`
			} `json:"items"`
		} `json:"data"`
	}
	res.JSON(t, &out)
	var titles []string
	for _, it := range out.Data.Items {
		titles = append(titles, it.Resource.Title)
	}
	return titles
}

// The demo hit-lists, ranked by hand from the demo resources and profiles.
func TestRecommendedResources(t *testing.T) {
	f := newFixture(t)
	omar := itoa64(f.ids["pm2@demo.test"])
	for _, tc := range []struct {
		email, query string
		want         []string
	}{
		// Maya: level 2 in research, B2C, from development. The B2B talk does not fit her market.
		{"pm@demo.test", "competency=customer_research", []string{"Five interviews before Friday", "Synthesis that sticks: from notes to opportunities"}},
		// Level 2 in business outcomes: the primer written for developers first; the B2B course is out.
		{"pm@demo.test", "competency=business_outcomes", []string{"From feature to P&L: finance for builders", "The revenue case on one page"}},
		// Omar: level 2 in research, B2B, from sales: the B2B talk fits his market but is written
		// for another background, so it comes last.
		{"leader@demo.test", "competency=customer_research&person_id=" + omar, []string{"Five interviews before Friday",
			"Synthesis that sticks: from notes to opportunities", "Interviewing buyers, not just users"}},
		// Maya is 5 in specification: nothing of 0–3 fits.
		{"pm@demo.test", "competency=specification", nil},
	} {
		if got := f.hitList(t, tc.email, tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s: %q, want %q", tc.email, tc.query, got, tc.want)
		}
	}
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodGet, "/api/v1/resources/recommended?competency=analytics&person_id="+omar, nil), http.StatusNotFound)
	wantStatus(t, f.as(t, "other-leader@demo.test", http.MethodGet, "/api/v1/resources/recommended?competency=analytics&person_id="+omar, nil), http.StatusNotFound)
	wantField(t, f.as(t, "pm@demo.test", http.MethodGet, "/api/v1/resources/recommended?competency=juggling", nil), http.StatusUnprocessableEntity, "competency")
}

func TestAddResourceToPlan(t *testing.T) {
	f := newFixture(t)
	maya := f.ids["pm@demo.test"]
	five := itoa64(f.resourceID(t, "Five interviews before Friday"))
	educationCount := func() int {
		return f.count(t, `SELECT count(*) FROM coaching_actions a JOIN coaching_goals g ON g.id = a.goal_id
			JOIN coaching_plans p ON p.id = g.plan_id WHERE p.person_id = $1 AND a.kind = 'education'`, maya)
	}
	before := educationCount()
	res := f.as(t, "pm@demo.test", http.MethodPost, "/api/v1/resources/"+five+"/add-to-plan", map[string]any{})
	wantStatus(t, res, http.StatusCreated)
	var out struct {
		Data struct {
			Kind        string `json:"kind"`
			Description string `json:"description"`
			ResourceURL string `json:"resource_url"`
			Status      string `json:"status"`
			OwnerID     int64  `json:"owner_id"`
		} `json:"data"`
	}
	res.JSON(t, &out)
	if a := out.Data; a.Kind != app.ActionEducation || a.OwnerID != maya || a.ResourceURL != "https://example.com/learn/five-interviews-before-friday" ||
		!strings.Contains(a.Description, "Five interviews before Friday") || a.Status != app.ActionTodo {
		t.Errorf("action = %+v", a)
	}
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPost, "/api/v1/resources/"+five+"/add-to-plan", map[string]any{}), http.StatusConflict)
	// No goal in the resource's competency; no plan at all; someone else's plan.
	wantField(t, f.as(t, "pm@demo.test", http.MethodPost, "/api/v1/resources/"+itoa64(f.resourceID(t, "Reading a cohort chart"))+"/add-to-plan", map[string]any{}),
		http.StatusUnprocessableEntity, "competency")
	wantField(t, f.as(t, "pm2@demo.test", http.MethodPost, "/api/v1/resources/"+five+"/add-to-plan", map[string]any{}), http.StatusUnprocessableEntity, "plan")
	wantStatus(t, f.as(t, "pm2@demo.test", http.MethodPost, "/api/v1/resources/"+five+"/add-to-plan", map[string]any{"person_id": maya}), http.StatusNotFound)
	wantStatus(t, f.as(t, "other-leader@demo.test", http.MethodPost, "/api/v1/resources/"+five+"/add-to-plan", map[string]any{"person_id": maya}), http.StatusNotFound)
	if n := educationCount(); n != before+1 {
		t.Fatalf("%d education actions, want %d", n, before+1)
	}
	// Her leader adds one for her from the plan page's form; it is Maya's to do.
	res = f.form(t, "leader@demo.test", "/learn/add", url.Values{"resource_id": {itoa64(f.resourceID(t, "The revenue case on one page"))},
		"person_id": {itoa64(maya)}, "next": {"/people/" + itoa64(maya) + "/coaching"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/people/"+itoa64(maya)+"/coaching?done=added" {
		t.Fatalf("leader's form: %d %s", res.Status, res.Header.Get("Location"))
	}
	if n := f.count(t, `SELECT count(*) FROM coaching_actions WHERE owner_id = $1 AND resource_url LIKE '%revenue-case%'`, maya); n != 1 {
		t.Errorf("%d revenue-case actions owned by Maya", n)
	}
	// The plan pages now mark both as on the plan.
	if body := string(f.as(t, "pm@demo.test", http.MethodGet, "/me/coaching", nil).Body); strings.Count(body, "on the plan") != 2 {
		t.Errorf("the plan page marks %d resources as on the plan, want 2", strings.Count(body, "on the plan"))
	}
}

// ---- mentoring ----

type mentorsOut struct {
	Data struct {
		Mentors []struct {
			ID    int64  `json:"id"`
			Name  string `json:"name"`
			Label string `json:"label"`
			Room  int    `json:"room"`
		} `json:"mentors"`
		Peers []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"peers"`
	} `json:"data"`
}

func (f *fixture) mentors(t *testing.T, email, competency string) mentorsOut {
	t.Helper()
	res := f.as(t, email, http.MethodGet, "/api/v1/mentors?competency="+competency, nil)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(string(res.Body), "level") {
		t.Errorf("mentor suggestions show levels: %s", res.Body)
	}
	var out mentorsOut
	res.JSON(t, &out)
	return out
}

func (m mentorsOut) names() (mentors, labels, peers []string) {
	for _, s := range m.Data.Mentors {
		mentors, labels = append(mentors, s.Name), append(labels, s.Label)
	}
	for _, s := range m.Data.Peers {
		peers = append(peers, s.Name)
	}
	return mentors, labels, peers
}

func (f *fixture) ask(t *testing.T, mentee, mentor, competency string) response {
	t.Helper()
	return f.as(t, mentee, http.MethodPost, "/api/v1/mentorships", map[string]any{"mentor_id": f.ids[mentor], "competency": competency, "message": "Please"})
}

func (f *fixture) mentorship(t *testing.T, mentee, mentor string) string {
	t.Helper()
	return itoa64(int64(f.count(t, `SELECT max(id) FROM mentorships WHERE mentee_id = $1 AND mentor_id = $2`, f.ids[mentee], f.ids[mentor])))
}

func TestMentorMatching(t *testing.T) {
	f := newFixture(t)
	// Delivery for Omar: Grace and Maya offer it (demo), Grace first: she shares the growth
	// tag with him. Both are labelled alike, whatever their ratings (4 and 5). Paula (4)
	// has not opted in; leaders have no ratings; HR is never suggested.
	mentors, labels, _ := f.mentors(t, "pm2@demo.test", "delivery").names()
	if want := []string{"Grace Liu", "Maya Chen"}; !slices.Equal(mentors, want) {
		t.Errorf("delivery mentors for Omar = %v, want %v", mentors, want)
	}
	if want := []string{"offers mentoring in Delivery & technical partnership", "offers mentoring in Delivery & technical partnership"}; !slices.Equal(labels, want) {
		t.Errorf("labels = %v", labels)
	}
	// Research for Ravi: Sofia offers it; Maya shares his advancement-speed spike.
	mentors, _, peers := f.mentors(t, "pm4@demo.test", "customer_research").names()
	if !slices.Equal(mentors, []string{"Sofia Lindqvist"}) || !slices.Contains(peers, "Maya Chen") || slices.Contains(peers, "Ravi Kumar") {
		t.Fatalf("research for Ravi: mentors %v, peers %v", mentors, peers)
	}

	// Maya opts out: she is no longer suggested, as a mentor or a peer, and cannot be asked.
	res := f.as(t, "pm@demo.test", http.MethodPut, "/api/v1/me/mentoring", map[string]any{"mentor_opt_out": true})
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(string(res.Body), `"mentor_opt_out":true`) {
		t.Errorf("opt-out: %s", res.Body)
	}
	if mentors, _, _ := f.mentors(t, "pm2@demo.test", "delivery").names(); slices.Contains(mentors, "Maya Chen") {
		t.Error("an opted-out mentor is suggested")
	}
	if _, _, peers := f.mentors(t, "pm4@demo.test", "customer_research").names(); slices.Contains(peers, "Maya Chen") {
		t.Error("an opted-out person is suggested as a peer")
	}
	count := func() int { return f.count(t, `SELECT count(*) FROM mentorships`) }
	before := count()
	wantField(t, f.ask(t, "pm4@demo.test", "pm@demo.test", "delivery"), http.StatusUnprocessableEntity, "mentor_id")
	// Asking yourself, HR, someone who does not offer it, an unknown competency, a long message.
	wantField(t, f.ask(t, "pm4@demo.test", "pm4@demo.test", "delivery"), http.StatusUnprocessableEntity, "mentor_id")
	wantField(t, f.ask(t, "pm4@demo.test", "hr@demo.test", "delivery"), http.StatusUnprocessableEntity, "mentor_id")
	wantField(t, f.ask(t, "pm4@demo.test", "pm3@demo.test", "delivery"), http.StatusUnprocessableEntity, "mentor_id")
	wantField(t, f.ask(t, "pm4@demo.test", "pm6@demo.test", "juggling"), http.StatusUnprocessableEntity, "competency")
	wantField(t, f.as(t, "pm4@demo.test", http.MethodPost, "/api/v1/mentorships", map[string]any{"mentor_id": f.ids["pm6@demo.test"],
		"competency": "delivery", "message": strings.Repeat("x", 1001)}), http.StatusUnprocessableEntity, "message")
	wantField(t, f.as(t, "pm4@demo.test", http.MethodPost, "/api/v1/mentorships", map[string]any{"mentor_id": f.outsider(t),
		"competency": "delivery"}), http.StatusUnprocessableEntity, "mentor_id")
	if n := count(); n != before {
		t.Fatalf("%d mentorships after refused requests, want %d", n, before)
	}
	// Opting out withdrew her offers: opting back in, she offers delivery again.
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPut, "/api/v1/me/mentoring", map[string]any{"mentor_opt_in": true, "offers": []string{"delivery"}}), http.StatusOK)
	if mentors, _, _ := f.mentors(t, "pm2@demo.test", "delivery").names(); !slices.Contains(mentors, "Maya Chen") {
		t.Error("opting back in does not bring Maya back")
	}
	wantField(t, f.as(t, "pm@demo.test", http.MethodPut, "/api/v1/me/mentoring", map[string]any{}), http.StatusUnprocessableEntity, "mentor_opt_in")
}

// Sofia can coach research and mentors Maya already (demo): two more fill her three
// places; a request beyond is refused, and ending one frees a place.
func TestMentorCapacity(t *testing.T) {
	f := newFixture(t)
	const sofia = "pm3@demo.test"
	for _, mentee := range []string{"pm4@demo.test", "pm5@demo.test", "pm6@demo.test"} {
		wantStatus(t, f.ask(t, mentee, sofia, "customer_research"), http.StatusCreated)
	}
	wantStatus(t, f.ask(t, "pm4@demo.test", sofia, "customer_research"), http.StatusConflict) // asked already
	ravi, jonas, grace := f.mentorship(t, "pm4@demo.test", sofia), f.mentorship(t, "pm5@demo.test", sofia), f.mentorship(t, "pm6@demo.test", sofia)

	// Only the mentor answers: the mentee may not, anyone else does not see it.
	wantStatus(t, f.as(t, "pm4@demo.test", http.MethodPost, "/api/v1/mentorships/"+ravi+"/accept", nil), http.StatusForbidden)
	wantStatus(t, f.as(t, "pm2@demo.test", http.MethodPost, "/api/v1/mentorships/"+ravi+"/accept", nil), http.StatusNotFound)
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodPost, "/api/v1/mentorships/"+ravi+"/end", nil), http.StatusNotFound)
	wantStatus(t, f.as(t, sofia, http.MethodPost, "/api/v1/mentorships/"+ravi+"/accept", nil), http.StatusOK)
	wantStatus(t, f.as(t, sofia, http.MethodPost, "/api/v1/mentorships/"+ravi+"/accept", nil), http.StatusConflict)
	wantStatus(t, f.as(t, sofia, http.MethodPost, "/api/v1/mentorships/"+jonas+"/accept", nil), http.StatusOK)
	// Full: Maya, Ravi and Jonas. Grace's pending request cannot be accepted; nobody can ask.
	wantStatus(t, f.as(t, sofia, http.MethodPost, "/api/v1/mentorships/"+grace+"/accept", nil), http.StatusConflict)
	wantField(t, f.ask(t, "pm2@demo.test", sofia, "customer_research"), http.StatusUnprocessableEntity, "mentor_id")
	if mentors, _, _ := f.mentors(t, "pm2@demo.test", "customer_research").names(); len(mentors) != 0 {
		t.Errorf("a full mentor is suggested: %v", mentors)
	}
	// Maya ends hers: a place is free again.
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPost, "/api/v1/mentorships/"+f.mentorship(t, "pm@demo.test", sofia)+"/end", nil), http.StatusOK)
	m := f.mentors(t, "pm2@demo.test", "customer_research")
	if len(m.Data.Mentors) != 1 || m.Data.Mentors[0].Room != 1 {
		t.Errorf("after a place is freed: %+v", m.Data.Mentors)
	}
	wantStatus(t, f.as(t, sofia, http.MethodPost, "/api/v1/mentorships/"+grace+"/accept", nil), http.StatusOK)
	// Declining and withdrawing.
	wantStatus(t, f.ask(t, "pm2@demo.test", "pm6@demo.test", "delivery"), http.StatusCreated)
	omar := f.mentorship(t, "pm2@demo.test", "pm6@demo.test")
	wantStatus(t, f.as(t, "pm6@demo.test", http.MethodPost, "/api/v1/mentorships/"+omar+"/decline", nil), http.StatusOK)
	wantStatus(t, f.as(t, "pm2@demo.test", http.MethodPost, "/api/v1/mentorships/"+omar+"/end", nil), http.StatusConflict)
	wantStatus(t, f.ask(t, "pm2@demo.test", "pm6@demo.test", "delivery"), http.StatusCreated)
	wantStatus(t, f.as(t, "pm2@demo.test", http.MethodPost, "/api/v1/mentorships/"+f.mentorship(t, "pm2@demo.test", "pm6@demo.test")+"/end", nil), http.StatusOK)

	res := f.as(t, sofia, http.MethodGet, "/api/v1/mentorships", nil)
	var out struct {
		Data struct {
			AsMentor []app.Mentorship `json:"as_mentor"`
		} `json:"data"`
	}
	res.JSON(t, &out)
	active := 0
	for _, m := range out.Data.AsMentor {
		if m.Status == app.MentorshipAccepted {
			active++
		}
	}
	if len(out.Data.AsMentor) != 4 || active != 3 {
		t.Errorf("Sofia mentors %d (%d active), want 4 (3)", len(out.Data.AsMentor), active)
	}
	// The mentor sees her mentees on her page; never their ratings.
	body := string(f.as(t, sofia, http.MethodGet, "/me/mentoring", nil).Body)
	for _, name := range []string{"Ravi Kumar", "Jonas Weber", "Grace Liu", "3 of 3"} {
		if !strings.Contains(body, name) {
			t.Errorf("Sofia's mentoring page does not show %q", name)
		}
	}
}

func TestMentoringForms(t *testing.T) {
	f := newFixture(t)
	body := string(f.as(t, "pm@demo.test", http.MethodGet, "/me/mentoring?competency=customer_research", nil).Body)
	if !strings.Contains(body, "Sofia Lindqvist") || !strings.Contains(body, "your mentor") || !strings.Contains(body, "Omar Haddad") {
		t.Error("Maya's mentoring page misses her mentor or her pending mentee")
	}
	res := f.form(t, "pm@demo.test", "/me/mentoring/requests", url.Values{"mentor_id": {itoa64(f.ids["pm@demo.test"])}, "competency": {"delivery"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "You cannot be your own mentor.") {
		t.Fatalf("asking yourself: %d", res.Status)
	}
	res = f.form(t, "pm4@demo.test", "/me/mentoring/requests", url.Values{"mentor_id": {itoa64(f.ids["pm6@demo.test"])}, "competency": {"delivery"}, "message": {"Hi"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/me/mentoring?competency=delivery&done=asked#mine" {
		t.Fatalf("ask: %d %s", res.Status, res.Header.Get("Location"))
	}
	wantStatus(t, f.form(t, "pm@demo.test", "/mentorships/"+f.mentorship(t, "pm2@demo.test", "pm@demo.test")+"/accept", url.Values{}), http.StatusSeeOther)
	if f.count(t, `SELECT count(*) FROM mentorships WHERE mentor_id = $1 AND status = 'accepted'`, f.ids["pm@demo.test"]) != 1 {
		t.Error("the accept form did not accept")
	}
	// The profile's form: Ravi (not opted in) opts in offering analytics, the one
	// competency he is rated 3 in; the others are not on offer to him.
	ravi := f.ids["pm4@demo.test"]
	profile := string(f.as(t, "pm4@demo.test", http.MethodGet, "/me/profile", nil).Body)
	if strings.Contains(profile, `name="mentor_opt_in" value="1" checked`) || !strings.Contains(profile, `name="offers" value="delivery" disabled`) {
		t.Error("the profile does not show Ravi's consent form as not opted in, delivery not on offer")
	}
	res = f.form(t, "pm4@demo.test", "/me/mentoring", url.Values{"mentor_opt_in": {"1"}, "offers": {"analytics"}, "next": {"/me/profile#mentoring"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/me/profile?done=mentoring#mentoring" {
		t.Fatalf("opt-in form: %d %s", res.Status, res.Header.Get("Location"))
	}
	profile = string(f.as(t, "pm4@demo.test", http.MethodGet, "/me/profile", nil).Body)
	if !strings.Contains(profile, `name="mentor_opt_in" value="1" checked`) || !strings.Contains(profile, `name="offers" value="analytics" checked`) {
		t.Error("the profile does not show the opt-in and the offer")
	}
	// An offer he may not make comes back on the profile, naming it; nothing changes.
	res = f.form(t, "pm4@demo.test", "/me/mentoring", url.Values{"mentor_opt_in": {"1"}, "offers": {"analytics", "delivery"}, "next": {"/me/profile#mentoring"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "you are not in Delivery &amp; technical partnership") {
		t.Fatalf("an offer under the minimum: %d", res.Status)
	}
	if n := f.count(t, `SELECT count(*) FROM mentor_offers WHERE user_id = $1`, ravi); n != 1 {
		t.Errorf("%d offers after a refused form, want 1", n)
	}
	// Unticking the box opts out, whatever is ticked below.
	wantStatus(t, f.form(t, "pm4@demo.test", "/me/mentoring", url.Values{"offers": {"analytics"}, "next": {"/me/mentoring"}}), http.StatusSeeOther)
	if f.count(t, `SELECT count(*) FROM mentor_consents WHERE user_id = $1 AND opted_in`, ravi) != 0 ||
		f.count(t, `SELECT count(*) FROM mentor_offers WHERE user_id = $1`, ravi) != 0 {
		t.Error("unticking does not opt out")
	}
}
