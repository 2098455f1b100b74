package sessioncache

import (
	"context"
	"sync"
	"time"
)

// Last seen. A session's last_seen_at (the Security page lists it) moves on at most once
// a minute: PostgreSQL moves it itself when a lookup misses the cache, and for a cached
// session the instance notes in memory when it was used and flushes the notes in one
// batch UPDATE every FlushEvery, so a request never waits on a write.
const (
	// seenEvery is how often a session's last_seen_at moves on, at most.
	seenEvery = time.Minute
	// FlushEvery is how often the noted uses are written (Cache.FlushEvery changes it).
	FlushEvery = 15 * time.Second
	// flushWait bounds one flush.
	flushWait = 5 * time.Second
)

// seenState is what the instance knows of a session's last_seen_at.
type seenState struct {
	written time.Time // what PostgreSQL holds at least (written or touched by a miss)
	pending time.Time // a use to write; zero: none
}

// lastSeen keeps the noted uses, under its own lock so that a cache hit never waits for
// the cache's.
type lastSeen struct {
	mu       sync.Mutex
	sessions map[string]seenState
}

// used notes a cached session's use at now, if its last_seen_at is a minute old.
func (l *lastSeen) used(id string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.sessions[id]
	if now.Sub(st.written) < seenEvery || !st.pending.IsZero() {
		return
	}
	if l.sessions == nil || len(l.sessions) >= maxEntries {
		l.sessions = map[string]seenState{}
	}
	st.pending = now
	l.sessions[id] = st
}

// touched notes that PostgreSQL moved the session's last_seen_at to (about) now itself.
func (l *lastSeen) touched(id string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sessions == nil || len(l.sessions) >= maxEntries {
		l.sessions = map[string]seenState{}
	}
	l.sessions[id] = seenState{written: now}
}

// forget drops a session (revoked, or its user changed).
func (l *lastSeen) forget(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.sessions, id)
}

// take returns the pending uses and counts them written.
func (l *lastSeen) take() map[string]time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out map[string]time.Time
	for id, st := range l.sessions {
		if st.pending.IsZero() {
			continue
		}
		if out == nil {
			out = map[string]time.Time{}
		}
		out[id] = st.pending
		l.sessions[id] = seenState{written: st.pending}
	}
	return out
}

// giveBack makes uses whose write failed pending again (unless noted since).
func (l *lastSeen) giveBack(seen map[string]time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, at := range seen {
		if st, ok := l.sessions[id]; ok && st.pending.IsZero() && st.written.Equal(at) {
			l.sessions[id] = seenState{pending: at}
		}
	}
}

// Flush writes the noted uses of cached sessions in one statement (nothing when there are
// none). The cache flushes every FlushEvery while started, and on Stop.
func (c *Cache) Flush(ctx context.Context) error {
	seen := c.seen.take()
	if len(seen) == 0 {
		return nil
	}
	if err := c.store.TouchSessions(ctx, seen); err != nil {
		c.seen.giveBack(seen)
		return err
	}
	return nil
}

// flushLoop flushes every FlushEvery until stop, and once more then.
func (c *Cache) flushLoop(every time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			c.flushNow()
			return
		case <-t.C:
			c.flushNow()
		}
	}
}

func (c *Cache) flushNow() {
	ctx, cancel := context.WithTimeout(context.Background(), flushWait)
	defer cancel()
	if err := c.Flush(ctx); err != nil && c.log != nil {
		c.log.Warn("session cache: last seen not written (retried at the next flush)", "err", err)
	}
}
