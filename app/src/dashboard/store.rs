//! Reading a coordinator's scope for the dashboard: the pupils waiting, the
//! pairs and their ended sessions with both sides' feedback, handed to
//! [`domain::dashboard::compute`].

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use domain::dashboard::{self as rules, Pair, Session, Waiting};

use super::{Dashboard, Figures, Row, Week};
use crate::accounts::actor::Actor;
use crate::db::Db;
use crate::state::AppState;

/// Joins `schools s` to the académies of the coordinator bound as `$1`.
const IN_SCOPE: &str = "JOIN coordinator_academies ca \
                        ON ca.academy_code = s.academy_code AND ca.user_id = $1";

/// The dashboard of `actor`'s académies, at the state's clock, "today"
/// and the weeks being the coordinator's own (their zone).
///
/// # Errors
/// The database's error.
pub async fn dashboard(state: &AppState, actor: &Actor) -> Result<Dashboard, sqlx::Error> {
    let now = state.clock.now();
    let today = crate::availability::store::local_today(&state.db, actor.id(), now).await?;
    let (waiting, mut names) = waiting(&state.db, actor.id()).await?;
    let (pairs, pair_schools) = pairs(&state.db, actor.id()).await?;
    names.extend(pair_schools);
    let sessions = sessions(&state.db, actor.id(), now).await?;
    let found = rules::compute(&waiting, &pairs, &sessions, today, now);
    let name_of = |uai: &str| names.get(uai).cloned().unwrap_or_else(|| uai.to_owned());
    let mut schools: Vec<Row> = found
        .schools
        .into_iter()
        .map(|(code, figures)| Row {
            name: name_of(&code),
            code,
            figures: figures.into(),
        })
        .collect();
    schools.sort_by_cached_key(|row| {
        (
            crate::academies::french_sort_key(&row.name),
            row.code.clone(),
        )
    });
    Ok(Dashboard {
        academies: actor.academies.clone(),
        today: today.to_string(),
        week_start: rules::monday_of(today).to_string(),
        year_start: rules::school_year_start(today).to_string(),
        total: found.total.into(),
        schools,
        subjects: found
            .subjects
            .into_iter()
            .map(|(code, figures)| Row {
                name: code.clone(),
                code,
                figures: figures.into(),
            })
            .collect(),
        weeks: found
            .weeks
            .into_iter()
            .map(|week| Week {
                monday: week.monday.to_string(),
                held: week.held,
                missed: week.missed,
            })
            .collect(),
    })
}

impl From<rules::Figures> for Figures {
    fn from(f: rules::Figures) -> Figures {
        Figures {
            waiting: f.waiting,
            median_wait_days: f.median_wait_days,
            active_pairs: f.active_pairs,
            held_this_week: f.held_this_week,
            missed_this_week: f.missed_this_week,
            held_this_year: f.held_this_year,
            missed_this_year: f.missed_this_year,
            volunteer_minutes: f.volunteer_minutes,
            average_rating: f.average_rating,
            ratings: f.ratings,
            confidence_change: f.confidence_change,
            median_days_to_first_session: f.median_days_to_first_session,
        }
    }
}

/// School names, by UAI.
type Names = HashMap<String, String>;

/// The open requests of the scope without an active pair, and their
/// schools' names.
async fn waiting(db: &Db, coordinator: i64) -> Result<(Vec<Waiting>, Names), sqlx::Error> {
    let sql = format!(
        "SELECT r.id, s.uai, s.name, r.requested_at FROM help_requests r \
         JOIN pupils p ON p.user_id = r.pupil_user_id JOIN schools s ON s.uai = p.school_uai \
         {IN_SCOPE} WHERE r.status = 'open' AND NOT EXISTS \
         (SELECT 1 FROM matches m WHERE m.request_id = r.id AND m.status = 'active') \
         ORDER BY r.id"
    );
    let requests: Vec<(i64, String, String, DateTime<Utc>)> = crate::on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(coordinator)
            .fetch_all(pool)
            .await?
    });
    let subjects_sql = format!(
        "SELECT hs.request_id, hs.subject_code FROM help_request_subjects hs \
         JOIN help_requests r ON r.id = hs.request_id \
         JOIN pupils p ON p.user_id = r.pupil_user_id JOIN schools s ON s.uai = p.school_uai \
         {IN_SCOPE} WHERE r.status = 'open' ORDER BY hs.request_id, hs.position"
    );
    let subject_rows: Vec<(i64, String)> = crate::on_db!(db, |pool| {
        sqlx::query_as(&subjects_sql)
            .bind(coordinator)
            .fetch_all(pool)
            .await?
    });
    let mut subjects: HashMap<i64, Vec<String>> = HashMap::new();
    for (request, code) in subject_rows {
        subjects.entry(request).or_default().push(code);
    }
    let mut names = Names::new();
    let waiting = requests
        .into_iter()
        .map(|(id, uai, name, requested_at)| {
            names.insert(uai.clone(), name);
            Waiting {
                school: uai,
                subjects: subjects.remove(&id).unwrap_or_default(),
                requested_at,
            }
        })
        .collect();
    Ok((waiting, names))
}

