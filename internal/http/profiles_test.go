package http

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/profiles"
)

// ---- helpers ----

type ratingsBody struct {
	Ratings []app.RatingInput `json:"ratings"`
}

func rating(comp string, level int, note string) app.RatingInput {
	return app.RatingInput{Competency: comp, Level: &level, Note: note}
}

func batch(rs ...app.RatingInput) ratingsBody { return ratingsBody{Ratings: rs} }

// countRatings counts the stored ratings of a subject.
func (f *fixture) countRatings(t *testing.T, subject int64) int {
	t.Helper()
	var n int
	if err := f.db.GetContext(context.Background(), &n, `SELECT count(*) FROM ratings WHERE subject_id = $1`, subject); err != nil {
		t.Fatal(err)
	}
	return n
}

// form posts a URL-encoded form as the demo user (bearer auth, so no CSRF token).
func (f *fixture) form(t *testing.T, email, path string, v url.Values) response {
	t.Helper()
	return f.do(t, http.MethodPost, path, f.token(t, email), v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

// wantField checks an error envelope's status and field.
func wantField(t *testing.T, r response, status int, field string) {
	t.Helper()
	var e struct {
		Error struct {
			Field string `json:"field"`
		} `json:"error"`
	}
	r.JSON(t, &e)
	if r.Status != status || e.Error.Field != field {
		t.Fatalf("status %d field %q, want %d %q; body %s", r.Status, e.Error.Field, status, field, r.Body)
	}
}

// personRatingsResponse is GET /api/v1/people/:id/ratings.
type personRatingsResponse struct {
	Data struct {
		Person struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"person"`
		Competencies []app.CompetencyRatings `json:"competencies"`
		Flags        int                     `json:"flags"`
		History      []app.Rating            `json:"history"`
	} `json:"data"`
}

func (f *fixture) personRatings(t *testing.T, email string, id int64, query string) personRatingsResponse {
	t.Helper()
	res := f.as(t, email, http.MethodGet, "/api/v1/people/"+itoa64(id)+"/ratings"+query, nil)
	wantStatus(t, res, http.StatusOK)
	var out personRatingsResponse
	res.JSON(t, &out)
	return out
}

func (p personRatingsResponse) get(t *testing.T, key string) app.CompetencyRatings {
	t.Helper()
	for _, c := range p.Data.Competencies {
		if c.Competency == key {
			return c
		}
	}
	t.Fatalf("no competency %q in %d rows", key, len(p.Data.Competencies))
	return app.CompetencyRatings{}
}

// outsider creates a person in another organisation.
func (f *fixture) outsider(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	org, err := f.db.CreateOrganisation(ctx, "elsewhere", "Elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	u := &app.User{OrgID: org.ID, Email: "someone@elsewhere.test", Name: "Someone", Role: app.RolePM}
	if err := f.db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// newMember creates a PM with no ratings in Growth (through the admin API) and returns their id.
func (f *fixture) newMember(t *testing.T, email, title string) int64 {
	t.Helper()
	res := f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/users", map[string]string{"email": email, "name": "New PM", "role": "pm", "title": title})
	wantStatus(t, res, http.StatusCreated)
	var out struct {
		Data struct {
			User app.User `json:"user"`
		} `json:"data"`
	}
	res.JSON(t, &out)
	id := out.Data.User.ID
	f.ids[email] = id
	res = f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/teams/"+itoa64(f.ids["team:Growth"])+"/members", map[string]any{"user_id": id, "role": "member"})
	wantStatus(t, res, http.StatusCreated)
	return id
}

// ---- access ----

func TestPersonRatingsAccess(t *testing.T) {
	f := newFixture(t)
	pm := f.ids["pm@demo.test"]
	path := "/api/v1/people/" + itoa64(pm) + "/ratings"
	for email, want := range map[string]int{
		"pm@demo.test":           http.StatusOK,        // the person
		"leader@demo.test":       http.StatusOK,        // leads Growth, where pm is a member
		"admin@demo.test":        http.StatusOK,        // admin
		"pm2@demo.test":          http.StatusForbidden, // another PM of the same team
		"other-pm@demo.test":     http.StatusForbidden, // a PM of another team
		"other-leader@demo.test": http.StatusForbidden, // leads another team
		"hr@demo.test":           http.StatusForbidden, // HR never sees individual ratings (role refusal)
	} {
		res := f.as(t, email, http.MethodGet, path, nil)
		if res.Status != want {
			t.Errorf("%s: status %d, want %d (%s)", email, res.Status, want, res.Body)
		}
	}
	// A person of another organisation does not exist for us.
	if res := f.as(t, "admin@demo.test", http.MethodGet, "/api/v1/people/"+itoa64(f.outsider(t))+"/ratings", nil); res.Status != http.StatusNotFound {
		t.Errorf("other org: status %d, want 404", res.Status)
	}
	// The leader of a group PM who is no member of their team cannot see them.
	if res := f.as(t, "other-leader@demo.test", http.MethodGet, "/api/v1/people/"+itoa64(f.ids["leader@demo.test"])+"/ratings", nil); res.Status != http.StatusForbidden {
		t.Errorf("leader's ratings to another leader: %d", res.Status)
	}

	got := f.personRatings(t, "leader@demo.test", pm, "")
	if got.Data.Person.Name != "Maya Chen" || len(got.Data.Competencies) != 13 || got.Data.History != nil {
		t.Fatalf("senior PM's view: %d competencies, history %v", len(got.Data.Competencies), got.Data.History != nil)
	}
	spec := got.get(t, "specification")
	if spec.Leader == nil || spec.Self == nil || spec.Effective == nil || spec.Effective.Source != "leader" || spec.Expected == nil || *spec.Expected != 4 {
		t.Errorf("specification %+v", spec)
	}
	withHistory := f.personRatings(t, "pm@demo.test", pm, "?history=true")
	if len(withHistory.Data.History) != 4*13 { // three leader batches and one self batch
		t.Errorf("history has %d rows, want 52", len(withHistory.Data.History))
	}
}

func TestLeaderRatingsAccess(t *testing.T) {
	f := newFixture(t)
	pm, otherPM := f.ids["pm@demo.test"], f.ids["other-pm@demo.test"]
	body := batch(rating("analytics", 4, "Owned the pricing experiment"))
	put := func(email string, id int64) int {
		return f.as(t, email, http.MethodPut, "/api/v1/people/"+itoa64(id)+"/ratings", body).Status
	}
	before := f.countRatings(t, pm)
	if s := put("leader@demo.test", pm); s != http.StatusOK {
		t.Errorf("leader: %d", s)
	}
	if s := put("admin@demo.test", pm); s != http.StatusOK {
		t.Errorf("admin: %d", s)
	}
	if n := f.countRatings(t, pm); n != before+2 {
		t.Errorf("%d new ratings, want 2", n-before)
	}
	for _, c := range []struct {
		email string
		id    int64
		want  int
	}{
		{"other-leader@demo.test", pm, http.StatusForbidden},                  // not their team
		{"leader@demo.test", otherPM, http.StatusForbidden},                   // someone outside the leader's teams
		{"pm@demo.test", pm, http.StatusForbidden},                            // a PM cannot rate as leader (role)
		{"pm2@demo.test", pm, http.StatusForbidden},                           // nor another PM (role)
		{"hr@demo.test", pm, http.StatusForbidden},                            // nor HR (role)
		{"leader@demo.test", f.ids["leader@demo.test"], http.StatusForbidden}, // nor themself
		{"admin@demo.test", f.ids["admin@demo.test"], http.StatusForbidden},
		{"leader@demo.test", f.outsider(t), http.StatusNotFound},
	} {
		if s := put(c.email, c.id); s != c.want {
			t.Errorf("%s rates %d: status %d, want %d", c.email, c.id, s, c.want)
		}
	}
	if n := f.countRatings(t, pm); n != before+2 {
		t.Errorf("refused batches stored %d ratings", n-before-2)
	}
	latest := f.personRatings(t, "pm@demo.test", pm, "").get(t, "analytics")
	if latest.Leader == nil || latest.Leader.RaterName != "Alex Admin" || latest.Effective.Level != 4 {
		t.Errorf("analytics after leader ratings: %+v", latest.Leader)
	}
}

// ---- batches ----

func TestRatingBatchesAllOrNothing(t *testing.T) {
	f := newFixture(t)
	pm, pm6 := f.ids["pm@demo.test"], f.ids["pm6@demo.test"]
	ok1, ok2 := rating("analytics", 3, "A/B test on onboarding"), rating("delivery", 4, "Shipped v2")
	selfPath, leaderPath := "/api/v1/me/ratings", "/api/v1/people/"+itoa64(pm)+"/ratings"

	// The peer path: pm asks pm2, whose answer goes through the same check.
	res := f.as(t, "pm@demo.test", http.MethodPost, "/api/v1/people/"+itoa64(pm)+"/peer-requests", map[string]any{"reviewer_id": f.ids["pm2@demo.test"]})
	wantStatus(t, res, http.StatusCreated)
	var req struct {
		Data app.PeerRequest `json:"data"`
	}
	res.JSON(t, &req)
	answerPath := "/api/v1/peer-requests/" + itoa64(req.Data.ID) + "/answer"

	paths := []struct{ email, method, path string }{
		{"pm@demo.test", http.MethodPut, selfPath},
		{"leader@demo.test", http.MethodPut, leaderPath},
		{"pm2@demo.test", http.MethodPost, answerPath},
	}
	bad := []struct {
		name  string
		body  any
		field string
	}{
		{"level out of range", batch(ok1, ok2, rating("quality_launch", 7, "x")), "ratings[2].level"},
		{"negative level", batch(ok1, rating("quality_launch", -1, "x")), "ratings[1].level"},
		{"unknown competency", batch(ok1, rating("astrology", 3, "x")), "ratings[1].competency"},
		{"leads-only for a senior PM", batch(rating("coaching", 3, "x")), "ratings[0].competency"},
		{"twice in one batch", batch(ok1, ok2, ok1), "ratings[2].competency"},
		{"empty batch", batch(), "ratings"},
		{"level as text", `{"ratings":[{"competency":"analytics","level":"3"}]}`, "ratings.level"},
	}
	before := f.countRatings(t, pm)
	for _, p := range paths {
		for _, b := range bad {
			res := f.as(t, p.email, p.method, p.path, b.body)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"`+b.field+`"`) {
				t.Errorf("%s %s, %s: status %d %s, want 422 on %s", p.email, p.path, b.name, res.Status, res.Body, b.field)
			}
		}
		if res := f.as(t, p.email, p.method, p.path, `{"ratings":[],"extra":1}`); res.Status != http.StatusBadRequest {
			t.Errorf("%s: unknown field: %d", p.path, res.Status)
		}
	}
	if n := f.countRatings(t, pm); n != before {
		t.Fatalf("refused batches stored %d ratings", n-before)
	}

	// The organisation requires evidence: an empty note refuses the whole batch, on every path.
	if _, err := f.db.ExecContext(context.Background(), `UPDATE org_settings SET require_evidence = true WHERE org_id = $1`, f.org.ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		res := f.as(t, p.email, p.method, p.path, batch(ok1, rating("delivery", 2, " ")))
		wantField(t, res, http.StatusUnprocessableEntity, "ratings[1].note")
	}
	if n := f.countRatings(t, pm); n != before {
		t.Fatalf("evidence-less batches stored %d ratings", n-before)
	}
	// "Not assessed" needs no evidence; valid batches are stored whole.
	notAssessed := app.RatingInput{Competency: "market_domain"}
	for _, p := range paths {
		res := f.as(t, p.email, p.method, p.path, batch(ok1, ok2, notAssessed))
		wantStatus(t, res, http.StatusOK)
	}
	if n := f.countRatings(t, pm); n != before+9 {
		t.Errorf("stored %d ratings, want 9", n-before)
	}
	// A group PM may rate themself on the leads-only competencies.
	res = f.as(t, "pm6@demo.test", http.MethodPut, selfPath, batch(rating("coaching", 3, "Mentors two APMs")))
	wantStatus(t, res, http.StatusOK)
	if got := f.personRatings(t, "pm6@demo.test", pm6, "").get(t, "coaching"); got.Self == nil || *got.Self.Level != 3 {
		t.Errorf("group PM's coaching self-rating: %+v", got.Self)
	}
	// HR has no skill profile.
	if res := f.as(t, "hr@demo.test", http.MethodPut, selfPath, batch(ok1)); res.Status != http.StatusForbidden {
		t.Errorf("hr self-rating: %d", res.Status)
	}
}

