-- The pupil's place on the waiting list when her pair began (issue 8, the
-- dashboard's time from request to first session): the request's own
-- requested_at moves on when a pair ends and she goes back on the list.
-- NULL only if a request was gone before this column existed.
ALTER TABLE matches ADD COLUMN requested_at TEXT;
UPDATE matches SET requested_at = (
    SELECT r.requested_at FROM help_requests r WHERE r.id = matches.request_id
);
