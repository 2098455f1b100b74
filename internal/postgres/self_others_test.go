package postgres_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestFlaggedLevelsSummarizeAsTheHistory: the flagged self and others' levels the store
// keeps (FindFlaggedLevels, one read for a team) are what app.SummarizeRatings makes of
// each PM's whole history (FindRatings): its flags and their levels, with leader, self and peer ratings, several
// of each per rater, "not assessed" among them, and ties in time.
func TestFlaggedLevelsSummarizeAsTheHistory(t *testing.T) {
	ctx := context.Background()
	db := pgtest.MustOpenDB(t)
	g, err := pgtest.GenerateOrg(ctx, db, pgtest.GenSpec{Slug: "cur", Teams: 1, PerTeam: 8})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := db.SelectContext(ctx, &ids, `SELECT user_id FROM team_members WHERE team_id = $1 ORDER BY user_id`, g.TeamIDs[0]); err != nil {
		t.Fatal(err)
	}
	var comps []int64
	if err := db.SelectContext(ctx, &comps, `SELECT id FROM competencies WHERE org_id = $1 ORDER BY id`, g.Org.ID); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(19, 2))
	kinds := []string{app.RatingPeer, app.RatingPeer, app.RatingLeader, app.RatingSelf}
	for range 600 {
		subject, rater := ids[rng.IntN(len(ids))], ids[rng.IntN(len(ids))]
		kind := kinds[rng.IntN(len(kinds))]
		if kind == app.RatingSelf {
			rater = subject
		}
		var level *int
		if l := rng.IntN(7); l < 6 {
			level = &l
		}
		// Whole days in a small range: many ratings share their time.
		if _, err := db.ExecContext(ctx, `INSERT INTO ratings (org_id, subject_id, rater_id, kind, competency_id, level, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, now() - make_interval(days => $7))`,
			g.Org.ID, subject, rater, kind, comps[rng.IntN(len(comps))], level, rng.IntN(30)); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := db.FindFramework(ctx, g.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := db.FindFlaggedLevels(ctx, g.Org.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	type pair struct {
		person     int64
		competency string
	}
	got := map[pair]app.SelfOthers{}
	for _, p := range kept {
		if _, dup := got[pair{p.UserID, p.Competency}]; dup {
			t.Errorf("%+v twice", p)
		}
		got[pair{p.UserID, p.Competency}] = p
	}
	want := map[pair]app.SelfOthers{}
	both := 0 // pairs with a self and an others' level
	for _, id := range ids {
		history, err := db.FindRatings(ctx, g.Org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, cr := range app.SummarizeRatings(fw.Competencies, history, nil, nil) {
			if cr.Self == nil || cr.Self.Level == nil || cr.Others == nil {
				continue
			}
			both++
			if cr.Flag {
				want[pair{id, cr.Competency}] = app.SelfOthers{UserID: id, Competency: cr.Competency, Self: *cr.Self.Level, Others: *cr.Others}
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kept %v\nfrom the histories %v", got, want)
	}
	if len(want) == 0 || len(want) == both {
		t.Errorf("%d flags of %d pairs with both levels: the cases are not exercised", len(want), both)
	}
	// Another organisation's id reads nothing.
	if ps, err := db.FindFlaggedLevels(ctx, g.Org.ID+1, ids); err != nil || len(ps) != 0 {
		t.Errorf("another organisation: %d pairs, %v", len(ps), err)
	}
}
