-- Committed imports of measurements from a spreadsheet (POST
-- /plans/{plan_id}/imports?mode=commit): who imported which file when, its
-- checksum, the counts and the row-by-row report. The values themselves are
-- in measurements, each audited as if entered by hand; a dry run stores nothing.
CREATE TABLE measurement_imports (
    id             uuid PRIMARY KEY,
    plan_id        uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    imported_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    importer_name  text NOT NULL,
    file_name      text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    file_format    text NOT NULL CHECK (file_format IN ('csv', 'xlsx')),
    checksum       text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    created_count  integer NOT NULL CHECK (created_count >= 0),
    updated_count  integer NOT NULL CHECK (updated_count >= 0),
    unchanged_count integer NOT NULL CHECK (unchanged_count >= 0),
    skipped_count  integer NOT NULL CHECK (skipped_count >= 0),
    rows           jsonb NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX measurement_imports_plan_idx ON measurement_imports (plan_id, created_at, id);
