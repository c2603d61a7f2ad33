//! The email asking both sides of a match for their feedback once a
//! session has ended (template `feedback_asked.jinja`).

use chrono_tz::Tz;
use serde::Serialize;

use crate::accounts::users::User;
use crate::mail::outbox::NewEmail;
use crate::mail::template::EmailTemplate;
use crate::sessions::emails::when_text;

/// To one side: how did the session go? A link to `/avis`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FeedbackAsked {
    /// The recipient's first name.
    pub name: String,
    /// The other side's full name.
    pub other: String,
    /// The session's day and time in the recipient's zone, in words.
    pub when: String,
    /// When feedback closes, in the recipient's zone, in words.
    pub until: String,
}

impl EmailTemplate for FeedbackAsked {
    const KIND: &'static str = "feedback_asked";
}

impl FeedbackAsked {
    /// Data for the template tests.
    pub fn sample() -> FeedbackAsked {
        FeedbackAsked {
            name: "Hugo".into(),
            other: "Léa Martin".into(),
            when: "mardi 30 mars 2027, 19:00 (Europe/Paris)".into(),
            until: "mardi 13 avril 2027, 20:00 (Europe/Paris)".into(),
        }
    }
}

/// The email asking `to` (in `zone`) about the session with `other` that
/// took place from `starts_at` to `ends_at`.
pub fn asked(
    to: &User,
    other: &User,
    (starts_at, ends_at): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
    zone: Tz,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &FeedbackAsked {
            name: to.first_name.clone(),
            other: format!("{} {}", other.first_name, other.last_name),
            when: when_text(to.lang, starts_at, zone),
            until: when_text(
                to.lang,
                ends_at + chrono::Duration::days(super::FEEDBACK_DAYS),
                zone,
            ),
        },
        public_url,
    )
}
