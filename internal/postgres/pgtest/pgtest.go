// Package pgtest gives tests a fresh, migrated PostgreSQL database of their own.
//
// The server comes from TEAMSHAPE_TEST_DATABASE_URL (an admin connection, as printed by
// scripts/pg.sh), else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// A template database is migrated once per schema version; each test gets a copy of it
// and drops it when done.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/lib/pq" // the driver

	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/migrations"
)

// AdminURL is the URL of the server's maintenance database tests connect to.
func AdminURL() string {
	for _, k := range []string{"TEAMSHAPE_TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// URLFor returns the admin URL with the database name replaced.
func URLFor(admin, dbname string) string {
	u, err := url.Parse(admin)
	if err != nil {
		panic(fmt.Sprintf("pgtest: bad admin URL: %v", err))
	}
	u.Path = "/" + dbname
	return u.String()
}

// NewDatabase creates a fresh migrated database and returns its URL; it is dropped when
// the test ends.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	admin, err := sql.Open("postgres", AdminURL())
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		tb.Fatalf("pgtest: connect to %s: %v (run `make test`, or set TEAMSHAPE_TEST_DATABASE_URL)", redact(AdminURL()), err)
	}
	defer conn.Close()

	tmpl := "teamshape_tmpl_" + schemaHash()
	name := "teamshape_test_" + randomHex(6)
	// Serialise template creation and copying across test processes.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727272)`); err != nil {
		tb.Fatalf("pgtest: lock: %v", err)
	}
	func() {
		defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(727272)`) //nolint:errcheck
		var exists bool
		if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tmpl).Scan(&exists); err != nil {
			tb.Fatalf("pgtest: %v", err)
		}
		if !exists {
			makeTemplate(tb, conn, tmpl)
		}
		if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tmpl); err != nil {
			tb.Fatalf("pgtest: create database: %v", err)
		}
	}()
	dropOnCleanup(tb, name)
	return URLFor(AdminURL(), name)
}

// NewEmptyDatabase creates a fresh database without any migration applied and returns
// its URL; it is dropped when the test ends. Tests of migrating itself use it.
func NewEmptyDatabase(tb testing.TB) string {
	tb.Helper()
	admin, err := sql.Open("postgres", AdminURL())
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	defer admin.Close()
	name := "teamshape_test_" + randomHex(6)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("pgtest: create database on %s: %v", redact(AdminURL()), err)
	}
	dropOnCleanup(tb, name)
	return URLFor(AdminURL(), name)
}

// dropOnCleanup drops the database when the test ends.
func dropOnCleanup(tb testing.TB, name string) {
	tb.Cleanup(func() {
		a, err := sql.Open("postgres", AdminURL())
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) //nolint:errcheck
	})
}

// makeTemplate migrates a new template database. It first drops the templates of other
// schema versions (and half-built ones of an interrupted run), so the server keeps one
// template: the current schema's, which later runs reuse. The caller holds the advisory
// lock every template user takes, so none of them is being copied meanwhile.
func makeTemplate(tb testing.TB, conn *sql.Conn, tmpl string) {
	ctx := context.Background()
	var stale []string
	if err := func() error {
		rows, err := conn.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'teamshape\_tmpl\_%'`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			stale = append(stale, n)
		}
		return rows.Err()
	}(); err != nil {
		tb.Fatalf("pgtest: list templates: %v", err)
	}
	for _, n := range stale {
		conn.ExecContext(ctx, `DROP DATABASE IF EXISTS "`+n+`"`) //nolint:errcheck // in use elsewhere: kept
	}
	building := tmpl + "_b" + randomHex(3)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
		tb.Fatalf("pgtest: create template: %v", err)
	}
	db, err := postgres.Open(ctx, URLFor(AdminURL(), building), 2)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		tb.Fatalf("pgtest: %v", err)
	}
	db.Close()
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+tmpl); err != nil {
		tb.Fatalf("pgtest: rename template: %v", err)
	}
}

// MustOpenDB returns an open pool on a fresh migrated database, closed when the test ends.
func MustOpenDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), NewDatabase(tb), 10)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// schemaHash names the template after the migrations' contents, so a changed
// migration gets a new template.
func schemaHash() string {
	h := sha256.New()
	fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error { //nolint:errcheck
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS, path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck
	return hex.EncodeToString(b)
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
