//! Matching: the best set of pupil–tutor pairs of a pool, and why each
//! pupil left out is left out.
//!
//! The rules (issue 6; the same on the web and on the command line):
//!
//! - **Coverage.** A tutor covers a pupil for a subject when the pair
//!   (subject, pupil's niveau) is in the tutor's [`Tutor::covers`]. The
//!   caller expands "subject up to niveau" into those pairs with the
//!   curriculum's rule, so this module knows no subject or niveau codes.
//! - **One recurring weekly slot** of `session_minutes`, fixed in the
//!   pupil's local time on the 30-minute grain, inside the pupil's weekly
//!   availability (read locally) and, in each of the `weeks` weeks from
//!   `start`, with its concrete occurrence inside the tutor's availability
//!   (read in the tutor's zone). See [`slots`].
//! - **Modes.** Online when both sides accept online; in person when both
//!   accept it, both locations are known and the great-circle distance is
//!   at most the tutor's `max_km`.
//! - **Objective**, lexicographic: the most pupils matched (each pupil at
//!   most one tutor, each tutor at most `capacity` pupils), then the largest
//!   total [`score`](Weights). Solved exactly as a minimum-cost flow
//!   ([`flow`]). Deterministic: the same input, in the same order, gives
//!   the same answer.
//! - **Greedy baseline**: pupils by decreasing waiting days (ties in input
//!   order) each take the first feasible tutor, in input order, with
//!   capacity left. Reported to show what the optimum gains.

pub mod candidates;
pub mod flow;
pub mod generate;
mod geo;
pub mod slots;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;

pub use candidates::{Candidate, Candidates};
pub use geo::{haversine_km, Location, EARTH_RADIUS_KM};
pub use slots::SlotSet;

use crate::availability::{WeeklyAvailability, WeeklySlot};

/// The weights of a pair's score:
/// `subject × (requested subjects the tutor covers) + waiting_day ×
/// waiting days + priority × priority`. Non-negative integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights {
    pub subject: u32,
    pub waiting_day: u32,
    pub priority: u32,
}

impl Default for Weights {
    /// 100, 1, 1: a second covered subject is worth 100 days of waiting.
    fn default() -> Self {
        Weights {
            subject: 100,
            waiting_day: 1,
            priority: 1,
        }
    }
}

/// How sessions may take place, from one side's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Modes {
    pub online: bool,
    pub in_person: bool,
}

/// A pupil with an open help request.
#[derive(Clone, Debug)]
pub struct Pupil {
    /// The pupil's niveau, as an index the caller chose (the same numbering
    /// as in [`Tutor::covers`]).
    pub level: u16,
    /// Requested subjects, as indices (the caller's numbering), in the
    /// pupil's order; no duplicates.
    pub subjects: Vec<u16>,
    pub availability: WeeklyAvailability,
    /// Days since the request was made (or first made, when a declined
    /// proposal sent the pupil back to the pool).
    pub waiting_days: u32,
    /// The school's priority, 0–100.
    pub priority: u32,
    pub modes: Modes,
    pub location: Option<Location>,
}

/// A tutor who can take pupils (approved, background check valid, not
/// paused: the caller only passes those).
#[derive(Clone, Debug)]
pub struct Tutor {
    /// How many pupils at most, counting those already assigned by hand.
    pub capacity: u32,
    pub availability: WeeklyAvailability,
    pub modes: Modes,
    pub location: Option<Location>,
    /// The largest distance for sessions in person, in kilometres; `None`:
    /// no session in person.
    pub max_km: Option<f64>,
    /// Every (subject, niveau) pair the tutor's offer covers.
    pub covers: Vec<(u16, u16)>,
}

/// What matching is run on. Pupils and tutors are referred to by their
/// index in these vectors.
#[derive(Clone, Debug)]
pub struct Problem {
    pub pupils: Vec<Pupil>,
    pub tutors: Vec<Tutor>,
    /// The first day of the first week, a date of each pupil's own zone.
    pub start: NaiveDate,
    /// How many weeks the slot must recur in (≥ 1).
    pub weeks: u32,
    /// Session length in minutes (a positive multiple of 30, at most 24 h).
    pub session_minutes: u16,
    pub weights: Weights,
    /// Pairs that may not be proposed: ended before, or removed by a
    /// coordinator. `(pupil, tutor)`.
    pub excluded: Vec<(usize, usize)>,
    /// Pairs a coordinator chose by hand, kept as they are: the pupil is
    /// not matched again and the tutor's capacity is reduced. `(pupil,
    /// tutor)`; each must be feasible.
    pub fixed: Vec<(usize, usize)>,
}

/// One proposed pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub pupil: usize,
    pub tutor: usize,
    /// The requested subjects the tutor covers, in the pupil's order.
    pub subjects: Vec<u16>,
    /// The first shared slot (Monday first, then earliest), in the pupil's
    /// local time.
    pub slot: WeeklySlot,
    pub score: Score,
    /// Whether the pair was fixed by hand ([`Problem::fixed`]).
    pub fixed: bool,
}

