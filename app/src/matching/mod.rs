//! Matching for coordinators: a dry run on the pool of their scope (the
//! optimal proposals of [`domain::matching`], the reason each pupil is
//! left out, the greedy baseline) and the supply gap it reveals, on the
//! page and as a CSV file.
//!
//! A dry run changes nothing: it reads the open requests and offers as the
//! coordinator's lists show them and returns what matching would propose.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod explain;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod gaps;
#[cfg(feature = "ssr")]
pub mod pool;

/// A weekly slot in one side's local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotView {
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    /// `HH:MM`.
    pub from: String,
    pub to: String,
    /// IANA zone.
    pub time_zone: String,
}

/// A score and its parts, each already multiplied by its weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreView {
    pub subjects: u64,
    pub waiting: u64,
    pub priority: u64,
    pub total: u64,
}

/// Who a pupil of the pool is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilRef {
    pub id: i64,
    pub name: String,
    /// The school's name and UAI.
    pub school: String,
    pub level_code: String,
    /// Requested subject codes, in the pupil's order.
    pub subjects: Vec<String>,
    pub waiting_days: i64,
}

/// One proposed pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub pupil: PupilRef,
    pub tutor_id: i64,
    pub tutor_name: String,
    /// The requested subjects the tutor covers, in the pupil's order.
    pub subjects: Vec<String>,
    /// The weekly slot, fixed in the pupil's zone.
    pub pupil_slot: SlotView,
    /// Its first occurrence in the tutor's zone (the weekday may differ).
    pub tutor_slot: SlotView,
    pub score: ScoreView,
}

/// A pupil left out, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedView {
    pub pupil: PupilRef,
    /// `no_tutor_for_subject`, `no_compatible_mode`, `no_shared_slot` or
    /// `tutors_full`.
    pub reason: String,
    /// The explanation, in the coordinator's language.
    pub text: String,
}

/// A part of the day, in local time: before 12:00, 12:00–18:00, from
/// 18:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Morning,
    Afternoon,
    Evening,
}

impl Band {
    /// The locale key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Band::Morning => "matching.band.morning",
            Band::Afternoon => "matching.band.afternoon",
            Band::Evening => "matching.band.evening",
        }
    }
}

/// Unmet demand: how many pupils left out need `subject` at `level` and
/// could meet on `weekday` in `band`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapRow {
    pub subject: String,
    pub level: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    pub band: Band,
    pub pupils: u32,
}

/// What a dry run would propose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRun {
    /// First day of the first week, `YYYY-MM-DD`, in each pupil's zone.
    pub start: String,
    pub weeks: u32,
    pub session_minutes: u16,
    /// Pupils whose request may be matched, tutors who may be proposed.
    pub pupils: usize,
    pub tutors: usize,
    pub feasible_pairs: usize,
    pub matched: usize,
    /// What first-come-first-served would have matched.
    pub greedy_matched: usize,
    pub total_score: u64,
    pub proposals: Vec<ProposalView>,
    pub unmatched: Vec<UnmatchedView>,
    pub gaps: Vec<GapRow>,
}

/// How far from today (days, either way) a run may start.
pub const MAX_DAYS_AWAY: i64 = 366;

