//! Reminders before each session (issue 7): an email to both sides, through
//! the outbox, some time of **real** time before the session's instant (24
//! hours and 1 hour by default, `BINOME_SESSION_REMINDERS`). Across a
//! daylight-saving change, 24 hours before a Sunday 19:00 session in Paris
//! is Saturday 18:00 there, not 19:00.
//!
//! Each (session, kind) is recorded in `session_reminders` in the
//! transaction that queues the emails, so a reminder is never sent twice.
//! A round sends what is due and not sent yet, so reminders that fell due
//! while no server ran still go out, as long as the session has not begun;
//! when several kinds are due at once, only the nearest is sent (one email
//! "in 1 hour", not also "in 24 hours"). Cancelled sessions get none, and
//! a kind that fell due before the session was booked or moved is not sent:
//! that email has just told both sides.

use chrono::{DateTime, TimeDelta, Utc};

use crate::accounts::users;
use crate::availability::store as availability;
use crate::db::Db;
use crate::mail::outbox;
use crate::sessions::{emails, venue};

/// What the reminders link to: the platform (`BINOME_PUBLIC_URL`) and the
/// video room (`BINOME_VIDEO_URL_TEMPLATE`, if set).
#[derive(Clone, Copy, Debug)]
pub struct Links<'a> {
    pub public_url: &'a str,
    pub video_url_template: Option<&'a str>,
}

/// The reminders sent when nothing else is configured: 24 hours and 1 hour
/// before.
pub const DEFAULT_OFFSETS: [TimeDelta; 2] = [TimeDelta::hours(24), TimeDelta::hours(1)];

/// A session that may need a reminder.
struct Candidate {
    id: i64,
    starts_at: DateTime<Utc>,
    series_id: i64,
    pupil_id: i64,
    tutor_id: i64,
    /// The nearest kind already sent, in minutes before.
    nearest_sent: Option<i64>,
}

/// Sends the reminders due at `now` for the kinds `offsets` (time before a
/// session's start); returns how many emails were queued. Each session is
/// handled in its own transaction; one that fails is logged and the others
/// still go.
///
/// # Errors
/// The database's error when the sessions cannot be listed.
pub async fn send_due(
    db: &Db,
    offsets: &[TimeDelta],
    links: Links<'_>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let Some(furthest) = offsets.iter().max().copied() else {
        return Ok(0);
    };
    type Row = (
        i64,
        DateTime<Utc>,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<DateTime<Utc>>,
        String,
        Option<DateTime<Utc>>,
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT o.id, o.starts_at, s.id, m.pupil_user_id, m.tutor_user_id, \
         (SELECT CAST(MIN(r.minutes_before) AS BIGINT) FROM session_reminders r \
          WHERE r.occurrence_id = o.id), s.confirmed_at, o.status, o.changed_at \
         FROM session_occurrences o JOIN session_series s ON s.id = o.series_id \
         JOIN matches m ON m.id = s.match_id \
         WHERE o.status IN ('scheduled', 'moved') AND s.status = 'confirmed' \
         AND m.status = 'active' AND o.starts_at > $1 AND o.starts_at <= $2 \
         ORDER BY o.starts_at, o.id"
    )
    .bind(now)
    .bind(now + furthest)
    .fetch_all(pool)
    .await?);
    let mut queued = 0;
    for (
        id,
        starts_at,
        series_id,
        pupil_id,
        tutor_id,
        nearest_sent,
        confirmed_at,
        status,
        changed_at,
    ) in rows
    {
        // When both sides learnt of this time: the booking, or the move.
        let told_at = if status == "moved" {
            changed_at.max(confirmed_at)
        } else {
            confirmed_at
        };
        let candidate = Candidate {
            id,
            starts_at,
            series_id,
            pupil_id,
            tutor_id,
            nearest_sent,
        };
        // A kind due before both sides learnt of the time is not sent: the
        // booking or move email has just told them (a session booked at
        // 20:00 for the next day at 19:00 gets no "tomorrow" reminder).
        let due: Vec<i64> = offsets
            .iter()
            .filter(|offset| {
                let due_at = starts_at - **offset;
                due_at <= now && told_at.is_none_or(|told| due_at >= told)
            })
            .map(|offset| offset.num_minutes())
            .collect();
        let Some(nearest) = due.iter().min().copied() else {
            continue;
        };
        if candidate.nearest_sent.is_some_and(|sent| sent <= nearest) {
            continue;
        }
        match remind(db, &candidate, &due, nearest, links, now).await {
            Ok(count) => queued += count,
            Err(error) => tracing::warn!(occurrence = id, %error, "reminder not sent"),
        }
    }
    Ok(queued)
}

/// Records the `due` kinds of `candidate` and, if `nearest` was not
/// recorded yet (by another server, say), queues its reminder to both
/// sides.
async fn remind(
    db: &Db,
    candidate: &Candidate,
    due: &[i64],
    nearest: i64,
    links: Links<'_>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let pupil_zone = availability::zone(db, candidate.pupil_id).await?;
    let tutor_zone = availability::zone(db, candidate.tutor_id).await?;
    let mut tx = db.begin_write().await?;
    // Read again, locked: the session may have been moved or cancelled
    // since it was listed (a move forgets its reminders; this must not
    // record them again for the old time). SQLite's write transaction is
    // exclusive already.
    let lock = match db.engine() {
        crate::db::Engine::Postgres => " FOR UPDATE",
        crate::db::Engine::Sqlite => "",
    };
    let sql = format!(
        "SELECT starts_at FROM session_occurrences \
         WHERE id = $1 AND status IN ('scheduled', 'moved'){lock}"
    );
    let starts_at: Option<DateTime<Utc>> = crate::on_tx!(&mut tx, |conn| sqlx::query_scalar(&sql)
        .bind(candidate.id)
        .fetch_optional(&mut *conn)
        .await?);
    if starts_at != Some(candidate.starts_at) {
        return Ok(0);
    }
    let mut fresh = false;
    for minutes in due {
        let inserted = crate::on_tx!(&mut tx, |conn| sqlx::query(
            "INSERT INTO session_reminders (occurrence_id, minutes_before, sent_at) \
             VALUES ($1, $2, $3) ON CONFLICT (occurrence_id, minutes_before) DO NOTHING"
        )
        .bind(candidate.id)
        .bind(i32::try_from(*minutes).unwrap_or(i32::MAX))
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        if *minutes == nearest {
            fresh = inserted == 1;
        }
    }
    let mut queued = 0;
    if fresh {
        let pupil = users::find_in(&mut tx, candidate.pupil_id).await?;
        let tutor = users::find_in(&mut tx, candidate.tutor_id).await?;
        let venue =
            venue::of_series_in(&mut tx, candidate.series_id, links.video_url_template).await?;
        if let (Some(pupil), Some(tutor)) = (pupil, tutor) {
            for (to, other, zone) in [(&pupil, &tutor, pupil_zone), (&tutor, &pupil, tutor_zone)] {
                if let Some(email) = emails::reminder(
                    to,
                    other,
                    candidate.starts_at,
                    zone,
                    &venue,
                    links.public_url,
                ) {
                    outbox::enqueue(&mut tx, &email, now).await?;
                    queued += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(queued)
}