// ---- effective rating, flag, history ----

func TestEffectiveRatingAndFlag(t *testing.T) {
	f := newFixture(t)
	id := f.newMember(t, "newbie@demo.test", "pm")
	view := func() app.CompetencyRatings {
		return f.personRatings(t, "leader@demo.test", id, "").get(t, "analytics")
	}
	// Self 2 alone: the effective rating is the self-rating; nothing to compare with.
	wantStatus(t, f.as(t, "newbie@demo.test", http.MethodPut, "/api/v1/me/ratings", batch(rating("analytics", 2, "first dashboards"))), http.StatusOK)
	a := view()
	if a.Effective == nil || a.Effective.Level != 2 || a.Effective.Source != "others" || a.Others != nil || a.Flag {
		t.Fatalf("self only: %+v", a)
	}
	// Two peers answer 4 and 5: effective = lower median of {2, 4, 5} = 4; others (peers) = lower
	// median of {4, 5} = 4, two above the self-rating: flagged.
	for email, level := range map[string]int{"pm2@demo.test": 4, "pm3@demo.test": 5} {
		res := f.as(t, "newbie@demo.test", http.MethodPost, "/api/v1/people/"+itoa64(id)+"/peer-requests",
			map[string]any{"reviewer_id": f.ids[email], "message": "analytics please"})
		wantStatus(t, res, http.StatusCreated)
		var r struct {
			Data app.PeerRequest `json:"data"`
		}
		res.JSON(t, &r)
		wantStatus(t, f.as(t, email, http.MethodPost, "/api/v1/peer-requests/"+itoa64(r.Data.ID)+"/answer",
			batch(rating("analytics", level, "saw the funnel work"))), http.StatusOK)
	}
	a = view()
	if a.Effective.Level != 4 || a.Effective.Source != "others" || len(a.Peers) != 2 || *a.Others != 4 || !a.Flag {
		t.Fatalf("self and peers: effective %+v others %v flag %v peers %d", a.Effective, a.Others, a.Flag, len(a.Peers))
	}
	// The leader's rating wins: 3, one from the self-rating: no flag.
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodPut, "/api/v1/people/"+itoa64(id)+"/ratings", batch(rating("analytics", 3, "solid"))), http.StatusOK)
	a = view()
	if a.Effective.Level != 3 || a.Effective.Source != "leader" || *a.Others != 3 || a.Flag {
		t.Fatalf("leader 3: effective %+v others %v flag %v", a.Effective, *a.Others, a.Flag)
	}
	// The leader's latest counts: 4, two from self: flagged again.
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodPut, "/api/v1/people/"+itoa64(id)+"/ratings", batch(rating("analytics", 4, "great quarter"))), http.StatusOK)
	if a = view(); a.Effective.Level != 4 || !a.Flag {
		t.Fatalf("leader 4: effective %+v flag %v", a.Effective, a.Flag)
	}
	// The leader withdraws ("not assessed"): back to the median of the others.
	wantStatus(t, f.as(t, "leader@demo.test", http.MethodPut, "/api/v1/people/"+itoa64(id)+"/ratings",
		ratingsBody{Ratings: []app.RatingInput{{Competency: "analytics", Note: "not enough seen"}}}), http.StatusOK)
	if a = view(); a.Effective.Level != 4 || a.Effective.Source != "others" || *a.Others != 4 {
		t.Fatalf("leader withdrew: effective %+v others %v", a.Effective, a.Others)
	}
	// History: every rating is a row, oldest first.
	h := f.personRatings(t, "newbie@demo.test", id, "?history=true")
	var kinds []string
	for _, r := range h.Data.History {
		kinds = append(kinds, r.Kind)
	}
	if strings.Join(kinds, ",") != "self,peer,peer,leader,leader,leader" {
		t.Errorf("history kinds %v", kinds)
	}
	if last := h.Data.History[len(h.Data.History)-1]; last.Level != nil || last.RaterName != "Lena Leader" {
		t.Errorf("last history row %+v", last)
	}
	if h.Data.Flags != 1 {
		t.Errorf("flags %d, want 1", h.Data.Flags)
	}
	// The page shows the movement as a chart and a table.
	res := f.as(t, "leader@demo.test", http.MethodGet, "/people/"+itoa64(id)+"?c=analytics", nil)
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{"Rating history", "not enough seen", "saw the funnel work", "Omar Haddad"} {
		if !strings.Contains(string(res.Body), want) {
			t.Errorf("person page lacks %q", want)
		}
	}
}

