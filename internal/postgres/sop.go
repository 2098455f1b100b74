package postgres

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// jsonb is a column stored as JSON.
type jsonb[T any] struct{ V T }

func (j *jsonb[T]) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok {
		return fmt.Errorf("jsonb: cannot scan %T", src)
	}
	return json.Unmarshal(b, &j.V)
}

func (j jsonb[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	return string(b), err
}

// sopContent are the JSON columns of a revision, scanned beside app.SOPFields.
type sopContent struct {
	Steps        jsonb[[]string]            `db:"steps"`
	Competencies jsonb[[]app.SOPCompetency] `db:"competencies"`
	Handshakes   jsonb[[]app.SOPHandshake]  `db:"handshakes"`
}

func (c sopContent) fill(f *app.SOPFields) {
	f.Steps, f.Competencies, f.Handshakes = c.Steps.V, c.Competencies.V, c.Handshakes.V
	if f.Steps == nil {
		f.Steps = []string{}
	}
	if f.Competencies == nil {
		f.Competencies = []app.SOPCompetency{}
	}
	if f.Handshakes == nil {
		f.Handshakes = []app.SOPHandshake{}
	}
}

type sopRow struct {
	app.SOP
	sopContent
}

type sopRevisionRow struct {
	app.SOPRevision
	sopContent
}

const sopRevisionColumns = `r.category, r.title, r.purpose, r.owner_id, r.trigger, r.steps, r.outputs,
	r.decision_rights, r.escalation, r.metrics, r.review_every_days, r.maturity, r.competencies,
	r.handshakes, COALESCE(o.name, '') AS owner_name`

const findSOPs = `
SELECT s.id, s.team_id, t.name AS team_name, s.revision, s.created_at, s.next_review_on,
       s.last_reviewed_at, COALESCE(lr.name, '') AS last_reviewed_by,
       r.created_at AS updated_at, COALESCE(a.name, '') AS updated_by, ` + sopRevisionColumns + `
FROM sops s
JOIN teams t ON t.id = s.team_id
JOIN sop_revisions r ON r.sop_id = s.id AND r.revision = s.revision
LEFT JOIN users o ON o.id = r.owner_id
LEFT JOIN users a ON a.id = r.author_id
LEFT JOIN users lr ON lr.id = s.last_reviewed_by
WHERE s.org_id = $1`

// FindSOPs lists the current revision of the SOPs the filter selects, by title.
func (db *DB) FindSOPs(ctx context.Context, f app.SOPFilter) ([]app.SOP, error) {
	var rows []sopRow
	err := db.SelectContext(ctx, &rows, findSOPs+`
		AND s.team_id = ANY($2) AND ($3::date IS NULL OR s.next_review_on <= $3::date)
		ORDER BY lower(r.title), s.id`, f.OrgID, pq.Array(f.TeamIDs), f.DueBy)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]app.SOP, len(rows))
	for i := range rows {
		out[i] = rows[i].SOP
		rows[i].fill(&out[i].SOPFields)
	}
	return out, nil
}

// FindSOPByID returns an SOP of the organisation at its current revision.
func (db *DB) FindSOPByID(ctx context.Context, orgID, id int64) (*app.SOP, error) {
	var row sopRow
	if err := db.GetContext(ctx, &row, findSOPs+` AND s.id = $2`, orgID, id); err != nil {
		return nil, notFound(err, "SOP")
	}
	row.fill(&row.SOP.SOPFields)
	return &row.SOP, nil
}

func insertSOPRevision(ctx context.Context, tx *sqlx.Tx, sopID int64, rev int, authorID int64, restoredFrom int, f app.SOPFields) error {
	var from *int
	if restoredFrom > 0 {
		from = &restoredFrom
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO sop_revisions (sop_id, revision, author_id, restored_from, category, title, purpose,
			owner_id, trigger, steps, outputs, decision_rights, escalation, metrics, review_every_days,
			maturity, competencies, handshakes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		sopID, rev, authorID, from, f.Category, f.Title, f.Purpose, f.OwnerID, f.Trigger,
		jsonb[[]string]{f.Steps}, f.Outputs, f.DecisionRights, f.Escalation, f.Metrics, f.ReviewEveryDays,
		f.Maturity, jsonb[[]app.SOPCompetency]{f.Competencies}, jsonb[[]app.SOPHandshake]{f.Handshakes})
	return mapErr(err)
}

// CreateSOP stores an SOP of the team and its first revision in one transaction.
func (db *DB) CreateSOP(ctx context.Context, orgID, teamID, authorID int64, f app.SOPFields, today time.Time) (*app.SOP, error) {
	var id int64
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &id, `
			INSERT INTO sops (org_id, team_id, next_review_on)
			SELECT t.org_id, t.id, $3::date + $4::int FROM teams t WHERE t.id = $1 AND t.org_id = $2
			RETURNING id`, teamID, orgID, app.Day(today), f.ReviewEveryDays)
		if err != nil {
			return notFound(err, "Team")
		}
		e := app.AuditEntry{OrgID: orgID, ActorID: authorID, TeamID: &teamID, Action: app.AuditCreate, Entity: "sop", EntityID: id}
		return auditChange(ctx, tx, e, snapSOP, []any{id}, func() error {
			return insertSOPRevision(ctx, tx, id, 1, authorID, 0, f)
		})
	})
	if err != nil {
		return nil, err
	}
	return db.FindSOPByID(ctx, orgID, id)
}

