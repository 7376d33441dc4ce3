ALTER TABLE indicators DROP COLUMN display_unit;