// ---- peer requests ----

func TestPeerRequestFlow(t *testing.T) {
	f := newFixture(t)
	pm, pm2 := f.ids["pm@demo.test"], f.ids["pm2@demo.test"]
	reqPath := "/api/v1/people/" + itoa64(pm) + "/peer-requests"
	create := func(email string, subject int64, body any) response {
		return f.as(t, email, http.MethodPost, "/api/v1/people/"+itoa64(subject)+"/peer-requests", body)
	}
	// Who may ask: the person, their leader, an admin — not another PM, not HR.
	if res := create("pm2@demo.test", pm, map[string]any{"reviewer_id": f.ids["pm3@demo.test"]}); res.Status != http.StatusForbidden {
		t.Errorf("another PM asks: %d", res.Status)
	}
	if res := create("hr@demo.test", pm, map[string]any{"reviewer_id": pm2}); res.Status != http.StatusForbidden {
		t.Errorf("HR asks: %d", res.Status)
	}
	if res := create("other-leader@demo.test", pm, map[string]any{"reviewer_id": pm2}); res.Status != http.StatusForbidden {
		t.Errorf("another team's leader asks: %d", res.Status)
	}
	// Whom: someone active of the organisation, not HR, not the person.
	for name, reviewer := range map[string]int64{
		"HR": f.ids["hr@demo.test"], "the person": pm, "another org": f.outsider(t), "nobody": 999999,
	} {
		wantField(t, f.as(t, "pm@demo.test", http.MethodPost, reqPath, map[string]any{"reviewer_id": reviewer}), http.StatusUnprocessableEntity, "reviewer_id")
		_ = name
	}
	wantField(t, f.as(t, "pm@demo.test", http.MethodPost, reqPath, map[string]any{"reviewer_id": pm2, "message": strings.Repeat("x", 1001)}),
		http.StatusUnprocessableEntity, "message")

	res := f.as(t, "pm@demo.test", http.MethodPost, reqPath, map[string]any{"reviewer_id": pm2, "message": "<script>alert(1)</script> the launch"})
	wantStatus(t, res, http.StatusCreated)
	var mine struct {
		Data app.PeerRequest `json:"data"`
	}
	res.JSON(t, &mine)
	if mine.Data.Status != "open" || mine.Data.ReviewerName != "Omar Haddad" || mine.Data.RequestedBy != pm {
		t.Fatalf("request %+v", mine.Data)
	}
	if res := f.as(t, "pm@demo.test", http.MethodPost, reqPath, map[string]any{"reviewer_id": pm2}); res.Status != http.StatusConflict {
		t.Errorf("second open request for the same pair: %d", res.Status)
	}
	// The leader asks a PM of another team (a mentor): fine, same organisation.
	res = create("leader@demo.test", pm, map[string]any{"reviewer_id": f.ids["other-pm@demo.test"], "message": "mentor view"})
	wantStatus(t, res, http.StatusCreated)
	var mentor struct {
		Data app.PeerRequest `json:"data"`
	}
	res.JSON(t, &mentor)

	// Lists: the reviewer's to answer, the asker's made.
	var lists struct {
		Data struct {
			ToAnswer []app.PeerRequest `json:"to_answer"`
			Made     []app.PeerRequest `json:"made"`
		} `json:"data"`
	}
	f.as(t, "pm2@demo.test", http.MethodGet, "/api/v1/peer-requests", nil).JSON(t, &lists)
	if len(lists.Data.ToAnswer) != 1 || lists.Data.ToAnswer[0].ID != mine.Data.ID || len(lists.Data.Made) != 0 {
		t.Errorf("pm2's lists %+v", lists.Data)
	}
	f.as(t, "pm@demo.test", http.MethodGet, "/api/v1/peer-requests", nil).JSON(t, &lists)
	if len(lists.Data.ToAnswer) != 0 || len(lists.Data.Made) != 1 {
		t.Errorf("pm's lists %+v", lists.Data)
	}
	if res := f.as(t, "hr@demo.test", http.MethodGet, "/api/v1/peer-requests", nil); res.Status != http.StatusForbidden {
		t.Errorf("HR lists: %d", res.Status)
	}

	// The reviewer sees the request on their profile page (message as text) and the answer
	// form, which shows the competencies but none of the subject's ratings.
	page := f.as(t, "pm2@demo.test", http.MethodGet, "/me/profile", nil)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.Body), "Requests for you") || !strings.Contains(string(page.Body), "/peer-requests/"+itoa64(mine.Data.ID)) {
		t.Error("the reviewer's profile does not show the request")
	}
	if strings.Contains(string(page.Body), "<script>alert(1)</script>") || !strings.Contains(string(page.Body), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the request message is not escaped")
	}
	answerPage := f.as(t, "pm2@demo.test", http.MethodGet, "/peer-requests/"+itoa64(mine.Data.ID), nil)
	wantStatus(t, answerPage, http.StatusOK)
	if !strings.Contains(string(answerPage.Body), "Rate Maya Chen") || strings.Contains(string(answerPage.Body), "Quarterly review") ||
		strings.Contains(string(answerPage.Body), "Self-assessment") || strings.Contains(string(answerPage.Body), "level_coaching") {
		t.Error("the answer page shows the subject's ratings, or misses the form, or offers leads-only competencies")
	}

	// Only the named reviewer may answer or decline; others do not see the request.
	for _, email := range []string{"pm@demo.test", "pm3@demo.test", "leader@demo.test", "admin@demo.test"} {
		for _, p := range []string{"/answer", "/decline"} {
			if res := f.as(t, email, http.MethodPost, "/api/v1/peer-requests/"+itoa64(mine.Data.ID)+p, batch(rating("analytics", 3, "x"))); res.Status != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", email, p, res.Status)
			}
		}
		if res := f.as(t, email, http.MethodGet, "/peer-requests/"+itoa64(mine.Data.ID), nil); res.Status != http.StatusNotFound {
			t.Errorf("%s opens the answer page: %d", email, res.Status)
		}
	}
	before := f.countRatings(t, pm)
	answer := "/api/v1/peer-requests/" + itoa64(mine.Data.ID) + "/answer"
	wantField(t, f.as(t, "pm2@demo.test", http.MethodPost, answer, batch(rating("analytics", 3, "x"), rating("delivery", 8, "x"))), http.StatusUnprocessableEntity, "ratings[1].level")
	wantStatus(t, f.as(t, "pm2@demo.test", http.MethodPost, answer, batch(rating("analytics", 3, "x"), rating("delivery", 4, "pairing on the API"))), http.StatusOK)
	if n := f.countRatings(t, pm); n != before+2 {
		t.Fatalf("answer stored %d ratings, want 2", n-before)
	}
	if res := f.as(t, "pm2@demo.test", http.MethodPost, answer, batch(rating("analytics", 5, "x"))); res.Status != http.StatusConflict {
		t.Errorf("second answer: %d", res.Status)
	}
	if res := f.as(t, "pm2@demo.test", http.MethodPost, "/api/v1/peer-requests/"+itoa64(mine.Data.ID)+"/decline", nil); res.Status != http.StatusConflict {
		t.Errorf("decline after answering: %d", res.Status)
	}
	if n := f.countRatings(t, pm); n != before+2 {
		t.Fatalf("refused answers stored ratings")
	}
	got := f.personRatings(t, "leader@demo.test", pm, "").get(t, "delivery")
	if len(got.Peers) != 1 || got.Peers[0].RaterName != "Omar Haddad" || *got.Peers[0].Level != 4 {
		t.Errorf("peer rating on the leader's view: %+v", got.Peers)
	}
	// The mentor declines.
	wantStatus(t, f.as(t, "other-pm@demo.test", http.MethodPost, "/api/v1/peer-requests/"+itoa64(mentor.Data.ID)+"/decline", nil), http.StatusOK)
	if res := f.as(t, "other-pm@demo.test", http.MethodPost, "/api/v1/peer-requests/"+itoa64(mentor.Data.ID)+"/answer", batch(rating("analytics", 3, "x"))); res.Status != http.StatusConflict {
		t.Errorf("answer after declining: %d", res.Status)
	}
}

