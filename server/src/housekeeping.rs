//! Periodic clean-up inside every running server: expired login sessions,
//! old account links, and recovered rate-limit counts. Safe with several
//! instances: each deletion is idempotent.

use std::sync::Arc;
use std::time::Duration;

use app::accounts::rate_limit::RateLimits;
use app::clock::Clock;
use app::db::Db;
use chrono::{DateTime, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;

/// Time between two rounds.
pub const PERIOD: Duration = Duration::from_secs(10 * 60);
/// Used or expired account links are kept this long, to answer "why did my
/// link not work" from the database, then deleted.
pub const LINKS_KEPT: TimeDelta = TimeDelta::days(7);

/// One round; returns the login sessions and links deleted.
///
/// # Errors
/// The database's error.
pub async fn run_once(
    db: &Db,
    limits: &RateLimits,
    now: DateTime<Utc>,
) -> Result<(u64, u64), sqlx::Error> {
    limits.forget_recovered();
    let sessions = crate::login_sessions::delete_expired(db, now).await?;
    let cutoff = now - LINKS_KEPT;
    let links = app::on_db!(db, |pool| sqlx::query(
        "DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $1"
    )
    .bind(cutoff)
    .execute(pool)
    .await?
    .rows_affected());
    Ok((sessions, links))
}

/// Runs a round every [`PERIOD`] until `stop`.
pub async fn run(db: Db, limits: Arc<RateLimits>, clock: Arc<dyn Clock>, stop: CancellationToken) {
    let mut ticks = tokio::time::interval(PERIOD);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = ticks.tick() => {}
        }
        match run_once(&db, &limits, clock.now()).await {
            Ok((sessions, links)) => {
                tracing::debug!(sessions, links, "housekeeping: expired rows deleted");
            }
            Err(error) => {
                tracing::warn!(error = %error, "housekeeping failed; next round in 10 min")
            }
        }
    }
}
