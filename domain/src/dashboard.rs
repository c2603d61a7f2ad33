//! The coordinator's dashboard (issue 8, part 5): what the pairs of a
//! scope add up to, in total, per school and per subject.
//!
//! The figures, and what each one counts:
//!
//! - **Pupils waiting**: open requests without an active pair (a pending
//!   proposal still waits for its tutor's answer; a pupil still missing
//!   her parent's consent or her availability waits too). **Median wait**: the
//!   median of their whole days since their place on the waiting list.
//! - **Active pairs**: pairs not ended.
//! - **Sessions held / missed**, this week and this school year, by each
//!   session's local date in its pair's zone. A session has *ended*,
//!   was neither cancelled nor skipped, and is
//!   - *held* when a side said it took place and neither said it did not
//!     (as for the volunteer attestation, [`crate::attestation`]);
//!   - *missed* when a side said it did not take place.
//!
//!   A session nobody answered about is neither.
//! - **Volunteer hours**: the length of the sessions held this school year.
//! - **Average rating**: the mean of both sides' ratings of the sessions
//!   held this school year.
//! - **Change in confidence**: for each pair with at least two answers of
//!   its pupil this school year, her last confidence (1–5) minus her
//!   first, in the order of the sessions; the mean over those pairs.
//! - **Days to a first session**: for each pair whose first held session
//!   falls this school year, the whole days from the pupil's place on the
//!   waiting list to its start; the median.
//!
//! The *week* is the ISO 8601 week (Monday to Sunday) holding `today`; the
//! *school year* runs from 1 September to 31 August. A pair (and its
//! sessions) counts for its pupil's school and for each subject its tutor
//! covers; a waiting pupil for each subject she asked for. So the subject
//! rows may add up to more than the total.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

/// A pupil waiting for a tutor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// Her school (UAI).
    pub school: String,
    /// The subjects she asked for (codes).
    pub subjects: Vec<String>,
    /// Her place on the waiting list.
    pub requested_at: DateTime<Utc>,
}

/// A pair, active or ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub id: i64,
    /// The pupil's school (UAI).
    pub school: String,
    /// The subjects the tutor covers (codes).
    pub subjects: Vec<String>,
    pub active: bool,
    /// The pupil's place on the waiting list when the pair began; `None`
    /// when not known (pairs made before it was kept).
    pub requested_at: Option<DateTime<Utc>>,
}

/// A session of a pair that has ended, neither cancelled nor skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Its pair's [`Pair::id`].
    pub pair: i64,
    /// Its local date, in the pair's zone.
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    /// Its length, in minutes.
    pub minutes: u32,
    /// Each side's answer: `Some(true)` took place, `Some(false)` did not,
    /// `None` no answer.
    pub answers: Vec<Option<bool>>,
    /// The sides' ratings, 1–5.
    pub ratings: Vec<u8>,
    /// The pupil's confidence after it, 1–5.
    pub confidence: Option<u8>,
}

impl Session {
    /// A side said it took place and neither said it did not.
    pub fn held(&self) -> bool {
        crate::feedback::held(&self.answers)
    }

    /// A side said it did not take place.
    pub fn missed(&self) -> bool {
        crate::feedback::missed(&self.answers)
    }
}

/// The figures of one scope (the total, a school, or a subject).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub waiting: u32,
    /// Whole days; `None` when nobody waits.
    pub median_wait_days: Option<f64>,
    pub active_pairs: u32,
    pub held_this_week: u32,
    pub missed_this_week: u32,
    pub held_this_year: u32,
    pub missed_this_year: u32,
    /// Length of the sessions held this school year, in minutes.
    pub volunteer_minutes: u32,
    /// 1–5; `None` without a rating.
    pub average_rating: Option<f64>,
    /// How many ratings [`average_rating`](Self::average_rating) averages.
    pub ratings: u32,
    /// Points on the 1–5 scale (−4 to 4); `None` without a pair with two
    /// answers.
    pub confidence_change: Option<f64>,
    /// Whole days; `None` without a first session this school year.
    pub median_days_to_first_session: Option<f64>,
}

/// Sessions held and missed in one week of the school year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Week {
    /// Its Monday.
    pub monday: NaiveDate,
    pub held: u32,
    pub missed: u32,
}

/// The whole dashboard.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dashboard {
    pub total: Figures,
    /// By school (UAI), only schools with a waiting pupil or a pair.
    pub schools: BTreeMap<String, Figures>,
    /// By subject code, only subjects with a waiting pupil or a pair.
    pub subjects: BTreeMap<String, Figures>,
    /// Each week of the school year up to this one, oldest first (total).
    pub weeks: Vec<Week>,
}

/// The first day of the school year holding `today` (1 September).
pub fn school_year_start(today: NaiveDate) -> NaiveDate {
    let year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(today)
}

/// The Monday of the ISO 8601 week holding `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The median of `values`: the middle one, or the mean of the two middle
/// ones; `None` when empty.
pub fn median(values: &mut [i64]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return None;
    }
    let middle = |i: usize| values[i] as f64;
    Some(if n % 2 == 1 {
        middle(n / 2)
    } else {
        (middle(n / 2 - 1) + middle(n / 2)) / 2.0
    })
}

fn mean(sum: i64, count: u32) -> Option<f64> {
    (count > 0).then(|| sum as f64 / f64::from(count))
}

/// Sums of one scope, before medians and means.
#[derive(Default)]
struct Tally {
    waits: Vec<i64>,
    active_pairs: u32,
    held_this_week: u32,
    missed_this_week: u32,
    held_this_year: u32,
    missed_this_year: u32,
    volunteer_minutes: u32,
    rating_sum: i64,
    ratings: u32,
    confidence_sum: i64,
    confidence_pairs: u32,
    to_first_session: Vec<i64>,
}

