package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/teamshape/teamshape/internal/app"
)

const findAreas = `SELECT id, key, name, position FROM competency_areas WHERE org_id = $1 ORDER BY position, id`

const findCompetencies = `
SELECT c.id, c.area_id, a.key AS area_key, a.name AS area_name, c.key, c.name, c.definition,
       c.importance, c.leads_only, c.archived, c.position
FROM competencies c JOIN competency_areas a ON a.id = c.area_id
WHERE c.org_id = $1
ORDER BY a.position, a.id, c.position, c.id`

// FindFramework returns the organisation's areas and competencies in display order.
func (db *DB) FindFramework(ctx context.Context, orgID int64) (*app.Framework, error) {
	return findFramework(ctx, db, orgID)
}

// findFramework reads the framework through q (the pool or a transaction).
func findFramework(ctx context.Context, q sqlx.QueryerContext, orgID int64) (*app.Framework, error) {
	f := &app.Framework{}
	if err := sqlx.SelectContext(ctx, q, &f.Areas, findAreas, orgID); err != nil {
		return nil, mapErr(err)
	}
	if err := sqlx.SelectContext(ctx, q, &f.Competencies, findCompetencies, orgID); err != nil {
		return nil, mapErr(err)
	}
	for i := range f.Areas {
		f.Areas[i].Competencies = []app.Competency{}
		for _, c := range f.Competencies {
			if c.AreaID == f.Areas[i].ID {
				f.Areas[i].Competencies = append(f.Areas[i].Competencies, c)
			}
		}
	}
	return f, nil
}
