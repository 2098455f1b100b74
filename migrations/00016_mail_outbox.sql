-- The e-mail outbox: every message Teamshape sends is first a row here, written in the
-- transaction of the change that causes it (an invitation, a reminder), then sent by the
-- worker of internal/mail, which any number of instances run at once: each takes due
-- rows with FOR UPDATE SKIP LOCKED and marks a row sent in the transaction that held its
-- lock (docs/RELIABILITY.md, "E-mail").
--
-- key makes enqueueing idempotent ("reminder:2026-Q4:user:42"): a second insert with the
-- same key is a no-op, so a job that runs twice, or on two instances, queues one e-mail.
-- NULL keys never conflict. message_id is the Message-ID header, fixed at enqueue so that
-- every attempt sends the same one.

-- +goose Up
CREATE TABLE mail_outbox (
    id              bigserial PRIMARY KEY,
    key             text UNIQUE,
    message_id      text NOT NULL UNIQUE,
    to_addr         text NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK (key <> '')
);
-- The worker's question, "which pending message is due first?", reads only this index.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';

-- +goose Down
DROP TABLE mail_outbox;
