package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

type profileRow struct {
	app.Profile
	Specialisms pq.StringArray `db:"specialisms"`
	Spikes      pq.StringArray `db:"spikes"`
}

// FindProfiles returns the profiles of the users that have one.
func (db *DB) FindProfiles(ctx context.Context, userIDs []int64) (map[int64]*app.Profile, error) {
	var rows []profileRow
	err := db.SelectContext(ctx, &rows, `
		SELECT user_id, background, role_started_on, specialisms, spikes, updated_at
		FROM profiles WHERE user_id = ANY($1)`, pq.Array(userIDs))
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[int64]*app.Profile, len(rows))
	for i := range rows {
		p := rows[i].Profile
		p.Specialisms, p.Spikes = []string(rows[i].Specialisms), []string(rows[i].Spikes)
		out[p.UserID] = &p
	}
	return out, nil
}

// UpsertProfile stores a profile.
func (db *DB) UpsertProfile(ctx context.Context, p *app.Profile) error {
	if p.Specialisms == nil {
		p.Specialisms = []string{}
	}
	if p.Spikes == nil {
		p.Spikes = []string{}
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var orgID int64
		if err := tx.GetContext(ctx, &orgID, `SELECT org_id FROM users WHERE id = $1`, p.UserID); err != nil {
			return notFound(err, "User")
		}
		e := app.AuditEntry{OrgID: orgID, PersonID: &p.UserID, Action: app.AuditUpdate, Entity: "profile", EntityID: p.UserID}
		return auditChange(ctx, tx, e, snapProfile, []any{p.UserID}, func() error {
			return mapErr(tx.GetContext(ctx, &p.UpdatedAt, `
				INSERT INTO profiles (user_id, background, role_started_on, specialisms, spikes, updated_at)
				VALUES ($1, $2, $3, $4, $5, now())
				ON CONFLICT (user_id) DO UPDATE SET background = EXCLUDED.background,
					role_started_on = EXCLUDED.role_started_on, specialisms = EXCLUDED.specialisms,
					spikes = EXCLUDED.spikes, updated_at = now()
				RETURNING updated_at`, p.UserID, p.Background, p.RoleStartedOn, pq.Array(p.Specialisms), pq.Array(p.Spikes)))
		})
	})
}

// FindTeamTargets returns the team's explicit targets by competency key.
func (db *DB) FindTeamTargets(ctx context.Context, teamID int64) (map[string]app.TeamTarget, error) {
	var rows []app.TeamTarget
	err := db.SelectContext(ctx, &rows, `
		SELECT c.key AS competency, t.coverage, t.depth, t.criticality
		FROM team_targets t JOIN competencies c ON c.id = t.competency_id
		WHERE t.team_id = $1`, teamID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]app.TeamTarget, len(rows))
	for _, r := range rows {
		out[r.Competency] = r
	}
	return out, nil
}

// SetTeamTargets replaces the team's targets in one transaction.
func (db *DB) SetTeamTargets(ctx context.Context, orgID, teamID int64, targets []app.TeamTarget) error {
	fw, err := db.FindFramework(ctx, orgID)
	if err != nil {
		return err
	}
	ids, coverage, depth, criticality := make([]int64, len(targets)), make([]int64, len(targets)), make([]int64, len(targets)), make([]int64, len(targets))
	for i, t := range targets {
		c := fw.ByKey(t.Competency)
		if c == nil {
			return app.Invalid("targets["+itoa(i)+"].competency", "Unknown competency %q.", t.Competency)
		}
		ids[i], coverage[i], depth[i], criticality[i] = c.ID, int64(t.Coverage), int64(t.Depth), int64(t.Criticality)
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		e := app.AuditEntry{OrgID: orgID, TeamID: &teamID, Action: app.AuditUpdate, Entity: "team_targets", EntityID: teamID}
		return auditChange(ctx, tx, e, snapTargets, []any{teamID}, func() error {
			// Only the targets that changed are written: each written row closes its
			// history span and opens another (record_team_target_history), and a save of
			// one target closed all sixteen.
			if _, err := tx.ExecContext(ctx, `DELETE FROM team_targets WHERE team_id = $1 AND competency_id <> ALL($2)`,
				teamID, pq.Array(ids)); err != nil {
				return mapErr(err)
			}
			_, err := tx.ExecContext(ctx, `
				INSERT INTO team_targets AS t (team_id, competency_id, coverage, depth, criticality)
				SELECT $1, c, v, d, k FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[]) AS x(c, v, d, k)
				ON CONFLICT (team_id, competency_id) DO UPDATE
				SET coverage = EXCLUDED.coverage, depth = EXCLUDED.depth, criticality = EXCLUDED.criticality
				WHERE (t.coverage, t.depth, t.criticality) IS DISTINCT FROM (EXCLUDED.coverage, EXCLUDED.depth, EXCLUDED.criticality)`,
				teamID, pq.Array(ids), pq.Array(coverage), pq.Array(depth), pq.Array(criticality))
			return mapErr(err)
		})
	})
}

// FindSettings returns the organisation's settings.
func (db *DB) FindSettings(ctx context.Context, orgID int64) (*app.Settings, error) {
	var s app.Settings
	err := db.GetContext(ctx, &s, `SELECT breadth, depth, require_evidence FROM org_settings WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, notFound(err, "Settings")
	}
	return &s, nil
}
