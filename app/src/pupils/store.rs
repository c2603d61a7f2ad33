//! The `pupils` table, read with the pupil's account, school and parent.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};

use super::{is_under_15, may_request_help, Consent, PupilProfile};
use crate::db::{fetch_for_ids, Db, Tx};
use crate::schools::search::SchoolSummary;

/// A pupil as stored, with what the pages show next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pupil {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub birth_month: u32,
    pub birth_year: i32,
    pub school: SchoolSummary,
    pub level_code: String,
    pub parent_user_id: Option<i64>,
    pub parent_email: Option<String>,
    pub consent: Consent,
}

impl Pupil {
    /// Whether the pupil is under 15 at `now` (UTC month).
    pub fn under_15(&self, now: DateTime<Utc>) -> bool {
        is_under_15(self.birth_year, self.birth_month, now.year(), now.month())
    }

    /// The profile as pages show it, at `now`.
    pub fn profile(&self, now: DateTime<Utc>) -> PupilProfile {
        let under_15 = self.under_15(now);
        PupilProfile {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            birth_month: self.birth_month,
            birth_year: self.birth_year,
            school: self.school.clone(),
            level_code: self.level_code.clone(),
            parent_email: self.parent_email.clone(),
            consent: self.consent,
            under_15,
            may_request_help: may_request_help(under_15, self.consent),
        }
    }
}

type Row = (
    i64,
    String,
    String,
    String,
    i32,
    i32,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
);

const SELECT: &str = "SELECT p.user_id, u.first_name, u.last_name, u.email, p.birth_month, \
     p.birth_year, s.uai, s.name, s.commune, s.academy_code, p.level_code, p.parent_user_id, \
     parent.email, p.consent \
     FROM pupils p JOIN users u ON u.id = p.user_id JOIN schools s ON s.uai = p.school_uai \
     LEFT JOIN users parent ON parent.id = p.parent_user_id";

fn from_row(row: Row) -> Result<Pupil, sqlx::Error> {
    let (
        user_id,
        first_name,
        last_name,
        email,
        month,
        year,
        uai,
        name,
        commune,
        academy,
        level,
        parent_id,
        parent_email,
        consent,
    ) = row;
    Ok(Pupil {
        user_id,
        first_name,
        last_name,
        email,
        birth_month: u32::try_from(month).unwrap_or(1),
        birth_year: year,
        school: SchoolSummary {
            uai,
            name,
            commune,
            academy_code: academy,
        },
        level_code: level,
        parent_user_id: parent_id,
        parent_email,
        consent: Consent::parse(&consent)
            .ok_or_else(|| sqlx::Error::Decode(format!("pupils.consent of {user_id}").into()))?,
    })
}

/// The pupil whose account is `user_id`.
///
/// # Errors
/// The database's error.
pub async fn find(db: &Db, user_id: i64) -> Result<Option<Pupil>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE p.user_id = $1");
    let row: Option<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
    row.map(from_row).transpose()
}

/// The pupils whose accounts are among `user_ids`, by user id: one query
/// per [`IN_CHUNK`](crate::db::IN_CHUNK) ids.
///
/// # Errors
/// The database's error.
pub async fn find_many(db: &Db, user_ids: &[i64]) -> Result<HashMap<i64, Pupil>, sqlx::Error> {
    let mut found = HashMap::with_capacity(user_ids.len());
    let rows: Vec<Row> = fetch_for_ids(db, user_ids, |list| {
        format!("{SELECT} WHERE p.user_id IN ({list})")
    })
    .await?;
    for row in rows {
        let pupil = from_row(row)?;
        found.insert(pupil.user_id, pupil);
    }
    Ok(found)
}

/// The same, inside `tx`.
///
/// # Errors
/// The database's error.
pub async fn find_in(tx: &mut Tx, user_id: i64) -> Result<Option<Pupil>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE p.user_id = $1");
    let row: Option<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?);
    row.map(from_row).transpose()
}

