package postgres

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// ---- career roles ----

type careerRoleRow struct {
	app.CareerRole
	Spikes pq.StringArray `db:"spikes"`
}

const findCareerRoles = `
SELECT id, org_id, person_id, company, title, started_on, ended_on, industry, market, specialism,
       spikes, created_at, updated_at
FROM career_roles WHERE org_id = $1 AND person_id = $2`

func careerRoles(rows []careerRoleRow) []app.CareerRole {
	out := make([]app.CareerRole, len(rows))
	for i, r := range rows {
		out[i] = r.CareerRole
		out[i].Spikes = []string(r.Spikes)
	}
	return out
}

// FindCareerRoles returns the person's roles, oldest first.
func (db *DB) FindCareerRoles(ctx context.Context, orgID, personID int64) ([]app.CareerRole, error) {
	var rows []careerRoleRow
	if err := db.SelectContext(ctx, &rows, findCareerRoles+` ORDER BY started_on, id`, orgID, personID); err != nil {
		return nil, mapErr(err)
	}
	return careerRoles(rows), nil
}

// SaveCareerRole inserts or updates a role in one transaction holding the person's row
// lock, so two writes of the same person's roles cannot both pass check.
func (db *DB) SaveCareerRole(ctx context.Context, r *app.CareerRole, check func(others []app.CareerRole) error) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var locked int64
		if err := tx.GetContext(ctx, &locked, `SELECT id FROM users WHERE id = $1 AND org_id = $2 FOR UPDATE`,
			r.PersonID, r.OrgID); err != nil {
			return notFound(err, "Person")
		}
		var rows []careerRoleRow
		if err := tx.SelectContext(ctx, &rows, findCareerRoles+` AND id <> $3`, r.OrgID, r.PersonID, r.ID); err != nil {
			return mapErr(err)
		}
		if r.ID != 0 {
			var exists bool
			if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM career_roles WHERE id = $1 AND person_id = $2)`,
				r.ID, r.PersonID); err != nil {
				return mapErr(err)
			}
			if !exists {
				return app.ErrNotFound("Role")
			}
		}
		if err := check(careerRoles(rows)); err != nil {
			return err
		}
		if r.ID == 0 {
			if err := tx.QueryRowxContext(ctx, `
				INSERT INTO career_roles (org_id, person_id, company, title, started_on, ended_on, industry, market, specialism, spikes)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created_at, updated_at`,
				r.OrgID, r.PersonID, r.Company, r.Title, r.Start, r.End, r.Industry, r.Market, r.Specialism, pq.Array(r.Spikes),
			).Scan(&r.ID, &r.CreatedAt, &r.UpdatedAt); err != nil {
				return mapErr(err)
			}
			e := app.AuditEntry{OrgID: r.OrgID, PersonID: &r.PersonID, Action: app.AuditCreate, Entity: "career_role", EntityID: r.ID}
			return auditChange(ctx, tx, e, snapCareerRole, []any{r.ID}, func() error { return nil })
		}
		e := app.AuditEntry{OrgID: r.OrgID, PersonID: &r.PersonID, Action: app.AuditUpdate, Entity: "career_role", EntityID: r.ID}
		return auditChange(ctx, tx, e, snapCareerRole, []any{r.ID}, func() error {
			return mapErr(tx.QueryRowxContext(ctx, `
				UPDATE career_roles SET company = $3, title = $4, started_on = $5, ended_on = $6, industry = $7,
				       market = $8, specialism = $9, spikes = $10, updated_at = now()
				WHERE id = $1 AND person_id = $2 RETURNING created_at, updated_at`,
				r.ID, r.PersonID, r.Company, r.Title, r.Start, r.End, r.Industry, r.Market, r.Specialism, pq.Array(r.Spikes),
			).Scan(&r.CreatedAt, &r.UpdatedAt))
		})
	})
}

// DeleteCareerRole deletes one of the person's roles.
func (db *DB) DeleteCareerRole(ctx context.Context, orgID, personID, id int64) error {
	e := app.AuditEntry{OrgID: orgID, PersonID: &personID, Action: app.AuditDelete, Entity: "career_role", EntityID: id}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		return auditChange(ctx, tx, e, snapCareerRole, []any{id}, func() error {
			res, err := tx.ExecContext(ctx, `DELETE FROM career_roles WHERE id = $1 AND person_id = $2 AND org_id = $3`, id, personID, orgID)
			return affected(res, err, "Role")
		})
	})
}

// ---- learning resources ----

const findResources = `
SELECT r.id, r.org_id, r.title, r.url, r.description, r.kind, c.key AS competency, c.name AS competency_name,
       r.level_min, r.level_max, r.market, r.background, r.created_by, r.created_at, r.updated_at
