//! Feasible pairs, found through indexes rather than by trying every pupil
//! with every tutor:
//!
//! 1. tutors are indexed by the (subject, niveau) pairs they cover, so a
//!    pupil only meets the tutors of their requested subjects at their
//!    niveau;
//! 2. of those, the mode is checked (a distance only for sessions in
//!    person);
//! 3. then the slot, as the AND of two 336-bit sets ([`super::slots`]):
//!    the pupil's, and the tutor's for the pupil's zone, computed once per
//!    tutor and pupil zone.

use std::collections::HashMap;

use chrono_tz::Tz;

use super::slots::{self, SlotSet, ZoneWeeks};
use super::{haversine_km, Modes, Near, Problem, Pupil, Tutor, NEAREST_SHOWN};
use crate::availability::{Offsets, WeeklySlot, GRAIN_MINUTES};

/// One feasible pair, seen from its pupil.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub tutor: usize,
    /// How many of the pupil's requested subjects the tutor covers.
    pub covered: u8,
    /// Which: bit `i` for the pupil's `i`-th subject.
    pub subjects_mask: u32,
    /// The first shared slot, in the pupil's local time.
    pub slot: WeeklySlot,
}

/// The feasible pairs of a problem, by pupil, each pupil's in tutor order.
#[derive(Clone, Debug)]
pub struct Candidates {
    by_pupil: Vec<Vec<Candidate>>,
}

/// The most subjects a pupil may request here (the bits of
/// [`Candidate::subjects_mask`]).
pub const MAX_SUBJECTS: usize = 32;

/// The tutors met at each step of [`Candidates::funnel`], in input order.
#[derive(Clone, Debug, Default)]
pub struct Funnel {
    /// Covering at least one requested subject at the pupil's niveau.
    pub covering: Vec<usize>,
    /// Of those, with a mode that qualifies.
    pub with_mode: Vec<usize>,
}

impl Candidates {
    /// Every feasible pair of `problem` that is not excluded.
    ///
    /// The pupils are shared out in consecutive blocks between the
    /// machine's cores ([`std::thread::available_parallelism`]); each
    /// pupil's pairs are the same whatever the number of threads.
    pub fn generate(problem: &Problem) -> Candidates {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        Candidates::generate_in(problem, threads)
    }

    /// [`Candidates::generate`] on at most `threads` threads (at least
    /// [`MIN_BLOCK`] pupils each).
    pub(super) fn generate_in(problem: &Problem, threads: usize) -> Candidates {
        let index = CoverIndex::new(&problem.tutors);
        let zones = PupilZones::new(problem, problem.session_minutes);
        let tutor_sets = zones.tutor_sets(&problem.tutors, threads);
        let excluded = excluded_by_pupil(problem);
        let tutor_modes: Vec<Modes> = problem.tutors.iter().map(|t| t.modes).collect();
        let context = Context {
            problem,
            tutor_modes: &tutor_modes,
            index: &index,
            zones: &zones,
            tutor_sets: &tutor_sets,
            excluded: &excluded,
        };

        let by_pupil = if threads <= 1 || problem.pupils.len() < 2 * MIN_BLOCK {
            context.pairs(0..problem.pupils.len())
        } else {
            let block = problem.pupils.len().div_ceil(threads).max(MIN_BLOCK);
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..problem.pupils.len())
                    .step_by(block)
                    .map(|from| {
                        let to = (from + block).min(problem.pupils.len());
                        scope.spawn(move || context.pairs(from..to))
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("candidate generation does not panic"))
                    .collect()
            })
        };
        Candidates { by_pupil }
    }

    /// The feasible tutors of `pupil`, in input order.
    pub fn of_pupil(&self, pupil: usize) -> &[Candidate] {
        &self.by_pupil[pupil]
    }

    /// How many feasible pairs in all.
    pub fn len(&self) -> usize {
        self.by_pupil.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tutors `pupil` passes each step with, excluded pairs left out:
    /// what explains why a pupil is left out.
    pub fn funnel(problem: &Problem, pupil: usize) -> Funnel {
        let p = &problem.pupils[pupil];
        let mut funnel = Funnel::default();
        let mut excluded: Vec<usize> = problem
            .excluded
            .iter()
            .filter(|&&(q, _)| q == pupil)
            .map(|&(_, t)| t)
            .collect();
        excluded.sort_unstable();
        for (t, tutor) in problem.tutors.iter().enumerate() {
            if excluded.binary_search(&t).is_ok() {
                continue;
            }
            let covers = p
                .subjects
                .iter()
                .any(|&s| tutor.covers.contains(&(s, p.level)));
            if covers {
                funnel.covering.push(t);
                if mode_qualifies(p, tutor) {
                    funnel.with_mode.push(t);
                }
            }
        }
        funnel
    }
}

