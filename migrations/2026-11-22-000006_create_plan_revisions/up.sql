-- Numbered revisions of an approved plan's structure: revision 1 is the
-- structure as approved; each later one follows a focus area, initiative or
-- indicator added or removed, and holds the whole structure after it.
CREATE TABLE plan_revisions (
    id         uuid PRIMARY KEY,
    plan_id    uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number     integer NOT NULL CHECK (number >= 1),
    reason     text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    actor_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    actor_name text NOT NULL,
    structure  jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT plan_revisions_plan_number_key UNIQUE (plan_id, number)
);
