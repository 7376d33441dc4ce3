-- The Task Force process: every status change of a plan, with who, when and why.

CREATE TABLE plan_transitions (
    id           uuid PRIMARY KEY,
    plan_id      uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    from_status  text NOT NULL CHECK (from_status IN ('draft', 'submitted', 'approved', 'adopted', 'active', 'closed')),
    to_status    text NOT NULL CHECK (to_status IN ('draft', 'submitted', 'approved', 'adopted', 'active', 'closed')),
    actor_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    actor_name   text NOT NULL,
    reason       text CHECK (char_length(reason) <= 20000),
    committee    text CHECK (char_length(committee) BETWEEN 1 AND 200),
    meeting_date date,
    decision     text CHECK (char_length(decision) <= 20000),
    agenda_url   text CHECK (char_length(agenda_url) <= 2000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- a return to draft says why; an adoption says by whom, when and what
    CONSTRAINT plan_transitions_return_has_reason CHECK (to_status <> 'draft' OR reason IS NOT NULL),
    CONSTRAINT plan_transitions_adoption_is_recorded CHECK (
        to_status <> 'adopted' OR (committee IS NOT NULL AND meeting_date IS NOT NULL AND decision IS NOT NULL))
);
CREATE INDEX plan_transitions_plan_idx ON plan_transitions (plan_id, id);

-- Which template indicator a plan's indicator came from, to compare across municipalities.
ALTER TABLE indicators ADD COLUMN template_key text CHECK (char_length(template_key) BETWEEN 1 AND 100);
CREATE INDEX indicators_template_key_idx ON indicators (template_key) WHERE template_key IS NOT NULL;

-- Marks the final status report, which is what allows a plan to close.
ALTER TABLE status_reports ADD COLUMN is_final boolean NOT NULL DEFAULT false;
