//! Storage of a match's ending: the match, the pupil's request, the
//! weekly sessions, and the report a safeguarding ending makes.

use chrono::{DateTime, Utc};
use domain::match_end::Ending;

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
}

/// The active match `match_id`, if it is one.
///
/// # Errors
/// The database's error.
pub async fn active(db: &Db, match_id: i64) -> Result<Option<ActiveMatch>, sqlx::Error> {
    let row: Option<(i64, i64, i64, i64, String)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT m.id, m.request_id, m.pupil_user_id, m.tutor_user_id, s.academy_code \
         FROM matches m JOIN pupils p ON p.user_id = m.pupil_user_id \
         JOIN schools s ON s.uai = p.school_uai WHERE m.id = $1 AND m.status = 'active'"
    )
    .bind(match_id)
    .fetch_optional(pool)
    .await?);
    Ok(row.map(
        |(id, request_id, pupil_id, tutor_id, academy_code)| ActiveMatch {
            id,
            request_id,
            pupil_id,
            tutor_id,
            academy_code,
        },
    ))
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

/// Ends the weekly sessions of the match `match_id`: proposed and
/// confirmed series become `ended` (a confirmed one's `SEQUENCE` goes up
/// by one, for the cancellation sent to calendars), and their sessions not
/// begun at `now` are `cancelled` by `by` with `reason` (those held stay,
/// with their feedback). Returns the confirmed series, by id.
///
/// # Errors
/// The database's error.
pub async fn end_sessions(
    tx: &mut Tx,
    match_id: i64,
    by: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    // Series rows before their occurrences, as every change takes them.
    let confirmed: Vec<(i64,)> = crate::on_tx!(tx, |conn| sqlx::query_as(
        "UPDATE session_series SET status = 'ended', sequence = sequence + 1 \
         WHERE match_id = $1 AND status = 'confirmed' RETURNING id"
    )
    .bind(match_id)
    .fetch_all(&mut *conn)
    .await?);
    crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_series SET status = 'ended' WHERE match_id = $1 AND status = 'proposed'"
    )
    .bind(match_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
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
    let mut ids: Vec<i64> = confirmed.into_iter().map(|(id,)| id).collect();
    ids.sort_unstable();
    Ok(ids)
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
