//! Feedback after each session (issue 8): once a session has ended, both
//! sides of the match are asked, on their next visit (`/avis`, and a notice
//! on `/compte`) and by one email, whether it took place, how it went from
//! 1 to 5, what was worked on (the tutor) and how confident the pupil now
//! feels (1 to 5), with an optional comment. The rules of the answers are
//! [`domain::feedback`]'s; feedback may be given or corrected for
//! [`FEEDBACK_DAYS`] days after the session's end.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// How long after a session's end feedback may be given, in days
/// (`domain::feedback::FEEDBACK_DAYS`; the browser build has no `domain`).
pub const FEEDBACK_DAYS: i64 = 14;
/// The longest "what was worked on", in characters
/// (`domain::feedback::WORKED_ON_MAX_CHARS`).
pub const WORKED_ON_MAX_CHARS: usize = 500;
/// The longest comment, in characters (`domain::feedback::COMMENT_MAX_CHARS`).
pub const COMMENT_MAX_CHARS: usize = 1000;

#[cfg(feature = "ssr")]
const _: () = assert!(
    FEEDBACK_DAYS == domain::feedback::FEEDBACK_DAYS
        && WORKED_ON_MAX_CHARS == domain::feedback::WORKED_ON_MAX_CHARS
        && COMMENT_MAX_CHARS == domain::feedback::COMMENT_MAX_CHARS
);

#[cfg(feature = "ssr")]
pub mod asks;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod store;

/// Form fields.
pub mod fields {
    pub const OCCURRENCE: &str = "occurrence_id";
    pub const TOOK_PLACE: &str = "took_place";
    pub const RATING: &str = "rating";
    pub const WORKED_ON: &str = "worked_on";
    pub const CONFIDENCE: &str = "confidence";
    pub const COMMENT: &str = "comment";
}

/// A session of the signed-in user that has ended and awaits their
/// feedback, in their own time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackDue {
    pub occurrence_id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    /// `HH:MM`.
    pub from: String,
    pub time_zone: String,
    /// The other side's full name.
    pub other_name: String,
    /// Whether the user is the tutor (asked what was worked on) or the
    /// pupil (asked how confident they feel).
    pub as_tutor: bool,
    /// When feedback closes ([`FEEDBACK_DAYS`] days after the session's
    /// end) in their zone: the date, `YYYY-MM-DD`…
    pub until: String,
    /// …and the time, `HH:MM`.
    pub until_time: String,
}

/// The signed-in pupil's or tutor's sessions that have ended in the last
/// [`FEEDBACK_DAYS`] days and that they have not given feedback on yet,
/// oldest first.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "avis/a-donner")]
pub async fn pending_feedback() -> Result<Vec<FeedbackDue>, AppError> {
    crate::error::respond(handlers::pending().await)
}

/// The signed-in pupil or tutor gives (or corrects) their feedback on the
/// session `occurrence_id`: `took_place` `yes` or `no`; when it took
/// place, `rating` 1–5, and `worked_on` (the tutor, at most
/// [`WORKED_ON_MAX_CHARS`] characters) or `confidence` 1–5 (the pupil);
/// `comment` optional, at most [`COMMENT_MAX_CHARS`] characters. Fields
/// that are not theirs to give are ignored.
///
/// # Errors
/// [`AppError::Invalid`], field by field, nothing written (see
/// [`domain::feedback::check`]); on `form` before the session has ended or
/// more than [`FEEDBACK_DAYS`] days after. [`AppError::NotFound`] when it
/// is not a session of theirs, or one cancelled or skipped.
#[server(prefix = "/api", endpoint = "avis/donner")]
pub async fn give_feedback(
    #[server(default)] occurrence_id: i64,
    #[server(default)] took_place: String,
    #[server(default)] rating: String,
    #[server(default)] worked_on: String,
    #[server(default)] confidence: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    crate::error::respond(
        handlers::give(
            occurrence_id,
            &took_place,
            &rating,
            &worked_on,
            &confidence,
            &comment,
        )
        .await,
    )
}

#[cfg(feature = "ssr")]
mod handlers {
    use domain::feedback::{self, Field, Problem, Side};

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::availability::store as availability;

    pub async fn pending() -> Result<Vec<FeedbackDue>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let zone = availability::zone(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        let sessions = store::pending(&state.db, actor.id(), now)
            .await
            .map_err(AppError::from_db)?;
        Ok(sessions
            .into_iter()
            .map(|s| {
                use chrono::Datelike;
                let local = s.starts_at.with_timezone(&zone);
                let closes =
                    (s.ends_at + chrono::Duration::days(FEEDBACK_DAYS)).with_timezone(&zone);
                FeedbackDue {
                    occurrence_id: s.occurrence_id,
                    date: local.date_naive().to_string(),
                    weekday: u8::try_from(local.weekday().number_from_monday()).unwrap_or(1),
                    from: local.format("%H:%M").to_string(),
                    time_zone: zone.name().to_owned(),
                    other_name: s.other_name,
                    as_tutor: s.as_tutor,
                    until: closes.date_naive().to_string(),
                    until_time: closes.format("%H:%M").to_string(),
                }
            })
            .collect())
    }

    pub async fn give(
        occurrence_id: i64,
        took_place: &str,
        rating: &str,
        worked_on: &str,
        confidence: &str,
        comment: &str,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let session = store::session_of(&state.db, occurrence_id, actor.id())
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        let side = if session.as_tutor {
            Side::Tutor
        } else {
            Side::Pupil
        };
        let answers = feedback::check(
            side,
            feedback::Form {
                took_place,
                rating,
                worked_on,
                confidence,
                comment,
            },
        )
        .map_err(|problems| {
            let pairs: Vec<(&str, &str)> = problems
                .iter()
                .map(|&(field, problem)| (field_name(field), error_key(field, problem)))
                .collect();
            AppError::fields(&pairs)
        })?;
        if now < session.ends_at {
            return Err(AppError::field("form", "errors.feedback.not_yet"));
        }
        if !feedback::open(session.ends_at, now) {
            return Err(AppError::field("form", "errors.feedback.closed"));
        }
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        store::save(&mut tx, occurrence_id, side, actor.id(), &answers, now)
            .await
            .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    fn field_name(field: Field) -> &'static str {
        match field {
            Field::TookPlace => fields::TOOK_PLACE,
            Field::Rating => fields::RATING,
            Field::WorkedOn => fields::WORKED_ON,
            Field::Confidence => fields::CONFIDENCE,
            Field::Comment => fields::COMMENT,
        }
    }

    fn error_key(field: Field, problem: Problem) -> &'static str {
        match (field, problem) {
            (Field::TookPlace, _) => "errors.feedback.took_place",
            (Field::Rating, _) => "errors.feedback.rating",
            (Field::Confidence, _) => "errors.feedback.confidence",
            (Field::WorkedOn, Problem::TooLong) => "errors.feedback.worked_on_long",
            (Field::WorkedOn, _) => "errors.feedback.worked_on_needed",
            (Field::Comment, _) => "errors.feedback.comment_long",
        }
    }
}
