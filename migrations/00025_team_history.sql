-- Honest trends (issue 18): a team's membership and targets as they were at any time.
--
-- team_member_history and team_target_history keep one row per period a person held a
-- team role, or a target held its values: [valid_from, valid_to), valid_to NULL while it
-- lasts. Row-level triggers on team_members and team_targets write them in the
-- transaction of every change, whichever path makes it (the API, the CSV import, the demo
-- seed, plain SQL). A trend point as of time t counts the periods with
-- valid_from < t AND (valid_to IS NULL OR valid_to >= t), as ratings made before t count.
--
-- A membership starts at team_members.added_at (the seed and tests may date it); a
-- target starts when it is written. Rows that exist when this migration runs start at
-- added_at and at the team's creation: nothing older is known.

-- +goose Up
CREATE TABLE team_member_history (
    id         bigserial PRIMARY KEY,
    team_id    bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('leader', 'member', 'hr_partner')),
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX team_member_history_open_idx ON team_member_history (team_id, user_id) WHERE valid_to IS NULL;
CREATE INDEX team_member_history_team_idx ON team_member_history (team_id, valid_from);

CREATE TABLE team_target_history (
    id            bigserial PRIMARY KEY,
    team_id       bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    competency_id bigint NOT NULL REFERENCES competencies (id) ON DELETE CASCADE,
    coverage      int NOT NULL,
    depth         int NOT NULL,
    criticality   int NOT NULL,
    valid_from    timestamptz NOT NULL,
    valid_to      timestamptz,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX team_target_history_open_idx ON team_target_history (team_id, competency_id) WHERE valid_to IS NULL;
CREATE INDEX team_target_history_team_idx ON team_target_history (team_id, valid_from);

INSERT INTO team_member_history (team_id, user_id, role, valid_from)
SELECT team_id, user_id, role, added_at FROM team_members;
INSERT INTO team_target_history (team_id, competency_id, coverage, depth, criticality, valid_from)
SELECT tt.team_id, tt.competency_id, tt.coverage, tt.depth, tt.criticality, t.created_at
FROM team_targets tt JOIN teams t ON t.id = tt.team_id;

-- +goose StatementBegin
CREATE FUNCTION record_team_member_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.role = OLD.role THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE team_member_history SET valid_to = GREATEST(now(), valid_from)
        WHERE team_id = OLD.team_id AND user_id = OLD.user_id AND valid_to IS NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO team_member_history (team_id, user_id, role, valid_from)
        VALUES (NEW.team_id, NEW.user_id, NEW.role, CASE WHEN TG_OP = 'INSERT' THEN NEW.added_at ELSE now() END);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER team_members_history AFTER INSERT OR UPDATE OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION record_team_member_history();

-- +goose StatementBegin
CREATE FUNCTION record_team_target_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.coverage, NEW.depth, NEW.criticality) = (OLD.coverage, OLD.depth, OLD.criticality) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE team_target_history SET valid_to = GREATEST(now(), valid_from)
        WHERE team_id = OLD.team_id AND competency_id = OLD.competency_id AND valid_to IS NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO team_target_history (team_id, competency_id, coverage, depth, criticality, valid_from)
        VALUES (NEW.team_id, NEW.competency_id, NEW.coverage, NEW.depth, NEW.criticality, now());
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER team_targets_history AFTER INSERT OR UPDATE OR DELETE ON team_targets
    FOR EACH ROW EXECUTE FUNCTION record_team_target_history();

-- Dashboards read the history (their trends): a write to it bumps the organisation's data
-- version as every other dashboard input does (00011). The triggers above write it in the
-- statement that bumps team_members' or team_targets' version already; a direct UPDATE
-- (BackdateTeamHistory, plain SQL) bumps it here.
-- +goose StatementBegin
DO $do$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['team_member_history', 'team_target_history'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version(%L)', t || '_version_ins', t, '(SELECT org_id FROM teams WHERE id = r.team_id)');
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version(%L)', t || '_version_upd', t, '(SELECT org_id FROM teams WHERE id = r.team_id)');
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version(%L)', t || '_version_del', t, '(SELECT org_id FROM teams WHERE id = r.team_id)');
    END LOOP;
END
$do$;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER team_targets_history ON team_targets;
DROP TRIGGER team_members_history ON team_members;
DROP FUNCTION record_team_target_history();
DROP FUNCTION record_team_member_history();
DROP TABLE team_target_history;
DROP TABLE team_member_history;
