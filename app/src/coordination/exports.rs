//! The coordinator's CSV exports (issue 8): the pairs and the sessions of
//! their scope, as files a spreadsheet in French settings opens as they
//! are (UTF-8 with a byte-order mark, `;` between fields, CRLF line ends)
//! and a program reads too (one header line, codes rather than labels for
//! statuses and reasons, dates as `YYYY-MM-DD`).
//!
//! Only what a coordinator needs: names, schools, subjects, dates and
//! figures; no email address, birth date or request text. The comments of
//! pupils under 18 are left out. Text people typed is kept from being read
//! as a spreadsheet formula ([`text_cell`]).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use tower_sessions::Session;

use crate::accounts::actor::Actor;
use crate::accounts::Role;
use crate::error::AppError;
use crate::i18n::{text, Lang};
use crate::state::AppState;

pub use crate::spreadsheet::{text_cell, to_csv};

/// The exports, by file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// `binomes.csv`: one line per match, active or ended.
    Pairs,
    /// `seances.csv`: one line per stored session, with both sides'
    /// feedback.
    Sessions,
    /// `indicateurs.csv`: the dashboard's figures (`crate::dashboard`).
    Indicators,
}

impl Export {
    /// The export whose file is `name`.
    pub fn from_file(name: &str) -> Option<Export> {
        match name {
            "binomes.csv" => Some(Export::Pairs),
            "seances.csv" => Some(Export::Sessions),
            "indicateurs.csv" => Some(Export::Indicators),
            _ => None,
        }
    }
}

/// `GET /coordination/export/{file}`: the file's name and bytes, for the
/// signed-in coordinator's académies, headers in their language.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles;
/// the database's error.
pub async fn export(
    state: &AppState,
    session: &Session,
    what: Export,
) -> Result<(String, Vec<u8>), AppError> {
    let actor = Actor::require_on(state, session, &[Role::Coordinator]).await?;
    let lang = actor.user.lang;
    let today = state.clock.now().date_naive();
    let (name, rows) = match what {
        Export::Pairs => (
            "binomes",
            pairs(state, &actor.academies, lang)
                .await
                .map_err(AppError::from_db)?,
        ),
        Export::Sessions => (
            "seances",
            sessions(state, &actor.academies, lang)
                .await
                .map_err(AppError::from_db)?,
        ),
        Export::Indicators => (
            "indicateurs",
            crate::dashboard::export::rows(
                &crate::dashboard::store::dashboard(state, &actor)
                    .await
                    .map_err(AppError::from_db)?,
                lang,
            ),
        ),
    };
    let bytes = to_csv(&rows).map_err(|e| AppError::internal(e.to_string()))?;
    Ok((format!("{name}-{today}.csv"), bytes))
}

fn header(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|key| text(lang, &format!("exports.columns.{key}")))
        .collect()
}

fn in_scope(academies: &[String], first: usize) -> String {
    crate::db::placeholders_from(first, academies.len())
}

type PairRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<String>,
    i64,
);