/// A pair's score and its parts (already multiplied by their weights).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    pub subjects: u64,
    pub waiting: u64,
    pub priority: u64,
}

impl Score {
    pub fn total(&self) -> u64 {
        self.subjects + self.waiting + self.priority
    }
}

/// Why a pupil is left out: the first of these that holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// No tutor covers any requested subject at the pupil's niveau.
    NoTutorForSubject,
    /// Some do, none with a mode that qualifies.
    NoCompatibleMode,
    /// Some do with a mode, none shares a slot.
    NoSharedSlot,
    /// Feasible tutors exist, all taken in the optimum.
    TutorsFull,
}

impl Reason {
    /// The code of the command line's output and of the database.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NoTutorForSubject => "no_tutor_for_subject",
            Reason::NoCompatibleMode => "no_compatible_mode",
            Reason::NoSharedSlot => "no_shared_slot",
            Reason::TutorsFull => "tutors_full",
        }
    }
}

/// A pupil left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    pub pupil: usize,
    pub reason: Reason,
    /// For [`Reason::NoSharedSlot`]: the tutors (covering a subject, with a
    /// mode) whose availability comes nearest, best first, at most
    /// [`NEAREST_SHOWN`].
    pub nearest: Vec<Near>,
}

/// How near a tutor's availability comes to a pupil's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Near {
    pub tutor: usize,
    /// The longest stretch of pupil-local time (on the 30-minute grain)
    /// that both have every week, or `None` when they share none.
    pub longest: Option<WeeklySlot>,
    /// Minutes missing from that stretch for a session
    /// (`session_minutes − longest.minutes`; the whole session when none).
    pub missing_minutes: u16,
}

/// How many nearest tutors an unmatched pupil's explanation names.
pub const NEAREST_SHOWN: usize = 3;

/// What a run found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// By pupil index.
    pub proposals: Vec<Proposal>,
    /// By pupil index.
    pub unmatched: Vec<Unmatched>,
    pub total_score: u64,
    /// How many pupils the greedy baseline matches on the same input.
    pub greedy_matched: usize,
    /// How many feasible pairs there were.
    pub feasible_pairs: usize,
}

/// Why a problem cannot be run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProblemError {
    #[error("weeks must be at least 1")]
    NoWeeks,
    #[error("the session length must be a positive multiple of 30 minutes, at most 24 hours")]
    SessionLength,
    #[error("pair ({0}, {1}) refers to no pupil or no tutor")]
    UnknownPair(usize, usize),
    #[error("pupil {0} is fixed twice")]
    FixedTwice(usize),
    #[error("the fixed pair ({0}, {1}) is not feasible")]
    FixedInfeasible(usize, usize),
    #[error("tutor {0} has more fixed pupils than capacity")]
    FixedOverCapacity(usize),
}

impl Weights {
    /// The score of a pupil with a tutor covering `covered` of their
    /// subjects.
    pub fn score(&self, pupil: &Pupil, covered: usize) -> Score {
        Score {
            subjects: u64::from(self.subject) * covered as u64,
            waiting: u64::from(self.waiting_day) * u64::from(pupil.waiting_days),
            priority: u64::from(self.priority) * u64::from(pupil.priority),
        }
    }
}

/// Runs matching: the optimal proposals, the reasons of those left out and
/// the greedy baseline's count.
///
/// # Errors
/// [`ProblemError`] when the parameters or the fixed pairs are invalid.
pub fn solve(problem: &Problem) -> Result<Outcome, ProblemError> {
    check(problem)?;
    let candidates = Candidates::generate(problem);

    // Fixed pairs first: they take their pupil and a place of their tutor.
    let mut capacity: Vec<u32> = problem.tutors.iter().map(|t| t.capacity).collect();
    let mut taken = vec![None::<Proposal>; problem.pupils.len()];
    for &(pupil, tutor) in &problem.fixed {
        if taken[pupil].is_some() {
            return Err(ProblemError::FixedTwice(pupil));
        }
        let candidate = candidates
            .of_pupil(pupil)
            .iter()
            .find(|c| c.tutor == tutor)
            .ok_or(ProblemError::FixedInfeasible(pupil, tutor))?;
        if capacity[tutor] == 0 {
            return Err(ProblemError::FixedOverCapacity(tutor));
        }
        capacity[tutor] -= 1;
        taken[pupil] = Some(proposal(problem, pupil, candidate, true));
    }

    // The rest: a minimum-cost flow on the feasible pairs left.
    let free: Vec<usize> = (0..problem.pupils.len())
        .filter(|&p| taken[p].is_none())
        .collect();
    // Read from the candidates rather than copied as tuples (about 100 MB
    // at 10,000 × 4,000): the flow reads them once, by pupil, into 12
    // bytes a pair.
    let arcs = |arc: &mut dyn FnMut(usize, usize, i64)| {
        for (row, &pupil) in free.iter().enumerate() {
            for c in candidates.of_pupil(pupil) {
                if capacity[c.tutor] > 0 {
                    arc(row, c.tutor, score_value(problem, pupil, c));
                }
            }
        }
    };
    let chosen = flow::assign_from(free.len(), &capacity, &arcs);
    for (row, tutor) in chosen.into_iter().enumerate() {
        if let Some(tutor) = tutor {
            let pupil = free[row];
            let candidate = candidates
                .of_pupil(pupil)
                .iter()
                .find(|c| c.tutor == tutor)
                .expect("the flow only uses candidate arcs");
            taken[pupil] = Some(proposal(problem, pupil, candidate, false));
        }
    }

    let greedy_matched = greedy(problem, &candidates);
    let mut proposals = Vec::new();
    let mut unmatched = Vec::new();
    let mut nearness = candidates::Nearness::new(problem);
    for (pupil, proposal) in taken.into_iter().enumerate() {
        match proposal {
            Some(proposal) => proposals.push(proposal),
            None => unmatched.push(explain(problem, &candidates, &mut nearness, pupil)),
        }
    }
    let total_score = proposals.iter().map(|p| p.score.total()).sum();
    Ok(Outcome {
        proposals,
        unmatched,
        total_score,
        greedy_matched,
        feasible_pairs: candidates.len(),
    })
}

