ALTER TABLE webhook_progress DROP COLUMN failing_since;
