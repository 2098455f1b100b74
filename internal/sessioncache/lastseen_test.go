package sessioncache_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/sessioncache"
)

// TestLastSeenWhileCached: a session answered from memory still has its last_seen_at
// moved on, without a write on the request: the use is noted in memory and a flush
// writes the noted uses of every session in one statement, at most once a minute per
// session, never moving a time back; Stop flushes what is left; a failed write is
// retried at the next flush.
func TestLastSeenWhileCached(t *testing.T) {
	ctx, url, db, _, u := onePerson(t, "seen")
	var mu sync.Mutex
	clock := time.Now().Add(time.Hour).Truncate(time.Millisecond) // ahead of PostgreSQL's now()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := &failingStore{DB: db}
	c := sessioncache.New(store, now, log)
	c.FlushEvery = time.Hour // the test flushes itself
	feed, err := db.ListenChanges(url, c, log)
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	c.Start(feed)
	stopped := false
	defer func() {
		if !stopped {
			c.Stop()
		}
	}()
	eventually(t, "in sync", c.Synced)

	newSession := func() string {
		s, err := db.CreateSession(ctx, u.ID, 24*time.Hour, "", "")
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	lastSeen := func(id string) time.Time {
		t.Helper()
		var at time.Time
		if err := db.GetContext(ctx, &at, `SELECT last_seen_at FROM sessions WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return at
	}
	backdate := func(id string) time.Time {
		t.Helper()
		if _, err := db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = now() - interval '1 hour' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return lastSeen(id)
	}
	hit := func(id string) {
		t.Helper()
		misses := c.Misses.Load()
		if _, err := c.Find(ctx, id, u.ID); err != nil {
			t.Fatal(err)
		}
		if c.Misses.Load() != misses {
			t.Fatalf("session %s was not answered from memory", id)
		}
	}
	flush := func() {
		t.Helper()
		if err := c.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}

	a, b := newSession(), newSession()
	for _, id := range []string{a, b} {
		if _, err := c.Find(ctx, id, u.ID); err != nil { // a miss: PostgreSQL moves it itself
			t.Fatal(err)
		}
	}
	// Within the minute after the miss, a use is not noted.
	staleA := backdate(a)
	advance(30 * time.Second)
	hit(a)
	flush()
	if got := lastSeen(a); !got.Equal(staleA) {
		t.Fatalf("within a minute of the lookup, last seen moved: %v → %v", staleA, got)
	}
	// A minute on, uses of both sessions are noted in memory only, then written by one flush.
	staleB := backdate(b)
	advance(31 * time.Second)
	hit(a)
	hit(b)
	useA := now()
	advance(time.Second)
	hit(a) // noted already: the first use of the minute is kept
	if !lastSeen(a).Equal(staleA) || !lastSeen(b).Equal(staleB) {
		t.Fatal("a cached use wrote to PostgreSQL on the request")
	}
	flush()
	if got := lastSeen(a); !got.Equal(useA) {
		t.Errorf("a's last seen %v after the flush, want %v", got, useA)
	}
	if got := lastSeen(b); !got.Equal(useA) {
		t.Errorf("b's last seen %v after the flush, want %v", got, useA)
	}
	// Within the minute after a write, uses are not noted again.
	staleA = backdate(a)
	advance(50 * time.Second)
	hit(a)
	flush()
	if got := lastSeen(a); !got.Equal(staleA) {
		t.Fatalf("written twice within a minute: %v → %v", staleA, got)
	}
	// A failed write is kept and retried; a time is never moved back.
	advance(20 * time.Second)
	hit(a)
	retry := now()
	store.fail(true)
	if err := c.Flush(ctx); err == nil {
		t.Fatal("the failing write reported no error")
	}
	store.fail(false)
	flush()
	if got := lastSeen(a); !got.Equal(retry) {
		t.Errorf("after the retry a's last seen is %v, want %v", got, retry)
	}
	future := retry.Add(time.Hour)
	if _, err := db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id = $1`, b, future); err != nil {
		t.Fatal(err)
	}
	advance(2 * time.Minute)
	hit(b)
	flush()
	if got := lastSeen(b); !got.Equal(future) {
		t.Errorf("b's last seen moved back: %v, want %v", got, future)
	}
	// Stop writes what is left.
	advance(2 * time.Minute)
	hit(a)
	last := now()
	c.Stop()
	stopped = true
	if got := lastSeen(a); !got.Equal(last) {
		t.Errorf("after Stop a's last seen is %v, want %v", got, last)
	}
}

// failingStore is the real store whose TouchSessions can be made to fail, as when
// PostgreSQL is briefly unreachable.
type failingStore struct {
	*postgres.DB
	mu    sync.Mutex
	fails bool
}

func (s *failingStore) fail(on bool) { s.mu.Lock(); s.fails = on; s.mu.Unlock() }

func (s *failingStore) TouchSessions(ctx context.Context, seen map[string]time.Time) error {
	s.mu.Lock()
	fails := s.fails
	s.mu.Unlock()
	if fails {
		return app.Errorf(app.EUNAVAILABLE, "unreachable")
	}
	return s.DB.TouchSessions(ctx, seen)
}

// BenchmarkCachedFind measures a lookup answered from memory, with its last-seen note
// (run in parallel: the notes of every request share one lock).
func BenchmarkCachedFind(b *testing.B) {
	ctx, url, db, _, u := onePerson(b, "bench")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := sessioncache.New(db, time.Now, log)
	feed, err := db.ListenChanges(url, c, log)
	if err != nil {
		b.Fatal(err)
	}
	defer feed.Close()
	c.Start(feed)
	defer c.Stop()
	for deadline := time.Now().Add(5 * time.Second); !c.Synced(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("not in sync")
		}
	}
	s, err := db.CreateSession(ctx, u.ID, time.Hour, "", "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Find(ctx, s.ID, u.ID); err != nil {
		b.Fatal(err)
	}
	misses := c.Misses.Load()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Find(ctx, s.ID, u.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if n := c.Misses.Load() - misses; n > 0 {
		b.Logf("%d lookups went to PostgreSQL (the cache lost sync meanwhile)", n)
	}
}
