//! Storage of a match's ending: the match, the pupil's request, the
//! weekly sessions, and the report a safeguarding ending makes.

use chrono::{DateTime, Utc};
use domain::match_end::Ending;

use crate::sessions::store as sessions;

use crate::db::{Db, Tx};

/// An active match, with what ending it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveMatch {
    pub id: i64,
    pub request_id: i64,
    pub pupil_id: i64,
    pub tutor_id: i64,
    /// The académie of the pupil's school: whose coordinators may end it.
    pub academy_code: String,
    pub started_at: DateTime<Utc>,
    /// When the pupil's request was made (moved on by earlier matches).
    pub requested_at: DateTime<Utc>,
}

/// The active match `match_id`, if it is one.
///
/// # Errors
/// The database's error.
pub async fn active(db: &Db, match_id: i64) -> Result<Option<ActiveMatch>, sqlx::Error> {
    let row: Option<ActiveRow> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT m.id, m.request_id, m.pupil_user_id, m.tutor_user_id, s.academy_code, \
         m.started_at, r.requested_at FROM matches m \
         JOIN help_requests r ON r.id = m.request_id \
         JOIN pupils p ON p.user_id = m.pupil_user_id \
         JOIN schools s ON s.uai = p.school_uai WHERE m.id = $1 AND m.status = 'active'"
    )
    .bind(match_id)
    .fetch_optional(pool)
    .await?);
    Ok(row.map(active_match))
}

/// The active matches `user_id` is a side of, read inside `tx`, by id.
///
/// # Errors
/// The database's error.
pub async fn active_of_user_in(tx: &mut Tx, user_id: i64) -> Result<Vec<ActiveMatch>, sqlx::Error> {
    let rows: Vec<ActiveRow> = crate::on_tx!(tx, |conn| sqlx::query_as(
        "SELECT m.id, m.request_id, m.pupil_user_id, m.tutor_user_id, s.academy_code, \
         m.started_at, r.requested_at FROM matches m \
         JOIN help_requests r ON r.id = m.request_id \
         JOIN pupils p ON p.user_id = m.pupil_user_id \
         JOIN schools s ON s.uai = p.school_uai \
         WHERE (m.pupil_user_id = $1 OR m.tutor_user_id = $1) AND m.status = 'active' \
         ORDER BY m.id"
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?);
    Ok(rows.into_iter().map(active_match).collect())
}

type ActiveRow = (i64, i64, i64, i64, String, DateTime<Utc>, DateTime<Utc>);

fn active_match(
    (id, request_id, pupil_id, tutor_id, academy_code, started_at, requested_at): ActiveRow,
) -> ActiveMatch {
    ActiveMatch {
        id,
        request_id,
        pupil_id,
        tutor_id,
        academy_code,
        started_at,
        requested_at,
    }
}

/// The active matches of the pupil `pupil_id`: (match, tutor, tutor's full
/// name, started at), oldest first.
///
/// # Errors
/// The database's error.
pub async fn active_of_pupil(
    db: &Db,
    pupil_id: i64,
) -> Result<Vec<(i64, i64, String, DateTime<Utc>)>, sqlx::Error> {
    Ok(crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT m.id, m.tutor_user_id, u.first_name || ' ' || u.last_name, m.started_at \
         FROM matches m JOIN users u ON u.id = m.tutor_user_id \
         WHERE m.pupil_user_id = $1 AND m.status = 'active' ORDER BY m.id"
    )
    .bind(pupil_id)
    .fetch_all(pool)
    .await?))
}

/// Ends the match `match_id` if it is still active (which also locks its
/// row until `tx` ends). Returns whether it was.
///
/// # Errors
/// The database's error.
pub async fn end(
    tx: &mut Tx,
    match_id: i64,
    by: i64,
    ending: &Ending,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let ended = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE matches SET status = 'ended', ended_at = $2, end_reason = $3, \
         ended_by_user_id = $4, end_note = $5 WHERE id = $1 AND status = 'active'"
    )
    .bind(match_id)
    .bind(now)
    .bind(ending.reason.code())
    .bind(by)
    .bind(ending.note.as_deref())
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(ended == 1)
}

/// Puts the pupil of `found` back on the waiting list at `now`, the time
/// she already waited kept: her request's `requested_at` moves on by the
/// time the match lasted, so that waiting counts only time without a
/// tutor.
///
/// # Errors
/// The database's error.
pub async fn requeue(
    tx: &mut Tx,
    found: &ActiveMatch,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let matched_for = (now - found.started_at).max(chrono::TimeDelta::zero());
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE help_requests SET requested_at = $2, updated_at = $3 \
         WHERE id = $1 AND status = 'open'"
    )
    .bind(found.request_id)
    .bind(found.requested_at + matched_for)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

