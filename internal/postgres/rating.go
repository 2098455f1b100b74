package postgres

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// RecordRatings stores a batch in one transaction after checking every competency key:
// an unknown key fails the whole batch, naming the item.
func (db *DB) RecordRatings(ctx context.Context, b app.RatingBatch) error {
	fw, err := db.FindFramework(ctx, b.OrgID)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error { return insertRatings(ctx, tx, fw, b) })
}

// insertRatings inserts a batch within tx; an unknown or archived key fails it.
func insertRatings(ctx context.Context, tx *sqlx.Tx, fw *app.Framework, b app.RatingBatch) error {
	ids := make([]int64, len(b.Ratings))
	levels := make([]any, len(b.Ratings))
	notes := make([]string, len(b.Ratings))
	for i, r := range b.Ratings {
		c := fw.ByKey(r.Competency)
		if c == nil || c.Archived {
			return app.Invalid(itemField(i, "competency"), "Unknown competency %q.", r.Competency)
		}
		ids[i], notes[i] = c.ID, r.Note
		if r.Level != nil {
			levels[i] = int64(*r.Level)
		}
	}
	at := b.At
	if at.IsZero() {
		at = time.Now()
	}
	before, err := snapshot(ctx, tx, snapRatings, b.SubjectID, b.Kind, b.RaterID, pq.Array(ids))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO ratings (org_id, subject_id, rater_id, kind, competency_id, level, note, created_at)
		SELECT $1, $2, $3, $4, c, l, n, $8
		FROM unnest($5::bigint[], $6::int[], $7::text[]) AS t(c, l, n)`,
		b.OrgID, b.SubjectID, b.RaterID, b.Kind, pq.Array(ids), pq.Array(levels), pq.Array(notes), at)
	if err != nil {
		return mapErr(err)
	}
	return recordAudit(ctx, tx, app.AuditEntry{OrgID: b.OrgID, ActorID: b.RaterID, PersonID: &b.SubjectID,
		Action: app.AuditRate, Entity: "ratings", Summary: b.Kind + " ratings",
		Before: before, After: auditJSON(b.Ratings)})
}

// snapRatings is the latest rating of the kind (a peer's: of this rater) in each of the
// batch's competencies, the before of a batch's audit entry.
const snapRatings = `
SELECT COALESCE(jsonb_agg(jsonb_build_object('competency', c.key, 'level', r.level, 'note', r.note)
                ORDER BY c.position, c.id), '[]')
FROM (SELECT DISTINCT ON (competency_id) competency_id, level, note FROM ratings
      WHERE subject_id = $1 AND kind = $2 AND ($2 <> 'peer' OR rater_id = $3) AND competency_id = ANY($4)
      ORDER BY competency_id, created_at DESC, id DESC) r
JOIN competencies c ON c.id = r.competency_id`

// itemField names an item of a batch, e.g. "ratings[2].level".
func itemField(i int, field string) string {
	return "ratings[" + itoa(i) + "]." + field
}

// findEffectiveRatings implements the effective-rating rule, stated once in
// app.EffectiveRatings (internal/app/effective.go): the leader's latest where there is one
// (and it is not "not assessed"), else the lower median of each other rater's latest rating.
// Ratings made at or after an as-of time are ignored, so the same query answers "as of" past
// dates; it answers for several as-of times at once (a trend), each row carrying its as_of.
// TestEffectiveRatings holds the two together on a hand-computed history.
const findEffectiveRatings = `
WITH at AS (
    SELECT DISTINCT unnest($3::timestamptz[]) AS as_of
),
scoped AS NOT MATERIALIZED (
    SELECT at.as_of, r.id, r.subject_id, r.rater_id, r.kind, r.competency_id, r.level, r.created_at
    FROM ratings r JOIN at ON r.created_at < at.as_of
    WHERE r.org_id = $1 AND r.subject_id = ANY($2)
),
leader AS (
    SELECT DISTINCT ON (as_of, subject_id, competency_id) as_of, subject_id, competency_id, level, created_at
    FROM scoped WHERE kind = 'leader'
    ORDER BY as_of, subject_id, competency_id, created_at DESC, id DESC
),
others_latest AS (
    SELECT DISTINCT ON (as_of, subject_id, competency_id, rater_id, kind) as_of, subject_id, competency_id, level, created_at
    FROM scoped WHERE kind <> 'leader'
    ORDER BY as_of, subject_id, competency_id, rater_id, kind, created_at DESC, id DESC
),
others AS (
    SELECT as_of, subject_id, competency_id,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY level) AS level, max(created_at) AS created_at
    FROM others_latest WHERE level IS NOT NULL
    GROUP BY as_of, subject_id, competency_id
)
SELECT floor(extract(epoch FROM COALESCE(l.as_of, o.as_of)) * 1000000)::bigint AS as_of_us,
       COALESCE(l.subject_id, o.subject_id) AS user_id, c.key AS competency,
       CASE WHEN l.level IS NOT NULL THEN l.level ELSE o.level END AS level,
       CASE WHEN l.level IS NOT NULL THEN 'leader' ELSE 'others' END AS source,
       CASE WHEN l.level IS NOT NULL THEN l.created_at ELSE o.created_at END AS rated_at
