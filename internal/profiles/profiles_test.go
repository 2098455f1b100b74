package profiles_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/profiles"
)

// demoService seeds the demo organisation, adds a PM and an admin of another organisation
// (outsider@ and outsider-admin@), and returns the service with an actor per e-mail.
func demoService(t *testing.T) (*profiles.Service, map[string]*app.Actor) {
	t.Helper()
	o := demotest.Seed(t)
	o.Outsider(t, "outsider@elsewhere.test", app.RolePM)
	o.Outsider(t, "outsider-admin@elsewhere.test", app.RoleAdmin)
	return profiles.New(o.DB, time.Now), o.Actors
}

// wantCode fails unless err carries the code ("" for no error).
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Errorf("%s: error %q (%v), want %q", what, got, err, code)
	}
}

func rating(key string, level int) []app.RatingInput {
	return []app.RatingInput{{Competency: key, Level: &level, Note: "Seen in the Q3 launch review."}}
}

// Who may read Maya's ratings, ask for a peer rating of her and rate her as a leader:
// she herself (not as a leader), her leader and admins. Anyone else of the organisation
// is refused; anyone of another organisation learns nothing, not even that she exists.
func TestPersonAccess(t *testing.T) {
	svc, actors := demoService(t)
	ctx := context.Background()
	maya := actors["pm@demo.test"].UserID
	for _, tc := range []struct {
		actor        string
		read, leader string // codes of reading (and asking for peers) and of rating as a leader
		reviewer     string // asked for a peer rating (one open request per reviewer)
	}{
		{"pm@demo.test", "", app.EFORBIDDEN, "pm3@demo.test"},
		{"leader@demo.test", "", "", "pm4@demo.test"},
		{"admin@demo.test", "", "", "pm5@demo.test"},
		{"pm2@demo.test", app.EFORBIDDEN, app.EFORBIDDEN, "pm6@demo.test"},
		{"other-leader@demo.test", app.EFORBIDDEN, app.EFORBIDDEN, "pm6@demo.test"},
		{"hr@demo.test", app.EFORBIDDEN, app.EFORBIDDEN, "pm6@demo.test"},
		{"outsider@elsewhere.test", app.ENOTFOUND, app.ENOTFOUND, "pm6@demo.test"},
		{"outsider-admin@elsewhere.test", app.ENOTFOUND, app.ENOTFOUND, "pm6@demo.test"},
	} {
		a := actors[tc.actor]
		_, err := svc.PersonRatings(ctx, a, maya)
		wantCode(t, "PersonRatings of Maya by "+tc.actor, err, tc.read)
		_, err = svc.Person(ctx, a, maya)
		wantCode(t, "Person page of Maya by "+tc.actor, err, tc.read)
		_, err = svc.RequestPeerRating(ctx, a, maya, profiles.PeerRequestInput{ReviewerID: actors[tc.reviewer].UserID})
		wantCode(t, "RequestPeerRating of Maya by "+tc.actor, err, tc.read)
		wantCode(t, "RateAsLeader of Maya by "+tc.actor, svc.RateAsLeader(ctx, a, maya, rating("analytics", 3)), tc.leader)
	}
}

// Every kind of rating is checked by the one rule (app.ValidateRatings), and a peer
// request names someone of the organisation who may rate.
func TestRatingValidation(t *testing.T) {
	svc, actors := demoService(t)
	ctx := context.Background()
	maya, lena := actors["pm@demo.test"], actors["leader@demo.test"]
	wantCode(t, "self-rating", svc.RateSelf(ctx, maya, rating("analytics", 3)), "")
	wantCode(t, "self-rating in an unknown competency", svc.RateSelf(ctx, maya, rating("juggling", 3)), app.EINVALID)
	wantCode(t, "self-rating out of the scale", svc.RateSelf(ctx, maya, rating("analytics", 9)), app.EINVALID)
	wantCode(t, "leader rating out of the scale", svc.RateAsLeader(ctx, lena, maya.UserID, rating("analytics", 9)), app.EINVALID)
	for _, tc := range []struct {
		what     string
		reviewer int64
	}{
		{"herself", maya.UserID},
		{"HR", actors["hr@demo.test"].UserID},
		{"someone of another organisation", actors["outsider@elsewhere.test"].UserID},
		{"nobody", 0},
	} {
		_, err := svc.RequestPeerRating(ctx, maya, maya.UserID, profiles.PeerRequestInput{ReviewerID: tc.reviewer})
		wantCode(t, "peer request to "+tc.what, err, app.EINVALID)
	}
	r, err := svc.RequestPeerRating(ctx, maya, maya.UserID, profiles.PeerRequestInput{ReviewerID: actors["pm3@demo.test"].UserID})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, "peer answer out of the scale", svc.AnswerPeerRequest(ctx, actors["pm3@demo.test"], r.ID, rating("analytics", 9)), app.EINVALID)
}

// A peer request is seen, answered and declined by its named reviewer only, and only once.
func TestPeerRequestAccess(t *testing.T) {
	svc, actors := demoService(t)
	ctx := context.Background()
	maya, sofia := actors["pm@demo.test"], actors["pm3@demo.test"]
	ask := func(subject *app.Actor) int64 {
		t.Helper()
		r, err := svc.RequestPeerRating(ctx, subject, subject.UserID, profiles.PeerRequestInput{ReviewerID: sofia.UserID, Message: "  Thanks!  "})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	answered, declined := ask(maya), ask(actors["pm2@demo.test"])
	for _, who := range []string{"pm@demo.test", "leader@demo.test", "admin@demo.test", "pm2@demo.test", "hr@demo.test",
		"outsider@elsewhere.test", "outsider-admin@elsewhere.test"} {
		a := actors[who]
		_, err := svc.PeerRequestForm(ctx, a, answered)
		wantCode(t, "form by "+who, err, app.ENOTFOUND)
		wantCode(t, "answer by "+who, svc.AnswerPeerRequest(ctx, a, answered, rating("analytics", 3)), app.ENOTFOUND)
		wantCode(t, "decline by "+who, svc.DeclinePeerRequest(ctx, a, declined), app.ENOTFOUND)
	}
	f, err := svc.PeerRequestForm(ctx, sofia, answered)
	if err != nil || f.Request.SubjectID != maya.UserID || len(f.Scope) == 0 {
		t.Fatalf("form by the reviewer: %+v, %v", f, err)
	}
	wantCode(t, "answer by the reviewer", svc.AnswerPeerRequest(ctx, sofia, answered, rating("analytics", 3)), "")
	wantCode(t, "answer again", svc.AnswerPeerRequest(ctx, sofia, answered, rating("analytics", 3)), app.ECONFLICT)
	wantCode(t, "decline the answered", svc.DeclinePeerRequest(ctx, sofia, answered), app.ECONFLICT)
	wantCode(t, "decline by the reviewer", svc.DeclinePeerRequest(ctx, sofia, declined), "")
	wantCode(t, "answer the declined", svc.AnswerPeerRequest(ctx, sofia, declined, rating("analytics", 3)), app.ECONFLICT)

	toAnswer, _, err := svc.MyPeerRequests(ctx, sofia)
	if err != nil || len(toAnswer) < 2 {
		t.Fatalf("Sofia's requests to answer: %d, %v", len(toAnswer), err)
	}
	_, made, err := svc.MyPeerRequests(ctx, maya)
	if err != nil || len(made) != 1 || made[0].ID != answered || made[0].Message != "Thanks!" {
		t.Fatalf("Maya's requests made: %+v, %v", made, err)
	}
}
