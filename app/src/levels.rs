//! The school years (*niveaux*) of the lycée since the 2019 reform, from
//! `reference/niveaux.csv` (a copy of the shared reference data; a test
//! checks this table against it).

use serde::{Deserialize, Serialize};

/// A *voie* of the lycée.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    Generale,
    Technologique,
    Professionnelle,
}

/// One *niveau*.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    /// The data code, e.g. `premiere_generale`.
    pub code: &'static str,
    pub label_fr: &'static str,
    pub label_en: &'static str,
    /// The voies it belongs to (`seconde_gt` belongs to two).
    pub tracks: &'static [Track],
    /// The ladders it is a rung of (`generale`, `technologique`, `cap`,
    /// `bac_pro`), with its rank in them.
    pub paths: &'static [&'static str],
    pub rank: u8,
}

use Track::{Generale, Professionnelle, Technologique};

/// Every niveau, in the order of `reference/niveaux.csv`.
pub const LEVELS: &[Level] = &[
    Level {
        code: "seconde_gt",
        label_fr: "Seconde générale et technologique",
        label_en: "General and technological 10th grade",
        tracks: &[Generale, Technologique],
        paths: &["generale", "technologique"],
        rank: 1,
    },
    Level {
        code: "premiere_generale",
        label_fr: "Première générale",
        label_en: "General 11th grade",
        tracks: &[Generale],
        paths: &["generale"],
        rank: 2,
    },
    Level {
        code: "terminale_generale",
        label_fr: "Terminale générale",
        label_en: "General 12th grade",
        tracks: &[Generale],
        paths: &["generale"],
        rank: 3,
    },
    Level {
        code: "premiere_technologique",
        label_fr: "Première technologique",
        label_en: "Technological 11th grade",
        tracks: &[Technologique],
        paths: &["technologique"],
        rank: 2,
    },
    Level {
        code: "terminale_technologique",
        label_fr: "Terminale technologique",
        label_en: "Technological 12th grade",
        tracks: &[Technologique],
        paths: &["technologique"],
        rank: 3,
    },
    Level {
        code: "cap1",
        label_fr: "CAP 1re année",
        label_en: "Vocational certificate (CAP) year 1",
        tracks: &[Professionnelle],
        paths: &["cap"],
        rank: 1,
    },
    Level {
        code: "cap2",
        label_fr: "CAP 2e année",
        label_en: "Vocational certificate (CAP) year 2",
        tracks: &[Professionnelle],
        paths: &["cap"],
        rank: 2,
    },
    Level {
        code: "seconde_pro",
        label_fr: "Seconde professionnelle",
        label_en: "Vocational 10th grade",
        tracks: &[Professionnelle],
        paths: &["bac_pro"],
        rank: 1,
    },
    Level {
        code: "premiere_pro",
        label_fr: "Première professionnelle",
        label_en: "Vocational 11th grade",
        tracks: &[Professionnelle],
        paths: &["bac_pro"],
        rank: 2,
    },
    Level {
        code: "terminale_pro",
        label_fr: "Terminale professionnelle",
        label_en: "Vocational 12th grade",
        tracks: &[Professionnelle],
        paths: &["bac_pro"],
        rank: 3,
    },
];

/// The niveau with this code.
pub fn level(code: &str) -> Option<&'static Level> {
    LEVELS.iter().find(|level| level.code == code)
}

impl Level {
    /// The label in `lang`.
    pub fn label(&self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Fr => self.label_fr,
            crate::i18n::Lang::En => self.label_en,
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_reference_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/niveaux.csv");
        let mut reader = csv::Reader::from_path(path).expect("reference/niveaux.csv");
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.expect("a CSV row");
            rows.push(record.iter().map(str::to_owned).collect::<Vec<_>>());
        }
        assert_eq!(rows.len(), LEVELS.len());
        for (row, level) in rows.iter().zip(LEVELS) {
            let tracks: Vec<String> = level
                .tracks
                .iter()
                .map(|t| {
                    serde_json::to_value(t)
                        .expect("serialises")
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect();
            assert_eq!(row[0], level.code);
            assert_eq!(row[1], level.label_fr);
            assert_eq!(row[2], level.label_en);
            assert_eq!(row[3], tracks.join("|"), "{}", level.code);
            assert_eq!(row[4], level.paths.join("|"), "{}", level.code);
            assert_eq!(row[5], level.rank.to_string(), "{}", level.code);
        }
        assert_eq!(level("cap2").map(|l| l.rank), Some(2));
        assert!(level("spe_mathematiques").is_none());
    }
}