// ---- own profile ----

func TestMyProfileAPI(t *testing.T) {
	f := newFixture(t)
	put := func(email string, body any) response {
		return f.as(t, email, http.MethodPut, "/api/v1/me/profile", body)
	}
	res := put("pm2@demo.test", map[string]any{"background": "sales", "role_started_on": "2023-01-10",
		"specialisms": []string{"fintech", "b2b", "payments"}, "spikes": []string{"compensation"}})
	wantStatus(t, res, http.StatusOK)
	var got struct {
		Data profiles.ProfileView `json:"data"`
	}
	f.as(t, "pm2@demo.test", http.MethodGet, "/api/v1/me/profile", nil).JSON(t, &got)
	p := got.Data
	if *p.Background != "sales" || *p.RoleStartedOn != "2023-01-10" || strings.Join(p.Specialisms, ",") != "fintech,b2b,payments" ||
		strings.Join(p.Spikes, ",") != "compensation" || *p.Title != "pm" || p.MonthsInRole == nil || p.RoleWindow == "" {
		t.Errorf("profile %+v", p)
	}
	for _, c := range []struct {
		body  any
		field string
	}{
		{map[string]any{"background": "astronaut"}, "background"},
		{map[string]any{"role_started_on": "10.01.2023"}, "role_started_on"},
		{map[string]any{"role_started_on": "2999-01-01"}, "role_started_on"},
		{map[string]any{"specialisms": []string{"FinTech"}}, "specialisms[0]"},
		{map[string]any{"specialisms": strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")}, "specialisms"},
		{map[string]any{"spikes": []string{"management", "compensation", "social_impact"}}, "spikes"},
		{map[string]any{"spikes": []string{"fame"}}, "spikes[0]"},
	} {
		wantField(t, put("pm2@demo.test", c.body), http.StatusUnprocessableEntity, c.field)
	}
	// The title is the admin's: the profile cannot set it.
	if res := put("pm2@demo.test", map[string]any{"title": "group_pm"}); res.Status != http.StatusBadRequest {
		t.Errorf("title in the profile: %d", res.Status)
	}
	f.as(t, "pm2@demo.test", http.MethodGet, "/api/v1/me/profile", nil).JSON(t, &got)
	if *got.Data.Background != "sales" || len(got.Data.Specialisms) != 3 {
		t.Errorf("a refused update changed the profile: %+v", got.Data)
	}
	// Clearing works; leaders and admins have a profile too; HR has none.
	wantStatus(t, put("pm2@demo.test", map[string]any{"background": nil, "specialisms": []string{}}), http.StatusOK)
	wantStatus(t, put("leader@demo.test", map[string]any{"spikes": []string{"management"}}), http.StatusOK)
	if res := f.as(t, "hr@demo.test", http.MethodGet, "/api/v1/me/profile", nil); res.Status != http.StatusForbidden {
		t.Errorf("HR profile: %d", res.Status)
	}
}

// ---- framework and ladder ----

func TestFrameworkAPI(t *testing.T) {
	f := newFixture(t)
	var fw struct {
		Data struct {
			Areas  []app.Area                `json:"areas"`
			Scale  []app.ScaleLevel          `json:"scale"`
			Ladder map[string]map[string]int `json:"ladder"`
		} `json:"data"`
	}
	res := f.as(t, "hr@demo.test", http.MethodGet, "/api/v1/competencies", nil)
	wantStatus(t, res, http.StatusOK)
	res.JSON(t, &fw)
	n := 0
	for _, a := range fw.Data.Areas {
		n += len(a.Competencies)
	}
	if len(fw.Data.Areas) != 5 || n != 16 || len(fw.Data.Scale) != 6 || fw.Data.Ladder["senior_pm"]["analytics"] != 4 {
		t.Fatalf("framework: %d areas, %d competencies, scale %d", len(fw.Data.Areas), n, len(fw.Data.Scale))
	}

	newComp := map[string]any{"area": "strategy", "key": "pricing", "name": "Pricing", "definition": "Prices and packages.", "importance": 3}
	if res := f.as(t, "leader@demo.test", http.MethodPost, "/api/v1/competencies", newComp); res.Status != http.StatusForbidden {
		t.Errorf("leader adds a competency: %d", res.Status)
	}
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/competencies", newComp), http.StatusCreated)
	if res := f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/competencies", newComp); res.Status != http.StatusConflict {
		t.Errorf("duplicate key: %d", res.Status)
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"area": "strategy", "key": "Bad Key", "name": "X", "importance": 2}, "key"},
		{map[string]any{"area": "strategy", "key": "ok_key", "name": "", "importance": 2}, "name"},
		{map[string]any{"area": "strategy", "key": "ok_key", "name": "X", "importance": 4}, "importance"},
		{map[string]any{"area": "nowhere", "key": "ok_key", "name": "X", "importance": 2}, "area"},
	} {
		wantField(t, f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/competencies", c.body), http.StatusUnprocessableEntity, c.field)
	}
	// PMs rate the new competency at once; the ladder expects 4 of a senior PM (importance 3).
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPut, "/api/v1/me/ratings", batch(rating("pricing", 2, "first pricing page"))), http.StatusOK)
	got := f.personRatings(t, "pm@demo.test", f.ids["pm@demo.test"], "").get(t, "pricing")
	if got.Expected == nil || *got.Expected != 4 || got.Self == nil {
		t.Errorf("new competency on the profile: %+v", got)
	}

	// Rename, describe, importance, leads-only, archive.
	res = f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/competencies/analytics", map[string]any{"name": "Data & experiments", "importance": 2})
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(string(res.Body), `"name":"Data \u0026 experiments"`) || !strings.Contains(string(res.Body), `"key":"analytics"`) {
		t.Errorf("rename: %s", res.Body)
	}
	wantField(t, f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/competencies/analytics", map[string]any{"importance": 0}), http.StatusUnprocessableEntity, "importance")
	if res := f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/competencies/astrology", map[string]any{"name": "X"}); res.Status != http.StatusNotFound {
		t.Errorf("patch unknown: %d", res.Status)
	}
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/competencies/market_domain", map[string]any{"leads_only": true}), http.StatusOK)
	wantField(t, f.as(t, "pm@demo.test", http.MethodPut, "/api/v1/me/ratings", batch(rating("market_domain", 2, "x"))), http.StatusUnprocessableEntity, "ratings[0].competency")
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/competencies/pricing", map[string]any{"archived": true}), http.StatusOK)
	wantField(t, f.as(t, "pm@demo.test", http.MethodPut, "/api/v1/me/ratings", batch(rating("pricing", 3, "x"))), http.StatusUnprocessableEntity, "ratings[0].competency")
	for _, c := range f.personRatings(t, "pm@demo.test", f.ids["pm@demo.test"], "").Data.Competencies {
		if c.Competency == "pricing" || c.Competency == "market_domain" {
			t.Errorf("%s is still in a senior PM's scope", c.Competency)
		}
	}

	// Delete: never a rated competency; an unrated one may go.
	if res := f.as(t, "admin@demo.test", http.MethodDelete, "/api/v1/competencies/pricing", nil); res.Status != http.StatusConflict {
		t.Errorf("delete rated: %d", res.Status)
	}
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPost, "/api/v1/competencies", map[string]any{"area": "insight", "key": "surveys", "name": "Surveys", "importance": 1}), http.StatusCreated)
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodDelete, "/api/v1/competencies/surveys", nil), http.StatusOK)

	// The ladder.
	res = f.as(t, "admin@demo.test", http.MethodPut, "/api/v1/ladder", map[string]any{"levels": []app.LadderLevel{{Title: "senior_pm", Competency: "delivery", Level: 5}}})
	wantStatus(t, res, http.StatusOK)
	if got := f.personRatings(t, "pm@demo.test", f.ids["pm@demo.test"], "").get(t, "delivery"); *got.Expected != 5 {
		t.Errorf("expected after the ladder change: %d", *got.Expected)
	}
	wantField(t, f.as(t, "admin@demo.test", http.MethodPut, "/api/v1/ladder", map[string]any{"levels": []app.LadderLevel{
		{Title: "senior_pm", Competency: "delivery", Level: 3}, {Title: "cto", Competency: "delivery", Level: 3}}}), http.StatusUnprocessableEntity, "levels[1].title")
	wantField(t, f.as(t, "admin@demo.test", http.MethodPut, "/api/v1/ladder", map[string]any{"levels": []app.LadderLevel{
		{Title: "senior_pm", Competency: "delivery", Level: 6}}}), http.StatusUnprocessableEntity, "levels[0].level")
	if got := f.personRatings(t, "pm@demo.test", f.ids["pm@demo.test"], "").get(t, "delivery"); *got.Expected != 5 {
		t.Errorf("a refused ladder batch changed it: %d", *got.Expected)
	}
	if res := f.as(t, "leader@demo.test", http.MethodPut, "/api/v1/ladder", map[string]any{"levels": []app.LadderLevel{}}); res.Status != http.StatusForbidden {
		t.Errorf("leader edits the ladder: %d", res.Status)
	}
}

