//! The `tutors` and `tutor_academies` tables.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{is_proposable, BackgroundCheck, CheckOutcome, TutorProfile, TutorStatus};
use crate::db::{fetch_for_ids, placeholders, Db, Tx};

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i32,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
);

const SELECT: &str = "SELECT t.user_id, u.first_name, u.last_name, u.email, t.institution, \
     t.field_of_study, t.study_year, t.status, t.check_outcome, t.check_done_on, \
     t.check_expires_on, recorder.first_name || ' ' || recorder.last_name \
     FROM tutors t JOIN users u ON u.id = t.user_id \
     LEFT JOIN users recorder ON recorder.id = t.check_recorded_by";

fn from_row(
    row: Row,
    academies: Vec<String>,
    today: NaiveDate,
) -> Result<TutorProfile, sqlx::Error> {
    let (
        user_id,
        first_name,
        last_name,
        email,
        institution,
        field,
        year,
        status,
        outcome,
        done,
        expires,
        recorder,
    ) = row;
    let corrupt = |what: &str| sqlx::Error::Decode(format!("tutors.{what} of {user_id}").into());
    let status = TutorStatus::parse(&status).ok_or_else(|| corrupt("status"))?;
    let check = match (outcome, done, expires) {
        (Some(outcome), Some(done), Some(expires)) => Some(BackgroundCheck {
            outcome: CheckOutcome::parse(&outcome).ok_or_else(|| corrupt("check_outcome"))?,
            done_on: done.to_string(),
            expires_on: expires.to_string(),
            recorded_by: recorder.unwrap_or_default(),
        }),
        _ => None,
    };
    let proposable = is_proposable(status, check.as_ref(), &today.to_string());
    Ok(TutorProfile {
        user_id,
        first_name,
        last_name,
        email,
        institution,
        field_of_study: field,
        study_year: u8::try_from(year).unwrap_or(1),
        academies,
        status,
        check,
        proposable,
    })
}

/// The académies of tutor `user_id`, in the order they chose them.
///
/// # Errors
/// The database's error.
pub async fn academies_of(db: &Db, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    Ok(academies_of_many(db, &[user_id])
        .await?
        .remove(&user_id)
        .unwrap_or_default())
}

/// [`academies_of`] for each of `user_ids` (absent: none), one query per
/// [`IN_CHUNK`](crate::db::IN_CHUNK) ids.
///
/// # Errors
/// The database's error.
pub async fn academies_of_many(
    db: &Db,
    user_ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, sqlx::Error> {
    let mut academies: HashMap<i64, Vec<String>> = HashMap::with_capacity(user_ids.len());
    let rows: Vec<(i64, String)> = fetch_for_ids(db, user_ids, |list| {
        format!(
            "SELECT tutor_user_id, academy_code FROM tutor_academies \
             WHERE tutor_user_id IN ({list}) ORDER BY tutor_user_id, position"
        )
    })
    .await?;
    for (id, code) in rows {
        academies.entry(id).or_default().push(code);
    }
    Ok(academies)
}

/// The tutor whose account is `user_id`, as of `today`.
///
/// # Errors
/// The database's error.
pub async fn find(
    db: &Db,
    user_id: i64,
    today: NaiveDate,
) -> Result<Option<TutorProfile>, sqlx::Error> {
    Ok(find_many(db, &[user_id], today).await?.remove(&user_id))
}

/// The tutors whose accounts are among `user_ids`, as of `today`, by
/// user id: two queries per [`IN_CHUNK`](crate::db::IN_CHUNK) ids.
///
/// # Errors
/// The database's error.
pub async fn find_many(
    db: &Db,
    user_ids: &[i64],
    today: NaiveDate,
) -> Result<HashMap<i64, TutorProfile>, sqlx::Error> {
    let mut found = HashMap::with_capacity(user_ids.len());
    let rows: Vec<Row> = fetch_for_ids(db, user_ids, |list| {
        format!("{SELECT} WHERE t.user_id IN ({list})")
    })
    .await?;
    let mut academies = academies_of_many(db, user_ids).await?;
    for row in rows {
        let id = row.0;
        let academies = academies.remove(&id).unwrap_or_default();
        found.insert(id, from_row(row, academies, today)?);
    }
    Ok(found)
}

/// The tutors who volunteer in any of `academies`, by last then first name.
///
/// # Errors
/// The database's error.
pub async fn in_academies(
    db: &Db,
    academies: &[String],
    today: NaiveDate,
) -> Result<Vec<TutorProfile>, sqlx::Error> {
    if academies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE t.user_id IN (SELECT tutor_user_id FROM tutor_academies \
         WHERE academy_code IN ({})) ORDER BY u.last_name, u.first_name, t.user_id",
        placeholders(academies.len())
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for code in academies {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let mut chosen = academies_of_many(db, &ids).await?;
    let mut tutors = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.0;
        tutors.push(from_row(
            row,
            chosen.remove(&id).unwrap_or_default(),
            today,
        )?);
    }
    Ok(tutors)
}

/// What a tutor's profile form saves.
#[derive(Clone, Debug)]
pub struct ProfileFields<'a> {
    pub institution: &'a str,
    pub field_of_study: &'a str,
    pub study_year: u8,
    pub academies: &'a [String],
}

