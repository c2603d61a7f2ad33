-- The pupil's place on the waiting list when her pair began (issue 8, the
-- dashboard's time from request to first session): the request's own
-- requested_at moves on when a pair ends and she goes back on the list.
-- Pairs made before this column: an active pair's request still holds
-- the place; an ended pair's has moved on since, so it stays NULL (not
-- known).
ALTER TABLE matches ADD COLUMN requested_at TIMESTAMPTZ;
UPDATE matches SET requested_at = (
    SELECT r.requested_at FROM help_requests r WHERE r.id = matches.request_id
) WHERE status = 'active';
