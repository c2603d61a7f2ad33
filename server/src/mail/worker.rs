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
    /// How long a claim lasts. The worker renews it just before sending each
    /// email, so it must outlast one delivery ([`SEND_DEADLINE`]); another
    /// worker may claim an email whose lease ended.
    pub lease: TimeDelta,
    /// Wait between two looks at the outbox when nothing was due.
    pub poll_interval: Duration,
    /// Retry delays and the attempt limit.
    pub policy: RetryPolicy,
}

/// Longest time one delivery may take, all SMTP steps together (each step
/// also has its own [`SMTP_TIMEOUT`](super::transport::SMTP_TIMEOUT)). A
/// delivery cut short counts as a transient failure.
pub const SEND_DEADLINE: Duration = Duration::from_secs(60);

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
        let host = crate::host_name().unwrap_or_else(|| "binome".into());
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
        self.run_batch(&CancellationToken::new()).await
    }

    /// One pass, stopping early when `stop` is cancelled: the emails of the
    /// batch not tried yet are given back at once.
    async fn run_batch(&self, stop: &CancellationToken) -> Result<RunReport, sqlx::Error> {
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
            if stop.is_cancelled() {
                outbox::release(&self.db, email.id, &self.id, self.clock.now()).await?;
                continue;
            }
            let until = self.clock.now() + self.settings.lease;
            if !outbox::renew_lease(&self.db, email.id, &self.id, until).await? {
                tracing::warn!(
                    email = email.id.0,
                    "lease lost before sending; left to its new holder"
                );
                continue;
            }
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
        let sent = tokio::time::timeout(SEND_DEADLINE, self.transport.send(message))
            .await
            .unwrap_or_else(|_| {
                Err(SendFailure {
                    permanent: false,
                    reason: format!("no answer within {} s", SEND_DEADLINE.as_secs()),
                })
            });
        match sent {
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
                        to = %email.content.to.address,
                        subject = %email.content.subject,
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
    /// sent when `stop` comes is finished first (within [`SEND_DEADLINE`]);
    /// the rest of its batch is given back for the next worker.
    pub async fn run(self, stop: CancellationToken) {
        tracing::info!(worker = %self.id, "mail worker started");
        let mut gauges_due = tokio::time::Instant::now();
        while !stop.is_cancelled() {
            if tokio::time::Instant::now() >= gauges_due {
                if let Err(error) = self.refresh_gauges().await {
                    tracing::warn!(error = %error, "mail worker: cannot count the outbox");
                }
                gauges_due = tokio::time::Instant::now() + GAUGE_INTERVAL;
            }
            let busy = match self.run_batch(&stop).await {
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

    /// Sets the gauge `binome_outbox_emails{state}` to the number of emails
    /// in each state, read from the database (so every instance reports the
    /// same, whoever queued them). `pending` is what is queued.
    ///
    /// # Errors
    /// The database's error; the gauges keep their last values.
    pub async fn refresh_gauges(&self) -> Result<(), sqlx::Error> {
        for (state, count) in outbox::count_by_state(&self.db).await? {
            #[allow(clippy::cast_precision_loss)]
            metrics::gauge!("binome_outbox_emails", "state" => state.as_str()).set(count as f64);
        }
        Ok(())
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
    fn the_default_lease_outlasts_one_delivery() {
        let lease = WorkerSettings::default().lease.to_std().expect("positive");
        assert!(lease > SEND_DEADLINE, "{lease:?} <= {SEND_DEADLINE:?}");
        assert!(
            SEND_DEADLINE > SMTP_TIMEOUT,
            "one slow step fits in a delivery"
        );
    }
}
