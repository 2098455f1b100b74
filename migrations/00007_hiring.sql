-- Requisitions: an HR partner opens one against a team's suggested hire (a snapshot of the
-- hire profile) and moves it through open → interviewing → offer → filled, or cancels it.

-- +goose Up
CREATE TABLE requisitions (
    id            bigserial PRIMARY KEY,
    org_id        bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    team_id       bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- Competency keys as they were: a snapshot survives renames and archiving.
    spike         text NOT NULL CHECK (spike ~ '^[a-z][a-z0-9_]{1,39}$'),
    must_haves    text[] NOT NULL DEFAULT '{}' CHECK (cardinality(must_haves) <= 3),
    brief         text NOT NULL CHECK (length(brief) BETWEEN 1 AND 4000),
    score_removed double precision NOT NULL CHECK (score_removed >= 0 AND score_removed < 1000),
    notes         text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    status        text NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'interviewing', 'offer', 'filled', 'cancelled')),
    created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requisitions_org_idx ON requisitions (org_id, created_at DESC);
CREATE INDEX requisitions_team_idx ON requisitions (team_id, created_at DESC);

-- +goose Down
DROP TABLE requisitions;
