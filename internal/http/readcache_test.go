package http

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/people"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// TestDashboardsFollowWritesWhileReadingFromMemory: with the session cache in sync, as
// served, the dashboards read the structure from memory (internal/readcache) and the past
// from the kept history (postgres pastRatings); every write is still in the next view: a
// member added, a rating, a backdated rating and a deletion.
func TestDashboardsFollowWritesWhileReadingFromMemory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g, err := pgtest.GenerateOrg(ctx, f.db, pgtest.GenSpec{Slug: "fresh", Teams: 2, PerTeam: 3})
	if err != nil {
		t.Fatal(err)
	}
	// The members were there two years back (the trend's past has members to show).
	if err := f.db.BackdateTeamHistory(ctx, g.TeamIDs[0], time.Now().AddDate(-2, 0, 0)); err != nil {
		t.Fatal(err)
	}
	f.syncSessions(t)
	leader, admin := f.token(t, "leader1@fresh.test"), f.token(t, "admin@fresh.test")
	team := g.TeamIDs[0]
	page := func() string {
		t.Helper()
		r := f.do(t, "GET", fmt.Sprintf("/teams/%d", team), leader, nil)
		if r.Status != 200 {
			t.Fatalf("team page: %d %s", r.Status, r.Body)
		}
		return string(r.Body)
	}
	heatmap := func() dashboards.Heatmap {
		t.Helper()
		var out struct{ Data dashboards.Heatmap }
		r := f.do(t, "GET", fmt.Sprintf("/api/v1/teams/%d/heatmap", team), leader, nil)
		if r.Status != 200 || json.Unmarshal(r.Body, &out) != nil {
			t.Fatalf("heatmap: %d %s", r.Status, r.Body)
		}
		return out.Data
	}
	dashboard := func() dashboards.Figures {
		t.Helper()
		var out struct{ Data dashboards.Figures }
		r := f.do(t, "GET", fmt.Sprintf("/api/v1/teams/%d/shape", team), leader, nil)
		if r.Status != 200 || json.Unmarshal(r.Body, &out) != nil {
			t.Fatalf("dashboard: %d %s", r.Status, r.Body)
		}
		return out.Data
	}

	// A member added (the structure) is on the next page.
	if strings.Contains(page(), "PM 4") {
		t.Fatal("PM 4 is on team 1's page before joining it")
	}
	var mover int64
	if err := f.db.GetContext(ctx, &mover, `SELECT id FROM users WHERE email = 'pm4@fresh.test'`); err != nil {
		t.Fatal(err)
	}
	if r := f.do(t, "POST", fmt.Sprintf("/api/v1/teams/%d/members", team), admin, map[string]any{"user_id": mover, "role": "member"}); r.Status != 201 {
		t.Fatalf("add member: %d %s", r.Status, r.Body)
	}
	if !strings.Contains(page(), "PM 4") {
		t.Fatal("a member added is missing from the next view of the team page")
	}

	// A rating (not the structure) is in the next heatmap, both ways.
	h := heatmap()
	row := h.People[0]
	comp := h.Competencies[0].Competency
	for _, level := range []int{5, 0} {
		body := map[string]any{"ratings": []map[string]any{{"competency": comp, "level": level}}}
		if r := f.do(t, "PUT", fmt.Sprintf("/api/v1/people/%d/ratings", row.ID), leader, body); r.Status != 200 {
			t.Fatalf("rate: %d %s", r.Status, r.Body)
		}
		got := heatmap().People[0].Cells[0].Level
		if got == nil || *got != level {
			t.Fatalf("%s of %s after rating it %d: %v", comp, row.Name, level, got)
		}
	}

	// The organisation view, whose team summaries are kept by their inputs, agrees with the
	// team's own figures after every member is rated 5, then 0, everywhere.
	orgScore := func() float64 {
		t.Helper()
		var out struct {
			Data struct {
				Teams []struct {
					ID         int64   `json:"id"`
					TotalScore float64 `json:"total_score"`
				} `json:"teams"`
			}
		}
		r := f.do(t, "GET", "/api/v1/org/shape", admin, nil)
		if r.Status != 200 || json.Unmarshal(r.Body, &out) != nil {
			t.Fatalf("org shape: %d %s", r.Status, r.Body)
		}
		for _, s := range out.Data.Teams {
			if s.ID == team {
				return s.TotalScore
			}
		}
		t.Fatal("team 1 is not in the organisation view")
		return 0
	}
	var scores []float64
	for _, level := range []int{5, 0} {
		for _, p := range heatmap().People {
			for _, c := range h.Competencies { // one at a time: leads-only ones are refused for the others
				body := map[string]any{"ratings": []map[string]any{{"competency": c.Competency, "level": level}}}
				if r := f.do(t, "PUT", fmt.Sprintf("/api/v1/people/%d/ratings", p.ID), leader, body); r.Status != 200 && r.Status != 422 {
					t.Fatalf("rate %s: %d %s", p.Name, r.Status, r.Body)
				}
			}
		}
		got, want := orgScore(), dashboard().TotalScore
		if got != want {
			t.Fatalf("everyone at %d: the organisation view says %v, the team %v", level, got, want)
		}
		scores = append(scores, got)
	}
	if scores[0] == scores[1] {
		t.Fatalf("rating everyone 5 then 0 left the score at %v: the test tests nothing", scores[0])
	}

	// The trend's past points follow a rating backdated into them, and a deletion.
	past := func() float64 {
		t.Helper()
		trend := dashboard().Trend
		if len(trend) < 2 || !trend[len(trend)-1].Open || trend[len(trend)-2].Members == 0 {
			t.Fatalf("no past point with members before the open quarter: %+v", trend)
		}
		return trend[len(trend)-2].TotalScore // the last quarter's end
	}
	before := past()
	if _, err := f.db.ExecContext(ctx, `
		INSERT INTO ratings (org_id, subject_id, rater_id, competency_id, kind, level, note, created_at)
		SELECT u.org_id, u.id, l.id, c.id, 'leader', 5, 'backdated', date_trunc('quarter', now()) - interval '1 day'
		FROM users u JOIN users l ON l.email = 'leader1@fresh.test' JOIN competencies c ON c.org_id = u.org_id
		WHERE u.email IN ('pm1@fresh.test', 'pm2@fresh.test', 'pm3@fresh.test')`); err != nil {
		t.Fatal(err)
	}
	f.srv.Sessions().CatchUp(ctx) // plain SQL: wait for its announcement
	raised := past()
	if raised >= before {
		t.Fatalf("a backdated rating did not reach the trend's past: total gap score %v → %v", before, raised)
	}
	if _, err := f.db.ExecContext(ctx, `DELETE FROM ratings WHERE note = 'backdated'`); err != nil {
		t.Fatal(err)
	}
	f.srv.Sessions().CatchUp(ctx)
	if got := past(); got != before {
		t.Fatalf("deleting the backdated ratings left the past at %v, want %v", got, before)
	}
}

