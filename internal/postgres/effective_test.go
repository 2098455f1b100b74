package postgres_test

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

var effectiveSeed = flag.Uint64("effective-seed", 0, "seed of TestEffectiveRatingsMaintained (0: a new one)")

// TestEffectiveRatingsMaintained is a property test of effective_ratings (migrations/00017):
// after every step of random sequences of writes — rating batches (RecordRatings: self,
// peer and leader, "not assessed" among the levels, several raters, instants shared so that
// ratings tie), CSV imports (ApplyImport's COPY), plain SQL inserts, updates and deletions
// of ratings, deletions of people (their ratings go by cascade), competencies archived
// and restored, and transactions of several such statements, committed or rolled back —
// the maintained table equals the effective-rating rule (app.EffectiveRatings) applied to
// the organisation's history and the history query (findEffectiveRatings) as of just
// after the newest rating; inside a transaction it equals the rule over what the
// transaction sees. FindEffectiveRatings as of now (the table) and as of a past instant
// (the history) agree with the rule too. A failure names its seed: rerun it with
// -effective-seed.
func TestEffectiveRatingsMaintained(t *testing.T) {
	seed := *effectiveSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d: go test ./internal/postgres -run TestEffectiveRatingsMaintained -effective-seed %d", seed, seed)
		}
	})
	db := pgtest.MustOpenDB(t)
	const sequences, steps = 4, 45
	var worlds []*world
	for s := range sequences {
		w := newWorld(t, db, rand.New(rand.NewPCG(seed, uint64(s))), fmt.Sprintf("seq%d", s))
		worlds = append(worlds, w)
		for step := range steps {
			action := w.step()
			if t.Failed() {
				t.Fatalf("sequence %d, step %d (%s) failed", s, step, action)
			}
			w.check(db, fmt.Sprintf("sequence %d, step %d (%s)", s, step, action))
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	// Every organisation is still right after the others' sequences ran.
	var ratings, rows, effective int
	for s, w := range worlds {
		w.check(db, fmt.Sprintf("sequence %d at the end", s))
	}
	if err := db.GetContext(context.Background(), &ratings, `SELECT count(*) FROM ratings`); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(context.Background(), `SELECT count(*), count(level) FROM effective_ratings`).Scan(&rows, &effective); err != nil {
		t.Fatal(err)
	}
	t.Logf("seed %d: %d sequences of %d steps; at the end %d ratings, %d rated pairs, %d effective ratings",
		seed, sequences, steps, ratings, rows, effective)
}

// world is one organisation a random sequence of writes runs on.
type world struct {
	t      *testing.T
	db     *postgres.DB
	rng    *rand.Rand
	org    int64
	users  []int64
	keys   []string    // the competencies written to: few, so that ratings meet
	times  []time.Time // instants ratings are made at: few, so that they tie
	nextID int
	rank   map[string]int // competency key → rank in framework order
}

func newWorld(t *testing.T, db *postgres.DB, rng *rand.Rand, slug string) *world {
	t.Helper()
	org, err := db.CreateOrganisation(context.Background(), slug, slug)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, db: db, rng: rng, org: org.ID,
		keys: []string{"analytics", "delivery", "specification", "coaching"}}
	base := time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Microsecond)
	for k := range 6 {
		w.times = append(w.times, base.Add(time.Duration(k)*time.Hour))
	}
	for range 6 {
		w.addUser()
	}
	return w
}

func (w *world) ctx() context.Context { return context.Background() }

func (w *world) addUser() {
	w.t.Helper()
	w.nextID++
	u := &app.User{OrgID: w.org, Email: fmt.Sprintf("u%d@%d.test", w.nextID, w.org), Name: "U", Role: app.RolePM}
	if err := w.db.CreateUser(w.ctx(), u); err != nil {
		w.t.Fatal(err)
	}
	w.users = append(w.users, u.ID)
}

func (w *world) user() int64 { return w.users[w.rng.IntN(len(w.users))] }

