//! The `availability_intervals` table and `users.time_zone`.

use chrono::Weekday;
use chrono_tz::Tz;
use domain::availability::{parse_zone, WeeklyAvailability, WeeklyInterval, WEEKDAYS};

use crate::db::{Db, Tx};

/// The zone used when nothing is known: mainland France.
pub const FALLBACK_ZONE: &str = "Europe/Paris";

/// The zone of `user_id`'s (first) académie: their school's for a pupil,
/// the first one chosen for a tutor; [`FALLBACK_ZONE`] otherwise.
///
/// # Errors
/// The database's error.
pub async fn default_zone(db: &Db, user_id: i64) -> Result<String, sqlx::Error> {
    let zone: Option<String> = crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT a.time_zone FROM pupils p JOIN schools s ON s.uai = p.school_uai \
         JOIN academies a ON a.code = s.academy_code WHERE p.user_id = $1 \
         UNION ALL \
         SELECT a.time_zone FROM tutor_academies t JOIN academies a ON a.code = t.academy_code \
         WHERE t.tutor_user_id = $1 AND t.position = 0"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?);
    Ok(zone.unwrap_or_else(|| FALLBACK_ZONE.to_owned()))
}

/// The zone `user_id` chose, if any.
///
/// # Errors
/// The database's error.
pub async fn chosen_zone(db: &Db, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    let zone: Option<Option<String>> = crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT time_zone FROM users WHERE id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?);
    Ok(zone.flatten())
}

/// The zone of `user_id`'s availability: the one they chose, else their
/// académie's.
///
/// # Errors
/// The database's error.
pub async fn zone_name(db: &Db, user_id: i64) -> Result<String, sqlx::Error> {
    match chosen_zone(db, user_id).await? {
        Some(zone) => Ok(zone),
        None => default_zone(db, user_id).await,
    }
}

/// The zone of `user_id`'s availability as a [`Tz`] (Europe/Paris if the
/// stored name were ever unknown).
///
/// # Errors
/// The database's error.
pub async fn zone(db: &Db, user_id: i64) -> Result<Tz, sqlx::Error> {
    Ok(parse_zone(&zone_name(db, user_id).await?).unwrap_or(chrono_tz::Europe::Paris))
}

/// Today's date in `user_id`'s zone at `now` (dates a person types, and
/// days they waited, are theirs, not UTC's).
///
/// # Errors
/// The database's error.
pub async fn local_today(
    db: &Db,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::NaiveDate, sqlx::Error> {
    Ok(now.with_timezone(&zone(db, user_id).await?).date_naive())
}

fn weekday_of(iso: i32) -> Option<Weekday> {
    usize::try_from(iso - 1)
        .ok()
        .and_then(|index| WEEKDAYS.get(index).copied())
}

/// The stored intervals of `user_id`: (ISO weekday, from, to), Monday first.
///
/// # Errors
/// The database's error.
pub async fn intervals(db: &Db, user_id: i64) -> Result<Vec<(i32, i32, i32)>, sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT weekday, from_minute, to_minute FROM availability_intervals \
         WHERE user_id = $1 ORDER BY weekday, from_minute"
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)
}

/// `user_id`'s availability in the domain's terms.
///
/// # Errors
/// The database's error; `Decode` when a stored zone or interval is not
/// valid (the table's checks make that a corruption).
pub async fn load(db: &Db, user_id: i64) -> Result<WeeklyAvailability, sqlx::Error> {
    let zone_name = zone_name(db, user_id).await?;
    let corrupt = |what: String| sqlx::Error::Decode(what.into());
    let zone: Tz =
        parse_zone(&zone_name).map_err(|_| corrupt(format!("users.time_zone of {user_id}")))?;
    let mut kept = Vec::new();
    for (weekday, from, to) in intervals(db, user_id).await? {
        let interval = weekday_of(weekday)
            .zip(u16::try_from(from).ok().zip(u16::try_from(to).ok()))
            .and_then(|(day, (from, to))| WeeklyInterval::new(day, from, to).ok())
            .ok_or_else(|| corrupt(format!("availability_intervals of {user_id}")))?;
        kept.push(interval);
    }
    Ok(WeeklyAvailability::new(zone, kept).0)
}

/// Replaces `user_id`'s zone (`None`: their académie's) and intervals.
///
/// # Errors
/// The database's error.
pub async fn save(
    tx: &mut Tx,
    user_id: i64,
    zone: Option<&str>,
    availability: &WeeklyAvailability,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
            .bind(zone)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM availability_intervals WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        for interval in availability.intervals() {
            let weekday = i32::try_from(interval.weekday().number_from_monday()).unwrap_or(1);
            sqlx::query(
                "INSERT INTO availability_intervals (user_id, weekday, from_minute, to_minute) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(user_id)
            .bind(weekday)
            .bind(i32::from(interval.from()))
            .bind(i32::from(interval.to()))
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// Whether `user_id` has any availability interval.
///
/// # Errors
/// The database's error.
pub async fn has_any(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    let count: i64 = crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM availability_intervals WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?);
    Ok(count > 0)
}
