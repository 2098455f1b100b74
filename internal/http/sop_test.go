package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/sops"
)

// firstSOP is the id of the first demo SOP (a Growth one), for the route walk.
func (f *fixture) firstSOP() int64 {
	var id int64
	f.db.Get(&id, `SELECT COALESCE(min(id), 1) FROM sops`) //nolint:errcheck
	return id
}

// sopID finds a demo SOP by title.
func (f *fixture) sopID(t *testing.T, title string) int64 {
	t.Helper()
	var id int64
	if err := f.db.Get(&id, `SELECT s.id FROM sops s JOIN sop_revisions r ON r.sop_id = s.id AND r.revision = s.revision WHERE r.title = $1`, title); err != nil {
		t.Fatalf("SOP %q: %v", title, err)
	}
	return id
}

// staffingRow is the staffing check's row as the tests decode it (dashboard_test.go too).
type staffingRow = sops.StaffingRow

func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Get(&n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// sopJSON is an SOP as the API returns it.
type sopJSON struct {
	ID              int64               `json:"id"`
	TeamID          int64               `json:"team_id"`
	Revision        int                 `json:"revision"`
	Category        string              `json:"category"`
	Title           string              `json:"title"`
	Purpose         string              `json:"purpose"`
	OwnerID         *int64              `json:"owner_id"`
	OwnerName       string              `json:"owner_name"`
	Steps           []string            `json:"steps"`
	ReviewEveryDays int                 `json:"review_every_days"`
	Maturity        string              `json:"maturity"`
	Competencies    []app.SOPCompetency `json:"competencies"`
	Handshakes      []app.SOPHandshake  `json:"handshakes"`
	NextReviewOn    time.Time           `json:"next_review_on"`
	LastReviewedAt  *time.Time          `json:"last_reviewed_at"`
	LastReviewedBy  string              `json:"last_reviewed_by"`
	ReviewStatus    string              `json:"review_status"`
	Staffing        *sops.Staffing      `json:"staffing"`
}

func decodeSOP(t *testing.T, r response) sopJSON {
	t.Helper()
	var env struct{ Data sopJSON }
	r.JSON(t, &env)
	return env.Data
}

// newSOPBody is a valid SOP for the Growth team, owned by its leader.
func (f *fixture) newSOPBody() map[string]any {
	return map[string]any{
		"category": "intake", "title": "Triage", "purpose": "Decide fast.", "owner_id": f.ids["leader@demo.test"],
		"trigger": "Mondays", "steps": []string{"Collect", "Score", "Decide"}, "outputs": "Decisions",
		"decision_rights": "PM decides", "escalation": "Leader", "metrics": "Time to decision",
		"review_every_days": 30, "maturity": "draft",
		"competencies": []map[string]any{{"competency": "analytics", "level": 3}},
		"handshakes":   []map[string]any{{"partner": "engineering", "purpose": "Sizing", "expectations": "Tech lead joins", "contact": "#eng"}},
	}
}

func (f *fixture) createSOP(t *testing.T, email string, body map[string]any) sopJSON {
	t.Helper()
	res := f.as(t, email, http.MethodPost, "/api/v1/teams/"+itoa64(f.ids["team:Growth"])+"/sops", body)
	wantStatus(t, res, http.StatusCreated)
	return decodeSOP(t, res)
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func TestSOPRevisionsAndRestore(t *testing.T) {
	f := newFixture(t)
	sop := f.createSOP(t, "leader@demo.test", f.newSOPBody())
	if sop.Revision != 1 || sop.Title != "Triage" || sop.OwnerName != "Lena Leader" || len(sop.Steps) != 3 {
		t.Fatalf("created %+v", sop)
	}
	if want := app.Day(time.Now()).AddDate(0, 0, 30); day(sop.NextReviewOn) != day(want) || sop.ReviewStatus != app.SOPReviewOK {
		t.Errorf("next review %s (%s), want %s (ok)", day(sop.NextReviewOn), sop.ReviewStatus, day(want))
	}
	path := "/api/v1/sops/" + itoa64(sop.ID)

	// A PUT sends back the whole SOP as GET gave it, read-only fields included.
	res := f.as(t, "leader@demo.test", http.MethodGet, path, nil)
	wantStatus(t, res, http.StatusOK)
	var doc map[string]any
	res.JSON(t, &doc)
	body := doc["data"].(map[string]any)
	body["title"] = "Weekly triage"
	body["steps"] = []string{"Collect", "Size with engineering", "Decide"}
	res = f.as(t, "admin@demo.test", http.MethodPut, path, body)
	wantStatus(t, res, http.StatusOK)
	if got := decodeSOP(t, res); got.Revision != 2 || got.Title != "Weekly triage" {
		t.Fatalf("after PUT: %+v", got)
	}

	res = f.as(t, "pm@demo.test", http.MethodGet, path+"/revisions", nil)
	wantStatus(t, res, http.StatusOK)
	var revs struct{ Data []app.SOPRevision }
	res.JSON(t, &revs)
	if len(revs.Data) != 2 || revs.Data[0].Revision != 2 || revs.Data[1].Revision != 1 {
		t.Fatalf("revisions %+v", revs.Data)
	}
	if got := strings.Join(revs.Data[0].Changed, ","); got != "title,steps" || revs.Data[0].AuthorName != "Alex Admin" {
		t.Errorf("revision 2 changed %q by %q, want title,steps by Alex Admin", got, revs.Data[0].AuthorName)
	}

	// Revision 1 and how the current one differs from it, field by field and line by line.
	res = f.as(t, "leader@demo.test", http.MethodGet, path+"/revisions/1", nil)
	wantStatus(t, res, http.StatusOK)
	var rv struct {
		Data struct {
			Revision app.SOPRevision `json:"revision"`
			Diff     []app.SOPChange `json:"diff_to_current"`
		}
	}
	res.JSON(t, &rv)
	if rv.Data.Revision.Title != "Triage" || len(rv.Data.Diff) != 2 {
		t.Fatalf("revision 1: %+v", rv.Data)
	}
	steps := rv.Data.Diff[1]
	wantLines := []app.DiffLine{{Op: " ", Text: "Collect"}, {Op: "-", Text: "Score"}, {Op: "+", Text: "Size with engineering"}, {Op: " ", Text: "Decide"}}
	if steps.Field != "steps" || fmt.Sprint(steps.Lines) != fmt.Sprint(wantLines) {
		t.Errorf("steps diff %+v, want %+v", steps.Lines, wantLines)
	}

	// Restoring revision 1 adds revision 3 with its content; nothing is lost.
	res = f.as(t, "leader@demo.test", http.MethodPost, path+"/revisions/1/restore", map[string]any{"revision": 2})
	wantStatus(t, res, http.StatusCreated)
	if got := decodeSOP(t, res); got.Revision != 3 || got.Title != "Triage" || got.Steps[1] != "Score" {
		t.Fatalf("after restore: %+v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM sop_revisions WHERE sop_id = $1`, sop.ID); n != 3 {
		t.Errorf("%d revisions stored, want 3", n)
	}
	var from *int
	if err := f.db.Get(&from, `SELECT restored_from FROM sop_revisions WHERE sop_id = $1 AND revision = 3`, sop.ID); err != nil || from == nil || *from != 1 {
		t.Errorf("revision 3 restored_from %v (%v), want 1", from, err)
	}
	// A stale restore is refused like a stale edit.
	res = f.as(t, "leader@demo.test", http.MethodPost, path+"/revisions/2/restore", map[string]any{"revision": 2})
	wantStatus(t, res, http.StatusConflict)
	res = f.as(t, "leader@demo.test", http.MethodPost, path+"/revisions/9/restore", nil)
	wantStatus(t, res, http.StatusNotFound)
}

func TestSOPConcurrentEdits(t *testing.T) {
	f := newFixture(t)
	sop := f.createSOP(t, "leader@demo.test", f.newSOPBody())
	path := "/api/v1/sops/" + itoa64(sop.ID)
	edit := func(title string) map[string]any {
		b := f.newSOPBody()
		b["title"], b["revision"] = title, 1
		return b
	}
	// Two leaders opened revision 1; the second save is refused with a clear message.
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodPut, path, edit("Lena's title")), http.StatusOK)
	res := f.as(t, "admin@demo.test", http.MethodPut, path, edit("Alex's title"))
	wantStatus(t, res, http.StatusConflict)
	var e struct {
		Error struct{ Code, Message, Field string }
	}
	res.JSON(t, &e)
	if e.Error.Field != "revision" || !strings.Contains(e.Error.Message, "Lena Leader saved revision 2") || !strings.Contains(e.Error.Message, "revision 1") {
		t.Errorf("conflict: %+v", e.Error)
	}
	got := decodeSOP(t, f.as(t, "leader@demo.test", http.MethodGet, path, nil))
	if got.Revision != 2 || got.Title != "Lena's title" {
		t.Errorf("after the conflict: revision %d %q, want 2 \"Lena's title\"", got.Revision, got.Title)
	}

	// Many saves based on the same revision at once: exactly one lands.
	tokens := []string{f.token(t, "leader@demo.test"), f.token(t, "admin@demo.test")}
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b := edit(fmt.Sprintf("racer %d", i))
			b["revision"] = 2
			statuses[i] = f.do(t, http.MethodPut, path, tokens[i%2], b).Status
		}(i)
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	if ok != 1 || conflict != n-1 {
		t.Errorf("statuses %v: %d saved, %d conflicts; want 1 and %d", statuses, ok, conflict, n-1)
	}
	if c := f.count(t, `SELECT count(*) FROM sop_revisions WHERE sop_id = $1`, sop.ID); c != 3 {
		t.Errorf("%d revisions, want 3", c)
	}
	// A PUT without the revision it was based on is refused.
	b := f.newSOPBody()
	res = f.as(t, "leader@demo.test", http.MethodPut, path, b)
	wantStatus(t, res, http.StatusUnprocessableEntity)
}

