-- Private calendar subscription links (issue 7): at most one per user.
-- The token is the 256-bit secret of the link's URL, kept as it is so that
-- the calendar page can show the link again: it gives read access to the
-- user's sessions, which this database holds anyway. Revoking deletes the
-- row; a new link replaces the token.
CREATE TABLE calendar_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
