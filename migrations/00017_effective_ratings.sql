-- Effective ratings maintained, not recomputed. effective_ratings holds a row for each
-- (person, competency) with at least one rating: the person's current effective rating
-- there, by the rule stated once in app.EffectiveRatings (internal/app/effective.go) — the
-- leader's latest rating where it has a level, else the lower median of every other
-- rater's latest level; level, source and rated_at are NULL where that leaves the person
-- not assessed. Views as of now read the rows with a level; views of the past (and
-- trends) still compute from the ratings history (findEffectiveRatings).
--
-- Statement-level triggers on ratings keep it current in the same transaction as every
-- change to ratings, whichever path makes it: RecordRatings, the CSV import's COPY, the
-- demo seed, plain SQL, and the deletions that cascade from users and organisations. Each
-- touches only the pairs its statement touched:
--
--   - pairs an INSERT rated with leader ratings only, the newest of them with a level (an
--     import, a leader's batch), are settled from the row alone: the newest leader rating
--     wins if it is newer than the row's (leader_id, leader_at), else nothing changes. No
--     pair has ratings without a row, so a pair without one had none. This keeps a
--     100,000-rating import to one sort of its rows and one upsert, without reading the
--     history;
--   - every other pair (self and peer ratings, "not assessed", updates, deletions) is
--     recomputed by refresh_effective_ratings, which reads its latest ratings through
--     ratings_subject_idx.
--
-- The stored value is the rule alone. What a view shows of it (archived competencies,
-- leads-only scope, disclosure) is applied when reading, as before: archiving a
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
    -- The effective rating; all three NULL: not assessed.
    level         int CHECK (level BETWEEN 0 AND 5),
    source        text CHECK (source IN ('leader', 'others')),
    rated_at      timestamptz,
    -- rated_at in µs since the epoch, as the store reads it: an organisation's rollup reads
    -- tens of thousands, and formatting them as times costs PostgreSQL more than as numbers.
    rated_us      bigint GENERATED ALWAYS AS ((extract(epoch FROM rated_at AT TIME ZONE 'UTC') * 1000000)::bigint) STORED,
    -- The latest leader rating, whatever its level; NULL: there is none.
    leader_id     bigint,
    leader_at     timestamptz,
    PRIMARY KEY (user_id, competency_id),
    CHECK ((level IS NULL) = (source IS NULL) AND (level IS NULL) = (rated_at IS NULL)),
    CHECK ((leader_id IS NULL) = (leader_at IS NULL))
) WITH (fillfactor = 80); -- room for HOT updates: a new rating rewrites its row in place

CREATE TABLE org_rating_clocks (
    org_id    bigint PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    newest_at timestamptz NOT NULL
);

-- refresh_effective_ratings recomputes the row of each (subject, competency) pair given
-- (the arrays are zipped; repeats are fine) from the ratings as they stand: inserted,
-- updated where it changed, or deleted when the pair has no rating left (or the person no
-- longer exists). It follows the rule as findEffectiveRatings does, for a few pairs at a
-- time, each through ratings_subject_idx: the leader's latest is the index's first leader
-- entry, and the others' median is computed only where that has no level.
-- +goose StatementBegin
CREATE FUNCTION refresh_effective_ratings(subjects bigint[], comps bigint[]) RETURNS void
LANGUAGE sql AS $fn$
WITH pair AS (
    SELECT DISTINCT s, c FROM unnest(subjects, comps) AS p (s, c)
),
lead AS (
    SELECT pair.s, pair.c, l.id, l.level, l.created_at
    FROM pair LEFT JOIN LATERAL (
        SELECT r.id, r.level, r.created_at FROM ratings r
        WHERE r.subject_id = pair.s AND r.competency_id = pair.c AND r.kind = 'leader'
        ORDER BY r.created_at DESC, r.id DESC LIMIT 1
    ) l ON true
),
computed AS (
    SELECT u.org_id, lead.s, lead.c, lead.id AS leader_id, lead.created_at AS leader_at,
           CASE WHEN lead.level IS NOT NULL THEN lead.level ELSE o.level END AS level,
           CASE WHEN lead.level IS NOT NULL THEN 'leader' WHEN o.level IS NOT NULL THEN 'others' END AS source,
           CASE WHEN lead.level IS NOT NULL THEN lead.created_at ELSE o.created_at END AS rated_at
    FROM lead
    CROSS JOIN LATERAL (
        SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x.level) FILTER (WHERE x.level IS NOT NULL) AS level,
               max(x.created_at) FILTER (WHERE x.level IS NOT NULL) AS created_at, count(*) AS raters
        FROM (SELECT DISTINCT ON (r.rater_id, r.kind) r.level, r.created_at FROM ratings r
              WHERE lead.level IS NULL -- read only where the leader's latest has no level
                AND r.subject_id = lead.s AND r.competency_id = lead.c AND r.kind <> 'leader'
              ORDER BY r.rater_id, r.kind, r.created_at DESC, r.id DESC) x
    ) o
    JOIN users u ON u.id = lead.s
    WHERE lead.id IS NOT NULL OR o.raters > 0
),
gone AS (
    DELETE FROM effective_ratings er USING pair
    WHERE er.user_id = pair.s AND er.competency_id = pair.c
      AND NOT EXISTS (SELECT FROM computed x WHERE x.s = pair.s AND x.c = pair.c)
)
INSERT INTO effective_ratings AS er (org_id, user_id, competency_id, level, source, rated_at, leader_id, leader_at)
SELECT org_id, s, c, level, source, rated_at, leader_id, leader_at FROM computed
ON CONFLICT (user_id, competency_id) DO UPDATE
SET org_id = EXCLUDED.org_id, level = EXCLUDED.level, source = EXCLUDED.source, rated_at = EXCLUDED.rated_at,
    leader_id = EXCLUDED.leader_id, leader_at = EXCLUDED.leader_at
