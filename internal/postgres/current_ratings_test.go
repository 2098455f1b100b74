package postgres_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestCurrentRatingsSummarizeAsTheHistory: what app.SummarizeRatings makes of each rater's
// latest ratings (FindCurrentRatings, one query for a team) is what it makes of each PM's
// whole history (FindRatings) — the self, leader and others' levels and the flags — with
// leader, self and peer ratings, several of each per rater, "not assessed" among them, and
// ties in time.
func TestCurrentRatingsSummarizeAsTheHistory(t *testing.T) {
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
	current, err := db.FindCurrentRatings(ctx, g.Org.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		Self, Leader, Others *int
		Flag                 bool
	}
	summarize := func(rs []app.Rating) []summary {
		var out []summary
		for _, cr := range app.SummarizeRatings(fw.Competencies, rs, nil, nil) {
			s := summary{Others: cr.Others, Flag: cr.Flag}
			if cr.Self != nil {
				s.Self = cr.Self.Level
			}
			if cr.Leader != nil {
				s.Leader = cr.Leader.Level
			}
			out = append(out, s)
		}
		return out
	}
	flags := 0
	for _, id := range ids {
		history, err := db.FindRatings(ctx, g.Org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		var mine []app.Rating
		for _, r := range current {
			if r.SubjectID == id {
				mine = append(mine, r)
			}
		}
		if len(mine) == 0 || len(mine) >= len(history) {
			t.Errorf("person %d: %d current ratings of %d", id, len(mine), len(history))
		}
		want, got := summarize(history), summarize(mine)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("person %d: from the current ratings %+v, from the history %+v", id, got, want)
		}
		for _, s := range want {
			if s.Flag {
				flags++
			}
		}
	}
	if flags == 0 {
		t.Error("no flag at all: the case is not exercised")
	}
	// By person, in history order.
	for i := 1; i < len(current); i++ {
		a, b := current[i-1], current[i]
		if a.SubjectID > b.SubjectID || a.SubjectID == b.SubjectID && (a.CreatedAt.After(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID) {
			t.Fatalf("out of order at %d: %+v then %+v", i, a, b)
		}
	}
	// Another organisation's id reads nothing.
	if rs, err := db.FindCurrentRatings(ctx, g.Org.ID+1, ids); err != nil || len(rs) != 0 {
		t.Errorf("another organisation: %d ratings, %v", len(rs), err)
	}
}
