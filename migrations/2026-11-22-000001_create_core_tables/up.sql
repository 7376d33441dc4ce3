-- The development-plan model. The database enforces the domain's rules itself
-- (CHECK, UNIQUE, FOREIGN KEY), so no client path can store an impossible plan.

-- Every table carries `version` and `updated_at`; this trigger bumps both on every
-- UPDATE so optimistic concurrency (ETag / If-Match) cannot be forgotten by a query.
CREATE FUNCTION planspor_touch_row() RETURNS trigger AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE organizations (
    id                uuid PRIMARY KEY,
    name              text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    kind              text NOT NULL CHECK (kind IN ('municipality', 'task_force')),
    municipality_code text CHECK (municipality_code ~ '^[0-9]{3}$'),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_municipality_code_key UNIQUE (municipality_code),
    -- a municipality always has its code; the Task Force never has one
    CONSTRAINT organizations_code_iff_municipality
        CHECK ((kind = 'municipality') = (municipality_code IS NOT NULL))
);

CREATE TABLE plans (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 20000),
    period_start    date NOT NULL,
    period_end      date NOT NULL,
    status          text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'approved', 'adopted', 'active', 'closed')),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT plans_period_ordered CHECK (period_end >= period_start)
);
CREATE INDEX plans_organization_id_idx ON plans (organization_id, id);
CREATE INDEX plans_status_idx ON plans (status, id);

CREATE TABLE focus_areas (
    id              uuid PRIMARY KEY,
    plan_id         uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position        integer NOT NULL CHECK (position >= 1),
    title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    objective       text NOT NULL DEFAULT '' CHECK (char_length(objective) <= 20000),
    legal_reference text CHECK (char_length(legal_reference) BETWEEN 1 AND 200),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT focus_areas_plan_position_key UNIQUE (plan_id, position),
    -- lets indicators prove that their focus area belongs to the same plan
    CONSTRAINT focus_areas_id_plan_key UNIQUE (id, plan_id)
);

CREATE TABLE initiatives (
    id            uuid PRIMARY KEY,
    focus_area_id uuid NOT NULL,
    -- denormalised from the focus area so an indicator's initiative can be
    -- checked against the indicator's plan by a foreign key
    plan_id       uuid NOT NULL,
    title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description   text NOT NULL DEFAULT '' CHECK (char_length(description) <= 20000),
    owner         text CHECK (char_length(owner) BETWEEN 1 AND 200),
    start_date    date,
    due_date      date,
    status        text NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'in_progress', 'done', 'blocked', 'cancelled')),
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT initiatives_focus_area_plan_fkey FOREIGN KEY (focus_area_id, plan_id)
        REFERENCES focus_areas (id, plan_id) ON DELETE CASCADE,
    CONSTRAINT initiatives_id_plan_key UNIQUE (id, plan_id),
    CONSTRAINT initiatives_id_focus_area_key UNIQUE (id, focus_area_id),
    CONSTRAINT initiatives_dates_ordered
        CHECK (start_date IS NULL OR due_date IS NULL OR due_date >= start_date)
);
CREATE INDEX initiatives_focus_area_id_idx ON initiatives (focus_area_id, id);
CREATE INDEX initiatives_plan_id_idx ON initiatives (plan_id);

CREATE TABLE indicators (
    id             uuid PRIMARY KEY,
    plan_id        uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    focus_area_id  uuid,
    initiative_id  uuid,
    name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    definition     text NOT NULL DEFAULT '' CHECK (char_length(definition) <= 20000),
    unit           text NOT NULL CHECK (unit IN ('percent', 'count', 'days', 'ratio')),
    direction      text NOT NULL CHECK (direction IN ('increase', 'decrease')),
    baseline_value double precision,
    baseline_date  date,
    target_value   double precision,
    target_date    date,
    frequency      text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly', 'ad_hoc')),
    legal_regime   text CHECK (legal_regime IN ('serviceloven', 'barnets_lov')),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- MATCH SIMPLE: a NULL focus area / initiative is allowed, a non-NULL one must be of this plan.
    -- Removing the focus area or initiative unties the indicator instead of deleting its history.
    CONSTRAINT indicators_focus_area_same_plan_fkey FOREIGN KEY (focus_area_id, plan_id)
        REFERENCES focus_areas (id, plan_id) ON DELETE SET NULL (focus_area_id),
    CONSTRAINT indicators_initiative_same_plan_fkey FOREIGN KEY (initiative_id, plan_id)
        REFERENCES initiatives (id, plan_id) ON DELETE SET NULL (initiative_id),
    -- an indicator tied to both must name the initiative's own focus area
    CONSTRAINT indicators_initiative_in_focus_area_fkey FOREIGN KEY (initiative_id, focus_area_id)
        REFERENCES initiatives (id, focus_area_id) ON DELETE SET NULL (initiative_id),
    CONSTRAINT indicators_baseline_in_range CHECK (
        baseline_value IS NULL OR (baseline_value >= 0 AND (unit <> 'percent' OR baseline_value <= 100))),
    CONSTRAINT indicators_target_in_range CHECK (
        target_value IS NULL OR (target_value >= 0 AND (unit <> 'percent' OR target_value <= 100)))
);
CREATE INDEX indicators_plan_id_idx ON indicators (plan_id, id);

CREATE TABLE measurements (
    id           uuid PRIMARY KEY,
    indicator_id uuid NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    period_end   date NOT NULL,
    value        double precision NOT NULL CHECK (value >= 0 AND value <> 'NaN' AND value <> 'Infinity'),
    note         text NOT NULL DEFAULT '' CHECK (char_length(note) <= 20000),
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT measurements_indicator_period_key UNIQUE (indicator_id, period_end)
);

CREATE TABLE progress_notes (
    id            uuid PRIMARY KEY,
    initiative_id uuid NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    body          text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    author        text NOT NULL CHECK (char_length(author) BETWEEN 1 AND 200),
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX progress_notes_initiative_id_idx ON progress_notes (initiative_id, id);

CREATE TABLE status_reports (
    id         uuid PRIMARY KEY,
    plan_id    uuid NOT NULL REFERENCES plans (id) ON DELETE RESTRICT,
    title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    as_of      date NOT NULL,
    summary    text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 20000),
    state      text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_reports_plan_id_idx ON status_reports (plan_id, id);

CREATE TRIGGER organizations_touch BEFORE UPDATE ON organizations FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER plans_touch BEFORE UPDATE ON plans FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER focus_areas_touch BEFORE UPDATE ON focus_areas FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER initiatives_touch BEFORE UPDATE ON initiatives FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER indicators_touch BEFORE UPDATE ON indicators FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER measurements_touch BEFORE UPDATE ON measurements FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER progress_notes_touch BEFORE UPDATE ON progress_notes FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER status_reports_touch BEFORE UPDATE ON status_reports FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
