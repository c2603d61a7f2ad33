-- Schools (établissements) of the national directory, by UAI. Imported
-- with `binome import schools FILE` (app/src/schools/directory.rs).
CREATE TABLE schools (
    uai TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- The ministry's label, e.g. LYCEE POLYVALENT.
    nature TEXT NOT NULL,
    sector TEXT NOT NULL CHECK (sector IN ('public', 'private')),
    commune TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    department TEXT NOT NULL,
    academy_code TEXT NOT NULL REFERENCES academies (code),
    -- Which voies it teaches; NULL when the directory does not say.
    general_track BOOLEAN,
    technological_track BOOLEAN,
    vocational_track BOOLEAN,
    -- WGS84 degrees; NULL when unknown.
    latitude DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    -- Teaches only after the baccalauréat (BTS, CPGE): no lycée pupils.
    post_baccalaureate_only BOOLEAN NOT NULL,
    -- Words of the name, commune and UAI, lowercase and without accents,
    -- for the search (app/src/schools/search.rs).
    search_key TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX schools_academy_code_idx ON schools (academy_code);
