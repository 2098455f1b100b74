package postgres

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

type planRow struct {
	app.CoachingPlan
	Spikes pq.StringArray `db:"spikes"`
}

const findCoachingPlans = `
SELECT p.id, p.org_id, p.person_id, u.name AS person_name, p.quarter, p.spikes, p.mentor_id,
       m.name AS mentor_name, p.created_by, p.created_at, p.updated_at
FROM coaching_plans p
JOIN users u ON u.id = p.person_id
LEFT JOIN users m ON m.id = p.mentor_id
WHERE p.org_id = $1 AND ($2::bigint[] IS NULL OR p.person_id = ANY($2)) AND ($3 = '' OR p.quarter = $3)
  AND ($4 = 0 OR p.id = $4)
ORDER BY p.quarter DESC, u.name, p.id`

const findCoachingGoals = `
SELECT g.id, g.plan_id, c.key AS competency, c.name AS competency_name, g.current_level,
       g.target_level, g.due, g.goal, g.reality, g.options, g.will
FROM coaching_goals g JOIN competencies c ON c.id = g.competency_id
WHERE g.plan_id = ANY($1)
ORDER BY g.plan_id, g.position, g.id`

const findCoachingActions = `
SELECT a.id, a.goal_id, a.kind, a.description, a.owner_id, u.name AS owner_name, a.due,
       a.resource_url, a.status
FROM coaching_actions a
JOIN coaching_goals g ON g.id = a.goal_id
JOIN users u ON u.id = a.owner_id
WHERE g.plan_id = ANY($1)
ORDER BY a.goal_id, a.position, a.id`

// FindCoachingPlans returns the plans with their goals and actions, newest quarter first.
func (db *DB) FindCoachingPlans(ctx context.Context, f app.CoachingPlanFilter) ([]app.CoachingPlan, error) {
	return db.findPlans(ctx, f, 0)
}

// FindCoachingPlanByID returns a plan of the organisation with its goals and actions.
func (db *DB) FindCoachingPlanByID(ctx context.Context, orgID, id int64) (*app.CoachingPlan, error) {
	plans, err := db.findPlans(ctx, app.CoachingPlanFilter{OrgID: orgID}, id)
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, app.ErrNotFound("Coaching plan")
	}
	return &plans[0], nil
}

// findPlans loads plans (one, when id is set) in three queries: plans, goals, actions.
func (db *DB) findPlans(ctx context.Context, f app.CoachingPlanFilter, id int64) ([]app.CoachingPlan, error) {
	var rows []planRow
	var people any // NULL: anyone
	if f.PersonIDs != nil {
		people = pq.Array(f.PersonIDs)
	}
	if err := db.SelectContext(ctx, &rows, findCoachingPlans, f.OrgID, people, f.Quarter, id); err != nil {
		return nil, mapErr(err)
	}
	plans := make([]app.CoachingPlan, len(rows))
	ids := make([]int64, len(rows))
	byID := map[int64]*app.CoachingPlan{}
	for i := range rows {
		plans[i] = rows[i].CoachingPlan
		plans[i].Spikes = []string(rows[i].Spikes)
		plans[i].Goals = []app.CoachingGoal{}
		plans[i].CheckIns = []app.CheckIn{}
		ids[i] = plans[i].ID
		byID[plans[i].ID] = &plans[i]
	}
	if len(ids) == 0 {
		return plans, nil
	}
	var goals []app.CoachingGoal
	if err := db.SelectContext(ctx, &goals, findCoachingGoals, pq.Array(ids)); err != nil {
		return nil, mapErr(err)
	}
	var actions []app.CoachingAction
	if err := db.SelectContext(ctx, &actions, findCoachingActions, pq.Array(ids)); err != nil {
		return nil, mapErr(err)
	}
	byGoal := map[int64][]app.CoachingAction{}
	for _, a := range actions {
		byGoal[a.GoalID] = append(byGoal[a.GoalID], a)
	}
	for _, g := range goals {
		g.Actions = byGoal[g.ID]
		if g.Actions == nil {
			g.Actions = []app.CoachingAction{}
		}
		p := byID[g.PlanID]
		p.Goals = append(p.Goals, g)
	}
	return plans, nil
}

