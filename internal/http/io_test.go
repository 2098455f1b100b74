package http

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"math/rand/v2"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/transfer"
)

// multipartBody builds a form with the fields and, if file is not nil, the file "file".
func multipartBody(t *testing.T, file []byte, fields ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := w.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		fw, err := w.CreateFormFile("file", "matrix.csv")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file) //nolint:errcheck
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

func (f *fixture) csv(t *testing.T, email, path string, body []byte) response {
	t.Helper()
	return f.do(t, "POST", path, f.token(t, email), body, "Content-Type", "text/csv")
}

func (f *fixture) upload(t *testing.T, email, path string, file []byte, fields ...string) response {
	t.Helper()
	body, ct := multipartBody(t, file, fields...)
	return f.do(t, "POST", path, f.token(t, email), body, "Content-Type", ct)
}

type previewJSON struct {
	Data struct {
		OK       bool                `json:"ok"`
		Hash     string              `json:"hash"`
		Summary  app.ImportSummary   `json:"summary"`
		Problems []app.ImportProblem `json:"problems"`
	} `json:"data"`
}

func TestImportAPI(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])
	file := []byte("\ufeffemail,name,title,background,team,specification,delivery\n" +
		"pm@demo.test,,,,,4,\n" + // Maya: specification 5 → 4
		"newbie@demo.test,\"Newbie, Nora\",apm,qa,Growth,2,1\n")
	q := "/api/v1/imports/preview?team_id=" + growth
	// The file adds a person: an admin imports it into the team (a leader may not create
	// accounts, see TestOnlyAdminsCreateAccounts).
	importer := "admin@demo.test"

	res := f.csv(t, importer, q, file)
	wantStatus(t, res, 200)
	var p previewJSON
	res.JSON(t, &p)
	want := app.ImportSummary{Rows: 2, NewPeople: 1, NewMemberships: 1, RatingChanges: 3}
	if !p.Data.OK || p.Data.Summary != want || p.Data.Hash != transfer.Hash(file) {
		t.Fatalf("preview: %s", res.Body)
	}
	// The same preview from a multipart upload with the team in the form.
	res = f.upload(t, importer, "/api/v1/imports/preview", file, "team_id", growth)
	var p2 previewJSON
	res.JSON(t, &p2)
	if res.Status != 200 || p2.Data.Hash != p.Data.Hash || p2.Data.Summary != want {
		t.Fatalf("multipart preview: %d %s", res.Status, res.Body)
	}
	ratingsBefore, usersBefore := f.count(t, `SELECT count(*) FROM ratings`), f.count(t, `SELECT count(*) FROM users`)

	// A confirm without the hash, or with another file's, stores nothing.
	wantField(t, f.csv(t, importer, "/api/v1/imports?team_id="+growth, file), 422, "hash")
	wantField(t, f.csv(t, importer, "/api/v1/imports?team_id="+growth+"&hash="+transfer.Hash([]byte("x")), file), 409, "hash")
	if f.count(t, `SELECT count(*) FROM ratings`) != ratingsBefore || f.count(t, `SELECT count(*) FROM users`) != usersBefore {
		t.Fatal("a refused confirm stored something")
	}

	res = f.upload(t, importer, "/api/v1/imports", file, "team_id", growth, "hash", p.Data.Hash)
	wantStatus(t, res, 201)
	var done struct {
		Data app.ImportResult `json:"data"`
	}
	res.JSON(t, &done)
	if done.Data.Summary != want || len(done.Data.Credentials) != 1 || done.Data.Credentials[0].Name != "Newbie, Nora" ||
		len(done.Data.Credentials[0].OneTimePassword) < 20 {
		t.Fatalf("import: %s", res.Body)
	}
	if got := f.count(t, `SELECT count(*) FROM ratings WHERE note = 'imported' AND rater_id = $1`, f.ids[importer]); got != 3 {
		t.Errorf("imported ratings: %d", got)
	}
	// The same file again changes nothing.
	res = f.csv(t, importer, "/api/v1/imports?team_id="+growth+"&hash="+p.Data.Hash, file)
	res.JSON(t, &done)
	if res.Status != 201 || done.Data.Summary.RatingChanges != 0 || done.Data.Summary.NewPeople != 0 {
		t.Fatalf("second import: %s", res.Body)
	}

	// Problems: listed by row and column in the preview; the import refuses with all of them.
	bad := []byte("email,name,specification,coaching,speling\npm@demo.test,,=cmd|' /C calc'!A0,3,\npm@demo.test,,,,\nother-pm@demo.test,,2,,\n")
	res = f.csv(t, "leader@demo.test", q, bad)
	res.JSON(t, &p)
	if res.Status != 200 || p.Data.OK || p.Data.Summary.Problems != 5 {
		t.Fatalf("problems preview: %s", res.Body)
	}
	wantProblems := []app.ImportProblem{
		{Row: 1, Column: "speling"}, {Row: 2, Column: "specification"}, {Row: 2, Column: "coaching"},
		{Row: 3, Column: "email"}, {Row: 4, Column: "email"}}
	for i, w := range wantProblems {
		if got := p.Data.Problems[i]; got.Row != w.Row || got.Column != w.Column || got.Message == "" {
			t.Errorf("problem %d: %+v, want row %d column %s", i, got, w.Row, w.Column)
		}
	}
	res = f.csv(t, "leader@demo.test", "/api/v1/imports?team_id="+growth+"&hash="+p.Data.Hash, bad)
	var refused struct {
		Error struct {
			Code, Field string
			Problems    []app.ImportProblem
		}
	}
	res.JSON(t, &refused)
	if res.Status != 422 || refused.Error.Field != "row 1, column speling" || len(refused.Error.Problems) != 5 {
		t.Fatalf("import with problems: %d %s", res.Status, res.Body)
	}

	// Access: a team the leader does not lead is not found; a leader must name a team; a PM
	// and HR cannot import at all.
	wantStatus(t, f.csv(t, "other-leader@demo.test", q, file), 404)
	wantField(t, f.csv(t, "leader@demo.test", "/api/v1/imports/preview", file), 422, "team_id")
	wantField(t, f.csv(t, "leader@demo.test", "/api/v1/imports/preview?team_id=abc", file), 422, "team_id")
	wantStatus(t, f.csv(t, "pm@demo.test", q, file), 403)
	wantStatus(t, f.csv(t, "hr@demo.test", q, file), 403)
}

