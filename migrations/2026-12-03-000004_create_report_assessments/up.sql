-- The Task Force's own voice in a status report: its overall assessment and,
-- optionally, one per focus area. Frozen with the report when it is published.
CREATE TABLE status_report_assessments (
    report_id   uuid PRIMARY KEY REFERENCES status_reports (id) ON DELETE CASCADE,
    overall     text NOT NULL CHECK (char_length(overall) BETWEEN 1 AND 20000),
    -- [{focus_area_id, text}], checked against the report's plan by the service
    focus_areas jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(focus_areas) = 'array'),
    author_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    author_name text NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER status_report_assessments_touch BEFORE UPDATE ON status_report_assessments
    FOR EACH ROW EXECUTE FUNCTION planspor_touch_row();

-- What politicians were shown never changes: the assessment is frozen like the sections.
CREATE OR REPLACE FUNCTION planspor_refuse_published_change() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'status_reports' THEN
        IF OLD.state = 'published' THEN
            RAISE EXCEPTION 'published status reports are frozen' USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF TG_TABLE_NAME IN ('status_report_sections', 'status_report_assessments') THEN
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

CREATE TRIGGER status_report_assessments_frozen BEFORE INSERT OR UPDATE OR DELETE ON status_report_assessments
    FOR EACH ROW EXECUTE FUNCTION planspor_refuse_published_change();
