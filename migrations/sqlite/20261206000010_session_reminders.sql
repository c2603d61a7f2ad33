-- Reminders sent before sessions (issue 7; app/src/sessions/reminders.rs):
-- one row per session and reminder kind (minutes before its start), so that
-- none is ever sent twice, whatever the number of servers or restarts.
CREATE TABLE session_reminders (
    occurrence_id INTEGER NOT NULL REFERENCES session_occurrences (id) ON DELETE CASCADE,
    minutes_before INTEGER NOT NULL CHECK (minutes_before > 0),
    sent_at TEXT NOT NULL,
    PRIMARY KEY (occurrence_id, minutes_before)
);
