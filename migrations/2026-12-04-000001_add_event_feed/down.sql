DROP TRIGGER audit_events_plan ON audit_events;
DROP FUNCTION planspor_audit_event_plan();
DROP INDEX audit_events_feed_idx;
ALTER TABLE audit_events DROP COLUMN plan_id, DROP COLUMN feed_seq, DROP COLUMN feed_txid;