// ---- pages and forms ----

func TestProfilePagesAccess(t *testing.T) {
	f := newFixture(t)
	pm := itoa64(f.ids["pm@demo.test"])
	for _, c := range []struct {
		email, path string
		want        int
		contains    string
	}{
		{"pm@demo.test", "/me/profile", 200, "Rate every competency at once"},
		{"leader@demo.test", "/me/profile", 200, "Requests for you"},
		{"hr@demo.test", "/me/profile", 403, ""},
		{"leader@demo.test", "/people/" + pm, 200, "Record your rating"},
		{"admin@demo.test", "/people/" + pm, 200, "Record your rating"},
		{"pm@demo.test", "/people/" + pm, 200, "Ratings side by side"},
		{"pm2@demo.test", "/people/" + pm, 403, ""},
		{"other-leader@demo.test", "/people/" + pm, 403, ""},
		{"admin@demo.test", "/admin/framework", 200, "Career ladder"},
		{"admin@demo.test", "/admin/people", 200, "Create a team"},
		{"leader@demo.test", "/admin/people", 403, ""},
	} {
		res := f.as(t, c.email, http.MethodGet, c.path, nil)
		if res.Status != c.want || !strings.Contains(string(res.Body), c.contains) {
			t.Errorf("%s %s: %d, want %d with %q", c.email, c.path, res.Status, c.want, c.contains)
		}
	}
	// A PM's own person page has no leader form.
	if res := f.as(t, "pm@demo.test", http.MethodGet, "/people/"+pm, nil); strings.Contains(string(res.Body), "Record your rating") {
		t.Error("a PM is offered the leader rating form on their own page")
	}
}

