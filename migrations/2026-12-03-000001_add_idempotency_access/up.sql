-- The permissions the first request's handler checked (e.g. write access to
-- one organization), so a replay is answered only while the caller still has them.
ALTER TABLE idempotency_keys ADD COLUMN access jsonb NOT NULL DEFAULT '[]';
