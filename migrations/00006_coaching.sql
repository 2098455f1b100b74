-- Coaching plans: one per PM per quarter, with GROW goals tied to competencies, 70/20/10
-- actions, and quarterly check-ins whose leader notes are shared with the PM or private.

-- +goose Up
CREATE TABLE coaching_plans (
    id         bigserial PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    quarter    text NOT NULL CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
    spikes     text[] NOT NULL DEFAULT '{}' CHECK (cardinality(spikes) <= 2),
    mentor_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coaching_plans_person_quarter_key UNIQUE (person_id, quarter)
);
CREATE INDEX coaching_plans_org_quarter_idx ON coaching_plans (org_id, quarter);

-- current_level is the effective rating when the goal was set (NULL: not assessed then).
CREATE TABLE coaching_goals (
    id            bigserial PRIMARY KEY,
    plan_id       bigint NOT NULL REFERENCES coaching_plans (id) ON DELETE CASCADE,
    position      int NOT NULL,
    competency_id bigint NOT NULL REFERENCES competencies (id),
    current_level int CHECK (current_level BETWEEN 0 AND 5),
    target_level  int NOT NULL CHECK (target_level BETWEEN 1 AND 5),
    due           date NOT NULL,
    goal          text NOT NULL DEFAULT '',
    reality       text NOT NULL DEFAULT '',
    options       text NOT NULL DEFAULT '',
    will          text NOT NULL DEFAULT '',
    UNIQUE (plan_id, competency_id),
    CHECK (current_level IS NULL OR target_level > current_level)
);

CREATE TABLE coaching_actions (
    id           bigserial PRIMARY KEY,
    goal_id      bigint NOT NULL REFERENCES coaching_goals (id) ON DELETE CASCADE,
    position     int NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('experience', 'relationships', 'education')),
    description  text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    owner_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    due          date NOT NULL,
    resource_url text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done'))
);
CREATE INDEX coaching_actions_goal_idx ON coaching_actions (goal_id);

CREATE TABLE check_ins (
    id            bigserial PRIMARY KEY,
    plan_id       bigint NOT NULL REFERENCES coaching_plans (id) ON DELETE CASCADE,
    held_on       date NOT NULL,
    created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    reflection    text NOT NULL DEFAULT '',
    reflection_at timestamptz
);
CREATE INDEX check_ins_plan_idx ON check_ins (plan_id);

-- level is the effective rating read when the check-in was recorded (NULL: not assessed).
CREATE TABLE check_in_goals (
    check_in_id   bigint NOT NULL REFERENCES check_ins (id) ON DELETE CASCADE,
    competency_id bigint NOT NULL REFERENCES competencies (id),
    position      int NOT NULL,
    status        text NOT NULL CHECK (status IN ('needs_focus', 'on_track', 'outperforming')),
    level         int CHECK (level BETWEEN 0 AND 5),
    target_level  int NOT NULL CHECK (target_level BETWEEN 1 AND 5),
    PRIMARY KEY (check_in_id, competency_id)
);

-- A private note is its author's alone: storage only returns it to its author.
CREATE TABLE check_in_notes (
    id          bigserial PRIMARY KEY,
    check_in_id bigint NOT NULL REFERENCES check_ins (id) ON DELETE CASCADE,
    author_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
    private     boolean NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX check_in_notes_check_in_idx ON check_in_notes (check_in_id);

-- +goose Down
DROP TABLE check_in_notes;
DROP TABLE check_in_goals;
DROP TABLE check_ins;
DROP TABLE coaching_actions;
DROP TABLE coaching_goals;
DROP TABLE coaching_plans;
