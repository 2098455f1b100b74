-- A version number per organisation for the data its dashboards are computed from. Every
-- statement that writes one of the tables below bumps the version of each organisation it
-- touched, in the same transaction, so a dashboard cached under version N is never served
-- once a change to its inputs has committed. The session lookup reads the version with the
-- caller (no extra query), and the dashboard cache (internal/http/viewcache.go) keys on it.
--
-- The tables are every input of a dashboard: people and their titles and names, teams and
-- memberships, profiles, ratings, the framework and ladder, targets, settings and coaching
-- goals (the open-goal counts). A new dashboard input needs its table added here.

-- +goose Up
CREATE TABLE org_data_versions (
    org_id  bigint PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    -- 1 on first write: an organisation without a row reads as version 0.
    version bigint NOT NULL DEFAULT 1
);

-- bump_data_version(org_expr): org_expr gives the organisation of a changed row r of the
-- statement's transition table changed_rows. Rows are locked in org order (no deadlock
-- between two statements touching the same organisations). An organisation being deleted
-- (its rows go by cascade) has nothing left to version.
-- +goose StatementBegin
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $fn$
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

-- +goose StatementBegin
DO $do$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('users',            'r.org_id'),
        ('teams',            'r.org_id'),
        ('team_members',     '(SELECT org_id FROM teams WHERE id = r.team_id)'),
        ('org_settings',     'r.org_id'),
        ('competency_areas', 'r.org_id'),
        ('competencies',     'r.org_id'),
        ('ladder_levels',    'r.org_id'),
        ('profiles',         '(SELECT org_id FROM users WHERE id = r.user_id)'),
        ('ratings',          'r.org_id'),
        ('team_targets',     '(SELECT org_id FROM teams WHERE id = r.team_id)'),
        ('coaching_plans',   'r.org_id'),
        ('coaching_goals',   '(SELECT org_id FROM coaching_plans WHERE id = r.plan_id)')
    ) AS v (tbl, org_expr)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version(%L)', t.tbl || '_version_ins', t.tbl, t.org_expr);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version(%L)', t.tbl || '_version_upd', t.tbl, t.org_expr);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version(%L)', t.tbl || '_version_del', t.tbl, t.org_expr);
    END LOOP;
END
$do$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $do$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT tgname, tgrelid::regclass AS tbl FROM pg_trigger WHERE tgfoid = 'bump_data_version'::regproc LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.tbl);
    END LOOP;
END
$do$;
-- +goose StatementEnd
DROP FUNCTION bump_data_version();
DROP TABLE org_data_versions;
