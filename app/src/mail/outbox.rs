//! The email outbox: emails are rows, written in the transaction of the
//! change that causes them, and delivered later by a worker.
//!
//! A row's life: `pending` → (claimed) `sending` → `sent`, or back to
//! `pending` with a later `next_attempt_at` after a transient failure, or
//! `dead` after a permanent failure or too many attempts. An administrator
//! can put `dead` rows back to `pending`.
//!
//! A claim is a lease: a `sending` row's `next_attempt_at` is the instant its
//! lease expires, after which any worker may claim it again. So a worker that
//! dies mid-send delays its emails by one lease, never loses them. Claims are
//! exclusive: PostgreSQL skips rows another transaction has locked
//! (`FOR UPDATE SKIP LOCKED`), SQLite serialises writers (`BEGIN IMMEDIATE`).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use crate::db::{Db, Engine, Tx};
use crate::i18n::Lang;
use crate::mail::address::{EmailAddress, HeaderText};
use crate::mail::template::{self, EmailTemplate, RenderError};

/// Where an email is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailState {
    /// Waiting for its next attempt.
    Pending,
    /// Claimed by a worker whose lease has not expired (or which died).
    Sending,
    /// Accepted by the mail server (or written to a file).
    Sent,
    /// Given up: a permanent failure or too many attempts.
    Dead,
}

impl EmailState {
    /// Every state, in life order.
    pub const ALL: [EmailState; 4] = [
        EmailState::Pending,
        EmailState::Sending,
        EmailState::Sent,
        EmailState::Dead,
    ];

    /// The value stored in the `state` column.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailState::Pending => "pending",
            EmailState::Sending => "sending",
            EmailState::Sent => "sent",
            EmailState::Dead => "dead",
        }
    }

    /// Parses a stored (or typed) state name.
    pub fn parse(name: &str) -> Option<EmailState> {
        EmailState::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Who an email is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub address: EmailAddress,
    /// The person's name as it appears in `To:`, if known.
    pub name: Option<HeaderText>,
}

impl Recipient {
    /// `user` at their stored address, named in full; `None` when the
    /// stored address no longer parses.
    pub fn of_user(user: &crate::accounts::users::User) -> Option<Recipient> {
        Some(Recipient {
            address: EmailAddress::parse(&user.email).ok()?,
            name: Some(HeaderText::new(&format!(
                "{} {}",
                user.first_name, user.last_name
            ))),
        })
    }
}

/// A file sent with an email (a calendar invitation, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The name the recipient sees; made one line like any header text.
    pub filename: HeaderText,
    /// A MIME type, e.g. `text/calendar; charset=utf-8; method=REQUEST`.
    pub content_type: String,
    pub content: Vec<u8>,
}

/// What an email says and to whom: rendered, in the recipient's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailContent {
    pub to: Recipient,
    pub lang: Lang,
    pub subject: HeaderText,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    pub attachments: Vec<Attachment>,
}

/// An email ready to be queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEmail {
    /// The template it was made from (`EmailTemplate::KIND`), for listings
    /// and metrics.
    pub kind: &'static str,
    pub content: EmailContent,
}

impl NewEmail {
    /// Renders `data` with its template for `to`, in `lang`, with links
    /// under `public_url`.
    ///
    /// # Errors
    /// [`RenderError`] when the template fails (a bug; tests render every
    /// template).
    pub fn from_template<T: EmailTemplate>(
        to: Recipient,
        lang: Lang,
        data: &T,
        public_url: &str,
    ) -> Result<NewEmail, RenderError> {
        let rendered = template::render(data, lang, public_url)?;
        Ok(NewEmail {
            kind: T::KIND,
            content: EmailContent {
                to,
                lang,
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
                attachments: Vec::new(),
            },
        })
    }

    /// `data` rendered for `user`, in their language; `None` (logged) when
    /// their stored address no longer parses or the template fails.
    pub fn to_user<T: EmailTemplate>(
        user: &crate::accounts::users::User,
        data: &T,
        public_url: &str,
    ) -> Option<NewEmail> {
        let to = Recipient::of_user(user)?;
        match NewEmail::from_template(to, user.lang, data, public_url) {
            Ok(email) => Some(email),
            Err(error) => {
                tracing::error!(error = %error, "email not rendered");
                None
            }
        }
    }

