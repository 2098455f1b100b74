-- Structure changes announced by table. 00030 sent "t <org id>" on teamshape_changes for
-- every write to the structure (everything a view is built from other than ratings), and
-- every instance then read all of it again: saving a team's targets, a coaching goal or a
-- profile made the next view of every team re-read the framework, the teams, their people
-- and history (a dozen statements; the team page after a targets save took 5-6 ms p50
-- against 2 after a rating). bump_data_version now sends "t <table>" for the table its
-- statement wrote, before the version bump's own "v" notification, and notify_change no
-- longer sends "t": an instance reads again only what depends on that table
-- (internal/readcache names each read's tables). An instance that reads "t <number>" (the
-- old form) still drops everything.

-- +goose Up
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
    -- Before the version's own notification (sent by notify_change when the row below
    -- changes): an instance that hears of the new version has heard of the table first.
    IF EXISTS (SELECT FROM changed_rows) THEN
        PERFORM pg_notify('teamshape_changes', 't ' || TG_TABLE_NAME);
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
    END IF;
    RETURN NULL;
END
$fn$;
-- +goose StatementEnd

-- +goose Down
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
