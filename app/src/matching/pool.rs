//! The pool of a coordinator's scope as a matching [`Problem`]: the open
//! requests that may be matched (no blocker: availability given, consent
//! when under 15) of pupils in the scope's académies, and the unpaused
//! offers of tutors who may be proposed (approved, background check valid
//! today) and volunteer in one of those académies.
//!
//! A tutor is only proposed to pupils of an académie they volunteer in.
//! The solver knows nothing of académies, so this rule is folded into
//! coverage: a pupil's niveau index is `académie position × LEVELS.len()
//! + niveau position`, and a tutor covers (subject, niveau) only for the
//! académies they chose. [`PoolPupil::level`] keeps the plain niveau.

use chrono::NaiveDate;
use domain::matching::{Location, Modes, Problem, Pupil, Tutor, Weights};

use crate::coordination::needs::{OfferItem, RequestItem};
use crate::db::Db;
use crate::levels::LEVELS;
use crate::meeting::Mode;
use crate::proposals::store::Engaged;
use crate::subjects::SUBJECTS;

/// Session length of a matching run, in minutes.
pub const SESSION_MINUTES: u16 = 60;
/// Weeks the weekly slot must recur in.
pub const WEEKS: u32 = 4;

/// A pupil of the pool, as the coordinator knows them.
#[derive(Clone, Debug)]
pub struct PoolPupil {
    pub item: RequestItem,
    /// Index of the niveau in [`LEVELS`].
    pub level: usize,
}

/// The problem and who its indices stand for.
#[derive(Clone, Debug)]
pub struct Pool {
    pub problem: Problem,
    /// By pupil index.
    pub pupils: Vec<PoolPupil>,
    /// By tutor index.
    pub tutors: Vec<OfferItem>,
}

fn modes(mode: Mode) -> Modes {
    Modes {
        online: mode != Mode::InPerson,
        in_person: mode.in_person(),
    }
}

fn u16_index(index: usize) -> u16 {
    u16::try_from(index).expect("fewer than 65,536 subjects, niveaux and académies")
}

/// The WGS84 location of each of `uais` that the directory knows.
async fn locations(
    db: &Db,
    uais: &[String],
) -> Result<std::collections::BTreeMap<String, Location>, sqlx::Error> {
    let mut found = std::collections::BTreeMap::new();
    for chunk in uais.chunks(500) {
        let sql = format!(
            "SELECT uai, latitude, longitude FROM schools WHERE uai IN ({}) \
             AND latitude IS NOT NULL AND longitude IS NOT NULL",
            crate::db::placeholders(chunk.len())
        );
        let rows: Vec<(String, f64, f64)> = crate::on_db!(db, |pool| {
            let mut query = sqlx::query_as(&sql);
            for uai in chunk {
                query = query.bind(uai);
            }
            query.fetch_all(pool).await?
        });
        for (uai, lat, lon) in rows {
            found.insert(uai, Location { lat, lon });
        }
    }
    Ok(found)
}

