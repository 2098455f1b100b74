package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

type requisitionRow struct {
	app.Requisition
	MustHaves pq.StringArray `db:"must_haves"`
}

func (r *requisitionRow) requisition() *app.Requisition {
	out := r.Requisition
	out.MustHaves = []string(r.MustHaves)
	if out.MustHaves == nil {
		out.MustHaves = []string{}
	}
	return &out
}

// requisitionColumns selects a requisition with its team's name and its author's name.
const requisitionColumns = `
SELECT r.id, r.org_id, r.team_id, t.name AS team_name, r.title, r.spike, r.must_haves, r.brief,
       r.score_removed, r.notes, r.status, r.created_by, COALESCE(u.name, '') AS created_by_name,
       r.created_at, r.updated_at
FROM requisitions r
JOIN teams t ON t.id = r.team_id
LEFT JOIN users u ON u.id = r.created_by`

// FindRequisitions lists the requisitions of the teams the actor leads or partners as HR
// (every team of the organisation for an admin), newest first.
func (db *DB) FindRequisitions(ctx context.Context, a *app.Actor, f app.RequisitionFilter) ([]app.Requisition, error) {
	var rows []requisitionRow
	err := db.SelectContext(ctx, &rows, requisitionColumns+`
		WHERE r.org_id = $1
		  AND ($3 OR EXISTS (SELECT 1 FROM team_members me
		                     WHERE me.team_id = r.team_id AND me.user_id = $2 AND me.role IN ('leader', 'hr_partner')))
		  AND ($4 = 0 OR r.team_id = $4)
		  AND ($5 = '' OR r.status = $5)
		ORDER BY r.created_at DESC, r.id DESC`,
		a.OrgID, a.UserID, a.Role == app.RoleAdmin, f.TeamID, f.Status)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]app.Requisition, len(rows))
	for i := range rows {
		out[i] = *rows[i].requisition()
	}
	return out, nil
}

// FindRequisitionByID returns a requisition of the organisation.
func (db *DB) FindRequisitionByID(ctx context.Context, orgID, id int64) (*app.Requisition, error) {
	var row requisitionRow
	err := db.GetContext(ctx, &row, requisitionColumns+` WHERE r.id = $1 AND r.org_id = $2`, id, orgID)
	if err != nil {
		return nil, notFound(err, "Requisition")
	}
	return row.requisition(), nil
}

// CreateRequisition stores an open requisition for a team of the organisation.
func (db *DB) CreateRequisition(ctx context.Context, r *app.Requisition) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, r, `
			INSERT INTO requisitions (org_id, team_id, title, spike, must_haves, brief, score_removed, notes, status, created_by)
			SELECT t.org_id, t.id, $3, $4, $5, $6, $7, $8, 'open', $9
			FROM teams t WHERE t.id = $1 AND t.org_id = $2
			RETURNING id, status, created_at, updated_at`,
			r.TeamID, r.OrgID, r.Title, r.Spike, pq.Array(r.MustHaves), r.Brief, r.ScoreRemoved, r.Notes, r.CreatedBy)
		if err != nil {
			return notFound(err, "Team")
		}
		e := app.AuditEntry{OrgID: r.OrgID, TeamID: &r.TeamID, Action: app.AuditCreate, Entity: "requisition", EntityID: r.ID, Summary: r.Title}
		return auditChange(ctx, tx, e, snapRequisition, []any{r.ID}, func() error { return nil })
	})
}

// SetRequisitionStatus moves the requisition from one status to another, if it is still in from.
func (db *DB) SetRequisitionStatus(ctx context.Context, orgID, id int64, from, to string) (*app.Requisition, error) {
	var n int64
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		var teamID int64
		if err := tx.GetContext(ctx, &teamID, `SELECT team_id FROM requisitions WHERE id = $1 AND org_id = $2 FOR UPDATE`, id, orgID); err != nil {
			return notFound(err, "Requisition")
		}
		e := app.AuditEntry{OrgID: orgID, TeamID: &teamID, Action: app.AuditUpdate, Entity: "requisition", EntityID: id, Summary: from + " → " + to}
		return auditChange(ctx, tx, e, snapRequisition, []any{id}, func() error {
			res, err := tx.ExecContext(ctx, `
				UPDATE requisitions SET status = $4, updated_at = now()
				WHERE id = $1 AND org_id = $2 AND status = $3`, id, orgID, from, to)
			if err != nil {
				return mapErr(err)
			}
			n, _ = res.RowsAffected()
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if _, err := db.FindRequisitionByID(ctx, orgID, id); err != nil {
			return nil, err
		}
		return nil, &app.Error{Code: app.ECONFLICT, Field: "status",
			Message: "The requisition's status changed meanwhile; reload and try again."}
	}
	return db.FindRequisitionByID(ctx, orgID, id)
}
