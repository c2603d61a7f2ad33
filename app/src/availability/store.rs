//! The `availability_intervals` table and `users.time_zone`.

use std::collections::HashMap;

use chrono::Weekday;
use chrono_tz::Tz;
use domain::availability::{parse_zone, WeeklyAvailability, WeeklyInterval, WEEKDAYS};

use crate::db::{fetch_for_ids, Db, Tx};

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

/// The zone of `user_id`'s availability: the one they chose, else their
/// académie's.
///
/// # Errors
/// The database's error.
pub async fn zone_name(db: &Db, user_id: i64) -> Result<String, sqlx::Error> {
    Ok(zone_names(db, &[user_id])
        .await?
        .remove(&user_id)
        .unwrap_or_else(|| FALLBACK_ZONE.to_owned()))
}

/// [`zone_name`] of each of `user_ids` that has an account, in one query
/// per [`IN_CHUNK`](crate::db::IN_CHUNK) ids: IANA names by user id.
///
/// # Errors
/// The database's error.
pub async fn zone_names(db: &Db, user_ids: &[i64]) -> Result<HashMap<i64, String>, sqlx::Error> {
    // The chosen zone, else the pupil's school's académie's, else the
    // tutor's first académie's: the order of `default_zone`.
    let rows: Vec<(i64, String)> = fetch_for_ids(db, user_ids, |list| {
        format!(
            "SELECT u.id, COALESCE(u.time_zone, \
             (SELECT a.time_zone FROM pupils p JOIN schools s ON s.uai = p.school_uai \
              JOIN academies a ON a.code = s.academy_code WHERE p.user_id = u.id), \
             (SELECT a.time_zone FROM tutor_academies t JOIN academies a ON a.code = t.academy_code \
              WHERE t.tutor_user_id = u.id AND t.position = 0), '{FALLBACK_ZONE}') \
             FROM users u WHERE u.id IN ({list})"
        )
    })
    .await?;
    Ok(rows.into_iter().collect())
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

/// `user_id`'s availability in the domain's terms.
///
/// # Errors
/// The database's error; `Decode` when a stored zone or interval is not
/// valid (the table's checks make that a corruption).
pub async fn load(db: &Db, user_id: i64) -> Result<WeeklyAvailability, sqlx::Error> {
    let mut found = load_many(db, &[user_id]).await?;
    found
        .remove(&user_id)
        .ok_or_else(|| sqlx::Error::Decode(format!("availability of {user_id}").into()))
}

/// [`load`] for each of `user_ids` (duplicates allowed), in two queries
/// per [`IN_CHUNK`](crate::db::IN_CHUNK) ids: the availability by user id, one entry per id
/// (an unknown id gets an empty week in [`FALLBACK_ZONE`]).
///
/// # Errors
/// As [`load`].
pub async fn load_many(
    db: &Db,
    user_ids: &[i64],
) -> Result<HashMap<i64, WeeklyAvailability>, sqlx::Error> {
    let mut ids = user_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut zones = zone_names(db, &ids).await?;
    let mut rows: HashMap<i64, Vec<(i32, i32, i32)>> = HashMap::with_capacity(ids.len());
    let found: Vec<(i64, i32, i32, i32)> = fetch_for_ids(db, &ids, |list| {
        format!(
            "SELECT user_id, weekday, from_minute, to_minute FROM availability_intervals \
             WHERE user_id IN ({list}) ORDER BY user_id, weekday, from_minute"
        )
    })
    .await?;
    for (user_id, weekday, from, to) in found {
        rows.entry(user_id).or_default().push((weekday, from, to));
    }
    let mut weeks = HashMap::with_capacity(ids.len());
    for user_id in ids {
        let zone_name = zones
            .remove(&user_id)
            .unwrap_or_else(|| FALLBACK_ZONE.to_owned());
        let intervals = rows.remove(&user_id).unwrap_or_default();
        weeks.insert(user_id, week_of(user_id, &zone_name, intervals)?);
    }
    Ok(weeks)
}

/// The stored zone and intervals of `user_id` as a week.
fn week_of(
    user_id: i64,
    zone_name: &str,
    intervals: Vec<(i32, i32, i32)>,
) -> Result<WeeklyAvailability, sqlx::Error> {
    let corrupt = |what: String| sqlx::Error::Decode(what.into());
    let zone: Tz =
        parse_zone(zone_name).map_err(|_| corrupt(format!("users.time_zone of {user_id}")))?;
    let mut kept = Vec::with_capacity(intervals.len());
    for (weekday, from, to) in intervals {
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
