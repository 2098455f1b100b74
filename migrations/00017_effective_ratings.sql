-- Effective ratings maintained, not recomputed. effective_ratings holds each person's
-- current effective rating per competency, by the rule stated once in app.EffectiveRatings
-- (internal/app/effective.go): the leader's latest rating where it has a level, else the
-- lower median of every other rater's latest level. A person with no effective rating in a
-- competency ("not assessed") has no row. Views as of now read this table; views of the
-- past (and trends) still compute from the ratings history (findEffectiveRatings).
--
-- Statement-level triggers on ratings keep it current in the same transaction as every
-- change to ratings, whichever path makes it: RecordRatings, the CSV import's COPY, the
-- demo seed, plain SQL, and the deletions that cascade from users and organisations. Each
-- recomputes only the (person, competency) pairs its statement touched.
--
-- The stored value is the rule alone. What a view shows of it (archived competencies,
-- leads-only scope, disclosure) is applied when reading, as before; archiving a
-- competency changes no row here.
--
-- org_rating_clocks holds, per organisation, the creation time of its newest rating (never
-- lowered: a deletion leaves it as it was). effective_ratings is the history's answer as
-- of any time after it, so the store reads the table for an as-of time later than the
-- clock and the history otherwise (a backdated or future rating, or another instance's
-- clock running ahead, sends a view to the history until the time has passed).
--
-- Neither table bumps the organisation's data version (00011): both change only with
-- ratings, whose own triggers bump it. The triggers here are named ratings_zz_* so that
-- they fire after ratings_version_* (PostgreSQL fires a table's triggers in name order):
-- a statement locks its organisation's version row before any row here, the order every
-- write to a dashboard input takes, so two transactions writing one organisation's
-- ratings never deadlock over these rows, and one at REPEATABLE READ or above fails on the
-- version row (a serialisation failure, retried) before computing from a stale snapshot.

-- +goose Up
CREATE TABLE effective_ratings (
    org_id        bigint NOT NULL,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competency_id bigint NOT NULL,
    level         int NOT NULL CHECK (level BETWEEN 0 AND 5),
    source        text NOT NULL CHECK (source IN ('leader', 'others')),
    rated_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, competency_id)
) WITH (fillfactor = 80); -- room for HOT updates: a new rating rewrites its row in place

CREATE TABLE org_rating_clocks (
    org_id    bigint PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    newest_at timestamptz NOT NULL
);

-- refresh_effective_ratings recomputes the effective rating of each (subject, competency)
-- pair given (the arrays are zipped; repeats are fine) from the ratings as they stand, and
-- stores it: inserted, updated where it changed, or deleted when the pair has none (or the
-- person no longer exists). The SQL follows the rule as findEffectiveRatings does, for a
-- few pairs at a time, each by ratings_subject_idx: the leader's latest is the index's
-- first leader entry, and the others' median is computed only where that has no level.
-- +goose StatementBegin
CREATE FUNCTION refresh_effective_ratings(subjects bigint[], comps bigint[]) RETURNS void
LANGUAGE sql AS $fn$
WITH pair AS (
    SELECT DISTINCT s, c FROM unnest(subjects, comps) AS p (s, c)
),
lead AS (
    SELECT pair.s, pair.c, l.level, l.created_at
    FROM pair LEFT JOIN LATERAL (
        SELECT r.level, r.created_at FROM ratings r
        WHERE r.subject_id = pair.s AND r.competency_id = pair.c AND r.kind = 'leader'
        ORDER BY r.created_at DESC, r.id DESC LIMIT 1
    ) l ON true
),
others AS (
    SELECT lead.s, lead.c, o.level, o.created_at
    FROM lead CROSS JOIN LATERAL (
        SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x.level) AS level, max(x.created_at) AS created_at
        FROM (SELECT DISTINCT ON (r.rater_id, r.kind) r.level, r.created_at FROM ratings r
              WHERE r.subject_id = lead.s AND r.competency_id = lead.c AND r.kind <> 'leader'
              ORDER BY r.rater_id, r.kind, r.created_at DESC, r.id DESC) x
        WHERE x.level IS NOT NULL
    ) o
    WHERE lead.level IS NULL AND o.level IS NOT NULL
),
effective AS (
    SELECT u.org_id, e.s, e.c, e.level, e.source, e.rated_at
    FROM (SELECT s, c, level, 'leader' AS source, created_at AS rated_at FROM lead WHERE level IS NOT NULL
          UNION ALL
          SELECT s, c, level, 'others', created_at FROM others) e
    JOIN users u ON u.id = e.s
),
gone AS (
    DELETE FROM effective_ratings er USING pair
    WHERE er.user_id = pair.s AND er.competency_id = pair.c
      AND NOT EXISTS (SELECT FROM effective e WHERE e.s = pair.s AND e.c = pair.c)
)
INSERT INTO effective_ratings AS er (org_id, user_id, competency_id, level, source, rated_at)
SELECT org_id, s, c, level, source, rated_at FROM effective
ON CONFLICT (user_id, competency_id) DO UPDATE
SET org_id = EXCLUDED.org_id, level = EXCLUDED.level, source = EXCLUDED.source, rated_at = EXCLUDED.rated_at
WHERE (er.org_id, er.level, er.source, er.rated_at)
      IS DISTINCT FROM (EXCLUDED.org_id, EXCLUDED.level, EXCLUDED.source, EXCLUDED.rated_at)
