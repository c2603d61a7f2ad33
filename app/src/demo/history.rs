//! The demo's past, replayed with the platform's own code on a clock that
//! walks from about five months ago to now:
//!
//! 1. the school directory is imported, the coordinators, administrator,
//!    tutors (most approved after a background check), pupils and, for
//!    pupils under 15, parents who consented sign up;
//! 2. pupils who asked more than six weeks ago are matched by each
//!    académie's coordinator (the optimal run, published as a coordinator
//!    does it);
//! 3. over the next three days tutors answer: most accept, some decline
//!    with a reason, a few let the proposal lapse;
//! 4. each new pair books its weekly slot from the next week; a few
//!    sessions are cancelled ahead;
//! 5. pupils who asked since are waiting;
//! 6. both sides answer the feedback of most sessions that have ended.
//!
//! Emails written along the way are dropped at the end: they went to
//! addresses that do not exist, and a server started on the demo should
//! not send thousands of them.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use domain::availability::{WeeklyAvailability, WeeklyInterval, WeeklySlot};
use domain::feedback::{Answers, Side};
use domain::matching::generate::SplitMix64;
use domain::sessions::Series;

use super::population::{self, Population, School, Size};
use super::{address, mark, DemoError, Summary, PASSWORD};
use crate::accounts::actor::Actor;
use crate::accounts::users::{self, AccountStatus, NewUser};
use crate::accounts::Role;
use crate::clock::{Clock, ManualClock};
use crate::db::{Db, Tx};
use crate::i18n::Lang;
use crate::mail::EmailAddress;
use crate::offers::{OfferEntry, TutorOffer};
use crate::pupils::Consent;
use crate::schools::search::SchoolSummary;
use crate::state::AppState;
use crate::tutors::{CheckOutcome, TutorStatus};

/// The school directory the demo loads (a copy of the shared reference
/// data, see `reference/`).
const DIRECTORY: &str = include_str!("../../../reference/lycees-occitanie.csv");

/// The zone of both académies.
const ZONE: Tz = chrono_tz::Europe::Paris;

/// How long ago the coordinators ran the matching.
const MATCHED_WEEKS_AGO: i64 = 6;

/// The coordinators: académie, first and last name. Their address is
/// `coordination.<académie>@…`.
const COORDINATORS: &[(&str, &str, &str)] = &[
    ("toulouse", "Nadia", "Ferhat"),
    ("montpellier", "Olivier", "Castan"),
];

const DECLINE_REASONS: &[&str] = &[
    "Mon emploi du temps de partiels ne me laisse pas ce créneau.",
    "Je préfère accompagner un élève en présentiel.",
    "Je ne me sens pas assez à l’aise sur ce programme.",
];

const CANCEL_REASONS: &[&str] = &[
    "Partiels à l’université cette semaine.",
    "Malade, désolé·e.",
    "Sortie scolaire ce jour-là.",
];

const WORKED_ON: &[&str] = &[
    "Reprise du cours et exercices d’application.",
    "Méthode pour rédiger une réponse complète.",
    "Correction du dernier devoir, points à revoir.",
    "Fiches de révision et plan de travail pour la semaine.",
    "Exercices type bac, en temps limité.",
];

const COMMENTS: &[&str] = &[
    "Merci, j’ai enfin compris la méthode !",
    "Séance utile, on a bien avancé.",
    "Un peu court, on n’a pas fini les exercices.",
    "J’aimerais revoir ce chapitre la prochaine fois.",
];

fn db_error(what: &str) -> impl Fn(crate::error::AppError) -> DemoError + '_ {
    move |error| DemoError::History(format!("{what}: {error:?}"))
}

fn set(clock: &ManualClock, at: DateTime<Utc>) {
    clock.advance(at - clock.now());
}

/// `date` at `hour`:`minute` in Paris (the earlier instant on a repeated
/// hour, the next hour on a skipped one).
fn paris(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = date.and_hms_opt(hour, minute, 0).unwrap_or_default();
    match ZONE.from_local_datetime(&local) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => {
            at.with_timezone(&Utc)
        }
        chrono::LocalResult::None => Utc.from_utc_datetime(&local) - Duration::hours(1),
    }
}

