//! Pupils: their profile (no address, no phone), the age rule, and their
//! parent's consent under 15 (French law sets the digital age of consent
//! at 15: Loi n° 78-17 "Informatique et Libertés", art. 45, after GDPR
//! art. 8).
//!
//! The server functions of the pupil are in [`api`], those of parents in
//! [`parents`].

pub mod api;
pub mod parents;

#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::schools::search::SchoolSummary;

/// Where a parent's consent stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// The pupil was 15 or more when the profile was saved.
    NotRequired,
    /// The parent was asked and has not answered.
    Pending,
    Given,
    Refused,
    /// Given, then withdrawn by the parent.
    Withdrawn,
}

impl Consent {
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::NotRequired => "not_required",
            Consent::Pending => "pending",
            Consent::Given => "given",
            Consent::Refused => "refused",
            Consent::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(name: &str) -> Option<Consent> {
        [
            Consent::NotRequired,
            Consent::Pending,
            Consent::Given,
            Consent::Refused,
            Consent::Withdrawn,
        ]
        .into_iter()
        .find(|consent| consent.as_str() == name)
    }

    /// The locale key describing this state to the pupil and the parent.
    pub fn label_key(self) -> &'static str {
        match self {
            Consent::NotRequired => "pupils.consent.not_required",
            Consent::Pending => "pupils.consent.pending",
            Consent::Given => "pupils.consent.given",
            Consent::Refused => "pupils.consent.refused",
            Consent::Withdrawn => "pupils.consent.withdrawn",
        }
    }
}

/// Whether someone born in `birth_month` of `birth_year` is under 15 in
/// `month` of `year` (months 1–12). Counted in whole months from the birth
/// month: a pupil is 15 from the first day of the month after the one in
/// which they turn 15 (the platform never asks for the day of birth).
pub fn is_under_15(birth_year: i32, birth_month: u32, year: i32, month: u32) -> bool {
    (year, month) <= (birth_year + 15, birth_month)
}

/// Whether a pupil may ask for help: 15 or more, or a parent consented.
pub fn may_request_help(under_15: bool, consent: Consent) -> bool {
    !under_15 || consent == Consent::Given
}

/// A pupil's profile, as the pupil (and their parent and coordinators) see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilProfile {
    pub first_name: String,
    pub last_name: String,
    pub birth_month: u32,
    pub birth_year: i32,
    pub school: SchoolSummary,
    /// A code of `reference/niveaux.csv`.
    pub level_code: String,
    /// The address of the parent asked for consent, if any.
    pub parent_email: Option<String>,
    pub consent: Consent,
    pub under_15: bool,
    pub may_request_help: bool,
}

/// Earliest and latest birth years accepted in `year`: lycée pupils are
/// between 10 and 25 years old (early entrants, late or vocational ones).
pub fn birth_year_range(year: i32) -> std::ops::RangeInclusive<i32> {
    (year - 25)..=(year - 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pupil_is_15_from_the_month_after_the_fifteenth_birthday_month() {
        // Born in March 2011: 15 in March 2026, counted 15 from April 2026.
        assert!(is_under_15(2011, 3, 2026, 2));
        assert!(is_under_15(2011, 3, 2026, 3));
        assert!(!is_under_15(2011, 3, 2026, 4));
        assert!(!is_under_15(2011, 3, 2027, 1));
        // Born in December 2011: 15 from January 2027.
        assert!(is_under_15(2011, 12, 2026, 12));
        assert!(!is_under_15(2011, 12, 2027, 1));
        assert!(is_under_15(2012, 1, 2026, 11));
    }

    #[test]
    fn only_consent_unlocks_help_under_15() {
        for consent in [
            Consent::NotRequired,
            Consent::Pending,
            Consent::Refused,
            Consent::Withdrawn,
        ] {
            assert!(!may_request_help(true, consent), "{consent:?}");
            assert!(may_request_help(false, consent), "{consent:?}");
        }
        assert!(may_request_help(true, Consent::Given));
        for consent in [
            Consent::NotRequired,
            Consent::Pending,
            Consent::Given,
            Consent::Refused,
            Consent::Withdrawn,
        ] {
            assert_eq!(Consent::parse(consent.as_str()), Some(consent));
        }
    }

    #[test]
    fn birth_years_cover_lycee_ages() {
        assert_eq!(birth_year_range(2026), 2001..=2016);
    }
}
