//! Published proposals (propositions) and matches (binômes): the tutor's
//! answer through the emailed link, the reminder and the expiry of
//! unanswered proposals, and each side's view of their active matches.
//!
//! A proposal is published by a coordinator (see
//! [`crate::matching::publish`]); the tutor accepts or declines it before
//! its delay runs out, is reminded once half-way, and an accepted proposal
//! becomes an active match. A declined or expired proposal simply stops
//! holding the pupil's request, which keeps its `requested_at`: the pupil
//! is back in the pool with their waiting time kept.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::matching::SlotView;

#[cfg(feature = "ssr")]
pub mod deadlines;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod store;

/// Longest reason a tutor may give for declining, in characters.
pub const REASON_MAX_CHARS: usize = 500;

/// Form fields of the answer.
pub mod fields {
    pub const TOKEN: &str = "token";
    pub const PROPOSAL: &str = "proposal_id";
    pub const ANSWER: &str = "answer";
    pub const REASON: &str = "reason";
}

/// A proposal as the tutor reads it from their link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalInvite {
    /// `pending`, `accepted`, `declined`, `expired` or `cancelled`.
    pub status: String,
    /// Pending and not yet expired.
    pub answerable: bool,
    pub pupil_first_name: String,
    pub level_code: String,
    /// The pupil's school: name and commune (empty once the proposal can
    /// no longer be accepted).
    pub school: String,
    /// The subjects the tutor covers, in the pupil's order.
    pub subjects: Vec<String>,
    /// What is difficult, in the pupil's words (empty once the proposal
    /// can no longer be accepted).
    pub difficulty: String,
    pub pupil_slot: SlotView,
    pub tutor_slot: SlotView,
    /// Answer before this, `YYYY-MM-DD HH:MM` in the tutor's zone.
    pub expires_at: String,
}

/// An active match as one of its two sides sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchView {
    pub id: i64,
    /// The other side's full name.
    pub other_name: String,
    /// Whether the viewer is the tutor.
    pub as_tutor: bool,
    pub subjects: Vec<String>,
    /// The weekly slot in the viewer's own zone.
    pub slot: SlotView,
    /// `YYYY-MM-DD`, UTC.
    pub started_on: String,
    /// The weekly sessions proposed or confirmed, if any.
    pub series: Option<crate::sessions::SeriesView>,
    /// The second weekly sessions, for a pupil who asked for two.
    pub second_series: Option<crate::sessions::SeriesView>,
    /// Sessions a week the pupil asked for: 1 or 2.
    pub sessions_per_week: u8,
    /// For the tutor, until the pupil confirms (the first weekly session,
    /// then the second when asked for): the slots they can propose.
    pub slot_choice: Option<crate::sessions::SlotChoice>,
    /// For the pupil, meanwhile: the same slots, in their own zone only.
    pub shared_slots: Vec<SlotView>,
}

/// The proposal behind a tutor's link (`token`: the link's secret).
///
/// # Errors
/// [`AppError::Invalid`] on `token` when no proposal has this link (a
/// reminder replaces the first link).
#[server(prefix = "/api", endpoint = "proposition")]
pub async fn open_proposal(#[server(default)] token: String) -> Result<ProposalInvite, AppError> {
    crate::error::respond(handlers::invite(token).await)
}

/// The tutor's answer: `answer` is `accept` or `decline`; declining needs
/// a `reason` (at most [`REASON_MAX_CHARS`] characters). Accepting makes
/// the match and tells both sides; both are in the audit log.
///
/// # Errors
/// [`AppError::Invalid`] on `answer` or `reason`, or on `token` when the
/// link is unknown or the proposal no longer waits for an answer
/// (answered, expired). Nothing is changed then.
#[server(prefix = "/api", endpoint = "proposition/reponse")]
pub async fn answer_proposal(
    #[server(default)] token: String,
    #[server(default)] answer: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::answer(token, answer, reason).await)
}

/// A proposal waiting for the signed-in tutor's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingProposal {
    pub id: i64,
    pub pupil_first_name: String,
    pub level_code: String,
    pub subjects: Vec<String>,
    /// The weekly slot in the tutor's zone.
    pub tutor_slot: SlotView,
    /// Answer before this, `YYYY-MM-DD HH:MM` in the tutor's zone.
    pub expires_at: String,
}

/// The proposals waiting for the signed-in tutor's answer, for a tutor
/// who no longer has the email. Tutors only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "propositions")]
pub async fn my_proposals() -> Result<Vec<PendingProposal>, AppError> {
    crate::error::respond(handlers::pending().await)
}

/// The signed-in tutor's answer to their proposal `proposal_id`, as
/// [`answer_proposal`] takes it through a link.
///
/// # Errors
/// As [`answer_proposal`], with the error about the proposal on
/// `proposal_id`; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "propositions/reponse")]
pub async fn answer_my_proposal(
    #[server(default)] proposal_id: i64,
    #[server(default)] answer: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::answer_own(proposal_id, answer, reason).await)
}

