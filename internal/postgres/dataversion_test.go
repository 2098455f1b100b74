package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestDataVersionFollowsEveryDashboardInput: every insert, update and delete on a table a
// dashboard reads bumps the organisation's data version, which the session lookup returns
// (the dashboard cache keys on it); another organisation's version stays put. Every write
// but to ratings bumps the structure version too (internal/readcache keys on it), and a
// write to ratings bumps the history version when it can change the past: an update, a
// deletion, a backdated insert, not a rating made now (migrations/00030).
func TestDataVersionFollowsEveryDashboardInput(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids, team := coachingTeam(t, db)
	leader, pm := ids[0], ids[1]
	q := app.QuarterOf(time.Now())
	if err := db.CreateCoachingPlan(ctx, testPlan(org, pm, leader, q, "delivery")); err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateOrganisation(ctx, "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	otherUser := &app.User{OrgID: other.ID, Email: "o@other.test", Name: "O", Role: app.RoleAdmin}
	if err := db.CreateUser(ctx, otherUser); err != nil {
		t.Fatal(err)
	}

	version := func(userID int64) int64 {
		t.Helper()
		s, err := db.CreateSession(ctx, userID, time.Hour, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.FindActiveSession(ctx, s.ID, userID)
		if err != nil {
			t.Fatal(err)
		}
		return a.DataVersion
	}

	others := func() (structure, history int64) {
		t.Helper()
		if err := db.QueryRowContext(ctx, `SELECT structure_version, history_version FROM org_data_versions WHERE org_id = $1`,
			org.ID).Scan(&structure, &history); err != nil {
			t.Fatal(err)
		}
		return structure, history
	}

	comp := `(SELECT id FROM competencies WHERE org_id = $1 AND key = 'delivery')`
	writes := []struct{ name, sql string }{
		{"users update", `UPDATE users SET name = 'Renamed' WHERE org_id = $1 AND id = ` + itoa(pm)},
		{"users insert", `INSERT INTO users (org_id, email, name, role) VALUES ($1, 'new@acme.test', 'New', 'pm')`},
		{"teams update", `UPDATE teams SET name = 'T2' WHERE org_id = $1`},
		{"team_members insert", `INSERT INTO team_members (team_id, user_id, role) SELECT ` + itoa(team) + `, id, 'member' FROM users WHERE org_id = $1 AND email = 'new@acme.test'`},
		{"team_member_history update", `UPDATE team_member_history SET valid_from = valid_from - interval '1 day' WHERE team_id = ` + itoa(team) + ` AND $1::bigint IS NOT NULL`},
		{"team_members delete", `DELETE FROM team_members WHERE team_id = ` + itoa(team) + ` AND user_id IN (SELECT id FROM users WHERE org_id = $1 AND email = 'new@acme.test')`},
		{"users delete", `DELETE FROM users WHERE org_id = $1 AND email = 'new@acme.test'`},
		{"org_settings upsert", `INSERT INTO org_settings (org_id) VALUES ($1) ON CONFLICT (org_id) DO UPDATE SET org_id = EXCLUDED.org_id`},
		{"competency_areas update", `UPDATE competency_areas SET name = name || '!' WHERE org_id = $1`},
		{"competencies update", `UPDATE competencies SET name = name || '!' WHERE org_id = $1 AND key = 'delivery'`},
		{"ladder_levels update", `UPDATE ladder_levels SET level = level WHERE org_id = $1`},
		{"profiles insert", `INSERT INTO profiles (user_id) SELECT ` + itoa(pm) + ` WHERE $1::bigint IS NOT NULL ON CONFLICT (user_id) DO NOTHING`},
		{"profiles update", `UPDATE profiles SET user_id = user_id WHERE user_id = ` + itoa(pm) + ` AND $1::bigint IS NOT NULL`},
		{"ratings insert", `INSERT INTO ratings (org_id, subject_id, rater_id, competency_id, kind, level) VALUES ($1, ` + itoa(pm) + `, ` + itoa(leader) + `, ` + comp + `, 'leader', 3)`},
		{"ratings backdated insert", `INSERT INTO ratings (org_id, subject_id, rater_id, competency_id, kind, level, created_at) VALUES ($1, ` + itoa(pm) + `, ` + itoa(leader) + `, ` + comp + `, 'leader', 2, now() - interval '1 year')`},
		{"ratings update", `UPDATE ratings SET note = 'n' WHERE org_id = $1`},
		{"team_targets insert", `INSERT INTO team_targets (team_id, competency_id, coverage, depth, criticality) SELECT ` + itoa(team) + `, ` + comp + `, 2, 3, 2`},
		{"team_target_history update", `UPDATE team_target_history SET valid_from = valid_from - interval '1 day' WHERE team_id = ` + itoa(team) + ` AND $1::bigint IS NOT NULL`},
		{"team_targets delete", `DELETE FROM team_targets WHERE team_id = ` + itoa(team) + ` AND $1::bigint IS NOT NULL`},
		{"coaching_goals update", `UPDATE coaching_goals SET target_level = 4 WHERE plan_id IN (SELECT id FROM coaching_plans WHERE org_id = $1)`},
		{"coaching_plans delete", `DELETE FROM coaching_plans WHERE org_id = $1`},
		{"ratings delete", `DELETE FROM ratings WHERE org_id = $1`},
	}
	before, otherBefore := version(leader), version(otherUser.ID)
	structure, history := others()
	for _, w := range writes {
		res, err := db.ExecContext(ctx, w.sql, org.ID)
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("%s changed no row: the test does not test it", w.name)
		}
		after := version(leader)
		if after <= before {
			t.Fatalf("%s: data version %d → %d, want it bumped", w.name, before, after)
		}
		before = after
		rating := strings.HasPrefix(w.name, "ratings ")
		rewrites := rating && w.name != "ratings insert"
		s, h := others()
		if (s > structure) == rating || s < structure {
			t.Fatalf("%s: structure version %d → %d", w.name, structure, s)
		}
		if (h > history) != rewrites || h < history {
			t.Fatalf("%s: history version %d → %d, want it bumped: %v", w.name, history, h, rewrites)
		}
		structure, history = s, h
	}
	if got := version(otherUser.ID); got != otherBefore {
		t.Fatalf("another organisation's version moved %d → %d", otherBefore, got)
	}
	// A statement that changes no row of an input leaves the version alone.
	if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'x' WHERE id = -1`); err != nil {
		t.Fatal(err)
	}
	if got := version(leader); got != before {
		t.Fatalf("an empty statement bumped the version %d → %d", before, got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
