//! A coordinator's review of their dry runs: proposals they removed
//! (`exclude`) and pairs they added by hand with a reason (`fix`), kept in
//! `matching_choices` until they publish or clear them. Every run of theirs
//! honours them.

use chrono::{DateTime, Utc};

use crate::db::{Db, Tx};

/// What a choice does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoiceKind {
    /// The pair may not be proposed.
    Exclude,
    /// The pair is kept as it is.
    Fix,
}

impl ChoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceKind::Exclude => "exclude",
            ChoiceKind::Fix => "fix",
        }
    }

    fn parse(text: &str) -> ChoiceKind {
        if text == "fix" {
            ChoiceKind::Fix
        } else {
            ChoiceKind::Exclude
        }
    }
}

/// One stored choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub pupil_id: i64,
    pub tutor_id: i64,
    pub kind: ChoiceKind,
    pub reason: String,
}

/// `coordinator_id`'s choices, oldest first.
///
/// # Errors
/// The database's error.
pub async fn list(db: &Db, coordinator_id: i64) -> Result<Vec<Choice>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT pupil_user_id, tutor_user_id, kind, reason FROM matching_choices \
         WHERE coordinator_user_id = $1 ORDER BY created_at, pupil_user_id, tutor_user_id"
    )
    .bind(coordinator_id)
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(pupil_id, tutor_id, kind, reason)| Choice {
            pupil_id,
            tutor_id,
            kind: ChoiceKind::parse(&kind),
            reason,
        })
        .collect())
}

