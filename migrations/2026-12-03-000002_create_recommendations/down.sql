DROP TABLE indicator_recommendations;
DROP TABLE initiative_recommendations;
DROP TABLE recommendation_focus_areas;
DROP TABLE recommendations;
ALTER TABLE indicators DROP CONSTRAINT indicators_id_plan_key;
ALTER TABLE plans
    DROP COLUMN analysis_date,
    DROP COLUMN analysis_title,
    DROP COLUMN analysis_url;