$fn$;
-- +goose StatementEnd

-- maintain_effective_ratings is the statement-level trigger on ratings: the pairs of the
-- rows inserted, deleted or updated (before and after) are refreshed, and an insert or
-- update moves the organisation's clock forward to its newest creation time.
-- +goose StatementBegin
CREATE FUNCTION maintain_effective_ratings() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    subjects bigint[];
    comps    bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM effective_ratings;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(subject_id), array_agg(competency_id) INTO subjects, comps
        FROM (SELECT DISTINCT subject_id, competency_id FROM new_rows) p;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(subject_id), array_agg(competency_id) INTO subjects, comps
        FROM (SELECT DISTINCT subject_id, competency_id FROM old_rows) p;
    ELSE
        SELECT array_agg(subject_id), array_agg(competency_id) INTO subjects, comps
        FROM (SELECT subject_id, competency_id FROM old_rows
              UNION SELECT subject_id, competency_id FROM new_rows) p;
    END IF;
    IF subjects IS NOT NULL THEN
        PERFORM refresh_effective_ratings(subjects, comps);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO org_rating_clocks AS k (org_id, newest_at)
        SELECT org_id, max(created_at) FROM new_rows
        WHERE EXISTS (SELECT FROM organisations o WHERE o.id = new_rows.org_id)
        GROUP BY org_id ORDER BY org_id
        ON CONFLICT (org_id) DO UPDATE SET newest_at = EXCLUDED.newest_at
        WHERE k.newest_at < EXCLUDED.newest_at;
    END IF;
    RETURN NULL;
END
$fn$;
-- +goose StatementEnd

CREATE TRIGGER ratings_zz_effective_ins AFTER INSERT ON ratings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION maintain_effective_ratings();
CREATE TRIGGER ratings_zz_effective_upd AFTER UPDATE ON ratings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION maintain_effective_ratings();
CREATE TRIGGER ratings_zz_effective_del AFTER DELETE ON ratings REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION maintain_effective_ratings();
CREATE TRIGGER ratings_zz_effective_truncate AFTER TRUNCATE ON ratings
    FOR EACH STATEMENT EXECUTE FUNCTION maintain_effective_ratings();

-- Filled from the history as it stands: every pair that has a rating, and every
-- organisation's clock.
SELECT refresh_effective_ratings(array_agg(subject_id), array_agg(competency_id))
FROM (SELECT DISTINCT subject_id, competency_id FROM ratings) p;
INSERT INTO org_rating_clocks (org_id, newest_at)
SELECT org_id, max(created_at) FROM ratings GROUP BY org_id;

-- +goose Down
DROP TRIGGER ratings_zz_effective_truncate ON ratings;
DROP TRIGGER ratings_zz_effective_del ON ratings;
DROP TRIGGER ratings_zz_effective_upd ON ratings;
DROP TRIGGER ratings_zz_effective_ins ON ratings;
DROP FUNCTION maintain_effective_ratings();
DROP FUNCTION refresh_effective_ratings(bigint[], bigint[]);
DROP TABLE org_rating_clocks;
DROP TABLE effective_ratings;
