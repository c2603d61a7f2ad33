-- The email outbox (see app/src/mail/outbox.rs). Timestamps are RFC 3339
-- text in UTC, as sqlx writes them, so they compare as text.
CREATE TABLE email_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- UUID fixed at queueing; the Message-ID is made from it.
    public_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    recipient_address TEXT NOT NULL,
    recipient_name TEXT,
    language TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- pending: when the next attempt is due; sending: when the lease ends.
    next_attempt_at TEXT NOT NULL,
    leased_by TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    dead_at TEXT
);

-- What workers look for: due pending rows and expired leases.
CREATE INDEX email_outbox_due ON email_outbox (state, next_attempt_at);

CREATE TABLE email_attachments (
    email_id INTEGER NOT NULL REFERENCES email_outbox (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (email_id, position)
);
