//! The rolling horizon of the weekly sessions (issue 7): housekeeping
//! stores each confirmed series' occurrences [`store::HORIZON_WEEKS`] weeks
//! ahead, and tells both sides of each new week whose local start a clock
//! change skips (no session that week, as RFC 5545 has it), as the
//! confirmation email does for the first weeks.

use chrono::{DateTime, Utc};

use crate::accounts::users;
use crate::db::{Db, Tx};
use crate::i18n::date_text;
use crate::mail::outbox;
use crate::sessions::{emails, store};

/// Ends the series whose last date has passed ([`store::close_finished`]),
/// then extends every confirmed series of an active match up to the
/// horizon at `now`, each in its own transaction, in which the series is read again
/// (it may have ended meanwhile), and emails both sides (links under
/// `public_url`) about the weeks added that a clock change skips. A series
/// that cannot be extended is logged and left: the others still are.
/// Returns how many occurrences were added.
///
/// # Errors
/// The database's error when the series cannot be listed.
pub async fn extend_all(db: &Db, public_url: &str, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let closed = store::close_finished(db, now).await?;
    if closed > 0 {
        tracing::info!(
            series = closed,
            "weekly sessions past their last date ended"
        );
    }
    let mut added = 0;
    for id in store::live_ids(db).await? {
        let extended = async {
            let mut tx = db.begin_write().await?;
            let Some(row) = store::live_in(&mut tx, id).await? else {
                return Ok(0);
            };
            let filled = store::fill(&mut tx, &row, now).await?;
            if !filled.skipped.is_empty() {
                tell_skipped(&mut tx, &row, &filled.skipped, public_url, now).await?;
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(filled.added)
        };
        match extended.await {
            Ok(count) => added += count,
            Err(error) => tracing::warn!(series = id, %error, "sessions not extended"),
        }
    }
    Ok(added)
}

/// Queues to both sides of `row`'s match the email naming the `skipped`
/// weeks (the pupil's dates).
async fn tell_skipped(
    tx: &mut Tx,
    row: &store::SeriesRow,
    skipped: &[chrono::NaiveDate],
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sides: Option<(i64, i64)> = crate::on_tx!(tx, |conn| sqlx::query_as(
        "SELECT pupil_user_id, tutor_user_id FROM matches WHERE id = $1"
    )
    .bind(row.match_id)
    .fetch_optional(&mut *conn)
    .await?);
    let Some((pupil_id, tutor_id)) = sides else {
        return Ok(());
    };
    let (Some(pupil), Some(tutor)) = (
        users::find_in(tx, pupil_id).await?,
        users::find_in(tx, tutor_id).await?,
    ) else {
        return Ok(());
    };
    for (to, other) in [(&pupil, &tutor), (&tutor, &pupil)] {
        let dates: Vec<String> = skipped
            .iter()
            .map(|date| date_text(to.lang, &date.to_string()))
            .collect();
        if let Some(email) = emails::skipped(to, other, dates, public_url) {
            outbox::enqueue(tx, &email, now).await?;
        }
    }
    Ok(())
}
