-- The thresholds that turn an indicator's progress into green/amber/red,
-- as shares of the progress expected by the date. A plan may override them.
ALTER TABLE plans
    ADD COLUMN green_threshold double precision NOT NULL DEFAULT 0.9,
    ADD COLUMN amber_threshold double precision NOT NULL DEFAULT 0.7,
    ADD CONSTRAINT plans_thresholds_ordered
        CHECK (amber_threshold > 0 AND amber_threshold < green_threshold AND green_threshold <= 1);
