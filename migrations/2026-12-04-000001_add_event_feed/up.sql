-- The event feed (GET /api/v1/events) reads the audit trail in commit-safe
-- order. A sequence alone is not: a transaction that took a lower number can
-- commit after one that took a higher, and a reader past the higher would
-- never see it. So each event also carries its transaction's id, and the feed
-- returns only events of transactions older than every transaction still in
-- flight (pg_snapshot_xmin), in (transaction, sequence) order: nothing can
-- later appear before a cursor it handed out.
ALTER TABLE audit_events
    ADD COLUMN feed_txid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    ADD COLUMN feed_seq bigserial NOT NULL,
    ADD COLUMN plan_id uuid;
CREATE INDEX audit_events_feed_idx ON audit_events (feed_txid, feed_seq);

-- The plan an event belongs to, derived once when it is written, from the row
-- itself or its parent (a measurement's indicator, a note's initiative, a
-- section's report). Events outside any plan (users, organizations) have none.
CREATE FUNCTION planspor_audit_event_plan() RETURNS trigger AS $$
DECLARE
    changed jsonb := COALESCE(NEW.after, NEW.before);
BEGIN
    NEW.plan_id := CASE
        WHEN NEW.entity_type = 'plan' THEN NEW.entity_id
        WHEN changed ? 'plan_id' THEN (changed->>'plan_id')::uuid
        WHEN changed ? 'indicator_id' THEN
            (SELECT plan_id FROM indicators WHERE id = (changed->>'indicator_id')::uuid)
        WHEN changed ? 'initiative_id' THEN
            (SELECT plan_id FROM initiatives WHERE id = (changed->>'initiative_id')::uuid)
        WHEN changed ? 'report_id' THEN
            (SELECT plan_id FROM status_reports WHERE id = (changed->>'report_id')::uuid)
    END;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_plan BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION planspor_audit_event_plan();
