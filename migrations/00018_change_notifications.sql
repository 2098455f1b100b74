-- Change notifications for the caches every server instance keeps in memory (sessions,
-- their users, each organisation's data version: internal/sessioncache). Triggers send them
-- on the channel teamshape_changes from the transaction that makes the change, whatever path
-- makes it, so PostgreSQL delivers them when, and only if, it commits, in commit order:
--
--   s <session id>       a session revoked, its expiry moved, or deleted
--   u <user id>          a user's role, activity, name, e-mail or organisation changed, or the user deleted
--   v <org id> <version> an organisation's data version bumped (00011)
--
-- An instance also sends itself "b <instance> <n>" (a barrier) after each write request it
-- serves: when that arrives, every change committed before has arrived too.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
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

CREATE TRIGGER sessions_notify_upd AFTER UPDATE ON sessions FOR EACH ROW
    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
          OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION notify_change();
CREATE TRIGGER sessions_notify_del AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER users_notify_upd AFTER UPDATE ON users FOR EACH ROW
    WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.active IS DISTINCT FROM NEW.active OR OLD.name IS DISTINCT FROM NEW.name
          OR OLD.email IS DISTINCT FROM NEW.email OR OLD.org_id IS DISTINCT FROM NEW.org_id)
    EXECUTE FUNCTION notify_change();
CREATE TRIGGER users_notify_del AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER org_data_versions_notify AFTER INSERT OR UPDATE ON org_data_versions FOR EACH ROW
    EXECUTE FUNCTION notify_change();

-- +goose Down
DROP TRIGGER org_data_versions_notify ON org_data_versions;
DROP TRIGGER users_notify_del ON users;
DROP TRIGGER users_notify_upd ON users;
DROP TRIGGER sessions_notify_del ON sessions;
DROP TRIGGER sessions_notify_upd ON sessions;
DROP FUNCTION notify_change();