func TestSOPAccessByRole(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])
	board := "/api/v1/teams/" + growth + "/sops"
	backlog := f.sopID(t, "Backlog refinement with engineering")
	sopPath := "/api/v1/sops/" + itoa64(backlog)

	// Leaders see the board, every SOP and the staffing check with names.
	res := f.as(t, "leader@demo.test", http.MethodGet, board, nil)
	wantStatus(t, res, http.StatusOK)
	var lb struct {
		Data struct {
			Summary []sops.Category `json:"summary"`
			SOPs    []sopJSON       `json:"sops"`
			Due     []sopJSON       `json:"due"`
		}
	}
	res.JSON(t, &lb)
	if len(lb.Data.Summary) != 7 || len(lb.Data.SOPs) != 7 {
		t.Fatalf("leader board: %d categories, %d SOPs", len(lb.Data.Summary), len(lb.Data.SOPs))
	}
	doc := decodeSOP(t, f.as(t, "leader@demo.test", http.MethodGet, sopPath, nil))
	if doc.Staffing == nil || len(doc.Staffing.SinglePoints) != 1 || doc.Staffing.SinglePoints[0].Name != "Maya Chen" {
		t.Errorf("leader staffing: %+v", doc.Staffing)
	}

	// A PM of the team reads everything but names in the staffing check, and cannot write.
	res = f.as(t, "pm@demo.test", http.MethodGet, sopPath, nil)
	wantStatus(t, res, http.StatusOK)
	doc = decodeSOP(t, res)
	if doc.Title != "Backlog refinement with engineering" || doc.Staffing == nil || doc.Staffing.Status != "fragile" {
		t.Errorf("pm view: %+v", doc)
	}
	if len(doc.Staffing.SinglePoints) != 0 || strings.Contains(string(res.Body), "single_points") || strings.Contains(string(res.Body), `"people"`) {
		t.Errorf("a PM sees who holds a competency: %s", res.Body)
	}
	for _, c := range doc.Staffing.Competencies {
		if c.People != nil {
			t.Errorf("a PM sees names for %s", c.Competency)
		}
	}
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodGet, board, nil), http.StatusOK)
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPut, sopPath, f.newSOPBody()), http.StatusForbidden)
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPost, sopPath+"/review", nil), http.StatusForbidden)

	// HR sees the summary and the handshakes with HR: no titles, no other handshake, no SOP.
	res = f.as(t, "hr@demo.test", http.MethodGet, board, nil)
	wantStatus(t, res, http.StatusOK)
	var hb struct {
		Data map[string]json.RawMessage
	}
	res.JSON(t, &hb)
	if _, ok := hb.Data["sops"]; ok {
		t.Errorf("HR gets the SOPs: %s", res.Body)
	}
	var hs []sops.HRHandshake
	if err := json.Unmarshal(hb.Data["hr_handshakes"], &hs); err != nil || len(hs) != 1 || hs[0].Partner != "hr" || hs[0].Category != "scaling" {
		t.Errorf("HR handshakes %+v (%v)", hs, err)
	}
	var summary []sops.Category
	json.Unmarshal(hb.Data["summary"], &summary) //nolint:errcheck
	if len(summary) != 7 || summary[0].Category != "intake" || summary[0].Counts["adopted"] != 1 || !summary[0].InUse || summary[1].InUse {
		t.Errorf("HR summary %+v", summary)
	}
	for _, secret := range []string{"Weekly intake triage", "Backlog refinement", "FP&A", "Tech lead", "Maya"} {
		if strings.Contains(string(res.Body), secret) {
			t.Errorf("HR board holds %q", secret)
		}
	}
	page := f.as(t, "hr@demo.test", http.MethodGet, "/teams/"+growth+"/sops", nil)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.Body), "Requisitions and interview loops") || strings.Contains(string(page.Body), "Weekly intake triage") {
		t.Errorf("HR board page shows the wrong things")
	}
	wantStatus(t, f.as(t, "hr@demo.test", http.MethodGet, sopPath, nil), http.StatusForbidden)

	// Outside the team: nothing, not even existence.
	for _, email := range []string{"other-leader@demo.test", "other-pm@demo.test"} {
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, board}, {http.MethodGet, sopPath}, {http.MethodGet, sopPath + "/revisions"},
			{http.MethodGet, sopPath + "/revisions/1"}, {http.MethodPut, sopPath}, {http.MethodPost, sopPath + "/review"},
			{http.MethodPost, sopPath + "/revisions/1/restore"}, {http.MethodPost, board},
			{http.MethodGet, "/sops/" + itoa64(backlog)}, {http.MethodGet, "/teams/" + growth + "/sops"},
		} {
			res := f.as(t, email, r.method, r.path, f.newSOPBody())
			refused := res.Status == http.StatusForbidden && strings.Contains(string(res.Body), "Your role cannot use this")
			if res.Status != http.StatusNotFound && !refused {
				t.Errorf("%s %s %s: %d, want 404", email, r.method, r.path, res.Status)
			}
		}
	}
	res = f.as(t, "other-leader@demo.test", http.MethodGet, "/api/v1/sops/due", nil)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(string(res.Body), "Growth") {
		t.Errorf("another team's leader sees Growth's due SOPs: %s", res.Body)
	}
	if n := f.count(t, `SELECT count(*) FROM sop_revisions`); n != 8 {
		t.Errorf("%d revisions after refused writes, want the 8 of the demo", n)
	}
}

