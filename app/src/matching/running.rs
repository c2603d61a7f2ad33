//! One run at a time on any académie: a coordinator's run (dry run, a
//! check of a pair added by hand, or publication) holds the académies of
//! their scope in `matching_runs`, and a run on an overlapping scope is
//! refused meanwhile. Safe with several server instances; a run that
//! crashed is taken over after [`STALE_AFTER`].

use std::future::Future;

use chrono::{DateTime, TimeDelta, Utc};

use crate::accounts::actor::Actor;
use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;

/// After this, a held académie is taken over (its run crashed).
pub const STALE_AFTER: TimeDelta = TimeDelta::minutes(10);

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

/// Holds `academies` for `coordinator_id` at `now`, taking over what they
/// held already (a run of theirs whose request was abandoned). Returns
/// false, holding nothing, when another coordinator's run holds one of
/// them.
///
/// # Errors
/// The database's error.
pub async fn acquire(
    db: &Db,
    academies: &[String],
    coordinator_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    // A crashed run's, and the caller's own (a request they abandoned).
    crate::on_tx!(&mut tx, |conn| sqlx::query(
        "DELETE FROM matching_runs WHERE started_at < $1 OR coordinator_user_id = $2"
    )
    .bind(now - STALE_AFTER)
    .bind(coordinator_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    for code in academies {
        let inserted = crate::on_tx!(&mut tx, |conn| sqlx::query(
            "INSERT INTO matching_runs (academy_code, coordinator_user_id, started_at) \
             VALUES ($1, $2, $3)"
        )
        .bind(code)
        .bind(coordinator_id)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map(|done| done.rows_affected()));
        match inserted {
            Ok(_) => {}
            Err(error) if is_unique_violation(&error) => {
                tx.rollback().await?;
                return Ok(false);
            }
            Err(error) => return Err(error),
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// What a run is doing, as the page shows it while it waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading the requests, offers and availability of the scope.
    Pool,
    /// Finding the feasible pairs and the optimal set.
    Solve,
    /// Explaining who is left out, and the unmet needs.
    Explain,
    /// Storing the proposals and emailing the tutors.
    Publish,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Pool => "pool",
            Stage::Solve => "solve",
            Stage::Explain => "explain",
            Stage::Publish => "publish",
        }
    }
}

/// Records that `coordinator_id`'s run reached `stage`. Best effort: a
/// failure is logged, the run goes on.
pub async fn set_stage(db: &Db, coordinator_id: i64, stage: Stage) {
    let done = crate::on_db!(db, |pool| sqlx::query(
        "UPDATE matching_runs SET stage = $1 WHERE coordinator_user_id = $2"
    )
    .bind(stage.as_str())
    .bind(coordinator_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()));
    if let Err(error) = done {
        tracing::warn!(error = %error, "a matching run's stage was not recorded");
    }
}

/// The run holding one of `academies`, if any: its stage, whether
/// `coordinator_id` runs it, and when it started.
///
/// # Errors
/// The database's error.
pub async fn current(
    db: &Db,
    academies: &[String],
    coordinator_id: i64,
) -> Result<Option<(String, bool, DateTime<Utc>)>, sqlx::Error> {
    if academies.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT stage, coordinator_user_id, started_at FROM matching_runs \
         WHERE academy_code IN ({}) ORDER BY started_at LIMIT 1",
        crate::db::placeholders(academies.len())
    );
    let row: Option<(String, i64, DateTime<Utc>)> = crate::on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for academy in academies {
            query = query.bind(academy);
        }
        query.fetch_optional(pool).await?
    });
    Ok(row.map(|(stage, by, at)| (stage, by == coordinator_id, at)))
}

/// Frees what `coordinator_id` holds.
///
/// # Errors
/// The database's error.
pub async fn release(db: &Db, coordinator_id: i64) -> Result<(), sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query(
        "DELETE FROM matching_runs WHERE coordinator_user_id = $1"
    )
    .bind(coordinator_id)
    .execute(pool)
    .await?
    .rows_affected());
    Ok(())
}

/// Runs `work` holding `actor`'s académies.
///
/// # Errors
/// [`AppError::Invalid`] on `form` (`errors.matching.running`) when a run
/// on an overlapping scope is in progress; `work`'s error otherwise.
pub async fn exclusive<T>(
    state: &AppState,
    actor: &Actor,
    work: impl Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let now = state.clock.now();
    if !acquire(&state.db, &actor.academies, actor.id(), now)
        .await
        .map_err(AppError::from_db)?
    {
        return Err(AppError::field("form", "errors.matching.running"));
    }
    let mut held = Held {
        db: state.db.clone(),
        coordinator_id: actor.id(),
        released: false,
    };
    let result = work.await;
    held.released = true;
    if let Err(error) = release(&state.db, actor.id()).await {
        tracing::warn!(error = %error, "a matching run's académies were not freed; taken over after 10 min");
    }
    result
}

/// Frees the académies if the run's future is dropped before it ends (the
/// client went away): the release then runs on its own task.
struct Held {
    db: Db,
    coordinator_id: i64,
    released: bool,
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (db, coordinator_id) = (self.db.clone(), self.coordinator_id);
            runtime.spawn(async move {
                if let Err(error) = release(&db, coordinator_id).await {
                    tracing::warn!(error = %error, "an abandoned matching run's académies were not freed");
                }
            });
        }
    }
}