// TestEveryStructureWriteReachesTheNextView: with the structure read from memory, kept per
// table (internal/readcache, migrations/00032), a write in plain SQL to each table a view is
// read from is in the next view: the team's figures served equal those the dashboards
// service reads straight from the store, and the write changed them (or the page).
func TestEveryStructureWriteReachesTheNextView(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g, err := pgtest.GenerateOrg(ctx, f.db, pgtest.GenSpec{Slug: "tables", Teams: 2, PerTeam: 4})
	if err != nil {
		t.Fatal(err)
	}
	f.syncSessions(t)
	team := g.TeamIDs[0]
	leader := app.Actor{OrgID: g.Org.ID, Role: app.RoleLeader}
	if err := f.db.GetContext(ctx, &leader.UserID, `SELECT id FROM users WHERE email = 'leader1@tables.test'`); err != nil {
		t.Fatal(err)
	}
	direct := dashboards.New(f.db, people.New(f.db), time.Now)
	figures := func(what string) string {
		t.Helper()
		served, _ := f.shape(t, "leader1@tables.test", team, "")
		d, err := direct.Team(ctx, &leader, team, time.Now(), true)
		if err != nil {
			t.Fatal(err)
		}
		truth := d.Figures()
		for _, fig := range []*dashboards.Figures{&served, &truth} { // "now" is each one's own
			fig.AsOf = time.Time{}
			for i := range fig.Trend {
				if fig.Trend[i].Open {
					fig.Trend[i].AsOf = time.Time{}
				}
			}
		}
		a, _ := json.Marshal(served)
		b, _ := json.Marshal(truth)
		if string(a) != string(b) {
			t.Fatalf("after %s the served figures are not the store's:\nserved %s\nstore  %s", what, a, b)
		}
		page := f.as(t, "leader1@tables.test", "GET", fmt.Sprintf("/teams/%d", team), nil)
		return string(a) + string(page.Body)
	}
	before := figures("nothing")
	for _, w := range []struct{ table, sql string }{ // each changes the figures or the page but profiles
		{"competencies", `UPDATE competencies SET name = name || ' renamed' WHERE org_id = $1 AND key = 'delivery'`},
		{"competency_areas", `UPDATE competency_areas SET name = name || ' renamed' WHERE org_id = $1`},
		{"org_settings", `INSERT INTO org_settings (org_id, breadth, depth) VALUES ($1, 2, 2)
			ON CONFLICT (org_id) DO UPDATE SET breadth = 2, depth = 2`},
		{"users", `UPDATE users SET name = 'Renamed PM' WHERE email = 'pm2@tables.test' AND org_id = $1`},
		{"team_targets", `INSERT INTO team_targets (team_id, competency_id, coverage, depth, criticality)
			SELECT t.id, c.id, 4, 5, 3 FROM teams t JOIN competencies c ON c.org_id = t.org_id
			WHERE t.org_id = $1 AND t.name = 'Team 001' AND c.key = 'analytics'
			ON CONFLICT (team_id, competency_id) DO UPDATE SET coverage = 4, depth = 5, criticality = 3`},
		{"profiles", `INSERT INTO profiles (user_id, specialisms) SELECT id, '{"payments"}' FROM users WHERE email = 'pm3@tables.test' AND org_id = $1
			ON CONFLICT (user_id) DO UPDATE SET specialisms = '{"payments"}'`},
		{"team_members", `DELETE FROM team_members WHERE user_id = (SELECT id FROM users WHERE email = 'pm4@tables.test' AND org_id = $1)`},
		{"teams", `UPDATE teams SET name = 'Renamed team' WHERE org_id = $1 AND name = 'Team 001'`},
	} {
		if _, err := f.db.ExecContext(ctx, w.sql, g.Org.ID); err != nil {
			t.Fatalf("%s: %v", w.table, err)
		}
		f.srv.Sessions().CatchUp(ctx) // plain SQL: wait for its announcement
		after := figures("a write to " + w.table)
		if after == before && w.table != "profiles" { // the team's views show no specialisms
			t.Errorf("a write to %s changed neither the figures nor the page: the case tests nothing", w.table)
		}
		before = after
	}
}
