package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestReadsArePrepared: the pool's reads run as statements prepared once per connection
// (prepared.go); a query that cannot be prepared fails as it did unprepared, and writes
// are not prepared.
func TestReadsArePrepared(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.NewDatabase(t), 1) // one connection: the statements are its
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const read = `SELECT count(*) FROM users WHERE org_id = $1`
	prepared := func(text string) int {
		t.Helper()
		var n int
		// Through the embedded pool: unprepared, so that it counts only the others.
		if err := db.DB.GetContext(ctx, &n, `SELECT count(*) FROM pg_prepared_statements WHERE statement = $1`, text); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 3 {
		var n int
		if err := db.GetContext(ctx, &n, read, 1); err != nil || n != 0 {
			t.Fatalf("GetContext: %d, %v", n, err)
		}
		var ns []int
		if err := db.SelectContext(ctx, &ns, read, 1); err != nil || len(ns) != 1 {
			t.Fatalf("SelectContext: %v, %v", ns, err)
		}
		if err := db.QueryRowContext(ctx, read, 1).Scan(&n); err != nil {
			t.Fatalf("QueryRowContext: %v", err)
		}
		rows, err := db.QueryContext(ctx, read, 1)
		if err != nil {
			t.Fatalf("QueryContext: %v", err)
		}
		rows.Close()
	}
	if n := prepared(read); n != 1 {
		t.Fatalf("after 12 reads of one text, %d prepared statements of it on the connection, want 1", n)
	}

	const bad = `SELECT nonsense FROM users WHERE org_id = $1`
	var n int
	err = db.GetContext(ctx, &n, bad, 1)
	if err == nil || !strings.Contains(err.Error(), `column "nonsense" does not exist`) {
		t.Fatalf("a query that cannot be prepared: %v", err)
	}
	if err := db.QueryRowContext(ctx, bad, 1).Scan(&n); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Fatalf("QueryRowContext of a query that cannot be prepared: %v", err)
	}

	const write = `UPDATE users SET name = name WHERE org_id = $1`
	if _, err := db.ExecContext(ctx, write, 1); err != nil {
		t.Fatal(err)
	}
	if n := prepared(write); n != 0 {
		t.Fatalf("a write was prepared (%d)", n)
	}
}

// TestPreparedReadAfterAColumnChanges: when a column a prepared read selects changes type
// under it (another instance's migration, in a rolling deployment), PostgreSQL refuses the
// statement; the read runs again unprepared and the next one is prepared anew.
func TestPreparedReadAfterAColumnChanges(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.NewDatabase(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(ctx, `CREATE TABLE scratch (x int); INSERT INTO scratch VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	const read = `SELECT x FROM scratch WHERE x > $1`
	get := func(what string) {
		t.Helper()
		var x int64
		if err := db.GetContext(ctx, &x, read, 0); err != nil || x != 7 {
			t.Fatalf("%s, GetContext: %d, %v", what, x, err)
		}
		var xs []int64
		if err := db.SelectContext(ctx, &xs, read, 0); err != nil || len(xs) != 1 {
			t.Fatalf("%s, SelectContext: %v, %v", what, xs, err)
		}
		if err := db.QueryRowContext(ctx, read, 0).Scan(&x); err != nil {
			t.Fatalf("%s, QueryRowContext: %v", what, err)
		}
		rows, err := db.QueryContext(ctx, read, 0)
		if err != nil {
			t.Fatalf("%s, QueryContext: %v", what, err)
		}
		rows.Close()
	}
	for range 3 {
		get("before")
	}
	for _, typ := range []string{"bigint", "numeric", "int"} {
		if _, err := db.ExecContext(ctx, `ALTER TABLE scratch ALTER COLUMN x TYPE `+typ); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			get("after the column became " + typ)
		}
	}
}
