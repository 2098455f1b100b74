package app

import (
	"context"
	"time"
)

// TeamMembership is a person in one of several teams, as loaded for an organisation's rollup.
type TeamMembership struct {
	TeamID int64 `db:"team_id" json:"team_id"`
	TeamPerson
}

// DashboardStore answers the team dashboard's and the organisation view's bulk questions:
// each is one query, whatever the number of people or teams.
type DashboardStore interface {
	// FindLatestRatings returns, per user and competency, the latest rating of the kind made
	// before asOf (Source is the kind). A latest rating of "not assessed" is left out.
	FindLatestRatings(ctx context.Context, orgID int64, userIDs []int64, kind string, asOf time.Time) ([]EffectiveRating, error)
	// FindEffectiveRatingsSeries returns the users' effective ratings as of each of the
	// times, under the caller's own time values.
	FindEffectiveRatingsSeries(ctx context.Context, orgID int64, userIDs []int64, asOfs []time.Time) (map[time.Time][]EffectiveRating, error)
	// FindTeamRatingVersions returns each team's rating version, moved by every write to its
	// people's ratings, and whether effective ratings as of asOf are the current ones.
	FindTeamRatingVersions(ctx context.Context, orgID int64, teamIDs []int64, asOf time.Time) (map[int64]int64, bool, error)
	// FindTeamsPeople returns the people of the teams with their team roles, by team then name.
	FindTeamsPeople(ctx context.Context, orgID int64, teamIDs []int64) ([]TeamMembership, error)
	// FindTeamsTargets returns the teams' explicit targets: team id → competency key → target.
	FindTeamsTargets(ctx context.Context, orgID int64, teamIDs []int64) (map[int64]map[string]TeamTarget, error)
}