// CreateCoachingPlan stores the plan, its goals and actions in one transaction.
func (db *DB) CreateCoachingPlan(ctx context.Context, p *app.CoachingPlan) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO coaching_plans (org_id, person_id, quarter, spikes, mentor_id, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at, updated_at`,
			p.OrgID, p.PersonID, p.Quarter, pq.Array(p.Spikes), p.MentorID, p.CreatedBy,
		).Scan(&p.ID, &p.CreatedAt, &p.UpdatedAt)
		if err != nil {
			return planConflict(err)
		}
		e := app.AuditEntry{OrgID: p.OrgID, PersonID: &p.PersonID, Action: app.AuditCreate, Entity: "coaching_plan", EntityID: p.ID, Summary: p.Quarter}
		return auditChange(ctx, tx, e, snapPlan, []any{p.ID}, func() error { return insertGoals(ctx, tx, p) })
	})
}

// UpdateCoachingPlan replaces the plan's spikes, mentor, goals and actions in one transaction.
func (db *DB) UpdateCoachingPlan(ctx context.Context, p *app.CoachingPlan) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var plan struct {
			PersonID int64  `db:"person_id"`
			Quarter  string `db:"quarter"`
		}
		if err := tx.GetContext(ctx, &plan, `SELECT person_id, quarter FROM coaching_plans WHERE id = $1 AND org_id = $2 FOR UPDATE`,
			p.ID, p.OrgID); err != nil {
			return notFound(err, "Coaching plan")
		}
		e := app.AuditEntry{OrgID: p.OrgID, PersonID: &plan.PersonID, Action: app.AuditUpdate, Entity: "coaching_plan", EntityID: p.ID, Summary: plan.Quarter}
		return auditChange(ctx, tx, e, snapPlan, []any{p.ID}, func() error {
			err := tx.QueryRowxContext(ctx, `
				UPDATE coaching_plans SET spikes = $3, mentor_id = $4, updated_at = now()
				WHERE id = $1 AND org_id = $2 RETURNING updated_at`,
				p.ID, p.OrgID, pq.Array(p.Spikes), p.MentorID).Scan(&p.UpdatedAt)
			if err != nil {
				return notFound(err, "Coaching plan")
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM coaching_goals WHERE plan_id = $1`, p.ID); err != nil {
				return mapErr(err)
			}
			return insertGoals(ctx, tx, p)
		})
	})
}