/// Creates (status pending, charter accepted at `now`) or updates the
/// profile of tutor `user_id`.
///
/// # Errors
/// The database's error.
pub async fn save(
    tx: &mut Tx,
    user_id: i64,
    fields: &ProfileFields<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO tutors (user_id, institution, field_of_study, study_year, \
             charter_accepted_at, status, status_changed_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $5, $5, $5) \
             ON CONFLICT (user_id) DO UPDATE SET institution = excluded.institution, \
             field_of_study = excluded.field_of_study, study_year = excluded.study_year, \
             updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(fields.institution)
        .bind(fields.field_of_study)
        .bind(i32::from(fields.study_year))
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM tutor_academies WHERE tutor_user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        for (position, code) in fields.academies.iter().enumerate() {
            sqlx::query(
                "INSERT INTO tutor_academies (tutor_user_id, academy_code, position) VALUES ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(code)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// Records a background check for tutor `user_id`.
///
/// # Errors
/// The database's error.
pub async fn record_check(
    tx: &mut Tx,
    user_id: i64,
    outcome: CheckOutcome,
    done_on: NaiveDate,
    expires_on: NaiveDate,
    recorded_by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE tutors SET check_outcome = $1, check_done_on = $2, check_expires_on = $3, \
             check_recorded_by = $4, check_recorded_at = $5, updated_at = $5 WHERE user_id = $6",
        )
        .bind(outcome.as_str())
        .bind(done_on)
        .bind(expires_on)
        .bind(recorded_by)
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Sets the status of tutor `user_id`.
///
/// # Errors
/// The database's error.
pub async fn set_status(
    tx: &mut Tx,
    user_id: i64,
    status: TutorStatus,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE tutors SET status = $1, status_changed_at = $2, updated_at = $2 WHERE user_id = $3",
        )
        .bind(status.as_str())
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    });
    if status != TutorStatus::Approved {
        crate::proposals::store::cancel_pending(tx, None, Some(user_id), now).await?;
    }
    Ok(())
}

/// The approved tutors whose check expired before `today`, moved back to
/// pending in `tx` (their pending proposals cancelled); returns their ids.
///
/// # Errors
/// The database's error.
pub async fn expire_checks(
    tx: &mut Tx,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    let expired: Vec<i64> = crate::on_tx!(tx, |conn| sqlx::query_scalar(
        "UPDATE tutors SET status = 'pending', status_changed_at = $1, updated_at = $1 \
         WHERE status = 'approved' AND (check_expires_on IS NULL OR check_expires_on < $2) \
         RETURNING user_id"
    )
    .bind(now)
    .bind(today)
    .fetch_all(&mut *conn)
    .await?);
    for tutor in &expired {
        crate::proposals::store::cancel_pending(tx, None, Some(*tutor), now).await?;
    }
    Ok(expired)
}
