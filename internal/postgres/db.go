// Package postgres stores Teamshape's domain in PostgreSQL through sqlx and lib/pq.
// It talks to the rest of the program only in the domain's terms (package app).
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/migrations"
)

// DB is the one connection pool of the process, with the store's methods.
type DB struct {
	*sqlx.DB
	now func() time.Time
	// past keeps effective ratings as of past times (pastRatings).
	past *lru.Cache[pastKey, []app.EffectiveRating]
	// stmts are the prepared statements of the pool's reads (prepared.go).
	stmts statements
}

// Open opens the pool, sets its limits and pings the server.
func Open(ctx context.Context, url string, maxOpen int) (*DB, error) {
	cfg, err := pq.NewConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// A query with parameters in one round trip (Parse, Bind and Execute sent at once)
	// rather than two (lib/pq otherwise waits for the statement's description first).
	// Parameters go as text except []byte, sent as binary: only bytea takes them here.
	cfg.BinaryParameters = true
	connector, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := sqlx.NewDb(sql.OpenDB(connector), "postgres")
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(maxOpen)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	past, err := lru.New[pastKey, []app.EffectiveRating](pastSize)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &DB{DB: db, now: time.Now, past: past}, nil
}

func (db *DB) provider() (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db.DB.DB, migrations.FS,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
}

// Migrate applies every pending migration in order, each in a transaction, under a
// PostgreSQL advisory lock so that instances starting at once take turns.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// SchemaPending reports whether migrations are waiting: the server refuses to serve then.
func (db *DB) SchemaPending(ctx context.Context) (bool, error) {
	p, err := db.provider()
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}

// Ready reports whether the database answers.
func (db *DB) Ready(ctx context.Context) error {
	return db.PingContext(ctx)
}

// InTx runs fn in one transaction: committed if fn returns nil, rolled back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return mapErr(tx.Commit())
}

// mapErr turns storage errors into domain errors: no rows → ENOTFOUND, unique
// violation → ECONFLICT, check violation → EINVALID, connection trouble → EUNAVAILABLE
// (the client gets 503; nothing else may turn a database outage into a 500).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return app.Errorf(app.ENOTFOUND, "Not found.")
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &app.Error{Code: app.ECONFLICT, Message: "That already exists.", Field: pe.Constraint}
		case "23514", "22001", "22003", "23502":
			return &app.Error{Code: app.EINVALID, Message: "A value is out of range.", Field: pe.Constraint}
		case "23503":
			return &app.Error{Code: app.EINVALID, Message: "A referenced object does not exist.", Field: pe.Constraint}
		case "22021", "22P05": // text with NUL or bytes not in UTF-8 (the HTTP layer refuses it first)
			return &app.Error{Code: app.EINVALID, Message: "A text holds a character that cannot be stored."}
		}
		switch pe.Code.Class() {
		// 08 connection exception, 53 insufficient resources (too many connections, disk
		// full), 57 operator intervention (shutting down, starting up, statement
		// cancelled), 58 system error, 40 serialization failure or deadlock: all pass.
		case "08", "53", "57", "58", "40":
			return unavailable(err)
		}
		return fmt.Errorf("postgres %s: %w", pe.Code, err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driverBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return unavailable(err)
	}
	return err
}

// errUnavailable is every kind of "the database cannot answer now": the client gets 503
// and may retry; the pool replaces broken connections by itself.
var errUnavailable = &app.Error{Code: app.EUNAVAILABLE, Message: "The database is unavailable; try again shortly."}

// unavailable wraps errUnavailable with its cause, for the server's log (clients see
// only the message).
func unavailable(cause error) error { return fmt.Errorf("%w (%v)", errUnavailable, cause) }

var _ app.Store = (*DB)(nil)

func itoa(i int) string { return strconv.Itoa(i) }