// TestImportBadInput: whatever arrives, a clear 4xx naming what is wrong, never a 500.
func TestImportBadInput(t *testing.T) {
	f := newFixture(t)
	q := "/api/v1/imports/preview?team_id=" + itoa64(f.ids["team:Growth"])
	junk := make([]byte, 600<<10)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	for _, tc := range []struct {
		name   string
		res    func() response
		status int
		field  string
	}{
		{"empty body", func() response { return f.csv(t, "leader@demo.test", q, []byte{}) }, 422, "file"},
		{"JSON", func() response { return f.as(t, "leader@demo.test", "POST", q, map[string]string{"email": "x"}) }, 415, ""},
		{"random bytes", func() response { return f.csv(t, "leader@demo.test", q, junk) }, 422, "file"},
		{"Latin-1", func() response { return f.csv(t, "leader@demo.test", q, []byte("email,name\na@demo.test,Jos\xe9\n")) }, 422, "file"},
		{"no email column", func() response { return f.csv(t, "leader@demo.test", q, []byte("name,title\nAnn,pm\n")) }, 422, "row 1, column email"},
		{"broken quotes", func() response { return f.csv(t, "leader@demo.test", q, []byte("email,name\n\"a@demo.test,Ann\n")) }, 422, "row 2"},
		{"multipart without a file", func() response { return f.upload(t, "leader@demo.test", q, nil, "x", "y") }, 422, "file"},
		{"damaged confirm field", func() response { return f.upload(t, "leader@demo.test", q, nil, "csv64", "%%%") }, 422, "csv64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.res()
			if res.Status >= 500 {
				t.Fatalf("server error: %s", res.Body)
			}
			if tc.field != "" {
				wantField(t, res, tc.status, tc.field)
			} else {
				wantStatus(t, res, tc.status)
			}
		})
	}
}

