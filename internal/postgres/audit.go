package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

// recordAudit appends an entry to the audit log within the write's transaction, so the
// write and its entry commit (or roll back) together. The actor is the request's (from
// the context) unless the entry names one; without either it is the system. This is the
// only code that writes the log, and nothing updates or deletes it (a trigger refuses).
func recordAudit(ctx context.Context, tx sqlx.ExtContext, e app.AuditEntry) error {
	a := app.ActorFrom(ctx)
	if e.ActorID == 0 && a != nil {
		e.ActorID = a.UserID
	}
	if e.OrgID == 0 && a != nil {
		e.OrgID = a.OrgID
	}
	if e.OrgID == 0 {
		return fmt.Errorf("audit %s %s: no organisation", e.Entity, e.Action)
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO audit_log (org_id, actor_id, team_id, person_id, action, entity, entity_id, summary, before, after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.OrgID, nullID(e.ActorID), e.TeamID, e.PersonID, e.Action, e.Entity, nullID(e.EntityID), e.Summary,
		jsonArg(e.Before), jsonArg(e.After))
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Entity, e.Action, mapErr(err))
	}
	return nil
}

// auditChange runs write between two snapshots of what it changes (the same query, within
// tx) and records the entry with them as before and after. A create has no before; a
// write that changed nothing records nothing.
func auditChange(ctx context.Context, tx *sqlx.Tx, e app.AuditEntry, snap string, args []any, write func() error) error {
	var before json.RawMessage
	if e.Action != app.AuditCreate {
		var err error
		if before, err = snapshot(ctx, tx, snap, args...); err != nil {
			return err
		}
	}
	if err := write(); err != nil {
		return err
	}
	after, err := snapshot(ctx, tx, snap, args...)
	if err != nil {
		return err
	}
	if bytes.Equal(before, after) {
		return nil
	}
	e.Before, e.After = before, after
	return recordAudit(ctx, tx, e)
}

// snapshot returns the one jsonb value the query selects, or nil when it finds no row.
func snapshot(ctx context.Context, tx *sqlx.Tx, query string, args ...any) (json.RawMessage, error) {
	var b []byte
	err := tx.GetContext(ctx, &b, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, mapErr(err)
	}
	return b, nil
}

// auditJSON marshals a value for an entry's before or after.
func auditJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("audit: %v", err)) // only plain data is logged
	}
	return b
}

