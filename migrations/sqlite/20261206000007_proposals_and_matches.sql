-- Matching's review, proposals and matches (issue 6). See
-- app/src/matching/review.rs, app/src/proposals and app/src/matching/publish.rs.

-- What a coordinator decided by hand while reviewing a dry run: a proposal
-- removed ('exclude') or a pair added ('fix'), with the reason. Kept until
-- they publish or clear them; every run of theirs honours them.
CREATE TABLE matching_choices (
    coordinator_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    pupil_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tutor_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('exclude', 'fix')),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (coordinator_user_id, pupil_user_id, tutor_user_id)
);

-- A published proposal (proposition): a pupil's request with a tutor, for
-- the tutor to accept or decline before expires_at. The weekly slot is the
-- one matching found, in the pupil's local time.
CREATE TABLE match_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    pupil_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tutor_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Subject codes the tutor covers, comma-separated, in the pupil's order.
    subjects TEXT NOT NULL,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1410),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 30 AND 240),
    time_zone TEXT NOT NULL,
    score INTEGER NOT NULL,
    -- Set when a coordinator added the pair by hand.
    manual_reason TEXT,
    -- 'cancelled': the request was withdrawn, or the tutor may no longer
    -- be proposed, while it was pending.
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'cancelled')),
    -- SHA-256 of the secret of the tutor's link (see accounts/token.rs);
    -- after the reminder, the first link's stays valid beside the new one.
    token_hash TEXT NOT NULL UNIQUE,
    previous_token_hash TEXT UNIQUE,
    published_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at TEXT NOT NULL,
    remind_at TEXT NOT NULL,
    reminded_at TEXT,
    expires_at TEXT NOT NULL,
    answered_at TEXT,
    decline_reason TEXT
);
CREATE UNIQUE INDEX match_proposals_one_pending ON match_proposals (request_id) WHERE status = 'pending';
CREATE INDEX match_proposals_tutor ON match_proposals (tutor_user_id, status);
CREATE INDEX match_proposals_deadlines ON match_proposals (status, expires_at);

-- A match (binôme): an accepted proposal, active until it ends.
CREATE TABLE matches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES match_proposals (id),
    request_id INTEGER NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    pupil_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tutor_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    end_reason TEXT
);
CREATE UNIQUE INDEX matches_one_active ON matches (request_id) WHERE status = 'active';
CREATE INDEX matches_tutor ON matches (tutor_user_id, status);
CREATE INDEX matches_pupil ON matches (pupil_user_id, status);

-- Runs in progress, one row per académie of the running coordinator's
-- scope: a run on an overlapping scope is refused while one runs. A row
-- older than 10 minutes belongs to a run that crashed and is taken over.
CREATE TABLE matching_runs (
    academy_code TEXT PRIMARY KEY REFERENCES academies (code),
    coordinator_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    -- What it is doing now: pool, solve, explain or publish.
    stage TEXT NOT NULL DEFAULT 'pool'
);

-- A school's matching priority (0–100, default 0 when absent), set by the
-- coordinators of its académie, for example from its social position
-- index (IPS): added to the score of every pair of its pupils.
CREATE TABLE school_priorities (
    uai TEXT PRIMARY KEY REFERENCES schools (uai) ON DELETE CASCADE,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL
);