/// The pupils whose parent account is `parent_id`, by first name.
///
/// # Errors
/// The database's error.
pub async fn children_of(db: &Db, parent_id: i64) -> Result<Vec<Pupil>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE p.parent_user_id = $1 ORDER BY u.first_name, p.user_id");
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(parent_id)
        .fetch_all(pool)
        .await?);
    rows.into_iter().map(from_row).collect()
}

/// The pupils of schools in `academies`, by last then first name.
///
/// # Errors
/// The database's error.
pub async fn in_academies(db: &Db, academies: &[String]) -> Result<Vec<Pupil>, sqlx::Error> {
    if academies.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE s.academy_code IN ({}) ORDER BY u.last_name, u.first_name, p.user_id",
        crate::db::placeholders(academies.len())
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for code in academies {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    rows.into_iter().map(from_row).collect()
}

/// What a pupil's profile form saves.
#[derive(Clone, Debug)]
pub struct ProfileFields<'a> {
    pub birth_month: u32,
    pub birth_year: i32,
    pub school_uai: &'a str,
    pub level_code: &'a str,
}

/// Creates or updates the profile of pupil `user_id` (consent untouched
/// for an existing one; `not_required` for a new one until
/// [`set_consent`] says otherwise).
///
/// # Errors
/// The database's error.
pub async fn save(
    tx: &mut Tx,
    user_id: i64,
    fields: &ProfileFields<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let month = i32::try_from(fields.birth_month).unwrap_or(1);
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO pupils (user_id, birth_month, birth_year, school_uai, level_code, \
             consent, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'not_required', $6, $6) \
             ON CONFLICT (user_id) DO UPDATE SET birth_month = excluded.birth_month, \
             birth_year = excluded.birth_year, school_uai = excluded.school_uai, \
             level_code = excluded.level_code, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(month)
        .bind(fields.birth_year)
        .bind(fields.school_uai)
        .bind(fields.level_code)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Sets the parent asked for consent and the state of consent.
///
/// # Errors
/// The database's error.
pub async fn set_consent(
    tx: &mut Tx,
    user_id: i64,
    parent_user_id: Option<i64>,
    consent: Consent,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE pupils SET parent_user_id = $1, consent = $2, consent_changed_at = $3, \
             updated_at = $3 WHERE user_id = $4",
        )
        .bind(parent_user_id)
        .bind(consent.as_str())
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Records a parent's answer for every child still awaiting it (consent
/// pending with this parent); returns how many.
///
/// # Errors
/// The database's error.
pub async fn answer_pending(
    tx: &mut Tx,
    parent_user_id: i64,
    consent: Consent,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE pupils SET consent = $1, consent_changed_at = $2, updated_at = $2 \
             WHERE parent_user_id = $3 AND consent = 'pending'",
        )
        .bind(consent.as_str())
        .bind(now)
        .bind(parent_user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }))
}

/// A school a pupil may choose: its summary, if it is in the directory
/// and teaches before the baccalauréat.
///
/// # Errors
/// The database's error.
pub async fn school_for_pupils(db: &Db, uai: &str) -> Result<Option<SchoolSummary>, sqlx::Error> {
    let row: Option<(String, String, String, String)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT uai, name, commune, academy_code FROM schools \
         WHERE uai = $1 AND post_baccalaureate_only = FALSE"
    )
    .bind(uai)
    .fetch_optional(pool)
    .await?);
    Ok(row.map(|(uai, name, commune, academy_code)| SchoolSummary {
        uai,
        name,
        commune,
        academy_code,
    }))
}

/// The pupil and the tutor of the match `match_id` (active or ended).
///
/// # Errors
/// The database's error.
pub async fn sides_of_match(db: &Db, match_id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    Ok(crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT pupil_user_id, tutor_user_id FROM matches WHERE id = $1"
    )
    .bind(match_id)
    .fetch_optional(pool)
    .await?))
}
