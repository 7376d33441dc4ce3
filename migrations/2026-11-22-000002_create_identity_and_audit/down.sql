DROP TABLE audit_events;
DROP FUNCTION planspor_refuse_audit_change();
ALTER TABLE status_reports DROP COLUMN created_by;
ALTER TABLE measurements DROP COLUMN recorded_by;
ALTER TABLE progress_notes DROP COLUMN author_id;
DROP TABLE memberships;
DROP TABLE users;