/// Whether a mode qualifies: both accept online; or both accept in person,
/// both locations are known and the great-circle distance is at most the
/// tutor's `max_km`.
pub fn mode_qualifies(pupil: &Pupil, tutor: &Tutor) -> bool {
    if pupil.modes.online && tutor.modes.online {
        return true;
    }
    if !(pupil.modes.in_person && tutor.modes.in_person) {
        return false;
    }
    match (pupil.location, tutor.location, tutor.max_km) {
        (Some(a), Some(b), Some(max)) => haversine_km(a, b) <= max,
        _ => false,
    }
}

/// Tutors by the (subject, niveau) pairs they cover.
struct CoverIndex {
    tutors: HashMap<(u16, u16), Vec<u32>>,
}

impl CoverIndex {
    fn new(tutors: &[Tutor]) -> CoverIndex {
        let mut index: HashMap<(u16, u16), Vec<u32>> = HashMap::new();
        for (t, tutor) in tutors.iter().enumerate() {
            for &pair in &tutor.covers {
                let list = index.entry(pair).or_default();
                // Tutors come in order: a repeated pair repeats the tail.
                if list.last() != Some(&(t as u32)) {
                    list.push(t as u32);
                }
            }
        }
        CoverIndex { tutors: index }
    }

    /// Sets in `touched` (bit `t % 64` of word `t / 64` for tutor `t`) the
    /// tutors covering one of `pupil`'s subjects at their niveau, and for
    /// each the mask of the subjects covered in `masks` (the caller clears
    /// both again). A bit set rather than a list: read in input order
    /// without sorting.
    fn covering(&self, pupil: &Pupil, masks: &mut [u32], touched: &mut [u64]) {
        for (i, &subject) in pupil.subjects.iter().enumerate().take(MAX_SUBJECTS) {
            if let Some(list) = self.tutors.get(&(subject, pupil.level)) {
                for &t in list {
                    let t = t as usize;
                    touched[t / 64] |= 1 << (t % 64);
                    masks[t] |= 1 << i;
                }
            }
        }
    }
}

/// The distinct zones of the pupils, each with its slot occurrences.
struct PupilZones {
    zones: Vec<ZoneWeeks>,
}

impl PupilZones {
    fn new(problem: &Problem, minutes: u16) -> PupilZones {
        let mut names: Vec<Tz> = Vec::new();
        for pupil in &problem.pupils {
            let zone = pupil.availability.zone();
            if !names.contains(&zone) {
                names.push(zone);
            }
        }
        PupilZones {
            zones: names
                .into_iter()
                .map(|zone| ZoneWeeks::new(zone, problem.start, problem.weeks, minutes))
                .collect(),
        }
    }

    fn index_of(&self, zone: Tz) -> usize {
        self.zones
            .iter()
            .position(|z| z.zone() == zone)
            .expect("every pupil's zone is indexed")
    }

