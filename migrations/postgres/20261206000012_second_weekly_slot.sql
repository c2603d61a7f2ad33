-- Two sessions a week for pupils who ask for more (issue 7): the request
-- says how many, and a match then has up to two weekly series, numbered 1
-- and 2, each proposed by the tutor and confirmed by the pupil on its own.
ALTER TABLE help_requests ADD COLUMN sessions_per_week INTEGER NOT NULL DEFAULT 1
    CHECK (sessions_per_week IN (1, 2));

ALTER TABLE session_series ADD COLUMN slot_number INTEGER NOT NULL DEFAULT 1
    CHECK (slot_number IN (1, 2));

-- One live (proposed or confirmed) series per match and slot number.
DROP INDEX session_series_live;
CREATE UNIQUE INDEX session_series_live ON session_series (match_id, slot_number)
    WHERE status IN ('proposed', 'confirmed');
