//! Publishing a coordinator's reviewed run: every proposal stored and its
//! tutor emailed, or nothing (see [`super::publish_matching`]).

use chrono::{Datelike, NaiveDate};

use super::{fields, handlers, review};
use crate::accounts::actor::{app_state, Actor};
use crate::accounts::token::{digest, new_secret};
use crate::accounts::Role;
use crate::audit::store::{record, AuditActor};
use crate::db::Engine;
use crate::error::AppError;
use crate::mail::outbox;
use crate::proposals::notify;
use crate::proposals::store::{self, NewProposal};
use crate::state::AppState;

fn changed() -> AppError {
    AppError::field(fields::FINGERPRINT, "errors.matching.changed")
}

/// The handler of [`super::publish_matching`].
pub async fn publish(start: String, fingerprint: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = Actor::require(&state, &[Role::Coordinator]).await?;
    let today = handlers::scope_today(&state, &actor).await?;
    let first = handlers::first_day(&start, today)?;
    let published = super::running::exclusive(
        &state,
        &actor,
        publish_run(&state, &actor, first, fingerprint.trim()),
    )
    .await?;
    tracing::info!(published, "matching published");
    leptos_axum::redirect(&format!("/coordination/appariement?publie={published}"));
    Ok(())
}

/// Publishes the run of `actor`'s scope from `first` if its fingerprint is
/// `fingerprint`; returns how many proposals.
pub(crate) async fn publish_run(
    state: &AppState,
    actor: &Actor,
    first: NaiveDate,
    fingerprint: &str,
) -> Result<usize, AppError> {
    let now = state.clock.now();
    let delay = state.answer_delay;

    // Writers wait for each other from here to the commit: SQLite's
    // BEGIN IMMEDIATE takes the write lock; on PostgreSQL, an advisory
    // lock serialises publications, so two coordinators sharing a tutor
    // cannot both take their last place.
    // Before the transaction: on SQLite this write would wait for it.
    super::running::set_stage(&state.db, actor.id(), super::running::Stage::Publish).await;
    let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
    if state.db.engine() == Engine::Postgres {
        crate::on_tx!(&mut tx, |conn| sqlx::query(
            "SELECT pg_advisory_xact_lock(hashtext('binome.matching.publish'))"
        )
        .execute(&mut *conn)
        .await
        .map_err(AppError::from_db)?
        .rows_affected());
    }
    let scoped = handlers::scoped(state, actor, first, false).await?;
    if scoped.fingerprint() != fingerprint {
        return Err(changed());
    }
    if scoped.outcome.proposals.is_empty() {
        return Err(AppError::field(
            fields::FINGERPRINT,
            "errors.matching.nothing",
        ));
    }
    let audit = AuditActor::from(actor);
    let problem = &scoped.pool.problem;
    for p in &scoped.outcome.proposals {
        let pupil = &scoped.pool.pupils[p.pupil].item;
        let tutor = &scoped.pool.tutors[p.tutor];
        let (free, load) = store::recheck(&mut tx, pupil.request.id, tutor.tutor_id)
            .await
            .map_err(AppError::from_db)?;
        if !free || load >= i64::from(tutor.offer.capacity) {
            return Err(changed());
        }
        let proposal = NewProposal {
            request_id: pupil.request.id,
            pupil_id: pupil.pupil_id,
            tutor_id: tutor.tutor_id,
            subjects: p
                .subjects
                .iter()
                .map(|&s| crate::subjects::SUBJECTS[usize::from(s)].code.to_owned())
                .collect(),
            weekday: i32::try_from(p.slot.weekday.number_from_monday()).unwrap_or(1),
            start_minute: i32::from(p.slot.start),
            minutes: i32::from(p.slot.minutes),
            time_zone: problem.pupils[p.pupil]
                .availability
                .zone()
                .name()
                .to_owned(),
            score: i64::try_from(p.score.total()).unwrap_or(i64::MAX),
            manual_reason: if p.fixed {
                scoped.manual_reason(pupil.pupil_id, tutor.tutor_id)
            } else {
                None
            },
        };
        let secret = new_secret();
        let id = store::insert(
            &mut tx,
            &proposal,
            &digest(&secret),
            actor.id(),
            now,
            now + delay / 2,
            now + delay,
        )
        .await
        .map_err(AppError::from_db)?;
        let row = store::ProposalRow {
            id,
            request_id: proposal.request_id,
            pupil_id: proposal.pupil_id,
            tutor_id: proposal.tutor_id,
            subjects: proposal.subjects.clone(),
            weekday: proposal.weekday,
            start_minute: proposal.start_minute,
            minutes: proposal.minutes,
            time_zone: proposal.time_zone.clone(),
            score: proposal.score,
            manual_reason: proposal.manual_reason.clone(),
            status: "pending".to_owned(),
            published_at: now,
            expires_at: now + delay,
        };
        let email = notify::proposal_email(
            &state.db,
            &mut tx,
            &row,
            &secret,
            false,
            &state.public_url,
            now,
        )
        .await
        .map_err(AppError::from_db)?;
        // An address that no longer parses gets no email: the audit says so.
        let emailed = email.is_some();
        if let Some(email) = email {
            outbox::enqueue(&mut tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        record(
            &mut tx,
            &audit,
            now,
            "proposal.publish",
            ("proposal", &id.to_string()),
            &format!(
                "pupil={} tutor={} score={} manual={} emailed={emailed}",
                row.pupil_id,
                row.tutor_id,
                row.score,
                row.manual_reason.as_deref().unwrap_or("-")
            ),
        )
        .await
        .map_err(AppError::from_db)?;
    }
    review::clear(&mut tx, actor.id())
        .await
        .map_err(AppError::from_db)?;
    let published = scoped.outcome.proposals.len();
    record(
        &mut tx,
        &audit,
        now,
        "matching.publish",
        ("matching", &first.to_string()),
        &format!(
            "proposals={published} pupils={} tutors={} greedy={} total_score={} week={}",
            problem.pupils.len(),
            problem.tutors.len(),
            scoped.outcome.greedy_matched,
            scoped.outcome.total_score,
            first.iso_week().week()
        ),
    )
    .await
    .map_err(AppError::from_db)?;
    tx.commit().await.map_err(AppError::from_db)?;
    Ok(published)
}
