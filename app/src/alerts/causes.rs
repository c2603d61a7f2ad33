//! The present causes of alerts, read from the database and judged by
//! [`domain::alerts::Rules`].

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::alerts::{Cause, Kind, Rules};

use crate::db::Db;

/// A cause, with what coordinators read about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub cause: Cause,
    /// Who it is about, in words: "Inès Roux / Maëlys Payet".
    pub label: String,
    /// The page where the coordinator acts on it.
    pub link: String,
}

const ACADEMY_OF_PUPIL: &str = "JOIN pupils p ON p.user_id = m.pupil_user_id \
                                JOIN schools s ON s.uai = p.school_uai \
                                JOIN users pu ON pu.id = m.pupil_user_id \
                                JOIN users tu ON tu.id = m.tutor_user_id";

fn found(kind: Kind, subject: String, academy: String, label: String, link: String) -> Found {
    Found {
        cause: Cause {
            kind,
            subject,
            academy,
        },
        label,
        link,
    }
}

/// Every present cause at `now`, under `rules`.
///
/// # Errors
/// The database's error.
pub async fn present(
    db: &Db,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<Vec<Found>, sqlx::Error> {
    let mut causes = pairs(db, rules, now).await?;
    causes.extend(low_ratings(db, rules).await?);
    causes.extend(waiting(db, rules, now).await?);
    causes.extend(checks(db, rules, now.date_naive()).await?);
    causes.extend(reports(db).await?);
    Ok(causes)
}

type PairRow = (i64, DateTime<Utc>, String, i64, String, String);

/// A session that has ended: its id, its end, and whether it was held
/// (`None`: nobody answered).
type Answered = (i64, DateTime<Utc>, Option<bool>);

/// `missed_sessions` and `no_recent_session`, for the active pairs.
async fn pairs(db: &Db, rules: &Rules, now: DateTime<Utc>) -> Result<Vec<Found>, sqlx::Error> {
    let sql = format!(
        "SELECT m.id, m.started_at, s.academy_code, m.pupil_user_id, \
         pu.first_name || ' ' || pu.last_name, tu.first_name || ' ' || tu.last_name \
         FROM matches m {ACADEMY_OF_PUPIL} WHERE m.status = 'active' ORDER BY m.id"
    );
    let pairs: Vec<PairRow> =
        crate::on_db!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await?);
    // The sessions of active pairs that have ended, each with what the
    // sides answered (NULL: no answer from that side).
    let sessions: Vec<(i64, i64, DateTime<Utc>, Option<bool>)> = crate::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT ser.match_id, o.id, o.ends_at, f.took_place FROM session_occurrences o \
             JOIN session_series ser ON ser.id = o.series_id \
             JOIN matches m ON m.id = ser.match_id \
             LEFT JOIN session_feedback f ON f.occurrence_id = o.id \
             WHERE m.status = 'active' AND o.status IN ('scheduled', 'moved') AND o.ends_at <= $1 \
             ORDER BY ser.match_id, o.starts_at, o.id",
        )
        .bind(now)
        .fetch_all(pool)
        .await?
    });
    // Per pair, per session in order: held (Some(true)), not held
    // (Some(false), if either side says so) or unanswered (None).
    let mut answers: BTreeMap<i64, Vec<Answered>> = BTreeMap::new();
    for (match_id, occurrence, ends_at, took_place) in sessions {
        let list = answers.entry(match_id).or_default();
        match list.last_mut() {
            Some(last) if last.0 == occurrence => {
                last.2 = match (last.2, took_place) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (None, None) => None,
                };
            }
            _ => list.push((occurrence, ends_at, took_place)),
        }
    }
    let mut found_causes = Vec::new();
    for (id, started_at, academy, pupil, pupil_name, tutor_name) in pairs {
        let sessions = answers.remove(&id).unwrap_or_default();
        let label = format!("{pupil_name} / {tutor_name}");
        let link = format!("/coordination/eleves/{pupil}");
        let outcomes: Vec<Option<bool>> = sessions.iter().map(|s| s.2).collect();
        if rules.missed_sessions(&outcomes) {
            found_causes.push(found(
                Kind::MissedSessions,
                format!("match:{id}"),
                academy.clone(),
                label.clone(),
                link.clone(),
            ));
        }
        // Held: a side said it took place (and neither said it did not).
        let last_held = sessions
            .iter()
            .filter(|s| s.2 == Some(true))
            .map(|s| s.1)
            .max();
        if rules.no_recent_session(started_at, last_held, now) {
            found_causes.push(found(
                Kind::NoRecentSession,
                format!("match:{id}"),
                academy,
                label,
                link,
            ));
        }
    }
    Ok(found_causes)
}

type RatingRow = (i64, String, i32, String, i64, String, String);

