package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

// ShareHiringBrief stores a new brief for a team of the organisation and audits the share.
func (db *DB) ShareHiringBrief(ctx context.Context, orgID int64, b *app.HiringBrief) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, b, `
			INSERT INTO hiring_briefs (org_id, team_id, shared_by, brief)
			SELECT t.org_id, t.id, $3, $4 FROM teams t WHERE t.id = $1 AND t.org_id = $2
			RETURNING id, team_id, shared_by, shared_at, brief`, b.TeamID, orgID, b.SharedBy, b.Brief)
		if err != nil {
			return notFound(err, "Team")
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, TeamID: &b.TeamID, Action: app.AuditShare,
			Entity: "hiring_brief", EntityID: b.ID, Summary: "hiring gaps shared with HR"})
	})
}

// FindLatestHiringBrief returns the team's newest brief, nil when none was shared.
func (db *DB) FindLatestHiringBrief(ctx context.Context, orgID, teamID int64) (*app.HiringBrief, error) {
	var b app.HiringBrief
	err := db.GetContext(ctx, &b, `
		SELECT b.id, b.team_id, b.shared_by, COALESCE(u.name, '') AS shared_by_name, b.shared_at, b.brief
		FROM hiring_briefs b LEFT JOIN users u ON u.id = b.shared_by
		WHERE b.team_id = $1 AND b.org_id = $2
		ORDER BY b.shared_at DESC, b.id DESC LIMIT 1`, teamID, orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &b, mapErr(err)
}
