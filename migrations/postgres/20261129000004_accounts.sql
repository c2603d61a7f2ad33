-- Accounts (see app/src/accounts).
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The address as typed (trimmed); `email_key` is its lowercase form,
    -- unique, so that one mailbox has one account whatever its case.
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('pupil', 'tutor', 'parent', 'coordinator', 'administrator')),
    status TEXT NOT NULL CHECK (status IN ('unconfirmed', 'active', 'deactivated')),
    -- PHC string of argon2id; NULL for accounts that sign in by emailed link.
    password_hash TEXT,
    language TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    -- Raised to end every login session of the account at once.
    session_epoch BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Single-use links sent by email. Only the SHA-256 of the secret is kept.
CREATE TABLE account_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'invitation', 'parent_consent', 'parent_sign_in')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Login sessions, in the layout of tower-sessions-sqlx-store's PostgresStore.
CREATE TABLE login_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BYTEA NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_sessions_expiry ON login_sessions (expiry_date);
