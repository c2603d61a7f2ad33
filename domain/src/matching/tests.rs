use chrono::{Duration, NaiveDate, Weekday};
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

use super::*;
use crate::availability::{parse_zone, WeeklyInterval, GRAIN_MINUTES};

/// The generator of the benchmark's pools: random instances are the same
/// on every run.
use generate::SplitMix64 as Seeded;

fn weekly(zone: &str, intervals: &[(Weekday, &str, &str)]) -> WeeklyAvailability {
    let minutes = |t: &str| {
        let (h, m) = t.split_once(':').expect("hh:mm");
        h.parse::<u16>().expect("hours") * 60 + m.parse::<u16>().expect("minutes")
    };
    let intervals = intervals.iter().map(|&(day, from, to)| {
        WeeklyInterval::new(day, minutes(from), minutes(to)).expect("valid")
    });
    WeeklyAvailability::new(parse_zone(zone).expect("zone"), intervals).0
}

const ONLINE: Modes = Modes {
    online: true,
    in_person: false,
};
const IN_PERSON: Modes = Modes {
    online: false,
    in_person: true,
};

fn pupil(level: u16, subjects: &[u16], availability: WeeklyAvailability, waiting: u32) -> Pupil {
    Pupil {
        level,
        subjects: subjects.to_vec(),
        availability,
        waiting_days: waiting,
        priority: 0,
        modes: ONLINE,
        location: None,
    }
}

fn tutor(capacity: u32, covers: &[(u16, u16)], availability: WeeklyAvailability) -> Tutor {
    Tutor {
        capacity,
        availability,
        modes: ONLINE,
        location: None,
        max_km: None,
        covers: covers.to_vec(),
    }
}

fn problem(pupils: Vec<Pupil>, tutors: Vec<Tutor>) -> Problem {
    Problem {
        pupils,
        tutors,
        start: NaiveDate::from_ymd_opt(2027, 3, 15).expect("date"),
        weeks: 4,
        session_minutes: 60,
        weights: Weights::default(),
        excluded: Vec::new(),
        fixed: Vec::new(),
    }
}

// ---------------------------------------------------------------- the flow

/// The best (matched, total score) of an assignment, by trying every one.
fn exhaustive(rows: usize, capacity: &[u32], arcs: &[(usize, usize, i64)]) -> (usize, i64) {
    fn go(
        row: usize,
        rows: usize,
        left: &mut Vec<u32>,
        by_row: &[Vec<(usize, i64)>],
        matched: usize,
        score: i64,
        best: &mut (usize, i64),
    ) {
        if row == rows {
            *best = (*best).max((matched, score));
            return;
        }
        go(row + 1, rows, left, by_row, matched, score, best);
        for &(t, s) in &by_row[row] {
            if left[t] > 0 {
                left[t] -= 1;
                go(row + 1, rows, left, by_row, matched + 1, score + s, best);
                left[t] += 1;
            }
        }
    }
    let mut by_row = vec![Vec::new(); rows];
    for &(p, t, s) in arcs {
        by_row[p].push((t, s));
    }
    let mut best = (0, 0);
    go(0, rows, &mut capacity.to_vec(), &by_row, 0, 0, &mut best);
    best
}

/// Checks that `tutor_of` is an assignment of `arcs` within capacities, and
/// returns its (matched, total score).
fn value_of(
    tutor_of: &[Option<usize>],
    capacity: &[u32],
    arcs: &[(usize, usize, i64)],
) -> (usize, i64) {
    let mut load = vec![0_u32; capacity.len()];
    let mut total = 0;
    for (p, tutor) in tutor_of.iter().enumerate() {
        if let Some(t) = *tutor {
            let arc = arcs
                .iter()
                .find(|a| a.0 == p && a.1 == t)
                .expect("only feasible pairs are assigned");
            total += arc.2;
            load[t] += 1;
            assert!(load[t] <= capacity[t], "tutor {t} over capacity");
        }
    }
    (tutor_of.iter().flatten().count(), total)
}

