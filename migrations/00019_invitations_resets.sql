-- Accounts as in any serious SaaS (issue 17, part A): invitations, password resets by
-- e-mail, and when each session was last seen (the Security page lists them).
--
-- Tokens sent by e-mail are never stored: only their SHA-256 (token_hash), so a copy of
-- the database opens no invitation and resets no password. A token is 32 random bytes,
-- so a plain hash (no salt, no stretching) is enough.

-- +goose Up
-- An invitation: whom (e-mail, name, role and, optionally, a team), who invited, until
-- when it may be accepted. At most one open (neither accepted nor revoked) per address
-- and organisation; resending renews its token and expiry.
CREATE TABLE invitations (
    id          bigserial PRIMARY KEY,
    org_id      bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email       text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role        text NOT NULL CHECK (role IN ('admin', 'leader', 'pm', 'hr')),
    team_id     bigint REFERENCES teams (id) ON DELETE SET NULL,
    invited_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    user_id     bigint REFERENCES users (id) ON DELETE SET NULL, -- the account accepting made
    revoked_at  timestamptz,
    CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
CREATE UNIQUE INDEX invitations_open_key ON invitations (org_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- A password reset: single-use, short-lived, for one account.
CREATE TABLE password_resets (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id) WHERE used_at IS NULL;

-- Reset requests, counted per address and per e-mail over a sliding window (whether or
-- not the e-mail has an account), like login_failures.
CREATE TABLE password_reset_requests (
    id    bigserial PRIMARY KEY,
    email text NOT NULL,
    ip    text NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_reset_requests_email_idx ON password_reset_requests (lower(email), at);
CREATE INDEX password_reset_requests_ip_idx ON password_reset_requests (ip, at);

-- Last seen: touched at most once a minute by the request that finds the session.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- +goose Down
ALTER TABLE sessions DROP COLUMN last_seen_at;
DROP TABLE password_reset_requests;
DROP TABLE password_resets;
DROP TABLE invitations;
