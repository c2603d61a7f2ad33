//! What an administrator does with the outbox from the command line:
//! send a test email, list emails by state, send dead letters again.

use app::db::Db;
use app::i18n::Lang;
use app::mail::outbox::{self, EmailId, NewEmail, OutboxEntry, Recipient, RetrySelection};
use app::mail::template::RenderError;
use app::mail::{AddressError, EmailAddress, TestEmail};
use chrono::{DateTime, Utc};

/// Why an administrator's command failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{address:?} is not a valid email address: {reason}")]
    Address {
        address: String,
        reason: AddressError,
    },
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Queues a test email to `to` in `lang`; the worker of a running server
/// delivers it.
///
/// # Errors
/// [`AdminError::Address`] for an invalid address (nothing is queued), or
/// the database's error.
pub async fn queue_test_email(
    db: &Db,
    public_url: &str,
    now: DateTime<Utc>,
    to: &str,
    lang: Lang,
    requested_by: &str,
) -> Result<EmailId, AdminError> {
    let address = EmailAddress::parse(to).map_err(|reason| AdminError::Address {
        address: to.to_owned(),
        reason,
    })?;
    let email = NewEmail::from_template(
        Recipient {
            address,
            name: None,
        },
        lang,
        &TestEmail {
            requested_by: requested_by.to_owned(),
        },
        public_url,
    )?;
    let mut tx = db.begin_write().await?;
    let id = outbox::enqueue(&mut tx, &email, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Sends dead letters again (see [`outbox::retry_dead`]).
///
/// # Errors
/// The database's error; nothing changes then.
pub async fn retry(
    db: &Db,
    selection: RetrySelection<'_>,
    now: DateTime<Utc>,
) -> Result<u64, AdminError> {
    Ok(outbox::retry_dead(db, selection, now).await?)
}

/// The outbox as a text table, one email a line, newest first, with the
/// count of every state above it.
///
/// # Errors
/// The database's error.
pub async fn listing(
    db: &Db,
    state: Option<outbox::EmailState>,
    limit: u32,
) -> Result<String, AdminError> {
    let counts = outbox::count_by_state(db).await?;
    let entries = outbox::list(db, state, limit).await?;
    let mut text = counts
        .iter()
        .map(|(state, count)| format!("{}: {count}", state.as_str()))
        .collect::<Vec<_>>()
        .join("  ");
    text.push('\n');
    text.push_str(&format_entries(&entries));
    Ok(text)
}

/// One line per email: id, state, attempts, when, kind, recipient,
/// subject, and the last error if any.
pub fn format_entries(entries: &[OutboxEntry]) -> String {
    let mut text = format!(
        "{:>7}  {:<7}  {:>8}  {:<20}  {:<12}  {:<32}  {}\n",
        "id", "state", "attempts", "when (UTC)", "kind", "recipient", "subject"
    );
    for entry in entries {
        let when = match entry.state {
            outbox::EmailState::Sent => entry.sent_at,
            outbox::EmailState::Dead => entry.dead_at,
            _ => Some(entry.next_attempt_at),
        }
        .unwrap_or(entry.created_at);
        text.push_str(&format!(
            "{:>7}  {:<7}  {:>8}  {:<20}  {:<12}  {:<32}  {}\n",
            entry.id.0,
            entry.state.as_str(),
            entry.attempts,
            when.format("%Y-%m-%d %H:%M:%S"),
            entry.kind,
            entry.recipient,
            entry.subject,
        ));
        if let Some(error) = &entry.last_error {
            text.push_str(&format!("{:>7}  last error: {error}\n", ""));
        }
    }
    text
}
