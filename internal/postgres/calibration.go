package postgres

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
)

const findLatestRatingsByRater = `
SELECT subject_id, rater_id, kind, competency, level FROM (
    SELECT DISTINCT ON (r.subject_id, r.rater_id, r.kind, r.competency_id)
           r.subject_id, r.rater_id, r.kind, c.key AS competency, r.level
    FROM ratings r JOIN competencies c ON c.id = r.competency_id
    WHERE r.org_id = $1
    ORDER BY r.subject_id, r.rater_id, r.kind, r.competency_id, r.created_at DESC, r.id DESC
) latest
WHERE level IS NOT NULL`

// FindLatestRatingsByRater returns each rater's latest level per person, kind and competency.
func (db *DB) FindLatestRatingsByRater(ctx context.Context, orgID int64) ([]app.RaterRating, error) {
	out := []app.RaterRating{}
	err := db.SelectContext(ctx, &out, findLatestRatingsByRater, orgID)
	return out, mapErr(err)
}
