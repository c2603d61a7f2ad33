//! Tutors: their profile, the académies they volunteer in, the tutor
//! charter, their status (`pending → approved / refused / suspended`) and
//! the background check (*contrôle d'honorabilité*) a coordinator records:
//! outcome, dates and who recorded it, never the record itself.
//!
//! Only an approved tutor whose check is cleared and unexpired may be
//! proposed to pupils ([`is_proposable`]).

pub mod api;

#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod expiry;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Where a tutor stands with the coordinators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TutorStatus {
    Pending,
    Approved,
    Refused,
    Suspended,
}

impl TutorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TutorStatus::Pending => "pending",
            TutorStatus::Approved => "approved",
            TutorStatus::Refused => "refused",
            TutorStatus::Suspended => "suspended",
        }
    }

    pub fn parse(name: &str) -> Option<TutorStatus> {
        [
            TutorStatus::Pending,
            TutorStatus::Approved,
            TutorStatus::Refused,
            TutorStatus::Suspended,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            TutorStatus::Pending => "tutors.status.pending",
            TutorStatus::Approved => "tutors.status.approved",
            TutorStatus::Refused => "tutors.status.refused",
            TutorStatus::Suspended => "tutors.status.suspended",
        }
    }
}

/// The outcome of a background check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// Nothing prevents the person from working with minors.
    Cleared,
    NotCleared,
}

impl CheckOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckOutcome::Cleared => "cleared",
            CheckOutcome::NotCleared => "not_cleared",
        }
    }

    pub fn parse(name: &str) -> Option<CheckOutcome> {
        [CheckOutcome::Cleared, CheckOutcome::NotCleared]
            .into_iter()
            .find(|outcome| outcome.as_str() == name)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CheckOutcome::Cleared => "tutors.check.cleared",
            CheckOutcome::NotCleared => "tutors.check.not_cleared",
        }
    }
}

/// A recorded background check. Dates are ISO 8601 (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackgroundCheck {
    pub outcome: CheckOutcome,
    pub done_on: String,
    /// Last day the check counts.
    pub expires_on: String,
    /// The coordinator who recorded it.
    pub recorded_by: String,
}

impl BackgroundCheck {
    /// Whether it is cleared and counts on `today` (`YYYY-MM-DD`; ISO dates
    /// compare as text).
    pub fn is_valid_on(&self, today: &str) -> bool {
        self.outcome == CheckOutcome::Cleared && today <= self.expires_on.as_str()
    }
}

/// Whether a tutor may be proposed to pupils on `today`: approved, with a
/// cleared check that has not expired.
pub fn is_proposable(status: TutorStatus, check: Option<&BackgroundCheck>, today: &str) -> bool {
    status == TutorStatus::Approved && check.is_some_and(|check| check.is_valid_on(today))
}

/// Years of study after the baccalauréat a tutor may give (1–8: licence,
/// master, doctorate).
pub const STUDY_YEARS: std::ops::RangeInclusive<u8> = 1..=8;

/// A tutor's profile, as the tutor and their coordinators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TutorProfile {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub institution: String,
    pub field_of_study: String,
    pub study_year: u8,
    /// Codes of the académies, the first one the default time zone's.
    pub academies: Vec<String>,
    pub status: TutorStatus,
    pub check: Option<BackgroundCheck>,
    pub proposable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(outcome: CheckOutcome, expires_on: &str) -> BackgroundCheck {
        BackgroundCheck {
            outcome,
            done_on: "2026-09-01".into(),
            expires_on: expires_on.into(),
            recorded_by: "Camille Durand".into(),
        }
    }

    #[test]
    fn only_approved_tutors_with_a_cleared_unexpired_check_are_proposable() {
        let good = check(CheckOutcome::Cleared, "2027-08-31");
        assert!(is_proposable(
            TutorStatus::Approved,
            Some(&good),
            "2026-11-30"
        ));
        assert!(
            is_proposable(TutorStatus::Approved, Some(&good), "2027-08-31"),
            "the last day counts"
        );
        assert!(!is_proposable(
            TutorStatus::Approved,
            Some(&good),
            "2027-09-01"
        ));
        assert!(!is_proposable(TutorStatus::Approved, None, "2026-11-30"));
        let bad = check(CheckOutcome::NotCleared, "2027-08-31");
        assert!(!is_proposable(
            TutorStatus::Approved,
            Some(&bad),
            "2026-11-30"
        ));
        for status in [
            TutorStatus::Pending,
            TutorStatus::Refused,
            TutorStatus::Suspended,
        ] {
            assert!(
                !is_proposable(status, Some(&good), "2026-11-30"),
                "{status:?}"
            );
            assert_eq!(TutorStatus::parse(status.as_str()), Some(status));
        }
    }
}
