package postgres_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// BenchmarkOrgRollup compares the organisation view (insight.LoadRollup and the JSON it is
// sent as) with the bare SQL it runs (the same statements, rows read and dropped), on an
// organisation of 5,000 PMs in 250 teams. Each iteration runs both, one after the other, so
// that a busy machine slows both alike; it reports the medians sql-ms and view-ms and their
// ratio.
func BenchmarkOrgRollup(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	ctx := context.Background()
	g, err := pgtest.GenerateOrg(ctx, db, pgtest.GenSpec{Slug: "big", Teams: 250, PerTeam: 20})
	if err != nil {
		b.Fatal(err)
	}
	admin, err := db.FindUserByEmail(ctx, g.Org.ID, "admin@big.test")
	if err != nil {
		b.Fatal(err)
	}
	actor := &app.Actor{UserID: admin.ID, OrgID: g.Org.ID, Role: app.RoleAdmin}
	var memberIDs []int64
	if err := db.SelectContext(ctx, &memberIDs, `SELECT m.user_id FROM team_members m WHERE m.team_id = ANY($1) AND m.role = 'member'`,
		pq.Array(g.TeamIDs)); err != nil {
		b.Fatal(err)
	}
	asOf := time.Now()
	bare := func() {
		run := func(name string, args ...any) {
			rows, err := db.QueryContext(ctx, postgres.RollupStatements[name], args...)
			if err != nil {
				b.Fatal(name, err)
			}
			cols, _ := rows.Columns()
			dst := make([]any, len(cols))
			for i := range dst {
				dst[i] = new(any)
			}
			for rows.Next() {
				if err := rows.Scan(dst...); err != nil {
					b.Fatal(err)
				}
			}
			if err := rows.Err(); err != nil {
				b.Fatal(name, err)
			}
			rows.Close()
		}
		run("teams", g.Org.ID, admin.ID, true)
		run("areas", g.Org.ID)
		run("competencies", g.Org.ID)
		run("teams people", g.Org.ID, pq.Array(g.TeamIDs))
		run("ratings", g.Org.ID, pq.Array(memberIDs), pq.Array([]string{asOf.Format(time.RFC3339Nano)}))
		run("teams targets", g.Org.ID, pq.Array(g.TeamIDs))
	}
	view := func() {
		teams, err := db.FindTeams(ctx, actor)
		if err != nil {
			b.Fatal(err)
		}
		r, err := insight.LoadRollup(ctx, db, g.Org.ID, teams, asOf, func(app.Team) bool { return true })
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
	bare()
	view()
	var sqlTimes, viewTimes []time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		bare()
		mid := time.Now()
		view()
		sqlTimes = append(sqlTimes, mid.Sub(start))
		viewTimes = append(viewTimes, time.Since(mid))
	}
	b.StopTimer()
	med := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	s, v := med(sqlTimes), med(viewTimes)
	b.ReportMetric(s, "sql-ms")
	b.ReportMetric(v, "view-ms")
	b.ReportMetric(v/s, "view/sql")
}