fn weekday(iso: u8) -> Weekday {
    match iso {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

fn weekly(intervals: &[population::Interval]) -> WeeklyAvailability {
    WeeklyAvailability::new(
        ZONE,
        intervals
            .iter()
            .filter_map(|&(day, from, to)| WeeklyInterval::new(weekday(day), from, to).ok()),
    )
    .0
}

async fn read_schools(db: &Db) -> Result<Vec<(School, String)>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        i32,
        Option<f64>,
    );
    let rows: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT uai, academy_code, nature, commune, name, CAST(general_track AS INTEGER), \
         CAST(technological_track AS INTEGER), CAST(vocational_track AS INTEGER), \
         CAST(post_baccalaureate_only AS INTEGER), latitude FROM schools ORDER BY uai"
    )
    .fetch_all(pool)
    .await?);
    Ok(rows
        .into_iter()
        .map(
            |(uai, academy_code, nature, commune, name, g, t, v, post, latitude)| {
                (
                    School {
                        uai,
                        academy_code,
                        nature,
                        commune,
                        general: g.map(|x| x == 1),
                        technological: t.map(|x| x == 1),
                        vocational: v.map(|x| x == 1),
                        post_baccalaureate_only: post == 1,
                        located: latitude.is_some(),
                    },
                    name,
                )
            },
        )
        .collect())
}

async fn new_account(
    tx: &mut Tx,
    local: &str,
    names: (&str, &str),
    role: Role,
    hash: &str,
    english: bool,
    at: DateTime<Utc>,
) -> Result<i64, DemoError> {
    let email = EmailAddress::parse(&address(local))
        .map_err(|e| DemoError::History(format!("address {local}: {e}")))?;
    users::insert(
        tx,
        &NewUser {
            email: &email,
            first_name: names.0,
            last_name: names.1,
            role,
            status: AccountStatus::Active,
            password_hash: Some(hash),
            lang: if english { Lang::En } else { Lang::Fr },
        },
        at,
    )
    .await?
    .ok_or_else(|| DemoError::History(format!("{local} exists twice")))
}

/// Who was made, by index of the population.
struct Made {
    coordinators: Vec<(String, i64)>,
    pupils: Vec<i64>,
    parents: Vec<Option<i64>>,
}

