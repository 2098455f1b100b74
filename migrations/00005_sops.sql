-- Operating-model SOPs: one row per SOP pointing at its current revision; every save adds
-- a revision (never updated), so the history is complete and a stale save is detected.

-- +goose Up
CREATE TABLE sops (
    id               bigserial PRIMARY KEY,
    org_id           bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    team_id          bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    revision         int NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- The review date; the cadence counts from the creation or the last review.
    next_review_on   date NOT NULL,
    last_reviewed_at timestamptz,
    last_reviewed_by bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX sops_team_idx ON sops (team_id);
CREATE INDEX sops_review_idx ON sops (org_id, next_review_on);

CREATE TABLE sop_revisions (
    sop_id            bigint NOT NULL REFERENCES sops (id) ON DELETE CASCADE,
    revision          int NOT NULL CHECK (revision >= 1),
    author_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    restored_from     int,
    category          text NOT NULL CHECK (category IN ('intake', 'backlog', 'value_testing', 'product_measurement',
                                                         'user_feedback', 'scaling', 'go_to_market')),
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    purpose           text NOT NULL DEFAULT '',
    owner_id          bigint REFERENCES users (id) ON DELETE SET NULL,
    trigger           text NOT NULL DEFAULT '',
    steps             jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(steps) = 'array'),
    outputs           text NOT NULL DEFAULT '',
    decision_rights   text NOT NULL DEFAULT '',
    escalation        text NOT NULL DEFAULT '',
    metrics           text NOT NULL DEFAULT '',
    review_every_days int NOT NULL CHECK (review_every_days BETWEEN 1 AND 730),
    maturity          text NOT NULL CHECK (maturity IN ('draft', 'documented', 'adopted', 'measured')),
    competencies      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(competencies) = 'array'),
    handshakes        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(handshakes) = 'array'),
    -- Two saves based on the same revision cannot both land.
    PRIMARY KEY (sop_id, revision)
);

-- +goose Down
DROP TABLE sop_revisions;
DROP TABLE sops;