    /// For each zone, each tutor's slot set; the tutors shared out in
    /// consecutive blocks between at most `threads` threads (at least
    /// [`MIN_BLOCK`] tutors each), the same sets on any number.
    fn tutor_sets(&self, tutors: &[Tutor], threads: usize) -> Vec<Vec<SlotSet>> {
        let Some(range) = self.zones.iter().map(ZoneWeeks::range).reduce(slots::hull) else {
            return Vec::new();
        };
        let sets_of = |block: &[Tutor]| -> Vec<Vec<SlotSet>> {
            // Each tutor zone's offsets over the range, found once.
            let mut offsets: Vec<Offsets> = Vec::new();
            let spans: Vec<Vec<(i64, i64)>> = block
                .iter()
                .map(|t| {
                    let zone = t.availability.zone();
                    let at = match offsets.iter().position(|o| o.zone() == zone) {
                        Some(at) => at,
                        None => {
                            offsets.push(Offsets::new(zone, range));
                            offsets.len() - 1
                        }
                    };
                    slots::spans_seconds_over(&t.availability, &offsets[at])
                })
                .collect();
            self.zones
                .iter()
                .map(|zone| spans.iter().map(|s| zone.tutor(s)).collect())
                .collect()
        };
        if threads <= 1 || tutors.len() < 2 * MIN_BLOCK {
            return sets_of(tutors);
        }
        let block = tutors.len().div_ceil(threads).max(MIN_BLOCK);
        let sets_of = &sets_of;
        let parts: Vec<Vec<Vec<SlotSet>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = tutors
                .chunks(block)
                .map(|chunk| scope.spawn(move || sets_of(chunk)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("slot sets do not panic"))
                .collect()
        });
        let mut sets = vec![Vec::with_capacity(tutors.len()); self.zones.len()];
        for part in parts {
            for (zone, block_sets) in part.into_iter().enumerate() {
                sets[zone].extend(block_sets);
            }
        }
        sets
    }
}

fn excluded_by_pupil(problem: &Problem) -> Vec<Vec<usize>> {
    let mut excluded = vec![Vec::new(); problem.pupils.len()];
    for &(pupil, tutor) in &problem.excluded {
        if let Some(list) = excluded.get_mut(pupil) {
            list.push(tutor);
        }
    }
    for list in &mut excluded {
        list.sort_unstable();
    }
    excluded
}

/// Below this many pupils (or tutors, for their slot sets) a block is not
/// worth a thread.
pub(super) const MIN_BLOCK: usize = 256;

/// What every pupil's pairs are read from.
#[derive(Clone, Copy)]
struct Context<'a> {
    problem: &'a Problem,
    /// The tutors' modes, read without loading the whole tutor (most pairs
    /// qualify online).
    tutor_modes: &'a [Modes],
    index: &'a CoverIndex,
    zones: &'a PupilZones,
    tutor_sets: &'a [Vec<SlotSet>],
    excluded: &'a [Vec<usize>],
}

impl Context<'_> {
    /// The feasible pairs of the pupils `pupils`, by pupil.
    fn pairs(&self, pupils: std::ops::Range<usize>) -> Vec<Vec<Candidate>> {
        let problem = self.problem;
        let mut masks = vec![0_u32; problem.tutors.len()];
        let mut touched = vec![0_u64; problem.tutors.len().div_ceil(64)];
        let mut found = Vec::new();
        pupils
            .map(|p| {
                let pupil = &problem.pupils[p];
                let own = SlotSet::pupil(&pupil.availability, problem.session_minutes);
                let zone = self.zones.index_of(pupil.availability.zone());
                self.index.covering(pupil, &mut masks, &mut touched);
                found.clear();
                let tutors = touched.iter_mut().enumerate().flat_map(|(i, word)| {
                    let mut bits = std::mem::take(word);
                    std::iter::from_fn(move || {
                        let bit = bits.trailing_zeros();
                        bits &= bits.wrapping_sub(1);
                        (bit < 64).then_some(i * 64 + bit as usize)
                    })
                });
                for t in tutors {
                    let mask = masks[t];
                    masks[t] = 0;
                    if self.excluded[p].binary_search(&t).is_ok() {
                        continue;
                    }
                    // The slot first: a few AND instructions, where the
                    // mode may need a distance.
                    let Some(slot) = own.first_shared(&self.tutor_sets[zone][t]) else {
                        continue;
                    };
                    let online = pupil.modes.online && self.tutor_modes[t].online;
                    if online || mode_qualifies(pupil, &problem.tutors[t]) {
                        found.push(Candidate {
                            tutor: t,
                            covered: mask.count_ones() as u8,
                            subjects_mask: mask,
                            slot: slots::weekly_slot(slot, problem.session_minutes),
                        });
                    }
                }
                // Allocated at its size, without growing.
                found.to_vec()
            })
            .collect()
    }
}

