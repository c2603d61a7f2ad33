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
#[cfg(feature = "ssr")]
pub mod priority;
#[cfg(feature = "ssr")]
pub mod publish;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod running;

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

impl SlotView {
    /// The slot in words, in `lang`: `mardi 19:00–20:00 (Europe/Paris)`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        format!(
            "{} {}–{} ({})",
            crate::i18n::text(lang, crate::availability::weekday_key(self.weekday)),
            self.from,
            self.to,
            self.time_zone
        )
    }
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
    /// Set when the coordinator added the pair by hand: their reason.
    pub manual_reason: Option<String>,
}

/// A tutor of the pool, for adding a pair by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TutorRef {
    pub id: i64,
    pub name: String,
}

/// A school of the pool's pupils and its matching priority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolPriority {
    pub uai: String,
    pub name: String,
    /// 0–100; added to the score of its pupils' pairs.
    pub priority: u8,
    /// Its pupils in the pool.
    pub pupils: u32,
}

/// A published proposal, as the coordinator follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedView {
    pub pupil_id: i64,
    pub pupil_name: String,
    pub tutor_id: i64,
    pub tutor_name: String,
    pub subjects: Vec<String>,
    /// The weekly slot, in the pupil's zone.
    pub slot: SlotView,
    /// `pending`, `accepted`, `declined` or `expired`.
    pub status: String,
    /// `YYYY-MM-DD`, UTC.
    pub published_on: String,
    /// The answer's deadline, `YYYY-MM-DD`, UTC.
    pub expires_on: String,
    /// The tutor's reason, when they declined.
    pub decline_reason: Option<String>,
    /// The coordinator's reason, when the pair was added by hand.
    pub manual_reason: Option<String>,
}

/// A run in progress on the coordinator's scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// `pool`, `solve`, `explain` or `publish`.
    pub stage: String,
    /// Whether it is the coordinator's own run (else a colleague's).
    pub mine: bool,
    /// Seconds since it started.
    pub seconds: i64,
}

/// Most published proposals one call returns (the newest first).
pub const PUBLISHED_PAGE: u32 = 200;

/// A choice the coordinator made while reviewing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceView {
    pub pupil_id: i64,
    pub pupil_name: String,
    pub tutor_id: i64,
    pub tutor_name: String,
    /// `exclude` (a proposal removed) or `fix` (a pair added by hand).
    pub kind: String,
    pub reason: String,
    /// False when the run could not honour it: the pupil or the tutor left
    /// the pool, or the pair is no longer feasible.
    pub applied: bool,
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
    /// The coordinator's choices, as this run honoured them.
    pub choices: Vec<ChoiceView>,
    /// The tutors of the pool, by name.
    pub tutor_options: Vec<TutorRef>,
    /// The schools of the pool's pupils, by name.
    pub schools: Vec<SchoolPriority>,
    /// A digest of the proposals (pairs and slots): publishing checks that
    /// the coordinator publishes what they reviewed.
    pub fingerprint: String,
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

/// Longest reason for a pair added by hand, in characters.
pub const REASON_MAX_CHARS: usize = 500;

/// Form fields of the review.
pub mod fields {
    pub const START: &str = "start";
    pub const PUPIL: &str = "pupil_id";
    pub const TUTOR: &str = "tutor_id";
    pub const REASON: &str = "reason";
    pub const FINGERPRINT: &str = "fingerprint";
    pub const UAI: &str = "uai";
    pub const PRIORITY: &str = "priority";
}

/// The run in progress on the coordinator's scope, if any, and its stage:
/// the matching page asks while it waits for a run. Coordinators only.
///
/// # Errors
/// [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "coordination/appariement/progression")]
pub async fn matching_progress() -> Result<Option<Progress>, AppError> {
    crate::error::respond(handlers::progress().await)
}

