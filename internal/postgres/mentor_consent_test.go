package postgres_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	_ "github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"github.com/teamshape/teamshape/internal/postgres/pgtest"
	"github.com/teamshape/teamshape/migrations"
)

// Migration 00014 turns the mentoring opt-out into an opt-in: people of a database that
// had only opt-outs are suggested to nobody afterwards (consent is given, not assumed), and
// whoever had opted out keeps that as a recorded "no". Rolled back, nobody who has not
// opted in is listed either.
func TestMentorOptInMigration(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("postgres", pgtest.NewEmptyDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ids := func(q string) []int64 {
		t.Helper()
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	exec(`INSERT INTO organisations (slug, name) VALUES ('acme', 'Acme')`)
	exec(`INSERT INTO users (org_id, email, name, role)
	      SELECT o.id, v.email, v.email, 'pm' FROM organisations o, (VALUES ('a@acme.test'), ('b@acme.test'), ('c@acme.test')) v (email)`)
	exec(`INSERT INTO competency_areas (org_id, key, name) SELECT id, 'execution', 'Execution' FROM organisations`)
	exec(`INSERT INTO competencies (org_id, area_id, key, name) SELECT org_id, id, 'delivery', 'Delivery' FROM competency_areas`)
	a, b, c := ids(`SELECT id FROM users WHERE email = 'a@acme.test'`)[0], ids(`SELECT id FROM users WHERE email = 'b@acme.test'`)[0],
		ids(`SELECT id FROM users WHERE email = 'c@acme.test'`)[0]
	exec(`INSERT INTO mentor_opt_outs (user_id) VALUES ($1)`, b) // b opted out; a and c were listed by default

	if _, err := p.UpTo(ctx, 14); err != nil {
		t.Fatal(err)
	}
	if v, err := p.GetDBVersion(ctx); err != nil || v != 14 {
		t.Fatalf("version %d (%v), want 14", v, err)
	}
	if in := ids(`SELECT user_id FROM mentor_consents WHERE opted_in`); len(in) != 0 {
		t.Errorf("opted in after the migration: %v, want nobody", in)
	}
	if no := ids(`SELECT user_id FROM mentor_consents WHERE NOT opted_in`); !slices.Equal(no, []int64{b}) {
		t.Errorf("recorded refusals %v, want %v (the one who opted out)", no, []int64{b})
	}
	// Offers exist only while opted in.
	if _, err := db.ExecContext(ctx, `INSERT INTO mentor_offers (user_id, competency_id)
		SELECT $1, id FROM competencies LIMIT 1`, b); err == nil {
		t.Error("an offer was stored for someone who has not opted in")
	}
	exec(`INSERT INTO mentor_consents (user_id, opted_in) VALUES ($1, true)`, c)
	exec(`INSERT INTO mentor_offers (user_id, competency_id) SELECT $1, id FROM competencies LIMIT 1`, c)
	if _, err := db.ExecContext(ctx, `UPDATE mentor_consents SET opted_in = false WHERE user_id = $1`, c); err == nil {
		t.Error("an opt-out left an offer behind")
	}

	// Rolled back: only c, who opted in, is listed; a (never asked) and b are opted out.
	if _, err := p.DownTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	if out := ids(`SELECT user_id FROM mentor_opt_outs ORDER BY user_id`); !slices.Equal(out, []int64{a, b}) {
		t.Errorf("opted out after rolling back: %v, want %v", out, []int64{a, b})
	}
}