impl Tally {
    fn figures(mut self) -> Figures {
        Figures {
            waiting: u32::try_from(self.waits.len()).unwrap_or(u32::MAX),
            median_wait_days: median(&mut self.waits),
            active_pairs: self.active_pairs,
            held_this_week: self.held_this_week,
            missed_this_week: self.missed_this_week,
            held_this_year: self.held_this_year,
            missed_this_year: self.missed_this_year,
            volunteer_minutes: self.volunteer_minutes,
            average_rating: mean(self.rating_sum, self.ratings),
            ratings: self.ratings,
            confidence_change: mean(self.confidence_sum, self.confidence_pairs),
            median_days_to_first_session: median(&mut self.to_first_session),
        }
    }
}

/// The tallies a fact adds to: the total, its school, its subjects.
struct Tallies {
    total: Tally,
    schools: BTreeMap<String, Tally>,
    subjects: BTreeMap<String, Tally>,
}

impl Tallies {
    fn each(&mut self, school: &str, subjects: &[String], mut add: impl FnMut(&mut Tally)) {
        add(&mut self.total);
        add(self.schools.entry(school.to_owned()).or_default());
        for subject in subjects {
            add(self.subjects.entry(subject.clone()).or_default());
        }
    }
}

fn whole_days(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_days().max(0)
}

/// The dashboard of `waiting`, `pairs` and their ended `sessions`, at
/// `now`, `today` being the coordinator's local date. Sessions of a pair
/// not in `pairs` are ignored.
pub fn compute(
    waiting: &[Waiting],
    pairs: &[Pair],
    sessions: &[Session],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Dashboard {
    let year_start = school_year_start(today);
    let this_week = monday_of(today);
    let mut tallies = Tallies {
        total: Tally::default(),
        schools: BTreeMap::new(),
        subjects: BTreeMap::new(),
    };
    for pupil in waiting {
        let days = whole_days(pupil.requested_at, now);
        tallies.each(&pupil.school, &pupil.subjects, |t| t.waits.push(days));
    }
    let by_id: HashMap<i64, &Pair> = pairs.iter().map(|p| (p.id, p)).collect();
    for pair in pairs.iter().filter(|p| p.active) {
        tallies.each(&pair.school, &pair.subjects, |t| t.active_pairs += 1);
    }
    // Each pair's sessions in order, for its first held session and its
    // pupil's first and last confidence.
    let mut ordered: Vec<&Session> = sessions
        .iter()
        .filter(|s| by_id.contains_key(&s.pair))
        .collect();
    ordered.sort_by_key(|s| (s.pair, s.starts_at));
    let mut weeks: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
    let mut monday = monday_of(year_start);
    while monday <= this_week {
        weeks.insert(monday, (0, 0));
        monday = monday + Days::new(7);
    }
    let mut first_held: HashMap<i64, &Session> = HashMap::new();
    let mut confidence: HashMap<i64, (u8, u8, u32)> = HashMap::new();
    for session in &ordered {
        let pair = by_id[&session.pair];
        let (held, missed) = (session.held(), session.missed());
        if held {
            first_held.entry(pair.id).or_insert(session);
        }
        // The week holding 1 September begins in the school year before.
        let in_week = (this_week..=today).contains(&session.date);
        let in_year = (year_start..=today).contains(&session.date);
        if !in_week && !in_year {
            continue;
        }
        tallies.each(&pair.school, &pair.subjects, |t| {
            if held && in_week {
                t.held_this_week += 1;
            }
            if missed && in_week {
                t.missed_this_week += 1;
            }
            if held && in_year {
                t.held_this_year += 1;
                t.volunteer_minutes += session.minutes;
                t.rating_sum += session.ratings.iter().map(|&r| i64::from(r)).sum::<i64>();
                t.ratings += u32::try_from(session.ratings.len()).unwrap_or(0);
            }
            if missed && in_year {
                t.missed_this_year += 1;
            }
        });
        if !in_year {
            continue;
        }
        if let Some(week) = weeks.get_mut(&monday_of(session.date)) {
            week.0 += u32::from(held);
            week.1 += u32::from(missed);
        }
        if let (true, Some(level)) = (held, session.confidence) {
            let entry = confidence.entry(pair.id).or_insert((level, level, 0));
            entry.1 = level;
            entry.2 += 1;
        }
    }
    for (id, session) in first_held {
        let pair = by_id[&id];
        if let (Some(requested_at), true) = (
            pair.requested_at,
            (year_start..=today).contains(&session.date),
        ) {
            let days = whole_days(requested_at, session.starts_at);
            tallies.each(&pair.school, &pair.subjects, |t| {
                t.to_first_session.push(days);
            });
        }
    }
    for (id, (first, last, answers)) in confidence {
        if answers >= 2 {
            let pair = by_id[&id];
            let change = i64::from(last) - i64::from(first);
            tallies.each(&pair.school, &pair.subjects, |t| {
                t.confidence_sum += change;
                t.confidence_pairs += 1;
            });
        }
    }
    Dashboard {
        total: tallies.total.figures(),
        schools: tallies
            .schools
            .into_iter()
            .map(|(k, t)| (k, t.figures()))
            .collect(),
        subjects: tallies
            .subjects
            .into_iter()
            .map(|(k, t)| (k, t.figures()))
            .collect(),
        weeks: weeks
            .into_iter()
            .map(|(monday, (held, missed))| Week {
                monday,
                held,
                missed,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;
