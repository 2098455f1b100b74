package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestEffectiveRatingsLockOrder: transactions that write ratings of the same people in
// opposite orders — several statements each (a leader's batches, one person after the
// other), single statements over both people listed in opposite orders (an import), and
// updates and deletions of their ratings — run at once without a deadlock, every one
// commits, and effective_ratings equals the rule afterwards. What orders them is the
// organisation's data version row: every statement writing ratings locks it (its trigger,
// ratings_version_*, fires before ratings_zz_effective_*), so the second transaction waits
// there before touching a row of effective_ratings.
//
// The foreign key from effective_ratings to users adds no contention: the key share lock
// it takes on the person's row does not conflict with an update of that row's other
// columns (a role change, a deactivation), so a rating write does not wait for one held
// open (ratings itself already references users the same way).
func TestEffectiveRatingsLockOrder(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	w := newWorld(t, db, rand.New(rand.NewPCG(19, 19)), "locks")
	a, b, leader, peer := w.users[0], w.users[1], w.users[2], w.users[3]
	var comps []int64
	if err := db.SelectContext(ctx, &comps, `SELECT id FROM competencies WHERE org_id = $1 AND key = ANY($2) ORDER BY id`,
		w.org, pq.Array(w.keys)); err != nil || len(comps) != len(w.keys) {
		t.Fatalf("competencies %v: %v", comps, err)
	}

	// Each writer runs transactions on the two people in its own order; a short sleep
	// between statements holds the first person's locks while the other writer starts.
	insert := func(tx *sqlx.Tx, subjects []int64, kind string, rater int64, level int) error {
		var s, c []int64
		for _, p := range subjects {
			for _, comp := range comps {
				s, c = append(s, p), append(c, comp)
			}
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO ratings (org_id, subject_id, rater_id, kind, competency_id, level)
			SELECT $1, s, $3, $4, c, $5 FROM unnest($2::bigint[], $6::bigint[]) AS t(s, c)`,
			w.org, pq.Array(s), rater, kind, level, pq.Array(c))
		return err
	}
	pause := func(tx *sqlx.Tx) error { _, err := tx.ExecContext(ctx, `SELECT pg_sleep(0.002)`); return err }
	writers := map[string]func(tx *sqlx.Tx, i int) error{
		"leader batches A then B": func(tx *sqlx.Tx, i int) error {
			return errors.Join(insert(tx, []int64{a}, app.RatingLeader, leader, i%6), pause(tx),
				insert(tx, []int64{b}, app.RatingLeader, leader, i%6))
		},
		"leader batches B then A": func(tx *sqlx.Tx, i int) error {
			return errors.Join(insert(tx, []int64{b}, app.RatingLeader, leader, (i+3)%6), pause(tx),
				insert(tx, []int64{a}, app.RatingLeader, leader, (i+3)%6))
		},
		"peer statement over A, B, then self": func(tx *sqlx.Tx, i int) error {
			return errors.Join(insert(tx, []int64{a, b}, app.RatingPeer, peer, i%6), pause(tx),
				insert(tx, []int64{b}, app.RatingSelf, b, i%6))
		},
		"peer statement over B, A, then self": func(tx *sqlx.Tx, i int) error {
			return errors.Join(insert(tx, []int64{b, a}, app.RatingPeer, peer, (i+1)%6), pause(tx),
				insert(tx, []int64{a}, app.RatingSelf, a, (i+1)%6))
		},
		"updates B then deletes A's oldest": func(tx *sqlx.Tx, i int) error {
			_, err1 := tx.ExecContext(ctx, `UPDATE ratings SET level = $2 WHERE subject_id = $1 AND kind = 'peer'`, b, i%6)
			_, err2 := tx.ExecContext(ctx, `DELETE FROM ratings WHERE id = (SELECT min(id) FROM ratings WHERE subject_id = $1)`, a)
			return errors.Join(err1, pause(tx), err2)
		},
	}
	const rounds = 25
	var wg sync.WaitGroup
	errs := make(chan error, len(writers)*rounds)
	start := time.Now()
	for name, write := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				err := db.InTx(ctx, func(tx *sqlx.Tx) error {
					// A deadlock is detected after deadlock_timeout; keep it short so a
					// wrong order fails here (40P01) rather than slowly.
					if _, err := tx.ExecContext(ctx, `SET LOCAL deadlock_timeout = '100ms'`); err != nil {
						return err
					}
					return write(tx, i)
				})
				if err != nil {
					errs <- fmt.Errorf("%s, round %d: %w", name, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		var pe *pq.Error
		if errors.As(err, &pe) && pe.Code == "40P01" {
			t.Errorf("deadlock: %v", err)
		} else {
			t.Error(err)
		}
	}
	t.Logf("%d writers × %d transactions in %v", len(writers), rounds, time.Since(start).Round(time.Millisecond))
	w.check(db, "after the concurrent writers")

	// A person's row held for update (a role change, not yet committed) does not hold up
	// a rating of that person: the foreign keys take key share locks only.
	held, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback() //nolint:errcheck
	if _, err := held.ExecContext(ctx, `SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, a); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
			return err
		}
		return insert(tx, []int64{a}, app.RatingLeader, leader, 5)
	})
	if err != nil {
		t.Fatalf("a rating of a person whose row is held for update: %v", err)
	}
	if err := held.Rollback(); err != nil {
		t.Fatal(err)
	}
	w.check(db, "after a rating beside a held person row")
}
