package postgres

import (
	"context"
	"errors"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

const findCompetencyByKey = `
SELECT c.id, c.area_id, a.key AS area_key, a.name AS area_name, c.key, c.name, c.definition,
       c.importance, c.leads_only, c.archived, c.position
FROM competencies c JOIN competency_areas a ON a.id = c.area_id
WHERE c.org_id = $1 AND c.key = $2`

func (db *DB) findCompetency(ctx context.Context, q sqlx.QueryerContext, orgID int64, key string) (*app.Competency, error) {
	var c app.Competency
	if err := sqlx.GetContext(ctx, q, &c, findCompetencyByKey, orgID, key); err != nil {
		return nil, notFound(err, "Competency")
	}
	return &c, nil
}

// CreateArea adds an area after the others.
func (db *DB) CreateArea(ctx context.Context, orgID int64, n app.NewArea) (*app.Area, error) {
	var out app.Area
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &out, `
			INSERT INTO competency_areas (org_id, key, name, position)
			VALUES ($1, $2, $3, (SELECT COALESCE(max(position), 0) + 1 FROM competency_areas WHERE org_id = $1))
			RETURNING id, key, name, position`, orgID, n.Key, n.Name)
		if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
			return &app.Error{Code: app.ECONFLICT, Field: "key", Message: "An area with this key already exists."}
		} else if err != nil {
			return mapErr(err)
		}
		return auditChange(ctx, tx, app.AuditEntry{OrgID: orgID, Action: app.AuditCreate, Entity: "competency_area", EntityID: out.ID, Summary: n.Key},
			snapArea, []any{orgID, n.Key}, func() error { return nil })
	})
	if err != nil {
		return nil, err
	}
	out.Competencies = []app.Competency{}
	return &out, nil
}

// UpdateArea renames and/or moves an area; moving renumbers every area of the organisation
// (under a lock on them) so positions stay 1..n.
func (db *DB) UpdateArea(ctx context.Context, orgID int64, key string, upd app.AreaUpdate) (*app.Area, error) {
	var out *app.Area
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		// Lock the areas first, then read them in a second statement: rows locked by one
		// SELECT … ORDER BY position FOR UPDATE come back in the order they had before a
		// concurrent move committed, and renumbering from that order would undo the move.
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM competency_areas WHERE org_id = $1 FOR UPDATE`, orgID); err != nil {
			return mapErr(err)
		}
		var areas []app.Area
		if err := tx.SelectContext(ctx, &areas, findAreas, orgID); err != nil {
			return mapErr(err)
		}
		i := slices.IndexFunc(areas, func(a app.Area) bool { return a.Key == key })
		if i < 0 {
			return app.ErrNotFound("Area")
		}
		if upd.Position != nil && *upd.Position > len(areas) {
			return app.Invalid("position", "The position must be between 1 and %d (the number of areas).", len(areas))
		}
		entry := app.AuditEntry{OrgID: orgID, Action: app.AuditUpdate, Entity: "competency_area", EntityID: areas[i].ID, Summary: key}
		err := auditChange(ctx, tx, entry, snapArea, []any{orgID, key}, func() error {
			if upd.Name != nil {
				if _, err := tx.ExecContext(ctx, `UPDATE competency_areas SET name = $2 WHERE id = $1`, areas[i].ID, *upd.Name); err != nil {
					return mapErr(err)
				}
			}
			if upd.Position == nil {
				return nil
			}
			order := slices.Insert(slices.Delete(slices.Clone(areas), i, i+1), *upd.Position-1, areas[i])
			ids := make([]int64, len(order))
			for j, a := range order {
				ids[j] = a.ID
			}
			_, err := tx.ExecContext(ctx, `
				UPDATE competency_areas a SET position = o.pos
				FROM unnest($1::bigint[]) WITH ORDINALITY AS o (id, pos)
				WHERE a.id = o.id AND a.position <> o.pos`, pq.Array(ids))
			return mapErr(err)
		})
		if err != nil {
			return err
		}
		fw, err := findFramework(ctx, tx, orgID)
		if err != nil {
			return err
		}
		for j := range fw.Areas {
			if fw.Areas[j].Key == key {
				out = &fw.Areas[j]
			}
		}
		return nil
	})
	return out, err
}

// CreateCompetency adds a competency at the end of its area, with the default ladder
// levels for every title, in one transaction.
func (db *DB) CreateCompetency(ctx context.Context, orgID int64, n app.NewCompetency) (*app.Competency, error) {
	var out *app.Competency
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		var areaID int64
		err := tx.GetContext(ctx, &areaID,
			`SELECT id FROM competency_areas WHERE org_id = $1 AND key = $2`, orgID, n.Area)
		if err != nil {
			if app.ErrorCode(mapErr(err)) == app.ENOTFOUND {
				return app.Invalid("area", "Unknown area %q.", n.Area)
			}
			return mapErr(err)
		}
		var id int64
		err = tx.GetContext(ctx, &id, `
			INSERT INTO competencies (org_id, area_id, key, name, definition, importance, leads_only, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7,
			        (SELECT COALESCE(max(position), 0) + 1 FROM competencies WHERE area_id = $2))
			RETURNING id`, orgID, areaID, n.Key, n.Name, n.Definition, n.Importance, n.LeadsOnly)
		if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
			return &app.Error{Code: app.ECONFLICT, Field: "key", Message: "A competency with this key already exists (perhaps archived)."}
		} else if err != nil {
			return mapErr(err)
		}
		for _, t := range app.Titles {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO ladder_levels (org_id, title, competency_id, level) VALUES ($1, $2, $3, $4)`,
				orgID, t.Key, id, app.DefaultLadderLevel(t.Key, n.Importance, n.LeadsOnly)); err != nil {
				return mapErr(err)
			}
		}
		if out, err = db.findCompetency(ctx, tx, orgID, n.Key); err != nil {
			return err
		}
		return auditChange(ctx, tx, app.AuditEntry{OrgID: orgID, Action: app.AuditCreate, Entity: "competency", EntityID: id, Summary: n.Key},
			snapCompetency, []any{orgID, n.Key}, func() error { return nil })
	})
	return out, err
}

