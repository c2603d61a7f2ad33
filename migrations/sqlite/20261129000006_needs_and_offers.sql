-- What pupils need and what tutors offer (issue 5): the curriculum
-- reference, tutors' offers, pupils' help requests, and everyone's weekly
-- availability. See app/src/subjects.rs, app/src/tutors/offer.rs,
-- app/src/help_requests and app/src/availability.

-- Niveaux and subjects, seeded from reference/niveaux.csv and
-- reference/matieres-lycee.csv (the lycée since the 2019 reform). The Rust
-- tables app/src/levels.rs and app/src/subjects.rs hold the same rows; a
-- test compares them.
CREATE TABLE levels (
    code TEXT PRIMARY KEY,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    -- '|'-separated voies and parcours, as in the reference file.
    tracks TEXT NOT NULL,
    paths TEXT NOT NULL,
    rank INTEGER NOT NULL
);

INSERT INTO levels (code, label_fr, label_en, tracks, paths, rank) VALUES
    ('seconde_gt', 'Seconde générale et technologique', 'General and technological 10th grade', 'generale|technologique', 'generale|technologique', 1),
    ('premiere_generale', 'Première générale', 'General 11th grade', 'generale', 'generale', 2),
    ('terminale_generale', 'Terminale générale', 'General 12th grade', 'generale', 'generale', 3),
    ('premiere_technologique', 'Première technologique', 'Technological 11th grade', 'technologique', 'technologique', 2),
    ('terminale_technologique', 'Terminale technologique', 'Technological 12th grade', 'technologique', 'technologique', 3),
    ('cap1', 'CAP 1re année', 'Vocational certificate (CAP) year 1', 'professionnelle', 'cap', 1),
    ('cap2', 'CAP 2e année', 'Vocational certificate (CAP) year 2', 'professionnelle', 'cap', 2),
    ('seconde_pro', 'Seconde professionnelle', 'Vocational 10th grade', 'professionnelle', 'bac_pro', 1),
    ('premiere_pro', 'Première professionnelle', 'Vocational 11th grade', 'professionnelle', 'bac_pro', 2),
    ('terminale_pro', 'Terminale professionnelle', 'Vocational 12th grade', 'professionnelle', 'bac_pro', 3);

CREATE TABLE subjects (
    code TEXT PRIMARY KEY,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    category TEXT NOT NULL
);

