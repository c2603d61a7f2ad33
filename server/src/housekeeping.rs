//! Periodic work inside every running server: expired background checks,
//! reminders and expiry of unanswered proposals, feedback asked after
//! sessions, coordinators' alerts,
//! expired login sessions, old account links, and recovered rate-limit
//! counts; once a day, the retention rules (issue 10). Safe with several instances: each step is idempotent, and the
//! expiry of checks runs in one transaction.

use std::sync::Arc;
use std::time::Duration;

use app::accounts::rate_limit::RateLimits;
use app::clock::Clock;
use app::db::Db;
use chrono::{DateTime, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;

/// Time between two rounds.
pub const PERIOD: Duration = Duration::from_secs(10 * 60);
/// Time between two looks for due session reminders: a reminder goes out
/// at most this late.
pub const REMINDER_PERIOD: Duration = Duration::from_secs(60);
/// Time between two runs of the retention job (`app::privacy::retention`):
/// once a day, the first at start.
pub const RETENTION_PERIOD: Duration = Duration::from_secs(24 * 60 * 60);
/// Used or expired account links are kept this long, to answer "why did my
/// link not work" from the database, then deleted.
pub const LINKS_KEPT: TimeDelta = TimeDelta::days(7);

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sessions_deleted: u64,
    pub links_deleted: u64,
    pub checks_expired: usize,
    /// Proposals reminded to their tutor, and expired unanswered.
    pub proposals: app::proposals::deadlines::Deadlines,
    /// Sessions of confirmed series added up to the horizon.
    pub occurrences_added: u64,
    /// Emails asking for feedback on sessions that have ended.
    pub feedback_asked: u64,
    /// Coordinators' alerts raised and closed.
    pub alerts: app::alerts::store::Refreshed,
}

/// One round: expired background checks (tutors back to pending, emails,
/// audit), proposals' reminders and expiry, sessions of confirmed series
/// up to the horizon, feedback asked on sessions that have ended, the
/// coordinators' alerts under `rules`, then expired login sessions and old
/// links.
///
/// # Errors
/// The database's error.
pub async fn run_once(
    db: &Db,
    limits: &RateLimits,
    public_url: &str,
    rules: &domain::alerts::Rules,
    now: DateTime<Utc>,
) -> Result<Round, sqlx::Error> {
    limits.forget_recovered();
    let checks_expired = app::tutors::expiry::expire_checks(db, public_url, now).await?;
    let proposals = app::proposals::deadlines::run(db, public_url, now).await?;
    let occurrences_added = app::sessions::horizon::extend_all(db, public_url, now).await?;
    let feedback_asked = app::feedback::asks::ask_due(db, public_url, now).await?;
    let sessions = crate::login_sessions::delete_expired(db, now).await?;
    // Last, and not in the way of the rest when it fails.
    let alerts = match app::alerts::store::refresh(db, rules, now).await {
        Ok(alerts) => alerts,
        Err(error) => {
            tracing::warn!(%error, "alerts not refreshed; next round in 10 min");
            app::alerts::store::Refreshed::default()
        }
    };
    let cutoff = now - LINKS_KEPT;
    let links = app::on_db!(db, |pool| sqlx::query(
        "DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $1"
    )
    .bind(cutoff)
    .execute(pool)
    .await?
    .rows_affected());
    Ok(Round {
        sessions_deleted: sessions,
        links_deleted: links,
        checks_expired,
        proposals,
        occurrences_added,
        feedback_asked,
        alerts,
    })
}

/// What housekeeping reads from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Base of the links in emails.
    pub public_url: String,
    /// The video link of online sessions, with `{room}`.
    pub video_url_template: Option<String>,
    /// How long before a session each reminder goes.
    pub reminders: Vec<TimeDelta>,
    /// The thresholds of the coordinators' alerts.
    pub alert_rules: domain::alerts::Rules,
    /// The platform's state, for the retention job, which erases accounts
    /// as the platform does (the other side of a pair told by email); its
    /// `retention` is the policy applied.
    pub state: app::state::AppState,
}

/// Runs a round every [`PERIOD`], and sends the session reminders due
/// (`settings.reminders`: how long before a session) every
/// [`REMINDER_PERIOD`], until `stop`.
pub async fn run(
    db: Db,
    limits: Arc<RateLimits>,
    settings: Settings,
    clock: Arc<dyn Clock>,
    stop: CancellationToken,
) {
    let Settings {
        public_url,
        video_url_template,
        reminders,
        alert_rules,
        state,
    } = settings;
    let mut ticks = tokio::time::interval(PERIOD);
    let mut reminder_ticks = tokio::time::interval(REMINDER_PERIOD);
    let mut retention_ticks = tokio::time::interval(RETENTION_PERIOD);
    let links = app::sessions::reminders::Links {
        public_url: &public_url,
        video_url_template: video_url_template.as_deref(),
    };
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = reminder_ticks.tick() => {
                match app::sessions::reminders::send_due(&db, &reminders, links, clock.now()).await {
                    Ok(0) => {}
                    Ok(queued) => tracing::info!(emails = queued, "session reminders queued"),
                    Err(error) => tracing::warn!(error = %error, "session reminders failed; next look in 1 min"),
                }
                continue;
            }
            _ = retention_ticks.tick() => {
                match app::privacy::retention::apply(&state, clock.now()).await {
                    Ok(done) => tracing::info!(
                        warned = done.warn.len(),
                        erased = done.erase.len(),
                        texts = done.texts,
                        reports = done.reports,
                        emails = done.emails,
                        "retention applied"
                    ),
                    Err(error) => tracing::warn!(error = %error, "retention failed; next run in 24 h"),
                }
                continue;
            }
            _ = ticks.tick() => {}
        }
        match run_once(&db, &limits, &public_url, &alert_rules, clock.now()).await {
            Ok(round) => {
                tracing::debug!(?round, "housekeeping done");
                if round.checks_expired > 0 {
                    tracing::info!(tutors = round.checks_expired, "background checks expired");
                }
            }
            Err(error) => {
                tracing::warn!(error = %error, "housekeeping failed; next round in 10 min")
            }
        }
    }
}