// level is a random level, "not assessed" (nil) one time in five.
func (w *world) level() *int {
	if w.rng.IntN(5) == 0 {
		return nil
	}
	return lv(w.rng.IntN(6))
}

// at is one of the few instants, or now.
func (w *world) at() time.Time {
	if w.rng.IntN(6) == 0 {
		return time.Now()
	}
	return w.times[w.rng.IntN(len(w.times))]
}

func (w *world) someKeys(archivedOK bool) []string {
	var keys []string
	for _, k := range w.keys {
		if w.rng.IntN(2) == 0 && (archivedOK || !w.archived(k)) {
			keys = append(keys, k)
		}
	}
	return keys
}

func (w *world) archived(key string) bool {
	var a bool
	if err := w.db.GetContext(w.ctx(), &a, `SELECT archived FROM competencies WHERE org_id = $1 AND key = $2`, w.org, key); err != nil {
		w.t.Fatal(err)
	}
	return a
}

// step makes one random change and names it.
func (w *world) step() string {
	t, ctx := w.t, w.ctx()
	t.Helper()
	if len(w.users) < 3 {
		w.addUser()
	}
	switch n := w.rng.IntN(100); {
	case n < 35: // a batch through the store, as the rating pages make them
		kind := []string{app.RatingSelf, app.RatingPeer, app.RatingLeader}[w.rng.IntN(3)]
		subject, rater := w.user(), w.user()
		if kind == app.RatingSelf {
			rater = subject
		}
		var items []app.RatingInput
		for _, k := range w.someKeys(false) {
			items = append(items, app.RatingInput{Competency: k, Level: w.level(), Note: "p"})
		}
		if len(items) == 0 {
			return "empty batch"
		}
		b := app.RatingBatch{OrgID: w.org, SubjectID: subject, RaterID: rater, Kind: kind, At: w.at(), Ratings: items}
		if w.rng.IntN(4) == 0 {
			b.At = time.Time{} // now
		}
		if err := w.db.RecordRatings(ctx, b); err != nil {
			t.Fatalf("RecordRatings: %v", err)
		}
		return fmt.Sprintf("%s batch of %d", kind, len(items))
	case n < 45: // a CSV import's apply: leader ratings of several people by COPY
		plan := &app.ImportPlan{OrgID: w.org, ImporterID: w.user(), Hash: "h"}
		for _, u := range w.users {
			if w.rng.IntN(2) == 0 {
				continue
			}
			pp := app.ImportPersonPlan{UserID: u, Email: "x"}
			for _, k := range w.someKeys(true) {
				pp.Ratings = append(pp.Ratings, app.ImportRatingChange{Competency: k, To: w.rng.IntN(6)})
			}
			plan.Summary.RatingChanges += len(pp.Ratings)
			plan.People = append(plan.People, pp)
		}
		if plan.Summary.RatingChanges == 0 {
			return "empty import"
		}
		if err := w.db.ApplyImport(ctx, plan); err != nil {
			t.Fatalf("ApplyImport: %v", err)
		}
		return fmt.Sprintf("import of %d ratings", plan.Summary.RatingChanges)
	case n < 55:
		return w.sql(w.db.DB, "")
	case n < 60: // a person deleted: their ratings, given and received, go by cascade
		i := w.rng.IntN(len(w.users))
		if _, err := w.db.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, w.users[i]); err != nil {
			t.Fatal(err)
		}
		w.users = slices.Delete(w.users, i, i+1)
		return "person deleted"
	case n < 66:
		w.addUser()
		return "person added"
	case n < 72: // archiving is a view's business: the stored values stay
		k := w.keys[w.rng.IntN(len(w.keys))]
		if _, err := w.db.ExecContext(ctx, `UPDATE competencies SET archived = NOT archived WHERE org_id = $1 AND key = $2`, w.org, k); err != nil {
			t.Fatal(err)
		}
		return "archived or restored " + k
	default: // several statements in one transaction, checked inside it, then committed or not
		tx, err := w.db.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck // a no-op after Commit
		var did []string
		for range 2 + w.rng.IntN(3) {
			did = append(did, w.sql(tx, "in a transaction"))
			w.check(tx, "inside the transaction after "+strings.Join(did, ", "))
		}
		if w.rng.IntN(2) == 0 {
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			return "rolled back: " + strings.Join(did, ", ")
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return "committed: " + strings.Join(did, ", ")
	}
}