/// The newest [`PUBLISHED_PAGE`] proposals published for pupils of the
/// coordinator's scope, with their status. Coordinators only.
///
/// # Errors
/// [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "coordination/appariement/publiees")]
pub async fn published_proposals() -> Result<Vec<PublishedView>, AppError> {
    crate::error::respond(handlers::published().await)
}

/// Sets the matching priority (0–100) of school `uai` of the coordinator's
/// scope, then back to the dry run of `start`. Recorded in the audit log.
///
/// # Errors
/// [`AppError::Invalid`] on `priority` when it is not a whole number from
/// 0 to 100; [`AppError::NotFound`] for a school outside the scope.
#[server(prefix = "/api", endpoint = "coordination/appariement/priorite")]
pub async fn set_school_priority(
    #[server(default)] start: String,
    #[server(default)] uai: String,
    #[server(default)] priority: String,
) -> Result<(), AppError> {
    crate::error::respond(priority::handlers::set_priority(start, uai, priority).await)
}

/// Removes a proposal from the coordinator's next runs: the pair
/// (`pupil_id`, `tutor_id`) is not proposed again until they publish or
/// restore it. Then back to the dry run of `start`. Coordinators only; the
/// pupil must be of their scope.
///
/// # Errors
/// [`AppError::NotFound`] for other roles or a pupil outside the scope.
#[server(prefix = "/api", endpoint = "coordination/appariement/retirer")]
pub async fn exclude_pair(
    #[server(default)] start: String,
    #[server(default)] pupil_id: i64,
    #[server(default)] tutor_id: i64,
) -> Result<(), AppError> {
    crate::error::respond(review::handlers::exclude(start, pupil_id, tutor_id).await)
}

/// Adds the pair (`pupil_id`, `tutor_id`) by hand, with the coordinator's
/// `reason`: the next runs keep it as it is. The pair must be feasible
/// (see [`domain::matching`]) in a run from `start`.
///
/// # Errors
/// [`AppError::Invalid`] on `reason` (empty, longer than
/// [`REASON_MAX_CHARS`]), on `tutor_id` (not in the pool, or the pair is
/// not feasible) or on `start`; nothing is recorded then.
#[server(prefix = "/api", endpoint = "coordination/appariement/ajouter")]
pub async fn fix_pair(
    #[server(default)] start: String,
    #[server(default)] pupil_id: i64,
    #[server(default)] tutor_id: i64,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::error::respond(review::handlers::fix(start, pupil_id, tutor_id, reason).await)
}

/// Undoes the coordinator's choice on one pair (a removal or an addition).
///
/// # Errors
/// [`AppError::NotFound`] for other roles or when there is no such choice.
#[server(prefix = "/api", endpoint = "coordination/appariement/annuler")]
pub async fn forget_choice(
    #[server(default)] start: String,
    #[server(default)] pupil_id: i64,
    #[server(default)] tutor_id: i64,
) -> Result<(), AppError> {
    crate::error::respond(review::handlers::forget(start, pupil_id, tutor_id).await)
}