fn random_assignment(
    random: &mut Seeded,
    rows: usize,
    tutors: usize,
    density: u64,
    scores: u64,
) -> (Vec<u32>, Vec<(usize, usize, i64)>) {
    let capacity = (0..tutors).map(|_| 1 + random.below(3) as u32).collect();
    let mut arcs = Vec::new();
    for p in 0..rows {
        for t in 0..tutors {
            if random.below(100) < density {
                arcs.push((p, t, random.below(scores) as i64));
            }
        }
    }
    (capacity, arcs)
}

#[test]
fn the_flow_is_optimal_on_every_small_random_instance() {
    let mut random = Seeded(6);
    let mut instances = 0;
    for rows in 0..=8 {
        for tutors in 1..=8 {
            for _ in 0..6 {
                let density = 15 + random.below(45);
                let scores = [1, 3, 400][random.below(3) as usize];
                let (capacity, arcs) =
                    random_assignment(&mut random, rows, tutors, density, scores);
                let tutor_of = flow::assign(rows, &capacity, &arcs);
                assert_eq!(
                    value_of(&tutor_of, &capacity, &arcs),
                    exhaustive(rows, &capacity, &arcs),
                    "{rows} pupils, capacities {capacity:?}, arcs {arcs:?}"
                );
                instances += 1;
            }
        }
    }
    assert_eq!(instances, 9 * 8 * 6);
}

#[test]
fn the_flow_is_optimal_with_scores_too_large_for_32_bit_costs() {
    // Scaled costs beyond `i32::MAX` take the solver's 64-bit path.
    let mut random = Seeded(7);
    for rows in 1..=7 {
        for tutors in 1..=6 {
            let density = 20 + random.below(50);
            let (capacity, arcs) = random_assignment(&mut random, rows, tutors, density, 1 << 40);
            let tutor_of = flow::assign(rows, &capacity, &arcs);
            assert_eq!(
                value_of(&tutor_of, &capacity, &arcs),
                exhaustive(rows, &capacity, &arcs),
                "{rows} pupils, capacities {capacity:?}, arcs {arcs:?}"
            );
        }
    }
}

/// The reference: Kuhn–Munkres (the `pathfinding` crate) on the instance
/// with each tutor repeated once per place and a column "unmatched" per
/// pupil; a pair is worth `B + score`, so the best total is the most
/// pupils, then the best score.
fn kuhn_munkres_value(rows: usize, capacity: &[u32], arcs: &[(usize, usize, i64)]) -> (usize, i64) {
    let big: i64 = 1 + arcs.iter().map(|a| a.2).sum::<i64>();
    let places: Vec<usize> = capacity
        .iter()
        .enumerate()
        .flat_map(|(t, &c)| std::iter::repeat_n(t, c as usize))
        .collect();
    let columns = places.len() + rows;
    let mut weights = Matrix::new(rows, columns, 0_i64);
    for &(p, t, s) in arcs {
        for (column, &owner) in places.iter().enumerate() {
            if owner == t {
                weights[(p, column)] = big + s;
            }
        }
    }
    let (total, _) = kuhn_munkres(&weights);
    ((total / big) as usize, total % big)
}

#[test]
fn the_flow_agrees_with_kuhn_munkres_on_medium_instances() {
    let mut random = Seeded(2027);
    for round in 0..12 {
        let rows = 20 + random.below(40) as usize;
        let tutors = 5 + random.below(25) as usize;
        let density = 5 + random.below(30);
        let scores = [5, 500][round % 2];
        let (capacity, arcs) = random_assignment(&mut random, rows, tutors, density, scores);
        let tutor_of = flow::assign(rows, &capacity, &arcs);
        let value = value_of(&tutor_of, &capacity, &arcs);
        assert_eq!(
            value,
            kuhn_munkres_value(rows, &capacity, &arcs),
            "round {round}"
        );
    }
}

#[test]
fn hopcroft_karp_matches_as_many_pupils_as_the_references() {
    // Small instances against every assignment; medium ones against
    // Kuhn–Munkres: the same number of pupils, within capacities, on
    // feasible pairs only.
    let mut random = Seeded(17);
    for rows in 0..=8 {
        for tutors in 1..=8 {
            for _ in 0..3 {
                let density = 10 + random.below(50);
                let (capacity, arcs) = random_assignment(&mut random, rows, tutors, density, 3);
                let matching = flow::maximum_matching(rows, &capacity, &arcs);
                let (matched, _) = value_of(&matching, &capacity, &arcs);
                assert_eq!(matched, exhaustive(rows, &capacity, &arcs).0, "{arcs:?}");
            }
        }
    }
    for _ in 0..12 {
        let rows = 20 + random.below(60) as usize;
        let tutors = 5 + random.below(30) as usize;
        let density = 2 + random.below(20);
        let (capacity, arcs) = random_assignment(&mut random, rows, tutors, density, 5);
        let matching = flow::maximum_matching(rows, &capacity, &arcs);
        let (matched, _) = value_of(&matching, &capacity, &arcs);
        assert_eq!(matched, kuhn_munkres_value(rows, &capacity, &arcs).0);
    }
}

