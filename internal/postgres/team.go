package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/sync/errgroup"

	"github.com/teamshape/teamshape/internal/app"
)

const findTeamsForActor = `
SELECT t.id, t.org_id, t.name, t.description, t.created_at,
       COALESCE(me.role, '') AS my_role,
       (SELECT count(*) FROM team_members m WHERE m.team_id = t.id AND m.role = 'member') AS members
FROM teams t
LEFT JOIN team_members me ON me.team_id = t.id AND me.user_id = $2
WHERE t.org_id = $1 AND ($3 OR me.user_id IS NOT NULL)
ORDER BY t.name, t.id`

// FindTeams lists the teams the actor belongs to (every team of the organisation for an admin).
func (db *DB) FindTeams(ctx context.Context, a *app.Actor) ([]app.Team, error) {
	teams := []app.Team{}
	err := db.SelectContext(ctx, &teams, findTeamsForActor, a.OrgID, a.UserID, a.Role == app.RoleAdmin)
	return teams, mapErr(err)
}

// FindTeamByID returns a team of the actor's organisation with the actor's role in it.
func (db *DB) FindTeamByID(ctx context.Context, a *app.Actor, id int64) (*app.Team, error) {
	var t app.Team
	err := db.GetContext(ctx, &t, `
		SELECT t.id, t.org_id, t.name, t.description, t.created_at,
		       COALESCE(me.role, '') AS my_role,
		       (SELECT count(*) FROM team_members m WHERE m.team_id = t.id AND m.role = 'member') AS members
		FROM teams t LEFT JOIN team_members me ON me.team_id = t.id AND me.user_id = $3
		WHERE t.id = $1 AND t.org_id = $2`, id, a.OrgID, a.UserID)
	if err != nil {
		return nil, notFound(err, "Team")
	}
	return &t, nil
}

// TeamAccess returns what the actor is to the team. A team of another organisation,
// or one the actor is not in (unless admin), is ENOTFOUND: its existence is private.
func (db *DB) TeamAccess(ctx context.Context, a *app.Actor, teamID int64) (app.TeamAccess, error) {
	t, err := db.FindTeamByID(ctx, a, teamID)
	if err != nil {
		return app.TeamAccess{}, err
	}
	acc := app.TeamAccess{TeamID: t.ID, Role: t.MyRole, Admin: a.Role == app.RoleAdmin}
	if !acc.CanSeeAggregate() {
		return acc, app.ErrNotFound("Team")
	}
	return acc, nil
}

// CreateTeam creates a team in the organisation.
func (db *DB) CreateTeam(ctx context.Context, orgID int64, name, description string) (*app.Team, error) {
	var t app.Team
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &t,
			`INSERT INTO teams (org_id, name, description) VALUES ($1, $2, $3)
			 RETURNING id, org_id, name, description, created_at`, orgID, strings.TrimSpace(name), description)
		if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
			return &app.Error{Code: app.ECONFLICT, Field: "name", Message: "A team with this name already exists."}
		} else if err != nil {
			return mapErr(err)
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, TeamID: &t.ID, Action: app.AuditCreate,
			Entity: "team", EntityID: t.ID, After: auditJSON(map[string]string{"name": t.Name, "description": t.Description})})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// FindTeamPeople lists the team's people with their team roles, leaders first.
func (db *DB) FindTeamPeople(ctx context.Context, teamID int64) ([]app.TeamPerson, error) {
	people := []app.TeamPerson{}
	err := db.SelectContext(ctx, &people, `
		SELECT u.id AS user_id, u.name, u.email, u.title, u.role, m.role AS team_role, u.active
		FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = $1
		ORDER BY CASE m.role WHEN 'leader' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, u.name, u.id`, teamID)
	return people, mapErr(err)
}

