-- Issue 10: the second factor of coordinators and administrators (ASVS 4.0
-- §2.8): a TOTP secret (RFC 6238; 20 random bytes in base32, RFC 4648),
-- confirmed once a code from it was typed, with the last time step used
-- (a code works once); and single-use recovery codes, kept as SHA-256
-- hashes like the emailed links.
CREATE TABLE second_factors (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