#[test]
fn arcs_not_grouped_by_pupil_give_the_same_optimum() {
    // The flow reads arcs that come by pupil once, others three times: both
    // ways must give an optimum.
    let mut random = Seeded(31);
    for _ in 0..40 {
        let rows = 2 + random.below(7) as usize;
        let tutors = 1 + random.below(6) as usize;
        let density = 20 + random.below(50);
        let (capacity, mut arcs) = random_assignment(&mut random, rows, tutors, density, 400);
        arcs.reverse();
        let best = exhaustive(rows, &capacity, &arcs);
        let tutor_of = flow::assign(rows, &capacity, &arcs);
        assert_eq!(value_of(&tutor_of, &capacity, &arcs), best, "{arcs:?}");
        let matching = flow::maximum_matching(rows, &capacity, &arcs);
        assert_eq!(value_of(&matching, &capacity, &arcs).0, best.0, "{arcs:?}");
    }
}

#[test]
fn more_pupils_matched_beats_a_higher_score() {
    // Pupil 0 could take tutor 0 alone for 1000, but then pupil 1 (who can
    // only have tutor 0) is left out; two pupils for 2 win.
    let arcs = [(0, 0, 1000), (0, 1, 1), (1, 0, 1)];
    assert_eq!(flow::assign(2, &[1, 1], &arcs), [Some(1), Some(0)]);
}

#[test]
fn the_same_input_gives_the_same_assignment() {
    let mut random = Seeded(11);
    let (capacity, arcs) = random_assignment(&mut random, 40, 15, 30, 3);
    let first = flow::assign(40, &capacity, &arcs);
    for _ in 0..3 {
        assert_eq!(flow::assign(40, &capacity, &arcs), first);
    }
}

// ------------------------------------------------------- candidates, slots

/// The example of the issue: a pupil in Paris (Mon 17:00–19:00), a tutor in
/// Réunion (Mon 20:00–22:30, UTC+4 all year). Paris is UTC+1 until Sunday 28
/// March 2027, UTC+2 after: the tutor's evening is 17:00–19:30 in Paris the
/// first two weeks and 18:00–20:30 the last two. Only 18:00–19:00 fits all
/// four; the score is 100 × 1 subject + 12 days waited.
#[test]
fn the_issue_example_meets_on_monday_at_six_in_paris() {
    let p = pupil(
        1,
        &[10, 11],
        weekly("Europe/Paris", &[(Weekday::Mon, "17:00", "19:00")]),
        12,
    );
    let t = tutor(
        2,
        &[(10, 1), (10, 2)],
        weekly("Indian/Reunion", &[(Weekday::Mon, "20:00", "22:30")]),
    );
    let outcome = solve(&problem(vec![p], vec![t])).expect("valid");
    assert_eq!(outcome.proposals.len(), 1);
    let proposal = &outcome.proposals[0];
    assert_eq!(proposal.subjects, [10]);
    assert_eq!(
        proposal.slot,
        WeeklySlot {
            weekday: Weekday::Mon,
            start: 18 * 60,
            minutes: 60
        }
    );
    assert_eq!(proposal.score.total(), 112);
    assert_eq!(outcome.total_score, 112);
    assert_eq!(outcome.greedy_matched, 1);
}

/// Whether `span` lies inside `availability`, minute by minute with the
/// definition ([`WeeklyAvailability::contains`]): independent of the bit
/// sets.
fn inside_by_minutes(availability: &WeeklyAvailability, span: crate::availability::Span) -> bool {
    let minutes = (span.end - span.start).num_minutes();
    (0..minutes).all(|m| availability.contains(span.start + Duration::minutes(m)))
}