func TestMatrixExport(t *testing.T) {
	f := newFixture(t)
	path := "/api/v1/teams/" + itoa64(f.ids["team:Growth"]) + "/matrix.csv"
	res := f.as(t, "leader@demo.test", "GET", path, nil)
	wantStatus(t, res, 200)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.Contains(res.Header.Get("Content-Disposition"), `filename="growth-matrix.csv"`) {
		t.Errorf("headers: %v", res.Header)
	}
	body := string(res.Body)
	if !strings.HasPrefix(body, "\ufeffemail,name,title,background,team,specification,") || !strings.Contains(body, "\npm@demo.test,Maya Chen,senior_pm,development,Growth,5,") {
		t.Errorf("CSV:\n%s", body)
	}
	if strings.Contains(body, "leader@demo.test") || strings.Contains(body, "hr@demo.test") || strings.Contains(body, "other-pm") {
		t.Errorf("the export holds people who are not members of Growth:\n%s", body)
	}
	wantStatus(t, f.as(t, "admin@demo.test", "GET", path, nil), 200)
	wantStatus(t, f.as(t, "other-leader@demo.test", "GET", path, nil), 404)
	wantStatus(t, f.as(t, "pm@demo.test", "GET", path, nil), 403)
	wantStatus(t, f.as(t, "hr@demo.test", "GET", path, nil), 403)
}

// privateCheckIn records a check-in on Maya's demo plan with a private and a shared note.
func privateCheckIn(t *testing.T, f *fixture, secret string) {
	t.Helper()
	body := map[string]any{"date": time.Now().Format(app.DateLayout),
		"goals": []map[string]string{{"competency": "customer_research", "status": "on_track"}, {"competency": "business_outcomes", "status": "on_track"}},
		"notes": []map[string]any{{"text": secret, "private": true}, {"text": "Shared praise", "private": false}}}
	wantStatus(t, f.as(t, "leader@demo.test", "POST", "/api/v1/coaching-plans/"+itoa64(demoPlanID(t, f))+"/check-ins", body), 201)
}