/// The pairs of `academies` (of their pupils' schools), oldest first.
async fn pairs(
    state: &AppState,
    academies: &[String],
    lang: Lang,
) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let mut rows = vec![header(
        lang,
        &[
            "pair",
            "pupil",
            "uai",
            "school",
            "academy",
            "level",
            "subjects",
            "tutor",
            "status",
            "started",
            "ended",
            "end_reason",
            "held",
        ],
    )];
    if academies.is_empty() {
        return Ok(rows);
    }
    // Held, as for the volunteer attestation (`domain::attestation`): it
    // has ended, neither cancelled nor skipped, a side said it took place
    // and neither said it did not.
    let sql = format!(
        "SELECT m.id, pu.first_name || ' ' || pu.last_name, s.uai, s.name, s.academy_code, \
         p.level_code, mp.subjects, tu.first_name || ' ' || tu.last_name, m.status, \
         m.started_at, \
         m.ended_at, m.end_reason, \
         (SELECT COUNT(*) FROM session_occurrences o JOIN session_series ser \
          ON ser.id = o.series_id WHERE ser.match_id = m.id \
          AND o.status IN ('scheduled', 'moved') AND o.ends_at <= $1 \
          AND EXISTS (SELECT 1 FROM session_feedback f \
                      WHERE f.occurrence_id = o.id AND f.took_place) \
          AND NOT EXISTS (SELECT 1 FROM session_feedback f \
                          WHERE f.occurrence_id = o.id AND NOT f.took_place)) \
         FROM matches m JOIN match_proposals mp ON mp.id = m.proposal_id \
         JOIN pupils p ON p.user_id = m.pupil_user_id \
         JOIN schools s ON s.uai = p.school_uai \
         JOIN users pu ON pu.id = m.pupil_user_id JOIN users tu ON tu.id = m.tutor_user_id \
         WHERE s.academy_code IN ({}) ORDER BY m.id",
        in_scope(academies, 2)
    );
    let now = state.clock.now();
    let found: Vec<PairRow> = crate::on_db!(&state.db, |pool| {
        let mut query = sqlx::query_as(&sql).bind(now);
        for code in academies {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    for row in found {
        rows.push(vec![
            row.0.to_string(),
            text_cell(row.1),
            row.2,
            text_cell(row.3),
            row.4,
            row.5,
            // The subjects the tutor covers, stored `a,b`.
            row.6.replace(',', ", "),
            text_cell(row.7),
            row.8,
            row.9.date_naive().to_string(),
            row.10
                .map(|at| at.date_naive().to_string())
                .unwrap_or_default(),
            row.11.unwrap_or_default(),
            row.12.to_string(),
        ]);
    }
    Ok(rows)
}

type SessionRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    String,
    i32,
    i32,
);

type FeedbackRow = (
    i64,
    String,
    bool,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
);

/// Feedback of one side: took place, rating, confidence, worked on,
/// comment, when given.
type Answer = (
    bool,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
);

/// The stored sessions of `academies`' pairs, in order of start, each with
/// both sides' feedback; the pupil's comment only when she was surely 18
/// when she wrote it.
async fn sessions(
    state: &AppState,
    academies: &[String],
    lang: Lang,
) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let mut rows = vec![header(
        lang,
        &[
            "session",
            "pair",
            "pupil",
            "tutor",
            "date",
            "time",
            "time_zone",
            "minutes",
            "status",
            "pupil_took_place",
            "tutor_took_place",
            "pupil_rating",
            "tutor_rating",
            "confidence",
            "worked_on",
            "tutor_comment",
            "pupil_comment",
        ],
    )];
    if academies.is_empty() {
        return Ok(rows);
    }
    let sql = format!(
        "SELECT o.id, m.id, pu.first_name || ' ' || pu.last_name, \
         tu.first_name || ' ' || tu.last_name, ser.time_zone, o.status, o.starts_at, o.ends_at, \
         o.original_date, p.birth_year, p.birth_month \
         FROM session_occurrences o JOIN session_series ser ON ser.id = o.series_id \
         JOIN matches m ON m.id = ser.match_id JOIN pupils p ON p.user_id = m.pupil_user_id \
         JOIN schools s ON s.uai = p.school_uai \
         JOIN users pu ON pu.id = m.pupil_user_id JOIN users tu ON tu.id = m.tutor_user_id \
         WHERE s.academy_code IN ({}) ORDER BY o.starts_at, o.id",
        in_scope(academies, 1)
    );
    let found: Vec<SessionRow> = crate::on_db!(&state.db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for code in academies {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    let mut feedback = feedback_in(state, academies).await?;
    let yes_no = |held: Option<bool>| match held {
        Some(true) => text(lang, "exports.yes"),
        Some(false) => text(lang, "exports.no"),
        None => String::new(),
    };
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    for (id, pair, pupil, tutor, zone, status, starts, ends, original, year, month) in found {
        let zone: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Paris);
        let (date, time) = starts.map_or((original, String::new()), |start| {
            let local = start.with_timezone(&zone);
            (
                local.date_naive().to_string(),
                local.format("%H:%M").to_string(),
            )
        });
        let minutes = starts
            .zip(ends)
            .map(|(s, e)| (e - s).num_minutes().to_string())
            .unwrap_or_default();
        let (pupil_side, tutor_side) = feedback.remove(&id).unwrap_or_default();
        // 18 when she wrote it: only the month of birth is known, so the
        // whole month of her 18th birthday still counts as under 18.
        let adult = pupil_side.as_ref().is_some_and(|answer| {
            (answer.5.year(), answer.5.month()) > (year + 18, u32::try_from(month).unwrap_or(12))
        });
        rows.push(vec![
            id.to_string(),
            pair.to_string(),
            text_cell(pupil),
            text_cell(tutor),
            date,
            time,
            zone.name().to_owned(),
            minutes,
            status,
            yes_no(pupil_side.as_ref().map(|a| a.0)),
            yes_no(tutor_side.as_ref().map(|a| a.0)),
            number(pupil_side.as_ref().and_then(|a| a.1)),
            number(tutor_side.as_ref().and_then(|a| a.1)),
            number(pupil_side.as_ref().and_then(|a| a.2)),
            text_cell(
                tutor_side
                    .as_ref()
                    .and_then(|a| a.3.clone())
                    .unwrap_or_default(),
            ),
            text_cell(
                tutor_side
                    .as_ref()
                    .and_then(|a| a.4.clone())
                    .unwrap_or_default(),
            ),
            if adult {
                text_cell(pupil_side.and_then(|a| a.4).unwrap_or_default())
            } else {
                String::new()
            },
        ]);
    }
    Ok(rows)
}

/// Both sides' feedback (pupil, tutor) on the sessions of `academies`'
/// pairs, by session.
async fn feedback_in(
    state: &AppState,
    academies: &[String],
) -> Result<HashMap<i64, (Option<Answer>, Option<Answer>)>, sqlx::Error> {
    let sql = format!(
        "SELECT f.occurrence_id, f.side, f.took_place, f.rating, f.confidence, f.worked_on, \
         f.comment, f.given_at FROM session_feedback f JOIN session_occurrences o ON o.id = f.occurrence_id \
         JOIN session_series ser ON ser.id = o.series_id JOIN matches m ON m.id = ser.match_id \
         JOIN pupils p ON p.user_id = m.pupil_user_id JOIN schools s ON s.uai = p.school_uai \
         WHERE s.academy_code IN ({})",
        in_scope(academies, 1)
    );
    let rows: Vec<FeedbackRow> = crate::on_db!(&state.db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for code in academies {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    let mut by_session: HashMap<i64, (Option<Answer>, Option<Answer>)> = HashMap::new();
    for (id, side, took_place, rating, confidence, worked_on, comment, given_at) in rows {
        let answer = Some((took_place, rating, confidence, worked_on, comment, given_at));
        let sides = by_session.entry(id).or_default();
        if side == "tutor" {
            sides.1 = answer;
        } else {
            sides.0 = answer;
        }
    }
    Ok(by_session)
}
