-- Régions académiques and académies, with the IANA time zone of each
-- académie's local times. Seeded from reference/academies.csv (public
-- administrative organisation since 2020). Codes are slugs of the names.

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE academies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    time_zone TEXT NOT NULL
);

CREATE INDEX academies_region_code_idx ON academies (region_code);

INSERT INTO regions (code, name) VALUES
    ('auvergne-rhone-alpes', 'Auvergne-Rhône-Alpes'),
    ('bourgogne-franche-comte', 'Bourgogne-Franche-Comté'),
    ('bretagne', 'Bretagne'),
    ('centre-val-de-loire', 'Centre-Val de Loire'),
    ('corse', 'Corse'),
    ('grand-est', 'Grand Est'),
    ('hauts-de-france', 'Hauts-de-France'),
    ('ile-de-france', 'Île-de-France'),
    ('normandie', 'Normandie'),
    ('nouvelle-aquitaine', 'Nouvelle-Aquitaine'),
    ('occitanie', 'Occitanie'),
    ('pays-de-la-loire', 'Pays de la Loire'),
    ('provence-alpes-cote-d-azur', 'Provence-Alpes-Côte d''Azur'),
    ('guadeloupe', 'Guadeloupe'),
    ('guyane', 'Guyane'),
    ('martinique', 'Martinique'),
    ('mayotte', 'Mayotte'),
    ('la-reunion', 'La Réunion');

INSERT INTO academies (code, name, region_code, time_zone) VALUES
    ('clermont-ferrand', 'Clermont-Ferrand', 'auvergne-rhone-alpes', 'Europe/Paris'),
    ('grenoble', 'Grenoble', 'auvergne-rhone-alpes', 'Europe/Paris'),
    ('lyon', 'Lyon', 'auvergne-rhone-alpes', 'Europe/Paris'),
    ('besancon', 'Besançon', 'bourgogne-franche-comte', 'Europe/Paris'),
    ('dijon', 'Dijon', 'bourgogne-franche-comte', 'Europe/Paris'),
    ('rennes', 'Rennes', 'bretagne', 'Europe/Paris'),
    ('orleans-tours', 'Orléans-Tours', 'centre-val-de-loire', 'Europe/Paris'),
    ('corse', 'Corse', 'corse', 'Europe/Paris'),
    ('nancy-metz', 'Nancy-Metz', 'grand-est', 'Europe/Paris'),
    ('reims', 'Reims', 'grand-est', 'Europe/Paris'),
    ('strasbourg', 'Strasbourg', 'grand-est', 'Europe/Paris'),
    ('amiens', 'Amiens', 'hauts-de-france', 'Europe/Paris'),
    ('lille', 'Lille', 'hauts-de-france', 'Europe/Paris'),
    ('creteil', 'Créteil', 'ile-de-france', 'Europe/Paris'),
    ('paris', 'Paris', 'ile-de-france', 'Europe/Paris'),
    ('versailles', 'Versailles', 'ile-de-france', 'Europe/Paris'),
    ('normandie', 'Normandie', 'normandie', 'Europe/Paris'),
    ('bordeaux', 'Bordeaux', 'nouvelle-aquitaine', 'Europe/Paris'),
    ('limoges', 'Limoges', 'nouvelle-aquitaine', 'Europe/Paris'),
    ('poitiers', 'Poitiers', 'nouvelle-aquitaine', 'Europe/Paris'),
    ('montpellier', 'Montpellier', 'occitanie', 'Europe/Paris'),
    ('toulouse', 'Toulouse', 'occitanie', 'Europe/Paris'),
    ('nantes', 'Nantes', 'pays-de-la-loire', 'Europe/Paris'),
    ('aix-marseille', 'Aix-Marseille', 'provence-alpes-cote-d-azur', 'Europe/Paris'),
    ('nice', 'Nice', 'provence-alpes-cote-d-azur', 'Europe/Paris'),
    ('guadeloupe', 'Guadeloupe', 'guadeloupe', 'America/Guadeloupe'),
    ('guyane', 'Guyane', 'guyane', 'America/Cayenne'),
    ('martinique', 'Martinique', 'martinique', 'America/Martinique'),
    ('mayotte', 'Mayotte', 'mayotte', 'Indian/Mayotte'),
    ('la-reunion', 'La Réunion', 'la-reunion', 'Indian/Reunion');