INSERT INTO subjects (code, label_fr, label_en, category) VALUES
    ('francais', 'Français', 'French', 'tronc_commun'),
    ('philosophie', 'Philosophie', 'Philosophy', 'tronc_commun'),
    ('histoire_geographie', 'Histoire-géographie', 'History and geography', 'tronc_commun'),
    ('anglais', 'Anglais', 'English', 'langue_vivante'),
    ('espagnol', 'Espagnol', 'Spanish', 'langue_vivante'),
    ('allemand', 'Allemand', 'German', 'langue_vivante'),
    ('italien', 'Italien', 'Italian', 'langue_vivante'),
    ('occitan', 'Occitan', 'Occitan', 'langue_vivante'),
    ('mathematiques', 'Mathématiques', 'Mathematics', 'tronc_commun'),
    ('physique_chimie', 'Physique-chimie', 'Physics and chemistry', 'tronc_commun'),
    ('svt', 'Sciences de la vie et de la Terre', 'Life and earth sciences', 'tronc_commun'),
    ('ses', 'Sciences économiques et sociales', 'Economics and social sciences', 'tronc_commun'),
    ('snt', 'Sciences numériques et technologie', 'Digital sciences and technology', 'tronc_commun'),
    ('enseignement_scientifique', 'Enseignement scientifique', 'Scientific education', 'tronc_commun'),
    ('spe_mathematiques', 'Mathématiques (spécialité)', 'Mathematics (specialty)', 'specialite'),
    ('spe_physique_chimie', 'Physique-chimie (spécialité)', 'Physics and chemistry (specialty)', 'specialite'),
    ('spe_svt', 'Sciences de la vie et de la Terre (spécialité)', 'Life and earth sciences (specialty)', 'specialite'),
    ('spe_ses', 'Sciences économiques et sociales (spécialité)', 'Economics and social sciences (specialty)', 'specialite'),
    ('spe_nsi', 'Numérique et sciences informatiques (spécialité)', 'Computer science (specialty)', 'specialite'),
    ('spe_si', 'Sciences de l''ingénieur (spécialité)', 'Engineering sciences (specialty)', 'specialite'),
    ('spe_hggsp', 'Histoire-géographie, géopolitique et sciences politiques (spécialité)', 'History, geography, geopolitics and political science (specialty)', 'specialite'),
    ('spe_hlp', 'Humanités, littérature et philosophie (spécialité)', 'Humanities, literature and philosophy (specialty)', 'specialite'),
    ('spe_llcer', 'Langues, littératures et cultures étrangères et régionales (spécialité)', 'Foreign and regional languages, literatures and cultures (specialty)', 'specialite'),
    ('spe_llca', 'Littérature, langues et cultures de l''Antiquité (spécialité)', 'Literature, languages and cultures of Antiquity (specialty)', 'specialite'),
    ('spe_arts', 'Arts (spécialité)', 'Arts (specialty)', 'specialite'),
    ('spe_biologie_ecologie', 'Biologie-écologie (spécialité)', 'Biology and ecology (specialty)', 'specialite'),
    ('spe_eppcs', 'Éducation physique, pratiques et culture sportives (spécialité)', 'Physical education, sports practice and culture (specialty)', 'specialite'),
    ('opt_maths_complementaires', 'Mathématiques complémentaires (option)', 'Complementary mathematics (option)', 'option'),
    ('opt_maths_expertes', 'Mathématiques expertes (option)', 'Expert mathematics (option)', 'option'),
    ('opt_dgemc', 'Droit et grands enjeux du monde contemporain (option)', 'Law and major issues of the contemporary world (option)', 'option'),
    ('stmg_droit_economie', 'Droit et économie (STMG)', 'Law and economics (STMG)', 'enseignement_technologique'),
    ('stmg_gestion', 'Sciences de gestion et numérique, puis Management, sciences de gestion et numérique (STMG)', 'Management sciences and digital (STMG)', 'enseignement_technologique'),
    ('sti2d_ingenierie', 'Ingénierie et développement durable, puis Ingénierie, innovation et développement durable (STI2D)', 'Engineering, innovation and sustainable development (STI2D)', 'enseignement_technologique'),
    ('sti2d_stl_physique_chimie_maths', 'Physique-chimie et mathématiques (STI2D et STL)', 'Physics-chemistry and mathematics (STI2D and STL)', 'enseignement_technologique'),
    ('stl_biochimie_biologie', 'Biochimie-biologie, puis Biochimie-biologie-biotechnologie (STL)', 'Biochemistry, biology and biotechnology (STL)', 'enseignement_technologique'),
    ('st2s_biologie', 'Biologie et physiopathologie humaines, puis Chimie, biologie et physiopathologie humaines (ST2S)', 'Human biology and physiopathology (ST2S)', 'enseignement_technologique'),
    ('st2s_sciences_sanitaires', 'Sciences et techniques sanitaires et sociales (ST2S)', 'Health and social sciences and techniques (ST2S)', 'enseignement_technologique'),
    ('eco_droit_gestion_pro', 'Économie-droit ou économie-gestion', 'Economics and law or economics and management', 'tronc_commun'),
    ('pse', 'Prévention, santé, environnement', 'Prevention, health, environment', 'tronc_commun'),
    ('methodologie', 'Méthodologie et organisation du travail', 'Study skills and organisation', 'accompagnement'),
    ('orientation', 'Orientation et Parcoursup', 'Guidance and Parcoursup applications', 'accompagnement'),
    ('grand_oral', 'Préparation du Grand oral', 'Grand oral exam preparation', 'accompagnement');

-- Where each subject is taught.
CREATE TABLE subject_levels (
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    level_code TEXT NOT NULL REFERENCES levels (code),
    PRIMARY KEY (subject_code, level_code)
);

