//! A tutor's offer: which subjects up to which niveau, how many pupils at
//! once, online or in person (from a meeting school, within a distance),
//! in which languages; pausable for holidays and exams.

pub mod api;

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::meeting::Mode;
use crate::schools::search::SchoolSummary;

/// Most pupils a tutor takes at once.
pub const MAX_CAPACITY: u8 = 5;

/// Farthest a tutor may offer to travel from their meeting school, in km.
pub const MAX_DISTANCE_KM: u16 = 200;

/// "Teaches `subject_code` up to `up_to_level`" (see
/// [`crate::subjects::Subject::covers`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferEntry {
    pub subject_code: String,
    pub up_to_level: String,
}

/// A tutor's offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TutorOffer {
    pub entries: Vec<OfferEntry>,
    /// Pupils at once, 1–5.
    pub capacity: u8,
    pub mode: Mode,
    /// For in person: where they meet pupils, and how far they go (km).
    pub meeting_school: Option<SchoolSummary>,
    pub max_distance_km: Option<u16>,
    /// ISO 639-1 codes of [`crate::meeting::LANGUAGES`].
    pub languages: Vec<String>,
    /// Paused offers are not matched.
    pub paused: bool,
}

impl TutorOffer {
    /// Whether one of the entries covers `subject` for a pupil at `level`.
    pub fn covers(&self, subject: &str, level: &str) -> bool {
        let (Some(subject), Some(pupil)) = (
            crate::subjects::subject(subject),
            crate::levels::level(level),
        ) else {
            return false;
        };
        self.entries.iter().any(|entry| {
            entry.subject_code == subject.code
                && crate::levels::level(&entry.up_to_level)
                    .is_some_and(|up_to| subject.covers(up_to, pupil))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offer_covers_exact_subjects_up_to_its_niveau() {
        let offer = TutorOffer {
            entries: vec![
                OfferEntry {
                    subject_code: "spe_mathematiques".into(),
                    up_to_level: "terminale_generale".into(),
                },
                OfferEntry {
                    subject_code: "mathematiques".into(),
                    up_to_level: "terminale_technologique".into(),
                },
            ],
            capacity: 2,
            mode: Mode::Online,
            meeting_school: None,
            max_distance_km: None,
            languages: vec!["fr".into()],
            paused: false,
        };
        assert!(offer.covers("spe_mathematiques", "premiere_generale"));
        assert!(offer.covers("mathematiques", "seconde_gt"));
        assert!(offer.covers("mathematiques", "premiere_technologique"));
        assert!(!offer.covers("mathematiques", "premiere_generale"));
        assert!(!offer.covers("mathematiques", "cap1"));
        assert!(!offer.covers("physique_chimie", "seconde_gt"));
    }
}
