//! The volunteer attestation (issue 8): what a tutor's sessions over a
//! period add up to, for their university (many grant credits for
//! volunteering).
//!
//! A session counts when it was held: it has ended, was neither cancelled
//! nor skipped, and a side said it took place while neither said it did
//! not (an attestation states only what someone confirmed). It belongs to
//! the period by its local date in the pair's zone, both ends included.

use std::collections::BTreeSet;

use chrono::NaiveDate;

/// One of the tutor's sessions that has ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Its local date, in the pair's zone.
    pub date: NaiveDate,
    /// Its length, in minutes.
    pub minutes: u32,
    /// What the sides answered: `Some(true)` took place, `Some(false)` did
    /// not, `None` no answer; one entry per side that answered or not.
    pub answers: Vec<Option<bool>>,
    /// The pupil (her user id), to count pupils.
    pub pupil: i64,
    /// The subjects the tutor covers in that pair (codes).
    pub subjects: Vec<String>,
}

impl Session {
    /// Held: a side said it took place, and neither said it did not.
    pub fn held(&self) -> bool {
        crate::feedback::held(&self.answers)
    }
}

/// What the sessions held from `from` to `to` add up to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub sessions: u32,
    /// Total length, in minutes.
    pub minutes: u32,
    /// Distinct pupils helped.
    pub pupils: u32,
    /// The subjects taught, sorted, each once.
    pub subjects: Vec<String>,
}

/// The sessions of `sessions` held from `from` to `to` (both included),
/// added up.
pub fn summarise(sessions: &[Session], from: NaiveDate, to: NaiveDate) -> Summary {
    let held: Vec<&Session> = sessions
        .iter()
        .filter(|s| (from..=to).contains(&s.date) && s.held())
        .collect();
    let pupils: BTreeSet<i64> = held.iter().map(|s| s.pupil).collect();
    let subjects: BTreeSet<&String> = held.iter().flat_map(|s| &s.subjects).collect();
    Summary {
        sessions: u32::try_from(held.len()).unwrap_or(u32::MAX),
        minutes: held.iter().map(|s| s.minutes).sum(),
        pupils: u32::try_from(pupils.len()).unwrap_or(u32::MAX),
        subjects: subjects.into_iter().cloned().collect(),
    }
}

#[cfg(test)]
mod tests;
