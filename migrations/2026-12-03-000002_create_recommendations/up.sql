-- The Task Force's analysis and its numbered recommendations (anbefalinger),
-- and what in the plan answers each: focus areas it concerns, initiatives and
-- indicators that address it. Every link stays within one plan, enforced by
-- composite foreign keys as for indicators.

ALTER TABLE plans
    ADD COLUMN analysis_date  date,
    ADD COLUMN analysis_title text CHECK (char_length(analysis_title) BETWEEN 1 AND 200),
    ADD COLUMN analysis_url   text CHECK (char_length(analysis_url) BETWEEN 1 AND 2000);

ALTER TABLE indicators ADD CONSTRAINT indicators_id_plan_key UNIQUE (id, plan_id);

CREATE TABLE recommendations (
    id         uuid PRIMARY KEY,
    plan_id    uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number     integer NOT NULL CHECK (number BETWEEN 1 AND 999),
    title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    body       text NOT NULL DEFAULT '' CHECK (char_length(body) <= 20000),
    theme      text NOT NULL CHECK (theme IN (
        'faglig_udredning', 'valg_af_indsats', 'opfoelgning', 'inddragelse',
        'styring_og_ledelse', 'tvaerfagligt', 'forebyggelse', 'underretning')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT recommendations_plan_number_key UNIQUE (plan_id, number),
    CONSTRAINT recommendations_id_plan_key UNIQUE (id, plan_id)
);
CREATE TRIGGER recommendations_touch BEFORE UPDATE ON recommendations
    FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();

CREATE TABLE recommendation_focus_areas (
    recommendation_id uuid NOT NULL,
    focus_area_id     uuid NOT NULL,
    plan_id           uuid NOT NULL,
    PRIMARY KEY (recommendation_id, focus_area_id),
    CONSTRAINT recommendation_focus_areas_recommendation_fkey FOREIGN KEY (recommendation_id, plan_id)
        REFERENCES recommendations (id, plan_id) ON DELETE CASCADE,
    CONSTRAINT recommendation_focus_areas_same_plan_fkey FOREIGN KEY (focus_area_id, plan_id)
        REFERENCES focus_areas (id, plan_id) ON DELETE CASCADE
);
CREATE INDEX recommendation_focus_areas_focus_area_idx ON recommendation_focus_areas (focus_area_id);

CREATE TABLE initiative_recommendations (
    initiative_id     uuid NOT NULL,
    recommendation_id uuid NOT NULL,
    plan_id           uuid NOT NULL,
    PRIMARY KEY (initiative_id, recommendation_id),
    CONSTRAINT initiative_recommendations_initiative_fkey FOREIGN KEY (initiative_id, plan_id)
        REFERENCES initiatives (id, plan_id) ON DELETE CASCADE,
    CONSTRAINT initiative_recommendations_same_plan_fkey FOREIGN KEY (recommendation_id, plan_id)
        REFERENCES recommendations (id, plan_id) ON DELETE CASCADE
);
CREATE INDEX initiative_recommendations_recommendation_idx ON initiative_recommendations (recommendation_id);

CREATE TABLE indicator_recommendations (
    indicator_id      uuid NOT NULL,
    recommendation_id uuid NOT NULL,
    plan_id           uuid NOT NULL,
    PRIMARY KEY (indicator_id, recommendation_id),
    CONSTRAINT indicator_recommendations_indicator_fkey FOREIGN KEY (indicator_id, plan_id)
        REFERENCES indicators (id, plan_id) ON DELETE CASCADE,
    CONSTRAINT indicator_recommendations_same_plan_fkey FOREIGN KEY (recommendation_id, plan_id)
        REFERENCES recommendations (id, plan_id) ON DELETE CASCADE
);
CREATE INDEX indicator_recommendations_recommendation_idx ON indicator_recommendations (recommendation_id);