// SetTeamMember adds the user to the team with the team role (or changes their role).
// The user must belong to the team's organisation.
func (db *DB) SetTeamMember(ctx context.Context, orgID, teamID, userID int64, role string) error {
	e := app.AuditEntry{OrgID: orgID, TeamID: &teamID, PersonID: &userID, Action: app.AuditAdd, Entity: "team_member", EntityID: userID}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var member bool
		if err := tx.GetContext(ctx, &member, `SELECT EXISTS (SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2)`,
			teamID, userID); err != nil {
			return mapErr(err)
		}
		if member {
			e.Action = app.AuditUpdate // a new team role
		}
		return auditChange(ctx, tx, e, snapMember, []any{teamID, userID}, func() error {
			res, err := tx.ExecContext(ctx, `
				INSERT INTO team_members (team_id, user_id, role)
				SELECT t.id, u.id, $4 FROM teams t, users u
				WHERE t.id = $1 AND u.id = $2 AND t.org_id = $3 AND u.org_id = $3
				ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role`, teamID, userID, orgID, role)
			if err != nil {
				return mapErr(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return app.Invalid("user_id", "No such user in this organisation.")
			}
			return nil
		})
	})
}

// RemoveTeamMember takes the user out of the team.
func (db *DB) RemoveTeamMember(ctx context.Context, orgID, teamID, userID int64) error {
	e := app.AuditEntry{OrgID: orgID, TeamID: &teamID, PersonID: &userID, Action: app.AuditRemove, Entity: "team_member", EntityID: userID}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		return auditChange(ctx, tx, e, snapMember, []any{teamID, userID}, func() error {
			res, err := tx.ExecContext(ctx, `
				DELETE FROM team_members m USING teams t
				WHERE m.team_id = t.id AND t.id = $1 AND t.org_id = $2 AND m.user_id = $3`, teamID, orgID, userID)
			if err != nil {
				return mapErr(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return app.ErrNotFound("Team member")
			}
			return nil
		})
	})
}

// PersonAccess returns what the actor is to a person of their organisation.
// A person of another organisation is ENOTFOUND.
func (db *DB) PersonAccess(ctx context.Context, a *app.Actor, personID int64) (app.PersonAccess, error) {
	var leads bool
	err := db.GetContext(ctx, &leads, `
		SELECT EXISTS (
			SELECT 1 FROM team_members l JOIN team_members m ON m.team_id = l.team_id
			WHERE l.user_id = $3 AND l.role = 'leader' AND m.user_id = u.id AND m.role = 'member')
		FROM users u WHERE u.id = $1 AND u.org_id = $2`, personID, a.OrgID, a.UserID)
	if err != nil {
		return app.PersonAccess{}, notFound(err, "Person")
	}
	return app.PersonAccess{
		PersonID: personID, Self: personID == a.UserID, Leads: leads, Admin: a.Role == app.RoleAdmin,
	}, nil
}

const findTeamMemberHistory = `
SELECT h.user_id, u.name, u.email, u.title, u.role, h.role AS team_role, u.active, h.valid_from, h.valid_to
FROM team_member_history h JOIN users u ON u.id = h.user_id
WHERE h.team_id = $1
ORDER BY h.valid_from, h.id`

const findTeamTargetHistory = `
SELECT c.key AS competency, h.coverage, h.depth, h.criticality, h.valid_from, h.valid_to
FROM team_target_history h JOIN competencies c ON c.id = h.competency_id
WHERE h.team_id = $1
ORDER BY h.valid_from, h.id`

// FindTeamHistory returns the team's membership and targets over time, both read at once.
func (db *DB) FindTeamHistory(ctx context.Context, teamID int64) (*app.TeamHistory, error) {
	h := &app.TeamHistory{Members: []app.MemberSpan{}, Targets: []app.TargetSpan{}}
	var g errgroup.Group
	g.Go(func() error { return mapErr(db.SelectContext(ctx, &h.Members, findTeamMemberHistory, teamID)) })
	g.Go(func() error { return mapErr(db.SelectContext(ctx, &h.Targets, findTeamTargetHistory, teamID)) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return h, nil
}

// BackdateTeamHistory dates the team's open memberships and targets back to since.
func (db *DB) BackdateTeamHistory(ctx context.Context, teamID int64, since time.Time) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		for _, q := range []string{
			`UPDATE team_member_history SET valid_from = $2 WHERE team_id = $1 AND valid_to IS NULL AND valid_from > $2`,
			`UPDATE team_target_history SET valid_from = $2 WHERE team_id = $1 AND valid_to IS NULL AND valid_from > $2`,
		} {
			if _, err := tx.ExecContext(ctx, q, teamID, since); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}