/// What [`Nearness::nearest`] computes once for all the pupils it
/// explains: the 30-minute occurrences of each pupil zone, each tutor's
/// spans, and each tutor's 30-minute cells in each pupil zone met so far.
#[derive(Debug)]
pub struct Nearness<'a> {
    problem: &'a Problem,
    zones: Vec<ZoneWeeks>,
    spans: Vec<Option<Vec<(i64, i64)>>>,
    /// Each tutor zone's offsets over `range`, found once.
    offsets: Vec<Offsets>,
    /// Per zone of `zones`, per tutor.
    cells: Vec<Vec<Option<SlotSet>>>,
    range: Option<crate::availability::Span>,
}

impl<'a> Nearness<'a> {
    pub fn new(problem: &'a Problem) -> Nearness<'a> {
        Nearness {
            problem,
            zones: Vec::new(),
            spans: vec![None; problem.tutors.len()],
            offsets: Vec::new(),
            cells: Vec::new(),
            range: None,
        }
    }

    /// The tutors of `tutors` whose availability comes nearest to
    /// `pupil`'s, best first: the longest stretch of pupil-local time, on
    /// the 30-minute grain, that both have every week (ties: input order).
    pub fn nearest(&mut self, pupil: usize, tutors: &[usize]) -> Vec<Near> {
        let problem = self.problem;
        let p = &problem.pupils[pupil];
        let zone = match self
            .zones
            .iter()
            .position(|z| z.zone() == p.availability.zone())
        {
            Some(index) => index,
            None => {
                self.zones.push(ZoneWeeks::new(
                    p.availability.zone(),
                    problem.start,
                    problem.weeks,
                    GRAIN_MINUTES,
                ));
                self.cells.push(vec![None; problem.tutors.len()]);
                self.zones.len() - 1
            }
        };
        // One range for every tutor's spans: the hull of every pupil zone's.
        let range = *self.range.get_or_insert_with(|| {
            let mut range = self.zones[zone].range();
            for other in &problem.pupils {
                let start = crate::availability::local_midnight_utc(
                    other.availability.zone(),
                    problem.start,
                );
                let end = crate::availability::local_midnight_utc(
                    other.availability.zone(),
                    problem.start + chrono::Duration::weeks(i64::from(problem.weeks)),
                );
                range = slots::hull(
                    range,
                    crate::availability::Span::new(
                        start - chrono::Duration::days(1),
                        end + chrono::Duration::days(2),
                    ),
                );
            }
            range
        });
        let own = SlotSet::pupil(&p.availability, GRAIN_MINUTES);
        let mut near: Vec<Near> = tutors
            .iter()
            .map(|&t| {
                let spans = &mut self.spans[t];
                let offsets = &mut self.offsets;
                let zone_weeks = &self.zones[zone];
                let cells = self.cells[zone][t].get_or_insert_with(|| {
                    let spans = spans.get_or_insert_with(|| {
                        let availability = &problem.tutors[t].availability;
                        let tutor_zone = availability.zone();
                        let at = match offsets.iter().position(|o| o.zone() == tutor_zone) {
                            Some(at) => at,
                            None => {
                                offsets.push(Offsets::new(tutor_zone, range));
                                offsets.len() - 1
                            }
                        };
                        slots::spans_seconds_over(availability, &offsets[at])
                    });
                    zone_weeks.tutor(spans)
                });
                let shared = own.and(cells);
                let longest = longest_run(&shared);
                let have = longest.map_or(0, |slot| slot.minutes);
                Near {
                    tutor: t,
                    longest,
                    missing_minutes: problem.session_minutes.saturating_sub(have),
                }
            })
            .collect();
        near.sort_by_key(|n| n.missing_minutes);
        near.truncate(NEAREST_SHOWN);
        near
    }
}

/// The longest run of consecutive 30-minute cells of one day in `cells`
/// (the earliest of equal runs).
fn longest_run(cells: &SlotSet) -> Option<WeeklySlot> {
    let mut best: Option<(usize, usize)> = None;
    for day in 0..7 {
        let mut run = 0;
        for index in 0..=48 {
            if index < 48 && cells.contains(day * 48 + index) {
                run += 1;
                continue;
            }
            if run > 0 && best.is_none_or(|(_, length)| run > length) {
                best = Some((day * 48 + index - run, run));
            }
            run = 0;
        }
    }
    best.map(|(start, length)| {
        let mut slot = slots::weekly_slot(start, GRAIN_MINUTES);
        slot.minutes = (length as u16) * GRAIN_MINUTES;
        slot
    })
}