func TestSOPBadInput(t *testing.T) {
	f := newFixture(t)
	growth := "/api/v1/teams/" + itoa64(f.ids["team:Growth"]) + "/sops"
	tests := []struct {
		name  string
		set   func(b map[string]any)
		field string
	}{
		{"unknown category", func(b map[string]any) { b["category"] = "marketing" }, "category"},
		{"empty title", func(b map[string]any) { b["title"] = "   " }, "title"},
		{"owner outside the team", func(b map[string]any) { b["owner_id"] = f.ids["other-pm@demo.test"] }, "owner_id"},
		{"HR partner as owner", func(b map[string]any) { b["owner_id"] = f.ids["hr@demo.test"] }, "owner_id"},
		{"zero cadence", func(b map[string]any) { b["review_every_days"] = 0 }, "review_every_days"},
		{"negative cadence", func(b map[string]any) { b["review_every_days"] = -5 }, "review_every_days"},
		{"cadence over two years", func(b map[string]any) { b["review_every_days"] = 731 }, "review_every_days"},
		{"unknown maturity", func(b map[string]any) { b["maturity"] = "mature" }, "maturity"},
		{"unknown competency", func(b map[string]any) {
			b["competencies"] = []map[string]any{{"competency": "analytics", "level": 3}, {"competency": "juggling", "level": 3}}
		}, "competencies[1].competency"},
		{"level 0", func(b map[string]any) { b["competencies"] = []map[string]any{{"competency": "analytics", "level": 0}} }, "competencies[0].level"},
		{"level 6", func(b map[string]any) { b["competencies"] = []map[string]any{{"competency": "analytics", "level": 6}} }, "competencies[0].level"},
		{"competency twice", func(b map[string]any) {
			b["competencies"] = []map[string]any{{"competency": "analytics", "level": 3}, {"competency": "analytics", "level": 4}}
		}, "competencies[1].competency"},
		{"unknown partner", func(b map[string]any) {
			b["handshakes"] = []map[string]any{{"partner": "procurement", "purpose": "x"}}
		}, "handshakes[0].partner"},
		{"handshake without purpose", func(b map[string]any) {
			b["handshakes"] = []map[string]any{{"partner": "hr", "purpose": ""}}
		}, "handshakes[0].purpose"},
		{"steps not a list", func(b map[string]any) { b["steps"] = "one" }, "steps"},
	}
	before := f.count(t, `SELECT count(*) FROM sop_revisions`)
	existing := "/api/v1/sops/" + itoa64(f.firstSOP())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := f.newSOPBody()
			tt.set(b)
			res := f.as(t, "leader@demo.test", http.MethodPost, growth, b)
			checkInvalid(t, res, tt.field)
			b["revision"] = 1 // the same on an edit
			res = f.as(t, "leader@demo.test", http.MethodPut, existing, b)
			checkInvalid(t, res, tt.field)
		})
	}
	res := f.as(t, "leader@demo.test", http.MethodPost, growth, `{"title":"x","colour":"red"}`)
	wantStatus(t, res, http.StatusBadRequest)
	if after := f.count(t, `SELECT count(*) FROM sop_revisions`); after != before {
		t.Errorf("%d revisions stored by bad input", after-before)
	}
}

