package http

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

// Mentoring by consent: nobody is suggested before they opt in, a mentor only in what they
// offer, and nothing a seeker receives tells one rating from another.

// mentoringOut is GET (and PUT) /api/v1/me/mentoring.
type mentoringOut struct {
	Data struct {
		OptIn   bool     `json:"mentor_opt_in"`
		OptOut  bool     `json:"mentor_opt_out"`
		Offers  []string `json:"offers"`
		Mentees int      `json:"mentees"`
	} `json:"data"`
}

func (f *fixture) mentoring(t *testing.T, email string) mentoringOut {
	t.Helper()
	res := f.as(t, email, http.MethodGet, "/api/v1/me/mentoring", nil)
	wantStatus(t, res, http.StatusOK)
	var out mentoringOut
	res.JSON(t, &out)
	return out
}

// mentorLabel is the label of the named mentor among the suggestions ("" when not suggested).
func (m mentorsOut) mentorLabel(name string) (string, bool) {
	for _, s := range m.Data.Mentors {
		if s.Name == name {
			return s.Label, true
		}
	}
	return "", false
}

// Paula is rated 4 in delivery and 5 in quality & launch, and has not opted in (demo):
// she is suggested to nobody, as a mentor or a peer, and cannot be asked. Once she opts in
// offering delivery, she is suggested in delivery (and only there) and as a peer. A bad
// setting is refused whole, naming the field; opting out withdraws her offers.
func TestMentorsOnlyByConsent(t *testing.T) {
	f := newFixture(t)
	const paula, omar, ravi = "other-pm@demo.test", "pm2@demo.test", "pm4@demo.test"
	if _, ok := f.mentors(t, omar, "delivery").mentorLabel("Paula Rossi"); ok {
		t.Error("Paula is suggested as a mentor in delivery without opting in")
	}
	if _, _, peers := f.mentors(t, ravi, "customer_research").names(); slices.Contains(peers, "Paula Rossi") {
		t.Error("Paula is suggested as a peer without opting in")
	}
	wantField(t, f.ask(t, omar, paula, "delivery"), http.StatusUnprocessableEntity, "mentor_id")
	if st := f.mentoring(t, paula).Data; st.OptIn || !st.OptOut || len(st.Offers) != 0 {
		t.Errorf("Paula's settings before she decides: %+v", st)
	}

	res := f.as(t, paula, http.MethodPut, "/api/v1/me/mentoring", map[string]any{"mentor_opt_in": true, "offers": []string{"delivery"}})
	wantStatus(t, res, http.StatusOK)
	var st mentoringOut
	res.JSON(t, &st)
	if !st.Data.OptIn || st.Data.OptOut || !slices.Equal(st.Data.Offers, []string{"delivery"}) {
		t.Fatalf("after opting in: %s", res.Body)
	}
	label, ok := f.mentors(t, omar, "delivery").mentorLabel("Paula Rossi")
	if !ok || label != "offers mentoring in Delivery & technical partnership" {
		t.Errorf("after opting in, Paula in delivery: suggested %v, label %q", ok, label)
	}
	if _, ok := f.mentors(t, omar, "quality_launch").mentorLabel("Paula Rossi"); ok {
		t.Error("Paula is suggested in quality & launch, which she does not offer")
	}
	if _, _, peers := f.mentors(t, ravi, "customer_research").names(); !slices.Contains(peers, "Paula Rossi") {
		t.Errorf("after opting in, Paula is not a peer of Ravi: %v", peers)
	}
	wantStatus(t, f.ask(t, omar, paula, "delivery"), http.StatusCreated)

	// Refused whole, naming the field: nothing changes.
	for _, tc := range []struct {
		name  string
		body  any
		field string
	}{
		{"nothing to set", map[string]any{}, "mentor_opt_in"},
		{"opt-in not a boolean", map[string]any{"mentor_opt_in": "yes"}, "mentor_opt_in"},
		{"offers not a list", map[string]any{"mentor_opt_in": true, "offers": "delivery"}, "offers"},
		{"unknown competency", map[string]any{"mentor_opt_in": true, "offers": []string{"delivery", "juggling"}}, "offers[1]"},
		{"rated under the minimum", map[string]any{"mentor_opt_in": true, "offers": []string{"customer_research"}}, "offers[0]"},
		{"offers while opting out", map[string]any{"mentor_opt_in": false, "offers": []string{"delivery"}}, "offers"},
		{"contradiction", map[string]any{"mentor_opt_in": true, "mentor_opt_out": true}, "mentor_opt_out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, f.as(t, paula, http.MethodPut, "/api/v1/me/mentoring", tc.body), http.StatusUnprocessableEntity, tc.field)
		})
	}
	if st := f.mentoring(t, paula).Data; !st.OptIn || !slices.Equal(st.Offers, []string{"delivery"}) {
		t.Errorf("a refused setting changed Paula's: %+v", st)
	}

	// The opt-out field still works: opting out withdraws every offer; her pending request
	// can still be answered.
	wantStatus(t, f.as(t, paula, http.MethodPut, "/api/v1/me/mentoring", map[string]any{"mentor_opt_out": true}), http.StatusOK)
	if st := f.mentoring(t, paula).Data; st.OptIn || !st.OptOut || len(st.Offers) != 0 {
		t.Errorf("after opting out: %+v", st)
	}
	if _, ok := f.mentors(t, omar, "delivery").mentorLabel("Paula Rossi"); ok {
		t.Error("Paula is still suggested after opting out")
	}
	wantStatus(t, f.as(t, paula, http.MethodPost, "/api/v1/mentorships/"+f.mentorship(t, omar, paula)+"/decline", nil), http.StatusOK)
}