/// The signed-in pupil's or tutor's active matches.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "binomes")]
pub async fn my_matches() -> Result<Vec<MatchView>, AppError> {
    crate::error::respond(handlers::mine().await)
}

#[cfg(feature = "ssr")]
pub(crate) mod handlers {
    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::token::digest;
    use crate::accounts::{users, Role};
    use crate::audit::store::{record, AuditActor};
    use crate::mail::outbox;

    fn invalid_link() -> AppError {
        AppError::field(fields::TOKEN, "errors.link.invalid")
    }

    pub async fn invite(secret: String) -> Result<ProposalInvite, AppError> {
        let state = app_state()?;
        let secret = secret.trim();
        if secret.is_empty() || secret.len() > 100 {
            return Err(invalid_link());
        }
        let row = store::by_token(&state.db, &digest(secret))
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(invalid_link)?;
        let now = state.clock.now();
        let facts = notify::facts(&state.db, &row, now)
            .await
            .map_err(AppError::from_db)?;
        let pupil: (String, String, String, String) = crate::on_db!(&state.db, |pool| {
            sqlx::query_as(
                "SELECT u.first_name, p.level_code, s.name || ' — ' || s.commune, r.difficulty \
                 FROM users u JOIN pupils p ON p.user_id = u.id \
                 JOIN schools s ON s.uai = p.school_uai \
                 JOIN help_requests r ON r.id = $2 WHERE u.id = $1",
            )
            .bind(row.pupil_id)
            .bind(row.request_id)
            .fetch_one(pool)
            .await
            .map_err(AppError::from_db)?
        });
        let answerable = row.status == "pending" && row.expires_at > now;
        // Between the deadline and the next housekeeping round it is
        // still stored as pending: it is expired all the same.
        let status = if row.status == "pending" && !answerable {
            "expired".to_owned()
        } else {
            row.status.clone()
        };
        // Once it can no longer be accepted, the link shows no more about
        // the pupil than their first name.
        let open = answerable || status == "accepted";
        Ok(ProposalInvite {
            answerable,
            status,
            pupil_first_name: pupil.0,
            level_code: pupil.1,
            school: if open { pupil.2 } else { String::new() },
            subjects: row.subjects.clone(),
            difficulty: if open { pupil.3 } else { String::new() },
            expires_at: notify::local_time(row.expires_at, facts.tutor_zone),
            pupil_slot: facts.pupil_slot,
            tutor_slot: facts.tutor_slot,
        })
    }

    /// The answer as given: accepted or not, and the reason.
    fn read_answer(answer: &str, reason: &str) -> Result<(bool, String), AppError> {
        let accepted = match answer {
            "accept" => true,
            "decline" => false,
            _ => return Err(AppError::field(fields::ANSWER, "errors.proposal.answer")),
        };
        let reason = reason.trim();
        if !accepted && reason.is_empty() {
            return Err(AppError::field(
                fields::REASON,
                "errors.proposal.reason_needed",
            ));
        }
        if reason.chars().count() > REASON_MAX_CHARS {
            return Err(AppError::field(
                fields::REASON,
                "errors.proposal.reason_long",
            ));
        }
        Ok((accepted, reason.to_owned()))
    }

    pub async fn answer(secret: String, answer: String, reason: String) -> Result<(), AppError> {
        let (accepted, reason) = read_answer(&answer, &reason)?;
        let secret = secret.trim();
        if secret.is_empty() || secret.len() > 100 {
            return Err(invalid_link());
        }
        let state = app_state()?;
        let hash = digest(secret);
        conclude(
            &state,
            store::Answering::Link(&hash),
            fields::TOKEN,
            accepted,
            &reason,
        )
        .await
    }

    pub async fn answer_own(
        proposal_id: i64,
        answer: String,
        reason: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        let (accepted, reason) = read_answer(&answer, &reason)?;
        conclude(
            &state,
            store::Answering::Own {
                id: proposal_id,
                tutor_id: actor.id(),
            },
            fields::PROPOSAL,
            accepted,
            &reason,
        )
        .await
    }

