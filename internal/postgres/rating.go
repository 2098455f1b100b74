package postgres

import (
	"context"
	"slices"
	"strings"
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
		INSERT INTO ratings (org_id, subject_id, rater_id, kind, competency_id, level, note, created_at, cycle_id)
		SELECT $1, $2, $3, $4, c, l, n, $8, $9
		FROM unnest($5::bigint[], $6::int[], $7::text[]) AS t(c, l, n)`,
		b.OrgID, b.SubjectID, b.RaterID, b.Kind, pq.Array(ids), pq.Array(levels), pq.Array(notes), at, b.CycleID)
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

// FindEffectiveRatings returns the users' effective ratings as of the time (ratings made
// before it count), by user and framework order. As of a time after the organisation's
// newest rating — as of now, in practice — they are read from the maintained table; as of
// an earlier time they are computed from the history. The answer is the same either way.
func (db *DB) FindEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOf time.Time) ([]app.EffectiveRating, error) {
	if len(userIDs) == 0 {
		return []app.EffectiveRating{}, nil
	}
	k, err := db.ratingClock(ctx, orgID, userIDs)
	if err != nil {
		return nil, err
	}
	us := asOf.Truncate(time.Microsecond).UnixMicro()
	if current(us, k.newest) {
		return db.currentEffectiveRatings(ctx, orgID, userIDs, k)
	}
	out := make([]app.EffectiveRating, 0, len(userIDs)*expectedCompetencies)
	err = db.historyEffectiveRatings(ctx, orgID, userIDs, []int64{us}, func(_ int64, r app.EffectiveRating) {
		out = append(out, r)
	})
	return out, err
}

// current reports whether effective_ratings answers as of a time (µs since the epoch): it
// is later than the organisation's newest rating (zero: it has none), so every rating
// counts, as every rating counts in the table. (The clock and the table are read one after
// the other: a rating committed in between is in the answer, which is then the newer
// state, never a mix of two.)
func current(asOfUS int64, newest time.Time) bool {
	return newest.IsZero() || asOfUS > newest.UnixMicro()
}

// FindEffectiveRatingsSeries returns the users' effective ratings as of each of the times,
// by user and framework order, under the caller's own time values (PostgreSQL keeps
// microseconds; times with the same microsecond share their ratings). The times after the
// organisation's newest rating (FindEffectiveRatings's rule) share one read of the
// maintained table, and one slice; the others are computed from the history
// (db.pastRatings).
func (db *DB) FindEffectiveRatingsSeries(ctx context.Context, orgID int64, userIDs []int64, asOfs []time.Time) (map[time.Time][]app.EffectiveRating, error) {
	out := make(map[time.Time][]app.EffectiveRating, len(asOfs))
	if len(userIDs) == 0 || len(asOfs) == 0 {
		return out, nil
	}
	k, err := db.ratingClock(ctx, orgID, userIDs)
	if err != nil {
		return nil, err
	}
	var past []int64
	now := false
	for _, t := range asOfs {
		if us := t.Truncate(time.Microsecond).UnixMicro(); current(us, k.newest) {
			now = true
		} else if !slices.Contains(past, us) {
			past = append(past, us)
		}
	}
	byTime := make(map[int64][]app.EffectiveRating, len(past))
	if len(past) > 0 {
		err := db.pastRatings(ctx, orgID, k.history, k.fw, userIDs, past, func(us int64, r app.EffectiveRating) {
			if byTime[us] == nil {
				byTime[us] = make([]app.EffectiveRating, 0, len(userIDs)*expectedCompetencies)
			}
			byTime[us] = append(byTime[us], r)
		})
		if err != nil {
			return nil, err
		}
	}
	var present []app.EffectiveRating
	if now {
		if present, err = db.currentEffectiveRatings(ctx, orgID, userIDs, k); err != nil {
			return nil, err
		}
	}
	for _, t := range asOfs {
		us := t.Truncate(time.Microsecond).UnixMicro()
		switch rs := byTime[us]; {
		case !slices.Contains(past, us):
			out[t] = present
		case rs == nil:
			out[t] = []app.EffectiveRating{} // nobody was rated then
		default:
			out[t] = rs
		}
	}
	return out, nil
}

// pastKey names one user's effective ratings as of a past time (µs since the epoch) under
// the organisation's history version and framework order.
type pastKey struct {
	org, history, at, user int64
	order                  string // the framework's keys in order
}

// pastSize is how many users' ratings as of a past time are kept: a team's trend takes its
// members × 6 quarters (about 120 for a team of 20; a kilobyte each).
const pastSize = 8192

// pastRatings hands fn the users' effective ratings as of the past times (µs, each no later
// than the organisation's newest rating), by time, user and framework order. What the
// history said as of such a time changes only when the history version does (a rating
// made now is newer than every past time; migrations/00030), so answers are kept under
// it and only the users and times not kept are computed from the history.
func (db *DB) pastRatings(ctx context.Context, orgID, history int64, fw *framework, userIDs, times []int64, fn func(int64, app.EffectiveRating)) error {
	order := strings.Join(fw.keys, ",")
	users := slices.Sorted(slices.Values(userIDs)) // the query's order
	users = slices.Compact(users)
	slices.Sort(times)
	got := map[pastKey][]app.EffectiveRating{}
	var missTimes, missUsers []int64
	missing := map[int64]bool{}
	for _, at := range times {
		miss := false
		for _, u := range users {
			k := pastKey{orgID, history, at, u, order}
			if rs, ok := db.past.Get(k); ok {
				got[k] = rs
			} else {
				miss, missing[u] = true, true
			}
		}
		if miss {
			missTimes = append(missTimes, at)
		}
	}
	for _, u := range users {
		if missing[u] {
			missUsers = append(missUsers, u)
		}
	}
	if len(missTimes) > 0 {
		computed := map[pastKey][]app.EffectiveRating{}
		err := db.historyEffectiveRatings(ctx, orgID, missUsers, missTimes, func(at int64, r app.EffectiveRating) {
			k := pastKey{orgID, history, at, r.UserID, order}
			computed[k] = append(computed[k], r)
		})
		if err != nil {
			return err
		}
		for _, at := range missTimes {
			for _, u := range missUsers {
				k := pastKey{orgID, history, at, u, order}
				got[k] = computed[k]
				db.past.Add(k, computed[k]) // nil: no rating then, kept too
			}
		}
	}
	for _, at := range times {
		for _, u := range users {
			for _, r := range got[pastKey{orgID, history, at, u, order}] {
				fn(at, r)
			}
		}
	}
	return nil
}

// expectedCompetencies sizes result slices: the shipped framework has 16.
const expectedCompetencies = 16

// historyEffectiveRatings runs findEffectiveRatings as of the times (µs since the epoch)
// and hands fn each row with its time, by time, user and framework order, scanned by hand.
func (db *DB) historyEffectiveRatings(ctx context.Context, orgID int64, userIDs []int64, asOfs []int64, fn func(int64, app.EffectiveRating)) error {
	params := make([]string, len(asOfs))
	for i, us := range asOfs {
		params[i] = time.UnixMicro(us).UTC().Format(time.RFC3339Nano)
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
		fn(asOfUS, r)
	}
	return mapErr(rows.Err())
}
