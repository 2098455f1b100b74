package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The pool's reads run as prepared statements. DB's SelectContext, GetContext,
// QueryContext and QueryRowContext (the methods the store reads with, outside
// transactions) prepare each query text once for the pool and run it from then on;
// database/sql prepares it on each connection at its first use there. PostgreSQL then
// parses, analyses and plans a query once per connection instead of at every execution,
// which for the small reads of a view was most of their cost: the rating clock of a team
// of 20 took 0.41 ms a query unprepared and 0.16 ms prepared (pgbench -M extended against
// -M prepared, one client, the same statement and parameters).
//
// Query texts are constants of this package, so the statements are bounded by the
// program's queries. Writes (ExecContext) and transactions run unprepared, as before. A
// query that cannot be prepared runs unprepared, which reports its error as before. A
// statement whose result PostgreSQL refuses to give in a new shape (a selected column's
// type altered since it was prepared: another instance's migration, during a rolling
// deployment) is forgotten, and the read runs again unprepared, as it would have before.

// statements are the pool's prepared statements, by query text.
type statements struct {
	mu sync.RWMutex
	m  map[string]*sqlx.Stmt
}

// prepared returns query prepared on the pool, or nil when it cannot be.
func (db *DB) prepared(ctx context.Context, query string) *sqlx.Stmt {
	db.stmts.mu.RLock()
	s := db.stmts.m[query]
	db.stmts.mu.RUnlock()
	if s != nil {
		return s
	}
	s, err := db.DB.PreparexContext(ctx, query)
	if err != nil {
		return nil
	}
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if kept := db.stmts.m[query]; kept != nil { // prepared meanwhile by another caller
		s.Close()
		return kept
	}
	if db.stmts.m == nil {
		db.stmts.m = map[string]*sqlx.Stmt{}
	}
	db.stmts.m[query] = s
	return s
}

// forget drops query's statement, to be prepared again at its next use. It is not closed:
// another read may be running it (and get the same refusal); its copies on the connections
// go when they do.
func (db *DB) forget(query string) {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	delete(db.stmts.m, query)
}

// reshaped reports whether err is PostgreSQL refusing to run a prepared statement whose
// result changed shape since it was prepared (SQLSTATE 0A000, "cached plan must not change
// result type").
func reshaped(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && pe.Code == "0A000" && strings.Contains(pe.Message, "cached plan must not change result type")
}

// onPrepared runs read on query's prepared statement and reports whether its answer
// stands: false when query cannot be prepared, or when PostgreSQL refused the statement
// because its result changed shape (it is then forgotten); the caller then reads
// unprepared.
func (db *DB) onPrepared(ctx context.Context, query string, read func(*sqlx.Stmt) error) bool {
	s := db.prepared(ctx, query)
	if s == nil {
		return false
	}
	if reshaped(read(s)) {
		db.forget(query)
		return false
	}
	return true
}

// SelectContext is sqlx's, prepared.
func (db *DB) SelectContext(ctx context.Context, dest any, query string, args ...any) (err error) {
	if db.onPrepared(ctx, query, func(s *sqlx.Stmt) error { err = s.SelectContext(ctx, dest, args...); return err }) {
		return err
	}
	return db.DB.SelectContext(ctx, dest, query, args...)
}

// GetContext is sqlx's, prepared.
func (db *DB) GetContext(ctx context.Context, dest any, query string, args ...any) (err error) {
	if db.onPrepared(ctx, query, func(s *sqlx.Stmt) error { err = s.GetContext(ctx, dest, args...); return err }) {
		return err
	}
	return db.DB.GetContext(ctx, dest, query, args...)
}

// QueryContext is database/sql's, prepared.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (rows *sql.Rows, err error) {
	if db.onPrepared(ctx, query, func(s *sqlx.Stmt) error { rows, err = s.QueryContext(ctx, args...); return err }) {
		return rows, err
	}
	return db.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext is database/sql's, prepared.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) (row *sql.Row) {
	if db.onPrepared(ctx, query, func(s *sqlx.Stmt) error { row = s.QueryRowContext(ctx, args...); return row.Err() }) {
		return row
	}
	return db.DB.QueryRowContext(ctx, query, args...)
}
