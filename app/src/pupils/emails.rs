//! The emails about pupils: the parent's consent request and sign-in link,
//! and what coordinators are told (templates in `templates/email/`).

use serde::Serialize;

use crate::mail::template::EmailTemplate;

/// To a parent: what the platform holds about their child under 15, why,
/// and the link to accept or refuse (`parent_consent.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParentConsent {
    pub child_name: String,
    pub school_name: String,
    pub link_path: String,
}

impl EmailTemplate for ParentConsent {
    const KIND: &'static str = "parent_consent";
}

/// To a parent: a single-use link into the parent space (`parent_sign_in.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParentSignIn {
    pub link_path: String,
}

impl EmailTemplate for ParentSignIn {
    const KIND: &'static str = "parent_sign_in";
}

/// To the coordinators of a pupil's académie: a parent withdrew consent
/// (`consent_withdrawn.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsentWithdrawn {
    pub coordinator_name: String,
    pub child_name: String,
    pub school_name: String,
}

impl EmailTemplate for ConsentWithdrawn {
    const KIND: &'static str = "consent_withdrawn";
}

/// To the coordinators of an académie: a problem was reported; the report
/// itself is read on the platform (`problem_reported.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProblemReported {
    pub coordinator_name: String,
}

impl EmailTemplate for ProblemReported {
    const KIND: &'static str = "problem_reported";
}
