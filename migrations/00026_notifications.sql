-- In-app notifications and reminders (issue 18): what the bell shows, and each person's
-- choice of which kinds also come by e-mail.
--
-- key names the occasion ("peer_request:42", "digest:2026-W49:user:7") and is UNIQUE: the
-- reminder sweep that every instance runs inserts with ON CONFLICT (key) DO NOTHING and,
-- only when its insert made the row, enqueues the e-mail in the same transaction with the
-- same key in mail_outbox (00016). So a reminder is one notification and at most one
-- e-mail, however many instances sweep and however often they restart; the outbox worker
-- sends it once and retries it while SMTP fails.

-- +goose Up
CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest')),
    key        text NOT NULL UNIQUE CHECK (key <> ''),
    title      text NOT NULL,
    body       text NOT NULL DEFAULT '',
    link       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- A row overrides the default of app.NotificationKinds for one person and kind.
CREATE TABLE notification_prefs (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL CHECK (kind IN ('peer_request', 'checkin_due', 'sop_review_due', 'stale_ratings', 'digest')),
    email   boolean NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE notifications;
