-- Ending a match with a coded reason, and reports made from a match
-- (issue 8; app/src/matches, app/src/pupils/api.rs).

-- Who ended the match (a side or a coordinator), and their note for the
-- coordinators (never shown to the other side). `end_reason` holds a code
-- of domain::match_end::Reason.
ALTER TABLE matches ADD COLUMN ended_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE matches ADD COLUMN end_note TEXT;

-- The match a report was made from, if any.
ALTER TABLE problem_reports ADD COLUMN match_id BIGINT REFERENCES matches (id) ON DELETE SET NULL;