    /// The same email with one more attachment.
    pub fn with_attachment(mut self, attachment: Attachment) -> NewEmail {
        self.content.attachments.push(attachment);
        self
    }
}

/// The outbox row of an email.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailId(pub i64);

/// Queues `email` inside `tx`: it exists if and only if `tx` commits.
///
/// `now` is the creation instant and the first attempt's.
///
/// # Errors
/// The database's error; the caller's transaction should then roll back.
pub async fn enqueue(
    tx: &mut Tx,
    email: &NewEmail,
    now: DateTime<Utc>,
) -> Result<EmailId, sqlx::Error> {
    let public_id = uuid_v4();
    let content = &email.content;
    let id: i64 = crate::on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO email_outbox (public_id, kind, recipient_address, recipient_name, \
             language, subject, body_text, body_html, state, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9) RETURNING id",
        )
        .bind(&public_id)
        .bind(email.kind)
        .bind(content.to.address.as_str())
        .bind(content.to.name.as_ref().map(HeaderText::as_str))
        .bind(content.lang.code())
        .bind(content.subject.as_str())
        .bind(&content.text)
        .bind(&content.html)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
    });
    for (position, attachment) in content.attachments.iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        crate::on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO email_attachments (email_id, position, filename, content_type, content) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(position)
            .bind(attachment.filename.as_str())
            .bind(&attachment.content_type)
            .bind(&attachment.content)
            .execute(&mut *conn)
            .await?;
        });
    }
    Ok(EmailId(id))
}

/// An email a worker holds the lease of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedEmail {
    pub id: EmailId,
    /// A UUID fixed at queueing; the `Message-ID` is made from it, so every
    /// attempt of one email carries the same `Message-ID`.
    pub public_id: String,
    pub kind: String,
    pub content: EmailContent,
    /// Attempts so far, this one included.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct ClaimedRow {
    id: i64,
    public_id: String,
    kind: String,
    recipient_address: String,
    recipient_name: Option<String>,
    language: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i32,
    created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct AttachmentRow {
    filename: String,
    content_type: String,
    content: Vec<u8>,
}

const CLAIMED_COLUMNS: &str = "id, public_id, kind, recipient_address, recipient_name, language, \
     subject, body_text, body_html, attempts, created_at";

