-- A subscription is disabled only after its deliveries have failed both many
-- times in a row and for long enough (webhooks/dispatch.rs): a receiver that
-- is down for a few minutes while many events queue up keeps its subscription.
ALTER TABLE webhook_progress ADD COLUMN failing_since timestamptz;
