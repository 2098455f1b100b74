-- Assessment cycles (issue 18): a team's quarterly round of self, peer and leader ratings
-- and a 1:1 per PM, with deadlines. Closing a cycle freezes the team's shape for the
-- quarter in snapshot (the members, their effective ratings, the targets and settings in
-- force, and the figures computed from them), so that later changes never rewrite it.
--
-- Peer requests made for a member while their team's cycle is open carry its id, and so
-- do the peer ratings that answer them: anonymous_peers then hides the raters from the
-- PM (internal/cycles). cycle_agreements is what the leader and the PM agreed in the 1:1,
-- per competency.

-- +goose Up
CREATE TABLE cycles (
    id              bigserial PRIMARY KEY,
    org_id          bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    team_id         bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    quarter         text NOT NULL CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
    self_due        date NOT NULL,
    peer_due        date NOT NULL,
    leader_due      date NOT NULL,
    review_due      date NOT NULL,
    anonymous_peers boolean NOT NULL DEFAULT false,
    opened_by       bigint REFERENCES users (id) ON DELETE SET NULL,
    opened_at       timestamptz NOT NULL DEFAULT now(),
    closed_by       bigint REFERENCES users (id) ON DELETE SET NULL,
    closed_at       timestamptz,
    snapshot        jsonb,
    UNIQUE (team_id, quarter),
    CHECK ((closed_at IS NULL) = (snapshot IS NULL)),
    CHECK (self_due <= review_due AND peer_due <= review_due AND leader_due <= review_due)
);
-- At most one open cycle per team.
CREATE UNIQUE INDEX cycles_open_key ON cycles (team_id) WHERE closed_at IS NULL;
CREATE INDEX cycles_org_idx ON cycles (org_id, opened_at DESC);

ALTER TABLE peer_requests ADD COLUMN cycle_id bigint REFERENCES cycles (id) ON DELETE SET NULL;
CREATE INDEX peer_requests_cycle_idx ON peer_requests (cycle_id, subject_id) WHERE cycle_id IS NOT NULL;
ALTER TABLE ratings ADD COLUMN cycle_id bigint REFERENCES cycles (id) ON DELETE SET NULL;
CREATE INDEX ratings_cycle_idx ON ratings (cycle_id, subject_id) WHERE cycle_id IS NOT NULL;

CREATE TABLE cycle_agreements (
    cycle_id      bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    person_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competency_id bigint NOT NULL REFERENCES competencies (id) ON DELETE CASCADE,
    level         int NOT NULL CHECK (level BETWEEN 0 AND 5),
    decision      text NOT NULL DEFAULT '' CHECK (length(decision) <= 2000),
    decided_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cycle_id, person_id, competency_id)
);

-- +goose Down
DROP TABLE cycle_agreements;
DROP INDEX ratings_cycle_idx;
ALTER TABLE ratings DROP COLUMN cycle_id;
DROP INDEX peer_requests_cycle_idx;
ALTER TABLE peer_requests DROP COLUMN cycle_id;
DROP TABLE cycles;
