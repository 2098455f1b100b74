package sessioncache_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/sessioncache"
)

// TestFailsClosed: the cache answers from memory while it is in sync; when its listening
// connection is cut, it goes back to PostgreSQL for every lookup — so a session revoked
// while nothing listens is refused, though its notification was never delivered — and it
// answers from memory again only once a barrier has come back on the new connection.
func TestFailsClosed(t *testing.T) {
	ctx, url, db, _, u := onePerson(t, "cache")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := sessioncache.New(db, time.Now, log)
	feed, err := db.ListenChanges(url, c, log)
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	c.Start(feed)
	defer c.Stop()
	eventually(t, "in sync", c.Synced)

	session := func() string {
		s, err := db.CreateSession(ctx, u.ID, time.Hour, "", "")
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	find := func(id string) error { _, err := c.Find(ctx, id, u.ID); return err }
	fromMemory := func(id string) bool { // found, and without asking PostgreSQL
		t.Helper()
		misses := c.Misses.Load()
		if err := find(id); err != nil {
			t.Fatalf("session %s: %v", id, err)
		}
		return c.Misses.Load() == misses
	}
	revoke := func(id string) {
		if err := db.RevokeSession(ctx, id); err != nil {
			t.Fatal(err)
		}
	}

	s1 := session()
	if fromMemory(s1) || !fromMemory(s1) {
		t.Fatal("a session is read from PostgreSQL once, then from memory")
	}
	revoke(s1)
	eventually(t, "the revocation heard", func() bool { return app.ErrorCode(find(s1)) == app.ENOTFOUND })

	// The listening connection is cut: out of sync, every lookup asks PostgreSQL.
	s2 := session()
	fromMemory(s2)
	var cut int
	if err := db.GetContext(ctx, &cut, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query ILIKE 'listen%'`); err != nil || cut != 1 {
		t.Fatalf("cut %d listening connections: %v", cut, err)
	}
	eventually(t, "out of sync", func() bool { return !c.Synced() })
	if fromMemory(s2) {
		t.Fatal("out of sync, a lookup was answered from memory")
	}
	revoke(s2) // maybe while nothing listens: only PostgreSQL knows
	if err := find(s2); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a session revoked while out of sync: %v, want ENOTFOUND", err)
	}

	// Reconnected and in sync again: from memory, and invalidated as before.
	t0 := time.Now()
	eventually(t, "in sync again", c.Synced)
	t.Logf("in sync again after %v", time.Since(t0))
	if err := find(s2); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("the session revoked while out of sync, after the reconnection: %v", err)
	}
	s3 := session()
	if fromMemory(s3) || !fromMemory(s3) {
		t.Fatal("in sync again, a session is read from PostgreSQL once, then from memory")
	}
	if _, err := db.ExecContext(ctx, `UPDATE users SET role = 'hr' WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the role change heard", func() bool { a, err := c.Find(ctx, s3, u.ID); return err == nil && a.Role == app.RoleHR })

	// CatchUp: what committed before it is in the cache when it returns.
	before, err := c.Find(ctx, s3, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'Q' WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	c.CatchUp(ctx)
	after, err := c.Find(ctx, s3, u.ID)
	if err != nil || after.Name != "Q" || after.DataVersion <= before.DataVersion {
		t.Fatalf("after CatchUp: %+v (%v), version before %d", after, err, before.DataVersion)
	}
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s", what)
		}
	}
}

// TestUnreadCountsOnEveryInstance: the bell's unread count is kept in memory on each
// instance and dropped on every instance when a notification is added or marked read
// (through the store, on commit); an instance out of sync asks PostgreSQL for every count.
func TestUnreadCountsOnEveryInstance(t *testing.T) {
	ctx, url, db, org, u := onePerson(t, "bell")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	instance := func() *sessioncache.Cache {
		c := sessioncache.New(db, time.Now, log)
		feed, err := db.ListenChanges(url, c, log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { feed.Close() })
		c.Start(feed)
		t.Cleanup(c.Stop)
		eventually(t, "in sync", c.Synced)
		return c
	}
	a, b := instance(), instance()
	count := func(c *sessioncache.Cache) (n int, fromMemory bool) {
		t.Helper()
		misses := c.Misses.Load()
		n, err := c.CountUnreadNotifications(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n, c.Misses.Load() == misses
	}
	seen := func(c *sessioncache.Cache, want int) func() bool {
		return func() bool { n, _ := count(c); return n == want }
	}
	added := 0
	add := func() {
		t.Helper()
		added++
		n := app.Notification{OrgID: org.ID, UserID: u.ID, Kind: "digest", Key: fmt.Sprintf("bell:%d", added), Title: "T"}
		if ok, err := db.AddNotification(ctx, n, nil); err != nil || !ok {
			t.Fatalf("add notification: %v %v", ok, err)
		}
	}

	for _, c := range []*sessioncache.Cache{a, b} {
		if n, mem := count(c); n != 0 || mem {
			t.Fatalf("first count: %d (from memory %v), want 0 from PostgreSQL", n, mem)
		}
		if n, mem := count(c); n != 0 || !mem {
			t.Fatalf("second count: %d (from memory %v), want 0 from memory", n, mem)
		}
	}
	// Added on "a": a has it once its write caught up; b hears it through the feed.
	add()
	a.CatchUp(ctx)
	if n, _ := count(a); n != 1 {
		t.Fatalf("after CatchUp, the instance that wrote counts %d, want 1", n)
	}
	eventually(t, "the other instance counts the new notification", seen(b, 1))
	if n, mem := count(b); n != 1 || !mem {
		t.Fatalf("then %d (from memory %v), want 1 from memory", n, mem)
	}
	// Marked read (anywhere): both drop the count.
	if n, err := db.MarkNotificationsRead(ctx, u.ID, nil, time.Now()); err != nil || n != 1 {
		t.Fatalf("mark read: %d %v", n, err)
	}
	eventually(t, "a counts none unread", seen(a, 0))
	eventually(t, "b counts none unread", seen(b, 0))
	// Marking nothing read announces nothing and changes nothing.
	if n, err := db.MarkNotificationsRead(ctx, u.ID, nil, time.Now()); err != nil || n != 0 {
		t.Fatalf("mark read again: %d %v", n, err)
	}

	// One instance's listening connection is cut: out of sync, it asks PostgreSQL for every count, so a
	// notification added meanwhile (its announcement lost to b) is counted at once.
	var cut int
	if err := db.GetContext(ctx, &cut, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query ILIKE 'listen%' AND pid = (
			SELECT min(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'listen%')`); err != nil || cut != 1 {
		t.Fatalf("cut %d listening connections: %v", cut, err)
	}
	var lost *sessioncache.Cache
	eventually(t, "an instance out of sync", func() bool {
		for _, c := range []*sessioncache.Cache{a, b} {
			if !c.Synced() {
				lost = c
			}
		}
		return lost != nil
	})
	// Whether lost is in sync again by now or not, its count comes from PostgreSQL: going
	// out of sync dropped what it kept.
	add()
	if n, mem := count(lost); mem || n != 1 {
		t.Fatalf("out of sync: %d (from memory %v), want 1 from PostgreSQL", n, mem)
	}
	eventually(t, "in sync again", lost.Synced)
	if n, _ := count(lost); n != 1 {
		t.Fatalf("in sync again: %d, want 1", n)
	}
	if n, mem := count(lost); n != 1 || !mem {
		t.Fatalf("in sync again, second count: %d (from memory %v), want 1 from memory", n, mem)
	}
}