/// Feasibility by the rules read literally, one pair at a time.
fn naive_slot(problem: &Problem, p: &Pupil, t: &Tutor) -> Option<WeeklySlot> {
    for interval in p.availability.intervals() {
        let mut start = interval.from();
        while start + problem.session_minutes <= interval.to() {
            let slot = WeeklySlot {
                weekday: interval.weekday(),
                start,
                minutes: problem.session_minutes,
            };
            let every_week = (0..problem.weeks).all(|week| {
                (0..7).any(|d| {
                    let date = problem.start + Duration::days(i64::from(week) * 7 + d);
                    slot.on(date, p.availability.zone())
                        .is_some_and(|span| inside_by_minutes(&t.availability, span))
                })
            });
            if every_week {
                return Some(slot);
            }
            start += GRAIN_MINUTES;
        }
    }
    None
}

const ZONES: [&str; 4] = [
    "Europe/Paris",
    "Indian/Reunion",
    "America/Martinique",
    "Asia/Kathmandu",
];

fn random_availability(random: &mut Seeded, zone: &str) -> WeeklyAvailability {
    // Two days, one of them the Sunday of the March change, and long
    // stretches at night or in the evening, so that pairs often share a
    // slot and daylight-saving changes matter.
    let count = 1 + random.below(4);
    let intervals: Vec<WeeklyInterval> = (0..count)
        .map(|_| {
            let day = [Weekday::Sun, Weekday::Mon][random.below(2) as usize];
            let from = [0, 2, 16, 19][random.below(4) as usize] * 60 + random.below(4) as u16 * 30;
            let to = (from + 30 * (1 + random.below(12) as u16)).min(24 * 60);
            WeeklyInterval::new(day, from, to).expect("valid")
        })
        .collect();
    WeeklyAvailability::new(parse_zone(zone).expect("zone"), intervals).0
}

fn random_problem(random: &mut Seeded, pupils: usize, tutors: usize) -> Problem {
    let location = |random: &mut Seeded| Location {
        lat: 43.0 + random.below(100) as f64 / 100.0,
        lon: 1.0 + random.below(100) as f64 / 100.0,
    };
    let modes = |random: &mut Seeded| match random.below(3) {
        0 => ONLINE,
        1 => IN_PERSON,
        _ => Modes {
            online: true,
            in_person: true,
        },
    };
    let pupils = (0..pupils)
        .map(|_| {
            let zone = ZONES[random.below(ZONES.len() as u64) as usize];
            let mut subjects: Vec<u16> = (0..1 + random.below(3))
                .map(|_| random.below(4) as u16)
                .collect();
            subjects.dedup();
            Pupil {
                level: random.below(3) as u16,
                subjects,
                availability: random_availability(random, zone),
                waiting_days: random.below(60) as u32,
                priority: random.below(3) as u32 * 10,
                modes: modes(random),
                location: (random.below(4) > 0).then(|| location(random)),
            }
        })
        .collect();
    let tutors = (0..tutors)
        .map(|_| {
            let zone = ZONES[random.below(ZONES.len() as u64) as usize];
            Tutor {
                capacity: 1 + random.below(2) as u32,
                availability: random_availability(random, zone),
                modes: modes(random),
                location: (random.below(4) > 0).then(|| location(random)),
                max_km: (random.below(3) > 0).then(|| random.below(80) as f64),
                covers: (0..1 + random.below(5))
                    .map(|_| (random.below(4) as u16, random.below(3) as u16))
                    .collect(),
            }
        })
        .collect();
    let mut problem = problem(pupils, tutors);
    // Around the March change of Europe/Paris, some runs.
    problem.start = NaiveDate::from_ymd_opt(2027, 3, 10 + random.below(15) as u32).expect("date");
    problem.weeks = 1 + random.below(4) as u32;
    problem.session_minutes = 30 * (1 + random.below(3) as u16);
    problem
}