// insertGoals inserts the plan's goals and their actions, setting their ids.
func insertGoals(ctx context.Context, tx *sqlx.Tx, p *app.CoachingPlan) error {
	for gi := range p.Goals {
		g := &p.Goals[gi]
		g.PlanID = p.ID
		err := tx.GetContext(ctx, &g.ID, `
			INSERT INTO coaching_goals (plan_id, position, competency_id, current_level, target_level,
			                            due, goal, reality, options, will)
			VALUES ($1, $2, (SELECT id FROM competencies WHERE org_id = $3 AND key = $4), $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`,
			p.ID, gi, p.OrgID, g.Competency, g.CurrentLevel, g.TargetLevel, g.Due, g.Goal, g.Reality, g.Options, g.Will)
		if err != nil {
			return mapErr(err)
		}
		for ai := range g.Actions {
			a := &g.Actions[ai]
			a.GoalID = g.ID
			err := tx.GetContext(ctx, &a.ID, `
				INSERT INTO coaching_actions (goal_id, position, kind, description, owner_id, due, resource_url, status)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				g.ID, ai, a.Kind, a.Description, a.OwnerID, a.Due, a.ResourceURL, a.Status)
			if err != nil {
				return mapErr(err)
			}
		}
	}
	return nil
}

// planConflict names the quarter when the person already has a plan for it.
func planConflict(err error) error {
	err = mapErr(err)
	if app.ErrorCode(err) == app.ECONFLICT {
		return &app.Error{Code: app.ECONFLICT, Field: "quarter", Message: "This person already has a coaching plan for that quarter."}
	}
	return err
}

// FindCheckIns returns the plans' check-ins, oldest first, with their goals and the notes
// the viewer may read: shared notes, and private notes the viewer wrote. The filter is here,
// in the query, so that no other code path can hand a private note to anyone else.
func (db *DB) FindCheckIns(ctx context.Context, planIDs []int64, viewerID int64) ([]app.CheckIn, error) {
	out := []app.CheckIn{}
	if len(planIDs) == 0 {
		return out, nil
	}
	if err := db.SelectContext(ctx, &out, `
		SELECT id, plan_id, held_on, created_by, created_at, reflection, reflection_at
		FROM check_ins WHERE plan_id = ANY($1) ORDER BY held_on, id`, pq.Array(planIDs)); err != nil {
		return nil, mapErr(err)
	}
	var goals []app.CheckInGoal
	if err := db.SelectContext(ctx, &goals, `
		SELECT cg.check_in_id, c.key AS competency, c.name AS competency_name, cg.status, cg.level, cg.target_level
		FROM check_in_goals cg
		JOIN check_ins ci ON ci.id = cg.check_in_id
		JOIN competencies c ON c.id = cg.competency_id
		WHERE ci.plan_id = ANY($1)
		ORDER BY cg.check_in_id, cg.position`, pq.Array(planIDs)); err != nil {
		return nil, mapErr(err)
	}
	var notes []app.CheckInNote
	if err := db.SelectContext(ctx, &notes, `
		SELECT n.id, n.check_in_id, n.author_id, u.name AS author_name, n.text, n.private, n.created_at
		FROM check_in_notes n
		JOIN check_ins ci ON ci.id = n.check_in_id
		JOIN users u ON u.id = n.author_id
		WHERE ci.plan_id = ANY($1) AND (NOT n.private OR n.author_id = $2)
		ORDER BY n.check_in_id, n.created_at, n.id`, pq.Array(planIDs), viewerID); err != nil {
		return nil, mapErr(err)
	}
	byID := map[int64]*app.CheckIn{}
	for i := range out {
		out[i].Goals, out[i].Notes = []app.CheckInGoal{}, []app.CheckInNote{}
		byID[out[i].ID] = &out[i]
	}
	for _, g := range goals {
		byID[g.CheckInID].Goals = append(byID[g.CheckInID].Goals, g)
	}
	for _, n := range notes {
		byID[n.CheckInID].Notes = append(byID[n.CheckInID].Notes, n)
	}
	return out, nil
}

// CreateCheckIn stores a check-in with its goals and notes in one transaction.
func (db *DB) CreateCheckIn(ctx context.Context, ci *app.CheckIn) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO check_ins (plan_id, held_on, created_by) VALUES ($1, $2, $3)
			RETURNING id, created_at`, ci.PlanID, ci.Date, ci.CreatedBy).Scan(&ci.ID, &ci.CreatedAt)
		if err != nil {
			return mapErr(err)
		}
		for i, g := range ci.Goals {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO check_in_goals (check_in_id, competency_id, position, status, level, target_level)
				SELECT $1, c.id, $3, $4, $5, $6
				FROM competencies c JOIN coaching_plans p ON p.org_id = c.org_id
				WHERE p.id = $7 AND c.key = $2`,
				ci.ID, g.Competency, i, g.Status, g.Level, g.TargetLevel, ci.PlanID); err != nil {
				return mapErr(err)
			}
		}
		for i := range ci.Notes {
			n := &ci.Notes[i]
			n.CheckInID = ci.ID
			if err := tx.QueryRowxContext(ctx, `
				INSERT INTO check_in_notes (check_in_id, author_id, text, private) VALUES ($1, $2, $3, $4)
				RETURNING id, created_at`, ci.ID, n.AuthorID, n.Text, n.Private).Scan(&n.ID, &n.CreatedAt); err != nil {
				return mapErr(err)
			}
		}
		return auditCheckIn(ctx, tx, ci)
	})
}

// auditCheckIn records a new check-in. A private note is logged as "note added
// (private)", without its text: the log never holds what only its author may read.
func auditCheckIn(ctx context.Context, tx *sqlx.Tx, ci *app.CheckIn) error {
	var plan struct {
		OrgID    int64 `db:"org_id"`
		PersonID int64 `db:"person_id"`
	}
	if err := tx.GetContext(ctx, &plan, `SELECT org_id, person_id FROM coaching_plans WHERE id = $1`, ci.PlanID); err != nil {
		return mapErr(err)
	}
	type note struct {
		AuthorID int64  `json:"author_id"`
		Private  bool   `json:"private"`
		Text     string `json:"text,omitempty"`
	}
	notes := make([]note, len(ci.Notes))
	summary := "check-in on " + ci.Date.String()
	for i, n := range ci.Notes {
		notes[i] = note{AuthorID: n.AuthorID, Private: n.Private}
		if n.Private {
			summary += "; note added (private)"
		} else {
			notes[i].Text = n.Text
			summary += "; note added (shared)"
		}
	}
	return recordAudit(ctx, tx, app.AuditEntry{OrgID: plan.OrgID, PersonID: &plan.PersonID, Action: app.AuditCreate,
		Entity: "check_in", EntityID: ci.ID, Summary: summary,
		After: auditJSON(map[string]any{"plan_id": ci.PlanID, "date": ci.Date, "goals": ci.Goals, "notes": notes})})
}

// FindCheckInPlanID returns the plan of a check-in of the organisation.
func (db *DB) FindCheckInPlanID(ctx context.Context, orgID, checkInID int64) (int64, error) {
	var planID int64
	err := db.GetContext(ctx, &planID, `
		SELECT ci.plan_id FROM check_ins ci JOIN coaching_plans p ON p.id = ci.plan_id
		WHERE ci.id = $1 AND p.org_id = $2`, checkInID, orgID)
	return planID, notFound(err, "Check-in")
}

// SetCheckInReflection stores the PM's reflection on a check-in.
func (db *DB) SetCheckInReflection(ctx context.Context, checkInID int64, reflection string) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var plan struct {
			OrgID    int64  `db:"org_id"`
			PersonID int64  `db:"person_id"`
			Before   string `db:"reflection"`
		}
		if err := tx.GetContext(ctx, &plan, `
			SELECT p.org_id, p.person_id, ci.reflection FROM check_ins ci JOIN coaching_plans p ON p.id = ci.plan_id
			WHERE ci.id = $1 FOR UPDATE OF ci`, checkInID); err != nil {
			return notFound(err, "Check-in")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE check_ins SET reflection = $2, reflection_at = now() WHERE id = $1`,
			checkInID, reflection); err != nil {
			return mapErr(err)
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: plan.OrgID, PersonID: &plan.PersonID, Action: app.AuditReflect,
			Entity: "check_in", EntityID: checkInID,
			Before: auditJSON(map[string]string{"reflection": plan.Before}), After: auditJSON(map[string]string{"reflection": reflection})})
	})
}

