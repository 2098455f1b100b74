// Package sessioncache keeps the sessions an instance has seen, their users, their unread
// notification counts (the bell every page shows) and each organisation's data version in
// memory, so that an authenticated request on a cached
// view needs no database round trip. PostgreSQL tells every instance what changed
// (migrations/00018: a revoked session, a changed or deactivated user, a bumped version)
// through a change feed (postgres.ChangeFeed, LISTEN on a dedicated connection), in commit
// order.
//
// It fails closed: the memory answers only while the cache is in sync — the feed is
// listening, a barrier sent after it (re)connected has come back (so the LISTEN covers
// everything committed since), and the latest heartbeat barrier came back in time. Out of
// sync, every lookup goes to PostgreSQL, as without a cache, and nothing is kept. Each
// loss of sync and each invalidation bumps a generation; a lookup keeps what PostgreSQL
// answered only if the generation did not move while it asked, so an answer read before a
// revocation never outlives the revocation's notification.
package sessioncache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// Store looks a session and a person's unread notifications up in PostgreSQL and writes
// last-seen times (app.Store does).
type Store interface {
	FindActiveSession(ctx context.Context, sessionID string, userID int64) (*app.Actor, error)
	CountUnreadNotifications(ctx context.Context, userID int64) (int, error)
	// TouchSessions moves each session's last_seen_at on to its time (never back), in
	// one statement.
	TouchSessions(ctx context.Context, seen map[string]time.Time) error
}

// Feed sends barriers (postgres.ChangeFeed does).
type Feed interface {
	SendBarrier(ctx context.Context, token string) error
}

const (
	// maxEntries bounds the sessions (and users) kept; past it they are all dropped and
	// refilled as they are used.
	maxEntries = 100_000
	// heartbeat is how often a barrier checks that notifications still arrive; one that has
	// not come back within barrierWait puts the cache out of sync.
	heartbeat   = 250 * time.Millisecond
	barrierWait = 500 * time.Millisecond
)

type session struct {
	userID  int64
	expires time.Time
}

type user struct {
	orgID             int64
	role, name, email string
	// mustEnrol: an admin who must still turn on the second factor their organisation
	// requires (00022; 00024 notifies its changes).
	mustEnrol bool
}

// Cache is the in-memory session and data-version cache of one instance.
type Cache struct {
	store Store
	now   func() time.Time
	log   *slog.Logger

	mu       sync.RWMutex
	synced   bool
	gen      uint64
	needSeq  uint64 // a barrier numbered at least this must come back to be in sync
	sessions map[string]session
	users    map[int64]user
	versions map[int64]int64
	// structure changes whenever anything in any organisation's structure may have changed
	// (the cache falling out of sync, or a "t" notification without a table), tables[t]
	// with every change to table t (a "t <table>" notification): see Structure.
	structure uint64
	tables    map[string]uint64
	unread    map[int64]int            // unread notifications by user (the bell on every page)
	waiting   map[uint64]chan struct{} // barriers sent, by number

	feed     Feed
	instance string // names this instance's barriers
	seq      atomic.Uint64
	stop     chan struct{}
	stopped  chan struct{}
	flushed  chan struct{} // closed when flushLoop has ended

	seen lastSeen // uses of cached sessions, written by Flush
	// FlushEvery is how often the uses are written while started (0: the constant
	// FlushEvery); set it before Start.
	FlushEvery time.Duration

	// Hits and Misses count lookups answered from memory and from PostgreSQL.
	Hits, Misses atomic.Int64
}

// New returns a cache that is out of sync (every lookup goes to the store) until Start.
func New(store Store, now func() time.Time, log *slog.Logger) *Cache {
	c := &Cache{store: store, now: now, log: log, waiting: map[uint64]chan struct{}{},
		instance: strconv.FormatUint(rand.Uint64(), 36)}
	c.clear()
	return c
}

