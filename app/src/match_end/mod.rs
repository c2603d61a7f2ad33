//! Ending a match (binôme) with a coded reason (issue 8): by either side
//! or a coordinator of the pupil's académie. The rules (reasons, note,
//! whether the pupil goes back to the waiting list) are
//! [`domain::match_end`]'s.
//!
//! In one transaction: the match becomes `ended` (which frees the tutor's
//! capacity and keeps the pair from being proposed again); its weekly
//! sessions end, those not begun are cancelled; the pupil's request stays
//! open, the time she waited kept (`requested_at` moves on by the time the
//! match lasted), or is closed; the tutor's offer is paused when she is no
//! longer available or on a safeguarding concern, and she is suspended
//! until a coordinator approves her again when the concern comes from the
//! pupil's side or a coordinator; both sides are emailed,
//! with the update for their calendars; a safeguarding ending by a side
//! also reaches the coordinators' report queue; the audit log has it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod store;

/// Form fields.
pub mod fields {
    pub const MATCH: &str = "match_id";
    pub const REASON: &str = "reason";
    pub const NOTE: &str = "note";
    pub const BACK_TO_POOL: &str = "back_to_pool";
}

/// The reason codes, in the form's order (those of
/// `domain::match_end::Reason`, which an ssr test checks).
pub const REASONS: [&str; 6] = [
    "goal_reached",
    "no_longer_needed",
    "no_longer_available",
    "incompatibility",
    "safeguarding",
    "other",
];

/// The longest note, in characters (`domain::match_end::NOTE_MAX_CHARS`).
pub const NOTE_MAX_CHARS: usize = 500;

#[cfg(feature = "ssr")]
const _: () = assert!(NOTE_MAX_CHARS == domain::match_end::NOTE_MAX_CHARS);

/// A pupil's active match, as a coordinator reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairSummary {
    pub id: i64,
    pub tutor_id: i64,
    pub tutor_name: String,
    /// `YYYY-MM-DD`, UTC.
    pub started_on: String,
}

/// The active matches of the pupil `pupil_id`, for a coordinator of her
/// school's académie.
///
/// # Errors
/// [`AppError::NotFound`] outside the scope or for other roles.
#[server(prefix = "/api", endpoint = "coordination/eleve/binomes")]
pub async fn pupil_pairs(#[server(default)] pupil_id: i64) -> Result<Vec<PairSummary>, AppError> {
    crate::error::respond(handlers::pupil_pairs(pupil_id).await)
}

