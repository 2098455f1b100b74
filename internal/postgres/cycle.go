package postgres

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

const cycleSelect = `
SELECT c.id, c.org_id, c.team_id, t.name AS team_name, c.quarter, c.self_due, c.peer_due, c.leader_due,
       c.review_due, c.anonymous_peers, c.opened_by, c.opened_at, c.closed_by, c.closed_at, c.snapshot
FROM cycles c JOIN teams t ON t.id = c.team_id`

// CreateCycles stores open cycles, each opened now (or at its OpenedAt when set: the
// demo's history), all or none in one transaction. A team that has a cycle for the
// quarter, or one still open, is ECONFLICT naming it ("team_ids[1]").
func (db *DB) CreateCycles(ctx context.Context, cs []*app.Cycle) error {
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		for i, c := range cs {
			err := tx.GetContext(ctx, &c.ID, `
				INSERT INTO cycles (org_id, team_id, quarter, self_due, peer_due, leader_due, review_due, anonymous_peers, opened_by, opened_at)
				SELECT $1, t.id, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, now()) FROM teams t WHERE t.id = $2 AND t.org_id = $1
				RETURNING id`,
				c.OrgID, c.TeamID, c.Quarter, c.SelfDue, c.PeerDue, c.LeaderDue, c.ReviewDue, c.AnonymousPeers, c.OpenedBy, backdate(c.OpenedAt))
			switch app.ErrorCode(mapErr(err)) {
			case "":
			case app.ECONFLICT:
				return &app.Error{Code: app.ECONFLICT, Field: "team_ids[" + itoa(i) + "]",
					Message: "A team already has a cycle for " + c.Quarter + ", or one still open: close it first."}
			case app.ENOTFOUND:
				return app.ErrNotFound("Team")
			default:
				return mapErr(err)
			}
			err = recordAudit(ctx, tx, app.AuditEntry{OrgID: c.OrgID, TeamID: &c.TeamID, Action: app.AuditCreate,
				Entity: "cycle", EntityID: c.ID, Summary: c.Quarter, After: auditJSON(c)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range cs {
		got, err := db.FindCycleByID(ctx, c.OrgID, c.ID)
		if err != nil {
			return err
		}
		*c = *got
	}
	return nil
}

// FindCycleByID returns a cycle of the organisation, else ENOTFOUND.
func (db *DB) FindCycleByID(ctx context.Context, orgID, id int64) (*app.Cycle, error) {
	var c app.Cycle
	if err := db.GetContext(ctx, &c, cycleSelect+` WHERE c.id = $1 AND c.org_id = $2`, id, orgID); err != nil {
		return nil, mapErr(err)
	}
	return &c, nil
}

// FindTeamCycles lists a team's cycles, newest quarter first.
func (db *DB) FindTeamCycles(ctx context.Context, orgID, teamID int64) ([]app.Cycle, error) {
	out := []app.Cycle{}
	err := db.SelectContext(ctx, &out, cycleSelect+` WHERE c.org_id = $1 AND c.team_id = $2 ORDER BY c.quarter DESC`, orgID, teamID)
	return out, mapErr(err)
}

// FindOpenCyclesOf lists the open cycles of the teams the person is a member of, newest first.
func (db *DB) FindOpenCyclesOf(ctx context.Context, orgID, personID int64) ([]app.Cycle, error) {
	out := []app.Cycle{}
	err := db.SelectContext(ctx, &out, cycleSelect+`
		JOIN team_members m ON m.team_id = c.team_id AND m.user_id = $2 AND m.role = 'member'
		WHERE c.org_id = $1 AND c.closed_at IS NULL ORDER BY c.opened_at DESC, c.id DESC`, orgID, personID)
	return out, mapErr(err)
}

// FindCyclesOf lists the cycles of the teams the person is a member of: open ones first,
// then the newest quarter first.
func (db *DB) FindCyclesOf(ctx context.Context, orgID, personID int64) ([]app.Cycle, error) {
	out := []app.Cycle{}
	err := db.SelectContext(ctx, &out, cycleSelect+`
		JOIN team_members m ON m.team_id = c.team_id AND m.user_id = $2 AND m.role = 'member'
		WHERE c.org_id = $1 ORDER BY c.closed_at IS NULL DESC, c.quarter DESC, c.closed_at DESC, c.id DESC`, orgID, personID)
	return out, mapErr(err)
}

// FindDueCycles lists the open cycles, of every organisation, with a deadline on or before by.
func (db *DB) FindDueCycles(ctx context.Context, by app.Date) ([]app.Cycle, error) {
	out := []app.Cycle{}
	err := db.SelectContext(ctx, &out, cycleSelect+`
		WHERE c.closed_at IS NULL AND LEAST(c.self_due, c.peer_due, c.leader_due, c.review_due) <= $1
		ORDER BY c.id`, by)
	return out, mapErr(err)
}

// CloseCycle closes an open cycle with its snapshot, now (or at c.ClosedAt when set: the
// demo's history); a closed one is ECONFLICT.
func (db *DB) CloseCycle(ctx context.Context, c *app.Cycle, by int64, snapshot []byte) error {
	var at time.Time
	if c.ClosedAt != nil {
		at = *c.ClosedAt
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE cycles SET closed_at = COALESCE($5, now()), closed_by = $3, snapshot = $4
			WHERE id = $1 AND org_id = $2 AND closed_at IS NULL`, c.ID, c.OrgID, by, jsonArg(snapshot), backdate(at))
		if err != nil {
			return mapErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ECONFLICT, "The %s cycle is closed already.", c.Quarter)
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: c.OrgID, ActorID: by, TeamID: &c.TeamID, Action: app.AuditUpdate,
			Entity: "cycle", EntityID: c.ID, Summary: "closed " + c.Quarter})
	})
}

// backdate is a time parameter that is NULL when zero.
func backdate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// findCycleRated is, per person, kind and competency, whether they were rated with a level
// by themself or a leader within the cycle's window [opened_at, end).
const findCycleRated = `
SELECT DISTINCT r.subject_id, r.kind, c.key AS competency
FROM ratings r JOIN competencies c ON c.id = r.competency_id
WHERE r.org_id = $1 AND r.subject_id = ANY($2) AND r.level IS NOT NULL
  AND r.kind IN ('self', 'leader') AND r.created_at >= $3 AND r.created_at < $4
ORDER BY r.subject_id, r.kind, competency`

// FindCycleRated lists which competencies the people were rated in by kind within the cycle.
func (db *DB) FindCycleRated(ctx context.Context, c *app.Cycle, end time.Time, people []int64) ([]app.CycleRated, error) {
	out := []app.CycleRated{}
	err := db.SelectContext(ctx, &out, findCycleRated, c.OrgID, pq.Array(people), c.OpenedAt, end)
	return out, mapErr(err)
}

// FindCyclePeerRequests lists the peer requests made for the cycle, of one person (0: all).
func (db *DB) FindCyclePeerRequests(ctx context.Context, c *app.Cycle, personID int64) ([]app.PeerRequest, error) {
	out := []app.PeerRequest{}
	err := db.SelectContext(ctx, &out, peerRequestSelect+`
		WHERE p.org_id = $1 AND p.cycle_id = $2 AND ($3 = 0 OR p.subject_id = $3)
		ORDER BY p.subject_id, p.created_at, p.id`, c.OrgID, c.ID, personID)
	return out, mapErr(err)
}

// SaveCycleAgreements upserts the agreements of one person in one transaction.
func (db *DB) SaveCycleAgreements(ctx context.Context, c *app.Cycle, personID, by int64, in []app.CycleAgreement) error {
	fw, err := db.FindFramework(ctx, c.OrgID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(in))
	levels := make([]int64, len(in))
	decisions := make([]string, len(in))
	for i, a := range in {
		comp := fw.ByKey(a.Competency)
		if comp == nil || comp.Archived {
			return app.Invalid("agreements["+itoa(i)+"].competency", "Unknown competency %q.", a.Competency)
		}
		ids[i], levels[i], decisions[i] = comp.ID, int64(a.Level), a.Decision
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO cycle_agreements (cycle_id, person_id, competency_id, level, decision, decided_by)
			SELECT $1, $2, comp, lvl, dec, $3 FROM unnest($4::bigint[], $5::int[], $6::text[]) AS t(comp, lvl, dec)
			ON CONFLICT (cycle_id, person_id, competency_id)
			DO UPDATE SET level = EXCLUDED.level, decision = EXCLUDED.decision,
			              decided_by = EXCLUDED.decided_by, decided_at = now()`,
			c.ID, personID, by, pq.Array(ids), pq.Array(levels), pq.Array(decisions))
		if err != nil {
			return mapErr(err)
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: c.OrgID, ActorID: by, TeamID: &c.TeamID, PersonID: &personID,
			Action: app.AuditUpdate, Entity: "cycle_agreement", EntityID: c.ID, Summary: c.Quarter + " 1:1",
			After: auditJSON(in)})
	})
}

// FindCycleAgreements lists a cycle's agreements of one person (0: everyone), framework order.
func (db *DB) FindCycleAgreements(ctx context.Context, c *app.Cycle, personID int64) ([]app.CycleAgreement, error) {
	out := []app.CycleAgreement{}
	err := db.SelectContext(ctx, &out, `
		SELECT a.cycle_id, a.person_id, comp.key AS competency, a.level, a.decision, a.decided_by, a.decided_at
		FROM cycle_agreements a JOIN competencies comp ON comp.id = a.competency_id
		WHERE a.cycle_id = $1 AND ($2 = 0 OR a.person_id = $2)
		ORDER BY a.person_id, comp.position, comp.id`, c.ID, personID)
	return out, mapErr(err)
}