// Start takes barriers through feed and checks every heartbeat that notifications arrive.
// The feed's handler is the cache.
func (c *Cache) Start(feed Feed) {
	c.mu.Lock()
	c.feed = feed
	c.mu.Unlock()
	c.stop, c.stopped, c.flushed = make(chan struct{}), make(chan struct{}), make(chan struct{})
	go c.beat()
	every := c.FlushEvery
	if every <= 0 {
		every = FlushEvery
	}
	go c.flushLoop(every, c.stop, c.flushed)
}

// Stop ends the heartbeat and writes the last uses noted; the cache goes out of sync.
func (c *Cache) Stop() {
	if c.stop == nil {
		return
	}
	close(c.stop)
	<-c.stopped
	<-c.flushed
	c.NotListening(errors.New("stopped"))
}

// Synced reports whether lookups are answered from memory.
func (c *Cache) Synced() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.synced
}

// Find returns the actor of a live session of an active user, as the store does, with
// the organisation's data version: from memory when in sync, else from the store.
func (c *Cache) Find(ctx context.Context, sessionID string, userID int64) (*app.Actor, error) {
	c.mu.RLock()
	if c.synced {
		s, ok := c.sessions[sessionID]
		u, uok := c.users[userID]
		v, vok := c.versions[u.orgID]
		if now := c.now(); ok && uok && vok && s.userID == userID && now.Before(s.expires) {
			c.mu.RUnlock()
			c.Hits.Add(1)
			c.seen.used(sessionID, now)
			return &app.Actor{UserID: userID, OrgID: u.orgID, Role: u.role, Name: u.name, Email: u.email,
				SessionID: sessionID, SessionExpires: s.expires, DataVersion: v, MustEnrolTOTP: u.mustEnrol}, nil
		}
	}
	gen, synced := c.gen, c.synced
	c.mu.RUnlock()
	c.Misses.Add(1)
	a, err := c.store.FindActiveSession(ctx, sessionID, userID)
	if err != nil || !synced {
		return a, err
	}
	c.seen.touched(sessionID, c.now()) // the lookup moved last_seen_at on, if a minute old
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.synced && c.gen == gen {
		if len(c.sessions) >= maxEntries || len(c.users) >= maxEntries {
			c.sessions, c.users = map[string]session{}, map[int64]user{}
		}
		c.sessions[sessionID] = session{userID: userID, expires: a.SessionExpires}
		c.users[userID] = user{orgID: a.OrgID, role: a.Role, name: a.Name, email: a.Email, mustEnrol: a.MustEnrolTOTP}
		if v, ok := c.versions[a.OrgID]; !ok || a.DataVersion > v {
			c.versions[a.OrgID] = a.DataVersion
		}
	}
	return a, nil
}

// CountUnreadNotifications returns the user's unread notifications, as the store does:
// from memory when in sync, else from the store. The store announces every change of them
// ("n <user id>", postgres.notifyUnread), and a deleted user's ("u").
func (c *Cache) CountUnreadNotifications(ctx context.Context, userID int64) (int, error) {
	c.mu.RLock()
	if c.synced {
		if n, ok := c.unread[userID]; ok {
			c.mu.RUnlock()
			c.Hits.Add(1)
			return n, nil
		}
	}
	gen, synced := c.gen, c.synced
	c.mu.RUnlock()
	c.Misses.Add(1)
	n, err := c.store.CountUnreadNotifications(ctx, userID)
	if err != nil || !synced {
		return n, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.synced && c.gen == gen {
		if len(c.unread) >= maxEntries {
			c.unread = map[int64]int{}
		}
		c.unread[userID] = n
	}
	return n, nil
}

// CatchUp returns once every change committed before it was called has reached the cache
// (a barrier through PostgreSQL and back), so that a write this instance just served is seen
// by its next request. Out of sync it returns at once; a barrier that does not come back
// in time puts the cache out of sync.
func (c *Cache) CatchUp(ctx context.Context) {
	if c.Synced() {
		c.barrier(ctx) //nolint:errcheck // a failure put the cache out of sync
	}
}

// barrier sends a numbered barrier and waits for it.
func (c *Cache) barrier(ctx context.Context) error {
	n := c.seq.Add(1)
	ch := make(chan struct{})
	c.mu.Lock()
	feed := c.feed
	c.waiting[n] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.waiting, n)
		c.mu.Unlock()
	}()
	if feed == nil {
		return errors.New("sessioncache: not started")
	}
	ctx, cancel := context.WithTimeout(ctx, barrierWait)
	defer cancel()
	err := feed.SendBarrier(ctx, c.instance+" "+strconv.FormatUint(n, 10))
	if err == nil {
		select {
		case <-ch:
			return nil
		case <-ctx.Done():
			err = fmt.Errorf("barrier %d did not come back in %v", n, barrierWait)
		}
	}
	c.outOfSync(err)
	return err
}