func TestOrgExport(t *testing.T) {
	f := newFixture(t)
	const secret = "PRIVATE: thinking of leaving"
	privateCheckIn(t, f, secret)
	res := f.as(t, "admin@demo.test", "GET", "/api/v1/org/export", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(res.Header.Get("Content-Disposition"), "teamshape-export-") {
		t.Errorf("headers: %v", res.Header)
	}
	if bytes.Contains(res.Body, []byte(secret)) || bytes.Contains(res.Body, []byte("password_hash")) || bytes.Contains(res.Body, []byte("$argon2id$")) {
		t.Fatal("the export holds a private note or a password hash")
	}
	var doc struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	res.JSON(t, &doc)
	for _, k := range []string{"organisation", "users", "teams", "team_members", "competencies", "ladder_levels", "profiles", "ratings",
		"team_targets", "sops", "sop_revisions", "coaching_plans", "check_ins", "check_in_notes", "requisitions", "audit_log"} {
		if len(doc.Data[k]) == 0 {
			t.Errorf("the export lacks %s", k)
		}
	}
	var notes []map[string]any
	if err := json.Unmarshal(doc.Data["check_in_notes"], &notes); err != nil {
		t.Fatal(err)
	}
	private := 0
	for _, n := range notes {
		if n["private"] == true {
			private++
			if _, has := n["text"]; has {
				t.Errorf("a private note keeps its text: %v", n)
			}
		}
	}
	if private == 0 {
		t.Error("the private note is missing (its existence is kept, not its text)")
	}
	var users []map[string]any
	json.Unmarshal(doc.Data["users"], &users) //nolint:errcheck
	// f.ids holds the two teams as well as the people.
	if len(users) != len(f.ids)-2 {
		t.Errorf("%d users exported", len(users))
	}
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/api/v1/org/export", nil), 403)
}

type auditJSON struct {
	Data struct {
		Entries      []app.AuditEntry `json:"entries"`
		NextBeforeID *int64           `json:"next_before_id"`
	} `json:"data"`
}

func TestAuditAPI(t *testing.T) {
	f := newFixture(t)
	const secret = "PRIVATE: salary worry"
	privateCheckIn(t, f, secret)
	growth, platform := itoa64(f.ids["team:Growth"]), itoa64(f.ids["team:Platform"])
	// A leader rates a member; the other leader rates theirs.
	wantStatus(t, f.as(t, "leader@demo.test", "PUT", "/api/v1/people/"+itoa64(f.ids["pm2@demo.test"])+"/ratings",
		map[string]any{"ratings": []map[string]any{{"competency": "delivery", "level": 3, "note": "solid"}}}), 200)
	wantStatus(t, f.as(t, "other-leader@demo.test", "PUT", "/api/v1/people/"+itoa64(f.ids["other-pm@demo.test"])+"/ratings",
		map[string]any{"ratings": []map[string]any{{"competency": "delivery", "level": 2}}}), 200)

	get := func(email, path string) auditJSON {
		t.Helper()
		res := f.as(t, email, "GET", path, nil)
		wantStatus(t, res, 200)
		if strings.Contains(string(res.Body), secret) {
			t.Fatalf("%s shows a private note", path)
		}
		var out auditJSON
		res.JSON(t, &out)
		return out
	}
	all := get("admin@demo.test", "/api/v1/audit?entity=ratings&limit=2")
	if len(all.Data.Entries) != 2 || all.Data.NextBeforeID == nil || all.Data.Entries[0].ActorID != f.ids["other-leader@demo.test"] ||
		all.Data.Entries[1].ActorName != "Lena Leader" || all.Data.Entries[1].PersonName != "Omar Haddad" {
		t.Fatalf("admin audit: %+v", all.Data)
	}
	older := get("admin@demo.test", "/api/v1/audit?entity=ratings&limit=2&before_id="+itoa64(*all.Data.NextBeforeID))
	if len(older.Data.Entries) == 0 || older.Data.Entries[0].ID >= all.Data.Entries[1].ID {
		t.Errorf("older page: %+v", older.Data.Entries)
	}
	checkIns := get("admin@demo.test", "/api/v1/audit?entity=check_in&action=create&actor_id="+itoa64(f.ids["leader@demo.test"]))
	if len(checkIns.Data.Entries) != 1 || !strings.Contains(checkIns.Data.Entries[0].Summary, "note added (private)") {
		t.Errorf("check-in entries: %+v", checkIns.Data.Entries)
	}
	today := time.Now().Format(app.DateLayout)
	if n := len(get("admin@demo.test", "/api/v1/audit?from="+today+"&to="+today).Data.Entries); n == 0 {
		t.Error("nothing today")
	}
	if n := len(get("admin@demo.test", "/api/v1/audit?to=2000-01-01").Data.Entries); n != 0 {
		t.Errorf("%d entries before 2000", n)
	}
	wantField(t, f.as(t, "admin@demo.test", "GET", "/api/v1/audit?from=yesterday", nil), 422, "from")
	wantField(t, f.as(t, "admin@demo.test", "GET", "/api/v1/audit?actor_id=x", nil), 422, "actor_id")
	wantField(t, f.as(t, "admin@demo.test", "GET", "/api/v1/audit?limit=5000", nil), 422, "limit")

	// A leader reads their team's log: their members' entries, not the other team's.
	team := get("leader@demo.test", "/api/v1/teams/"+growth+"/audit?entity=ratings")
	if len(team.Data.Entries) == 0 {
		t.Fatal("no ratings in Growth's log")
	}
	for _, e := range team.Data.Entries {
		if e.PersonID != nil && *e.PersonID == f.ids["other-pm@demo.test"] {
			t.Errorf("Growth's log shows Platform's ratings: %+v", e)
		}
	}
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/api/v1/teams/"+platform+"/audit", nil), 404)
	wantStatus(t, f.as(t, "pm@demo.test", "GET", "/api/v1/teams/"+growth+"/audit", nil), 403)
	wantStatus(t, f.as(t, "hr@demo.test", "GET", "/api/v1/teams/"+growth+"/audit", nil), 403)
	wantStatus(t, f.as(t, "leader@demo.test", "GET", "/api/v1/audit", nil), 403)
}

var otpCell = regexp.MustCompile(`<code class="otp">([A-Za-z0-9_-]{20})</code>`)

// TestImportPages walks the page flow: form, preview with problems, preview, confirm
// (the file travels back base64-encoded), result with one-time passwords.
func TestImportPages(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])
	base := "/teams/" + growth + "/import"
	res := f.as(t, "leader@demo.test", "GET", base, nil)
	wantStatus(t, res, 200)
	for _, want := range []string{`action="` + base + `/preview"`, `enctype="multipart/form-data"`, "specification,delivery", `/static/js/import.`} {
		if !strings.Contains(string(res.Body), want) {
			t.Errorf("form page lacks %q", want)
		}
	}
	wantStatus(t, f.as(t, "other-leader@demo.test", "GET", base, nil), 404)

	bad := []byte("email,name,delivery\n<script>x</script>@demo.test,<b>Bold</b>,9\n")
	res = f.upload(t, "leader@demo.test", base+"/preview", bad)
	wantStatus(t, res, 200)
	if strings.Contains(string(res.Body), "<script>x</script>") || !strings.Contains(string(res.Body), "is not a valid e-mail") || strings.Contains(string(res.Body), `name="hash"`) {
		t.Fatalf("problem preview:\n%s", res.Body)
	}

	// A file that adds a person: an admin imports it on the team's page (only admins
	// create accounts).
	file := []byte("email,name,title,delivery\npage-new@demo.test,<b>Page</b> New,pm,4\n")
	res = f.upload(t, "admin@demo.test", base+"/preview", file)
	wantStatus(t, res, 200)
	page := html.UnescapeString(string(res.Body))
	csv64 := base64.StdEncoding.EncodeToString(file)
	if !strings.Contains(page, `value="`+transfer.Hash(file)+`"`) || !strings.Contains(page, `value="`+csv64+`"`) ||
		!strings.Contains(string(res.Body), "&lt;b&gt;Page&lt;/b&gt; New") || strings.Contains(string(res.Body), "<b>Page</b>") {
		t.Fatalf("preview page:\n%s", page)
	}
	// A file error shows on the form, not as an error page.
	res = f.upload(t, "admin@demo.test", base+"/preview", []byte("name\nx\n"))
	if res.Status != 422 || !strings.Contains(string(res.Body), "no email column") || !strings.Contains(string(res.Body), `type="file"`) {
		t.Fatalf("file error: %d", res.Status)
	}

	res = f.form(t, "admin@demo.test", base, url.Values{"hash": {transfer.Hash(file)}, "csv64": {csv64}})
	wantStatus(t, res, 201)
	m := otpCell.FindStringSubmatch(string(res.Body))
	if m == nil || !strings.Contains(string(res.Body), "page-new@demo.test") {
		t.Fatalf("result page:\n%s", res.Body)
	}
	if f.count(t, `SELECT count(*) FROM users WHERE email = 'page-new@demo.test'`) != 1 {
		t.Fatal("the person was not created")
	}
	// A stale confirm (the file changed) goes back to the form with the reason.
	res = f.form(t, "admin@demo.test", base, url.Values{"hash": {transfer.Hash([]byte("old"))}, "csv64": {csv64}})
	if res.Status != 409 || !strings.Contains(string(res.Body), "differs from the one previewed") {
		t.Fatalf("stale confirm: %d", res.Status)
	}

	// The admin's page offers every team.
	res = f.as(t, "admin@demo.test", "GET", "/admin/import", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), ">Platform</option>") || !strings.Contains(string(res.Body), `action="/admin/import/preview"`) {
		t.Errorf("admin import page lacks the team choice")
	}
}