// FindCoachingAction returns an action of the organisation and its plan's id.
func (db *DB) FindCoachingAction(ctx context.Context, orgID, actionID int64) (*app.CoachingAction, int64, error) {
	var row struct {
		app.CoachingAction
		PlanID int64 `db:"plan_id"`
	}
	err := db.GetContext(ctx, &row, `
		SELECT a.id, a.goal_id, a.kind, a.description, a.owner_id, u.name AS owner_name, a.due,
		       a.resource_url, a.status, g.plan_id
		FROM coaching_actions a
		JOIN coaching_goals g ON g.id = a.goal_id
		JOIN coaching_plans p ON p.id = g.plan_id
		JOIN users u ON u.id = a.owner_id
		WHERE a.id = $1 AND p.org_id = $2`, actionID, orgID)
	if err != nil {
		return nil, 0, notFound(err, "Coaching action")
	}
	return &row.CoachingAction, row.PlanID, nil
}

// SetCoachingActionStatus sets an action's status.
func (db *DB) SetCoachingActionStatus(ctx context.Context, actionID int64, status string) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var cur struct {
			OrgID    int64  `db:"org_id"`
			PersonID int64  `db:"person_id"`
			Status   string `db:"status"`
		}
		if err := tx.GetContext(ctx, &cur, `
			SELECT p.org_id, p.person_id, a.status
			FROM coaching_actions a JOIN coaching_goals g ON g.id = a.goal_id JOIN coaching_plans p ON p.id = g.plan_id
			WHERE a.id = $1 FOR UPDATE OF a`, actionID); err != nil {
			return notFound(err, "Coaching action")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE coaching_actions SET status = $2 WHERE id = $1`, actionID, status); err != nil {
			return mapErr(err)
		}
		if cur.Status == status {
			return nil
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: cur.OrgID, PersonID: &cur.PersonID, Action: app.AuditUpdate,
			Entity: "coaching_action", EntityID: actionID,
			Before: auditJSON(map[string]string{"status": cur.Status}), After: auditJSON(map[string]string{"status": status})})
	})
}

// AddCoachingAction appends an action to its goal, after the goal's other actions.
func (db *DB) AddCoachingAction(ctx context.Context, a *app.CoachingAction) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var plan struct {
			OrgID    int64 `db:"org_id"`
			PersonID int64 `db:"person_id"`
		}
		if err := tx.GetContext(ctx, &plan, `
			SELECT p.org_id, p.person_id FROM coaching_goals g JOIN coaching_plans p ON p.id = g.plan_id WHERE g.id = $1`,
			a.GoalID); err != nil {
			return notFound(err, "Coaching goal")
		}
		if err := tx.GetContext(ctx, &a.ID, `
			INSERT INTO coaching_actions (goal_id, position, kind, description, owner_id, due, resource_url, status)
			SELECT $1, coalesce(max(position) + 1, 0), $2, $3, $4, $5, $6, $7 FROM coaching_actions WHERE goal_id = $1
			RETURNING id`, a.GoalID, a.Kind, a.Description, a.OwnerID, a.Due, a.ResourceURL, a.Status); err != nil {
			return mapErr(err)
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: plan.OrgID, PersonID: &plan.PersonID, Action: app.AuditCreate,
			Entity: "coaching_action", EntityID: a.ID, After: auditJSON(a)})
	})
}

// FindCoachingCircle returns the teams the person is a member of and the active leaders
// and members of those teams, the person included.
func (db *DB) FindCoachingCircle(ctx context.Context, personID int64) (*app.CoachingCircle, error) {
	c := &app.CoachingCircle{Teams: []app.Team{}, People: []app.TeamPerson{}}
	if err := db.SelectContext(ctx, &c.Teams, `
		SELECT t.id, t.org_id, t.name, t.description, t.created_at
		FROM teams t JOIN team_members m ON m.team_id = t.id
		WHERE m.user_id = $1 AND m.role = 'member'
		ORDER BY t.name, t.id`, personID); err != nil {
		return nil, mapErr(err)
	}
	// A person both leading and in one of the teams counts as its leader ('leader' < 'member').
	err := db.SelectContext(ctx, &c.People, `
		SELECT DISTINCT ON (u.name, u.id) u.id AS user_id, u.name, u.email, u.title, u.role,
		       o.role AS team_role, u.active
		FROM team_members m
		JOIN team_members o ON o.team_id = m.team_id AND o.role IN ('leader', 'member')
		JOIN users u ON u.id = o.user_id
		WHERE m.user_id = $1 AND m.role = 'member' AND u.active
		ORDER BY u.name, u.id, o.role`, personID)
	return c, mapErr(err)
}

// CountOpenGoals counts each person's goals in their plan for the quarter of asOf.
func (db *DB) CountOpenGoals(ctx context.Context, userIDs []int64, asOf time.Time) (map[int64]int, error) {
	var rows []struct {
		PersonID int64 `db:"person_id"`
		Goals    int   `db:"goals"`
	}
	err := db.SelectContext(ctx, &rows, `
		SELECT p.person_id, count(*) AS goals
		FROM coaching_plans p JOIN coaching_goals g ON g.plan_id = p.id
		WHERE p.person_id = ANY($1) AND p.quarter = $2
		GROUP BY p.person_id`, pq.Array(userIDs), app.QuarterOf(asOf).String())
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.PersonID] = r.Goals
	}
	return out, nil
}
