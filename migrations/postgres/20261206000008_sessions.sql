-- Weekly sessions of a match (issue 7). See domain/src/sessions.rs and
-- app/src/sessions. Local dates are YYYY-MM-DD of the series' zone.

-- A weekly slot the tutor proposed and the pupil confirmed, fixed in the
-- pupil's zone. Sessions happen on first_date's weekday, every week from
-- first_date to last_date (NULL: no end).
CREATE TABLE session_series (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    match_id BIGINT NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    -- RFC 5545 UID of the series' calendar entries: stable, unguessable.
    uid TEXT NOT NULL UNIQUE,
    -- 'replaced': the tutor proposed another before the pupil confirmed.
    status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'replaced', 'ended')),
    time_zone TEXT NOT NULL,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1410),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 30 AND 120),
    first_date TEXT NOT NULL,
    last_date TEXT,
    -- RFC 5545 SEQUENCE of the series' invitations: one more at each change.
    sequence INTEGER NOT NULL DEFAULT 0,
    proposed_by BIGINT NOT NULL REFERENCES users (id),
    proposed_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ
);

-- One live (proposed or confirmed) series per match.
CREATE UNIQUE INDEX session_series_live ON session_series (match_id)
    WHERE status IN ('proposed', 'confirmed');

-- Each week's session of a confirmed series, stored as UTC instants (NULL
-- when the local start does not exist that day: 'skipped'), for a rolling
-- horizon that housekeeping extends.
CREATE TABLE session_occurrences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id BIGINT NOT NULL REFERENCES session_series (id) ON DELETE CASCADE,
    -- The series' local date of this week (RFC 5545 RECURRENCE-ID).
    original_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'moved', 'cancelled', 'skipped')),
    starts_at TIMESTAMPTZ,
    ends_at TIMESTAMPTZ,
    reason TEXT,
    changed_by BIGINT REFERENCES users (id),
    changed_at TIMESTAMPTZ,
    UNIQUE (series_id, original_date)
);

CREATE INDEX session_occurrences_starts ON session_occurrences (starts_at);
