DROP TRIGGER status_reports_frozen ON status_reports;
DROP TABLE status_report_errata;
DROP TABLE status_report_sections;
DROP FUNCTION planspor_refuse_published_change();
ALTER TABLE status_reports
    DROP CONSTRAINT status_reports_published_has_snapshot,
    DROP COLUMN published_by,
    DROP COLUMN published_at,
    DROP COLUMN snapshot;