// execer is a pool or a transaction.
type execer interface {
	sqlx.ExtContext
}

// sql makes a random change to ratings in plain SQL on q.
func (w *world) sql(q execer, where string) string {
	t, ctx := w.t, w.ctx()
	t.Helper()
	var ids []int64
	if err := sqlx.SelectContext(ctx, q, &ids, `SELECT id FROM ratings WHERE org_id = $1 ORDER BY id`, w.org); err != nil {
		t.Fatal(err)
	}
	sample := func() []int64 {
		var s []int64
		for range 1 + w.rng.IntN(4) {
			if len(ids) > 0 {
				s = append(s, ids[w.rng.IntN(len(ids))])
			}
		}
		return s
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := q.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	switch w.rng.IntN(5) {
	case 0, 1: // several ratings in one statement, at one instant: ties broken by id
		var subjects, raters, levels []any
		var kinds, keys []string
		for range 1 + w.rng.IntN(6) {
			kind := []string{app.RatingSelf, app.RatingPeer, app.RatingLeader}[w.rng.IntN(3)]
			s := w.user()
			r := w.user()
			if kind == app.RatingSelf {
				r = s
			}
			subjects, raters, kinds = append(subjects, s), append(raters, r), append(kinds, kind)
			keys = append(keys, w.keys[w.rng.IntN(len(w.keys))])
			if l := w.level(); l != nil {
				levels = append(levels, int64(*l))
			} else {
				levels = append(levels, nil)
			}
		}
		exec(`INSERT INTO ratings (org_id, subject_id, rater_id, kind, competency_id, level, created_at)
			SELECT $1, s, r, k, (SELECT id FROM competencies WHERE org_id = $1 AND key = c), l, $7
			FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::int[]) AS t(s, r, k, c, l)`,
			w.org, pq.Array(subjects), pq.Array(raters), pq.Array(kinds), pq.Array(keys), pq.Array(levels), w.at())
		return fmt.Sprintf("SQL insert of %d %s", len(keys), where)
	case 2:
		exec(`DELETE FROM ratings WHERE id = ANY($1)`, pq.Array(sample()))
		return "SQL delete " + where
	case 3: // a change of level or of instant
		exec(`UPDATE ratings SET level = $2, created_at = CASE WHEN $3 THEN $4 ELSE created_at END WHERE id = ANY($1)`,
			pq.Array(sample()), w.level(), w.rng.IntN(2) == 0, w.at())
		return "SQL update of level and time " + where
	default: // a rating moved to another person, competency or kind: both pairs change
		exec(`UPDATE ratings SET subject_id = $2, competency_id = (SELECT id FROM competencies WHERE org_id = $4 AND key = $3),
			kind = CASE WHEN kind = 'leader' THEN 'self' WHEN kind = 'self' THEN 'leader' ELSE kind END
			WHERE id = ANY($1)`, pq.Array(sample()), w.user(), w.keys[w.rng.IntN(len(w.keys))], w.org)
		return "SQL update of subject, competency and kind " + where
	}
}

// summarized is what app.SummarizeRatings makes of the history (any order) for the
// person's competency: the latest self level and the others' level.
func summarized(history []app.Rating, user int64, key string) (self, others *int) {
	var mine []app.Rating
	for _, r := range history {
		if r.SubjectID == user && r.Competency == key {
			mine = append(mine, r)
		}
	}
	slices.SortFunc(mine, func(a, b app.Rating) int { return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID)) })
	cr := app.SummarizeRatings([]app.Competency{{Key: key}}, mine, nil, nil)[0]
	if cr.Self != nil {
		self = cr.Self.Level
	}
	return self, cr.Others
}

