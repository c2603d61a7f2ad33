//! The administrators' view of the outbox: counts per state, the latest
//! emails with their last error, and sending dead letters again (the page
//! `/administration/courriels`; the command line has the same in
//! `binome outbox`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One email as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// `pending`, `sending`, `sent` or `dead`.
    pub state: String,
    pub attempts: u32,
    /// When it was sent, given up, or will next be tried (RFC 3339, UTC).
    pub when: String,
    pub last_error: Option<String>,
}

/// The counts per state and the newest emails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxSnapshot {
    /// (state, count), every state.
    pub counts: Vec<(String, i64)>,
    pub emails: Vec<OutboxRow>,
}

/// Most emails the page lists.
pub const OUTBOX_PAGE: u32 = 100;

/// The outbox, newest first; only dead letters with `dead_only`.
/// Administrators only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "administration/courriels")]
pub async fn outbox_view(#[server(default)] dead_only: bool) -> Result<OutboxSnapshot, AppError> {
    crate::error::respond(handlers::view(dead_only).await)
}

/// Sends dead letters again: the one `id`, or all of them without. Written
/// to the audit log. Then back to `/administration/courriels`.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "administration/courriels/renvoyer")]
pub async fn retry_emails(#[server(default)] id: Option<i64>) -> Result<(), AppError> {
    crate::error::respond(handlers::retry(id).await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use chrono::SecondsFormat;

    use super::{OutboxRow, OutboxSnapshot, OUTBOX_PAGE};
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::error::AppError;
    use crate::mail::outbox::{self, EmailId, EmailState, RetrySelection};

    pub async fn view(dead_only: bool) -> Result<OutboxSnapshot, AppError> {
        let state = app_state()?;
        Actor::require(&state, &[Role::Administrator]).await?;
        let counts = outbox::count_by_state(&state.db)
            .await
            .map_err(AppError::from_db)?
            .into_iter()
            .map(|(state, count)| (state.as_str().to_owned(), count))
            .collect();
        let filter = dead_only.then_some(EmailState::Dead);
        let emails = outbox::list(&state.db, filter, OUTBOX_PAGE)
            .await
            .map_err(AppError::from_db)?
            .into_iter()
            .map(|entry| {
                let when = match entry.state {
                    EmailState::Sent => entry.sent_at,
                    EmailState::Dead => entry.dead_at,
                    _ => Some(entry.next_attempt_at),
                }
                .unwrap_or(entry.created_at);
                OutboxRow {
                    id: entry.id.0,
                    kind: entry.kind,
                    recipient: entry.recipient,
                    subject: entry.subject,
                    state: entry.state.as_str().to_owned(),
                    attempts: entry.attempts,
                    when: when.to_rfc3339_opts(SecondsFormat::Secs, true),
                    last_error: entry.last_error,
                }
            })
            .collect();
        Ok(OutboxSnapshot { counts, emails })
    }

    pub async fn retry(id: Option<i64>) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Administrator]).await?;
        let now = state.clock.now();
        let ids = id.map(|id| [EmailId(id)]);
        let selection = match &ids {
            Some(ids) => RetrySelection::Ids(ids),
            None => RetrySelection::AllDead,
        };
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let count = outbox::retry_dead_in(&mut tx, selection, now)
            .await
            .map_err(AppError::from_db)?;
        let object = id.map_or_else(|| "all dead".to_owned(), |id| id.to_string());
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "outbox.retry",
            ("email", &object),
            &format!("count={count}"),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/administration/courriels");
        Ok(())
    }
}