/// Step 1: the accounts, profiles, offers and availability, in one
/// transaction.
async fn sign_up(
    db: &Db,
    people: &Population,
    schools: &[(School, String)],
    hash: &str,
    start: DateTime<Utc>,
    rng: &mut SplitMix64,
) -> Result<Made, DemoError> {
    let mut tx = db.begin_write().await?;
    let mut staff = Vec::new();
    let administrator = new_account(
        &mut tx,
        "administration",
        ("Claire", "Vasseur"),
        Role::Administrator,
        hash,
        false,
        start,
    )
    .await?;
    let mut coordinators = Vec::new();
    for (academy, first, last) in COORDINATORS {
        let id = new_account(
            &mut tx,
            &format!("coordination.{academy}"),
            (first, last),
            Role::Coordinator,
            hash,
            false,
            start,
        )
        .await?;
        crate::on_tx!(&mut tx, |conn| sqlx::query(
            "INSERT INTO coordinator_academies (user_id, academy_code) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(academy)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        coordinators.push(((*academy).to_owned(), id));
        staff.push(id);
    }
    // Staff sign in with a second factor: the demo's, already added.
    staff.push(administrator);
    for id in staff {
        crate::on_tx!(&mut tx, |conn| sqlx::query(
            "INSERT INTO second_factors (user_id, secret, created_at, confirmed_at) \
             VALUES ($1, $2, $3, $3)"
        )
        .bind(id)
        .bind(super::TOTP_KEY)
        .bind(start)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }

    for (i, tutor) in people.tutors.iter().enumerate() {
        let joined = paris(tutor.joined_on, 20, 0);
        let id = new_account(
            &mut tx,
            &format!("tuteur{:04}", i + 1),
            (tutor.first_name, tutor.last_name),
            Role::Tutor,
            hash,
            false,
            joined,
        )
        .await?;
        let academies = [tutor.academy_code.to_owned()];
        crate::tutors::store::save(
            &mut tx,
            id,
            &crate::tutors::store::ProfileFields {
                institution: tutor.institution,
                field_of_study: tutor.field_of_study,
                study_year: tutor.study_year,
                academies: &academies,
            },
            joined,
        )
        .await?;
        if tutor.approved {
            let coordinator = coordinators
                .iter()
                .find(|(academy, _)| academy == tutor.academy_code)
                .map_or(administrator, |(_, id)| *id);
            let done = tutor.joined_on + Duration::days(7);
            // A few checks run out within the month: the coordinators'
            // alerts show them.
            let expires = if rng.below(100) < 2 {
                start.date_naive()
                    + Duration::days(150 + 10 + i64::try_from(rng.below(20)).unwrap_or(0))
            } else {
                done + Duration::days(3 * 365)
            };
            let recorded = paris(done, 10, 0);
            crate::tutors::store::record_check(
                &mut tx,
                id,
                CheckOutcome::Cleared,
                done,
                expires,
                coordinator,
                recorded,
            )
            .await?;
            crate::tutors::store::set_status(&mut tx, id, TutorStatus::Approved, recorded).await?;
        }
        let meeting_school = tutor.meeting.map(|(school, _)| {
            let (school, name) = &schools[school];
            SchoolSummary {
                uai: school.uai.clone(),
                name: name.clone(),
                commune: school.commune.clone(),
                academy_code: school.academy_code.clone(),
            }
        });
        crate::offers::store::save(
            &mut tx,
            id,
            &TutorOffer {
                entries: tutor
                    .offer
                    .iter()
                    .map(|(subject, up_to)| OfferEntry {
                        subject_code: (*subject).to_owned(),
                        up_to_level: (*up_to).to_owned(),
                    })
                    .collect(),
                capacity: tutor.capacity,
                mode: tutor.mode,
                meeting_school,
                max_distance_km: tutor.meeting.map(|(_, km)| km),
                languages: tutor.languages.iter().map(|&l| l.to_owned()).collect(),
                paused: false,
            },
            joined,
        )
        .await?;
        crate::availability::store::save(
            &mut tx,
            id,
            Some(ZONE.name()),
            &weekly(&tutor.availability),
        )
        .await?;
    }

    let mut pupils = Vec::with_capacity(people.pupils.len());
    let mut parents = Vec::with_capacity(people.pupils.len());
    for (i, pupil) in people.pupils.iter().enumerate() {
        let joined = paris(pupil.requested_on - Duration::days(1), 18, 30);
        let id = new_account(
            &mut tx,
            &format!("eleve{:04}", i + 1),
            (pupil.first_name, pupil.last_name),
            Role::Pupil,
            hash,
            pupil.english,
            joined,
        )
        .await?;
        let (school, _) = &schools[pupil.school];
        crate::pupils::store::save(
            &mut tx,
            id,
            &crate::pupils::store::ProfileFields {
                birth_month: pupil.birth_month,
                birth_year: pupil.birth_year,
                school_uai: &school.uai,
                level_code: pupil.level_code,
            },
            joined,
        )
        .await?;
        let parent = if crate::pupils::is_under_15(
            pupil.birth_year,
            pupil.birth_month,
            joined.year(),
            joined.month(),
        ) {
            let parent = new_account(
                &mut tx,
                &format!("parent{:04}", i + 1),
                (population::first_name(rng.next_u64()), pupil.last_name),
                Role::Parent,
                hash,
                pupil.english,
                joined,
            )
            .await?;
            crate::pupils::store::set_consent(
                &mut tx,
                id,
                Some(parent),
                Consent::Given,
                joined + Duration::hours(20),
            )
            .await?;
            Some(parent)
        } else {
            None
        };
        crate::availability::store::save(
            &mut tx,
            id,
            Some(ZONE.name()),
            &weekly(&pupil.availability),
        )
        .await?;
        pupils.push(id);
        parents.push(parent);
    }
    tx.commit().await?;
    Ok(Made {
        coordinators,
        pupils,
        parents,
    })
}

/// Opens the help request of each pupil of `which`, on the day they asked.
async fn ask(
    db: &Db,
    people: &Population,
    made: &Made,
    which: impl Fn(NaiveDate) -> bool,
) -> Result<(), DemoError> {
    let mut tx = db.begin_write().await?;
    for (pupil, &id) in people.pupils.iter().zip(&made.pupils) {
        if !which(pupil.requested_on) {
            continue;
        }
        crate::help_requests::store::open(
            &mut tx,
            id,
            &crate::help_requests::store::RequestFields {
                subjects: &pupil
                    .subjects
                    .iter()
                    .map(|&s| s.to_owned())
                    .collect::<Vec<_>>(),
                difficulty: pupil.difficulty,
                mode: pupil.mode,
                deadline: None,
                sessions_per_week: 1,
            },
            paris(pupil.requested_on, 19, 0),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Step 2: each coordinator runs the matching and publishes it.
async fn run_matching(state: &AppState, made: &Made, today: NaiveDate) -> Result<usize, DemoError> {
    let mut published = 0;
    for (_, id) in &made.coordinators {
        let user = users::find(&state.db, *id)
            .await?
            .ok_or_else(|| DemoError::History("a coordinator vanished".into()))?;
        let academies = crate::accounts::actor::scope_of(&state.db, *id).await?;
        let actor = Actor { user, academies };
        let first = crate::matching::handlers::first_day("", today)
            .map_err(db_error("the first day of the run"))?;
        let scoped = crate::matching::handlers::scoped(state, &actor, first, false)
            .await
            .map_err(db_error("the matching run"))?;
        if scoped.outcome.proposals.is_empty() {
            continue;
        }
        published +=
            crate::matching::publish::publish_run(state, &actor, first, &scoped.fingerprint())
                .await
                .map_err(db_error("publishing the run"))?;
    }
    Ok(published)
}

/// Step 3: the tutors answer over three days.
async fn answer(
    state: &AppState,
    clock: &ManualClock,
    matched_at: DateTime<Utc>,
    rng: &mut SplitMix64,
) -> Result<(), DemoError> {
    let pending: Vec<(i64, i64)> = crate::on_db!(&state.db, |pool| sqlx::query_as(
        "SELECT id, tutor_user_id FROM match_proposals WHERE status = 'pending' ORDER BY id"
    )
    .fetch_all(pool)
    .await?);
    let count = i64::try_from(pending.len().max(1)).unwrap_or(1);
    for (i, (id, tutor_id)) in pending.into_iter().enumerate() {
        let after = Duration::minutes(3 * 24 * 60 * i64::try_from(i).unwrap_or(0) / count);
        set(clock, matched_at + Duration::hours(2) + after);
        let draw = rng.below(100);
        if draw >= 93 {
            continue; // Never answered: it lapses.
        }
        let accepted = draw < 85;
        let reason = if accepted {
            ""
        } else {
            population::pick(rng, DECLINE_REASONS)
        };
        crate::proposals::handlers::conclude(
            state,
            crate::proposals::store::Answering::Own { id, tutor_id },
            "proposal",
            accepted,
            reason,
        )
        .await
        .map_err(db_error("a tutor's answer"))?;
    }
    Ok(())
}

/// Step 4: each active pair books its proposal's slot from the next week.
async fn book(db: &Db, rng: &mut SplitMix64) -> Result<usize, DemoError> {
    type Row = (
        i64,
        i64,
        i64,
        i32,
        i32,
        i32,
        DateTime<Utc>,
        String,
        String,
        String,
    );
    let pairs: Vec<Row> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT m.id, m.pupil_user_id, m.tutor_user_id, p.weekday, p.start_minute, p.minutes, \
         m.started_at, r.mode, o.mode, pu.school_uai FROM matches m \
         JOIN match_proposals p ON p.id = m.proposal_id \
         JOIN help_requests r ON r.id = m.request_id \
         JOIN tutor_offers o ON o.tutor_user_id = m.tutor_user_id \
         JOIN pupils pu ON pu.user_id = m.pupil_user_id \
         WHERE m.status = 'active' ORDER BY m.id"
    )
    .fetch_all(pool)
    .await?);
    let mut tx = db.begin_write().await?;
    let mut booked = 0;
    for (match_id, pupil, tutor, day, start, minutes, started, pupil_mode, tutor_mode, school) in
        pairs
    {
        let proposed_at = started + Duration::hours(20);
        let today = proposed_at.with_timezone(&ZONE).date_naive();
        let slot = WeeklySlot {
            weekday: weekday(u8::try_from(day).unwrap_or(1)),
            start: u16::try_from(start).unwrap_or(0),
            minutes: u16::try_from(minutes).unwrap_or(60),
        };
        let mut first = today + Duration::days(2);
        while first.weekday() != slot.weekday {
            first += Duration::days(1);
        }
        let series = Series::new(ZONE, slot, first)
            .map_err(|e| DemoError::History(format!("the series of match {match_id}: {e:?}")))?;
        let new = crate::sessions::store::NewSeries {
            match_id,
            uid: format!("demo-{:016x}@binome", rng.next_u64()),
            series,
            proposed_by: tutor,
            // Online when both may meet online; otherwise at the pupil's
            // school, as the tutor's form proposes by default.
            place_uai: (pupil_mode == "in_person" || tutor_mode == "in_person").then_some(school),
            slot_number: 1,
        };
        let Some(series_id) = crate::sessions::store::propose(&mut tx, &new, proposed_at).await?
        else {
            continue;
        };
        crate::sessions::venue::ensure_room(&mut tx, match_id).await?;
        let confirmed_at = proposed_at + Duration::hours(3);
        let confirmed_on = confirmed_at.with_timezone(&ZONE).date_naive();
        let Some(row) =
            crate::sessions::store::confirm(&mut tx, series_id, pupil, confirmed_on, confirmed_at)
                .await?
        else {
            continue;
        };
        crate::sessions::store::fill(&mut tx, &row, confirmed_at).await?;
        booked += 1;
    }
    tx.commit().await?;
    Ok(booked)
}

/// Step 4 (end) and 6: the sessions up to the horizon at `now`, a few
/// cancelled, and the feedback of those that ended.
async fn live(
    db: &Db,
    now: DateTime<Utc>,
    rng: &mut SplitMix64,
) -> Result<(usize, usize), DemoError> {
    let live = crate::sessions::store::live_ids(db).await?;
    let mut tx = db.begin_write().await?;
    for id in live {
        if let Some(row) = crate::sessions::store::live_in(&mut tx, id).await? {
            crate::sessions::store::fill(&mut tx, &row, now).await?;
        }
    }
    type Row = (i64, DateTime<Utc>, DateTime<Utc>, i64, i64, i64);
    let occurrences: Vec<Row> = crate::on_tx!(&mut tx, |conn| sqlx::query_as(
        "SELECT o.id, o.starts_at, o.ends_at, m.pupil_user_id, m.tutor_user_id, m.id \
         FROM session_occurrences o JOIN session_series s ON s.id = o.series_id \
         JOIN matches m ON m.id = s.match_id WHERE o.status = 'scheduled' \
         ORDER BY m.id, o.starts_at"
    )
    .fetch_all(&mut *conn)
    .await?);
    let mut feedback = 0;
    let mut week_of_pair = 0_u8;
    let mut pair = -1;
    let sessions = occurrences.len();
    for (id, starts, ends, pupil, tutor, match_id) in occurrences {
        if match_id != pair {
            pair = match_id;
            week_of_pair = 0;
        }
        if rng.below(100) < 4 {
            crate::sessions::store::cancel_occurrence(
                &mut tx,
                id,
                tutor,
                population::pick(rng, CANCEL_REASONS),
                starts - Duration::days(2),
            )
            .await?;
            continue;
        }
        if ends > now {
            continue;
        }
        week_of_pair = week_of_pair.saturating_add(1);
        // Nobody is asked again for what the demo already answered.
        crate::on_tx!(&mut tx, |conn| sqlx::query(
            "UPDATE session_occurrences SET feedback_asked_at = $1 WHERE id = $2"
        )
        .bind(ends)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        let took_place = rng.below(100) >= 6;
        if rng.below(100) < 80 {
            let confidence =
                (1 + week_of_pair / 2 + u8::try_from(rng.below(2)).unwrap_or(0)).min(5);
            let answers = Answers {
                took_place,
                rating: took_place
                    .then(|| 3 + u8::try_from(rng.weighted(&[10, 35, 55])).unwrap_or(0)),
                confidence: took_place.then_some(confidence),
                worked_on: None,
                comment: (took_place && rng.below(100) < 15)
                    .then(|| population::pick(rng, COMMENTS).to_owned()),
            };
            crate::feedback::store::save(
                &mut tx,
                id,
                Side::Pupil,
                pupil,
                &answers,
                ends + Duration::hours(2),
            )
            .await?;
            feedback += 1;
        }
        if rng.below(100) < 90 {
            let answers = Answers {
                took_place,
                rating: took_place
                    .then(|| 3 + u8::try_from(rng.weighted(&[15, 45, 40])).unwrap_or(0)),
                confidence: None,
                worked_on: took_place.then(|| population::pick(rng, WORKED_ON).to_owned()),
                comment: None,
            };
            crate::feedback::store::save(
                &mut tx,
                id,
                Side::Tutor,
                tutor,
                &answers,
                ends + Duration::hours(3),
            )
            .await?;
            feedback += 1;
        }
    }
    tx.commit().await?;
    Ok((sessions, feedback))
}

async fn count(db: &Db, sql: &str) -> Result<usize, sqlx::Error> {
    let n: i64 = crate::on_db!(db, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Replays the demo's history into the empty database of `state` (whose
/// clock is `clock`), ending at `now`.
pub(super) async fn replay(
    state: &AppState,
    clock: &ManualClock,
    seed: u64,
    size: Size,
    now: DateTime<Utc>,
) -> Result<Summary, DemoError> {
    let db = &state.db;
    let today = now.with_timezone(&ZONE).date_naive();
    let start = now - Duration::days(160);
    set(clock, start);
    crate::schools::directory::import(db, DIRECTORY.as_bytes(), start, &mut |_, _| {})
        .await
        .map_err(|e| DemoError::Directory(format!("{e:?}")))?;
    let schools = read_schools(db).await?;
    let plain: Vec<School> = schools.iter().map(|(s, _)| s.clone()).collect();
    let people = population::generate(seed, size, &plain, today);
    let mut rng = SplitMix64(seed ^ 0x5EED_F00D);
    let hash = crate::accounts::password::hash(PASSWORD.to_owned())
        .await
        .map_err(|e| DemoError::Password(format!("{e:?}")))?;
    let made = sign_up(db, &people, &schools, &hash, start, &mut rng).await?;

    let match_day = today - Duration::weeks(MATCHED_WEEKS_AGO);
    ask(db, &people, &made, |day| day < match_day).await?;
    let matched_at = paris(match_day, 10, 0);
    set(clock, matched_at);
    let proposals = run_matching(state, &made, match_day).await?;
    answer(state, clock, matched_at, &mut rng).await?;
    book(db, &mut rng).await?;
    ask(db, &people, &made, |day| day >= match_day).await?;
    set(clock, now);
    let (sessions, feedback) = live(db, now, &mut rng).await?;

    // The emails of the replay went nowhere: none is sent.
    let mut tx = db.begin_write().await?;
    crate::on_tx!(&mut tx, |conn| sqlx::query("DELETE FROM email_outbox")
        .execute(&mut *conn)
        .await?
        .rows_affected());
    tx.commit().await?;
    mark(db, seed, now).await?;

    Ok(Summary {
        seed,
        schools: schools.len(),
        pupils: people.pupils.len(),
        tutors: people.tutors.len(),
        parents: made.parents.iter().flatten().count(),
        proposals,
        matches: count(db, "SELECT COUNT(*) FROM matches").await?,
        sessions,
        feedback,
        accounts: super::accounts(db).await?,
    })
}
