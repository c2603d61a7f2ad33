-- Profiles of pupils and tutors, parents' consent, coordinators' scopes,
-- problem reports and the audit log (see app/src/pupils, app/src/tutors,
-- app/src/coordination, app/src/audit).

-- A pupil: no address, no phone. Under 15, a parent's consent gates every
-- request for help (French law: digital age of consent 15).
CREATE TABLE pupils (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    birth_month INTEGER NOT NULL CHECK (birth_month BETWEEN 1 AND 12),
    birth_year INTEGER NOT NULL,
    school_uai TEXT NOT NULL REFERENCES schools (uai),
    level_code TEXT NOT NULL,
    -- The parent's account (role parent), when one was asked for consent.
    parent_user_id INTEGER REFERENCES users (id),
    consent TEXT NOT NULL CHECK (consent IN ('not_required', 'pending', 'given', 'refused', 'withdrawn')),
    consent_changed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX pupils_school ON pupils (school_uai);
CREATE INDEX pupils_parent ON pupils (parent_user_id);

-- A tutor, and the background check (contrôle d'honorabilité) a
-- coordinator recorded: its outcome and dates, never the record itself.
CREATE TABLE tutors (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    institution TEXT NOT NULL,
    field_of_study TEXT NOT NULL,
    study_year INTEGER NOT NULL CHECK (study_year BETWEEN 1 AND 8),
    charter_accepted_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'suspended')),
    status_changed_at TEXT NOT NULL,
    check_outcome TEXT CHECK (check_outcome IN ('cleared', 'not_cleared')),
    check_done_on TEXT,
    check_expires_on TEXT,
    check_recorded_by INTEGER REFERENCES users (id),
    check_recorded_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The académies a tutor volunteers in: their coordinators' scope, and the
-- default time zone (the first one chosen).
CREATE TABLE tutor_academies (
    tutor_user_id INTEGER NOT NULL REFERENCES tutors (user_id) ON DELETE CASCADE,
    academy_code TEXT NOT NULL REFERENCES academies (code),
    position INTEGER NOT NULL,
    PRIMARY KEY (tutor_user_id, academy_code)
);
CREATE INDEX tutor_academies_academy ON tutor_academies (academy_code);

-- A coordinator's scope, one row per académie. A scope given as a région
-- académique is stored as its académies, with the région kept for display.
CREATE TABLE coordinator_academies (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    academy_code TEXT NOT NULL REFERENCES academies (code),
    via_region_code TEXT REFERENCES regions (code),
    PRIMARY KEY (user_id, academy_code)
);
CREATE INDEX coordinator_academies_academy ON coordinator_academies (academy_code);

-- A problem reported by a pupil, a parent or a tutor: the safeguarding
-- queue of the coordinators of the académie. Never shown to the other side.
CREATE TABLE problem_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter_user_id INTEGER NOT NULL REFERENCES users (id),
    pupil_user_id INTEGER REFERENCES users (id),
    academy_code TEXT NOT NULL REFERENCES academies (code),
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL
);
CREATE INDEX problem_reports_academy ON problem_reports (academy_code, status);

-- What coordinators and administrators did: who, what, when, to what.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    -- Who, in words, kept if the account goes: "Camille Durand
    -- <camille@…>", or "command line (host)".
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
