-- Data in, on time (issue 18): who owns an indicator's values and how long
-- after a period's end they are due; the outbox of reminder e-mails; and the
-- webhook subscriptions with their deliveries. Outbox and deliveries are
-- written in PostgreSQL with a unique key, so two planspor processes on one
-- database never send the same reminder or delivery twice, and one that dies
-- mid-send leaves the row to the other once its lock expires.

ALTER TABLE indicators
    ADD COLUMN owner_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN grace_days integer NOT NULL DEFAULT 0 CHECK (grace_days BETWEEN 0 AND 365);
CREATE INDEX indicators_owner_idx ON indicators (owner_id) WHERE owner_id IS NOT NULL;

-- An owner enters the values, so they write in the plan's organization.
-- Checked when the owner is set; a later loss of the role stops the reminders
-- (reminders.rs asks the same), it does not rewrite the indicator.
CREATE FUNCTION planspor_indicator_owner_is_member() RETURNS trigger AS $$
BEGIN
    IF NEW.owner_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.owner_id IS DISTINCT FROM OLD.owner_id)
       AND NOT EXISTS (
           SELECT 1 FROM memberships m JOIN plans p ON p.organization_id = m.organization_id
           WHERE p.id = NEW.plan_id AND m.user_id = NEW.owner_id
             AND m.role IN ('editor', 'consultant')) THEN
        RAISE EXCEPTION 'an indicator''s owner is an editor or consultant of its organization'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'indicators_owner_member';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER indicators_owner_member BEFORE INSERT OR UPDATE OF owner_id ON indicators
    FOR EACH ROW EXECUTE FUNCTION planspor_indicator_owner_is_member();

ALTER TABLE users
    ADD COLUMN language text NOT NULL DEFAULT 'da' CHECK (language IN ('da', 'en'));

CREATE TABLE notifications (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('due_soon', 'overdue', 'weekly_digest')),
    -- One reminder per kind, period and owner; one digest per plan, editor and week.
    dedupe_key      text NOT NULL UNIQUE,
    recipient_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    recipient_email text,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    plan_id         uuid REFERENCES plans (id) ON DELETE SET NULL,
    indicator_id    uuid REFERENCES indicators (id) ON DELETE SET NULL,
    period_end      date,
    due_on          date,
    language        text NOT NULL CHECK (language IN ('da', 'en')),
    subject         text NOT NULL,
    body            text NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'undeliverable', 'cancelled')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX notifications_pending_idx ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_created_idx ON notifications (id);

CREATE TABLE webhooks (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url             text NOT NULL CHECK (char_length(url) BETWEEN 8 AND 2000),
    description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 200),
    event_types     text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 50),
    secret          text NOT NULL,
    -- After a rotation the previous secret signs too, until it expires.
    previous_secret text,
    previous_secret_expires_at timestamptz,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_organization_idx ON webhooks (organization_id, id);
CREATE TRIGGER webhooks_touch BEFORE UPDATE ON webhooks
    FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();

-- The dispatcher's own state, apart from the subscription so that its
-- progress does not change the subscription's version (ETag): where in the
-- event feed it has fanned out to, and the run of failed attempts.
CREATE TABLE webhook_progress (
    webhook_id           uuid PRIMARY KEY REFERENCES webhooks (id) ON DELETE CASCADE,
    cursor_txid          bigint NOT NULL,
    cursor_seq           bigint NOT NULL,
    consecutive_failures integer NOT NULL DEFAULT 0
);

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    locked_until     timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, id);