// UpdateCompetency applies an admin's changes to the competency with the key.
func (db *DB) UpdateCompetency(ctx context.Context, orgID int64, key string, upd app.CompetencyUpdate) (*app.Competency, error) {
	var out *app.Competency
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		e := app.AuditEntry{OrgID: orgID, Action: app.AuditUpdate, Entity: "competency", Summary: key}
		err := auditChange(ctx, tx, e, snapCompetency, []any{orgID, key}, func() error {
			res, err := tx.ExecContext(ctx, `
				UPDATE competencies SET
					name       = COALESCE($3, name),
					definition = COALESCE($4, definition),
					importance = COALESCE($5, importance),
					leads_only = COALESCE($6, leads_only),
					archived   = COALESCE($7, archived)
				WHERE org_id = $1 AND key = $2`, orgID, key, upd.Name, upd.Definition, upd.Importance, upd.LeadsOnly, upd.Archived)
			if err != nil {
				return mapErr(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return app.ErrNotFound("Competency")
			}
			return nil
		})
		if err != nil {
			return err
		}
		out, err = db.findCompetency(ctx, tx, orgID, key)
		return err
	})
	return out, err
}

// DeleteCompetency deletes a competency that has no ratings; its ladder levels and team
// targets go with it. A rated competency (or one other records still use) is ECONFLICT:
// archive it instead.
func (db *DB) DeleteCompetency(ctx context.Context, orgID int64, key string) error {
	inUse := &app.Error{Code: app.ECONFLICT, Field: "key",
		Message: "This competency has ratings or is used elsewhere; archive it instead."}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var rated bool
		err := tx.GetContext(ctx, &rated, `
			SELECT EXISTS (SELECT 1 FROM ratings r WHERE r.competency_id = c.id)
			FROM competencies c WHERE c.org_id = $1 AND c.key = $2 FOR UPDATE`, orgID, key)
		if err != nil {
			return notFound(err, "Competency")
		}
		if rated {
			return inUse
		}
		e := app.AuditEntry{OrgID: orgID, Action: app.AuditDelete, Entity: "competency", Summary: key}
		return auditChange(ctx, tx, e, snapCompetency, []any{orgID, key}, func() error {
			_, err = tx.ExecContext(ctx, `DELETE FROM competencies WHERE org_id = $1 AND key = $2`, orgID, key)
			if pe := (*pq.Error)(nil); errors.As(err, &pe) && pe.Code == "23503" {
				return inUse
			}
			return mapErr(err)
		})
	})
}

// CountRatingsByCompetency returns the number of ratings per rated competency key.
func (db *DB) CountRatingsByCompetency(ctx context.Context, orgID int64) (map[string]int, error) {
	var rows []struct {
		Key   string `db:"key"`
		Count int    `db:"count"`
	}
	err := db.SelectContext(ctx, &rows, `
		SELECT c.key, count(*) AS count FROM ratings r JOIN competencies c ON c.id = r.competency_id
		WHERE r.org_id = $1 GROUP BY c.key`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Count
	}
	return out, nil
}

