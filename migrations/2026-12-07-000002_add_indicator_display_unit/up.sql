-- How an indicator's unit reads in committee documents when the unit alone
-- says too little: a ratio of cases to social workers is "sager pr. rådgiver".
ALTER TABLE indicators ADD COLUMN display_unit text
    CHECK (display_unit IS NULL OR char_length(display_unit) BETWEEN 1 AND 200);
-- Indicators already made from the Task Force template get the template's words.
UPDATE indicators SET display_unit = 'sager pr. rådgiver'
    WHERE template_key = 'cases_per_social_worker' AND display_unit IS NULL;
