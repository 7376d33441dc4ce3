DROP TABLE status_report_assessments;
CREATE OR REPLACE FUNCTION planspor_refuse_published_change() RETURNS trigger AS $$
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