FROM learning_resources r JOIN competencies c ON c.id = r.competency_id
WHERE r.org_id = $1`

// FindResources returns the organisation's resources (of one competency, unless "").
func (db *DB) FindResources(ctx context.Context, orgID int64, competency string) ([]app.LearningResource, error) {
	out := []app.LearningResource{}
	err := db.SelectContext(ctx, &out, findResources+` AND ($2 = '' OR c.key = $2) ORDER BY c.position, c.id, r.title, r.id`,
		orgID, competency)
	return out, mapErr(err)
}

// FindResourceByID returns one resource of the organisation.
func (db *DB) FindResourceByID(ctx context.Context, orgID, id int64) (*app.LearningResource, error) {
	var r app.LearningResource
	if err := db.GetContext(ctx, &r, findResources+` AND r.id = $2`, orgID, id); err != nil {
		return nil, notFound(err, "Resource")
	}
	return &r, nil
}

// CreateResource stores a new resource.
func (db *DB) CreateResource(ctx context.Context, r *app.LearningResource) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO learning_resources (org_id, title, url, description, kind, competency_id, level_min, level_max,
			                                market, background, created_by)
			SELECT $1, $2, $3, $4, $5, c.id, $7, $8, $9, $10, $11 FROM competencies c WHERE c.org_id = $1 AND c.key = $6
			RETURNING id, created_at, updated_at`,
			r.OrgID, r.Title, r.URL, r.Description, r.Kind, r.Competency, r.LevelMin, r.LevelMax, r.Market, r.Background, r.CreatedBy,
		).Scan(&r.ID, &r.CreatedAt, &r.UpdatedAt)
		if err != nil {
			return resourceErr(err)
		}
		e := app.AuditEntry{OrgID: r.OrgID, Action: app.AuditCreate, Entity: "learning_resource", EntityID: r.ID, Summary: r.Title}
		return auditChange(ctx, tx, e, snapResource, []any{r.ID}, func() error { return nil })
	})
}

// UpdateResource replaces a resource's fields.
func (db *DB) UpdateResource(ctx context.Context, r *app.LearningResource) error {
	e := app.AuditEntry{OrgID: r.OrgID, Action: app.AuditUpdate, Entity: "learning_resource", EntityID: r.ID, Summary: r.Title}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		return auditChange(ctx, tx, e, snapResource, []any{r.ID}, func() error {
			err := tx.QueryRowxContext(ctx, `
				UPDATE learning_resources SET title = $3, url = $4, description = $5, kind = $6,
				       competency_id = (SELECT id FROM competencies WHERE org_id = $2 AND key = $7),
				       level_min = $8, level_max = $9, market = $10, background = $11, updated_at = now()
				WHERE id = $1 AND org_id = $2 RETURNING created_by, created_at, updated_at`,
				r.ID, r.OrgID, r.Title, r.URL, r.Description, r.Kind, r.Competency, r.LevelMin, r.LevelMax, r.Market, r.Background,
			).Scan(&r.CreatedBy, &r.CreatedAt, &r.UpdatedAt)
			return resourceErr(err)
		})
	})
}

// resourceErr names the field of a resource write that failed.
func resourceErr(err error) error {
	err = notFound(err, "Resource")
	switch app.ErrorCode(err) {
	case app.ECONFLICT:
		return &app.Error{Code: app.ECONFLICT, Field: "title", Message: "Another resource has this title; choose another."}
	}
	return err
}

// DeleteResource deletes a resource of the organisation.
func (db *DB) DeleteResource(ctx context.Context, orgID, id int64) error {
	e := app.AuditEntry{OrgID: orgID, Action: app.AuditDelete, Entity: "learning_resource", EntityID: id}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		return auditChange(ctx, tx, e, snapResource, []any{id}, func() error {
			res, err := tx.ExecContext(ctx, `DELETE FROM learning_resources WHERE id = $1 AND org_id = $2`, id, orgID)
			return affected(res, err, "Resource")
		})
	})
}

