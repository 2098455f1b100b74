package http

import (
	"context"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/trends"
)

// The notification centre over HTTP: a sweep fills it, the bell counts it, marking read
// touches only the caller's, and bad input names its field.
func TestNotificationCentre(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pm, pm2 := f.ids["pm@demo.test"], f.ids["pm2@demo.test"]
	req := &app.PeerRequest{SubjectID: pm2, ReviewerID: pm, RequestedBy: f.ids["leader@demo.test"]}
	if err := f.db.CreatePeerRequest(ctx, f.org.ID, req); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.Notify().Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	var centre struct {
		Data struct {
			Unread        int
			Notifications []app.Notification
		}
	}
	res := f.as(t, "pm@demo.test", "GET", "/api/v1/notifications", nil)
	wantStatus(t, res, 200)
	res.JSON(t, &centre)
	if centre.Data.Unread < 1 || len(centre.Data.Notifications) != centre.Data.Unread ||
		!strings.Contains(centre.Data.Notifications[0].Title, "asked you to rate") {
		t.Fatalf("pm's centre %+v", centre.Data)
	}
	page := f.as(t, "pm@demo.test", "GET", "/me/profile", nil)
	if !strings.Contains(string(page.Body), `class="bell-count">`+itoa64(int64(centre.Data.Unread))+`<`) {
		t.Errorf("the bell does not count %d", centre.Data.Unread)
	}
	mine := centre.Data.Notifications[0].ID

	// Someone else's ids mark nothing.
	res = f.as(t, "pm2@demo.test", "POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{mine}})
	wantStatus(t, res, 200)
	if !strings.Contains(string(res.Body), `"marked":0`) {
		t.Errorf("pm2 marked pm's notification: %s", res.Body)
	}
	for _, bad := range []struct{ body, field string }{
		{`{}`, "ids"}, {`{"ids":[1],"all":true}`, "ids"}, {`{"ids":[-3]}`, "ids[0]"}, {`{"ids":"x"}`, "ids"},
	} {
		res := f.as(t, "pm@demo.test", "POST", "/api/v1/notifications/read", bad.body)
		if res.Status != 422 && res.Status != 400 || !strings.Contains(string(res.Body), `"field":"`+bad.field+`"`) {
			t.Errorf("%s: %d %s", bad.body, res.Status, res.Body)
		}
	}
	res = f.as(t, "pm@demo.test", "POST", "/api/v1/notifications/read", map[string]any{"all": true})
	wantStatus(t, res, 200)
	if n, _ := f.db.CountUnreadNotifications(ctx, pm); n != 0 {
		t.Errorf("%d unread after marking all", n)
	}

	// E-mail settings: an unknown kind is refused whole.
	res = f.as(t, "pm@demo.test", "PUT", "/api/v1/me/notification-settings", map[string]any{"email": map[string]bool{"digest": false, "spam": true}})
	if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"email.spam"`) {
		t.Errorf("unknown kind: %d %s", res.Status, res.Body)
	}
	if p, _ := f.db.FindNotificationPrefs(ctx, pm); len(p) != 0 {
		t.Errorf("a refused request stored %v", p)
	}
	res = f.as(t, "pm@demo.test", "PUT", "/api/v1/me/notification-settings", map[string]any{"email": map[string]bool{"peer_request": false}})
	wantStatus(t, res, 200)
	if p, _ := f.db.FindNotificationPrefs(ctx, pm); len(p) != 1 || p["peer_request"] {
		t.Errorf("stored %v", p)
	}
}

// The trends API answers for every role in the team, with disclosed figures for HR.
func TestTrendsAPI(t *testing.T) {
	f := newFixture(t)
	growth := itoa64(f.ids["team:Growth"])
	for _, who := range []string{"admin@demo.test", "leader@demo.test", "hr@demo.test", "pm@demo.test"} {
		var out struct{ Data trends.Trend }
		res := f.as(t, who, "GET", "/api/v1/teams/"+growth+"/trends", nil)
		wantStatus(t, res, 200)
		res.JSON(t, &out)
		n := len(out.Data.Points)
		if n < 2 || !out.Data.Points[n-1].Open || len(out.Data.Series) == 0 {
			t.Fatalf("%s: %+v", who, out.Data)
		}
		// Last quarter's cycle closed (the demo): its point is the frozen snapshot.
		if p := out.Data.Points[n-2]; !p.Frozen || out.Data.Points[n-1].Frozen {
			t.Errorf("%s: last quarter's point %s frozen %v, the open one %v", who, p.Label, p.Frozen, out.Data.Points[n-1].Frozen)
		}
		if who == "hr@demo.test" && out.Data.Individuals {
			t.Errorf("HR sees individuals")
		}
	}
	// The dashboard draws each competency's depth by quarter beside the gaps: the demo's
	// people were in Growth a year before its first ratings.
	page := f.as(t, "leader@demo.test", "GET", "/teams/"+growth, nil)
	wantStatus(t, page, 200)
	if !strings.Contains(string(page.Body), `<svg class="spark"`) || !strings.Contains(string(page.Body), "(open)") ||
		!strings.Contains(string(page.Body), "(frozen)") {
		t.Errorf("the team page has no sparklines, no open quarter or no frozen one")
	}
	res := f.as(t, "other-leader@demo.test", "GET", "/api/v1/teams/"+growth+"/trends", nil)
	wantStatus(t, res, 404)
	res = f.as(t, "admin@demo.test", "GET", "/api/v1/teams/"+growth+"/trends?quarters=x", nil)
	if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"quarters"`) {
		t.Errorf("quarters=x: %d %s", res.Status, res.Body)
	}
}

// The calibration page and API for the admin, names of leaders included.
func TestCalibrationPage(t *testing.T) {
	f := newFixture(t)
	page := f.as(t, "admin@demo.test", "GET", "/org/calibration", nil)
	wantStatus(t, page, 200)
	res := f.as(t, "admin@demo.test", "GET", "/api/v1/org/calibration", nil)
	wantStatus(t, res, 200)
	for _, want := range []string{"Lena Leader"} {
		if !strings.Contains(string(page.Body), want) || !strings.Contains(string(res.Body), want) {
			t.Errorf("calibration lacks %q", want)
		}
	}
}
