package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// The latest rating of one kind per subject and competency before the as-of time; a latest
// "not assessed" (NULL) withdraws the rating.
const findLatestRatings = `
SELECT user_id, competency, level, source, rated_at FROM (
    SELECT DISTINCT ON (r.subject_id, r.competency_id)
           r.subject_id AS user_id, c.key AS competency, r.level, r.kind AS source, r.created_at AS rated_at,
           c.position, c.id AS competency_id
    FROM ratings r JOIN competencies c ON c.id = r.competency_id
    WHERE r.org_id = $1 AND r.subject_id = ANY($2) AND r.kind = $3 AND r.created_at < $4
    ORDER BY r.subject_id, r.competency_id, r.created_at DESC, r.id DESC
) latest
WHERE level IS NOT NULL
ORDER BY user_id, position, competency_id`

// FindLatestRatings returns each user's latest rating of the kind per competency as of the time.
func (db *DB) FindLatestRatings(ctx context.Context, orgID int64, userIDs []int64, kind string, asOf time.Time) ([]app.EffectiveRating, error) {
	out := []app.EffectiveRating{}
	if len(userIDs) == 0 {
		return out, nil
	}
	err := db.SelectContext(ctx, &out, findLatestRatings, orgID, pq.Array(userIDs), kind, asOf)
	return out, mapErr(err)
}

const findTeamsPeople = `
SELECT m.team_id, u.id AS user_id, u.name, u.email, u.title, u.role, m.role AS team_role, u.active
FROM team_members m
JOIN teams t ON t.id = m.team_id
JOIN users u ON u.id = m.user_id
WHERE t.org_id = $1 AND m.team_id = ANY($2)
ORDER BY m.team_id, CASE m.role WHEN 'leader' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, u.name, u.id`

// FindTeamsPeople returns the people of the organisation's teams, in one query. An
// organisation's rollup reads thousands of them: scanned by hand, without reflection.
func (db *DB) FindTeamsPeople(ctx context.Context, orgID int64, teamIDs []int64) ([]app.TeamMembership, error) {
	out := []app.TeamMembership{}
	if len(teamIDs) == 0 {
		return out, nil
	}
	rows, err := db.QueryContext(ctx, findTeamsPeople, orgID, pq.Array(teamIDs))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m app.TeamMembership
		var title sql.NullString
		if err := rows.Scan(&m.TeamID, &m.UserID, &m.Name, &m.Email, &title, &m.Role, &m.TeamRole, &m.Active); err != nil {
			return nil, mapErr(err)
		}
		if title.Valid {
			m.Title = &title.String
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// findTeamRatingVersions is each team's rating version (0: never written) and the
// organisation's rating clock.
const findTeamRatingVersions = `
SELECT t.id, COALESCE(v.version, 0) AS version, (SELECT newest_at FROM org_rating_clocks WHERE org_id = $1) AS newest_at
FROM unnest($2::bigint[]) AS t (id) LEFT JOIN team_rating_versions v ON v.team_id = t.id`

// FindTeamRatingVersions returns each team's rating version (migrations/00030: every write
// to the ratings of one of its people moves it) and whether effective ratings as of asOf
// are the current ones (FindEffectiveRatings's rule), the only ones a version stands for.
// Both are read in one statement: a rating made after asOf and before it makes current false.
func (db *DB) FindTeamRatingVersions(ctx context.Context, orgID int64, teamIDs []int64, asOf time.Time) (map[int64]int64, bool, error) {
	out := make(map[int64]int64, len(teamIDs))
	rows, err := db.QueryContext(ctx, findTeamRatingVersions, orgID, pq.Array(teamIDs))
	if err != nil {
		return nil, false, mapErr(err)
	}
	defer rows.Close()
	var newest sql.NullTime
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v, &newest); err != nil {
			return nil, false, mapErr(err)
		}
		out[id] = v
	}
	return out, current(asOf.Truncate(time.Microsecond).UnixMicro(), newest.Time), mapErr(rows.Err())
}

const findTeamsTargets = `
SELECT t.team_id, c.key AS competency, t.coverage, t.depth, t.criticality
FROM team_targets t
JOIN teams tm ON tm.id = t.team_id
JOIN competencies c ON c.id = t.competency_id
WHERE tm.org_id = $1 AND t.team_id = ANY($2)`

// FindTeamsTargets returns the explicit targets of the organisation's teams, in one query.
func (db *DB) FindTeamsTargets(ctx context.Context, orgID int64, teamIDs []int64) (map[int64]map[string]app.TeamTarget, error) {
	out := map[int64]map[string]app.TeamTarget{}
	if len(teamIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		TeamID int64 `db:"team_id"`
		app.TeamTarget
	}
	if err := db.SelectContext(ctx, &rows, findTeamsTargets, orgID, pq.Array(teamIDs)); err != nil {
		return nil, mapErr(err)
	}
	for _, r := range rows {
		if out[r.TeamID] == nil {
			out[r.TeamID] = map[string]app.TeamTarget{}
		}
		out[r.TeamID][r.Competency] = r.TeamTarget
	}
	return out, nil
}
