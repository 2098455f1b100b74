package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		now     time.Time
		checkIn string
	}{
		{time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC), ""},        // 28 days before the quarter ends
		{time.Date(2026, 12, 11, 0, 0, 1, 0, time.UTC), "2026-Q4"}, // inside the last 21 days
		{time.Date(2027, 3, 31, 23, 0, 0, 0, time.UTC), "2027-Q1"}, // the last day
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), ""},          // a new quarter
	} {
		q := Rules(tc.now)
		if q.CheckInQuarter != tc.checkIn || !q.SOPReviewBy.Equal(tc.now.Add(7*24*time.Hour)) ||
			!q.StaleBefore.Equal(tc.now.AddDate(0, -6, 0)) || q.CycleDueBy != app.DateOf(tc.now.AddDate(0, 0, 3)) {
			t.Errorf("%s: %+v, want check-ins of %q", tc.now, q, tc.checkIn)
		}
	}
}

// Each occasion has its own key: the same item gives the same key until the occasion
// changes (a new quarter, a new review date, a new week).
func TestRemindKeys(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC) // ISO week 49
	due := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		d          app.Due
		key, title string
		link       string
	}{
		{app.Due{Kind: app.NotifyPeerRequest, UserID: 7, RefID: 42, Subject: "Maya", Other: "Omar"},
			"peer_request:42", "Omar asked you to rate Maya", "/peer-requests/42"},
		{app.Due{Kind: app.NotifyCheckInDue, UserID: 7, RefID: 3, Subject: "Maya"},
			"checkin_due:2026-Q4:person:3:user:7", "Coaching check-in due with Maya", "/people/3/coaching"},
		{app.Due{Kind: app.NotifySOPReviewDue, UserID: 7, RefID: 9, Subject: "Intake", Due: &due},
			"sop_review_due:9:2026-12-08:user:7", "SOP review due: Intake", "/sops/9"},
		{app.Due{Kind: app.NotifyStaleRatings, UserID: 7, RefID: 7},
			"stale_ratings:2026-Q4:user:7", "Your skill ratings are more than two quarters old", "/me/profile"},
		{app.Due{Kind: app.NotifyDigest, UserID: 7, RefID: 7},
			"digest:2026-W49:user:7", "Your weekly Teamshape digest, week 49", "/teams"},
		{app.Due{Kind: app.NotifyCycleDue, UserID: 7, RefID: 5, Subject: "Growth", Quarter: "2026-Q4", Due: &due, Stage: app.CycleStageSelf, Owed: 2, Of: 13},
			"cycle_due:5:self:user:7", "Your self-assessment is due 2026-12-08", "/me/profile"},
		{app.Due{Kind: app.NotifyCycleDue, UserID: 7, RefID: 5, Subject: "Growth", Quarter: "2026-Q4", Due: &due, Stage: app.CycleStagePeer, Owed: 1, Of: 1},
			"cycle_due:5:peer:user:7", "Peer ratings due 2026-12-08", "/me/profile"},
		{app.Due{Kind: app.NotifyCycleDue, UserID: 7, RefID: 5, Subject: "Growth", Quarter: "2026-Q4", Due: &due, Stage: app.CycleStageLeader, Owed: 2, Of: 6},
			"cycle_due:5:leader:user:7", "Leader ratings due 2026-12-08: Growth", "/cycles/5"},
		{app.Due{Kind: app.NotifyCycleDue, UserID: 7, RefID: 5, Subject: "Growth", Quarter: "2026-Q4", Due: &due, Stage: app.CycleStageReview, Owed: 6, Of: 6},
			"cycle_due:5:review:user:7", "1:1s due 2026-12-08: Growth", "/cycles/5"},
	} {
		r := Remind(tc.d, now)
		if r.Key != tc.key || r.Title != tc.title || r.Link != tc.link || r.UserID != 7 || r.Kind != tc.d.Kind {
			t.Errorf("%s: %+v", tc.d.Kind, r.Notification)
		}
		if tc.d.Kind == app.NotifyCycleDue && !strings.Contains(r.Body, "Growth's 2026-Q4 assessment cycle") {
			t.Errorf("%s: body %q", r.Key, r.Body)
		}
	}
}

// A self-assessment reminder made after its date says it was due.
func TestCycleReminderPastDate(t *testing.T) {
	due := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	d := app.Due{Kind: app.NotifyCycleDue, UserID: 7, RefID: 5, Subject: "Growth", Quarter: "2026-Q4", Due: &due, Stage: app.CycleStageSelf, Owed: 1, Of: 13}
	for _, tc := range []struct {
		now   time.Time
		title string
	}{
		{time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC), "Your self-assessment is due 2026-12-01"},
		{time.Date(2026, 12, 2, 0, 0, 1, 0, time.UTC), "Your self-assessment was due 2026-12-01"},
	} {
		r := Remind(d, tc.now)
		if r.Title != tc.title || r.Key != "cycle_due:5:self:user:7" || r.Body != "Rate yourself in 1 more competency for Growth's 2026-Q4 assessment cycle by 2026-12-01." {
			t.Errorf("%s: %q %q %q", tc.now, r.Key, r.Title, r.Body)
		}
	}
}

func TestPrefsDefaults(t *testing.T) {
	got := prefsOf(map[string]bool{app.NotifyDigest: false, app.NotifyStaleRatings: true})
	want := map[string]bool{app.NotifyPeerRequest: true, app.NotifyCheckInDue: true, app.NotifySOPReviewDue: true,
		app.NotifyStaleRatings: true, app.NotifyDigest: false, app.NotifyCycleDue: true}
	if len(got) != len(want) {
		t.Fatalf("%d prefs", len(got))
	}
	for _, p := range got {
		if p.Email != want[p.Key] {
			t.Errorf("%s: %v, want %v", p.Key, p.Email, want[p.Key])
		}
	}
}