#[test]
fn candidates_are_the_pairs_the_rules_allow() {
    let mut random = Seeded(5);
    let mut feasible = 0;
    for _ in 0..8 {
        let problem = random_problem(&mut random, 12, 10);
        let candidates = Candidates::generate(&problem);
        for (pi, p) in problem.pupils.iter().enumerate() {
            let expected: Vec<(usize, u8, WeeklySlot)> = problem
                .tutors
                .iter()
                .enumerate()
                .filter_map(|(ti, t)| {
                    let covered = p
                        .subjects
                        .iter()
                        .filter(|&&s| t.covers.contains(&(s, p.level)))
                        .count() as u8;
                    let online = p.modes.online && t.modes.online;
                    let in_person = p.modes.in_person
                        && t.modes.in_person
                        && match (p.location, t.location, t.max_km) {
                            (Some(a), Some(b), Some(max)) => haversine_km(a, b) <= max,
                            _ => false,
                        };
                    if covered == 0 || !(online || in_person) {
                        return None;
                    }
                    naive_slot(&problem, p, t).map(|slot| (ti, covered, slot))
                })
                .collect();
            let found: Vec<(usize, u8, WeeklySlot)> = candidates
                .of_pupil(pi)
                .iter()
                .map(|c| (c.tutor, c.covered, c.slot))
                .collect();
            assert_eq!(found, expected, "pupil {pi} of {problem:?}");
            feasible += found.len();
        }
    }
    // The instances are not all empty.
    assert!(feasible > 40, "{feasible} feasible pairs");
}

#[test]
fn the_solver_beats_or_equals_greedy_and_every_pupil_left_out_has_a_reason() {
    let mut random = Seeded(8);
    for _ in 0..6 {
        let problem = random_problem(&mut random, 14, 8);
        let outcome = solve(&problem).expect("valid");
        let candidates = Candidates::generate(&problem);
        assert!(outcome.proposals.len() >= outcome.greedy_matched);
        assert_eq!(
            outcome.proposals.len() + outcome.unmatched.len(),
            problem.pupils.len()
        );
        for unmatched in &outcome.unmatched {
            let funnel = Candidates::funnel(&problem, unmatched.pupil);
            let expected = if funnel.covering.is_empty() {
                Reason::NoTutorForSubject
            } else if funnel.with_mode.is_empty() {
                Reason::NoCompatibleMode
            } else if candidates.of_pupil(unmatched.pupil).is_empty() {
                Reason::NoSharedSlot
            } else {
                Reason::TutorsFull
            };
            assert_eq!(unmatched.reason, expected);
            if expected == Reason::TutorsFull {
                // Every feasible tutor is full in the optimum.
                for c in candidates.of_pupil(unmatched.pupil) {
                    let load = outcome
                        .proposals
                        .iter()
                        .filter(|p| p.tutor == c.tutor)
                        .count();
                    assert_eq!(load, problem.tutors[c.tutor].capacity as usize);
                }
            }
        }
    }
}

#[test]
fn greedy_can_leave_out_a_pupil_the_optimum_matches() {
    let evening = || weekly("Europe/Paris", &[(Weekday::Tue, "18:00", "20:00")]);
    // Pupil 0 waited longest and takes tutor 0 first, who is the only one
    // pupil 1 can have; the optimum gives pupil 0 tutor 1.
    let pupils = vec![pupil(0, &[0], evening(), 30), pupil(0, &[1], evening(), 2)];
    let tutors = vec![
        tutor(1, &[(0, 0), (1, 0)], evening()),
        tutor(1, &[(0, 0)], evening()),
    ];
    let outcome = solve(&problem(pupils, tutors)).expect("valid");
    assert_eq!(outcome.greedy_matched, 1);
    let pairs: Vec<(usize, usize)> = outcome
        .proposals
        .iter()
        .map(|p| (p.pupil, p.tutor))
        .collect();
    assert_eq!(pairs, [(0, 1), (1, 0)]);
    assert_eq!(outcome.total_score, 130 + 102);
}