/// Ends the active match `match_id`: `reason` one of [`REASONS`]; `note`
/// for the coordinators (required with `other`, at most
/// [`NOTE_MAX_CHARS`] characters, never shown to the other side);
/// `back_to_pool` (a ticked checkbox: any value) keeps the pupil's request
/// open, read when the pupil or a coordinator ends it (a tutor's ending
/// always keeps it open). The pupil, the tutor, or a coordinator of the
/// pupil's académie may end it.
///
/// # Errors
/// [`AppError::Invalid`], field by field, nothing changed;
/// [`AppError::NotFound`] when the match is not an active one the user may
/// end (already ended included); [`AppError::Unauthorized`] signed out.
#[server(prefix = "/api", endpoint = "binome/terminer")]
pub async fn end_match(
    #[server(default)] match_id: i64,
    #[server(default)] reason: String,
    #[server(default)] note: String,
    #[server(default)] back_to_pool: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::end(match_id, &reason, &note, &back_to_pool).await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use domain::match_end::{self, EndedBy, Field, Problem, Reason};

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::{users, Role};
    use crate::audit::store::{record, AuditActor};
    use crate::mail::outbox;
    use crate::pupils::emails::ProblemReported;

    pub async fn pupil_pairs(pupil_id: i64) -> Result<Vec<PairSummary>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let pupil = crate::pupils::store::find(&state.db, pupil_id)
            .await
            .map_err(AppError::from_db)?
            .filter(|pupil| actor.covers(&pupil.school.academy_code))
            .ok_or(AppError::NotFound)?;
        let rows = store::active_of_pupil(&state.db, pupil.user_id)
            .await
            .map_err(AppError::from_db)?;
        Ok(rows
            .into_iter()
            .map(|(id, tutor_id, tutor_name, started_at)| PairSummary {
                id,
                tutor_id,
                tutor_name,
                started_on: started_at.date_naive().to_string(),
            })
            .collect())
    }

    pub async fn end(
        match_id: i64,
        reason: &str,
        note: &str,
        back_to_pool: &str,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor, Role::Coordinator]).await?;
        let now = state.clock.now();
        let found = store::active(&state.db, match_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        let by = match actor.user.role {
            Role::Pupil if found.pupil_id == actor.id() => EndedBy::Pupil,
            Role::Tutor if found.tutor_id == actor.id() => EndedBy::Tutor,
            Role::Coordinator if actor.covers(&found.academy_code) => EndedBy::Coordinator,
            _ => return Err(AppError::NotFound),
        };
        let ending = match_end::check(
            by,
            match_end::Form {
                reason,
                note,
                back_to_pool,
            },
        )
        .map_err(|problems| {
            let pairs: Vec<(&str, &str)> = problems
                .iter()
                .map(|&(field, problem)| match (field, problem) {
                    (Field::Reason, _) => (fields::REASON, "errors.match_end.reason"),
                    (Field::Note, Problem::TooLong) => (fields::NOTE, "errors.match_end.note_long"),
                    (Field::Note, _) => (fields::NOTE, "errors.match_end.note_needed"),
                })
                .collect();
            AppError::fields(&pairs)
        })?;

        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        // Taking the match first: a second ending at the same moment finds
        // it ended and changes nothing.
        if !store::end(&mut tx, match_id, actor.id(), &ending, now)
            .await
            .map_err(AppError::from_db)?
        {
            return Err(AppError::NotFound);
        }
        if ending.back_to_pool {
            store::requeue(&mut tx, &found, now)
                .await
                .map_err(AppError::from_db)?;
        } else {
            store::close_request(&mut tx, found.request_id, now)
                .await
                .map_err(AppError::from_db)?;
        }
        // A tutor who has no time left, or about whom there is a concern,
        // is proposed nobody else until the pause is taken back.
        let paused = (by == EndedBy::Tutor && ending.reason == Reason::NoLongerAvailable)
            || ending.reason == Reason::Safeguarding;
        if paused {
            store::pause_offer(&mut tx, found.tutor_id, now)
                .await
                .map_err(AppError::from_db)?;
        }
        // A concern about the tutor (from the pupil's side or a
        // coordinator; a tutor's own is about the pupil) suspends her until
        // a coordinator has looked into it: she could otherwise take her
        // pause back and be proposed to another minor.
        let suspended_from = if ending.reason == Reason::Safeguarding && by != EndedBy::Tutor {
            store::suspend_tutor(&mut tx, found.tutor_id, now)
                .await
                .map_err(AppError::from_db)?
        } else {
            None
        };
        let suspended = suspended_from.is_some();
        if let Some(from) = &suspended_from {
            // On the tutor's own history too, as a coordinator's decision is.
            record(
                &mut tx,
                &AuditActor::from(&actor),
                now,
                "tutor.suspend",
                ("tutor", &found.tutor_id.to_string()),
                &format!("from={from} to=suspended match={match_id} reason=safeguarding"),
            )
            .await
            .map_err(AppError::from_db)?;
        }
        let sessions_reason =
            crate::i18n::text(crate::i18n::Lang::default(), "match_end.sessions_cancelled");
        let ended_series =
            store::end_sessions(&mut tx, match_id, actor.id(), &sessions_reason, now)
                .await
                .map_err(AppError::from_db)?;
        let (Some(pupil), Some(tutor)) = (
            users::find_in(&mut tx, found.pupil_id)
                .await
                .map_err(AppError::from_db)?,
            users::find_in(&mut tx, found.tutor_id)
                .await
                .map_err(AppError::from_db)?,
        ) else {
            return Err(AppError::NotFound);
        };
        for (to, other, as_pupil) in [(&pupil, &tutor, true), (&tutor, &pupil, false)] {
            let own = to.id == actor.id();
            let told = own || ending.reason.told_to_other_side();
            let Some(email) = emails::ended(
                to,
                other,
                emails::How {
                    by,
                    own,
                    reason: told.then_some(ending.reason),
                    as_pupil,
                    back_to_pool: ending.back_to_pool,
                    sessions: !ended_series.is_empty(),
                    // Told to her only when she said so herself.
                    paused: paused
                        && own
                        && !as_pupil
                        && ending.reason == Reason::NoLongerAvailable,
                    erased: false,
                },
                &state.public_url,
            ) else {
                continue;
            };
            let email = emails::with_cancellations(
                &state,
                &mut tx,
                (email, to.lang),
                &ended_series,
                other,
                now,
            )
            .await
            .map_err(AppError::from_db)?;
            outbox::enqueue(&mut tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        if ending.reason == Reason::Safeguarding && by != EndedBy::Coordinator {
            let body = ending.note.clone().unwrap_or_else(|| {
                crate::i18n::text(
                    crate::i18n::Lang::default(),
                    "match_end.safeguarding_report",
                )
            });
            store::report(&mut tx, actor.id(), &found, &body, now)
                .await
                .map_err(AppError::from_db)?;
            crate::pupils::api::handlers::tell_coordinators(
                &state,
                &mut tx,
                &found.academy_code,
                |coordinator| ProblemReported {
                    coordinator_name: coordinator.first_name.clone(),
                },
            )
            .await?;
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "match.end",
            ("match", &match_id.to_string()),
            &format!(
                "by={} reason={} back_to_pool={} sessions_ended={} offer_paused={paused} \
                 tutor_suspended={suspended}",
                by.code(),
                ending.reason.code(),
                ending.back_to_pool,
                ended_series.len()
            ),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use domain::match_end::Reason;

        use super::super::REASONS;

        #[test]
        fn the_forms_reasons_are_the_domains() {
            let codes: Vec<&str> = Reason::ALL.iter().map(|reason| reason.code()).collect();
            assert_eq!(codes, REASONS);
        }

        #[test]
        fn every_reason_is_worded_in_every_language() {
            for reason in Reason::ALL {
                let key = format!("match_end.reasons.{}", reason.code());
                for lang in crate::i18n::Lang::ALL {
                    assert!(
                        crate::_rust_i18n_try_translate(lang.code(), &key).is_some(),
                        "{}: {key}",
                        lang.code()
                    );
                }
            }
        }
    }
}
