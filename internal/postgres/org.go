package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

const findOrgBySlug = `SELECT id, slug, name, created_at FROM organisations WHERE slug = $1`

// FindOrganisationBySlug returns the organisation with the slug.
func (db *DB) FindOrganisationBySlug(ctx context.Context, slug string) (*app.Organisation, error) {
	var o app.Organisation
	if err := db.GetContext(ctx, &o, findOrgBySlug, slug); err != nil {
		return nil, mapErr(err)
	}
	return &o, nil
}

// FindOrganisationByID returns the organisation with the id.
func (db *DB) FindOrganisationByID(ctx context.Context, id int64) (*app.Organisation, error) {
	var o app.Organisation
	if err := db.GetContext(ctx, &o, `SELECT id, slug, name, created_at FROM organisations WHERE id = $1`, id); err != nil {
		return nil, notFound(err, "Organisation")
	}
	return &o, nil
}

// CreateOrganisation creates an organisation with the default framework and ladder,
// in one transaction.
func (db *DB) CreateOrganisation(ctx context.Context, slug, name string) (*app.Organisation, error) {
	var o app.Organisation
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &o,
			`INSERT INTO organisations (slug, name) VALUES ($1, $2) RETURNING id, slug, name, created_at`,
			slug, name); err != nil {
			return mapErr(err)
		}
		if err := createDefaultFramework(ctx, tx, o.ID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: o.ID, Action: app.AuditCreate, Entity: "organisation",
			EntityID: o.ID, After: auditJSON(o)})
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func createDefaultFramework(ctx context.Context, tx *sqlx.Tx, orgID int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO org_settings (org_id) VALUES ($1)`, orgID); err != nil {
		return mapErr(err)
	}
	pos := 0
	for ai, a := range app.DefaultFramework {
		var areaID int64
		if err := tx.GetContext(ctx, &areaID,
			`INSERT INTO competency_areas (org_id, key, name, position) VALUES ($1, $2, $3, $4) RETURNING id`,
			orgID, a.Key, a.Name, ai); err != nil {
			return mapErr(err)
		}
		for _, c := range a.Competencies {
			pos++
			var compID int64
			if err := tx.GetContext(ctx, &compID,
				`INSERT INTO competencies (org_id, area_id, key, name, definition, importance, leads_only, position)
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				orgID, areaID, c.Key, c.Name, c.Definition, c.Importance, a.LeadsOnly, pos); err != nil {
				return mapErr(err)
			}
			for _, t := range app.Titles {
				if _, err := tx.ExecContext(ctx,
					`INSERT INTO ladder_levels (org_id, title, competency_id, level) VALUES ($1, $2, $3, $4)`,
					orgID, t.Key, compID, app.DefaultLadderLevel(t.Key, c.Importance, a.LeadsOnly)); err != nil {
					return mapErr(err)
				}
			}
		}
	}
	return nil
}
