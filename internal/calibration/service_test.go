package calibration

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
)

// The report over the demo organisation plus a leader whose ratings this quarter are
// known: the store's latest rating per rater wins, and only admins get the report.
func TestOrgCalibration(t *testing.T) {
	o := demotest.Seed(t)
	ctx := context.Background()
	now := time.Now().UTC()
	svc := New(o.DB, func() time.Time { return now })
	leader := o.Actors["other-leader@demo.test"]
	pm := o.Actors["other-pm@demo.test"]
	rate := func(rater *app.Actor, kind string, level int, at time.Time) {
		t.Helper()
		err := o.DB.RecordRatings(ctx, app.RatingBatch{OrgID: o.Org.ID, SubjectID: pm.UserID, RaterID: rater.UserID, Kind: kind, At: at,
			Ratings: []app.RatingInput{{Competency: "analytics", Level: &level, Note: "calibration test"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	rate(leader, app.RatingLeader, 1, now.Add(-2*time.Minute)) // superseded
	rate(leader, app.RatingLeader, 5, now.Add(-time.Minute))
	rate(pm, app.RatingSelf, 2, now.Add(-time.Minute))

	if _, err := svc.Org(ctx, leader); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("leader: %v, want EFORBIDDEN", err)
	}
	r, err := svc.Org(ctx, o.Actors["admin@demo.test"])
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Leaders) < 2 || len(r.Competencies) == 0 {
		t.Fatalf("report %+v", r)
	}
	// Of the leader's two ratings of other-pm in analytics, only the latest (5) counts.
	latest, err := o.DB.FindLatestRatingsByRater(ctx, o.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var levels []int
	for _, x := range latest {
		if x.SubjectID == pm.UserID && x.RaterID == leader.UserID && x.Kind == app.RatingLeader && x.Competency == "analytics" {
			levels = append(levels, x.Level)
		}
	}
	if len(levels) != 1 || levels[0] != 5 {
		t.Errorf("latest leader ratings of other-pm in analytics: %v, want [5]", levels)
	}
	found := false
	for _, l := range r.Leaders {
		if l.ID == leader.UserID {
			found = true
			if l.Histogram[5] < 1 || l.VsSelf.Pairs < 1 {
				t.Errorf("other leader %+v", l)
			}
		}
	}
	if !found {
		t.Errorf("other leader missing from %+v", r.Leaders)
	}
}
