-- Idempotent creation: a retried POST with the same Idempotency-Key replays the
-- first response instead of writing again. Scoped per caller; kept 24 hours.
CREATE TABLE idempotency_keys (
    scope         text NOT NULL,
    key           text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash  text NOT NULL,
    status        integer,
    content_type  text,
    location      text,
    etag          text,
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