#[test]
fn each_reason_is_given_where_it_first_holds() {
    let evening = || weekly("Europe/Paris", &[(Weekday::Tue, "18:00", "20:00")]);
    let toulouse = Location {
        lat: 43.6045,
        lon: 1.4440,
    };
    let albi = Location {
        lat: 43.9289,
        lon: 2.1464,
    };
    let mut in_person_pupil = pupil(0, &[1], evening(), 0);
    in_person_pupil.modes = IN_PERSON;
    in_person_pupil.location = Some(albi);
    let pupils = vec![
        pupil(0, &[5], evening(), 0), // nobody teaches subject 5
        in_person_pupil,              // subject 1: the tutor is 65 km away
        pupil(0, &[2], evening(), 0), // subject 2: only in the morning
        pupil(0, &[0], evening(), 3), // subject 0: one place, two pupils
        pupil(0, &[0], evening(), 9),
    ];
    let mut far = tutor(3, &[(1, 0)], evening());
    far.modes = IN_PERSON;
    far.location = Some(toulouse);
    far.max_km = Some(50.0);
    let morning_tutor = tutor(
        1,
        &[(2, 0)],
        weekly("Europe/Paris", &[(Weekday::Tue, "08:00", "18:30")]),
    );
    let tutors = vec![far, morning_tutor, tutor(1, &[(0, 0)], evening())];
    let outcome = solve(&problem(pupils, tutors)).expect("valid");
    let reasons: Vec<(usize, Reason)> = outcome
        .unmatched
        .iter()
        .map(|u| (u.pupil, u.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (0, Reason::NoTutorForSubject),
            (1, Reason::NoCompatibleMode),
            (2, Reason::NoSharedSlot),
            (3, Reason::TutorsFull),
        ]
    );
    // The pupil who waited longer has the place.
    assert_eq!(outcome.proposals[0].pupil, 4);
    // The morning tutor shares 18:00–18:30 on Tuesday: 30 minutes short.
    assert_eq!(
        outcome.unmatched[2].nearest,
        [Near {
            tutor: 1,
            longest: Some(WeeklySlot {
                weekday: Weekday::Tue,
                start: 18 * 60,
                minutes: 30
            }),
            missing_minutes: 30
        }]
    );
}

#[test]
fn fixed_pairs_are_kept_and_excluded_pairs_never_proposed() {
    let evening = || weekly("Europe/Paris", &[(Weekday::Tue, "18:00", "20:00")]);
    let pupils = vec![pupil(0, &[0], evening(), 10), pupil(0, &[0], evening(), 5)];
    let tutors = vec![
        tutor(1, &[(0, 0)], evening()),
        tutor(1, &[(0, 0)], evening()),
    ];
    let mut run = problem(pupils, tutors);
    run.excluded = vec![(0, 0)];
    run.fixed = vec![(1, 1)];
    let outcome = solve(&run).expect("valid");
    // Pupil 1 keeps tutor 1, so pupil 0 (who may not have tutor 0) is left.
    assert_eq!(outcome.proposals.len(), 1);
    assert!(outcome.proposals[0].fixed);
    assert_eq!(outcome.unmatched[0].reason, Reason::TutorsFull);
    run.fixed = vec![(0, 0)];
    assert_eq!(solve(&run), Err(ProblemError::FixedInfeasible(0, 0)));
    run.fixed = Vec::new();
    run.session_minutes = 45;
    assert_eq!(solve(&run), Err(ProblemError::SessionLength));
}

#[test]
fn distances_are_great_circle_ones() {
    // One degree of a great circle is 2πR / 360.
    let one_degree = 2.0 * std::f64::consts::PI * EARTH_RADIUS_KM / 360.0;
    let a = Location {
        lat: 0.0,
        lon: 10.0,
    };
    let b = Location {
        lat: 0.0,
        lon: 11.0,
    };
    assert!((haversine_km(a, b) - one_degree).abs() < 1e-9);
    let north = Location {
        lat: 90.0,
        lon: 0.0,
    };
    let south = Location {
        lat: -90.0,
        lon: 45.0,
    };
    assert!((haversine_km(north, south) - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
}

#[test]
fn candidates_are_the_same_on_any_number_of_threads() {
    // Blocks of at least MIN_BLOCK pupils: 2.5 blocks' worth gives three
    // threads work, the last block shorter.
    let pupils = candidates::MIN_BLOCK * 5 / 2;
    let problem = generate::instance(pupils, 120, 9);
    let alone = Candidates::generate_in(&problem, 1);
    assert!(alone.len() > pupils, "a pool with pairs to compare");
    for threads in [2, 3, 8] {
        let shared = Candidates::generate_in(&problem, threads);
        for p in 0..pupils {
            assert_eq!(
                shared.of_pupil(p),
                alone.of_pupil(p),
                "pupil {p}, {threads} threads"
            );
        }
    }
}
