-- Identity (users keyed by the token's issuer and subject), access per
-- organization (memberships), and the append-only audit trail.

CREATE TABLE users (
    id           uuid PRIMARY KEY,
    issuer       text NOT NULL CHECK (char_length(issuer) BETWEEN 1 AND 500),
    subject      text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 500),
    display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
    email        text CHECK (char_length(email) <= 320 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    is_admin     boolean NOT NULL DEFAULT false,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_issuer_subject_key UNIQUE (issuer, subject)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE memberships (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('consultant', 'editor', 'viewer')),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT memberships_user_organization_key UNIQUE (user_id, organization_id)
);
CREATE INDEX memberships_organization_id_idx ON memberships (organization_id);

CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();
CREATE TRIGGER memberships_touch BEFORE UPDATE ON memberships FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();

-- Who wrote what comes from the signed-in user, never from a request body.
ALTER TABLE progress_notes ADD COLUMN author_id uuid REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE measurements ADD COLUMN recorded_by uuid REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE status_reports ADD COLUMN created_by uuid REFERENCES users (id) ON DELETE SET NULL;

-- No foreign keys: the trail outlives the users, organizations and rows it describes.
CREATE TABLE audit_events (
    id              uuid PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id        uuid,
    actor_name      text NOT NULL,
    organization_id uuid,
    entity_type     text NOT NULL,
    entity_id       uuid NOT NULL,
    action          text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'upsert', 'transition')),
    request_id      text,
    before          jsonb,
    after           jsonb
);
CREATE INDEX audit_events_organization_idx ON audit_events (organization_id, id);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id);

CREATE FUNCTION planspor_refuse_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION planspor_refuse_audit_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION planspor_refuse_audit_change();