// ---- mentoring ----

// FindMentorConsents returns the consents of the organisation's people who decided, with
// the competencies each offers in framework order.
func (db *DB) FindMentorConsents(ctx context.Context, orgID int64) (map[int64]app.MentorConsent, error) {
	var rows []struct {
		app.MentorConsent
		Offers pq.StringArray `db:"offers"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT m.user_id, m.opted_in,
		       COALESCE(array_agg(c.key ORDER BY c.position, c.id) FILTER (WHERE c.id IS NOT NULL), '{}') AS offers
		FROM mentor_consents m
		JOIN users u ON u.id = m.user_id
		LEFT JOIN mentor_offers o ON o.user_id = m.user_id
		LEFT JOIN competencies c ON c.id = o.competency_id
		WHERE u.org_id = $1
		GROUP BY m.user_id, m.opted_in`, orgID); err != nil {
		return nil, mapErr(err)
	}
	out := make(map[int64]app.MentorConsent, len(rows))
	for _, r := range rows {
		mc := r.MentorConsent
		mc.Offers = []string(r.Offers)
		out[mc.UserID] = mc
	}
	return out, nil
}

// SetMentorConsent records the person's consent and, when offers is not nil (or they opt
// out), replaces their offers, in one transaction holding the person's row lock. An offer
// of a competency that is not of the person's organisation refuses the whole write.
func (db *DB) SetMentorConsent(ctx context.Context, userID int64, optIn bool, offers []string) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var orgID int64
		if err := tx.GetContext(ctx, &orgID, `SELECT org_id FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
			return notFound(err, "User")
		}
		e := app.AuditEntry{OrgID: orgID, PersonID: &userID, Action: app.AuditUpdate, Entity: "mentor_consent", EntityID: userID}
		return auditChange(ctx, tx, e, snapConsent, []any{userID}, func() error {
			if !optIn || offers != nil {
				if _, err := tx.ExecContext(ctx, `DELETE FROM mentor_offers WHERE user_id = $1`, userID); err != nil {
					return mapErr(err)
				}
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO mentor_consents (user_id, opted_in) VALUES ($1, $2)
				ON CONFLICT (user_id) DO UPDATE SET opted_in = EXCLUDED.opted_in, updated_at = now()`, userID, optIn); err != nil {
				return mapErr(err)
			}
			if !optIn || len(offers) == 0 {
				return nil
			}
			res, err := tx.ExecContext(ctx, `
				INSERT INTO mentor_offers (user_id, competency_id)
				SELECT $1, c.id FROM competencies c WHERE c.org_id = $2 AND c.key = ANY($3)`, userID, orgID, pq.Array(offers))
			if err != nil {
				return mapErr(err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return mapErr(err)
			} else if int(n) != len(offers) {
				return app.Invalid("offers", "Offer competencies of your organisation's framework, each once.")
			}
			return nil
		})
	})
}

// CountMentees counts each mentor's accepted mentorships.
func (db *DB) CountMentees(ctx context.Context, orgID int64) (map[int64]int, error) {
	var rows []struct {
		MentorID int64 `db:"mentor_id"`
		N        int   `db:"n"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT mentor_id, count(*) AS n FROM mentorships WHERE org_id = $1 AND status = 'accepted'
		GROUP BY mentor_id`, orgID); err != nil {
		return nil, mapErr(err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.MentorID] = r.N
	}
	return out, nil
}

const findMentorships = `
SELECT m.id, m.org_id, m.mentee_id, e.name AS mentee_name, m.mentor_id, r.name AS mentor_name,
       c.key AS competency, c.name AS competency_name, m.message, m.status, m.created_at, m.answered_at, m.ended_at
FROM mentorships m
JOIN users e ON e.id = m.mentee_id
JOIN users r ON r.id = m.mentor_id
JOIN competencies c ON c.id = m.competency_id
WHERE m.org_id = $1`

