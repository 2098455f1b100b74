package notify_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/notify"
)

// FindDue's rules on the demo: a plan of the quarter without a check-in is due to the
// person's team leaders; ratings older than StaleBefore are due to the member themselves;
// SOPs due by SOPReviewBy to their owner; every leader gets a digest.
func TestFindDue(t *testing.T) {
	o := demotest.Seed(t)
	ctx := context.Background()
	now := time.Now().UTC()
	q := app.QuarterOf(now).String()
	pm2, leader, pm := o.Actors["pm2@demo.test"].UserID, o.Actors["leader@demo.test"].UserID, o.Actors["pm@demo.test"].UserID
	if _, err := o.DB.ExecContext(ctx, `INSERT INTO coaching_plans (org_id, person_id, quarter) VALUES ($1, $2, $3)`, o.Org.ID, pm2, q); err != nil {
		t.Fatal(err)
	}
	due, err := o.DB.FindDue(ctx, app.DueQuery{CheckInQuarter: q, SOPReviewBy: now.AddDate(5, 0, 0), StaleBefore: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	has := func(kind string, user, ref int64) bool {
		for _, d := range due {
			if d.Kind == kind && d.UserID == user && (ref == 0 || d.RefID == ref) {
				return true
			}
		}
		return false
	}
	count := map[string]int{}
	for _, d := range due {
		count[d.Kind]++
		if d.Kind == app.NotifyStaleRatings && d.UserID == leader {
			t.Errorf("a leader (not a member) is told their ratings are stale")
		}
	}
	if !has(app.NotifyCheckInDue, leader, pm2) || count[app.NotifyCheckInDue] != 1 {
		t.Errorf("check-ins due: %d, want one to the leader about pm2 (Maya's plan has its check-in)", count[app.NotifyCheckInDue])
	}
	if !has(app.NotifyStaleRatings, pm, pm) {
		t.Errorf("pm's ratings are older than StaleBefore but not due")
	}
	if !has(app.NotifyDigest, leader, 0) || !has(app.NotifyDigest, o.Actors["other-leader@demo.test"].UserID, 0) || count[app.NotifyDigest] != 2 {
		t.Errorf("digests %d, want the two leaders'", count[app.NotifyDigest])
	}
	if count[app.NotifySOPReviewDue] == 0 {
		t.Errorf("no SOP review due within five years")
	}
	// With the real rules of today nothing is stale in the demo (rated 12 days ago).
	due, err = o.DB.FindDue(ctx, notify.Rules(now))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		if d.Kind == app.NotifyStaleRatings {
			t.Errorf("stale today: %+v", d)
		}
	}
}

// The sweeper sweeps at once and on its interval, and Stop ends it.
func TestSweeper(t *testing.T) {
	o := demotest.Seed(t)
	svc, err := notify.New(o.DB, time.Now, "http://teamshape.test")
	if err != nil {
		t.Fatal(err)
	}
	sw := notify.StartSweeper(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), 20*time.Millisecond)
	waitFor(t, "the first sweep's notifications", func() bool {
		return count(t, o.DB, `SELECT count(*) FROM notifications`) > 0
	})
	// A new peer request is picked up by a later sweep.
	r := &app.PeerRequest{SubjectID: o.Actors["pm@demo.test"].UserID, ReviewerID: o.Actors["pm2@demo.test"].UserID, RequestedBy: o.Actors["pm@demo.test"].UserID}
	if err := o.DB.CreatePeerRequest(context.Background(), o.Org.ID, r); err != nil {
		t.Fatal(err)
	}
	// (The demo's open cycle has peer requests of its own: count this request's alone.)
	waitFor(t, "the request's notification", func() bool {
		return count(t, o.DB, `SELECT count(*) FROM notifications WHERE key = 'peer_request:'||`+strconv.FormatInt(r.ID, 10)) == 1
	})
	sw.Stop()
	sw.Stop() // twice is fine
}