/// Pauses the offer of the tutor `tutor_id` (no longer available, or a
/// safeguarding concern): matching proposes her nobody until she takes
/// the pause back.
///
/// # Errors
/// The database's error.
pub async fn pause_offer(
    tx: &mut Tx,
    tutor_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE tutor_offers SET paused_at = $2, updated_at = $2 \
         WHERE tutor_user_id = $1 AND paused_at IS NULL"
    )
    .bind(tutor_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

/// Suspends the tutor `tutor_id` until a coordinator reviews her (a
/// safeguarding concern raised by the pupil's side or by a coordinator):
/// she is proposed nobody, her pending proposals are cancelled, and taking
/// her offer's pause back does not lift it; only a coordinator's approval
/// does. Returns her status before (`approved` or `pending`) when it
/// changed; `None` for a refused or suspended tutor, who stays as she is.
///
/// # Errors
/// The database's error.
pub async fn suspend_tutor(
    tx: &mut Tx,
    tutor_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    let before: Option<String> = crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT status FROM tutors WHERE user_id = $1"
    )
    .bind(tutor_id)
    .fetch_optional(&mut *conn)
    .await?);
    let Some(before) = before.filter(|status| status == "approved" || status == "pending") else {
        return Ok(None);
    };
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE tutors SET status = 'suspended', status_changed_at = $2, updated_at = $2 \
         WHERE user_id = $1"
    )
    .bind(tutor_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    crate::proposals::store::cancel_pending(tx, None, Some(tutor_id), now).await?;
    Ok(Some(before))
}

/// Closes the help request `request_id` (the pupil no longer needs help):
/// it leaves the waiting list.
///
/// # Errors
/// The database's error.
pub async fn close_request(
    tx: &mut Tx,
    request_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE help_requests SET status = 'withdrawn', withdrawn_at = $2, updated_at = $2 \
         WHERE id = $1 AND status = 'open'"
    )
    .bind(request_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

/// A confirmed series that a match's ending ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndedSeries {
    pub id: i64,
    /// Sessions of it had begun: calendars keep them (an end date)
    /// instead of losing the whole series (a cancellation).
    pub held: bool,
}

/// Ends the weekly sessions of the match `match_id`: proposed and
/// confirmed series become `ended` in one statement (a confirmed one's
/// `SEQUENCE` goes up by one, for calendars), and their sessions not begun
/// at `now` are `cancelled` by `by` with `reason` (those held stay, with
/// their feedback). A confirmed series with sessions held ends on the
/// local date of `now` in its zone. Returns the confirmed series, by id.
///
/// # Errors
/// The database's error.
pub async fn end_sessions(
    tx: &mut Tx,
    match_id: i64,
    by: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Vec<EndedSeries>, sqlx::Error> {
    // Series rows before their occurrences, as every change takes them;
    // one statement, so that a confirmation at the same moment is either
    // before it (and ended as confirmed) or finds the series ended.
    let ended: Vec<(i64, Option<DateTime<Utc>>)> = crate::on_tx!(tx, |conn| sqlx::query_as(
        "UPDATE session_series SET status = 'ended', \
         sequence = sequence + CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END \
         WHERE match_id = $1 AND status IN ('proposed', 'confirmed') RETURNING id, confirmed_at"
    )
    .bind(match_id)
    .fetch_all(&mut *conn)
    .await?);
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_occurrences SET status = 'cancelled', reason = $2, changed_by = $3, \
         changed_at = $4 WHERE series_id IN (SELECT id FROM session_series WHERE match_id = $1) \
         AND status IN ('scheduled', 'moved') AND starts_at > $4"
    )
    .bind(match_id)
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    let mut series = Vec::new();
    for (id, confirmed_at) in ended {
        if confirmed_at.is_none() {
            continue;
        }
        let held: i64 = crate::on_tx!(tx, |conn| sqlx::query_scalar(
            "SELECT COUNT(*) FROM session_occurrences WHERE series_id = $1 \
             AND status IN ('scheduled', 'moved') AND starts_at <= $2"
        )
        .bind(id)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?);
        if held > 0 {
            if let Some(row) = sessions::series_in(tx, id).await? {
                let today = now.with_timezone(&row.zone()).date_naive().to_string();
                // `YYYY-MM-DD` text compares as dates do.
                crate::on_tx!(tx, |conn| sqlx::query(
                    "UPDATE session_series SET last_date = $2 \
                     WHERE id = $1 AND (last_date IS NULL OR last_date > $2)"
                )
                .bind(id)
                .bind(&today)
                .execute(&mut *conn)
                .await?
                .rows_affected());
            }
        }
        series.push(EndedSeries { id, held: held > 0 });
    }
    series.sort_unstable_by_key(|s| s.id);
    Ok(series)
}

/// Files a report by `reporter` about the match `found` in its académie's
/// queue (a safeguarding ending).
///
/// # Errors
/// The database's error.
pub async fn report(
    tx: &mut Tx,
    reporter: i64,
    found: &ActiveMatch,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO problem_reports (reporter_user_id, pupil_user_id, academy_code, body, \
         status, created_at, match_id) VALUES ($1, $2, $3, $4, 'open', $5, $6)"
    )
    .bind(reporter)
    .bind(found.pupil_id)
    .bind(&found.academy_code)
    .bind(body)
    .bind(now)
    .bind(found.id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}
