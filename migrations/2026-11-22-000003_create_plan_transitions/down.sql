ALTER TABLE status_reports DROP COLUMN is_final;
DROP INDEX indicators_template_key_idx;
ALTER TABLE indicators DROP COLUMN template_key;
DROP TABLE plan_transitions;