    pub async fn pending() -> Result<Vec<PendingProposal>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        let now = state.clock.now();
        let rows = store::pending_of_tutor(&state.db, actor.id(), now)
            .await
            .map_err(AppError::from_db)?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let facts = notify::facts(&state.db, &row, now)
                .await
                .map_err(AppError::from_db)?;
            let pupil: (String, String) = crate::on_db!(&state.db, |pool| {
                sqlx::query_as(
                    "SELECT u.first_name, p.level_code FROM users u \
                     JOIN pupils p ON p.user_id = u.id WHERE u.id = $1",
                )
                .bind(row.pupil_id)
                .fetch_one(pool)
                .await
                .map_err(AppError::from_db)?
            });
            views.push(PendingProposal {
                id: row.id,
                pupil_first_name: pupil.0,
                level_code: pupil.1,
                subjects: row.subjects.clone(),
                tutor_slot: facts.tutor_slot,
                expires_at: notify::local_time(row.expires_at, facts.tutor_zone),
            });
        }
        Ok(views)
    }

    /// Records the answer to the proposal `which` names, in one
    /// transaction with the match, the emails and the audit entry.
    pub(crate) async fn conclude(
        state: &crate::state::AppState,
        which: store::Answering<'_>,
        field: &str,
        accepted: bool,
        reason: &str,
    ) -> Result<(), AppError> {
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let row = store::answer(&mut tx, which, accepted, (!accepted).then_some(reason), now)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(|| AppError::field(field, "errors.proposal.closed"))?;
        let tutor = users::find_in(&mut tx, row.tutor_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(invalid_link)?;
        let actor = AuditActor {
            user_id: Some(tutor.id),
            label: format!("{} {} <{}>", tutor.first_name, tutor.last_name, tutor.email),
        };
        if accepted {
            let match_id = store::start_match(&mut tx, &row, now)
                .await
                .map_err(AppError::from_db)?;
            let emails = notify::match_started(&state.db, &mut tx, &row, &state.public_url, now)
                .await
                .map_err(AppError::from_db)?;
            for email in &emails {
                outbox::enqueue(&mut tx, email, now)
                    .await
                    .map_err(AppError::from_db)?;
            }
            record(
                &mut tx,
                &actor,
                now,
                "match.start",
                ("match", &match_id.to_string()),
                &format!(
                    "proposal={} pupil={} tutor={}",
                    row.id, row.pupil_id, row.tutor_id
                ),
            )
            .await
            .map_err(AppError::from_db)?;
        } else {
            record(
                &mut tx,
                &actor,
                now,
                "proposal.decline",
                ("proposal", &row.id.to_string()),
                &format!("pupil={} reason={reason}", row.pupil_id),
            )
            .await
            .map_err(AppError::from_db)?;
        }
        tx.commit().await.map_err(AppError::from_db)?;
        tracing::info!(proposal = row.id, accepted, "proposal answered");
        Ok(())
    }

    pub async fn mine() -> Result<Vec<MatchView>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let rows = store::active_matches_of(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let as_tutor = row.tutor_id == actor.id();
            let other_id = if as_tutor { row.pupil_id } else { row.tutor_id };
            let other = users::find(&state.db, other_id)
                .await
                .map_err(AppError::from_db)?
                .ok_or(AppError::NotFound)?;
            let facts = notify::facts(&state.db, &row.proposal, now)
                .await
                .map_err(AppError::from_db)?;
            let viewer_zone = if as_tutor {
                facts.tutor_zone
            } else {
                domain::availability::parse_zone(&row.proposal.time_zone)
                    .unwrap_or(chrono_tz::Europe::Paris)
            };
            let mut all = crate::sessions::series_views(&state, row.id, viewer_zone, now)
                .await
                .map_err(AppError::from_db)?;
            let second = all
                .iter()
                .position(|s| s.slot_number == 2)
                .map(|i| all.remove(i));
            let series = all.into_iter().find(|s| s.slot_number == 1);
            let sessions_per_week = crate::sessions::store::sessions_per_week(&state.db, row.id)
                .await
                .map_err(AppError::from_db)?;
            let confirmed = |s: &Option<crate::sessions::SeriesView>| {
                s.as_ref()
                    .filter(|s| s.status == "confirmed")
                    .map(|s| s.pupil_weekday)
            };
            // The first weekly session until it is confirmed, then the
            // second one when the pupil asked for two.
            let choosing = match (confirmed(&series), confirmed(&second)) {
                (None, _) => Some(None),
                (Some(day), None) if sessions_per_week == 2 => Some(Some(day)),
                _ => None,
            };
            let slot_choice = match choosing {
                Some(first_day) => {
                    let choice = crate::sessions::slot_choice_of(
                        &state.db,
                        row.id,
                        row.pupil_id,
                        row.tutor_id,
                        now,
                    )
                    .await
                    .map_err(AppError::from_db)?;
                    Some(match first_day {
                        Some(day) => choice.for_second(day),
                        None => choice,
                    })
                }
                None => None,
            };
            views.push(MatchView {
                id: row.id,
                shared_slots: if as_tutor {
                    Vec::new()
                } else {
                    slot_choice
                        .iter()
                        .flat_map(|c| c.slots.iter().map(|o| o.pupil.clone()))
                        .collect()
                },
                slot_choice: slot_choice.filter(|_| as_tutor),
                series,
                second_series: second,
                sessions_per_week,
                other_name: format!("{} {}", other.first_name, other.last_name),
                as_tutor,
                subjects: row.proposal.subjects.clone(),
                slot: if as_tutor {
                    facts.tutor_slot
                } else {
                    facts.pupil_slot
                },
                started_on: row.started_at.date_naive().to_string(),
            });
        }
        Ok(views)
    }
}
