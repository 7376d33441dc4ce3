ALTER TABLE plans DROP CONSTRAINT plans_thresholds_ordered, DROP COLUMN amber_threshold, DROP COLUMN green_threshold;
