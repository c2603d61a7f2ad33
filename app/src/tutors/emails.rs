//! The emails about tutors (templates in `templates/email/`).

use serde::Serialize;

use crate::mail::template::EmailTemplate;

/// A tutor's background check expired: to the tutor (`for_tutor`) and to
/// the coordinators of their académies (`check_expired.jinja`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckExpired {
    /// The recipient's name.
    pub name: String,
    pub tutor_name: String,
    pub for_tutor: bool,
}

impl EmailTemplate for CheckExpired {
    const KIND: &'static str = "check_expired";
}