/// Records `choice`, replacing an earlier choice on the same pair and, for
/// a pair fixed by hand, any other pair fixed for the same pupil.
///
/// # Errors
/// The database's error.
pub async fn set(
    tx: &mut Tx,
    coordinator_id: i64,
    choice: &Choice,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    forget(tx, coordinator_id, choice.pupil_id, choice.tutor_id).await?;
    if choice.kind == ChoiceKind::Fix {
        crate::on_tx!(tx, |conn| sqlx::query(
            "DELETE FROM matching_choices WHERE coordinator_user_id = $1 AND pupil_user_id = $2 \
             AND kind = 'fix'"
        )
        .bind(coordinator_id)
        .bind(choice.pupil_id)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    crate::on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO matching_choices (coordinator_user_id, pupil_user_id, tutor_user_id, kind, \
         reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(coordinator_id)
    .bind(choice.pupil_id)
    .bind(choice.tutor_id)
    .bind(choice.kind.as_str())
    .bind(&choice.reason)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

/// Removes the choice on one pair. Returns whether there was one.
///
/// # Errors
/// The database's error.
pub async fn forget(
    tx: &mut Tx,
    coordinator_id: i64,
    pupil_id: i64,
    tutor_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = crate::on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM matching_choices WHERE coordinator_user_id = $1 AND pupil_user_id = $2 \
         AND tutor_user_id = $3"
    )
    .bind(coordinator_id)
    .bind(pupil_id)
    .bind(tutor_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(done > 0)
}

/// Removes every choice of `coordinator_id` (after publishing).
///
/// # Errors
/// The database's error.
pub async fn clear(tx: &mut Tx, coordinator_id: i64) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM matching_choices WHERE coordinator_user_id = $1"
    )
    .bind(coordinator_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

pub(crate) mod handlers {
    //! The server functions of the review.

    use chrono::NaiveDate;
    use domain::matching::{solve, ProblemError};

    use super::{forget as forget_choice, set, Choice, ChoiceKind};
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::error::AppError;
    use crate::matching::{fields, handlers, REASON_MAX_CHARS};
    use crate::state::AppState;

    async fn context(start: &str) -> Result<(AppState, Actor, NaiveDate), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let today = handlers::scope_today(&state, &actor).await?;
        let first = handlers::first_day(start, today)?;
        Ok((state, actor, first))
    }

    /// Back to the dry run from `first`.
    pub(crate) fn back_to_run(first: NaiveDate) {
        leptos_axum::redirect(&format!("/coordination/appariement?debut={first}&essai=1"));
    }

    /// Whether `pupil_id` is a pupil of one of `actor`'s académies.
    async fn pupil_in_scope(
        state: &AppState,
        actor: &Actor,
        pupil_id: i64,
    ) -> Result<(), AppError> {
        let academy: Option<String> = crate::on_db!(&state.db, |pool| sqlx::query_scalar(
            "SELECT s.academy_code FROM pupils p JOIN schools s ON s.uai = p.school_uai \
             WHERE p.user_id = $1"
        )
        .bind(pupil_id)
        .fetch_optional(pool)
        .await
        .map_err(AppError::from_db)?);
        match academy {
            Some(code) if actor.covers(&code) => Ok(()),
            _ => Err(AppError::NotFound),
        }
    }

    async fn save(
        state: &AppState,
        actor: &Actor,
        choice: &Choice,
        action: &str,
    ) -> Result<(), AppError> {
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        set(&mut tx, actor.id(), choice, now)
            .await
            .map_err(AppError::from_db)?;
        record(
            &mut tx,
            &AuditActor::from(actor),
            now,
            action,
            ("pupil", &choice.pupil_id.to_string()),
            &format!("tutor={} reason={}", choice.tutor_id, choice.reason),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)
    }

    pub async fn exclude(start: String, pupil_id: i64, tutor_id: i64) -> Result<(), AppError> {
        let (state, actor, first) = context(&start).await?;
        pupil_in_scope(&state, &actor, pupil_id).await?;
        let tutor: Option<i64> = crate::on_db!(&state.db, |pool| sqlx::query_scalar(
            "SELECT user_id FROM tutors WHERE user_id = $1"
        )
        .bind(tutor_id)
        .fetch_optional(pool)
        .await
        .map_err(AppError::from_db)?);
        if tutor.is_none() {
            return Err(AppError::NotFound);
        }
        let choice = Choice {
            pupil_id,
            tutor_id,
            kind: ChoiceKind::Exclude,
            reason: String::new(),
        };
        save(&state, &actor, &choice, "matching_review.exclude").await?;
        back_to_run(first);
        Ok(())
    }

    pub async fn fix(
        start: String,
        pupil_id: i64,
        tutor_id: i64,
        reason: String,
    ) -> Result<(), AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::field(
                fields::REASON,
                "errors.matching.reason_needed",
            ));
        }
        if reason.chars().count() > REASON_MAX_CHARS {
            return Err(AppError::field(
                fields::REASON,
                "errors.matching.reason_long",
            ));
        }
        let (state, actor, first) = context(&start).await?;
        pupil_in_scope(&state, &actor, pupil_id).await?;
        let scoped = crate::matching::running::exclusive(
            &state,
            &actor,
            handlers::scoped(&state, &actor, first, true),
        )
        .await?;
        let pupil = scoped
            .pool
            .pupils
            .iter()
            .position(|p| p.item.pupil_id == pupil_id)
            .ok_or_else(|| AppError::field(fields::PUPIL, "errors.matching.not_in_pool"))?;
        let tutor = scoped
            .pool
            .tutors
            .iter()
            .position(|t| t.tutor_id == tutor_id)
            .ok_or_else(|| AppError::field(fields::TUTOR, "errors.matching.not_in_pool"))?;
        // The pair alone, as the coordinator's only choice: feasible or not.
        let mut problem = scoped.pool.problem.clone();
        problem.excluded.truncate(scoped.spent);
        problem.fixed = vec![(pupil, tutor)];
        match solve(&problem) {
            Ok(_) => {}
            Err(ProblemError::FixedInfeasible(..) | ProblemError::FixedOverCapacity(..)) => {
                return Err(AppError::field(
                    fields::TUTOR,
                    "errors.matching.not_feasible",
                ))
            }
            Err(error) => return Err(AppError::internal(error)),
        }
        let choice = Choice {
            pupil_id,
            tutor_id,
            kind: ChoiceKind::Fix,
            reason: reason.to_owned(),
        };
        save(&state, &actor, &choice, "matching_review.fix").await?;
        back_to_run(first);
        Ok(())
    }

    pub async fn forget(start: String, pupil_id: i64, tutor_id: i64) -> Result<(), AppError> {
        let (state, actor, first) = context(&start).await?;
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        if !forget_choice(&mut tx, actor.id(), pupil_id, tutor_id)
            .await
            .map_err(AppError::from_db)?
        {
            return Err(AppError::NotFound);
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "matching_review.restore",
            ("pupil", &pupil_id.to_string()),
            &format!("tutor={tutor_id}"),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        back_to_run(first);
        Ok(())
    }
}
