-- Career growth: a PM's roles as a portfolio of spikes, the organisation's learning
-- resources (hit-lists), mentorships and who opted out of being suggested as a mentor.

-- +goose Up
-- Roles never overlap: the service checks it under a lock on the person (SELECT … FOR
-- UPDATE on users), so the rule lives in one place (app.CheckCareerRole).
CREATE TABLE career_roles (
    id         bigserial PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company    text NOT NULL CHECK (length(company) BETWEEN 1 AND 200),
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    started_on date NOT NULL,
    ended_on   date CHECK (ended_on > started_on),
    industry   text NOT NULL DEFAULT '' CHECK (length(industry) <= 100),
    market     text NOT NULL CHECK (market IN ('b2b', 'b2c', 'both')),
    specialism text NOT NULL DEFAULT '' CHECK (specialism = '' OR specialism ~ '^[a-z0-9_-]{1,30}$'),
    spikes     text[] NOT NULL CHECK (cardinality(spikes) BETWEEN 1 AND 2 AND spikes <@ ARRAY[
                   'social_impact', 'management', 'industry_expertise', 'compensation', 'advancement_speed']),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX career_roles_person_idx ON career_roles (person_id, started_on);

CREATE TABLE learning_resources (
    id            bigserial PRIMARY KEY,
    org_id        bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    url           text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    kind          text NOT NULL CHECK (kind IN ('article', 'course', 'book', 'talk', 'internal')),
    competency_id bigint NOT NULL REFERENCES competencies (id) ON DELETE CASCADE,
    level_min     int NOT NULL CHECK (level_min BETWEEN 0 AND 5),
    level_max     int NOT NULL CHECK (level_max BETWEEN 0 AND 5),
    market        text NOT NULL DEFAULT 'both' CHECK (market IN ('b2b', 'b2c', 'both')),
    background    text CHECK (background IN ('sales', 'marketing', 'business_analysis', 'development',
                                             'ux_design', 'qa', 'project_management', 'other')),
    created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (level_min <= level_max),
    CONSTRAINT learning_resources_title_key UNIQUE (org_id, title)
);
CREATE INDEX learning_resources_competency_idx ON learning_resources (competency_id);

-- A pending request becomes accepted or declined; an accepted mentorship counts toward the
-- mentor's capacity until it is ended. One open request per mentee, mentor and competency.
CREATE TABLE mentorships (
    id            bigserial PRIMARY KEY,
    org_id        bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    mentee_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mentor_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competency_id bigint NOT NULL REFERENCES competencies (id) ON DELETE CASCADE,
    message       text NOT NULL DEFAULT '' CHECK (length(message) <= 1000),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'ended')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    answered_at   timestamptz,
    ended_at      timestamptz,
    CHECK (mentee_id <> mentor_id)
);
CREATE UNIQUE INDEX mentorships_open_key ON mentorships (mentee_id, mentor_id, competency_id)
    WHERE status IN ('pending', 'accepted');
CREATE INDEX mentorships_mentor_idx ON mentorships (mentor_id, status);
CREATE INDEX mentorships_mentee_idx ON mentorships (mentee_id);

-- A person listed here is never suggested as a mentor or a peer to learn with.
CREATE TABLE mentor_opt_outs (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE mentor_opt_outs;
DROP TABLE mentorships;
DROP TABLE learning_resources;
DROP TABLE career_roles;
