//! Asking for feedback by email (issue 8): once a session has ended, each
//! side of its match gets one email with a link to `/avis`, unless they
//! have already answered or their account is closed. Run by the server's housekeeping; the asking is
//! recorded (`session_occurrences.feedback_asked_at`) in the transaction
//! that queues the emails, so they go once, whatever the number of
//! servers or restarts. Sessions that ended more than
//! [`super::FEEDBACK_DAYS`] days ago are not asked about any more.

use chrono::{DateTime, Utc};

use crate::accounts::users::{self, AccountStatus};
use crate::availability::store as availability;
use crate::db::Db;
use crate::mail::outbox;

use super::{emails, store};

/// Emails both sides of every session that has ended and was not asked
/// about yet; returns how many emails were queued. Each session in its own
/// transaction: one that fails is logged and the others still go.
///
/// # Errors
/// The database's error when the sessions cannot be listed.
pub async fn ask_due(db: &Db, public_url: &str, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let mut queued = 0;
    for session in store::unasked(db, now).await? {
        match ask(db, &session, public_url, now).await {
            Ok(count) => queued += count,
            Err(error) => {
                tracing::warn!(occurrence = session.occurrence_id, %error, "feedback not asked");
            }
        }
    }
    Ok(queued)
}

async fn ask(
    db: &Db,
    session: &store::Unasked,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let pupil_zone = availability::zone(db, session.pupil_id).await?;
    let tutor_zone = availability::zone(db, session.tutor_id).await?;
    let mut tx = db.begin_write().await?;
    if !store::mark_asked(&mut tx, session.occurrence_id, now).await? {
        return Ok(0);
    }
    let mut queued = 0;
    let pupil = users::find_in(&mut tx, session.pupil_id).await?;
    let tutor = users::find_in(&mut tx, session.tutor_id).await?;
    if let (Some(pupil), Some(tutor)) = (pupil, tutor) {
        for (to, other, zone) in [(&pupil, &tutor, pupil_zone), (&tutor, &pupil, tutor_zone)] {
            // Not a closed account, nor one who has answered already.
            if to.status != AccountStatus::Active
                || store::given_in(&mut tx, session.occurrence_id, to.id).await?
            {
                continue;
            }
            if let Some(email) = emails::asked(
                to,
                other,
                (session.starts_at, session.ends_at),
                zone,
                public_url,
            ) {
                outbox::enqueue(&mut tx, &email, now).await?;
                queued += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(queued)
}