/// Runs matching on the pool of the coordinator's scope without changing
/// anything. `start` is the first day of the weeks the slot must recur in
/// (`YYYY-MM-DD`; empty: next Monday). Coordinators only.
///
/// # Errors
/// [`AppError::NotFound`] for other roles; [`AppError::Invalid`] on
/// `start` when it is not a date within a year of today.
#[server(prefix = "/api", endpoint = "coordination/appariement/essai")]
pub async fn matching_dry_run(#[server(default)] start: String) -> Result<DryRun, AppError> {
    crate::error::respond(handlers::dry_run(start).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod handlers {
    use chrono::{Datelike, NaiveDate, Timelike};
    use chrono_tz::Tz;
    use domain::availability::WeeklySlot;
    use domain::matching::{solve, SlotSet};

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::availability::clock;
    use crate::i18n::Lang;
    use crate::state::AppState;

    /// The first day of a run: `start`, or the Monday after today in the
    /// scope's first académie's zone.
    pub fn first_day(start: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
        match start.trim() {
            "" => Ok(today
                + chrono::Duration::days(7 - i64::from(today.weekday().num_days_from_monday()))),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|day| (*day - today).num_days().abs() <= MAX_DAYS_AWAY)
                .ok_or_else(|| AppError::field("start", "errors.date.invalid")),
        }
    }

    fn slot_view(slot: &WeeklySlot, zone: Tz) -> SlotView {
        SlotView {
            weekday: u8::try_from(slot.weekday.number_from_monday()).unwrap_or(1),
            from: clock(slot.start),
            to: clock(slot.start + slot.minutes),
            time_zone: zone.name().to_owned(),
        }
    }

    /// The first occurrence on or after `start` of a pupil-local slot,
    /// seen in `tutor`'s zone.
    fn tutor_view(slot: &WeeklySlot, start: NaiveDate, pupil: Tz, tutor: Tz) -> SlotView {
        let ahead =
            (7 + slot.weekday.num_days_from_monday() - start.weekday().num_days_from_monday()) % 7;
        let date = start + chrono::Duration::days(i64::from(ahead));
        let Some(span) = slot.on(date, pupil) else {
            return slot_view(slot, pupil);
        };
        let from = span.start.with_timezone(&tutor);
        let to = span.end.with_timezone(&tutor);
        let minutes = |t: chrono::DateTime<Tz>| {
            let m = u16::try_from(t.hour() * 60 + t.minute()).unwrap_or(0);
            if t.date_naive() != from.date_naive() && m == 0 {
                1440
            } else {
                m
            }
        };
        SlotView {
            weekday: u8::try_from(from.weekday().number_from_monday()).unwrap_or(1),
            from: clock(minutes(from)),
            to: clock(minutes(to)),
            time_zone: tutor.name().to_owned(),
        }
    }

    /// Runs matching for `actor`'s scope from `first_day`, texts in `lang`.
    ///
    /// # Errors
    /// The database's error.
    pub async fn run(
        state: &AppState,
        actor: &Actor,
        first_day: NaiveDate,
        lang: Lang,
    ) -> Result<DryRun, AppError> {
        let db = &state.db;
        let requests = crate::coordination::needs::handlers::items(state, actor).await?;
        let offers = crate::coordination::needs::handlers::offer_items(state, actor).await?;
        let pool = pool::build(db, &actor.academies, requests, offers, first_day)
            .await
            .map_err(AppError::from_db)?;
        let problem = &pool.problem;
        let outcome = solve(problem).map_err(|e| AppError::internal(e.to_string()))?;

        let pupil_ref = |index: usize| {
            let p = &pool.pupils[index].item;
            PupilRef {
                id: p.pupil_id,
                name: p.pupil_name.clone(),
                school: format!("{} ({})", p.school.name, p.school.uai),
                level_code: p.level_code.clone(),
                subjects: p.request.subjects.clone(),
                waiting_days: p.request.waiting_days,
            }
        };
        let proposals = outcome
            .proposals
            .iter()
            .map(|p| {
                let pupil_zone = problem.pupils[p.pupil].availability.zone();
                let tutor_zone = problem.tutors[p.tutor].availability.zone();
                let tutor = &pool.tutors[p.tutor];
                ProposalView {
                    pupil: pupil_ref(p.pupil),
                    tutor_id: tutor.tutor_id,
                    tutor_name: tutor.tutor_name.clone(),
                    subjects: p
                        .subjects
                        .iter()
                        .map(|&s| crate::subjects::SUBJECTS[usize::from(s)].code.to_owned())
                        .collect(),
                    pupil_slot: slot_view(&p.slot, pupil_zone),
                    tutor_slot: tutor_view(&p.slot, first_day, pupil_zone, tutor_zone),
                    score: ScoreView {
                        subjects: p.score.subjects,
                        waiting: p.score.waiting,
                        priority: p.score.priority,
                        total: p.score.total(),
                    },
                }
            })
            .collect();

        let tutor_names: Vec<String> = pool.tutors.iter().map(|t| t.tutor_name.clone()).collect();
        let pupil_levels: Vec<usize> = pool.pupils.iter().map(|p| p.level).collect();
        let explainer = explain::Explainer {
            problem,
            lang,
            tutor_names: &tutor_names,
            pupil_levels: &pupil_levels,
        };
        let feasible = explain::feasible_of_full(problem, &outcome.unmatched);
        let unmatched = outcome
            .unmatched
            .iter()
            .map(|u| UnmatchedView {
                pupil: pupil_ref(u.pupil),
                reason: u.reason.code().to_owned(),
                text: explainer.unmatched(u, feasible.get(&u.pupil).map_or(&[], Vec::as_slice)),
            })
            .collect();

        let slots: Vec<SlotSet> = outcome
            .unmatched
            .iter()
            .map(|u| {
                SlotSet::pupil(
                    &problem.pupils[u.pupil].availability,
                    problem.session_minutes,
                )
            })
            .collect();
        let gaps = gaps::supply_gap(outcome.unmatched.iter().zip(&slots).map(|(u, slots)| {
            let item = &pool.pupils[u.pupil].item;
            gaps::LeftOut {
                subjects: &item.request.subjects,
                level: &item.level_code,
                slots,
            }
        }));

        Ok(DryRun {
            start: first_day.to_string(),
            weeks: problem.weeks,
            session_minutes: problem.session_minutes,
            pupils: problem.pupils.len(),
            tutors: problem.tutors.len(),
            feasible_pairs: outcome.feasible_pairs,
            matched: outcome.proposals.len(),
            greedy_matched: outcome.greedy_matched,
            total_score: outcome.total_score,
            proposals,
            unmatched,
            gaps,
        })
    }

    /// Today in the zone of the scope's first académie.
    ///
    /// # Errors
    /// The database's error.
    pub async fn scope_today(state: &AppState, actor: &Actor) -> Result<NaiveDate, AppError> {
        let zone: Option<String> = match actor.academies.first() {
            Some(code) => crate::on_db!(&state.db, |pool| sqlx::query_scalar(
                "SELECT time_zone FROM academies WHERE code = $1"
            )
            .bind(code)
            .fetch_optional(pool)
            .await
            .map_err(AppError::from_db)?),
            None => None,
        };
        let zone = zone
            .and_then(|z| domain::availability::parse_zone(&z).ok())
            .unwrap_or(chrono_tz::Europe::Paris);
        Ok(state.clock.now().with_timezone(&zone).date_naive())
    }

    pub async fn dry_run(start: String) -> Result<DryRun, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let today = scope_today(&state, &actor).await?;
        let first = first_day(&start, today)?;
        run(&state, &actor, first, actor.user.lang).await
    }
}