// What a seeker receives about a listed mentor is byte for byte the same whatever she is
// rated in the competency now, through the API and on the page: suggestions follow her
// offer (made when she was rated 3 or more), never her rating. A listing that came and went
// with the rating would be a figure of one person.
func TestMentorListingHidesLevel(t *testing.T) {
	f := newFixture(t)
	const grace, omar = "pm6@demo.test", "pm2@demo.test" // Grace offers delivery (demo), rated 4 in it
	rate := func(level int) {
		t.Helper()
		l := level
		if err := f.db.RecordRatings(context.Background(), app.RatingBatch{OrgID: f.org.ID, SubjectID: f.ids[grace],
			RaterID: f.ids["leader@demo.test"], Kind: app.RatingLeader,
			Ratings: []app.RatingInput{{Competency: "delivery", Level: &l, Note: "Re-rated"}}}); err != nil {
			t.Fatal(err)
		}
	}
	seen := func() (api, page []byte) {
		t.Helper()
		res := f.as(t, omar, http.MethodGet, "/api/v1/mentors?competency=delivery", nil)
		wantStatus(t, res, http.StatusOK)
		pg := f.as(t, omar, http.MethodGet, "/me/mentoring?competency=delivery", nil)
		wantStatus(t, pg, http.StatusOK)
		return res.Body, pg.Body
	}
	api4, page4 := seen()
	if _, ok := f.mentors(t, omar, "delivery").mentorLabel("Grace Liu"); !ok {
		t.Fatalf("Grace is not suggested in delivery: %s", api4)
	}
	for _, level := range []int{5, 3, 2, 0} {
		rate(level)
		api, page := seen()
		if !bytes.Equal(api, api4) {
			t.Errorf("the suggestions change when Grace is rated %d instead of 4:\n%s\n%s", level, api4, api)
		}
		if !bytes.Equal(page, page4) {
			t.Errorf("the mentoring page changes when Grace is rated %d instead of 4", level)
		}
	}
}

// levelWords are words that would tell a mentor's rating.
var levelWords = regexp.MustCompile(`(?i)can teach|can coach|expert|proficient|level`)

// The mentoring page words a suggested mentor as offering mentoring, never by level.
func TestMentoringPageShowsNoLevel(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ seeker, competency, mentor string }{
		{"pm4@demo.test", "delivery", "Maya Chen"},                // rated 5
		{"pm4@demo.test", "delivery", "Grace Liu"},                // rated 4
		{"pm4@demo.test", "customer_research", "Sofia Lindqvist"}, // rated 4
		{"pm4@demo.test", "user_experience", "Sofia Lindqvist"},   // rated 5
	} {
		res := f.as(t, tc.seeker, http.MethodGet, "/me/mentoring?competency="+url.QueryEscape(tc.competency), nil)
		wantStatus(t, res, http.StatusOK)
		body := string(res.Body)
		if !strings.Contains(body, "Ask "+tc.mentor) || !strings.Contains(body, "offers mentoring in") {
			t.Errorf("%s in %s: %s is not suggested as offering mentoring", tc.seeker, tc.competency, tc.mentor)
		}
		if w := levelWords.FindAllString(body, -1); len(w) > 0 {
			t.Errorf("%s in %s: the page says %q", tc.seeker, tc.competency, w)
		}
	}
}
