//! Seeded instances that look like a real pool, for the benchmarks and
//! the demo: most pupils ask for mathematics or physics–chemistry, most
//! people are free on weekday evenings and Wednesday afternoons, a few
//! live in Réunion or the Antilles, most accept online sessions, and tutors
//! take one to three pupils.
//!
//! Niveaux are numbered 0 (seconde) to 4 (terminale technologique) on two
//! ladders; subjects 0 to 11, the first ones the most asked for. A tutor
//! teaching a subject up to a niveau covers the niveaux of its ladder up to
//! it, as the curriculum rule does.

use chrono::{NaiveDate, Weekday};

use super::{Location, Modes, Problem, Pupil, Tutor, Weights};
use crate::availability::{parse_zone, WeeklyAvailability, WeeklyInterval};

/// A small seeded generator (SplitMix64, Steele, Lea and Flood, OOPSLA
/// 2014): the same seed gives the same instance everywhere.
#[derive(Clone, Debug)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut draw = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if draw < w {
                return i;
            }
            draw -= w;
        }
        weights.len() - 1
    }
}

/// Niveaux: 0 seconde (both ladders), 1–2 première and terminale
/// générales, 3–4 première and terminale technologiques.
const LADDERS: [&[u16]; 2] = [&[0, 1, 2], &[0, 3, 4]];
/// How often each niveau asks, and each subject.
const LEVEL_WEIGHTS: [u64; 5] = [35, 25, 20, 10, 10];
const SUBJECT_WEIGHTS: [u64; 12] = [40, 18, 10, 8, 6, 5, 4, 3, 2, 2, 1, 1];
const ZONES: [(&str, u64); 4] = [
    ("Europe/Paris", 92),
    ("Indian/Reunion", 4),
    ("America/Martinique", 2),
    ("America/Cayenne", 2),
];
/// Around Toulouse.
const CENTRE: Location = Location {
    lat: 43.6045,
    lon: 1.4440,
};

/// An instance of `pupils` pupils and `tutors` tutors from `seed`, starting
/// on Monday 15 March 2027 (four weeks that hold the March change of
/// Europe/Paris).
pub fn instance(pupils: usize, tutors: usize, seed: u64) -> Problem {
    let mut random = SplitMix64(seed);
    let pupils = (0..pupils).map(|_| pupil(&mut random)).collect();
    let tutors = (0..tutors).map(|_| tutor(&mut random)).collect();
    Problem {
        pupils,
        tutors,
        start: NaiveDate::from_ymd_opt(2027, 3, 15).expect("a date"),
        weeks: 4,
        session_minutes: 60,
        weights: Weights::default(),
        excluded: Vec::new(),
        fixed: Vec::new(),
    }
}

fn zone(random: &mut SplitMix64) -> chrono_tz::Tz {
    let weights: Vec<u64> = ZONES.iter().map(|z| z.1).collect();
    parse_zone(ZONES[random.weighted(&weights)].0).expect("a zone")
}

fn modes(random: &mut SplitMix64) -> Modes {
    match random.weighted(&[30, 10, 60]) {
        0 => Modes {
            online: true,
            in_person: false,
        },
        1 => Modes {
            online: false,
            in_person: true,
        },
        _ => Modes {
            online: true,
            in_person: true,
        },
    }
}

fn location(random: &mut SplitMix64) -> Location {
    // Within about ±0.9° of the centre: 100 km or so.
    Location {
        lat: CENTRE.lat + (random.below(1800) as f64 - 900.0) / 1000.0,
        lon: CENTRE.lon + (random.below(1800) as f64 - 900.0) / 1000.0,
    }
}

/// Two to four stretches on school-week evenings, Wednesday afternoon or
/// Saturday morning.
fn availability(random: &mut SplitMix64) -> WeeklyAvailability {
    let count = 2 + random.below(3);
    let intervals: Vec<WeeklyInterval> = (0..count)
        .map(|_| {
            let (day, from, longest) = match random.weighted(&[70, 15, 15]) {
                0 => {
                    let day = [Weekday::Mon, Weekday::Tue, Weekday::Thu, Weekday::Fri]
                        [random.below(4) as usize];
                    (day, 17 * 60 + random.below(6) as u16 * 30, 6)
                }
                1 => (Weekday::Wed, 13 * 60 + random.below(8) as u16 * 30, 8),
                _ => (Weekday::Sat, 9 * 60 + random.below(6) as u16 * 30, 6),
            };
            let to = from + 30 * (2 + random.below(longest) as u16);
            WeeklyInterval::new(day, from, to).expect("an evening interval")
        })
        .collect();
    WeeklyAvailability::new(zone(random), intervals).0
}

fn pupil(random: &mut SplitMix64) -> Pupil {
    let level = random.weighted(&LEVEL_WEIGHTS) as u16;
    let mut subjects: Vec<u16> = Vec::new();
    for _ in 0..1 + random.weighted(&[60, 30, 10]) {
        let subject = random.weighted(&SUBJECT_WEIGHTS) as u16;
        if !subjects.contains(&subject) {
            subjects.push(subject);
        }
    }
    let modes = modes(random);
    Pupil {
        level,
        subjects,
        availability: availability(random),
        waiting_days: random.below(120) as u32,
        priority: if random.below(5) == 0 {
            random.below(101) as u32
        } else {
            0
        },
        modes,
        location: Some(location(random)),
    }
}

fn tutor(random: &mut SplitMix64) -> Tutor {
    let mut covers = Vec::new();
    for _ in 0..1 + random.weighted(&[50, 35, 15]) {
        let subject = random.weighted(&SUBJECT_WEIGHTS) as u16;
        let ladder = LADDERS[random.below(2) as usize];
        let up_to = 1 + random.below(ladder.len() as u64 - 1) as usize;
        for &level in &ladder[..=up_to] {
            if !covers.contains(&(subject, level)) {
                covers.push((subject, level));
            }
        }
    }
    let modes = modes(random);
    Tutor {
        capacity: 1 + random.weighted(&[45, 35, 15, 5]) as u32,
        availability: availability(random),
        modes,
        location: Some(location(random)),
        max_km: Some(5.0 + random.below(26) as f64),
        covers,
    }
}
