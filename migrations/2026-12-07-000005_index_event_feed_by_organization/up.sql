-- The feed of one organization (a webhook's fan-out, a municipal reader of
-- GET /events) reads its own events in feed order without walking everyone
-- else's.
CREATE INDEX audit_events_organization_feed_idx
    ON audit_events (organization_id, feed_txid, feed_seq);