func TestRatingForms(t *testing.T) {
	f := newFixture(t)
	pm := f.ids["pm@demo.test"]
	before := f.countRatings(t, pm)

	// A bad level refuses the whole form, says which competency, keeps what was typed.
	res := f.form(t, "pm@demo.test", "/me/ratings", url.Values{"level_analytics": {"4"}, "note_analytics": {"ran <b>tests</b>"}, "level_delivery": {"9"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "Delivery &amp; technical partnership: the level must be 0 to 5") ||
		!strings.Contains(string(res.Body), `value="ran &lt;b&gt;tests&lt;/b&gt;"`) {
		t.Fatalf("bad form: %d %s", res.Status, res.Body)
	}
	if n := f.countRatings(t, pm); n != before {
		t.Fatalf("a refused form stored %d ratings", n-before)
	}
	// Only what changed is stored: analytics moves; delivery stays at the current self-rating.
	res = f.form(t, "pm@demo.test", "/me/ratings", url.Values{"level_analytics": {"4"}, "note_analytics": {"ran tests"},
		"level_delivery": {"5"}, "note_delivery": {"Self-assessment"}})
	if res.Status != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "done=self") {
		t.Fatalf("good form: %d %s", res.Status, res.Header.Get("Location"))
	}
	if n := f.countRatings(t, pm); n != before+1 {
		t.Fatalf("stored %d ratings, want 1", n-before)
	}
	res = f.form(t, "pm@demo.test", "/me/ratings", url.Values{"level_analytics": {"4"}, "note_analytics": {"ran tests"}})
	if !strings.Contains(res.Header.Get("Location"), "done=unchanged") || f.countRatings(t, pm) != before+1 {
		t.Errorf("unchanged form: %s", res.Header.Get("Location"))
	}
	// The leader's form goes through the same check and store.
	res = f.form(t, "leader@demo.test", "/people/"+itoa64(pm)+"/ratings", url.Values{"level_analytics": {"4"}, "note_analytics": {"agreed"}})
	if res.Status != http.StatusSeeOther || f.countRatings(t, pm) != before+2 {
		t.Fatalf("leader form: %d", res.Status)
	}
	if res := f.form(t, "other-leader@demo.test", "/people/"+itoa64(pm)+"/ratings", url.Values{"level_analytics": {"1"}}); res.Status != http.StatusForbidden {
		t.Errorf("other leader's form: %d", res.Status)
	}
	// Profile form.
	res = f.form(t, "pm@demo.test", "/me/profile", url.Values{"background": {"qa"}, "role_started_on": {"2022-01-01"},
		"specialisms": {"fintech", "b2b"}, "other_specialisms": {"payments, mobile"}, "spikes": {"management"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("profile form: %d %s", res.Status, res.Body)
	}
	var got struct {
		Data profiles.ProfileView `json:"data"`
	}
	f.as(t, "pm@demo.test", http.MethodGet, "/api/v1/me/profile", nil).JSON(t, &got)
	if *got.Data.Background != "qa" || strings.Join(got.Data.Specialisms, ",") != "fintech,b2b,payments,mobile" || got.Data.RoleWindow != app.WindowOverstaying {
		t.Errorf("profile after the form: %+v", got.Data)
	}
	res = f.form(t, "pm@demo.test", "/me/profile", url.Values{"spikes": {"management", "compensation", "social_impact"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "one or two career spikes") {
		t.Errorf("three spikes: %d", res.Status)
	}
	// Peer request and answer forms.
	res = f.form(t, "pm@demo.test", "/people/"+itoa64(pm)+"/peer-requests", url.Values{"reviewer_id": {itoa64(f.ids["pm3@demo.test"])}, "message": {"please"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("request form: %d", res.Status)
	}
	reqs, err := f.db.FindPeerRequests(context.Background(), f.org.ID, app.PeerRequestFilter{ReviewerID: f.ids["pm3@demo.test"]})
	if err != nil || len(reqs) != 1 {
		t.Fatalf("requests %v %v", reqs, err)
	}
	answer := "/peer-requests/" + itoa64(reqs[0].ID) + "/answer"
	if res := f.form(t, "pm3@demo.test", answer, url.Values{"level_analytics": {""}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("empty answer: %d", res.Status)
	}
	res = f.form(t, "pm3@demo.test", answer, url.Values{"level_analytics": {"3"}, "note_analytics": {"saw it"}, "level_delivery": {""}})
	if res.Status != http.StatusSeeOther || f.countRatings(t, pm) != before+3 {
		t.Errorf("answer form: %d, %d ratings", res.Status, f.countRatings(t, pm)-before)
	}
}

func TestAdminForms(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])

	// Create a person: the one-time password is on this response only.
	res := f.form(t, "admin@demo.test", "/admin/people/users", url.Values{"name": {"<script>alert('x')</script> Zed"}, "email": {"zed@demo.test"}, "role": {"pm"}, "title": {"apm"}})
	if res.Status != http.StatusCreated || !strings.Contains(string(res.Body), "One-time password") {
		t.Fatalf("create person: %d", res.Status)
	}
	if strings.Contains(string(res.Body), "<script>alert") || !strings.Contains(string(res.Body), "&lt;script&gt;") {
		t.Error("a person's name is not escaped")
	}
	zed, err := f.db.FindUserByEmail(context.Background(), f.org.ID, "zed@demo.test")
	if err != nil || zed.TitleKey() != "apm" {
		t.Fatalf("created %+v %v", zed, err)
	}
	if res := f.as(t, "admin@demo.test", http.MethodGet, "/admin/people", nil); strings.Contains(string(res.Body), "One-time password") {
		t.Error("the password shows again")
	}
	res = f.form(t, "admin@demo.test", "/admin/people/users", url.Values{"name": {"Dup"}, "email": {"pm@demo.test"}, "role": {"pm"}})
	if res.Status != http.StatusConflict || !strings.Contains(string(res.Body), "already exists") {
		t.Errorf("duplicate e-mail: %d", res.Status)
	}
	// Edit: name, title, role; absent fields stay.
	res = f.form(t, "admin@demo.test", "/admin/people/users/"+itoa64(zed.ID), url.Values{"name": {"Zed Zimmer"}, "title": {"pm"}, "role": {"pm"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("edit person: %d %s", res.Status, res.Body)
	}
	zed, _ = f.db.FindUserByEmail(context.Background(), f.org.ID, "zed@demo.test")
	if zed.Name != "Zed Zimmer" || zed.TitleKey() != "pm" || !zed.Active {
		t.Errorf("after edit %+v", zed)
	}
	// Teams: create, add, remove.
	if res := f.form(t, "admin@demo.test", "/admin/people/teams", url.Values{"name": {"Payments"}, "description": {"Money in, money out."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("create team: %d", res.Status)
	}
	if res := f.form(t, "admin@demo.test", "/admin/people/teams", url.Values{"name": {"Payments"}}); res.Status != http.StatusConflict {
		t.Errorf("duplicate team: %d", res.Status)
	}
	res = f.form(t, "admin@demo.test", "/admin/people/teams/"+growth+"/members", url.Values{"user_id": {itoa64(zed.ID)}, "role": {"member"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add member: %d", res.Status)
	}
	if res := f.as(t, "leader@demo.test", http.MethodGet, "/api/v1/people/"+itoa64(zed.ID)+"/ratings", nil); res.Status != http.StatusOK {
		t.Errorf("the leader of the new member's team: %d", res.Status)
	}
	if res := f.form(t, "admin@demo.test", "/admin/people/teams/"+growth+"/members", url.Values{"user_id": {itoa64(zed.ID)}, "role": {"boss"}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad team role: %d", res.Status)
	}
	if res := f.form(t, "admin@demo.test", "/admin/people/teams/"+growth+"/members/"+itoa64(zed.ID)+"/remove", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("remove member: %d", res.Status)
	}
	if res := f.as(t, "leader@demo.test", http.MethodGet, "/api/v1/people/"+itoa64(zed.ID)+"/ratings", nil); res.Status != http.StatusForbidden {
		t.Errorf("after removal, the leader: %d", res.Status)
	}
	// Deactivate: the person's sessions end at once; admins cannot deactivate themselves.
	if res := f.as(t, "pm2@demo.test", http.MethodGet, "/api/v1/me", nil); res.Status != http.StatusOK {
		t.Fatal(res.Status)
	}
	if res := f.form(t, "admin@demo.test", "/admin/people/users/"+itoa64(f.ids["pm2@demo.test"]), url.Values{"active": {"false"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d", res.Status)
	}
	if res := f.as(t, "pm2@demo.test", http.MethodGet, "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Errorf("deactivated person's session: %d", res.Status)
	}
	if res := f.form(t, "admin@demo.test", "/admin/people/users/"+itoa64(f.ids["admin@demo.test"]), url.Values{"active": {"false"}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("self-deactivation: %d", res.Status)
	}

	// Framework: add, edit, archive, delete, ladder.
	res = f.form(t, "admin@demo.test", "/admin/framework/competencies", url.Values{"area": {"strategy"}, "key": {"pricing"}, "name": {"Pricing"}, "importance": {"3"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add competency: %d %s", res.Status, res.Body)
	}
	res = f.form(t, "admin@demo.test", "/admin/framework/competencies", url.Values{"area": {"strategy"}, "key": {"Not OK"}, "name": {"X"}, "importance": {"2"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `value="Not OK"`) {
		t.Errorf("bad key: %d", res.Status)
	}
	res = f.form(t, "admin@demo.test", "/admin/framework/competencies/pricing", url.Values{"name": {"Pricing & packaging"}, "definition": {"Sets prices."}, "importance": {"2"}, "leads_only": {"true"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("edit competency: %d", res.Status)
	}
	fw, _ := f.db.FindFramework(context.Background(), f.org.ID)
	if c := fw.ByKey("pricing"); c.Name != "Pricing & packaging" || c.Importance != 2 || !c.LeadsOnly || c.Archived {
		t.Errorf("after edit %+v", c)
	}
	if res := f.form(t, "admin@demo.test", "/admin/framework/competencies/pricing", url.Values{"archived": {"true"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.Status)
	}
	fw, _ = f.db.FindFramework(context.Background(), f.org.ID)
	if c := fw.ByKey("pricing"); !c.Archived || c.Name != "Pricing & packaging" || !c.LeadsOnly {
		t.Errorf("after archive %+v", c)
	}
	if res := f.form(t, "admin@demo.test", "/admin/framework/competencies/analytics/delete", nil); res.Status != http.StatusConflict {
		t.Errorf("delete a rated competency: %d", res.Status)
	}
	if res := f.form(t, "admin@demo.test", "/admin/framework/competencies/pricing/delete", nil); res.Status != http.StatusSeeOther {
		t.Errorf("delete an unrated competency: %d", res.Status)
	}
	res = f.form(t, "admin@demo.test", "/admin/framework/ladder", url.Values{"lvl.pm.analytics": {"4"}, "lvl.apm.analytics": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("ladder: %d", res.Status)
	}
	ladder, _ := f.db.FindLadder(context.Background(), f.org.ID)
	if ladder["pm"]["analytics"] != 4 || ladder["apm"]["analytics"] != 1 || ladder["pm"]["delivery"] != 3 {
		t.Errorf("ladder after the form: %v", ladder["pm"])
	}
	if res := f.form(t, "admin@demo.test", "/admin/framework/ladder", url.Values{"lvl.pm.analytics": {"9"}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("ladder 9: %d", res.Status)
	}
}

// TestUserTextRendersAsText: names, notes and tags typed by people are text on every page.
func TestUserTextRendersAsText(t *testing.T) {
	f := newFixture(t)
	pm := f.ids["pm@demo.test"]
	evil := `<img src=x onerror=alert(1)>`
	wantStatus(t, f.as(t, "pm@demo.test", http.MethodPut, "/api/v1/me/ratings", batch(rating("analytics", 2, evil))), http.StatusOK)
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/users/"+itoa64(pm), map[string]any{"name": `Maya </td><script>alert(2)</script>`}), http.StatusOK)
	wantStatus(t, f.as(t, "admin@demo.test", http.MethodPatch, "/api/v1/competencies/delivery", map[string]any{"name": `Delivery <b onmouseover=alert(3)>`}), http.StatusOK)
	for _, c := range []struct{ email, path string }{
		{"leader@demo.test", "/people/" + itoa64(pm) + "?c=analytics"},
		{"pm@demo.test", "/me/profile"},
		{"admin@demo.test", "/admin/people"},
		{"admin@demo.test", "/admin/framework"},
	} {
		body := string(f.as(t, c.email, http.MethodGet, c.path, nil).Body)
		for _, raw := range []string{"<img src=x", "<script>alert(2)", "<b onmouseover"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s shows %q unescaped", c.path, raw)
			}
		}
	}
	body := string(f.as(t, "leader@demo.test", http.MethodGet, "/people/"+itoa64(pm)+"?c=analytics", nil).Body)
	if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the evidence note is not on the person page as text")
	}
}
