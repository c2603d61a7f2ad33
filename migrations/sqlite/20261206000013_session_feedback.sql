-- Feedback after each session (issue 8; app/src/feedback): each side of
-- the match answers once per session, within 14 days of its end, and may
-- correct their answer in that time.
CREATE TABLE session_feedback (
    occurrence_id INTEGER NOT NULL REFERENCES session_occurrences (id) ON DELETE CASCADE,
    side TEXT NOT NULL CHECK (side IN ('pupil', 'tutor')),
    user_id INTEGER NOT NULL REFERENCES users (id),
    took_place INTEGER NOT NULL CHECK (took_place IN (0, 1)),
    -- 1–5, when it took place.
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    -- The pupil's confidence in the subject now, 1–5, when it took place.
    confidence INTEGER CHECK (confidence BETWEEN 1 AND 5),
    -- What was worked on (the tutor), when it took place.
    worked_on TEXT,
    comment TEXT,
    given_at TEXT NOT NULL,
    PRIMARY KEY (occurrence_id, side)
);

-- When both sides were emailed to give their feedback on this session
-- (NULL: not yet), so that the email goes once.
ALTER TABLE session_occurrences ADD COLUMN feedback_asked_at TEXT;
