package http

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/dashboards"
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