func checkInvalid(t *testing.T, res response, field string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message, Field string }
	}
	res.JSON(t, &e)
	if res.Status != http.StatusUnprocessableEntity || e.Error.Field != field || e.Error.Message == "" {
		t.Errorf("status %d field %q (%s), want 422 naming %q", res.Status, e.Error.Field, e.Error.Message, field)
	}
}

func TestSOPMarkdownIsInert(t *testing.T) {
	f := newFixture(t)
	b := f.newSOPBody()
	b["purpose"] = "Fine **bold** <script>alert('purpose')</script> and [click me](javascript:alert(1))"
	b["steps"] = []string{`<img src=x onerror="alert(2)">Collect`, "[docs](JAVASCRIPT:alert(3)) and [ok](https://example.com/doc)"}
	b["escalation"] = "<a href=\"javascript:alert(4)\">boss</a>\n\n<iframe src=\"https://evil.test\"></iframe>"
	b["handshakes"] = []map[string]any{{"partner": "hr", "purpose": "<script>alert(5)</script>", "expectations": "", "contact": ""}}
	sop := f.createSOP(t, "leader@demo.test", b)
	// The SOP page renders the Markdown: no raw HTML, no script link, even as text.
	res := f.as(t, "leader@demo.test", http.MethodGet, "/sops/"+itoa64(sop.ID), nil)
	wantStatus(t, res, http.StatusOK)
	body := string(res.Body)
	for _, bad := range []string{"<script>alert", "javascript:", "JAVASCRIPT:", "onerror=", "<iframe", "<img", `<a href="">`} {
		if strings.Contains(body, bad) {
			t.Errorf("SOP page holds %q", bad)
		}
	}
	for _, good := range []string{"<strong>bold</strong>", "click me", `<a href="https://example.com/doc">ok</a>`, "&lt;script&gt;alert(5)&lt;/script&gt;"} {
		if !strings.Contains(body, good) {
			t.Errorf("SOP page lacks %q", good)
		}
	}
	// The editor shows the source as escaped text.
	res = f.as(t, "leader@demo.test", http.MethodGet, "/sops/"+itoa64(sop.ID)+"/edit", nil)
	wantStatus(t, res, http.StatusOK)
	body = string(res.Body)
	for _, bad := range []string{"<script>alert", "<img", "<iframe", `<a href="javascript`} {
		if strings.Contains(body, bad) {
			t.Errorf("editor holds %q", bad)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(&#39;purpose&#39;)&lt;/script&gt;") {
		t.Errorf("editor lacks the escaped purpose")
	}
}

func TestSOPReviewCadence(t *testing.T) {
	f := newFixture(t)
	today := app.Day(time.Now())
	sop := f.createSOP(t, "leader@demo.test", f.newSOPBody()) // cadence 30: due on today + 30
	path := "/api/v1/sops/" + itoa64(sop.ID)
	setNext := func(d time.Time) {
		t.Helper()
		if _, err := f.db.Exec(`UPDATE sops SET next_review_on = $2 WHERE id = $1`, sop.ID, d); err != nil {
			t.Fatal(err)
		}
	}
	status := func() string {
		t.Helper()
		return decodeSOP(t, f.as(t, "pm@demo.test", http.MethodGet, path, nil)).ReviewStatus
	}
	for _, c := range []struct {
		days int
		want string
	}{{-1, "overdue"}, {0, "due"}, {14, "due"}, {15, "ok"}} {
		setNext(today.AddDate(0, 0, c.days))
		if got := status(); got != c.want {
			t.Errorf("review in %d days: %q, want %q", c.days, got, c.want)
		}
	}

	// The due list: the caller's teams, next review within 30 days or overdue, soonest first.
	setNext(today.AddDate(0, 0, 20))
	var due struct{ Data []sopJSON }
	res := f.as(t, "pm@demo.test", http.MethodGet, "/api/v1/sops/due", nil)
	wantStatus(t, res, http.StatusOK)
	res.JSON(t, &due)
	var titles []string
	for _, d := range due.Data {
		titles = append(titles, d.Title)
	}
	// Demo: the metrics review is overdue (10 days ago), the feedback loop due in 10 days.
	if got := strings.Join(titles, " | "); got != "Monthly product metrics review | Customer feedback loop | Triage" {
		t.Errorf("due list %q", got)
	}
	setNext(today.AddDate(0, 0, 31))
	res = f.as(t, "leader@demo.test", http.MethodGet, "/api/v1/sops/due", nil)
	if strings.Contains(string(res.Body), `"Triage"`) {
		t.Errorf("an SOP due in 31 days is listed")
	}

	// Changing the cadence moves the next review by the difference.
	b := f.newSOPBody()
	b["review_every_days"], b["revision"] = 60, 1
	got := decodeSOP(t, f.as(t, "leader@demo.test", http.MethodPut, path, b))
	if day(got.NextReviewOn) != day(today.AddDate(0, 0, 61)) {
		t.Errorf("after cadence 30 → 60: next review %s, want %s", day(got.NextReviewOn), day(today.AddDate(0, 0, 61)))
	}

	// Mark reviewed: last reviewed now, next review today + cadence.
	setNext(today.AddDate(0, 0, -3))
	res = f.as(t, "leader@demo.test", http.MethodPost, path+"/review", nil)
	wantStatus(t, res, http.StatusOK)
	got = decodeSOP(t, res)
	if day(got.NextReviewOn) != day(today.AddDate(0, 0, 60)) || got.LastReviewedAt == nil || got.LastReviewedBy != "Lena Leader" || got.ReviewStatus != "ok" || got.Revision != 2 {
		t.Errorf("after review: %+v", got)
	}
}

func TestSOPStaffingOnDemoTeam(t *testing.T) {
	// Growth members' leader ratings (internal/demo): specification ≥ 4 is Maya (5) alone;
	// delivery ≥ 3 is Maya, Jonas, Grace; analytics ≥ 4 is Jonas alone; business outcomes ≥ 4
	// is nobody; business outcomes ≥ 3 and stakeholder partnership ≥ 3 have 3 and 5 people.
	f := newFixture(t)
	for _, c := range []struct {
		title, status string
		counts        []int
		sole          string
	}{
		{"Weekly intake triage", "staffed", []int{3, 5}, ""},
		{"Backlog refinement with engineering", "fragile", []int{1, 3}, "Maya Chen"},
		{"Monthly product metrics review", "unstaffed", []int{1, 0}, "Jonas Weber"},
		{"Hiring and onboarding a PM", "fragile", []int{1, 1}, "Grace Liu"}, // leads-only: Grace is the one lead
	} {
		doc := decodeSOP(t, f.as(t, "leader@demo.test", http.MethodGet, "/api/v1/sops/"+itoa64(f.sopID(t, c.title)), nil))
		st := doc.Staffing
		var counts []int
		for _, r := range st.Competencies {
			counts = append(counts, r.Count)
		}
		sole := ""
		if len(st.SinglePoints) > 0 {
			sole = st.SinglePoints[0].Name
		}
		if st.Status != c.status || fmt.Sprint(counts) != fmt.Sprint(c.counts) || sole != c.sole || len(st.SinglePoints) > 1 {
			t.Errorf("%s: %s %v sole %+v, want %s %v %s", c.title, st.Status, counts, st.SinglePoints, c.status, c.counts, c.sole)
		}
	}
}

func TestSOPPages(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])
	res := f.as(t, "leader@demo.test", http.MethodGet, "/teams/"+growth+"/sops", nil)
	wantStatus(t, res, http.StatusOK)
	body := string(res.Body)
	for _, want := range []string{"Operating model", "Weekly intake triage", "no SOP in use", "Review overdue", "New SOP"} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	form := func(vals url.Values) string { return vals.Encode() }
	post := func(path, body string) response {
		return f.do(t, http.MethodPost, path, f.token(t, "leader@demo.test"), body, "Content-Type", "application/x-www-form-urlencoded")
	}
	vals := url.Values{
		"category": {"backlog"}, "title": {"Bug triage"}, "maturity": {"draft"}, "review_every_days": {"45"},
		"owner_id": {itoa64(f.ids["pm2@demo.test"])}, "steps": {"Read new bugs\r\n\r\nLabel severity\r\n"},
		"competency": {"delivery", "", ""}, "level": {"3", "", ""},
		"hs_partner": {"engineering", ""}, "hs_purpose": {"On-call hand-off", ""}, "hs_expectations": {"", ""}, "hs_contact": {"", ""},
	}
	res = post("/teams/"+growth+"/sops", form(vals))
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sops/") {
		t.Fatalf("create by form: %d %s", res.Status, res.Body)
	}
	id := f.sopID(t, "Bug triage")
	doc := decodeSOP(t, f.as(t, "leader@demo.test", http.MethodGet, "/api/v1/sops/"+itoa64(id), nil))
	if strings.Join(doc.Steps, "|") != "Read new bugs|Label severity" || len(doc.Competencies) != 1 || len(doc.Handshakes) != 1 || doc.ReviewEveryDays != 45 {
		t.Errorf("stored from the form: %+v", doc)
	}

	// A bad form is shown again with the message and what was typed.
	vals.Set("review_every_days", "0")
	vals.Set("title", "Bug triage v2")
	res = post("/sops/"+itoa64(id)+"/edit", form(vals)+"&revision=1")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(string(res.Body), "Review cadence must be 1 to 730 days") || !strings.Contains(string(res.Body), `value="Bug triage v2"`) {
		t.Errorf("invalid form page: %s", res.Body)
	}
	// A stale form keeps the text and says who saved in between.
	vals.Set("review_every_days", "45")
	wantStatus(t, post("/sops/"+itoa64(id)+"/edit", form(vals)+"&revision=1"), http.StatusSeeOther)
	vals.Set("title", "My stale edit")
	res = post("/sops/"+itoa64(id)+"/edit", form(vals)+"&revision=1")
	wantStatus(t, res, http.StatusConflict)
	for _, want := range []string{"someone else changed this SOP", "Lena Leader saved revision 2", `value="My stale edit"`, `name="revision" value="2"`} {
		if !strings.Contains(string(res.Body), want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	for _, p := range []string{"/sops/" + itoa64(id), "/sops/" + itoa64(id) + "/edit", "/sops/" + itoa64(id) + "/revisions/1", "/teams/" + growth + "/sops/new"} {
		wantStatus(t, f.as(t, "leader@demo.test", http.MethodGet, p, nil), http.StatusOK)
	}
	res = f.as(t, "pm@demo.test", http.MethodGet, "/sops/"+itoa64(id), nil)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(string(res.Body), ">Edit<") || strings.Contains(string(res.Body), "Mark reviewed") {
		t.Errorf("a PM is offered editing")
	}
}