FROM leader l
FULL JOIN others o ON o.as_of = l.as_of AND o.subject_id = l.subject_id AND o.competency_id = l.competency_id
JOIN competencies c ON c.id = COALESCE(l.competency_id, o.competency_id)
WHERE l.level IS NOT NULL OR o.level IS NOT NULL
ORDER BY as_of_us, user_id, c.position, c.id`

// FindEffectiveRatings returns the users' effective ratings as of the time.
func (db *DB) FindEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOf time.Time) ([]app.EffectiveRating, error) {
	out := make([]app.EffectiveRating, 0, len(userIDs)*expectedCompetencies)
	err := db.queryEffectiveRatings(ctx, orgID, userIDs, []time.Time{asOf}, func(_ time.Time, r app.EffectiveRating) {
		out = append(out, r)
	})
	return out, err
}

// FindEffectiveRatingsSeries returns the users' effective ratings as of each of the times,
// in one query: by as-of time, user and framework order. Each row's AsOf is the caller's own
// time value (PostgreSQL keeps microseconds), so callers may match rows with ==.
func (db *DB) FindEffectiveRatingsSeries(ctx context.Context, orgID int64, userIDs []int64, asOfs []time.Time) ([]app.DatedRating, error) {
	out := make([]app.DatedRating, 0, len(userIDs)*len(asOfs)*expectedCompetencies)
	err := db.queryEffectiveRatings(ctx, orgID, userIDs, asOfs, func(at time.Time, r app.EffectiveRating) {
		out = append(out, app.DatedRating{AsOf: at, EffectiveRating: r})
	})
	return out, err
}

// expectedCompetencies sizes result slices: the shipped framework has 16.
const expectedCompetencies = 16

// queryEffectiveRatings runs findEffectiveRatings and hands each row to fn with the caller's
// as-of time value. An organisation's rollup reads tens of thousands of rows here, so they
// are scanned by hand: no reflection, one string per competency key and source.
func (db *DB) queryEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOfs []time.Time, fn func(time.Time, app.EffectiveRating)) error {
	if len(userIDs) == 0 || len(asOfs) == 0 {
		return nil
	}
	params := make([]string, len(asOfs))
	given := make(map[int64]time.Time, len(asOfs))
	for i, t := range asOfs {
		t = t.Truncate(time.Microsecond)
		params[i] = t.Format(time.RFC3339Nano)
		given[t.UnixMicro()] = asOfs[i]
	}
	rows, err := db.QueryContext(ctx, findEffectiveRatings, orgID, pq.Array(userIDs), pq.Array(params))
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	words := map[string]string{}
	word := func(b []byte) string {
		w, ok := words[string(b)]
		if !ok {
			w = string(b)
			words[w] = w
		}
		return w
	}
	var asOfUS int64
	var key, source []byte
	for rows.Next() {
		var r app.EffectiveRating
		if err := rows.Scan(&asOfUS, &r.UserID, &key, &r.Level, &source, &r.RatedAt); err != nil {
			return mapErr(err)
		}
		r.Competency, r.Source = word(key), word(source)
		fn(given[asOfUS], r)
	}
	return mapErr(rows.Err())
}