type PairRow = (i64, String, String, String, String, Option<DateTime<Utc>>);

/// Every pair of the scope, active or ended, and their schools' names.
async fn pairs(db: &Db, coordinator: i64) -> Result<(Vec<Pair>, Names), sqlx::Error> {
    let sql = format!(
        "SELECT m.id, s.uai, s.name, mp.subjects, m.status, m.requested_at FROM matches m \
         JOIN match_proposals mp ON mp.id = m.proposal_id \
         JOIN pupils p ON p.user_id = m.pupil_user_id JOIN schools s ON s.uai = p.school_uai \
         {IN_SCOPE} ORDER BY m.id"
    );
    let rows: Vec<PairRow> = crate::on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(coordinator)
            .fetch_all(pool)
            .await?
    });
    let mut names = Names::new();
    let pairs = rows
        .into_iter()
        .map(|(id, uai, name, subjects, status, requested_at)| {
            names.insert(uai.clone(), name);
            Pair {
                id,
                school: uai,
                // Stored `a,b`, in the pupil's order.
                subjects: subjects
                    .split(',')
                    .filter(|code| !code.is_empty())
                    .map(str::to_owned)
                    .collect(),
                active: status == "active",
                requested_at,
            }
        })
        .collect();
    Ok((pairs, names))
}

type SessionRow = (i64, i64, String, DateTime<Utc>, DateTime<Utc>);

/// A side's answer: session, side, took place, rating, confidence.
type AnswerRow = (i64, String, bool, Option<i32>, Option<i32>);

/// The scope's sessions that have ended at `now`, neither cancelled nor
/// skipped, each with both sides' answers.
async fn sessions(
    db: &Db,
    coordinator: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Session>, sqlx::Error> {
    const ENDED: &str = "JOIN session_series ser ON ser.id = o.series_id \
                         JOIN matches m ON m.id = ser.match_id \
                         JOIN pupils p ON p.user_id = m.pupil_user_id \
                         JOIN schools s ON s.uai = p.school_uai";
    let sql = format!(
        "SELECT o.id, ser.match_id, ser.time_zone, o.starts_at, o.ends_at \
         FROM session_occurrences o {ENDED} {IN_SCOPE} \
         WHERE o.status IN ('scheduled', 'moved') AND o.ends_at <= $2 ORDER BY o.id"
    );
    let rows: Vec<SessionRow> = crate::on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(coordinator)
            .bind(now)
            .fetch_all(pool)
            .await?
    });
    let feedback_sql = format!(
        "SELECT f.occurrence_id, f.side, f.took_place, f.rating, f.confidence \
         FROM session_feedback f JOIN session_occurrences o ON o.id = f.occurrence_id \
         {ENDED} {IN_SCOPE} WHERE o.status IN ('scheduled', 'moved') AND o.ends_at <= $2"
    );
    let answers: Vec<AnswerRow> = crate::on_db!(db, |pool| {
        sqlx::query_as(&feedback_sql)
            .bind(coordinator)
            .bind(now)
            .fetch_all(pool)
            .await?
    });
    // (pupil's answer, tutor's answer, ratings, pupil's confidence).
    type Sides = (Option<bool>, Option<bool>, Vec<u8>, Option<u8>);
    let mut by_session: BTreeMap<i64, Sides> = BTreeMap::new();
    let level = |n: Option<i32>| n.and_then(|n| u8::try_from(n).ok());
    for (id, side, took_place, rating, confidence) in answers {
        let sides = by_session.entry(id).or_default();
        if side == "tutor" {
            sides.1 = Some(took_place);
        } else {
            sides.0 = Some(took_place);
            sides.3 = level(confidence);
        }
        sides.2.extend(level(rating));
    }
    Ok(rows
        .into_iter()
        .map(|(id, pair, zone, starts_at, ends_at)| {
            let zone: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Paris);
            let (pupil, tutor, ratings, confidence) = by_session.remove(&id).unwrap_or_default();
            Session {
                pair,
                date: starts_at.with_timezone(&zone).date_naive(),
                starts_at,
                minutes: u32::try_from((ends_at - starts_at).num_minutes()).unwrap_or(0),
                answers: vec![pupil, tutor],
                ratings,
                confidence,
            }
        })
        .collect())
}