INSERT INTO subject_levels (subject_code, level_code) VALUES
    ('francais', 'seconde_gt'),
    ('francais', 'premiere_generale'),
    ('francais', 'premiere_technologique'),
    ('francais', 'cap1'),
    ('francais', 'cap2'),
    ('francais', 'seconde_pro'),
    ('francais', 'premiere_pro'),
    ('francais', 'terminale_pro'),
    ('philosophie', 'terminale_generale'),
    ('philosophie', 'terminale_technologique'),
    ('histoire_geographie', 'seconde_gt'),
    ('histoire_geographie', 'premiere_generale'),
    ('histoire_geographie', 'terminale_generale'),
    ('histoire_geographie', 'premiere_technologique'),
    ('histoire_geographie', 'terminale_technologique'),
    ('histoire_geographie', 'cap1'),
    ('histoire_geographie', 'cap2'),
    ('histoire_geographie', 'seconde_pro'),
    ('histoire_geographie', 'premiere_pro'),
    ('histoire_geographie', 'terminale_pro'),
    ('anglais', 'seconde_gt'),
    ('anglais', 'premiere_generale'),
    ('anglais', 'terminale_generale'),
    ('anglais', 'premiere_technologique'),
    ('anglais', 'terminale_technologique'),
    ('anglais', 'cap1'),
    ('anglais', 'cap2'),
    ('anglais', 'seconde_pro'),
    ('anglais', 'premiere_pro'),
    ('anglais', 'terminale_pro'),
    ('espagnol', 'seconde_gt'),
    ('espagnol', 'premiere_generale'),
    ('espagnol', 'terminale_generale'),
    ('espagnol', 'premiere_technologique'),
    ('espagnol', 'terminale_technologique'),
    ('espagnol', 'cap1'),
    ('espagnol', 'cap2'),
    ('espagnol', 'seconde_pro'),
    ('espagnol', 'premiere_pro'),
    ('espagnol', 'terminale_pro'),
    ('allemand', 'seconde_gt'),
    ('allemand', 'premiere_generale'),
    ('allemand', 'terminale_generale'),
    ('allemand', 'premiere_technologique'),
    ('allemand', 'terminale_technologique'),
    ('allemand', 'cap1'),
    ('allemand', 'cap2'),
    ('allemand', 'seconde_pro'),
    ('allemand', 'premiere_pro'),
    ('allemand', 'terminale_pro'),
    ('italien', 'seconde_gt'),
    ('italien', 'premiere_generale'),
    ('italien', 'terminale_generale'),
    ('italien', 'premiere_technologique'),
    ('italien', 'terminale_technologique'),
    ('italien', 'cap1'),
    ('italien', 'cap2'),
    ('italien', 'seconde_pro'),
    ('italien', 'premiere_pro'),
    ('italien', 'terminale_pro'),
    ('occitan', 'seconde_gt'),
    ('occitan', 'premiere_generale'),
    ('occitan', 'terminale_generale'),
    ('occitan', 'premiere_technologique'),
    ('occitan', 'terminale_technologique'),
    ('mathematiques', 'seconde_gt'),
    ('mathematiques', 'premiere_technologique'),
    ('mathematiques', 'terminale_technologique'),
    ('mathematiques', 'cap1'),
    ('mathematiques', 'cap2'),
    ('mathematiques', 'seconde_pro'),
    ('mathematiques', 'premiere_pro'),
    ('mathematiques', 'terminale_pro'),
    ('physique_chimie', 'seconde_gt'),
    ('physique_chimie', 'cap1'),
    ('physique_chimie', 'cap2'),
    ('physique_chimie', 'seconde_pro'),
    ('physique_chimie', 'premiere_pro'),
    ('physique_chimie', 'terminale_pro'),
    ('svt', 'seconde_gt'),
    ('ses', 'seconde_gt'),
    ('snt', 'seconde_gt'),
    ('enseignement_scientifique', 'premiere_generale'),
    ('enseignement_scientifique', 'terminale_generale'),
    ('spe_mathematiques', 'premiere_generale'),
    ('spe_mathematiques', 'terminale_generale'),
    ('spe_physique_chimie', 'premiere_generale'),
    ('spe_physique_chimie', 'terminale_generale'),
    ('spe_svt', 'premiere_generale'),
    ('spe_svt', 'terminale_generale'),
    ('spe_ses', 'premiere_generale'),
    ('spe_ses', 'terminale_generale'),
    ('spe_nsi', 'premiere_generale'),
    ('spe_nsi', 'terminale_generale'),
    ('spe_si', 'premiere_generale'),
    ('spe_si', 'terminale_generale'),
    ('spe_hggsp', 'premiere_generale'),
    ('spe_hggsp', 'terminale_generale'),
    ('spe_hlp', 'premiere_generale'),
    ('spe_hlp', 'terminale_generale'),
    ('spe_llcer', 'premiere_generale'),
    ('spe_llcer', 'terminale_generale'),
    ('spe_llca', 'premiere_generale'),
    ('spe_llca', 'terminale_generale'),
    ('spe_arts', 'premiere_generale'),
    ('spe_arts', 'terminale_generale'),
    ('spe_biologie_ecologie', 'premiere_generale'),
    ('spe_biologie_ecologie', 'terminale_generale'),
    ('spe_eppcs', 'premiere_generale'),
    ('spe_eppcs', 'terminale_generale'),
    ('opt_maths_complementaires', 'terminale_generale'),
    ('opt_maths_expertes', 'terminale_generale'),
    ('opt_dgemc', 'terminale_generale'),
    ('stmg_droit_economie', 'premiere_technologique'),
    ('stmg_droit_economie', 'terminale_technologique'),
    ('stmg_gestion', 'premiere_technologique'),
    ('stmg_gestion', 'terminale_technologique'),
    ('sti2d_ingenierie', 'premiere_technologique'),
    ('sti2d_ingenierie', 'terminale_technologique'),
    ('sti2d_stl_physique_chimie_maths', 'premiere_technologique'),
    ('sti2d_stl_physique_chimie_maths', 'terminale_technologique'),
    ('stl_biochimie_biologie', 'premiere_technologique'),
    ('stl_biochimie_biologie', 'terminale_technologique'),
    ('st2s_biologie', 'premiere_technologique'),
    ('st2s_biologie', 'terminale_technologique'),
    ('st2s_sciences_sanitaires', 'premiere_technologique'),
    ('st2s_sciences_sanitaires', 'terminale_technologique'),
    ('eco_droit_gestion_pro', 'seconde_pro'),
    ('eco_droit_gestion_pro', 'premiere_pro'),
    ('eco_droit_gestion_pro', 'terminale_pro'),
    ('pse', 'cap1'),
    ('pse', 'cap2'),
    ('pse', 'seconde_pro'),
    ('pse', 'premiere_pro'),
    ('pse', 'terminale_pro'),
    ('methodologie', 'seconde_gt'),
    ('methodologie', 'premiere_generale'),
    ('methodologie', 'terminale_generale'),
    ('methodologie', 'premiere_technologique'),
    ('methodologie', 'terminale_technologique'),
    ('methodologie', 'cap1'),
    ('methodologie', 'cap2'),
    ('methodologie', 'seconde_pro'),
    ('methodologie', 'premiere_pro'),
    ('methodologie', 'terminale_pro'),
    ('orientation', 'seconde_gt'),
    ('orientation', 'premiere_generale'),
    ('orientation', 'terminale_generale'),
    ('orientation', 'premiere_technologique'),
    ('orientation', 'terminale_technologique'),
    ('orientation', 'cap1'),
    ('orientation', 'cap2'),
    ('orientation', 'seconde_pro'),
    ('orientation', 'premiere_pro'),
    ('orientation', 'terminale_pro'),
    ('grand_oral', 'terminale_generale'),
    ('grand_oral', 'terminale_technologique');

