-- Organisations (tenants), people, sessions, login throttling, teams.

-- +goose Up
CREATE TABLE organisations (
    id         bigserial PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    org_id        bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          text NOT NULL CHECK (role IN ('admin', 'leader', 'pm', 'hr')),
    title         text CHECK (title IN ('apm', 'pm', 'senior_pm', 'principal_pm', 'group_pm')),
    password_hash text NOT NULL DEFAULT '',
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Sign-in is by e-mail alone, so an address belongs to one person across all organisations.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_org_idx ON users (org_id);

CREATE TABLE sessions (
    id         uuid PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    ip         text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Failed sign-ins, counted per account and per address over a sliding window.
CREATE TABLE login_failures (
    id     bigserial PRIMARY KEY,
    email  text NOT NULL,
    ip     text NOT NULL,
    at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (lower(email), at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

CREATE TABLE teams (
    id          bigserial PRIMARY KEY,
    org_id      bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, name)
);

CREATE TABLE team_members (
    team_id  bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('leader', 'member', 'hr_partner')),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

-- +goose Down
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE organisations;