// FindLadder returns the organisation's career ladder.
func (db *DB) FindLadder(ctx context.Context, orgID int64) (app.Ladder, error) {
	var rows []app.LadderLevel
	err := db.SelectContext(ctx, &rows, `
		SELECT l.title, c.key AS competency, l.level
		FROM ladder_levels l JOIN competencies c ON c.id = l.competency_id
		WHERE l.org_id = $1`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	return app.NewLadder(rows), nil
}

// SetLadderLevels upserts ladder cells in one transaction; an unknown key fails them all.
func (db *DB) SetLadderLevels(ctx context.Context, orgID int64, levels []app.LadderLevel) error {
	fw, err := db.FindFramework(ctx, orgID)
	if err != nil {
		return err
	}
	titles := make([]string, len(levels))
	ids := make([]int64, len(levels))
	values := make([]int64, len(levels))
	for i, l := range levels {
		c := fw.ByKey(l.Competency)
		if c == nil {
			return app.Invalid("levels["+itoa(i)+"].competency", "Unknown competency %q.", l.Competency)
		}
		titles[i], ids[i], values[i] = l.Title, c.ID, int64(l.Level)
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		e := app.AuditEntry{OrgID: orgID, Action: app.AuditUpdate, Entity: "ladder"}
		return auditChange(ctx, tx, e, snapLadder, []any{orgID}, func() error {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO ladder_levels (org_id, title, competency_id, level)
				SELECT $1, t, c, l FROM unnest($2::text[], $3::bigint[], $4::int[]) AS u(t, c, l)
				ON CONFLICT (org_id, title, competency_id) DO UPDATE SET level = EXCLUDED.level`,
				orgID, pq.Array(titles), pq.Array(ids), pq.Array(values))
			return mapErr(err)
		})
	})
}

// FindRatings returns the person's rating history, oldest first.
func (db *DB) FindRatings(ctx context.Context, orgID, subjectID int64) ([]app.Rating, error) {
	out := []app.Rating{}
	err := db.SelectContext(ctx, &out, `
		SELECT r.id, r.subject_id, r.rater_id, u.name AS rater_name, r.kind, c.key AS competency,
		       r.level, r.note, r.created_at, r.cycle_id, COALESCE(cy.anonymous_peers, false) AS anonymous
		FROM ratings r JOIN users u ON u.id = r.rater_id JOIN competencies c ON c.id = r.competency_id
		LEFT JOIN cycles cy ON cy.id = r.cycle_id
		WHERE r.org_id = $1 AND r.subject_id = $2
		ORDER BY r.created_at, r.id`, orgID, subjectID)
	return out, mapErr(err)
}

// FindFlaggedLevels returns the people's self and others' levels where they are
// app.Flagged, from effective_ratings, where the ratings triggers keep them
// (migrations/00031): a row per flag, where the history would be sorted for each rater's
// latest rating.
func (db *DB) FindFlaggedLevels(ctx context.Context, orgID int64, subjectIDs []int64) ([]app.SelfOthers, error) {
	out := []app.SelfOthers{}
	err := db.SelectContext(ctx, &out, `
		SELECT e.user_id, c.key AS competency, e.self_level, e.others_level
		FROM effective_ratings e JOIN competencies c ON c.id = e.competency_id
		WHERE e.org_id = $1 AND e.user_id = ANY($2) AND abs(e.self_level - e.others_level) >= $3`,
		orgID, pq.Array(subjectIDs), app.FlagDelta)
	return out, mapErr(err)
}

const peerRequestSelect = `
SELECT p.id, p.subject_id, s.name AS subject_name, s.title AS subject_title,
       p.reviewer_id, rv.name AS reviewer_name, p.requested_by, rq.name AS requester_name,
       p.message, p.status, p.created_at, p.answered_at, p.cycle_id,
       COALESCE(cy.anonymous_peers, false) AS anonymous
FROM peer_requests p
LEFT JOIN cycles cy ON cy.id = p.cycle_id
JOIN users s ON s.id = p.subject_id
JOIN users rv ON rv.id = p.reviewer_id
JOIN users rq ON rq.id = p.requested_by`

// CreatePeerRequest stores an open request; a second open one for the same subject and
// reviewer is ECONFLICT. The subject, reviewer and requester must be of the organisation.
func (db *DB) CreatePeerRequest(ctx context.Context, orgID int64, r *app.PeerRequest) error {
	var id int64
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &id, `
			INSERT INTO peer_requests (org_id, subject_id, reviewer_id, requested_by, message, cycle_id)
			SELECT $1, s.id, rv.id, rq.id, $5, $6
			FROM users s, users rv, users rq
			WHERE s.id = $2 AND rv.id = $3 AND rq.id = $4 AND s.org_id = $1 AND rv.org_id = $1 AND rq.org_id = $1
			RETURNING id`, orgID, r.SubjectID, r.ReviewerID, r.RequestedBy, r.Message, r.CycleID)
		switch app.ErrorCode(mapErr(err)) {
		case "":
		case app.ENOTFOUND:
			return app.Invalid("reviewer_id", "No such person in your organisation.")
		case app.ECONFLICT:
			return &app.Error{Code: app.ECONFLICT, Field: "reviewer_id", Message: "This person already has an open request to rate them."}
		default:
			return mapErr(err)
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, ActorID: r.RequestedBy, PersonID: &r.SubjectID,
			Action: app.AuditCreate, Entity: "peer_request", EntityID: id,
			After: auditJSON(map[string]any{"reviewer_id": r.ReviewerID})})
	})
	if err != nil {
		return err
	}
	got, err := db.FindPeerRequestByID(ctx, orgID, id)
	if err != nil {
		return err
	}
	*r = *got
	return nil
}

// FindPeerRequestByID returns a request of the organisation.
func (db *DB) FindPeerRequestByID(ctx context.Context, orgID, id int64) (*app.PeerRequest, error) {
	var r app.PeerRequest
	if err := db.GetContext(ctx, &r, peerRequestSelect+` WHERE p.id = $1 AND p.org_id = $2`, id, orgID); err != nil {
		return nil, notFound(err, "Request")
	}
	return &r, nil
}

// FindPeerRequests lists the organisation's requests matching the filter, open ones
// first, then newest first.
func (db *DB) FindPeerRequests(ctx context.Context, orgID int64, f app.PeerRequestFilter) ([]app.PeerRequest, error) {
	out := []app.PeerRequest{}
	err := db.SelectContext(ctx, &out, peerRequestSelect+`
		WHERE p.org_id = $1 AND ($2 = 0 OR p.reviewer_id = $2) AND ($3 = 0 OR p.requested_by = $3)
		  AND ($4 = 0 OR p.subject_id = $4) AND ($5 = '' OR p.status = $5)
		ORDER BY p.status = 'open' DESC, p.created_at DESC, p.id DESC`,
		orgID, f.ReviewerID, f.RequestedBy, f.SubjectID, f.Status)
	return out, mapErr(err)
}

// closeRequest marks the reviewer's open request answered or declined within tx.
func closeRequest(ctx context.Context, tx *sqlx.Tx, orgID, id, reviewerID int64, status string) error {
	var subjectID int64
	err := tx.GetContext(ctx, &subjectID, `
		UPDATE peer_requests SET status = $4, answered_at = now()
		WHERE id = $1 AND org_id = $2 AND reviewer_id = $3 AND status = 'open' RETURNING subject_id`, id, orgID, reviewerID, status)
	if app.ErrorCode(mapErr(err)) == app.ENOTFOUND {
		return app.Errorf(app.ECONFLICT, "This request is no longer open.")
	} else if err != nil {
		return mapErr(err)
	}
	action := app.AuditAnswer
	if status == app.RequestDeclined {
		action = app.AuditDecline
	}
	return recordAudit(ctx, tx, app.AuditEntry{OrgID: orgID, ActorID: reviewerID, PersonID: &subjectID,
		Action: action, Entity: "peer_request", EntityID: id})
}

// AnswerPeerRequest stores the batch (kind peer, by the reviewer) and closes the request.
func (db *DB) AnswerPeerRequest(ctx context.Context, id int64, b app.RatingBatch) error {
	fw, err := db.FindFramework(ctx, b.OrgID)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := closeRequest(ctx, tx, b.OrgID, id, b.RaterID, app.RequestAnswered); err != nil {
			return err
		}
		return insertRatings(ctx, tx, fw, b)
	})
}

// DeclinePeerRequest closes the reviewer's open request without ratings.
func (db *DB) DeclinePeerRequest(ctx context.Context, orgID, id, reviewerID int64) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		return closeRequest(ctx, tx, orgID, id, reviewerID, app.RequestDeclined)
	})
}
