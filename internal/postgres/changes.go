package postgres

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// changesChannel is where migrations/00018's triggers announce changes to sessions, users
// and data versions.
const changesChannel = "teamshape_changes"

// ChangeHandler receives the changes announced on changesChannel, in commit order, from one
// goroutine; Listening and NotListening come from another (the connection's).
type ChangeHandler interface {
	// Listening: the channel is listened to on a fresh connection. Changes committed
	// before may have been missed.
	Listening()
	// NotListening: the connection is lost; changes are being missed until Listening.
	NotListening(err error)
	SessionChanged(id string)
	UserChanged(id int64)
	VersionBumped(orgID, version int64)
	// StructureChanged: the table, part of what views are built from other than ratings,
	// changed (migrations/00032); "" when any of it may have changed.
	StructureChanged(table string)
	// UnreadChanged: the user's notifications were added to or marked read.
	UnreadChanged(userID int64)
	// BarrierReached: a barrier sent with SendBarrier arrived, after every change committed
	// before it was sent.
	BarrierReached(token string)
}

// ChangeFeed listens on a dedicated connection (lib/pq's Listener, which reconnects by
// itself) and hands each change to its handler.
type ChangeFeed struct {
	db        *DB
	l         *pq.Listener
	done      chan struct{}
	listening atomic.Bool // Listen has returned: a reconnection listens again
}

// ListenChanges opens the feed on dsn and returns once the channel is listened to.
func (db *DB) ListenChanges(dsn string, h ChangeHandler, log *slog.Logger) (*ChangeFeed, error) {
	f := &ChangeFeed{db: db, done: make(chan struct{})}
	f.l = pq.NewListener(dsn, 100*time.Millisecond, 2*time.Second, func(ev pq.ListenerEventType, err error) {
		switch ev {
		case pq.ListenerEventDisconnected, pq.ListenerEventConnectionAttemptFailed:
			log.Warn("change feed: not listening; sessions and data versions are read from PostgreSQL", "err", err)
			h.NotListening(err)
		case pq.ListenerEventReconnected:
			if f.listening.Load() { // LISTEN is issued again before this event
				log.Info("change feed: listening again")
				h.Listening()
			}
		}
	})
	if err := f.l.Listen(changesChannel); err != nil {
		f.l.Close() //nolint:errcheck
		return nil, mapErr(err)
	}
	f.listening.Store(true)
	go f.relay(h, log)
	h.Listening()
	return f, nil
}

// relay hands each notification to the handler until the feed closes.
func (f *ChangeFeed) relay(h ChangeHandler, log *slog.Logger) {
	defer close(f.done)
	for n := range f.l.Notify {
		if n == nil { // after a reconnection: Listening was called
			continue
		}
		kind, rest, _ := strings.Cut(n.Extra, " ")
		switch kind {
		case "s":
			h.SessionChanged(rest)
		case "u":
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				h.UserChanged(id)
			}
		case "v":
			org, ver, _ := strings.Cut(rest, " ")
			o, err1 := strconv.ParseInt(org, 10, 64)
			v, err2 := strconv.ParseInt(ver, 10, 64)
			if err1 == nil && err2 == nil {
				h.VersionBumped(o, v)
			}
		case "t":
			// "t <table>"; "t <organisation id>" (migrations/00030, before 00032) says
			// anything in the organisation may have changed.
			if _, err := strconv.ParseInt(rest, 10, 64); err == nil || rest == "" {
				h.StructureChanged("")
			} else {
				h.StructureChanged(rest)
			}
		case "n":
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				h.UnreadChanged(id)
			}
		case "b":
			h.BarrierReached(rest)
		default:
			log.Warn("change feed: unknown notification", "payload", n.Extra)
		}
	}
}

// notifyUnread announces, from tx, that the user's unread notifications changed: "n <user
// id>", delivered on commit only, in commit order, like the triggers' changes. The store's
// two writes of notifications (AddNotification, MarkNotificationsRead) are their only
// writers; a trigger would cover plain SQL too, but needs a migration.
func notifyUnread(ctx context.Context, tx *sqlx.Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_notify($1, 'n ' || $2::bigint)`, changesChannel, userID)
	return mapErr(err)
}

// SendBarrier announces token on the channel through the pool: when the feed hands it back,
// every change committed before has been handed over.
func (f *ChangeFeed) SendBarrier(ctx context.Context, token string) error {
	_, err := f.db.ExecContext(ctx, `SELECT pg_notify($1, 'b ' || $2)`, changesChannel, token)
	return mapErr(err)
}

// Close stops listening.
func (f *ChangeFeed) Close() error {
	err := f.l.Close()
	<-f.done
	return err
}