/// Claims up to `limit` emails due at `now` (pending ones whose attempt time
/// has come, and sending ones whose lease expired) for `worker`, with a
/// lease until `now + lease`. Each claim counts as an attempt.
///
/// The oldest due emails come first.
///
/// # Errors
/// The database's error; nothing is claimed then.
pub async fn claim(
    db: &Db,
    worker: &str,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: u32,
) -> Result<Vec<ClaimedEmail>, sqlx::Error> {
    let lock = match db.engine() {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    let sql = format!(
        "UPDATE email_outbox SET state = 'sending', attempts = attempts + 1, \
         next_attempt_at = $2, leased_by = $3 \
         WHERE id IN (SELECT id FROM email_outbox \
           WHERE state IN ('pending', 'sending') AND next_attempt_at <= $1 \
           ORDER BY next_attempt_at, id LIMIT $4 {lock}) \
         RETURNING {CLAIMED_COLUMNS}"
    );
    let mut tx = db.begin_write().await?;
    let rows: Vec<ClaimedRow> = crate::on_tx!(&mut tx, |conn| {
        sqlx::query_as(&sql)
            .bind(now)
            .bind(now + lease)
            .bind(worker)
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await?
    });
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let attachments: Vec<AttachmentRow> = crate::on_tx!(&mut tx, |conn| {
            sqlx::query_as(
                "SELECT filename, content_type, content FROM email_attachments \
                 WHERE email_id = $1 ORDER BY position",
            )
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?
        });
        let id = row.id;
        match claimed_email(row, attachments) {
            Ok(email) => claimed.push(email),
            Err(reason) => {
                // A row that can never be sent must not stop the others.
                tracing::error!(email = id, reason = %reason, "unreadable outbox row given up");
                crate::on_tx!(&mut tx, |conn| {
                    sqlx::query(
                        "UPDATE email_outbox SET state = 'dead', dead_at = $2, leased_by = NULL, \
                         last_error = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(now)
                    .bind(&reason)
                    .execute(&mut *conn)
                    .await?;
                });
            }
        }
    }
    tx.commit().await?;
    claimed.sort_by_key(|email| email.id.0);
    Ok(claimed)
}

/// The claimed email of a row, or why the row cannot be one.
fn claimed_email(row: ClaimedRow, attachments: Vec<AttachmentRow>) -> Result<ClaimedEmail, String> {
    let corrupt = |what: &str| format!("unreadable row: invalid {what}");
    let address =
        EmailAddress::parse(&row.recipient_address).map_err(|_| corrupt("recipient_address"))?;
    let lang = Lang::from_code(&row.language).ok_or_else(|| corrupt("language"))?;
    Ok(ClaimedEmail {
        id: EmailId(row.id),
        public_id: row.public_id,
        kind: row.kind,
        content: EmailContent {
            to: Recipient {
                address,
                name: row.recipient_name.as_deref().map(HeaderText::new),
            },
            lang,
            subject: HeaderText::new(&row.subject),
            text: row.body_text,
            html: row.body_html,
            attachments: attachments
                .into_iter()
                .map(|a| Attachment {
                    filename: HeaderText::new(&a.filename),
                    content_type: a.content_type,
                    content: a.content,
                })
                .collect(),
        },
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        created_at: row.created_at,
    })
}

/// `UPDATE email_outbox SET {set}` on email `id` if `worker` still holds its
/// lease, with `$3` bound to `at` and `$4` to `error` when given. `true`
/// when it did (the lease holder is the only one who may record an outcome).
async fn update_held(
    db: &Db,
    id: EmailId,
    worker: &str,
    set: &str,
    at: DateTime<Utc>,
    error: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE email_outbox SET {set} WHERE id = $1 AND state = 'sending' AND leased_by = $2"
    );
    let affected = crate::on_db!(db, |pool| {
        let mut query = sqlx::query(&sql).bind(id.0).bind(worker).bind(at);
        if let Some(error) = error {
            query = query.bind(error);
        }
        query.execute(pool).await?.rows_affected()
    });
    Ok(affected == 1)
}

/// Records that `worker` delivered email `id`, and forgets its bodies: they
/// may carry single-use links (confirmation, reset, consent), which must
/// not outlive the delivery in the database or its backups. Recipient,
/// subject and dates stay for the listing. `false` when the worker no
/// longer held the lease (another worker claimed it after it expired).
///
/// # Errors
/// The database's error.
pub async fn mark_sent(
    db: &Db,
    id: EmailId,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    update_held(
        db,
        id,
        worker,
        "state = 'sent', sent_at = $3, leased_by = NULL, last_error = NULL, \
         body_text = '', body_html = ''",
        now,
        None,
    )
    .await
}

/// Extends `worker`'s lease on email `id` to `until`, just before sending
/// it, so that a slow batch never outlives its claim. `false` when the
/// worker no longer holds the email (its lease ended and another worker
/// claimed it): it must not be sent then.
///
/// # Errors
/// The database's error.
pub async fn renew_lease(
    db: &Db,
    id: EmailId,
    worker: &str,
    until: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    update_held(db, id, worker, "next_attempt_at = $3", until, None).await
}

/// Gives back a claimed email that was not tried (the worker is stopping):
/// it is due again at `now`, and the claim does not count as an attempt.
///
/// # Errors
/// The database's error; the email is then claimed again when its lease
/// ends.
pub async fn release(
    db: &Db,
    id: EmailId,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    update_held(
        db,
        id,
        worker,
        "state = 'pending', next_attempt_at = $3, leased_by = NULL, attempts = attempts - 1",
        now,
        None,
    )
    .await
}

/// Puts email `id` back to `pending` until `at` after a transient failure.
/// `false` when `worker` no longer held the lease.
///
/// # Errors
/// The database's error.
pub async fn reschedule(
    db: &Db,
    id: EmailId,
    worker: &str,
    at: DateTime<Utc>,
    error: &str,
) -> Result<bool, sqlx::Error> {
    update_held(
        db,
        id,
        worker,
        "state = 'pending', next_attempt_at = $3, leased_by = NULL, last_error = $4",
        at,
        Some(error),
    )
    .await
}