/// Publishes the proposals of the run from `start`: in one transaction,
/// the run is made again, checked against the `fingerprint` of the dry run
/// the coordinator reviewed, each request checked still free and each
/// tutor's places still enough (scopes of two coordinators share tutors),
/// then each proposal is stored, its tutor emailed a link to answer, and
/// everything recorded in the audit log. The coordinator's choices are
/// then cleared. Sends the coordinator to `/coordination/appariement?publie=N`.
///
/// # Errors
/// [`AppError::Invalid`] on `fingerprint` when the proposals changed since
/// the dry run, or there is none to publish; nothing is published then.
#[server(prefix = "/api", endpoint = "coordination/appariement/publier")]
pub async fn publish_matching(
    #[server(default)] start: String,
    #[server(default)] fingerprint: String,
) -> Result<(), AppError> {
    crate::error::respond(publish::publish(start, fingerprint).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod handlers {
    use chrono::{Datelike, NaiveDate, Timelike};
    use chrono_tz::Tz;
    use domain::availability::WeeklySlot;
    use std::collections::HashMap;

    use domain::matching::{solve, Outcome, ProblemError, SlotSet};

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

    /// A weekly slot as shown, in `zone`.
    pub(crate) fn slot_view(slot: &WeeklySlot, zone: Tz) -> SlotView {
        SlotView {
            weekday: u8::try_from(slot.weekday.number_from_monday()).unwrap_or(1),
            from: clock(slot.start),
            to: clock(slot.start + slot.minutes),
            time_zone: zone.name().to_owned(),
        }
    }

    /// The first occurrence on or after `start` of a pupil-local slot,
    /// seen in `tutor`'s zone.
    pub(crate) fn tutor_view(
        slot: &WeeklySlot,
        start: NaiveDate,
        pupil: Tz,
        tutor: Tz,
    ) -> SlotView {
        let date = domain::sessions::Series::next_weekday_from(slot.weekday, start);
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

    /// A run on `actor`'s scope: the pool, the outcome, and the
    /// coordinator's choices with whether the run honoured each.
    pub(crate) struct Scoped {
        pub pool: pool::Pool,
        pub outcome: Outcome,
        pub choices: Vec<(review::Choice, bool)>,
        /// How many of `pool.problem.excluded` come first from pairs
        /// declined or ended before (the coordinator's removals follow).
        pub spent: usize,
    }

    impl Scoped {
        /// The reason of the pair fixed by hand for (pupil, tutor), if any.
        pub fn manual_reason(&self, pupil_id: i64, tutor_id: i64) -> Option<String> {
            self.choices
                .iter()
                .find(|(c, _)| {
                    c.kind == review::ChoiceKind::Fix
                        && c.pupil_id == pupil_id
                        && c.tutor_id == tutor_id
                })
                .map(|(c, _)| c.reason.clone())
        }

        /// A digest of the proposals: who with whom, at which slot.
        pub fn fingerprint(&self) -> String {
            let mut text = String::new();
            for p in &self.outcome.proposals {
                text.push_str(&format!(
                    "{}:{}:{}:{};",
                    self.pool.pupils[p.pupil].item.pupil_id,
                    self.pool.tutors[p.tutor].tutor_id,
                    p.slot.weekday.number_from_monday(),
                    p.slot.start
                ));
            }
            crate::accounts::token::digest(&text)[..16].to_owned()
        }
    }

    /// Runs matching on `actor`'s scope from `first_day`, honouring their
    /// choices. A pair fixed by hand that is no longer feasible (or over
    /// its tutor's places) is dropped from the run, not from the choices:
    /// the page shows it as not applied.
    ///
    /// `report` records the run's stages in `matching_runs`; it must be
    /// false while the caller holds a write transaction (on SQLite a
    /// second writer would wait for it).
    ///
    /// # Errors
    /// The database's error.
    pub(crate) async fn scoped(
        state: &AppState,
        actor: &Actor,
        first_day: NaiveDate,
        report: bool,
    ) -> Result<Scoped, AppError> {
        let db = &state.db;
        if report {
            running::set_stage(db, actor.id(), running::Stage::Pool).await;
        }
        let requests = crate::coordination::needs::handlers::items(state, actor).await?;
        let offers = crate::coordination::needs::handlers::offer_items(state, actor).await?;
        let engaged = crate::proposals::store::engaged(db)
            .await
            .map_err(AppError::from_db)?;
        let mut pool = pool::build(db, &actor.academies, requests, offers, first_day, &engaged)
            .await
            .map_err(AppError::from_db)?;
        let choices = review::list(db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        let pupil_index: HashMap<i64, usize> = pool
            .pupils
            .iter()
            .enumerate()
            .map(|(i, p)| (p.item.pupil_id, i))
            .collect();
        let tutor_index: HashMap<i64, usize> = pool
            .tutors
            .iter()
            .enumerate()
            .map(|(i, t)| (t.tutor_id, i))
            .collect();
        let spent = pool.problem.excluded.len();
        if report {
            running::set_stage(db, actor.id(), running::Stage::Solve).await;
        }
        let mut applied = vec![false; choices.len()];
        let mut fixed: Vec<(usize, (usize, usize))> = Vec::new();
        for (i, choice) in choices.iter().enumerate() {
            let (Some(&p), Some(&t)) = (
                pupil_index.get(&choice.pupil_id),
                tutor_index.get(&choice.tutor_id),
            ) else {
                continue;
            };
            match choice.kind {
                review::ChoiceKind::Exclude => {
                    pool.problem.excluded.push((p, t));
                    applied[i] = true;
                }
                review::ChoiceKind::Fix => fixed.push((i, (p, t))),
            }
        }
        loop {
            pool.problem.fixed = fixed.iter().map(|(_, pair)| *pair).collect();
            let drop_last = |fixed: &mut Vec<(usize, (usize, usize))>,
                             hit: &dyn Fn(&(usize, usize)) -> bool|
             -> Result<(), AppError> {
                let at = fixed
                    .iter()
                    .rposition(|(_, pair)| hit(pair))
                    .ok_or_else(|| AppError::internal("a fixed pair the solver named is gone"))?;
                fixed.remove(at);
                Ok(())
            };
            // The solver holds a core for up to seconds: off the async
            // workers, so the server keeps answering meanwhile.
            let problem = pool.problem.clone();
            let solved = tokio::task::spawn_blocking(move || solve(&problem))
                .await
                .map_err(AppError::internal)?;
            match solved {
                Ok(outcome) => {
                    for (i, _) in &fixed {
                        applied[*i] = true;
                    }
                    return Ok(Scoped {
                        pool,
                        outcome,
                        choices: choices.into_iter().zip(applied).collect(),
                        spent,
                    });
                }
                Err(ProblemError::FixedInfeasible(p, t)) => {
                    drop_last(&mut fixed, &|pair| *pair == (p, t))?;
                }
                Err(ProblemError::FixedOverCapacity(t)) => {
                    drop_last(&mut fixed, &|pair| pair.1 == t)?;
                }
                Err(ProblemError::FixedTwice(p)) => {
                    drop_last(&mut fixed, &|pair| pair.0 == p)?;
                }
                Err(error) => return Err(AppError::internal(error)),
            }
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
        let scoped = scoped(state, actor, first_day, true).await?;
        running::set_stage(&state.db, actor.id(), running::Stage::Explain).await;
        let pool = &scoped.pool;
        let problem = &pool.problem;
        let outcome = &scoped.outcome;

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
                let pupil_id = pool.pupils[p.pupil].item.pupil_id;
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
                    manual_reason: if p.fixed {
                        scoped.manual_reason(pupil_id, tutor.tutor_id)
                    } else {
                        None
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
        // Tutors the coordinator removed, by pupil: said after the reason,
        // which is computed without those pairs.
        let mut removed: HashMap<i64, Vec<String>> = HashMap::new();
        for (choice, applied) in &scoped.choices {
            if *applied && choice.kind == review::ChoiceKind::Exclude {
                if let Some(t) = pool.tutors.iter().find(|t| t.tutor_id == choice.tutor_id) {
                    removed
                        .entry(choice.pupil_id)
                        .or_default()
                        .push(t.tutor_name.clone());
                }
            }
        }
        let unmatched = outcome
            .unmatched
            .iter()
            .map(|u| {
                let mut text =
                    explainer.unmatched(u, feasible.get(&u.pupil).map_or(&[], Vec::as_slice));
                if let Some(names) = removed.get(&pool.pupils[u.pupil].item.pupil_id) {
                    text.push(' ');
                    text.push_str(
                        &crate::i18n::text(lang, "matching.why.removed_by_you")
                            .replace("%{tutors}", &names.join(", ")),
                    );
                }
                UnmatchedView {
                    pupil: pupil_ref(u.pupil),
                    reason: u.reason.code().to_owned(),
                    text,
                }
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

        let mut choices = Vec::with_capacity(scoped.choices.len());
        for (choice, applied) in &scoped.choices {
            choices.push(ChoiceView {
                pupil_id: choice.pupil_id,
                pupil_name: name_of(state, pool, choice.pupil_id).await?,
                tutor_id: choice.tutor_id,
                tutor_name: name_of(state, pool, choice.tutor_id).await?,
                kind: choice.kind.as_str().to_owned(),
                reason: choice.reason.clone(),
                applied: *applied,
            });
        }
        let mut tutor_options: Vec<TutorRef> = pool
            .tutors
            .iter()
            .map(|t| TutorRef {
                id: t.tutor_id,
                name: t.tutor_name.clone(),
            })
            .collect();
        tutor_options.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let mut schools: Vec<SchoolPriority> = Vec::new();
        for (index, p) in pool.pupils.iter().enumerate() {
            match schools.iter_mut().find(|s| s.uai == p.item.school.uai) {
                Some(school) => school.pupils += 1,
                None => schools.push(SchoolPriority {
                    uai: p.item.school.uai.clone(),
                    name: p.item.school.name.clone(),
                    priority: u8::try_from(problem.pupils[index].priority).unwrap_or(100),
                    pupils: 1,
                }),
            }
        }
        schools.sort_by(|a, b| a.name.cmp(&b.name).then(a.uai.cmp(&b.uai)));

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
            choices,
            tutor_options,
            schools,
            fingerprint: scoped.fingerprint(),
        })
    }

    /// The name of a pupil or tutor: from the pool, else from the account.
    async fn name_of(
        state: &AppState,
        pool: &pool::Pool,
        user_id: i64,
    ) -> Result<String, AppError> {
        if let Some(p) = pool.pupils.iter().find(|p| p.item.pupil_id == user_id) {
            return Ok(p.item.pupil_name.clone());
        }
        if let Some(t) = pool.tutors.iter().find(|t| t.tutor_id == user_id) {
            return Ok(t.tutor_name.clone());
        }
        Ok(crate::accounts::users::find(&state.db, user_id)
            .await
            .map_err(AppError::from_db)?
            .map(|u| format!("{} {}", u.first_name, u.last_name))
            .unwrap_or_default())
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

    pub async fn progress() -> Result<Option<Progress>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let now = state.clock.now();
        Ok(running::current(&state.db, &actor.academies, actor.id())
            .await
            .map_err(AppError::from_db)?
            .map(|(stage, mine, since)| Progress {
                stage,
                mine,
                seconds: (now - since).num_seconds().max(0),
            }))
    }

    pub async fn published() -> Result<Vec<PublishedView>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let rows =
            crate::proposals::store::published_in(&state.db, &actor.academies, PUBLISHED_PAGE)
                .await
                .map_err(AppError::from_db)?;
        Ok(rows
            .into_iter()
            .map(|p| {
                let zone = domain::availability::parse_zone(&p.proposal.time_zone)
                    .unwrap_or(chrono_tz::Europe::Paris);
                PublishedView {
                    pupil_id: p.proposal.pupil_id,
                    pupil_name: p.pupil_name,
                    tutor_id: p.proposal.tutor_id,
                    tutor_name: p.tutor_name,
                    slot: slot_view(&crate::proposals::notify::weekly_slot(&p.proposal), zone),
                    subjects: p.proposal.subjects,
                    status: p.proposal.status,
                    published_on: p.proposal.published_at.date_naive().to_string(),
                    expires_on: p.proposal.expires_at.date_naive().to_string(),
                    decline_reason: p.decline_reason,
                    manual_reason: p.proposal.manual_reason,
                }
            })
            .collect())
    }

    pub async fn dry_run(start: String) -> Result<DryRun, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        let today = scope_today(&state, &actor).await?;
        let first = first_day(&start, today)?;
        running::exclusive(&state, &actor, run(&state, &actor, first, actor.user.lang)).await
    }
}
