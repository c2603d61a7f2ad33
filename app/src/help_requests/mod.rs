//! A pupil's help request (demande d'aide): one to three subjects taught at
//! their niveau, what is difficult in their own words, how they would like
//! to meet, an optional deadline, and the day they asked (waiting time
//! counts from it). A pupil has at most one open request.
//!
//! An open request can be matched only when nothing blocks it
//! ([`Blocker`]); until then it is a draft, and the pupil is told why.

pub mod api;

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::meeting::Mode;

/// Most subjects in one request.
pub const MAX_SUBJECTS: usize = 3;

/// Longest description of the difficulty, in characters.
pub const DIFFICULTY_MAX_CHARS: usize = 1000;

/// What keeps an open request from being matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocker {
    /// No weekly availability: nobody can find a time.
    NoAvailability,
    /// Under 15 without a parent's consent.
    AwaitingConsent,
}

impl Blocker {
    pub fn label_key(self) -> &'static str {
        match self {
            Blocker::NoAvailability => "requests.blocker.no_availability",
            Blocker::AwaitingConsent => "requests.blocker.awaiting_consent",
        }
    }
}

/// What blocks a request, given whether its owner has any availability and
/// may ask for help (15 or more, or a parent consented).
pub fn blockers(has_availability: bool, may_request_help: bool) -> Vec<Blocker> {
    let mut found = Vec::new();
    if !has_availability {
        found.push(Blocker::NoAvailability);
    }
    if !may_request_help {
        found.push(Blocker::AwaitingConsent);
    }
    found
}

/// An open help request, as its pupil and their coordinators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpRequest {
    pub id: i64,
    /// Subject codes, in the pupil's order.
    pub subjects: Vec<String>,
    pub difficulty: String,
    pub mode: Mode,
    /// Sessions a week asked for: 1, or 2 for more help.
    pub sessions_per_week: u8,
    /// `YYYY-MM-DD`, e.g. an exam date.
    pub deadline: Option<String>,
    /// `YYYY-MM-DD`: the day the request was made.
    pub requested_on: String,
    /// Whole days since it was made.
    pub waiting_days: i64,
    /// Empty when it can be matched.
    pub blockers: Vec<Blocker>,
}

/// The pupil's side of the request page: their niveau (which subjects they
/// may ask for) and their open request, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnHelpRequest {
    pub level_code: String,
    pub request: Option<HelpRequest>,
    /// What would block a request made now.
    pub blockers: Vec<Blocker>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_a_draft_without_availability_or_consent() {
        assert_eq!(blockers(true, true), vec![]);
        assert_eq!(blockers(false, true), vec![Blocker::NoAvailability]);
        assert_eq!(blockers(true, false), vec![Blocker::AwaitingConsent]);
        assert_eq!(blockers(false, false).len(), 2);
    }
}
