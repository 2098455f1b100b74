-- Each rated pair's self and others' levels, maintained beside its effective rating, so that
-- the team's discussion flags (a PM's self rating and the others' level apart by
-- app.FlagDelta or more; app.SummarizeRatings) read one row per pair instead of sorting
-- the team's rating history on every first view of its dashboard after a write.
--
--   self_level    the level of the pair's latest self rating; NULL: none, or "not assessed"
--   others_level  the leader's latest level where it has one, else the lower median of the
--                 peers' latest levels (self excluded); NULL: neither
--
-- The triggers of 00017 keep them in the same statement as every change to ratings: an
-- import's leader ratings settle others_level from the row alone (self_level stays as it
-- was), and refresh_effective_ratings computes both, the self level through
-- ratings_subject_idx like the leader's. TestEffectiveRatingsMaintained holds them equal
-- to app.SummarizeRatings over the history.

-- +goose Up
ALTER TABLE effective_ratings
    ADD COLUMN self_level   int CHECK (self_level BETWEEN 0 AND 5),
    ADD COLUMN others_level int CHECK (others_level BETWEEN 0 AND 5);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_effective_ratings(subjects bigint[], comps bigint[]) RETURNS void
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
           CASE WHEN lead.level IS NOT NULL THEN lead.created_at ELSE o.created_at END AS rated_at,
           own.level AS self_level, COALESCE(lead.level, o.peers) AS others_level
    FROM lead
    CROSS JOIN LATERAL (
        SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x.level) FILTER (WHERE x.level IS NOT NULL) AS level,
               max(x.created_at) FILTER (WHERE x.level IS NOT NULL) AS created_at, count(*) AS raters,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY x.level) FILTER (WHERE x.level IS NOT NULL AND x.kind = 'peer') AS peers
        FROM (SELECT DISTINCT ON (r.rater_id, r.kind) r.kind, r.level, r.created_at FROM ratings r
              WHERE lead.level IS NULL -- read only where the leader's latest has no level
                AND r.subject_id = lead.s AND r.competency_id = lead.c AND r.kind <> 'leader'
              ORDER BY r.rater_id, r.kind, r.created_at DESC, r.id DESC) x
    ) o
    LEFT JOIN LATERAL (
        SELECT r.level FROM ratings r
        WHERE r.subject_id = lead.s AND r.competency_id = lead.c AND r.kind = 'self'
        ORDER BY r.created_at DESC, r.id DESC LIMIT 1
    ) own ON true
    JOIN users u ON u.id = lead.s
    WHERE lead.id IS NOT NULL OR o.raters > 0
),
gone AS (
    DELETE FROM effective_ratings er USING pair
    WHERE er.user_id = pair.s AND er.competency_id = pair.c
      AND NOT EXISTS (SELECT FROM computed x WHERE x.s = pair.s AND x.c = pair.c)
)
INSERT INTO effective_ratings AS er (org_id, user_id, competency_id, level, source, rated_at, leader_id, leader_at, self_level, others_level)
SELECT org_id, s, c, level, source, rated_at, leader_id, leader_at, self_level, others_level FROM computed
ON CONFLICT (user_id, competency_id) DO UPDATE
SET org_id = EXCLUDED.org_id, level = EXCLUDED.level, source = EXCLUDED.source, rated_at = EXCLUDED.rated_at,
    leader_id = EXCLUDED.leader_id, leader_at = EXCLUDED.leader_at,
    self_level = EXCLUDED.self_level, others_level = EXCLUDED.others_level
WHERE (er.org_id, er.level, er.source, er.rated_at, er.leader_id, er.leader_at, er.self_level, er.others_level)
      IS DISTINCT FROM (EXCLUDED.org_id, EXCLUDED.level, EXCLUDED.source, EXCLUDED.rated_at, EXCLUDED.leader_id, EXCLUDED.leader_at,
                        EXCLUDED.self_level, EXCLUDED.others_level)
$fn$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION maintain_effective_ratings() RETURNS trigger LANGUAGE plpgsql SET work_mem = '64MB' AS $fn$
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
            INSERT INTO effective_ratings AS er (org_id, user_id, competency_id, level, source, rated_at, leader_id, leader_at, others_level)
            SELECT n.org_id, n.subject_id, n.competency_id, n.level, 'leader', n.created_at, n.id, n.created_at, n.level
            FROM newest n
            WHERE n.level IS NOT NULL
              AND NOT EXISTS (SELECT FROM others o WHERE o.subject_id = n.subject_id AND o.competency_id = n.competency_id)
            ON CONFLICT (user_id, competency_id) DO UPDATE
            SET org_id = EXCLUDED.org_id, level = EXCLUDED.level, source = EXCLUDED.source, rated_at = EXCLUDED.rated_at,
                leader_id = EXCLUDED.leader_id, leader_at = EXCLUDED.leader_at, others_level = EXCLUDED.others_level
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

-- Filled from the history as it stands.
SELECT refresh_effective_ratings(array_agg(subject_id), array_agg(competency_id))
FROM (SELECT DISTINCT subject_id, competency_id FROM ratings) p;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_effective_ratings(subjects bigint[], comps bigint[]) RETURNS void
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION maintain_effective_ratings() RETURNS trigger LANGUAGE plpgsql SET work_mem = '64MB' AS $fn$
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

ALTER TABLE effective_ratings DROP COLUMN self_level, DROP COLUMN others_level;
