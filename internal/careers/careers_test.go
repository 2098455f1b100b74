package careers_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/postgres"
)

// demoService seeds the demo organisation, adds a PM and an admin of another organisation
// (outsider@ and outsider-admin@), and returns the service with an actor per e-mail.
func demoService(t *testing.T) (*careers.Service, *postgres.DB, map[string]*app.Actor) {
	t.Helper()
	o := demotest.Seed(t)
	o.Outsider(t, "outsider@elsewhere.test", app.RolePM)
	o.Outsider(t, "outsider-admin@elsewhere.test", app.RoleAdmin)
	return careers.New(o.DB, time.Now), o.DB, o.Actors
}

// wantCode fails unless err carries the code ("" for no error).
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Errorf("%s: error %q (%v), want %q", what, got, err, code)
	}
}

// Who may see a person's career, their hit-lists and the mentors suggested to them: the
// person, their leaders and admins. Anyone else — another PM, a leader of another team, HR,
// anyone of another organisation — learns nothing, not even that the person exists.
func TestPersonalReadsFollowCareerAccess(t *testing.T) {
	svc, _, actors := demoService(t)
	ctx := context.Background()
	maya := actors["pm@demo.test"].UserID
	reads := map[string]func(a *app.Actor, person int64) error{
		"Career": func(a *app.Actor, person int64) error {
			_, err := svc.Career(ctx, a, person)
			return err
		},
		"Recommend": func(a *app.Actor, person int64) error {
			_, err := svc.Recommend(ctx, a, person, "customer_research")
			return err
		},
		"Mentors": func(a *app.Actor, person int64) error {
			_, err := svc.Mentors(ctx, a, person, "delivery")
			return err
		},
	}
	for _, tc := range []struct {
		actor string
		code  string
	}{
		{"pm@demo.test", ""},
		{"leader@demo.test", ""},
		{"admin@demo.test", ""},
		{"pm2@demo.test", app.ENOTFOUND},
		{"other-leader@demo.test", app.ENOTFOUND},
		{"hr@demo.test", app.ENOTFOUND},
		{"outsider@elsewhere.test", app.ENOTFOUND},
		{"outsider-admin@elsewhere.test", app.ENOTFOUND},
	} {
		for name, read := range reads {
			wantCode(t, name+" of Maya by "+tc.actor, read(actors[tc.actor], maya), tc.code)
		}
	}
	// An admin reads nobody of another organisation; a competency must be the framework's.
	for name, read := range reads {
		wantCode(t, name+" of an outsider by the admin", read(actors["admin@demo.test"], actors["outsider@elsewhere.test"].UserID), app.ENOTFOUND)
	}
	_, err := svc.Recommend(ctx, actors["pm@demo.test"], maya, "juggling")
	wantCode(t, "Recommend in an unknown competency", err, app.EINVALID)
	_, err = svc.Mentors(ctx, actors["pm@demo.test"], maya, "juggling")
	wantCode(t, "Mentors in an unknown competency", err, app.EINVALID)
}

