-- Case-review rounds: the Task Force's legal and social-work reviews and the
-- municipality's own sample, at the start and the end of a process. Only
-- counts per criterion are stored, never a case: `results` is an array of
-- {criterion_key, met, not_met, not_relevant, note}, checked against the
-- criteria set (templates/case_review_criteria/) by the service.
CREATE TABLE case_reviews (
    id               uuid PRIMARY KEY,
    plan_id          uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('legal', 'social_work', 'self_review')),
    phase            text NOT NULL CHECK (phase IN ('baseline', 'follow_up', 'final')),
    reviewed_on      date NOT NULL,
    cases_reviewed   integer NOT NULL CHECK (cases_reviewed BETWEEN 1 AND 10000),
    criteria_key     text NOT NULL CHECK (char_length(criteria_key) BETWEEN 1 AND 100),
    criteria_version integer NOT NULL CHECK (criteria_version >= 1),
    results          jsonb NOT NULL CHECK (jsonb_typeof(results) = 'array'),
    note             text NOT NULL DEFAULT '' CHECK (char_length(note) <= 20000),
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_reviews_plan_idx ON case_reviews (plan_id, reviewed_on, id);
CREATE TRIGGER case_reviews_touch BEFORE UPDATE ON case_reviews
    FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