// FindMentorships returns a person's mentorships, newest first.
func (db *DB) FindMentorships(ctx context.Context, orgID int64, f app.MentorshipFilter) ([]app.Mentorship, error) {
	out := []app.Mentorship{}
	err := db.SelectContext(ctx, &out, findMentorships+`
		AND (($3 AND m.mentee_id = $2) OR ($4 AND m.mentor_id = $2))
		ORDER BY m.created_at DESC, m.id DESC`, orgID, f.PersonID, f.AsMentee, f.AsMentor)
	return out, mapErr(err)
}

// FindMentorshipByID returns a mentorship of the organisation.
func (db *DB) FindMentorshipByID(ctx context.Context, orgID, id int64) (*app.Mentorship, error) {
	var m app.Mentorship
	if err := db.GetContext(ctx, &m, findMentorships+` AND m.id = $2`, orgID, id); err != nil {
		return nil, notFound(err, "Mentorship")
	}
	return &m, nil
}

// CreateMentorship stores a pending request.
func (db *DB) CreateMentorship(ctx context.Context, m *app.Mentorship) error {
	m.Status = app.MentorshipPending
	err := db.InTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO mentorships (org_id, mentee_id, mentor_id, competency_id, message)
			SELECT $1, $2, $3, c.id, $5 FROM competencies c WHERE c.org_id = $1 AND c.key = $4
			RETURNING id, created_at`, m.OrgID, m.MenteeID, m.MentorID, m.Competency, m.Message,
		).Scan(&m.ID, &m.CreatedAt)
		if err != nil {
			return notFound(err, "Competency")
		}
		e := app.AuditEntry{OrgID: m.OrgID, PersonID: &m.MenteeID, Action: app.AuditCreate, Entity: "mentorship", EntityID: m.ID}
		return auditChange(ctx, tx, e, snapMentorship, []any{m.ID}, func() error { return nil })
	})
	if app.ErrorCode(err) == app.ECONFLICT {
		return &app.Error{Code: app.ECONFLICT, Field: "mentor_id",
			Message: "You have already asked this person about this competency; wait for their answer."}
	}
	return err
}

// SetMentorshipStatus moves a mentorship from one status to another. Accepting counts the
// mentor's accepted mentorships under a lock on the mentor, so two acceptances at once
// cannot take them past capacity.
func (db *DB) SetMentorshipStatus(ctx context.Context, orgID, id int64, from, to string, capacity int) error {
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		var cur struct {
			MentorID int64  `db:"mentor_id"`
			MenteeID int64  `db:"mentee_id"`
			Status   string `db:"status"`
		}
		if err := tx.GetContext(ctx, &cur, `
			SELECT u.id AS mentor_id, m.mentee_id, m.status FROM mentorships m JOIN users u ON u.id = m.mentor_id
			WHERE m.id = $1 AND m.org_id = $2 FOR UPDATE OF u, m`, id, orgID); err != nil {
			return notFound(err, "Mentorship")
		}
		if cur.Status != from {
			return app.Errorf(app.ECONFLICT, "This mentorship is %s now.", app.OptionLabel(app.MentorshipStatuses, cur.Status))
		}
		if to == app.MentorshipAccepted {
			var n int
			if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM mentorships WHERE mentor_id = $1 AND status = 'accepted'`,
				cur.MentorID); err != nil {
				return mapErr(err)
			}
			if n >= capacity {
				return app.Errorf(app.ECONFLICT, "You already mentor %d people: end a mentorship before you accept another.", n)
			}
		}
		e := app.AuditEntry{OrgID: orgID, PersonID: &cur.MenteeID, Action: app.AuditUpdate, Entity: "mentorship", EntityID: id, Summary: from + " → " + to}
		return auditChange(ctx, tx, e, snapMentorship, []any{id}, func() error {
			_, err := tx.ExecContext(ctx, `
				UPDATE mentorships SET status = $2,
				       answered_at = CASE WHEN $2 IN ('accepted', 'declined') THEN now() ELSE answered_at END,
				       ended_at = CASE WHEN $2 = 'ended' THEN now() ELSE ended_at END
				WHERE id = $1`, id, to)
			return mapErr(err)
		})
	})
}

// affected is ENOTFOUND naming what when a write touched no row.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n == 0 {
		return app.ErrNotFound(what)
	}
	return nil
}
