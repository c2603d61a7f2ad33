-- Issue 10, GDPR art. 17: when the account's personal data was erased
-- (at the person's request, or by the retention rules). The row stays,
-- under a pseudonym, so that the pairs, sessions and audit entries it is
-- part of keep counting; NULL for every account still in use.
ALTER TABLE users ADD COLUMN erased_at TIMESTAMPTZ;
-- Retention (GDPR art. 5(1)(e)): the last sign-in, and when the account
-- was warned that it would be erased for lack of activity.
ALTER TABLE users ADD COLUMN last_seen_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN inactivity_warned_at TIMESTAMPTZ;
