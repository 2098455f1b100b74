-- The audit log: one row per write (who, when, what, before and after), append-only.
-- No code path updates or deletes it, and a trigger refuses UPDATE, DELETE and TRUNCATE.
-- actor_id, team_id and person_id carry no foreign key: the record outlives what it names.

-- +goose Up
CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organisations (id),
    actor_id   bigint,          -- NULL: the system (seed, command line)
    team_id    bigint,          -- the team the write belongs to, where it applies
    person_id  bigint,          -- the person the write is about, where it applies
    action     text NOT NULL CHECK (action ~ '^[a-z_]{1,40}$'),
    entity     text NOT NULL CHECK (entity ~ '^[a-z_]{1,40}$'),
    entity_id  bigint,
    summary    text NOT NULL DEFAULT '',
    before     jsonb,
    after      jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, id DESC);
CREATE INDEX audit_log_team_idx ON audit_log (team_id, id DESC) WHERE team_id IS NOT NULL;
CREATE INDEX audit_log_person_idx ON audit_log (person_id, id DESC) WHERE person_id IS NOT NULL;
CREATE INDEX audit_log_actor_idx ON audit_log (org_id, actor_id, id DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (org_id, entity, entity_id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