// Snapshots of audited objects, each one jsonb value selected within the write's
// transaction. Password hashes and private notes' text never appear, nor the messages
// people send each other (peer and mentoring requests): a team's leaders read its log.
const (
	snapUser   = `SELECT to_jsonb(u) - 'password_hash' - 'updated_at' FROM users u WHERE u.id = $1`
	snapMember = `SELECT jsonb_build_object('team_id', m.team_id, 'user_id', m.user_id, 'role', m.role)
		FROM team_members m WHERE m.team_id = $1 AND m.user_id = $2`
	snapProfile    = `SELECT to_jsonb(p) - 'updated_at' FROM profiles p WHERE p.user_id = $1`
	snapCompetency = `SELECT to_jsonb(c) FROM competencies c WHERE c.org_id = $1 AND c.key = $2`
	snapArea       = `SELECT to_jsonb(a) FROM competency_areas a WHERE a.org_id = $1 AND a.key = $2`
	snapLadder     = `SELECT COALESCE(jsonb_object_agg(l.title || '.' || c.key, l.level), '{}')
		FROM ladder_levels l JOIN competencies c ON c.id = l.competency_id WHERE l.org_id = $1`
	snapTargets = `SELECT COALESCE(jsonb_agg(jsonb_build_object('competency', c.key, 'coverage', t.coverage,
		'depth', t.depth, 'criticality', t.criticality) ORDER BY c.position, c.id), '[]')
		FROM team_targets t JOIN competencies c ON c.id = t.competency_id WHERE t.team_id = $1`
	snapSOP = `SELECT to_jsonb(r) - 'sop_id' || jsonb_build_object('next_review_on', s.next_review_on,
		'last_reviewed_at', s.last_reviewed_at, 'last_reviewed_by', s.last_reviewed_by)
		FROM sops s JOIN sop_revisions r ON r.sop_id = s.id AND r.revision = s.revision WHERE s.id = $1`
	snapRequisition = `SELECT to_jsonb(r) - 'org_id' - 'updated_at' FROM requisitions r WHERE r.id = $1`
	snapCareerRole  = `SELECT to_jsonb(r) - 'org_id' - 'created_at' - 'updated_at' FROM career_roles r WHERE r.id = $1`
	snapResource    = `SELECT to_jsonb(r) - 'org_id' - 'created_at' - 'updated_at' FROM learning_resources r WHERE r.id = $1`
	snapMentorship  = `SELECT to_jsonb(m) - 'org_id' - 'message' FROM mentorships m WHERE m.id = $1`
	snapConsent     = `SELECT jsonb_build_object(
		'opted_in', COALESCE((SELECT opted_in FROM mentor_consents WHERE user_id = $1), false),
		'offers', COALESCE((SELECT jsonb_agg(c.key ORDER BY c.position, c.id)
			FROM mentor_offers o JOIN competencies c ON c.id = o.competency_id WHERE o.user_id = $1), '[]'))`
	snapPlan = `SELECT jsonb_build_object('quarter', p.quarter, 'spikes', p.spikes, 'mentor_id', p.mentor_id,
		'goals', COALESCE((SELECT jsonb_agg(to_jsonb(g) - 'id' - 'plan_id' - 'competency_id' || jsonb_build_object(
			'competency', c.key, 'actions', COALESCE((SELECT jsonb_agg(to_jsonb(a) - 'id' - 'goal_id' ORDER BY a.position)
				FROM coaching_actions a WHERE a.goal_id = g.id), '[]')) ORDER BY g.position)
			FROM coaching_goals g JOIN competencies c ON c.id = g.competency_id WHERE g.plan_id = p.id), '[]'))
		FROM coaching_plans p WHERE p.id = $1`
)

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func jsonArg(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// auditRow is an entry as read, its JSON columns as bytes.
type auditRow struct {
	app.AuditEntry
	BeforeJSON []byte `db:"before"`
	AfterJSON  []byte `db:"after"`
}

// FindAudit returns the entries the filter selects, newest first.
func (db *DB) FindAudit(ctx context.Context, f app.AuditFilter) ([]app.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > app.MaxAuditPage {
		f.Limit = app.MaxAuditPage
	}
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	var rows []auditRow
	err := db.SelectContext(ctx, &rows, `
		SELECT l.id, l.org_id, COALESCE(l.actor_id, 0) AS actor_id, l.team_id, l.person_id, l.action, l.entity,
		       COALESCE(l.entity_id, 0) AS entity_id, l.summary, l.before, l.after, l.created_at,
		       COALESCE(a.name, '') AS actor_name, COALESCE(t.name, '') AS team_name, COALESCE(p.name, '') AS person_name
		FROM audit_log l
		LEFT JOIN users a ON a.id = l.actor_id
		LEFT JOIN teams t ON t.id = l.team_id
		LEFT JOIN users p ON p.id = l.person_id
		WHERE l.org_id = $1
		  AND ($2 = 0 OR l.team_id = $2 OR l.person_id IN (
		        SELECT m.user_id FROM team_members m WHERE m.team_id = $2 AND m.role = 'member'))
		  AND ($3 = 0 OR l.actor_id = $3)
		  AND ($4 = '' OR l.action = $4)
		  AND ($5 = '' OR l.entity = $5)
		  AND ($6 = 0 OR l.entity_id = $6)
		  AND ($7::timestamptz IS NULL OR l.created_at >= $7)
		  AND ($8::timestamptz IS NULL OR l.created_at < $8)
		  AND ($9 = 0 OR l.id < $9)
		ORDER BY l.id DESC
		LIMIT $10`,
		f.OrgID, f.TeamID, f.ActorID, f.Action, f.Entity, f.EntityID, from, to, f.BeforeID, f.Limit)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]app.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = r.AuditEntry
		out[i].Before, out[i].After = r.BeforeJSON, r.AfterJSON
	}
	return out, nil
}
