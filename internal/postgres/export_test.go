package postgres

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// HistoryEffectiveRatings computes the users' effective ratings as of the time from the
// history (findEffectiveRatings), whatever the organisation's rating clock says.
func (db *DB) HistoryEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOf time.Time) ([]app.EffectiveRating, error) {
	var out []app.EffectiveRating
	err := db.historyEffectiveRatings(ctx, orgID, userIDs, []int64{asOf.Truncate(time.Microsecond).UnixMicro()},
		func(_ int64, r app.EffectiveRating) { out = append(out, r) })
	return out, err
}

// RollupStatement is a statement of the organisation view with its arguments by name
// (org, admin, true, teams, members, as-of, as-ofs), for BenchmarkOrgRollup, which runs
// them bare next to the view that runs them.
type RollupStatement struct {
	Name, SQL string
	Args      []string
}

// RollupStatements are the statements of the organisation view, in the order it runs them.
var RollupStatements = []RollupStatement{
	{"teams", findTeamsForActor, []string{"org", "admin", "true"}},
	{"areas", findAreas, []string{"org"}},
	{"competencies", findCompetencies, []string{"org"}},
	{"teams people", findTeamsPeople, []string{"org", "teams"}},
	{"rating clock", findRatingClock, []string{"org"}},
	{"effective ratings", findCurrentEffectiveRatings, []string{"org", "members"}},
	{"teams targets", findTeamsTargets, []string{"org", "teams"}},
}
