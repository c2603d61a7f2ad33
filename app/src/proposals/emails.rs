//! The emails of proposals and matches (templates in `templates/email/`).

use serde::Serialize;

use crate::mail::template::EmailTemplate;

/// To a tutor: a pupil proposed to them, with the link to answer
/// (`proposal.jinja`); sent once more as a reminder with a new link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProposalToTutor {
    /// The tutor's first name.
    pub name: String,
    /// The pupil's first name only: the rest waits for acceptance.
    pub pupil: String,
    /// The niveau, in the tutor's language.
    pub level: String,
    /// The subjects covered, in the tutor's language.
    pub subjects: String,
    /// The weekly slot in the tutor's zone, e.g. `mardi 22:00–23:00
    /// (Indian/Reunion)`.
    pub slot: String,
    /// The last day to answer, `YYYY-MM-DD HH:MM` in the tutor's zone.
    pub expires_on: String,
    /// `/proposition?jeton=…`.
    pub link_path: String,
    pub reminder: bool,
}

impl EmailTemplate for ProposalToTutor {
    const KIND: &'static str = "proposal";
}

impl ProposalToTutor {
    /// Data for the template tests.
    pub fn sample() -> ProposalToTutor {
        ProposalToTutor {
            name: "Hugo".into(),
            pupil: "Léa".into(),
            level: "Seconde générale et technologique".into(),
            subjects: "Mathématiques".into(),
            slot: "mardi 22:00–23:00 (Indian/Reunion)".into(),
            expires_on: "2027-03-22 22:00".into(),
            link_path: "/proposition?jeton=abc".into(),
            reminder: true,
        }
    }
}

/// To a pupil and to their tutor once the tutor accepted
/// (`match_started.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatchStarted {
    /// The recipient's first name.
    pub name: String,
    /// The other side's name: the tutor's full name for the pupil, the
    /// pupil's first name for the tutor.
    pub other: String,
    pub subjects: String,
    /// The weekly slot in the recipient's zone.
    pub slot: String,
    pub for_tutor: bool,
}

impl EmailTemplate for MatchStarted {
    const KIND: &'static str = "match_started";
}

impl MatchStarted {
    /// Data for the template tests.
    pub fn sample() -> MatchStarted {
        MatchStarted {
            name: "Léa".into(),
            other: "Hugo Bernard".into(),
            subjects: "Mathématiques".into(),
            slot: "mardi 19:00–20:00 (Europe/Paris)".into(),
            for_tutor: false,
        }
    }
}
