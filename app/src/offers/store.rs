//! The `tutor_offers` and `tutor_offer_subjects` tables.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{OfferEntry, TutorOffer};
use crate::db::{fetch_for_ids, placeholders, Db, Tx};
use crate::meeting::Mode;
use crate::schools::search::SchoolSummary;

type Row = (
    i64,
    i32,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i32>,
    String,
    Option<DateTime<Utc>>,
);

const SELECT: &str = "SELECT o.tutor_user_id, o.capacity, o.mode, s.uai, s.name, s.commune, \
     s.academy_code, o.max_distance_km, o.languages, o.paused_at \
     FROM tutor_offers o LEFT JOIN schools s ON s.uai = o.meeting_school_uai";

/// The offer entries of tutors `tutors`, each by subject then niveau: one
/// query per [`IN_CHUNK`](crate::db::IN_CHUNK) tutors.
async fn entries_of(db: &Db, tutors: &[i64]) -> Result<HashMap<i64, Vec<OfferEntry>>, sqlx::Error> {
    let mut entries: HashMap<i64, Vec<OfferEntry>> = HashMap::with_capacity(tutors.len());
    let rows: Vec<(i64, String, String)> = fetch_for_ids(db, tutors, |list| {
        format!(
            "SELECT tutor_user_id, subject_code, up_to_level_code FROM tutor_offer_subjects \
             WHERE tutor_user_id IN ({list}) \
             ORDER BY tutor_user_id, subject_code, up_to_level_code"
        )
    })
    .await?;
    for (tutor, subject_code, up_to_level) in rows {
        entries.entry(tutor).or_default().push(OfferEntry {
            subject_code,
            up_to_level,
        });
    }
    Ok(entries)
}

/// The offers of `rows`, their entries read in one batch.
async fn from_rows(db: &Db, rows: Vec<Row>) -> Result<Vec<(i64, TutorOffer)>, sqlx::Error> {
    let tutors: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let mut entries = entries_of(db, &tutors).await?;
    rows.into_iter()
        .map(|row| {
            let tutor = row.0;
            from_row(row, entries.remove(&tutor).unwrap_or_default())
        })
        .collect()
}

fn from_row(row: Row, entries: Vec<OfferEntry>) -> Result<(i64, TutorOffer), sqlx::Error> {
    let (tutor, capacity, mode, uai, name, commune, academy, distance, languages, paused) = row;
    let corrupt =
        |what: &str| sqlx::Error::Decode(format!("tutor_offers.{what} of {tutor}").into());
    let meeting_school = match (uai, name, commune, academy) {
        (Some(uai), Some(name), Some(commune), Some(academy_code)) => Some(SchoolSummary {
            uai,
            name,
            commune,
            academy_code,
        }),
        _ => None,
    };
    Ok((
        tutor,
        TutorOffer {
            entries,
            capacity: u8::try_from(capacity).map_err(|_| corrupt("capacity"))?,
            mode: Mode::parse(&mode).ok_or_else(|| corrupt("mode"))?,
            meeting_school,
            max_distance_km: distance.and_then(|d| u16::try_from(d).ok()),
            languages: languages
                .split(',')
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
                .collect(),
            paused: paused.is_some(),
        },
    ))
}

/// The offer of tutor `tutor`, if they made one.
///
/// # Errors
/// The database's error.
pub async fn find(db: &Db, tutor: i64) -> Result<Option<TutorOffer>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE o.tutor_user_id = $1");
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(tutor)
        .fetch_all(pool)
        .await?);
    Ok(from_rows(db, rows).await?.pop().map(|(_, offer)| offer))
}

/// The offers of tutors who volunteer in any of `academies`, by tutor id.
///
/// # Errors
/// The database's error.
pub async fn in_academies(
    db: &Db,
    academies: &[String],
) -> Result<Vec<(i64, TutorOffer)>, sqlx::Error> {
    if academies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE o.tutor_user_id IN (SELECT tutor_user_id FROM tutor_academies \
         WHERE academy_code IN ({})) ORDER BY o.tutor_user_id",
        placeholders(academies.len())
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

/// Creates or replaces tutor `tutor`'s offer (its pause stays as it was).
///
/// # Errors
/// The database's error.
pub async fn save(
    tx: &mut Tx,
    tutor: i64,
    offer: &TutorOffer,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let school = offer.meeting_school.as_ref().map(|s| s.uai.clone());
    let distance = offer.max_distance_km.map(i32::from);
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO tutor_offers (tutor_user_id, capacity, mode, meeting_school_uai, \
             max_distance_km, languages, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (tutor_user_id) DO UPDATE SET capacity = excluded.capacity, \
             mode = excluded.mode, meeting_school_uai = excluded.meeting_school_uai, \
             max_distance_km = excluded.max_distance_km, languages = excluded.languages, \
             updated_at = excluded.updated_at",
        )
        .bind(tutor)
        .bind(i32::from(offer.capacity))
        .bind(offer.mode.as_str())
        .bind(school)
        .bind(distance)
        .bind(offer.languages.join(","))
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM tutor_offer_subjects WHERE tutor_user_id = $1")
            .bind(tutor)
            .execute(&mut *conn)
            .await?;
        for entry in &offer.entries {
            sqlx::query(
                "INSERT INTO tutor_offer_subjects (tutor_user_id, subject_code, up_to_level_code) \
                 VALUES ($1, $2, $3)",
            )
            .bind(tutor)
            .bind(&entry.subject_code)
            .bind(&entry.up_to_level)
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// Pauses (at `now`) or resumes tutor `tutor`'s offer. Returns whether
/// they have one.
///
/// # Errors
/// The database's error.
pub async fn set_paused(
    tx: &mut Tx,
    tutor: i64,
    paused: bool,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let paused_at = paused.then_some(now);
    let changed = crate::on_tx!(tx, |conn| sqlx::query(
        "UPDATE tutor_offers SET paused_at = $1, updated_at = $2 WHERE tutor_user_id = $3"
    )
    .bind(paused_at)
    .bind(now)
    .bind(tutor)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(changed == 1)
}
