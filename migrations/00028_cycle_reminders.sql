-- Cycle-deadline reminders (issue 18): before each deadline of an open assessment cycle
-- (self_due, peer_due, leader_due, review_due) the people who still owe something get a
-- notification of kind cycle_due, keyed "cycle_due:<cycle>:<stage>:user:<id>", so once per
-- person, cycle and deadline by the mechanism of 00026; each person chooses whether it
-- also comes by e-mail.

-- +goose Up
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest', 'cycle_due'));
ALTER TABLE notification_prefs DROP CONSTRAINT notification_prefs_kind_check;
ALTER TABLE notification_prefs ADD CONSTRAINT notification_prefs_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest', 'cycle_due'));

-- +goose Down
DELETE FROM notification_prefs WHERE kind = 'cycle_due';
DELETE FROM notifications WHERE kind = 'cycle_due';
ALTER TABLE notification_prefs DROP CONSTRAINT notification_prefs_kind_check;
ALTER TABLE notification_prefs ADD CONSTRAINT notification_prefs_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest'));
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest'));
