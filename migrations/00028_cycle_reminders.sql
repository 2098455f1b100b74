-- Cycle-deadline reminders and frozen trend points (issue 18).
--
-- Reminders: before each deadline of an open assessment cycle
-- (self_due, peer_due, leader_due, review_due) the people who still owe something get a
-- notification of kind cycle_due, keyed "cycle_due:<cycle>:<stage>:user:<id>", so once per
-- person, cycle and deadline by the mechanism of 00026; each person chooses whether it
-- also comes by e-mail.
--
-- Trend points: a closed cycle's snapshot is its quarter's point, so cycles are a dashboard
-- input: a write to them bumps the organisation's data version (00011), and a dashboard
-- cached before a cycle closed is not served after.

-- +goose Up
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest', 'cycle_due'));
ALTER TABLE notification_prefs DROP CONSTRAINT notification_prefs_kind_check;
ALTER TABLE notification_prefs ADD CONSTRAINT notification_prefs_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest', 'cycle_due'));

CREATE TRIGGER cycles_version_ins AFTER INSERT ON cycles REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('r.org_id');
CREATE TRIGGER cycles_version_upd AFTER UPDATE ON cycles REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('r.org_id');
CREATE TRIGGER cycles_version_del AFTER DELETE ON cycles REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('r.org_id');

-- +goose Down
DROP TRIGGER cycles_version_del ON cycles;
DROP TRIGGER cycles_version_upd ON cycles;
DROP TRIGGER cycles_version_ins ON cycles;
DELETE FROM notification_prefs WHERE kind = 'cycle_due';
DELETE FROM notifications WHERE kind = 'cycle_due';
ALTER TABLE notification_prefs DROP CONSTRAINT notification_prefs_kind_check;
ALTER TABLE notification_prefs ADD CONSTRAINT notification_prefs_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest'));
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest'));
