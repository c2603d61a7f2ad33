//! The `help_requests` and `help_request_subjects` tables.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{fetch_for_ids, Db, Tx};
use crate::meeting::Mode;

/// A stored open request.
#[derive(Clone, Debug)]
pub struct StoredRequest {
    pub id: i64,
    pub pupil_user_id: i64,
    pub subjects: Vec<String>,
    pub difficulty: String,
    pub mode: Mode,
    pub deadline: Option<NaiveDate>,
    pub requested_at: DateTime<Utc>,
    /// 1, or 2 for a pupil who asks for more.
    pub sessions_per_week: u8,
}

type Row = (
    i64,
    i64,
    String,
    String,
    Option<NaiveDate>,
    DateTime<Utc>,
    i32,
);

const SELECT: &str = "SELECT r.id, r.pupil_user_id, r.difficulty, r.mode, r.deadline, \
                      r.requested_at, CAST(r.sessions_per_week AS INTEGER) FROM help_requests r";

/// The subjects of requests `ids`, each in its order: one query per
/// [`IN_CHUNK`](crate::db::IN_CHUNK) ids.
async fn subjects_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, sqlx::Error> {
    let mut subjects: HashMap<i64, Vec<String>> = HashMap::with_capacity(ids.len());
    let rows: Vec<(i64, String)> = fetch_for_ids(db, ids, |list| {
        format!(
            "SELECT request_id, subject_code FROM help_request_subjects \
             WHERE request_id IN ({list}) ORDER BY request_id, position"
        )
    })
    .await?;
    for (id, code) in rows {
        subjects.entry(id).or_default().push(code);
    }
    Ok(subjects)
}

async fn from_rows(db: &Db, rows: Vec<Row>) -> Result<Vec<StoredRequest>, sqlx::Error> {
    let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let mut subjects = subjects_of(db, &ids).await?;
    let mut found = Vec::with_capacity(rows.len());
    for (id, pupil, difficulty, mode, deadline, requested_at, per_week) in rows {
        found.push(StoredRequest {
            id,
            pupil_user_id: pupil,
            subjects: subjects.remove(&id).unwrap_or_default(),
            difficulty,
            mode: Mode::parse(&mode)
                .ok_or_else(|| sqlx::Error::Decode(format!("help_requests.mode of {id}").into()))?,
            deadline,
            requested_at,
            sessions_per_week: if per_week == 2 { 2 } else { 1 },
        });
    }
    Ok(found)
}

/// The open request of pupil `pupil_user_id`, if any.
///
/// # Errors
/// The database's error.
pub async fn open_of(db: &Db, pupil_user_id: i64) -> Result<Option<StoredRequest>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.pupil_user_id = $1 AND r.status = 'open'");
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(pupil_user_id)
        .fetch_all(pool)
        .await?);
    Ok(from_rows(db, rows).await?.into_iter().next())
}

/// The open request `id`, if it is open.
///
/// # Errors
/// The database's error.
pub async fn find_open(db: &Db, id: i64) -> Result<Option<StoredRequest>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.id = $1 AND r.status = 'open'");
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_all(pool)
        .await?);
    Ok(from_rows(db, rows).await?.into_iter().next())
}

/// The open requests of pupils whose school is in one of `academies`,
/// longest waiting first.
///
/// # Errors
/// The database's error.
pub async fn open_in_academies(
    db: &Db,
    academies: &[String],
) -> Result<Vec<StoredRequest>, sqlx::Error> {
    if academies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} JOIN pupils p ON p.user_id = r.pupil_user_id \
         JOIN schools s ON s.uai = p.school_uai \
         WHERE r.status = 'open' AND s.academy_code IN ({}) ORDER BY r.requested_at, r.id",
        crate::db::placeholders(academies.len())
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for code in academies {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    from_rows(db, rows).await
}

/// What the request form saves.
#[derive(Clone, Debug)]
pub struct RequestFields<'a> {
    pub subjects: &'a [String],
    pub difficulty: &'a str,
    pub mode: Mode,
    pub deadline: Option<NaiveDate>,
    /// 1 or 2.
    pub sessions_per_week: u8,
}

async fn write_subjects(tx: &mut Tx, id: i64, subjects: &[String]) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM help_request_subjects WHERE request_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for (position, code) in subjects.iter().enumerate() {
            sqlx::query(
                "INSERT INTO help_request_subjects (request_id, subject_code, position) \
                 VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(code)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// Opens a request for `pupil_user_id`, made at `now`. Returns its id.
///
/// # Errors
/// The database's error; a unique violation of `help_requests_one_open`
/// when the pupil already has an open one.
pub async fn open(
    tx: &mut Tx,
    pupil_user_id: i64,
    fields: &RequestFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id: i64 = crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO help_requests (pupil_user_id, status, difficulty, mode, deadline, \
         requested_at, updated_at, sessions_per_week) \
         VALUES ($1, 'open', $2, $3, $4, $5, $5, $6) RETURNING id"
    )
    .bind(pupil_user_id)
    .bind(fields.difficulty)
    .bind(fields.mode.as_str())
    .bind(fields.deadline)
    .bind(now)
    .bind(i32::from(fields.sessions_per_week))
    .fetch_one(&mut *conn)
    .await?);
    write_subjects(tx, id, fields.subjects).await?;
    Ok(id)
}

/// Updates open request `id` (its `requested_at` stays). Returns whether
/// it was still open.
///
/// # Errors
/// The database's error.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    fields: &RequestFields<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE help_requests SET difficulty = $1, mode = $2, deadline = $3, updated_at = $4, \
         sessions_per_week = $6 WHERE id = $5 AND status = 'open'"
    )
    .bind(fields.difficulty)
    .bind(fields.mode.as_str())
    .bind(fields.deadline)
    .bind(now)
    .bind(id)
    .bind(i32::from(fields.sessions_per_week))
    .execute(&mut *conn)
    .await?
    .rows_affected());
    if changed == 1 {
        write_subjects(tx, id, fields.subjects).await?;
    }
    Ok(changed == 1)
}

/// Withdraws the open request of `pupil_user_id`. Returns whether there
/// was one.
///
/// # Errors
/// The database's error.
pub async fn withdraw(
    tx: &mut Tx,
    pupil_user_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE help_requests SET status = 'withdrawn', withdrawn_at = $1, updated_at = $1 \
         WHERE pupil_user_id = $2 AND status = 'open'"
    )
    .bind(now)
    .bind(pupil_user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    if changed == 1 {
        crate::proposals::store::cancel_pending(tx, Some(pupil_user_id), None, now).await?;
    }
    Ok(changed == 1)
}

/// Whether request `id` has an active match with a second weekly series
/// proposed or confirmed.
///
/// # Errors
/// The database's error.
pub async fn has_second_series(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    let found: i64 = crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "SELECT COUNT(*) FROM session_series s JOIN matches m ON m.id = s.match_id \
         WHERE m.request_id = $1 AND m.status = 'active' AND s.slot_number = 2 \
         AND s.status IN ('proposed', 'confirmed')"
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?);
    Ok(found > 0)
}
