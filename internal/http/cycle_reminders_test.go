package http

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
)

// The server's sweep includes the cycle deadlines: Ravi, who has not self-assessed in the
// demo's open Growth cycle (its self-assessment date passed), finds the reminder in his
// centre; the settings page lists the kind, and the form turns its e-mail off.
func TestCycleDeadlineReminderOverHTTP(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.srv.Notify().Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	var centre struct {
		Data struct{ Notifications []app.Notification }
	}
	res := f.as(t, "pm4@demo.test", "GET", "/api/v1/notifications", nil)
	wantStatus(t, res, 200)
	res.JSON(t, &centre)
	found := false
	for _, n := range centre.Data.Notifications {
		if n.Kind == app.NotifyCycleDue && strings.HasPrefix(n.Title, "Your self-assessment was due") && n.Link == "/me/profile" {
			found = true
		}
	}
	if !found {
		t.Errorf("Ravi has no self-assessment reminder: %+v", centre.Data.Notifications)
	}

	res = f.as(t, "pm4@demo.test", "GET", "/me/notifications", nil)
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), `name="email_cycle_due" value="1" checked`) || !strings.Contains(string(res.Body), "Assessment cycle deadlines") {
		t.Error("the settings page does not list cycle deadlines, on by default")
	}
	form := url.Values{"email_peer_request": {"1"}}
	res = f.do(t, "POST", "/me/notifications/settings", f.token(t, "pm4@demo.test"), form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, 303)
	if p, err := f.db.FindNotificationPrefs(ctx, f.ids["pm4@demo.test"]); err != nil || p[app.NotifyCycleDue] {
		t.Errorf("cycle deadlines by e-mail after the form: %v, %v", p, err)
	}
}