func TestAuditPages(t *testing.T) {
	f := newFixture(t)
	const secret = "PRIVATE: do not log"
	privateCheckIn(t, f, secret)
	res := f.as(t, "admin@demo.test", "GET", "/admin/audit?entity=check_in", nil)
	wantStatus(t, res, 200)
	body := string(res.Body)
	if strings.Contains(body, secret) || !strings.Contains(body, "note added (private)") || !strings.Contains(body, "Shared praise") ||
		!strings.Contains(body, `<option selected>check_in</option>`) {
		t.Fatalf("admin audit page:\n%s", body)
	}
	res = f.as(t, "admin@demo.test", "GET", "/admin/audit?limit=2", nil)
	if !strings.Contains(string(res.Body), "before_id=") {
		t.Error("no link to older entries")
	}
	res = f.as(t, "admin@demo.test", "GET", "/admin/audit?from=nonsense", nil)
	if res.Status != 422 || !strings.Contains(string(res.Body), "from must be a date") {
		t.Errorf("bad filter: %d", res.Status)
	}
	growth := itoa64(f.ids["team:Growth"])
	res = f.as(t, "leader@demo.test", "GET", "/teams/"+growth+"/audit", nil)
	wantStatus(t, res, 200)
	if strings.Contains(string(res.Body), secret) || !strings.Contains(string(res.Body), "Audit log of Growth") {
		t.Fatal("team audit page")
	}
	wantStatus(t, f.as(t, "other-leader@demo.test", "GET", "/teams/"+growth+"/audit", nil), 404)
}
