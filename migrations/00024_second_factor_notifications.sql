-- The session cache (internal/sessioncache, 00018) keeps whether an admin must still turn
-- on the second factor their organisation requires (00022). It changes when a person turns
-- their factor on or off, and when an organisation starts or stops requiring it of admins:
-- both now tell every instance, as "u <user id>" for each person concerned, from the
-- transaction that makes the change.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION notify_second_factor() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    admin_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'user_totp' THEN
        IF TG_OP = 'DELETE' THEN
            PERFORM pg_notify('teamshape_changes', 'u ' || OLD.user_id);
        ELSE
            PERFORM pg_notify('teamshape_changes', 'u ' || NEW.user_id);
        END IF;
    ELSE
        FOR admin_id IN SELECT id FROM users WHERE org_id = NEW.id AND role = 'admin' LOOP
            PERFORM pg_notify('teamshape_changes', 'u ' || admin_id);
        END LOOP;
    END IF;
    RETURN NULL;
END
$fn$;
-- +goose StatementEnd

CREATE TRIGGER user_totp_notify AFTER INSERT OR UPDATE OR DELETE ON user_totp FOR EACH ROW
    EXECUTE FUNCTION notify_second_factor();
CREATE TRIGGER organisations_totp_notify AFTER UPDATE ON organisations FOR EACH ROW
    WHEN (OLD.require_admin_totp IS DISTINCT FROM NEW.require_admin_totp)
    EXECUTE FUNCTION notify_second_factor();

-- +goose Down
DROP TRIGGER organisations_totp_notify ON organisations;
DROP TRIGGER user_totp_notify ON user_totp;
DROP FUNCTION notify_second_factor();