/// `low_rating`: every answer with a low rating, whatever became of the
/// pair.
async fn low_ratings(db: &Db, rules: &Rules) -> Result<Vec<Found>, sqlx::Error> {
    let sql = format!(
        "SELECT f.occurrence_id, f.side, f.rating, s.academy_code, m.pupil_user_id, \
         pu.first_name || ' ' || pu.last_name, tu.first_name || ' ' || tu.last_name \
         FROM session_feedback f JOIN session_occurrences o ON o.id = f.occurrence_id \
         JOIN session_series ser ON ser.id = o.series_id JOIN matches m ON m.id = ser.match_id \
         {ACADEMY_OF_PUPIL} WHERE f.rating IS NOT NULL AND f.rating <= $1 \
         ORDER BY f.occurrence_id, f.side"
    );
    let rows: Vec<RatingRow> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(i32::from(rules.rating))
        .fetch_all(pool)
        .await?);
    Ok(rows
        .into_iter()
        .filter(|row| u8::try_from(row.2).is_ok_and(|rating| rules.low_rating(rating)))
        .map(
            |(occurrence, side, _, academy, pupil, pupil_name, tutor_name)| {
                found(
                    Kind::LowRating,
                    format!("feedback:{occurrence}:{side}"),
                    academy,
                    format!("{pupil_name} / {tutor_name}"),
                    format!("/coordination/eleves/{pupil}"),
                )
            },
        )
        .collect())
}

/// `long_wait`: open requests ready to be matched (the pupil gave her
/// availability and may ask for help: 15 or over, or a parent consented)
/// with neither an active match nor a proposal waiting for a tutor's
/// answer.
async fn waiting(db: &Db, rules: &Rules, now: DateTime<Utc>) -> Result<Vec<Found>, sqlx::Error> {
    let rows: Vec<(i64, DateTime<Utc>, String, i64, String)> = crate::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.id, r.requested_at, s.academy_code, r.pupil_user_id, \
             u.first_name || ' ' || u.last_name FROM help_requests r \
             JOIN pupils p ON p.user_id = r.pupil_user_id JOIN schools s ON s.uai = p.school_uai \
             JOIN users u ON u.id = r.pupil_user_id \
             WHERE r.status = 'open' AND p.consent IN ('not_required', 'given') \
             AND EXISTS (SELECT 1 FROM availability_intervals ai WHERE ai.user_id = r.pupil_user_id) \
             AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.request_id = r.id AND m.status = 'active') \
             AND NOT EXISTS (SELECT 1 FROM match_proposals mp \
                             WHERE mp.request_id = r.id AND mp.status = 'pending') \
             ORDER BY r.id",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter(|row| rules.long_wait(row.1, now))
        .map(|(id, _, academy, pupil, name)| {
            found(
                Kind::LongWait,
                format!("request:{id}"),
                academy,
                name,
                format!("/coordination/eleves/{pupil}"),
            )
        })
        .collect())
}

/// `check_expiring`: approved tutors, once per académie they volunteer in.
async fn checks(db: &Db, rules: &Rules, today: NaiveDate) -> Result<Vec<Found>, sqlx::Error> {
    let rows: Vec<(i64, NaiveDate, String, String)> = crate::on_db!(db, |pool| {
        sqlx::query_as(
        "SELECT t.user_id, t.check_expires_on, ta.academy_code, u.first_name || ' ' || u.last_name \
         FROM tutors t JOIN tutor_academies ta ON ta.tutor_user_id = t.user_id \
         JOIN users u ON u.id = t.user_id \
         WHERE t.status = 'approved' AND t.check_expires_on IS NOT NULL \
         ORDER BY t.user_id, ta.academy_code"
    )
    .fetch_all(pool)
    .await?
    });
    Ok(rows
        .into_iter()
        .filter(|row| rules.check_expiring(row.1, today))
        .map(|(id, _, academy, name)| {
            found(
                Kind::CheckExpiring,
                format!("tutor:{id}"),
                academy,
                name,
                format!("/coordination/tuteurs/{id}"),
            )
        })
        .collect())
}

/// `open_report`: reports in the queue.
async fn reports(db: &Db) -> Result<Vec<Found>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT r.id, r.academy_code, COALESCE(p.first_name || ' ' || p.last_name, \
         u.first_name || ' ' || u.last_name) FROM problem_reports r \
         JOIN users u ON u.id = r.reporter_user_id LEFT JOIN users p ON p.id = r.pupil_user_id \
         WHERE r.status = 'open' ORDER BY r.id"
    )
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(id, academy, name)| {
            found(
                Kind::OpenReport,
                format!("report:{id}"),
                academy,
                name,
                "/coordination".to_owned(),
            )
        })
        .collect())
}
