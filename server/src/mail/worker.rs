//! The mail worker: a background task that delivers the outbox.

use std::sync::Arc;
use std::time::Duration;

use app::clock::Clock;
use app::db::Db;
use app::mail::outbox::{self, ClaimedEmail, RetryPolicy};
use chrono::TimeDelta;
use lettre::message::Mailbox;
use tokio_util::sync::CancellationToken;

use super::message;
use super::transport::{Delivered, SendFailure, Transport};

/// How a worker claims and paces its work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkerSettings {
    /// Emails claimed at once.
    pub batch: u32,
    /// How long a claim lasts. It must outlast sending a whole batch
    /// (`batch` × [`SMTP_TIMEOUT`](super::transport::SMTP_TIMEOUT)), or a slow batch would be claimed again
    /// by another worker while still being sent.
    pub lease: TimeDelta,
    /// Wait between two looks at the outbox when nothing was due.
    pub poll_interval: Duration,
    /// Retry delays and the attempt limit.
    pub policy: RetryPolicy,
}

impl Default for WorkerSettings {
    fn default() -> WorkerSettings {
        WorkerSettings {
            batch: 5,
            lease: TimeDelta::minutes(2),
            poll_interval: Duration::from_secs(2),
            policy: RetryPolicy::default(),
        }
    }
}

/// How often the worker refreshes the outbox gauges.
const GAUGE_INTERVAL: Duration = Duration::from_secs(30);

/// What one pass of the worker did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub claimed: usize,
    pub sent: usize,
    /// Failed transiently, to be tried again later.
    pub retried: usize,
    /// Became dead letters.
    pub dead: usize,
}

/// Delivers the outbox of one database through one transport.
#[derive(Debug)]
pub struct Worker {
    db: Db,
    transport: Transport,
    from: Mailbox,
    clock: Arc<dyn Clock>,
    settings: WorkerSettings,
    id: String,
}

