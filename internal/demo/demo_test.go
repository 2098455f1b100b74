package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/career"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

const password = "correct-horse-battery"

// The demo opts a few people in to mentoring, each offering only competencies they are
// rated career.MinMentorLevel or more in (so they are suggested), and leaves the rest out.
// Seeding again keeps everyone's decision, an opt-out included.
func TestSeedMentoringOptIns(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, err := demo.Seed(ctx, db, password)
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.FindUsers(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids, byID := map[string]int64{}, map[int64]string{}
	for _, u := range users {
		ids[u.Email], byID[u.ID] = u.ID, u.Email
	}
	consents, err := db.FindMentorConsents(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	eff, err := db.FindEffectiveRatings(ctx, org.ID, []int64{ids["pm@demo.test"], ids["pm2@demo.test"], ids["pm3@demo.test"],
		ids["pm5@demo.test"], ids["pm6@demo.test"]}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	level := map[int64]map[string]int{}
	for _, r := range eff {
		if level[r.UserID] == nil {
			level[r.UserID] = map[string]int{}
		}
		level[r.UserID][r.Competency] = r.Level
	}
	offering := 0
	for id, c := range consents {
		if !c.OptedIn || len(c.Offers) == 0 {
			t.Errorf("%s: %+v, want opted in with offers", byID[id], c)
		}
		for _, comp := range c.Offers {
			if l, ok := level[id][comp]; !ok || l < career.MinMentorLevel {
				t.Errorf("%s offers %s, rated %d there: never suggested", byID[id], comp, l)
			}
		}
		offering++
	}
	if offering < 3 {
		t.Errorf("%d demo people opted in, want a few", offering)
	}
	for _, email := range []string{"other-pm@demo.test", "pm4@demo.test", "leader@demo.test", "hr@demo.test"} {
		if _, ok := consents[ids[email]]; ok {
			t.Errorf("%s is opted in by the demo", email)
		}
	}

	// Maya opts out; seeding again leaves her out and everyone else as they were.
	if err := db.SetMentorConsent(ctx, ids["pm@demo.test"], false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, password); err != nil {
		t.Fatal(err)
	}
	again, err := db.FindMentorConsents(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := again[ids["pm@demo.test"]]; c.OptedIn || len(c.Offers) != 0 {
		t.Errorf("re-seeding opted Maya back in: %+v", c)
	}
	if len(again) != len(consents) {
		t.Errorf("%d consents after re-seeding, want %d", len(again), len(consents))
	}
}