// beat sends a barrier every heartbeat: it brings the cache into sync after the feed
// (re)connects and puts it out of sync when notifications stop arriving.
func (c *Cache) beat() {
	defer close(c.stopped)
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	for {
		c.barrier(context.Background()) //nolint:errcheck // logged by outOfSync
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
	}
}

// outOfSync drops everything and waits for a barrier sent from now on.
func (c *Cache) outOfSync(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.synced && c.log != nil {
		c.log.Warn("session cache out of sync: sessions and data versions are read from PostgreSQL", "err", err)
	}
	c.clear()
}

// clear empties the cache and puts it out of sync until a barrier numbered after now
// comes back. The caller holds mu (or owns c).
func (c *Cache) clear() {
	c.synced = false
	c.gen++
	c.structure++
	c.needSeq = c.seq.Load() + 1
	c.sessions, c.users, c.versions, c.unread = map[string]session{}, map[int64]user{}, map[int64]int64{}, map[int64]int{}
}

// Listening implements postgres.ChangeHandler: what came before may have been missed.
func (c *Cache) Listening() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clear()
}

// NotListening implements postgres.ChangeHandler.
func (c *Cache) NotListening(err error) { c.outOfSync(err) }

// SessionChanged implements postgres.ChangeHandler.
func (c *Cache) SessionChanged(id string) {
	c.seen.forget(id)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.sessions, id)
	c.gen++
}

// UserChanged implements postgres.ChangeHandler.
func (c *Cache) UserChanged(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.users, id)
	delete(c.unread, id)
	c.gen++
}

// UnreadChanged implements postgres.ChangeHandler.
func (c *Cache) UnreadChanged(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.unread, id)
	c.gen++
}

// VersionBumped implements postgres.ChangeHandler. A version is kept even for an
// organisation not yet looked up, so that a lookup that read an older one cannot lower it.
func (c *Cache) VersionBumped(orgID, version int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.versions[orgID] {
		c.versions[orgID] = version
	}
}

// StructureChanged implements postgres.ChangeHandler.
func (c *Cache) StructureChanged(table string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if table == "" {
		c.structure++
		return
	}
	if c.tables == nil {
		c.tables = map[string]uint64{}
	}
	c.tables[table]++
}

// Structure returns a number that changes with every change to the tables given, of what
// the organisations' views are built from other than ratings (people, teams, the framework,
// targets, ...: migrations/00030 and 00032), for caches of those reads
// (internal/readcache): the sum of a number moved by any change and each table's count of
// changes, which only grow. ok is false while the cache is out of sync: a change may then
// go unheard, and nothing may be read from memory.
func (c *Cache) Structure(tables ...string) (n uint64, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n = c.structure
	for _, t := range tables {
		n += c.tables[t]
	}
	return n, c.synced
}

// BarrierReached implements postgres.ChangeHandler: this instance's barrier n came back,
// so every change committed before it was sent has been applied.
func (c *Cache) BarrierReached(token string) {
	inst, num, _ := strings.Cut(token, " ")
	n, err := strconv.ParseUint(num, 10, 64)
	if inst != c.instance || err != nil {
		return // another instance's
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.waiting[n]; ok {
		close(ch)
		delete(c.waiting, n)
	}
	if !c.synced && n >= c.needSeq {
		c.synced = true
	}
}