// UpdateSOP adds the next revision. The SOP row is locked for the check and the insert, so
// of two saves based on the same revision exactly one lands; the other gets ECONFLICT
// naming who saved in between. (The primary key (sop_id, revision) guards it as well.)
func (db *DB) UpdateSOP(ctx context.Context, orgID, id int64, upd app.SOPUpdate) (*app.SOP, error) {
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		// Lock the SOP row on its own, then read its current revision in a second statement.
		// One statement that locks s through a join on s.revision cannot do this: a save
		// waiting on the lock re-checks the join against the committed row (EvalPlanQual),
		// whose revision no longer matches the revision row it joined before, finds no row
		// and would answer "not found" instead of a conflict.
		var cur struct {
			Revision int    `db:"revision"`
			TeamID   int64  `db:"team_id"`
			Cadence  int    `db:"review_every_days"`
			Author   string `db:"author"`
		}
		if err := tx.GetContext(ctx, &cur, `SELECT revision, team_id FROM sops WHERE id = $1 AND org_id = $2 FOR UPDATE`,
			id, orgID); err != nil {
			return notFound(err, "SOP")
		}
		if err := tx.QueryRowxContext(ctx, `
			SELECT r.review_every_days, COALESCE(a.name, 'someone')
			FROM sop_revisions r LEFT JOIN users a ON a.id = r.author_id
			WHERE r.sop_id = $1 AND r.revision = $2`, id, cur.Revision).Scan(&cur.Cadence, &cur.Author); err != nil {
			return mapErr(err)
		}
		if upd.BaseRevision != 0 && upd.BaseRevision != cur.Revision {
			return &app.Error{Code: app.ECONFLICT, Field: "revision", Message: fmt.Sprintf(
				"%s saved revision %d of this SOP after you opened revision %d. Your changes are not saved: "+
					"compare with the current version, apply them again and save.", cur.Author, cur.Revision, upd.BaseRevision)}
		}
		next := cur.Revision + 1
		e := app.AuditEntry{OrgID: orgID, ActorID: upd.AuthorID, TeamID: &cur.TeamID, Action: app.AuditUpdate, Entity: "sop", EntityID: id}
		if upd.RestoredFrom > 0 {
			e.Action, e.Summary = app.AuditRestore, fmt.Sprintf("revision %d restored", upd.RestoredFrom)
		}
		return auditChange(ctx, tx, e, snapSOP, []any{id}, func() error {
			if err := insertSOPRevision(ctx, tx, id, next, upd.AuthorID, upd.RestoredFrom, upd.Fields); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `
				UPDATE sops SET revision = $2, next_review_on = next_review_on + ($3::int - $4::int) WHERE id = $1`,
				id, next, upd.Fields.ReviewEveryDays, cur.Cadence)
			return mapErr(err)
		})
	})
	if err != nil {
		var ae *app.Error
		if errors.As(err, &ae) && ae.Code == app.ECONFLICT && ae.Field != "revision" {
			return nil, &app.Error{Code: app.ECONFLICT, Field: "revision", Message: "Someone saved this SOP at the same moment; reload it and save again."}
		}
		return nil, err
	}
	return db.FindSOPByID(ctx, orgID, id)
}

const findSOPRevisions = `
SELECT r.sop_id, r.revision, r.author_id, COALESCE(a.name, '') AS author_name, r.created_at,
       r.restored_from, ` + sopRevisionColumns + `
FROM sop_revisions r
LEFT JOIN users o ON o.id = r.owner_id
LEFT JOIN users a ON a.id = r.author_id
WHERE r.sop_id = $1`

// FindSOPRevisions lists every revision of the SOP, newest first.
func (db *DB) FindSOPRevisions(ctx context.Context, sopID int64) ([]app.SOPRevision, error) {
	var rows []sopRevisionRow
	if err := db.SelectContext(ctx, &rows, findSOPRevisions+` ORDER BY r.revision DESC`, sopID); err != nil {
		return nil, mapErr(err)
	}
	out := make([]app.SOPRevision, len(rows))
	for i := range rows {
		out[i] = rows[i].SOPRevision
		rows[i].fill(&out[i].SOPFields)
	}
	return out, nil
}

// FindSOPRevision returns one revision of the SOP.
func (db *DB) FindSOPRevision(ctx context.Context, sopID int64, revision int) (*app.SOPRevision, error) {
	var row sopRevisionRow
	if err := db.GetContext(ctx, &row, findSOPRevisions+` AND r.revision = $2`, sopID, revision); err != nil {
		return nil, notFound(err, "Revision")
	}
	row.fill(&row.SOPRevision.SOPFields)
	return &row.SOPRevision, nil
}

// ReviewSOP records a review today: the next review is today + the current cadence.
func (db *DB) ReviewSOP(ctx context.Context, orgID, id, reviewerID int64, today time.Time) (*app.SOP, error) {
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		var teamID int64
		if err := tx.GetContext(ctx, &teamID, `SELECT team_id FROM sops WHERE id = $1 AND org_id = $2 FOR UPDATE`, id, orgID); err != nil {
			return notFound(err, "SOP")
		}
		e := app.AuditEntry{OrgID: orgID, ActorID: reviewerID, TeamID: &teamID, Action: app.AuditReview, Entity: "sop", EntityID: id}
		return auditChange(ctx, tx, e, snapSOP, []any{id}, func() error {
			_, err := tx.ExecContext(ctx, `
				UPDATE sops s SET last_reviewed_at = now(), last_reviewed_by = $3,
					next_review_on = $4::date + r.review_every_days
				FROM sop_revisions r
				WHERE s.id = $1 AND s.org_id = $2 AND r.sop_id = s.id AND r.revision = s.revision`,
				id, orgID, reviewerID, app.Day(today))
			return mapErr(err)
		})
	})
	if err != nil {
		return nil, err
	}
	return db.FindSOPByID(ctx, orgID, id)
}