impl Worker {
    /// A worker with a fresh identity (several may share one database).
    pub fn new(
        db: Db,
        transport: Transport,
        from: Mailbox,
        clock: Arc<dyn Clock>,
        settings: WorkerSettings,
    ) -> Worker {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "binome".into());
        let id = format!(
            "{host}/{}/{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Worker {
            db,
            transport,
            from,
            clock,
            settings,
            id,
        }
    }

    /// The name this worker writes into the rows it claims.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Claims the emails due now (one batch) and tries to deliver each.
    ///
    /// # Errors
    /// The database's error when claiming or recording fails; a claimed
    /// email whose outcome could not be recorded is claimed again after its
    /// lease.
    pub async fn run_once(&self) -> Result<RunReport, sqlx::Error> {
        let now = self.clock.now();
        let claimed = outbox::claim(
            &self.db,
            &self.id,
            now,
            self.settings.lease,
            self.settings.batch,
        )
        .await?;
        let mut report = RunReport {
            claimed: claimed.len(),
            ..RunReport::default()
        };
        for email in claimed {
            match self.deliver(&email).await? {
                Outcome::Sent => report.sent += 1,
                Outcome::Retried => report.retried += 1,
                Outcome::Dead => report.dead += 1,
            }
        }
        Ok(report)
    }

    async fn deliver(&self, email: &ClaimedEmail) -> Result<Outcome, sqlx::Error> {
        let policy = self.settings.policy;
        if email.attempts > policy.max_attempts {
            // Only a row whose lease expired again and again gets here.
            let reason = format!("gave up after {} attempts", policy.max_attempts);
            return self.give_up(email, &reason).await;
        }
        let message = match message::build(email, &self.from) {
            Ok(message) => message,
            Err(error) => return self.give_up(email, &error.to_string()).await,
        };
        match self.transport.send(message).await {
            Ok(delivered) => {
                let now = self.clock.now();
                if !outbox::mark_sent(&self.db, email.id, &self.id, now).await? {
                    tracing::warn!(
                        email = email.id.0,
                        "sent after the lease ended; another worker may send it again"
                    );
                }
                metrics::counter!("binome_emails_sent_total").increment(1);
                match delivered {
                    Delivered::Smtp => tracing::info!(
                        email = email.id.0,
                        kind = %email.kind,
                        attempts = email.attempts,
                        "email sent"
                    ),
                    Delivered::File(path) => tracing::info!(
                        to = %email.to.address,
                        subject = %email.subject,
                        file = %path.display(),
                        "email written"
                    ),
                }
                Ok(Outcome::Sent)
            }
            Err(SendFailure {
                permanent: true,
                reason,
            }) => self.give_up(email, &reason).await,
            Err(SendFailure {
                permanent: false,
                reason,
            }) if policy.exhausted(email.attempts) => {
                let reason = format!("gave up after {} attempts: {reason}", email.attempts);
                self.give_up(email, &reason).await
            }
            Err(SendFailure {
                permanent: false,
                reason,
            }) => {
                let delay = policy.delay(email.attempts, rand::random::<f64>());
                let at = self.clock.now() + delay;
                outbox::reschedule(&self.db, email.id, &self.id, at, &reason).await?;
                metrics::counter!("binome_emails_retried_total").increment(1);
                tracing::warn!(
                    email = email.id.0,
                    attempts = email.attempts,
                    retry_in_seconds = delay.num_seconds(),
                    reason = %reason,
                    "email not sent; will retry"
                );
                Ok(Outcome::Retried)
            }
        }
    }

    async fn give_up(&self, email: &ClaimedEmail, reason: &str) -> Result<Outcome, sqlx::Error> {
        outbox::mark_dead(&self.db, email.id, &self.id, self.clock.now(), reason).await?;
        metrics::counter!("binome_emails_dead_total").increment(1);
        tracing::error!(
            email = email.id.0,
            kind = %email.kind,
            attempts = email.attempts,
            reason = %reason,
            "email given up (dead letter); `binome outbox retry` sends it again"
        );
        Ok(Outcome::Dead)
    }

    /// Delivers until `stop` is cancelled: a pass, then another at once if
    /// the batch was full, else after the poll interval. An email being
    /// sent when `stop` comes is finished first.
    pub async fn run(self, stop: CancellationToken) {
        tracing::info!(worker = %self.id, "mail worker started");
        let mut gauges_due = tokio::time::Instant::now();
        while !stop.is_cancelled() {
            if tokio::time::Instant::now() >= gauges_due {
                self.refresh_gauges().await;
                gauges_due = tokio::time::Instant::now() + GAUGE_INTERVAL;
            }
            let busy = match self.run_once().await {
                Ok(report) => report.claimed == self.settings.batch as usize,
                Err(error) => {
                    tracing::error!(error = %error, "mail worker: database error");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    () = stop.cancelled() => {}
                    () = tokio::time::sleep(self.settings.poll_interval) => {}
                }
            }
        }
        tracing::info!(worker = %self.id, "mail worker stopped");
    }

    async fn refresh_gauges(&self) {
        if let Ok(counts) = outbox::count_by_state(&self.db).await {
            for (state, count) in counts {
                #[allow(clippy::cast_precision_loss)]
                metrics::gauge!("binome_outbox_emails", "state" => state.as_str())
                    .set(count as f64);
            }
        }
    }
}

enum Outcome {
    Sent,
    Retried,
    Dead,
}

#[cfg(test)]
mod tests {
    use super::super::transport::SMTP_TIMEOUT;
    use super::*;

    #[test]
    fn the_default_lease_outlasts_a_whole_batch() {
        let settings = WorkerSettings::default();
        let worst_batch = SMTP_TIMEOUT * settings.batch;
        assert!(
            settings.lease.to_std().expect("positive") > worst_batch,
            "{:?} <= {worst_batch:?}",
            settings.lease
        );
    }
}