/// Gives up on email `id`: it becomes a dead letter with `error` as its
/// reason. `false` when `worker` no longer held the lease.
///
/// # Errors
/// The database's error.
pub async fn mark_dead(
    db: &Db,
    id: EmailId,
    worker: &str,
    now: DateTime<Utc>,
    error: &str,
) -> Result<bool, sqlx::Error> {
    update_held(
        db,
        id,
        worker,
        "state = 'dead', dead_at = $3, leased_by = NULL, last_error = $4",
        now,
        Some(error),
    )
    .await
}

/// What an administrator sees of an email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: EmailId,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub state: EmailState,
    pub attempts: u32,
    /// For `pending`: the next attempt; for `sending`: when the lease ends.
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub dead_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    kind: String,
    recipient_address: String,
    subject: String,
    state: String,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    dead_at: Option<DateTime<Utc>>,
}

/// The most recent `limit` emails, newest first, in `state` if given.
///
/// # Errors
/// The database's error.
pub async fn list(
    db: &Db,
    state: Option<EmailState>,
    limit: u32,
) -> Result<Vec<OutboxEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = crate::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, kind, recipient_address, subject, state, attempts, next_attempt_at, \
             last_error, created_at, sent_at, dead_at FROM email_outbox \
             WHERE ($1 IS NULL OR state = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(state.map(EmailState::as_str))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|row| {
            let state = EmailState::parse(&row.state).ok_or_else(|| {
                sqlx::Error::Decode(format!("email_outbox {}: invalid state", row.id).into())
            })?;
            Ok(OutboxEntry {
                id: EmailId(row.id),
                kind: row.kind,
                recipient: row.recipient_address,
                subject: row.subject,
                state,
                attempts: u32::try_from(row.attempts).unwrap_or(0),
                next_attempt_at: row.next_attempt_at,
                last_error: row.last_error,
                created_at: row.created_at,
                sent_at: row.sent_at,
                dead_at: row.dead_at,
            })
        })
        .collect()
}

/// How many emails are in each state (every state listed, zeros included).
///
/// # Errors
/// The database's error.
pub async fn count_by_state(db: &Db) -> Result<Vec<(EmailState, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = crate::on_db!(db, |pool| {
        sqlx::query_as("SELECT state, COUNT(*) FROM email_outbox GROUP BY state")
            .fetch_all(pool)
            .await?
    });
    Ok(EmailState::ALL
        .into_iter()
        .map(|state| {
            let count = rows
                .iter()
                .find(|(name, _)| name == state.as_str())
                .map_or(0, |(_, count)| *count);
            (state, count)
        })
        .collect())
}

/// Which dead letters to send again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetrySelection<'a> {
    /// These emails, if they are dead.
    Ids(&'a [EmailId]),
    /// Every dead email.
    AllDead,
}

/// Puts dead emails back to `pending`, due at `now`, with their attempt
/// count reset; their last error is kept until the next attempt. Emails in
/// other states are left alone. Returns how many were put back.
///
/// # Errors
/// The database's error; nothing changes then.
pub async fn retry_dead(
    db: &Db,
    selection: RetrySelection<'_>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let count = retry_dead_in(&mut tx, selection, now).await?;
    tx.commit().await?;
    Ok(count)
}

/// [`retry_dead`] inside the caller's transaction (to write the audit log
/// with it).
///
/// # Errors
/// The database's error.
pub async fn retry_dead_in(
    tx: &mut Tx,
    selection: RetrySelection<'_>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    const RETRY: &str = "UPDATE email_outbox SET state = 'pending', attempts = 0, \
         next_attempt_at = $1, dead_at = NULL WHERE state = 'dead'";
    let mut count = 0;
    match selection {
        RetrySelection::AllDead => {
            count += crate::on_tx!(tx, |conn| {
                sqlx::query(RETRY)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
            });
        }
        RetrySelection::Ids(ids) => {
            let sql = format!("{RETRY} AND id = $2");
            for id in ids {
                count += crate::on_tx!(tx, |conn| {
                    sqlx::query(&sql)
                        .bind(now)
                        .bind(id.0)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected()
                });
            }
        }
    }
    Ok(count)
}

