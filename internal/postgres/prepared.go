package postgres

import (
	"context"
	"database/sql"
	"sync"

	"github.com/jmoiron/sqlx"
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
// query that cannot be prepared runs unprepared, which reports its error as before.

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

// SelectContext is sqlx's, prepared.
func (db *DB) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	if s := db.prepared(ctx, query); s != nil {
		return s.SelectContext(ctx, dest, args...)
	}
	return db.DB.SelectContext(ctx, dest, query, args...)
}

// GetContext is sqlx's, prepared.
func (db *DB) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	if s := db.prepared(ctx, query); s != nil {
		return s.GetContext(ctx, dest, args...)
	}
	return db.DB.GetContext(ctx, dest, query, args...)
}

// QueryContext is database/sql's, prepared.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := db.prepared(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return db.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext is database/sql's, prepared.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := db.prepared(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return db.DB.QueryRowContext(ctx, query, args...)
}
