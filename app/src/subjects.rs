//! The subjects (*matières*) pupils ask help for, from
//! `reference/matieres-lycee.csv` (a copy of the shared reference data; a
//! test checks this table against it), and the rule of what a tutor's
//! "subject up to niveau" covers.

use crate::levels::{level, Level};

/// One subject and the niveaux where it is taught.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The data code, e.g. `spe_mathematiques`.
    pub code: &'static str,
    pub label_fr: &'static str,
    pub label_en: &'static str,
    /// `tronc_commun`, `langue_vivante`, `specialite`, `option`,
    /// `enseignement_technologique`, `accompagnement`…
    pub category: &'static str,
    /// Codes of `reference/niveaux.csv` where it is taught.
    pub levels: &'static [&'static str],
}

/// Every subject, in the order of `reference/matieres-lycee.csv`.
pub const SUBJECTS: &[Subject] = &[
    Subject {
        code: "francais",
        label_fr: "Français",
        label_en: "French",
        category: "tronc_commun",
        levels: &["seconde_gt", "premiere_generale", "premiere_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "philosophie",
        label_fr: "Philosophie",
        label_en: "Philosophy",
        category: "tronc_commun",
        levels: &["terminale_generale", "terminale_technologique"],
    },
    Subject {
        code: "histoire_geographie",
        label_fr: "Histoire-géographie",
        label_en: "History and geography",
        category: "tronc_commun",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "anglais",
        label_fr: "Anglais",
        label_en: "English",
        category: "langue_vivante",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "espagnol",
        label_fr: "Espagnol",
        label_en: "Spanish",
        category: "langue_vivante",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "allemand",
        label_fr: "Allemand",
        label_en: "German",
        category: "langue_vivante",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "italien",
        label_fr: "Italien",
        label_en: "Italian",
        category: "langue_vivante",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "occitan",
        label_fr: "Occitan",
        label_en: "Occitan",
        category: "langue_vivante",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "mathematiques",
        label_fr: "Mathématiques",
        label_en: "Mathematics",
        category: "tronc_commun",
        levels: &["seconde_gt", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "physique_chimie",
        label_fr: "Physique-chimie",
        label_en: "Physics and chemistry",
        category: "tronc_commun",
        levels: &["seconde_gt", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "svt",
        label_fr: "Sciences de la vie et de la Terre",
        label_en: "Life and earth sciences",
        category: "tronc_commun",
        levels: &["seconde_gt"],
    },
    Subject {
        code: "ses",
        label_fr: "Sciences économiques et sociales",
        label_en: "Economics and social sciences",
        category: "tronc_commun",
        levels: &["seconde_gt"],
    },
    Subject {
        code: "snt",
        label_fr: "Sciences numériques et technologie",
        label_en: "Digital sciences and technology",
        category: "tronc_commun",
        levels: &["seconde_gt"],
    },
    Subject {
        code: "enseignement_scientifique",
        label_fr: "Enseignement scientifique",
        label_en: "Scientific education",
        category: "tronc_commun",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_mathematiques",
        label_fr: "Mathématiques (spécialité)",
        label_en: "Mathematics (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_physique_chimie",
        label_fr: "Physique-chimie (spécialité)",
        label_en: "Physics and chemistry (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_svt",
        label_fr: "Sciences de la vie et de la Terre (spécialité)",
        label_en: "Life and earth sciences (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_ses",
        label_fr: "Sciences économiques et sociales (spécialité)",
        label_en: "Economics and social sciences (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_nsi",
        label_fr: "Numérique et sciences informatiques (spécialité)",
        label_en: "Computer science (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_si",
        label_fr: "Sciences de l'ingénieur (spécialité)",
        label_en: "Engineering sciences (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_hggsp",
        label_fr: "Histoire-géographie, géopolitique et sciences politiques (spécialité)",
        label_en: "History, geography, geopolitics and political science (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_hlp",
        label_fr: "Humanités, littérature et philosophie (spécialité)",
        label_en: "Humanities, literature and philosophy (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_llcer",
        label_fr: "Langues, littératures et cultures étrangères et régionales (spécialité)",
        label_en: "Foreign and regional languages, literatures and cultures (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_llca",
        label_fr: "Littérature, langues et cultures de l'Antiquité (spécialité)",
        label_en: "Literature, languages and cultures of Antiquity (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_arts",
        label_fr: "Arts (spécialité)",
        label_en: "Arts (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_biologie_ecologie",
        label_fr: "Biologie-écologie (spécialité)",
        label_en: "Biology and ecology (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "spe_eppcs",
        label_fr: "Éducation physique, pratiques et culture sportives (spécialité)",
        label_en: "Physical education, sports practice and culture (specialty)",
        category: "specialite",
        levels: &["premiere_generale", "terminale_generale"],
    },
    Subject {
        code: "opt_maths_complementaires",
        label_fr: "Mathématiques complémentaires (option)",
        label_en: "Complementary mathematics (option)",
        category: "option",
        levels: &["terminale_generale"],
    },
    Subject {
        code: "opt_maths_expertes",
        label_fr: "Mathématiques expertes (option)",
        label_en: "Expert mathematics (option)",
        category: "option",
        levels: &["terminale_generale"],
    },
    Subject {
        code: "opt_dgemc",
        label_fr: "Droit et grands enjeux du monde contemporain (option)",
        label_en: "Law and major issues of the contemporary world (option)",
        category: "option",
        levels: &["terminale_generale"],
    },
    Subject {
        code: "stmg_droit_economie",
        label_fr: "Droit et économie (STMG)",
        label_en: "Law and economics (STMG)",
        category: "enseignement_technologique",
        levels: &["premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "stmg_gestion",
        label_fr: "Sciences de gestion et numérique, puis Management, sciences de gestion et numérique (STMG)",
        label_en: "Management sciences and digital (STMG)",
        category: "enseignement_technologique",
        levels: &["premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "sti2d_ingenierie",
        label_fr: "Ingénierie et développement durable, puis Ingénierie, innovation et développement durable (STI2D)",
        label_en: "Engineering, innovation and sustainable development (STI2D)",
        category: "enseignement_technologique",
        levels: &["premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "sti2d_stl_physique_chimie_maths",
        label_fr: "Physique-chimie et mathématiques (STI2D et STL)",
        label_en: "Physics-chemistry and mathematics (STI2D and STL)",
        category: "enseignement_technologique",
        levels: &["premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "stl_biochimie_biologie",
        label_fr: "Biochimie-biologie, puis Biochimie-biologie-biotechnologie (STL)",
        label_en: "Biochemistry, biology and biotechnology (STL)",
        category: "enseignement_technologique",
        levels: &["premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "st2s_biologie",
        label_fr: "Biologie et physiopathologie humaines, puis Chimie, biologie et physiopathologie humaines (ST2S)",
        label_en: "Human biology and physiopathology (ST2S)",
        category: "enseignement_technologique",
        levels: &["premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "st2s_sciences_sanitaires",
        label_fr: "Sciences et techniques sanitaires et sociales (ST2S)",
        label_en: "Health and social sciences and techniques (ST2S)",
        category: "enseignement_technologique",
        levels: &["premiere_technologique", "terminale_technologique"],
    },
    Subject {
        code: "eco_droit_gestion_pro",
        label_fr: "Économie-droit ou économie-gestion",
        label_en: "Economics and law or economics and management",
        category: "tronc_commun",
        levels: &["seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "pse",
        label_fr: "Prévention, santé, environnement",
        label_en: "Prevention, health, environment",
        category: "tronc_commun",
        levels: &["cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "methodologie",
        label_fr: "Méthodologie et organisation du travail",
        label_en: "Study skills and organisation",
        category: "accompagnement",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "orientation",
        label_fr: "Orientation et Parcoursup",
        label_en: "Guidance and Parcoursup applications",
        category: "accompagnement",
        levels: &["seconde_gt", "premiere_generale", "terminale_generale", "premiere_technologique", "terminale_technologique", "cap1", "cap2", "seconde_pro", "premiere_pro", "terminale_pro"],
    },
    Subject {
        code: "grand_oral",
        label_fr: "Préparation du Grand oral",
        label_en: "Grand oral exam preparation",
        category: "accompagnement",
        levels: &["terminale_generale", "terminale_technologique"],
    },
];

/// The subject with this code (exact: `mathematiques` is not
/// `spe_mathematiques`).
pub fn subject(code: &str) -> Option<&'static Subject> {
    SUBJECTS.iter().find(|subject| subject.code == code)
}

impl Subject {
    /// The label in `lang`.
    pub fn label(&self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Fr => self.label_fr,
            crate::i18n::Lang::En => self.label_en,
        }
    }

    /// Whether the subject is taught at `level` (what a pupil at that
    /// niveau may ask for).
    pub fn is_taught_at(&self, level: &Level) -> bool {
        self.levels.contains(&level.code)
    }

    /// Whether "teaches this subject up to `up_to`" covers a pupil at
    /// `pupil`: `pupil` is a rung of one of `up_to`'s *parcours*, no higher
    /// than `up_to`, and the subject is taught there (the rule of
    /// `shared/data/README.md`).
    pub fn covers(&self, up_to: &Level, pupil: &Level) -> bool {
        self.is_taught_at(pupil)
            && pupil.rank <= up_to.rank
            && pupil.paths.iter().any(|path| up_to.paths.contains(path))
    }

    /// The niveaux that "this subject up to `up_to`" covers, in the order
    /// of [`crate::levels::LEVELS`]; empty when it covers none.
    pub fn covered_levels(&self, up_to: &Level) -> Vec<&'static Level> {
        crate::levels::LEVELS
            .iter()
            .filter(|pupil| self.covers(up_to, pupil))
            .collect()
    }

    /// The niveaux where it is taught.
    pub fn taught_levels(&self) -> impl Iterator<Item = &'static Level> + '_ {
        self.levels.iter().filter_map(|code| level(code))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_reference_file() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../reference/matieres-lycee.csv"
        );
        let mut reader = csv::Reader::from_path(path).expect("reference/matieres-lycee.csv");
        let mut count = 0;
        for (record, subject) in reader.records().zip(SUBJECTS) {
            let record = record.expect("a CSV row");
            assert_eq!(&record[0], subject.code);
            assert_eq!(&record[1], subject.label_fr);
            assert_eq!(&record[2], subject.label_en);
            assert_eq!(&record[3], subject.category);
            assert_eq!(
                record[4].split('|').collect::<Vec<_>>(),
                subject.levels,
                "{}",
                subject.code
            );
            count += 1;
        }
        assert_eq!(count, SUBJECTS.len());
        for subject in SUBJECTS {
            assert_eq!(
                subject.taught_levels().count(),
                subject.levels.len(),
                "{}",
                subject.code
            );
        }
    }

    fn codes(levels: Vec<&Level>) -> Vec<&'static str> {
        levels.into_iter().map(|level| level.code).collect()
    }

    #[test]
    fn coverage_follows_the_parcours_and_where_the_subject_is_taught() {
        let lvl = |code| level(code).expect("a niveau");
        let maths = subject("mathematiques").expect("a subject");
        // The example of shared/data/README.md.
        assert_eq!(
            codes(maths.covered_levels(lvl("terminale_technologique"))),
            [
                "seconde_gt",
                "premiere_technologique",
                "terminale_technologique"
            ]
        );
        // The spécialité is a different subject, taught in première and
        // terminale générales only.
        let spe = subject("spe_mathematiques").expect("a subject");
        assert_eq!(
            codes(spe.covered_levels(lvl("terminale_generale"))),
            ["premiere_generale", "terminale_generale"]
        );
        assert!(!spe.covers(lvl("terminale_generale"), lvl("seconde_gt")));
        assert!(!maths.covers(lvl("terminale_technologique"), lvl("premiere_generale")));
        assert!(!spe.covers(lvl("premiere_generale"), lvl("terminale_generale")));
        assert!(spe.covered_levels(lvl("seconde_gt")).is_empty());
        assert!(subject("maths").is_none());
    }
}