WHERE (er.org_id, er.level, er.source, er.rated_at, er.leader_id, er.leader_at)
      IS DISTINCT FROM (EXCLUDED.org_id, EXCLUDED.level, EXCLUDED.source, EXCLUDED.rated_at, EXCLUDED.leader_id, EXCLUDED.leader_at)
$fn$;
-- +goose StatementEnd

-- maintain_effective_ratings is the statement-level trigger on ratings. An INSERT settles
-- the pairs it rated with leader ratings only (the newest with a level) from their rows,
-- and refreshes the others; an UPDATE refreshes the pairs of the rows before and after, a
-- DELETE those of the rows deleted. An INSERT or UPDATE moves the organisation's clock
-- forward to its newest creation time. Its work_mem keeps an import's sort of its rows in
-- memory (100,000 take 11 MB; the default 4 MB would spill them to disk).
-- +goose StatementBegin
CREATE FUNCTION maintain_effective_ratings() RETURNS trigger LANGUAGE plpgsql SET work_mem = '64MB' AS $fn$
DECLARE
    subjects bigint[];
    comps    bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM effective_ratings;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        WITH newest AS ( -- each pair's newest leader rating in the statement
            SELECT DISTINCT ON (subject_id, competency_id) org_id, subject_id, competency_id, id, level, created_at
            FROM new_rows WHERE kind = 'leader'
            ORDER BY subject_id, competency_id, created_at DESC, id DESC
        ),
        others AS (
            SELECT DISTINCT subject_id, competency_id FROM new_rows WHERE kind <> 'leader'
        ),
        settled AS (
            INSERT INTO effective_ratings AS er (org_id, user_id, competency_id, level, source, rated_at, leader_id, leader_at)
            SELECT n.org_id, n.subject_id, n.competency_id, n.level, 'leader', n.created_at, n.id, n.created_at
            FROM newest n
            WHERE n.level IS NOT NULL
              AND NOT EXISTS (SELECT FROM others o WHERE o.subject_id = n.subject_id AND o.competency_id = n.competency_id)
            ON CONFLICT (user_id, competency_id) DO UPDATE
            SET org_id = EXCLUDED.org_id, level = EXCLUDED.level, source = EXCLUDED.source, rated_at = EXCLUDED.rated_at,
                leader_id = EXCLUDED.leader_id, leader_at = EXCLUDED.leader_at
            WHERE er.leader_at IS NULL OR (EXCLUDED.leader_at, EXCLUDED.leader_id) > (er.leader_at, er.leader_id)
        )
        SELECT array_agg(subject_id), array_agg(competency_id) INTO subjects, comps
        FROM (SELECT subject_id, competency_id FROM newest WHERE level IS NULL
              UNION SELECT subject_id, competency_id FROM others) p;
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