/// When to try again after a transient failure, and when to give up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the first failed attempt; it doubles after each.
    pub base_delay: TimeDelta,
    /// The longest delay between two attempts.
    pub max_delay: TimeDelta,
    /// Attempts after which a transiently failing email becomes dead.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 30 s doubling up to 1 h, 30 attempts: about a day of retrying
    /// before an email is given up (see [`RetryPolicy::delay`]).
    fn default() -> RetryPolicy {
        RetryPolicy {
            base_delay: TimeDelta::seconds(30),
            max_delay: TimeDelta::hours(1),
            max_attempts: 30,
        }
    }
}

impl RetryPolicy {
    /// The wait after the `attempts`-th failed attempt (1-based), with
    /// "equal jitter": half of the exponential delay
    /// `min(max_delay, base_delay × 2^(attempts−1))`, plus `jitter` (in
    /// `[0, 1]`, drawn at random by the caller) times the other half. The
    /// randomness spreads out the retries of emails that failed together
    /// (an SMTP server that was down), the fixed half keeps them from
    /// hammering it. (AWS Architecture Blog, "Exponential Backoff and
    /// Jitter", 2015.)
    pub fn delay(&self, attempts: u32, jitter: f64) -> TimeDelta {
        let doublings = attempts.saturating_sub(1).min(30);
        let exponential = self
            .base_delay
            .checked_mul(1_i32 << doublings)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let milliseconds = exponential.num_milliseconds();
        let half = milliseconds / 2;
        let jitter = jitter.clamp(0.0, 1.0);
        // Both halves fit in f64's 53-bit mantissa for any sane delay.
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        let random_part = ((milliseconds - half) as f64 * jitter).round() as i64;
        TimeDelta::milliseconds(half + random_part)
    }

    /// Whether an email that failed transiently at its `attempts`-th attempt
    /// should be given up.
    pub fn exhausted(&self, attempts: u32) -> bool {
        attempts >= self.max_attempts
    }
}

fn uuid_v4() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_the_cap_and_jitter_moves_only_half_of_it() {
        let policy = RetryPolicy::default();
        // Without jitter: half the exponential delay; with full jitter: all of it.
        let expected = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600];
        for (attempt, seconds) in (1..).zip(expected) {
            assert_eq!(
                policy.delay(attempt, 1.0),
                TimeDelta::seconds(seconds),
                "attempt {attempt}"
            );
            assert_eq!(
                policy.delay(attempt, 0.0),
                TimeDelta::milliseconds(seconds * 500),
                "attempt {attempt}"
            );
            let middle = policy.delay(attempt, 0.5);
            assert_eq!(
                middle,
                TimeDelta::milliseconds(seconds * 750),
                "attempt {attempt}"
            );
        }
        assert_eq!(policy.delay(1000, 1.0), TimeDelta::hours(1), "no overflow");
        assert_eq!(
            policy.delay(2, 7.0),
            TimeDelta::seconds(60),
            "jitter is clamped"
        );
    }

    #[test]
    fn the_default_policy_retries_for_about_a_day() {
        let policy = RetryPolicy::default();
        let (mut shortest, mut longest) = (TimeDelta::zero(), TimeDelta::zero());
        for attempt in 1..policy.max_attempts {
            shortest += policy.delay(attempt, 0.0);
            longest += policy.delay(attempt, 1.0);
        }
        assert!(policy.exhausted(policy.max_attempts));
        assert!(!policy.exhausted(policy.max_attempts - 1));
        // 30+60+…+1920 s = 3810 s, then 22 hours: 25 h 3 min 30 s at most.
        assert_eq!(longest, TimeDelta::seconds(3810 + 22 * 3600));
        assert_eq!(shortest * 2, longest);
    }

    #[test]
    fn state_names_round_trip() {
        for state in EmailState::ALL {
            assert_eq!(EmailState::parse(state.as_str()), Some(state));
        }
        assert_eq!(EmailState::parse("lost"), None);
    }
}
