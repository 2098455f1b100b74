-- A hiring brief a team's leader shared with HR: the name-free Markdown of the team's
-- hiring gaps as they stood when shared. HR partners see figures of fewer than three
-- people only through such a brief, never computed live from the ratings
-- (docs/PRIVACY.md). Each share is a new row; the latest is shown.

-- +goose Up
CREATE TABLE hiring_briefs (
    id        bigserial PRIMARY KEY,
    org_id    bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    team_id   bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    shared_by bigint REFERENCES users (id) ON DELETE SET NULL,
    shared_at timestamptz NOT NULL DEFAULT now(),
    brief     text NOT NULL
);
CREATE INDEX hiring_briefs_team_idx ON hiring_briefs (team_id, shared_at DESC, id DESC);
CREATE INDEX hiring_briefs_shared_by_idx ON hiring_briefs (shared_by);

-- +goose Down
DROP TABLE hiring_briefs;
