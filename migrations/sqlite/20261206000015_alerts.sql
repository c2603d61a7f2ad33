-- Alerts for coordinators (issue 8; domain/src/alerts.rs, app/src/alerts):
-- raised by housekeeping while a rule's cause is present, acknowledged by a
-- coordinator with a note, closed when the cause is gone (or, for a single
-- event, when acknowledged).
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('missed_sessions', 'low_rating', 'no_recent_session',
                                       'long_wait', 'check_expiring', 'open_report')),
    -- What it is about: 'match:12', 'feedback:34:pupil', 'request:5',
    -- 'tutor:7' or 'report:3'.
    subject TEXT NOT NULL,
    academy_code TEXT NOT NULL REFERENCES academies (code),
    -- Who it is about, in words, and the page where to act, as raised.
    label TEXT NOT NULL,
    link TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES users (id),
    note TEXT,
    closed_at TEXT
);
CREATE UNIQUE INDEX alerts_one_open ON alerts (kind, subject, academy_code) WHERE closed_at IS NULL;
CREATE INDEX alerts_academy ON alerts (academy_code, closed_at);

-- A report is closed by a coordinator, with what was done.
ALTER TABLE problem_reports ADD COLUMN closed_at TEXT;
ALTER TABLE problem_reports ADD COLUMN closed_by_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE problem_reports ADD COLUMN closing_note TEXT;
