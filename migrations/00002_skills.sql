-- Competency framework, career ladder, profiles, ratings (append-only), peer requests, targets.

-- +goose Up
CREATE TABLE org_settings (
    org_id           bigint PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    breadth          int NOT NULL DEFAULT 3 CHECK (breadth BETWEEN 1 AND 5),
    depth            int NOT NULL DEFAULT 4 CHECK (depth BETWEEN 1 AND 5),
    require_evidence boolean NOT NULL DEFAULT false
);

CREATE TABLE competency_areas (
    id       bigserial PRIMARY KEY,
    org_id   bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    key      text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    position int NOT NULL DEFAULT 0,
    UNIQUE (org_id, key)
);

CREATE TABLE competencies (
    id         bigserial PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    area_id    bigint NOT NULL REFERENCES competency_areas (id),
    key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    definition text NOT NULL DEFAULT '',
    importance int NOT NULL DEFAULT 2 CHECK (importance BETWEEN 1 AND 3),
    leads_only boolean NOT NULL DEFAULT false,
    archived   boolean NOT NULL DEFAULT false,
    position   int NOT NULL DEFAULT 0,
    UNIQUE (org_id, key)
);

-- Expected level per title and competency: the career ladder.
CREATE TABLE ladder_levels (
    org_id        bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title         text NOT NULL CHECK (title IN ('apm', 'pm', 'senior_pm', 'principal_pm', 'group_pm')),
    competency_id bigint NOT NULL REFERENCES competencies (id) ON DELETE CASCADE,
    level         int NOT NULL CHECK (level BETWEEN 0 AND 5),
    PRIMARY KEY (org_id, title, competency_id)
);

CREATE TABLE profiles (
    user_id         bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    background      text CHECK (background IN ('sales', 'marketing', 'business_analysis', 'development',
                                               'ux_design', 'qa', 'project_management', 'other')),
    role_started_on date,
    specialisms     text[] NOT NULL DEFAULT '{}',
    spikes          text[] NOT NULL DEFAULT '{}' CHECK (cardinality(spikes) <= 2),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every rating is a new row; level NULL records "not assessed" (a withdrawn rating), never 0.
CREATE TABLE ratings (
    id            bigserial PRIMARY KEY,
    org_id        bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    subject_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rater_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('self', 'leader', 'peer')),
    competency_id bigint NOT NULL REFERENCES competencies (id),
    level         int CHECK (level BETWEEN 0 AND 5),
    note          text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ratings_subject_idx ON ratings (subject_id, competency_id, kind, created_at DESC, id DESC);

CREATE TABLE peer_requests (
    id           bigserial PRIMARY KEY,
    org_id       bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    subject_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reviewer_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    requested_by bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message      text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'declined')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    answered_at  timestamptz,
    CHECK (subject_id <> reviewer_id)
);
CREATE INDEX peer_requests_reviewer_idx ON peer_requests (reviewer_id, status);

-- Per team and competency: minimum coverage, minimum depth, criticality. Absent = defaults.
CREATE TABLE team_targets (
    team_id       bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    competency_id bigint NOT NULL REFERENCES competencies (id) ON DELETE CASCADE,
    coverage      int NOT NULL CHECK (coverage BETWEEN 0 AND 50),
    depth         int NOT NULL CHECK (depth BETWEEN 0 AND 5),
    criticality   int NOT NULL CHECK (criticality BETWEEN 1 AND 3),
    PRIMARY KEY (team_id, competency_id)
);

-- +goose Down
DROP TABLE team_targets;
DROP TABLE peer_requests;
DROP TABLE ratings;
DROP TABLE profiles;
DROP TABLE ladder_levels;
DROP TABLE competencies;
DROP TABLE competency_areas;
DROP TABLE org_settings;
