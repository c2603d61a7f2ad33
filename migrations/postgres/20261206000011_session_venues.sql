-- Where a series' sessions take place (issue 7): online, in the match's
-- video room, or in person at a school of the directory, never at a
-- private address. See app/src/sessions/venue.rs.

-- 'in_person' series name their school; 'online' ones none.
ALTER TABLE session_series ADD COLUMN mode TEXT NOT NULL DEFAULT 'online'
    CHECK (mode IN ('online', 'in_person'));
ALTER TABLE session_series ADD COLUMN place_uai TEXT REFERENCES schools (uai);

-- The match's video room name: 128 random bits in hexadecimal, so that no
-- one can guess it, and the same for every series of the match. Set when
-- the match's first series is proposed; the link is
-- BINOME_VIDEO_URL_TEMPLATE with {room} replaced by it.
ALTER TABLE matches ADD COLUMN video_room TEXT;
-- Matches made before this column: a room each now (a random UUID: 122
-- random bits).
UPDATE matches SET video_room = replace(gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX matches_video_room ON matches (video_room);
