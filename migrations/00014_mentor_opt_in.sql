-- Mentoring by consent. Until now everyone was suggested as a mentor (where rated 4 or 5)
-- and as a peer to learn with unless they had opted out (mentor_opt_outs), and suggestions
-- said "can teach" (5) or "can coach" (4): a colleague could read exact ratings off them.
-- Now a person is suggested only once they opt in, and as a mentor only in the
-- competencies they offer.
--
-- mentor_consents holds a person's decision: no row, not decided (not suggested); a row
-- with opted_in false, they said no. mentor_offers holds the competencies they offer to
-- mentor in, only while they are opted in: its foreign key on (user_id, opted_in) refuses
-- an offer of someone not opted in, and an opt-out that would leave an offer behind.
--
-- Existing people are not opted in: consent is given, not assumed. The old schema never
-- recorded a "yes" (being listed was the default), and having accepted a mentee is consent
-- to mentor that person, not to be suggested to everyone; so nobody carries over as opted
-- in. Whoever had opted out keeps it as a recorded "no". Mentorships are untouched.
--
-- Not a dashboard input (no dashboard reads mentoring), so no data-version trigger.

-- +goose Up
CREATE TABLE mentor_consents (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    opted_in   boolean NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, opted_in)
);

CREATE TABLE mentor_offers (
    user_id       bigint NOT NULL,
    opted_in      boolean NOT NULL DEFAULT true CHECK (opted_in),
    competency_id bigint NOT NULL REFERENCES competencies (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, competency_id),
    FOREIGN KEY (user_id, opted_in) REFERENCES mentor_consents (user_id, opted_in) ON DELETE CASCADE
);
CREATE INDEX mentor_offers_competency_idx ON mentor_offers (competency_id);

INSERT INTO mentor_consents (user_id, opted_in, updated_at)
SELECT user_id, false, created_at FROM mentor_opt_outs;

DROP TABLE mentor_opt_outs;

-- +goose Down
CREATE TABLE mentor_opt_outs (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- The old schema lists everyone not opted out: rolling back must not list anyone who has
-- not opted in, so everyone else is opted out.
INSERT INTO mentor_opt_outs (user_id)
SELECT u.id FROM users u
WHERE NOT EXISTS (SELECT 1 FROM mentor_consents m WHERE m.user_id = u.id AND m.opted_in);

DROP TABLE mentor_offers;
DROP TABLE mentor_consents;