// Only leaders and admins curate resources; a resource of another organisation is not found.
func TestResourceCuration(t *testing.T) {
	svc, _, actors := demoService(t)
	ctx := context.Background()
	lo, hi, bg := 0, 5, ""
	in := func(title string) app.ResourceInput {
		return app.ResourceInput{Title: title, URL: "https://example.com/" + title, Kind: "article", Competency: "analytics",
			LevelMin: &lo, LevelMax: &hi, Market: app.MarketBoth, Background: &bg}
	}
	r, err := svc.SaveResource(ctx, actors["leader@demo.test"], 0, in("charts"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		actor string
		code  string
	}{
		{"pm@demo.test", app.EFORBIDDEN},
		{"hr@demo.test", app.EFORBIDDEN},
		{"outsider-admin@elsewhere.test", app.ENOTFOUND},
		{"admin@demo.test", ""},
		{"leader@demo.test", ""},
	} {
		a := actors[tc.actor]
		_, err := svc.SaveResource(ctx, a, r.ID, in("charts"))
		wantCode(t, "update by "+tc.actor, err, tc.code)
		if tc.code == app.EFORBIDDEN {
			_, err = svc.SaveResource(ctx, a, 0, in("mine"))
			wantCode(t, "create by "+tc.actor, err, tc.code)
			_, err = svc.Catalogue(ctx, a)
			wantCode(t, "catalogue for "+tc.actor, err, tc.code)
			wantCode(t, "delete by "+tc.actor, svc.DeleteResource(ctx, a, r.ID), tc.code)
		}
	}
	wantCode(t, "delete by another organisation's admin", svc.DeleteResource(ctx, actors["outsider-admin@elsewhere.test"], r.ID), app.ENOTFOUND)
	wantCode(t, "delete by a leader", svc.DeleteResource(ctx, actors["leader@demo.test"], r.ID), "")
	wantCode(t, "delete again", svc.DeleteResource(ctx, actors["leader@demo.test"], r.ID), app.ENOTFOUND)
}

// A resource goes onto a plan by the coaching service's rule: the PM and their leaders.
func TestAddResourceToPlanAccess(t *testing.T) {
	svc, db, actors := demoService(t)
	ctx := context.Background()
	maya := actors["pm@demo.test"].UserID
	var five int64
	if err := db.GetContext(ctx, &five, `SELECT id FROM learning_resources WHERE title = 'Five interviews before Friday'`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		actor    string
		resource int64
		person   int64
		code     string
	}{
		{"pm2@demo.test", five, maya, app.ENOTFOUND},
		{"other-leader@demo.test", five, maya, app.ENOTFOUND},
		{"hr@demo.test", five, maya, app.ENOTFOUND},
		{"outsider-admin@elsewhere.test", five, maya, app.ENOTFOUND}, // not their organisation's resource
		{"pm@demo.test", 0, 0, app.EINVALID},                         // no resource chosen
		{"pm@demo.test", five, 0, ""},                                // 0: herself
		{"leader@demo.test", five, maya, app.ECONFLICT},              // on the plan already
	} {
		_, err := svc.AddResourceToPlan(ctx, actors[tc.actor], tc.resource, tc.person)
		wantCode(t, tc.actor, err, tc.code)
	}
}

// A mentorship is the mentee's and the mentor's: anyone else does not find it, only the
// mentor answers a request, and either ends it.
func TestAnswerMentorshipAccess(t *testing.T) {
	svc, _, actors := demoService(t)
	ctx := context.Background()
	ravi, grace := actors["pm4@demo.test"], actors["pm6@demo.test"]
	m, err := svc.AskMentor(ctx, ravi, careers.MentorshipInput{MentorID: grace.UserID, Competency: "delivery", Message: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		actor, action string
		code          string
	}{
		{"pm2@demo.test", careers.MentorshipAccept, app.ENOTFOUND},
		{"leader@demo.test", careers.MentorshipEnd, app.ENOTFOUND},
		{"admin@demo.test", careers.MentorshipDecline, app.ENOTFOUND},
		{"outsider-admin@elsewhere.test", careers.MentorshipEnd, app.ENOTFOUND},
		{"pm6@demo.test", "promote", app.ENOTFOUND},
		{"pm4@demo.test", careers.MentorshipAccept, app.EFORBIDDEN}, // the mentee does not answer
		{"pm4@demo.test", careers.MentorshipDecline, app.EFORBIDDEN},
		{"pm6@demo.test", careers.MentorshipAccept, ""},
		{"pm6@demo.test", careers.MentorshipDecline, app.ECONFLICT}, // answered already
		{"pm4@demo.test", careers.MentorshipEnd, ""},
		{"pm6@demo.test", careers.MentorshipEnd, app.ECONFLICT},
	} {
		_, err := svc.AnswerMentorship(ctx, actors[tc.actor], m.ID, tc.action)
		wantCode(t, tc.actor+" "+tc.action, err, tc.code)
	}
	// Nobody asks themself, nor someone who does not offer the competency.
	for _, mentor := range []string{"pm4@demo.test", "pm3@demo.test", "hr@demo.test"} {
		_, err := svc.AskMentor(ctx, ravi, careers.MentorshipInput{MentorID: actors[mentor].UserID, Competency: "delivery"})
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "mentor_id" {
			t.Errorf("asking %s: %v, want EINVALID naming mentor_id", mentor, err)
		}
	}
}
