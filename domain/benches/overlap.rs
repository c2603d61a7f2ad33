//! How long the overlap and recurring-slot queries take, for the matching
//! to come: one pupil against many tutors, over four weeks that hold the
//! March change of Europe/Paris.
//!
//! Run with `cargo bench -p domain --bench overlap`. Prints the median of
//! 15 rounds per query, in microseconds per pupil–tutor pair: computed from
//! the weekly availabilities for each pair, and from spans computed once
//! per person (what matching many pairs should do).

#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use domain::availability::{
    intersect, overlap, parse_zone, recurring_slots, recurring_slots_within, slot_range, Span,
    WeeklyAvailability, WeeklyInterval, WEEKDAYS,
};

const TUTORS: usize = 1000;
const ROUNDS: usize = 15;

fn weekly(zone: &str, intervals: &[(Weekday, u16, u16)]) -> WeeklyAvailability {
    let zone = parse_zone(zone).expect("a zone");
    let intervals = intervals
        .iter()
        .map(|&(day, from, to)| WeeklyInterval::new(day, from, to).expect("valid"));
    WeeklyAvailability::new(zone, intervals).0
}

/// Tutors with three evenings each, spread over the week and over the
/// zones of the académies.
fn tutors() -> Vec<WeeklyAvailability> {
    let zones = [
        "Europe/Paris",
        "Indian/Reunion",
        "America/Cayenne",
        "America/Martinique",
    ];
    (0..TUTORS)
        .map(|i| {
            let day = |k: usize| WEEKDAYS[(i + k * 2) % 7];
            let start = u16::try_from(16 + i % 5).unwrap_or(16) * 60;
            weekly(
                zones[i % zones.len()],
                &[
                    (day(0), start, start + 120),
                    (day(1), start + 30, start + 150),
                    (day(2), 600, 720),
                ],
            )
        })
        .collect()
}

fn median_micros_per_pair(mut run: impl FnMut() -> usize) -> f64 {
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            black_box(run());
            started.elapsed().as_secs_f64() * 1e6 / TUTORS as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[ROUNDS / 2]
}

fn main() {
    let pupil = weekly(
        "Europe/Paris",
        &[
            (Weekday::Tue, 1080, 1200),
            (Weekday::Thu, 1080, 1170),
            (Weekday::Sat, 600, 720),
        ],
    );
    let tutors = tutors();
    let start: DateTime<Utc> = "2027-03-22T00:00:00Z".parse().expect("an instant");
    let range = Span::new(start, start + chrono::Duration::weeks(4));
    let first_day = NaiveDate::from_ymd_opt(2027, 3, 22).expect("a date");

    let spans = median_micros_per_pair(|| {
        tutors
            .iter()
            .map(|tutor| overlap(&pupil, tutor, range).len())
            .sum()
    });
    let slots = median_micros_per_pair(|| {
        tutors
            .iter()
            .map(|tutor| recurring_slots(&pupil, tutor, first_day, 4, 60).len())
            .sum()
    });
    // Spans once per person, then only intersections per pair.
    let period = slot_range(pupil.zone(), first_day, 4);
    let pupil_spans = pupil.spans(period);
    let tutor_spans: Vec<Vec<Span>> = tutors.iter().map(|t| t.spans(period)).collect();
    let slots_within = median_micros_per_pair(|| {
        tutor_spans
            .iter()
            .map(|spans| {
                let shared = intersect(&pupil_spans, spans);
                recurring_slots_within(&pupil, &shared, first_day, 4, 60).len()
            })
            .sum()
    });
    let spans_once = median_micros_per_pair(|| tutors.iter().map(|t| t.spans(period).len()).sum());
    println!("per pair, overlap over 4 weeks:             {spans:.1} µs");
    println!("per pair, recurring 60-min slots, 4 weeks:  {slots:.1} µs");
    println!("per tutor, spans over the period (once):    {spans_once:.1} µs");
    println!("per pair, slots from precomputed spans:     {slots_within:.1} µs");
    println!("({TUTORS} tutors, median of {ROUNDS} rounds)");
}
