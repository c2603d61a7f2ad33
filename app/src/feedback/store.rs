//! The `session_feedback` table, and the sessions feedback is asked on.

use chrono::{DateTime, Duration, Utc};
use domain::feedback::{Answers, Side, FEEDBACK_DAYS};

use crate::db::{Db, Tx};

/// A session seen from one side of its match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionOfUser {
    pub occurrence_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The other side's full name.
    pub other_name: String,
    pub as_tutor: bool,
}

type Row = (
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
    i64,
    String,
    String,
    String,
    String,
);

/// The columns of [`Row`]: the session, the pupil's id, then both names.
const SELECT: &str = "SELECT o.id, o.starts_at, o.ends_at, m.pupil_user_id, \
     pu.first_name, pu.last_name, tu.first_name, tu.last_name \
     FROM session_occurrences o JOIN session_series s ON s.id = o.series_id \
     JOIN matches m ON m.id = s.match_id \
     JOIN users pu ON pu.id = m.pupil_user_id JOIN users tu ON tu.id = m.tutor_user_id";

fn of_user(row: Row, user_id: i64) -> SessionOfUser {
    let (
        occurrence_id,
        starts_at,
        ends_at,
        pupil_id,
        pupil_first,
        pupil_last,
        tutor_first,
        tutor_last,
    ) = row;
    let as_tutor = pupil_id != user_id;
    SessionOfUser {
        occurrence_id,
        starts_at,
        ends_at,
        other_name: if as_tutor {
            format!("{pupil_first} {pupil_last}")
        } else {
            format!("{tutor_first} {tutor_last}")
        },
        as_tutor,
    }
}

/// The sessions of `user_id`'s matches (as pupil or tutor) that took or
/// were to take place (neither cancelled nor skipped), ended in the
/// [`FEEDBACK_DAYS`] days before `now`, and that they have given no
/// feedback on; oldest first.
///
/// # Errors
/// The database's error.
pub async fn pending(
    db: &Db,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<SessionOfUser>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE (m.pupil_user_id = $1 OR m.tutor_user_id = $1) \
         AND o.status IN ('scheduled', 'moved') AND o.ends_at <= $2 AND o.ends_at > $3 \
         AND NOT EXISTS (SELECT 1 FROM session_feedback f \
                         WHERE f.occurrence_id = o.id AND f.user_id = $1) \
         ORDER BY o.starts_at, o.id"
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(now)
        .bind(now - Duration::days(FEEDBACK_DAYS))
        .fetch_all(pool)
        .await?);
    Ok(rows.into_iter().map(|row| of_user(row, user_id)).collect())
}

/// The session `occurrence_id` when `user_id` is a side of its match and it
/// was neither cancelled nor skipped.
///
/// # Errors
/// The database's error.
pub async fn session_of(
    db: &Db,
    occurrence_id: i64,
    user_id: i64,
) -> Result<Option<SessionOfUser>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE o.id = $1 AND (m.pupil_user_id = $2 OR m.tutor_user_id = $2) \
         AND o.status IN ('scheduled', 'moved')"
    );
    let row: Option<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(occurrence_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
    Ok(row.map(|row| of_user(row, user_id)))
}

/// Stores `side`'s answers on `occurrence_id`, replacing earlier ones.
///
/// # Errors
/// The database's error.
pub async fn save(
    tx: &mut Tx,
    occurrence_id: i64,
    side: Side,
    user_id: i64,
    answers: &Answers,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO session_feedback (occurrence_id, side, user_id, took_place, rating, \
         confidence, worked_on, comment, given_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (occurrence_id, side) DO UPDATE SET user_id = excluded.user_id, \
         took_place = excluded.took_place, rating = excluded.rating, \
         confidence = excluded.confidence, worked_on = excluded.worked_on, \
         comment = excluded.comment, given_at = excluded.given_at"
    )
    .bind(occurrence_id)
    .bind(side.code())
    .bind(user_id)
    .bind(answers.took_place)
    .bind(answers.rating.map(i32::from))
    .bind(answers.confidence.map(i32::from))
    .bind(answers.worked_on.as_deref())
    .bind(answers.comment.as_deref())
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(())
}

/// A session that has ended and whose sides were not asked yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unasked {
    pub occurrence_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub pupil_id: i64,
    pub tutor_id: i64,
}

/// The sessions (neither cancelled nor skipped) that ended in the
/// [`FEEDBACK_DAYS`] days before `now` and whose sides were not emailed
/// yet, oldest first.
///
/// # Errors
/// The database's error.
pub async fn unasked(db: &Db, now: DateTime<Utc>) -> Result<Vec<Unasked>, sqlx::Error> {
    type Row = (i64, DateTime<Utc>, DateTime<Utc>, i64, i64);
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT o.id, o.starts_at, o.ends_at, m.pupil_user_id, m.tutor_user_id \
         FROM session_occurrences o JOIN session_series s ON s.id = o.series_id \
         JOIN matches m ON m.id = s.match_id \
         WHERE o.status IN ('scheduled', 'moved') AND o.feedback_asked_at IS NULL \
         AND o.ends_at <= $1 AND o.ends_at > $2 ORDER BY o.ends_at, o.id"
    )
    .bind(now)
    .bind(now - Duration::days(FEEDBACK_DAYS))
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(
            |(occurrence_id, starts_at, ends_at, pupil_id, tutor_id)| Unasked {
                occurrence_id,
                starts_at,
                ends_at,
                pupil_id,
                tutor_id,
            },
        )
        .collect())
}

/// Records that both sides of `occurrence_id` were asked at `now`; `false`
/// when they already were (by another server, say) or the session was
/// cancelled meanwhile.
///
/// # Errors
/// The database's error.
pub async fn mark_asked(
    tx: &mut Tx,
    occurrence_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE session_occurrences SET feedback_asked_at = $1 \
         WHERE id = $2 AND feedback_asked_at IS NULL AND status IN ('scheduled', 'moved')"
    )
    .bind(now)
    .bind(occurrence_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(changed == 1)
}

/// Whether `user_id` has given feedback on `occurrence_id`.
///
/// # Errors
/// The database's error.
pub async fn given_in(tx: &mut Tx, occurrence_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let count: i64 = crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_feedback WHERE occurrence_id = $1 AND user_id = $2"
    )
    .bind(occurrence_id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?);
    Ok(count > 0)
}