fn score_value(problem: &Problem, pupil: usize, candidate: &Candidate) -> i64 {
    let score = problem
        .weights
        .score(&problem.pupils[pupil], usize::from(candidate.covered));
    i64::try_from(score.total()).unwrap_or(i64::MAX)
}

fn proposal(problem: &Problem, pupil: usize, candidate: &Candidate, fixed: bool) -> Proposal {
    let p = &problem.pupils[pupil];
    let subjects = p
        .subjects
        .iter()
        .enumerate()
        .filter(|&(i, _)| i < candidates::MAX_SUBJECTS && candidate.subjects_mask & (1 << i) != 0)
        .map(|(_, &s)| s)
        .collect();
    Proposal {
        pupil,
        tutor: candidate.tutor,
        subjects,
        slot: candidate.slot,
        score: problem.weights.score(p, usize::from(candidate.covered)),
        fixed,
    }
}

fn check(problem: &Problem) -> Result<(), ProblemError> {
    if problem.weeks == 0 {
        return Err(ProblemError::NoWeeks);
    }
    let minutes = problem.session_minutes;
    if minutes == 0 || !minutes.is_multiple_of(30) || minutes > 24 * 60 {
        return Err(ProblemError::SessionLength);
    }
    for &(pupil, tutor) in problem.excluded.iter().chain(&problem.fixed) {
        if pupil >= problem.pupils.len() || tutor >= problem.tutors.len() {
            return Err(ProblemError::UnknownPair(pupil, tutor));
        }
    }
    Ok(())
}

/// The greedy baseline's number of matched pupils: fixed pairs first, then
/// pupils by decreasing waiting days, ties in input order, each taking the
/// first feasible tutor in input order with capacity left.
pub fn greedy(problem: &Problem, candidates: &Candidates) -> usize {
    let mut capacity: Vec<u32> = problem.tutors.iter().map(|t| t.capacity).collect();
    let mut matched = 0;
    let mut fixed_pupils = vec![false; problem.pupils.len()];
    for &(pupil, tutor) in &problem.fixed {
        fixed_pupils[pupil] = true;
        capacity[tutor] = capacity[tutor].saturating_sub(1);
        matched += 1;
    }
    let mut order: Vec<usize> = (0..problem.pupils.len())
        .filter(|&p| !fixed_pupils[p])
        .collect();
    order.sort_by_key(|&p| std::cmp::Reverse(problem.pupils[p].waiting_days));
    for pupil in order {
        if let Some(c) = candidates
            .of_pupil(pupil)
            .iter()
            .find(|c| capacity[c.tutor] > 0)
        {
            capacity[c.tutor] -= 1;
            matched += 1;
        }
    }
    matched
}

fn explain(
    problem: &Problem,
    candidates: &Candidates,
    nearness: &mut candidates::Nearness<'_>,
    pupil: usize,
) -> Unmatched {
    // A pupil with a feasible pair passed every step but the places: no
    // funnel to compute.
    if !candidates.of_pupil(pupil).is_empty() {
        return Unmatched {
            pupil,
            reason: Reason::TutorsFull,
            nearest: Vec::new(),
        };
    }
    let funnel = Candidates::funnel(problem, pupil);
    let reason = if funnel.covering.is_empty() {
        Reason::NoTutorForSubject
    } else if funnel.with_mode.is_empty() {
        Reason::NoCompatibleMode
    } else if candidates.of_pupil(pupil).is_empty() {
        Reason::NoSharedSlot
    } else {
        Reason::TutorsFull
    };
    let nearest = if reason == Reason::NoSharedSlot {
        nearness.nearest(pupil, &funnel.with_mode)
    } else {
        Vec::new()
    };
    Unmatched {
        pupil,
        reason,
        nearest,
    }
}
