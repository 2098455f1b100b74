package http

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// syncSessions connects the fixture's session cache to the change feed, as `serve` does, and
// waits until it is in sync: sessions, data versions and the bell are then read from memory.
func (f *fixture) syncSessions(tb testing.TB) {
	tb.Helper()
	var name string
	if err := f.db.GetContext(context.Background(), &name, `SELECT current_database()`); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	feed, err := f.db.ListenChanges(pgtest.URLFor(pgtest.AdminURL(), name), f.srv.Sessions(), log)
	if err != nil {
		tb.Fatal(err)
	}
	f.srv.Sessions().Start(feed)
	tb.Cleanup(func() {
		f.srv.Sessions().Stop()
		feed.Close() //nolint:errcheck
	})
	for deadline := time.Now().Add(5 * time.Second); !f.srv.Sessions().Synced(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatal("the session cache is not in sync within 5 s")
		}
	}
}
