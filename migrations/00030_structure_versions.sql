-- Two more counters per organisation beside its data version (00011), so that a view rebuilt
-- after a write reads again only what the write can have changed:
--
--   structure_version  bumped by every write to a dashboard input except ratings: people,
--                      teams, memberships, profiles, the framework, targets, settings,
--                      coaching goals, cycles and the team history. An instance keeps these
--                      reads in memory until it hears of a bump (internal/readcache): after a
--                      rating is saved, a dashboard reads only ratings again.
--   history_version    bumped by a write to ratings that can change what the history said as
--                      of a time already past: an UPDATE, a DELETE, or an INSERT of a rating
--                      created no later than the organisation's newest rating so far (a
--                      backdated one). A rating made now only adds to the present, so the
--                      effective ratings as of the ends of past quarters (a trend's points)
--                      are kept in memory under this version (postgres.DB.pastRatings).
--
-- team_rating_versions holds a version per team, bumped by every write to the ratings of
-- one of its people, in the same statement: the organisation view keeps each team's summary
-- under it (insight.Summaries) and, after a rating, reads and analyses again only the teams
-- whose version moved.
--
-- Every bump still bumps version too. An instance hears of structure bumps by the
-- notification "t <org id>" on teamshape_changes (00018), sent on commit like the others;
-- the history version is read with the rating clock each time a view reads the history.
--
-- The ratings triggers ratings_version_* fire before ratings_zz_* (00017, name order), so
-- the rating clock compared against here is the one before this statement moved it.

-- +goose Up
ALTER TABLE org_data_versions
    ADD COLUMN structure_version bigint NOT NULL DEFAULT 1,
    ADD COLUMN history_version   bigint NOT NULL DEFAULT 1;

CREATE TABLE team_rating_versions (
    team_id bigint PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    -- 1 on first write: a team without a row reads as version 0.
    version bigint NOT NULL DEFAULT 1
);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_TABLE_NAME = 'ratings' THEN
        INSERT INTO org_data_versions AS v (org_id, history_version)
        SELECT x.org_id, x.rewrites FROM (
            SELECT r.org_id,
                   CASE WHEN TG_OP <> 'INSERT'
                          OR min(r.created_at) <= (SELECT k.newest_at FROM org_rating_clocks k WHERE k.org_id = r.org_id)
                        THEN 1 ELSE 0 END AS rewrites
            FROM changed_rows r GROUP BY r.org_id
        ) x
        WHERE EXISTS (SELECT FROM organisations WHERE id = x.org_id) ORDER BY x.org_id
        ON CONFLICT (org_id) DO UPDATE
        SET version = v.version + 1, history_version = v.history_version + EXCLUDED.history_version;
        -- After the organisation's row (the order every write takes: no deadlock), in team order.
        INSERT INTO team_rating_versions AS v (team_id)
        SELECT DISTINCT m.team_id FROM team_members m
        WHERE m.user_id IN (SELECT r.subject_id FROM changed_rows r) ORDER BY 1
        ON CONFLICT (team_id) DO UPDATE SET version = v.version + 1;
        RETURN NULL;
    END IF;
    EXECUTE format(
        'INSERT INTO org_data_versions AS v (org_id)
         SELECT DISTINCT o FROM (SELECT %s AS o FROM changed_rows r) x
         WHERE EXISTS (SELECT FROM organisations WHERE id = o) ORDER BY o
         ON CONFLICT (org_id) DO UPDATE SET version = v.version + 1, structure_version = v.structure_version + 1', TG_ARGV[0]);
    RETURN NULL;
END
$fn$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_TABLE_NAME = 'sessions' THEN
        PERFORM pg_notify('teamshape_changes', 's ' || OLD.id);
    ELSIF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('teamshape_changes', 'u ' || OLD.id);
    ELSE
        PERFORM pg_notify('teamshape_changes', 'v ' || NEW.org_id || ' ' || NEW.version);
        IF TG_OP = 'INSERT' THEN
            PERFORM pg_notify('teamshape_changes', 't ' || NEW.org_id);
        ELSIF NEW.structure_version <> OLD.structure_version THEN
            PERFORM pg_notify('teamshape_changes', 't ' || NEW.org_id);
        END IF;
    END IF;
    RETURN NULL;
END
$fn$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_TABLE_NAME = 'sessions' THEN
        PERFORM pg_notify('teamshape_changes', 's ' || OLD.id);
    ELSIF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('teamshape_changes', 'u ' || OLD.id);
    ELSE
        PERFORM pg_notify('teamshape_changes', 'v ' || NEW.org_id || ' ' || NEW.version);
    END IF;
    RETURN NULL;
END
$fn$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format(
        'INSERT INTO org_data_versions AS v (org_id)
         SELECT DISTINCT o FROM (SELECT %s AS o FROM changed_rows r) x
         WHERE EXISTS (SELECT FROM organisations WHERE id = o) ORDER BY o
         ON CONFLICT (org_id) DO UPDATE SET version = v.version + 1', TG_ARGV[0]);
    RETURN NULL;
END
$fn$;
-- +goose StatementEnd
DROP TABLE team_rating_versions;
ALTER TABLE org_data_versions DROP COLUMN history_version, DROP COLUMN structure_version;