/// Builds the pool of `academies` from the requests and offers of the
/// scope (as the coordinator's lists show them) for weeks from `start`.
/// What is `engaged` already is left out: pupils with a pending proposal
/// or an active match, the places tutors already give (a tutor with none
/// left is left out), and the pairs declined or ended before.
///
/// # Errors
/// The database's error.
pub async fn build(
    db: &Db,
    academies: &[String],
    requests: Vec<RequestItem>,
    offers: Vec<OfferItem>,
    start: NaiveDate,
    engaged: &Engaged,
) -> Result<Pool, sqlx::Error> {
    let academy_position =
        |code: &str| -> Option<usize> { academies.iter().position(|a| a == code) };
    let mut uais: Vec<String> = requests.iter().map(|r| r.school.uai.clone()).collect();
    uais.extend(
        offers
            .iter()
            .filter_map(|o| o.offer.meeting_school.as_ref().map(|s| s.uai.clone())),
    );
    uais.sort();
    uais.dedup();
    let places = locations(db, &uais).await?;
    let priorities = super::priority::of_schools(db, &uais).await?;
    let people: Vec<i64> = requests
        .iter()
        .map(|r| r.pupil_id)
        .chain(offers.iter().map(|o| o.tutor_id))
        .collect();
    let mut weeks = crate::availability::store::load_many(db, &people).await?;
    let mut week_of = |user_id: i64| {
        weeks
            .remove(&user_id)
            .ok_or_else(|| sqlx::Error::Decode(format!("availability of {user_id}").into()))
    };

    let mut pupils = Vec::new();
    let mut pool_pupils = Vec::new();
    for item in requests {
        if !item.request.blockers.is_empty() || engaged.pupils.contains(&item.pupil_id) {
            continue;
        }
        let (Some(level), Some(academy)) = (
            LEVELS.iter().position(|l| l.code == item.level_code),
            academy_position(&item.school.academy_code),
        ) else {
            continue;
        };
        let subjects: Vec<u16> = item
            .request
            .subjects
            .iter()
            .filter_map(|code| SUBJECTS.iter().position(|s| s.code == code))
            .map(u16_index)
            .collect();
        pupils.push(Pupil {
            level: u16_index(academy * LEVELS.len() + level),
            subjects,
            availability: week_of(item.pupil_id)?,
            waiting_days: u32::try_from(item.request.waiting_days.max(0)).unwrap_or(u32::MAX),
            priority: u32::from(priorities.get(&item.school.uai).copied().unwrap_or(0)),
            modes: modes(item.request.mode),
            location: places.get(&item.school.uai).copied(),
        });
        pool_pupils.push(PoolPupil { item, level });
    }

    let mut tutors = Vec::new();
    let mut pool_tutors = Vec::new();
    for item in offers {
        let load = engaged.load.get(&item.tutor_id).copied().unwrap_or(0);
        let capacity = u32::from(item.offer.capacity).saturating_sub(load);
        if !item.proposable || item.offer.paused || capacity == 0 {
            continue;
        }
        let mut covers = Vec::new();
        for academy in item.academies.iter().filter_map(|a| academy_position(a)) {
            for entry in &item.offer.entries {
                let (Some(subject), Some(up_to)) = (
                    SUBJECTS.iter().position(|s| s.code == entry.subject_code),
                    crate::levels::level(&entry.up_to_level),
                ) else {
                    continue;
                };
                for level in SUBJECTS[subject].covered_levels(up_to) {
                    if let Some(position) = LEVELS.iter().position(|l| l.code == level.code) {
                        covers.push((
                            u16_index(subject),
                            u16_index(academy * LEVELS.len() + position),
                        ));
                    }
                }
            }
        }
        if covers.is_empty() {
            continue;
        }
        covers.sort_unstable();
        covers.dedup();
        let meeting = item.offer.meeting_school.as_ref();
        tutors.push(Tutor {
            capacity,
            availability: week_of(item.tutor_id)?,
            modes: modes(item.offer.mode),
            location: meeting.and_then(|s| places.get(&s.uai).copied()),
            max_km: item.offer.max_distance_km.map(f64::from),
            covers,
        });
        pool_tutors.push(item);
    }

    let pupil_index: std::collections::HashMap<i64, usize> = pool_pupils
        .iter()
        .enumerate()
        .map(|(i, p)| (p.item.pupil_id, i))
        .collect();
    let tutor_index: std::collections::HashMap<i64, usize> = pool_tutors
        .iter()
        .enumerate()
        .map(|(i, t)| (t.tutor_id, i))
        .collect();
    let excluded = engaged
        .spent
        .iter()
        .filter_map(|(pupil, tutor)| Some((*pupil_index.get(pupil)?, *tutor_index.get(tutor)?)))
        .collect();

    Ok(Pool {
        problem: Problem {
            pupils,
            tutors,
            start,
            weeks: WEEKS,
            session_minutes: SESSION_MINUTES,
            weights: Weights::default(),
            excluded,
            fixed: Vec::new(),
        },
        pupils: pool_pupils,
        tutors: pool_tutors,
    })
}