// deref shows a level or "none".
func deref(l *int) string {
	if l == nil {
		return "none"
	}
	return fmt.Sprint(*l)
}

// check compares effective_ratings, as q sees it, with the rule applied to the history q
// sees; on the pool it also compares the history query and the store's reads.
func (w *world) check(q execer, where string) {
	t, ctx := w.t, w.ctx()
	t.Helper()
	var history []app.Rating
	if err := sqlx.SelectContext(ctx, q, &history, `
		SELECT r.id, r.subject_id, r.rater_id, r.kind, c.key AS competency, r.level, r.created_at
		FROM ratings r JOIN competencies c ON c.id = r.competency_id WHERE r.org_id = $1`, w.org); err != nil {
		t.Fatal(err)
	}
	var users []int64
	if err := sqlx.SelectContext(ctx, q, &users, `SELECT id FROM users WHERE org_id = $1 ORDER BY id`, w.org); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	for _, r := range history {
		if !r.CreatedAt.Before(after) {
			after = r.CreatedAt.Add(time.Microsecond)
		}
	}
	rule := func(asOf time.Time) []app.EffectiveRating {
		var out []app.EffectiveRating
		for _, u := range users {
			out = append(out, app.EffectiveRatings(u, history, asOf)...)
		}
		return out
	}
	want := rule(after)
	var table []struct {
		OrgID      int64      `db:"org_id"`
		UserID     int64      `db:"user_id"`
		Competency string     `db:"competency"`
		Level      *int       `db:"level"`
		Source     *string    `db:"source"`
		RatedAt    *time.Time `db:"rated_at"`
		LeaderID   *int64     `db:"leader_id"`
		LeaderAt   *time.Time `db:"leader_at"`
		SelfLevel  *int       `db:"self_level"`
		Others     *int       `db:"others_level"`
	}
	if err := sqlx.SelectContext(ctx, q, &table, `
		SELECT e.org_id, e.user_id, c.key AS competency, e.level, e.source, e.rated_at, e.leader_id, e.leader_at, e.self_level, e.others_level
		FROM effective_ratings e JOIN competencies c ON c.id = e.competency_id
		WHERE e.org_id = $1 OR e.user_id = ANY($2) OR c.org_id = $1`, w.org, pq.Array(users)); err != nil {
		t.Fatal(err)
	}
	// A row per pair with a rating, holding its latest leader rating; the rows with a level
	// are the rule's effective ratings.
	type pair struct {
		user int64
		key  string
	}
	latest := map[pair]*app.Rating{} // the latest leader rating, nil: none
	for i, r := range history {
		p := pair{r.SubjectID, r.Competency}
		if _, ok := latest[p]; !ok {
			latest[p] = nil
		}
		if r.Kind == app.RatingLeader {
			if l := latest[p]; l == nil || r.CreatedAt.After(l.CreatedAt) || r.CreatedAt.Equal(l.CreatedAt) && r.ID > l.ID {
				latest[p] = &history[i]
			}
		}
	}
	var got []app.EffectiveRating
	for _, r := range table {
		p := pair{r.UserID, r.Competency}
		l, rated := latest[p]
		switch {
		case r.OrgID != w.org:
			t.Errorf("%s: a row of organisation %d among organisation %d's: %+v", where, r.OrgID, w.org, r)
		case !rated:
			t.Errorf("%s: a row for %v, which has no rating", where, p)
		case l == nil && r.LeaderID != nil, l != nil && (r.LeaderID == nil || *r.LeaderID != l.ID || !r.LeaderAt.Equal(l.CreatedAt)):
			t.Errorf("%s: %v: leader rating %v at %v, want %+v", where, p, r.LeaderID, r.LeaderAt, l)
		}
		if self, others := summarized(history, r.UserID, r.Competency); !reflect.DeepEqual(r.SelfLevel, self) || !reflect.DeepEqual(r.Others, others) {
			t.Errorf("%s: %v: self %v and others %v, app.SummarizeRatings says %v and %v",
				where, p, deref(r.SelfLevel), deref(r.Others), deref(self), deref(others))
		}
		delete(latest, p)
		if r.Level != nil {
			got = append(got, app.EffectiveRating{UserID: r.UserID, Competency: r.Competency, Level: *r.Level, Source: *r.Source, RatedAt: *r.RatedAt})
		}
	}
	for p := range latest {
		t.Errorf("%s: no row for %v, which has ratings", where, p)
	}
	sameRatings(t, where+": effective_ratings vs app.EffectiveRatings", got, want)

	if _, inTx := q.(*sqlx.Tx); inTx {
		return
	}
	// The clock is at or after the newest rating: as of now, the store reads the table.
	var clock *time.Time
	if err := w.db.GetContext(ctx, &clock, `SELECT max(newest_at) FROM org_rating_clocks WHERE org_id = $1`, w.org); err != nil {
		t.Fatal(err)
	}
	for _, r := range history {
		if clock == nil || clock.Before(r.CreatedAt) {
			t.Fatalf("%s: clock %v before rating %+v", where, clock, r)
		}
	}
	hist, err := w.db.HistoryEffectiveRatings(ctx, w.org, users, after)
	if err != nil {
		t.Fatal(err)
	}
	sameRatings(t, where+": findEffectiveRatings just after the newest rating vs the rule", hist, want)
	now, err := w.db.FindEffectiveRatings(ctx, w.org, users, time.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	sameRatings(t, where+": FindEffectiveRatings as of now vs the rule", now, want)
	w.inOrder(where+": FindEffectiveRatings as of now", now)
	past := w.times[w.rng.IntN(len(w.times))].Add(time.Duration(w.rng.IntN(3)-1) * time.Microsecond)
	later := time.Now().Add(time.Second)
	series, err := w.db.FindEffectiveRatingsSeries(ctx, w.org, users, []time.Time{past, later})
	if err != nil {
		t.Fatal(err)
	}
	seriesPast, seriesNow := series[past], series[later]
	if len(series) != 2 {
		t.Errorf("%s: the series has %d times, want 2", where, len(series))
	}
	w.inOrder(where+": the series as of a past instant", seriesPast)
	w.inOrder(where+": the series as of now", seriesNow)
	sameRatings(t, where+": the series as of a past instant vs the rule", seriesPast, rule(past))
	sameRatings(t, where+": the series as of now vs the rule", seriesNow, want)
}

// sameRatings compares two sets of effective ratings, whatever their order.
func sameRatings(t *testing.T, what string, got, want []app.EffectiveRating) {
	t.Helper()
	key := func(r app.EffectiveRating) string {
		return fmt.Sprintf("%d/%s: %d %s %s", r.UserID, r.Competency, r.Level, r.Source, r.RatedAt.UTC().Format(time.RFC3339Nano))
	}
	g, wt := make([]string, len(got)), make([]string, len(want))
	for i, r := range got {
		g[i] = key(r)
	}
	for i, r := range want {
		wt[i] = key(r)
	}
	slices.Sort(g)
	slices.Sort(wt)
	if !slices.Equal(g, wt) {
		t.Errorf("%s:\n got  %v\n want %v", what, g, wt)
	}
}

// inOrder checks that ratings come by user, then in framework order (position, then id).
func (w *world) inOrder(what string, rs []app.EffectiveRating) {
	w.t.Helper()
	if w.rank == nil {
		fw, err := w.db.FindFramework(context.Background(), w.org)
		if err != nil {
			w.t.Fatal(err)
		}
		cs := slices.Clone(fw.Competencies)
		slices.SortFunc(cs, func(a, b app.Competency) int {
			return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.ID, b.ID))
		})
		w.rank = map[string]int{}
		for i, c := range cs {
			w.rank[c.Key] = i
		}
	}
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		if a.UserID > b.UserID || a.UserID == b.UserID && w.rank[a.Competency] >= w.rank[b.Competency] {
			w.t.Fatalf("%s: out of order at %d: %+v then %+v", what, i, a, b)
		}
	}
}