-- Everyone's own IANA time zone for their availability; NULL means the
-- time zone of their (first) académie.
ALTER TABLE users ADD COLUMN time_zone TEXT;

-- Weekly availability: [from_minute, to_minute) of local time on an ISO
-- weekday (1 = Monday … 7 = Sunday), on the 30-minute grain, never across
-- midnight. Stored merged (no two intervals of a day overlap or touch).
CREATE TABLE availability_intervals (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    from_minute INTEGER NOT NULL CHECK (from_minute >= 0 AND from_minute % 30 = 0),
    to_minute INTEGER NOT NULL CHECK (to_minute <= 1440 AND to_minute % 30 = 0 AND to_minute > from_minute),
    PRIMARY KEY (user_id, weekday, from_minute)
);

-- A tutor's offer: how many pupils at once, how, where, in which languages,
-- and whether it is paused (holidays, exams).
CREATE TABLE tutor_offers (
    tutor_user_id INTEGER PRIMARY KEY REFERENCES tutors (user_id) ON DELETE CASCADE,
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 5),
    mode TEXT NOT NULL CHECK (mode IN ('online', 'in_person', 'both')),
    -- For in person: the school where they meet pupils, and how far (km,
    -- as the crow flies) they would go from it.
    meeting_school_uai TEXT REFERENCES schools (uai),
    max_distance_km INTEGER CHECK (max_distance_km BETWEEN 1 AND 200),
    -- ISO 639-1 codes, comma-separated, e.g. 'fr,en'.
    languages TEXT NOT NULL,
    paused_at TEXT,
    updated_at TEXT NOT NULL,
    CHECK (mode = 'online' OR (meeting_school_uai IS NOT NULL AND max_distance_km IS NOT NULL))
);

-- "Subject S up to niveau N" entries of an offer.
CREATE TABLE tutor_offer_subjects (
    tutor_user_id INTEGER NOT NULL REFERENCES tutor_offers (tutor_user_id) ON DELETE CASCADE,
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    up_to_level_code TEXT NOT NULL REFERENCES levels (code),
    PRIMARY KEY (tutor_user_id, subject_code, up_to_level_code)
);
CREATE INDEX tutor_offer_subjects_subject ON tutor_offer_subjects (subject_code);

-- A pupil's help request (demande d'aide). At most one open per pupil.
-- Waiting time counts from requested_at, which an edit does not change.
CREATE TABLE help_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pupil_user_id INTEGER NOT NULL REFERENCES pupils (user_id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('open', 'withdrawn')),
    -- What is difficult, in the pupil's own words.
    difficulty TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('online', 'in_person', 'both')),
    -- An exam date, if any.
    deadline TEXT,
    requested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    withdrawn_at TEXT
);
CREATE UNIQUE INDEX help_requests_one_open ON help_requests (pupil_user_id) WHERE status = 'open';
CREATE INDEX help_requests_status ON help_requests (status, requested_at);

-- One to three subjects, in the pupil's order.
CREATE TABLE help_request_subjects (
    request_id INTEGER NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    position INTEGER NOT NULL,
    PRIMARY KEY (request_id, subject_code)
);
CREATE INDEX help_request_subjects_subject ON help_request_subjects (subject_code);
