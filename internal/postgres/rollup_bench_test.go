package postgres_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// BenchmarkOrgRollup measures the organisation view of 5,000 PMs in 250 teams, uncached:
// before each iteration a leader rating is recorded (the first view after a write), then
// one loop runs, one after the other so that a busy machine slows them alike,
//
//   - distinct-on: the baseline, every rater's latest rating in the organisation's history
//     (pgtest.LatestPerRater), rows read and dropped;
//   - sql: the bare statements the view runs (postgres.RollupStatements), rows read and dropped,
//     one after the other (the view runs some at once);
//   - view: insight.LoadRollup as of now and the JSON it is sent as.
//
// It reports the medians distinct-on-ms, sql-ms and view-ms, view/distinct-on, the
// median of each iteration's ratio, and sql-<statement>-ms, the median of each bare
// statement (which of them the SQL time is made of).
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
	leader, err := db.FindUserByEmail(ctx, g.Org.ID, "leader1@big.test")
	if err != nil {
		b.Fatal(err)
	}
	actor := &app.Actor{UserID: admin.ID, OrgID: g.Org.ID, Role: app.RoleAdmin}
	var memberIDs []int64
	if err := db.SelectContext(ctx, &memberIDs, `SELECT m.user_id FROM team_members m WHERE m.team_id = ANY($1) AND m.role = 'member'`,
		pq.Array(g.TeamIDs)); err != nil {
		b.Fatal(err)
	}
	var asOf time.Time
	write := func(i int) { // a leader rating for a member of team 1: the view is now stale
		err := db.RecordRatings(ctx, app.RatingBatch{OrgID: g.Org.ID, SubjectID: memberIDs[i%20], RaterID: leader.ID,
			Kind: app.RatingLeader, Ratings: []app.RatingInput{{Competency: "delivery", Level: lv(i % 6)}}})
		if err != nil {
			b.Fatal(err)
		}
		asOf = time.Now()
	}
	drain := func(name, query string, args ...any) {
		rows, err := db.QueryContext(ctx, query, args...)
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
	baseline := func() { drain("distinct on", pgtest.LatestPerRater, g.Org.ID) }
	stmtTimes := map[string][]time.Duration{} // each bare statement's times, by name
	bare := func() {
		for _, s := range postgres.RollupStatements {
			var args []any
			for _, a := range s.Args {
				switch a {
				case "org":
					args = append(args, g.Org.ID)
				case "admin":
					args = append(args, admin.ID)
				case "true":
					args = append(args, true)
				case "teams":
					args = append(args, pq.Array(g.TeamIDs))
				case "members":
					args = append(args, pq.Array(memberIDs))
				case "as-of":
					args = append(args, asOf)
				case "as-ofs":
					args = append(args, pq.Array([]string{asOf.Format(time.RFC3339Nano)}))
				default:
					b.Fatalf("%s: argument %q", s.Name, a)
				}
			}
			t := time.Now()
			drain(s.Name, s.SQL, args...)
			stmtTimes[s.Name] = append(stmtTimes[s.Name], time.Since(t))
		}
	}
	view := func() {
		teams, err := db.FindTeams(ctx, actor)
		if err != nil {
			b.Fatal(err)
		}
		r, err := insight.LoadRollup(ctx, db, g.Org.ID, teams, asOf, func(app.Team) bool { return true }, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
	write(0)
	baseline()
	bare()
	view()
	var baseTimes, sqlTimes, viewTimes []time.Duration
	var ratios []float64 // view / distinct-on of each iteration: a machine whose load changes
	// during the run moves both of a pair alike, the medians of the two apart
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		write(i + 1)
		b.StartTimer()
		t0 := time.Now()
		baseline()
		t1 := time.Now()
		bare()
		t2 := time.Now()
		view()
		baseTimes = append(baseTimes, t1.Sub(t0))
		sqlTimes = append(sqlTimes, t2.Sub(t1))
		viewTimes = append(viewTimes, time.Since(t2))
		ratios = append(ratios, float64(viewTimes[i])/float64(baseTimes[i]))
	}
	b.StopTimer()
	med := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	d, s, v := med(baseTimes), med(sqlTimes), med(viewTimes)
	slices.Sort(ratios)
	for _, st := range postgres.RollupStatements { // which statements the sql time is made of
		b.ReportMetric(med(stmtTimes[st.Name][1:]), "sql-"+strings.ReplaceAll(st.Name, " ", "-")+"-ms")
	}
	b.ReportMetric(d, "distinct-on-ms")
	b.ReportMetric(s, "sql-ms")
	b.ReportMetric(v, "view-ms")
	b.ReportMetric(ratios[len(ratios)/2], "view/distinct-on")
}
