-- What a status report says per focus area, the frozen snapshot taken when it
-- is published, and errata: corrections appended to a published report.

CREATE TABLE status_report_sections (
    id            uuid PRIMARY KEY,
    report_id     uuid NOT NULL REFERENCES status_reports (id) ON DELETE CASCADE,
    -- no foreign key: a published report keeps describing a focus area deleted later
    focus_area_id uuid NOT NULL,
    status        text CHECK (status IN ('green', 'amber', 'red', 'stale', 'no_data', 'no_target')),
    status_reason text CHECK (char_length(status_reason) <= 20000),
    narrative     text NOT NULL DEFAULT '' CHECK (char_length(narrative) <= 20000),
    highlights    text NOT NULL DEFAULT '' CHECK (char_length(highlights) <= 20000),
    risks         text NOT NULL DEFAULT '' CHECK (char_length(risks) <= 20000),
    next_steps    text NOT NULL DEFAULT '' CHECK (char_length(next_steps) <= 20000),
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT status_report_sections_report_focus_area_key UNIQUE (report_id, focus_area_id)
);
CREATE TRIGGER status_report_sections_touch BEFORE UPDATE ON status_report_sections
    FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();

ALTER TABLE status_reports
    ADD COLUMN snapshot jsonb,
    ADD COLUMN published_at timestamptz,
    ADD COLUMN published_by uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD CONSTRAINT status_reports_published_has_snapshot
        CHECK ((state = 'published') = (snapshot IS NOT NULL AND published_at IS NOT NULL));

CREATE TABLE status_report_errata (
    id          uuid PRIMARY KEY,
    report_id   uuid NOT NULL REFERENCES status_reports (id) ON DELETE RESTRICT,
    body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    author_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    author_name text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_report_errata_report_idx ON status_report_errata (report_id, id);

-- What politicians were shown never changes: the database refuses it too.
CREATE FUNCTION planspor_refuse_published_change() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'status_reports' THEN
        IF OLD.state = 'published' THEN
            RAISE EXCEPTION 'published status reports are frozen' USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF TG_TABLE_NAME = 'status_report_sections' THEN
        IF EXISTS (SELECT 1 FROM status_reports r
                   WHERE r.id = COALESCE(NEW.report_id, OLD.report_id) AND r.state = 'published') THEN
            RAISE EXCEPTION 'published status reports are frozen' USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSE
        RAISE EXCEPTION 'errata are append-only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER status_reports_frozen BEFORE UPDATE OR DELETE ON status_reports
    FOR EACH ROW EXECUTE FUNCTION planspor_refuse_published_change();
CREATE TRIGGER status_report_sections_frozen BEFORE INSERT OR UPDATE OR DELETE ON status_report_sections
    FOR EACH ROW EXECUTE FUNCTION planspor_refuse_published_change();
CREATE TRIGGER status_report_errata_append_only BEFORE UPDATE OR DELETE ON status_report_errata
    FOR EACH ROW EXECUTE FUNCTION planspor_refuse_published_change();
