//! Weekly slots as bit sets, so that whether a pupil and a tutor share a
//! slot is a handful of AND instructions.
//!
//! A slot is a start on the 30-minute grain of a pupil-local week: index
//! `weekday × 48 + start / 30`, Monday first, so 336 of them. For a session
//! of `m` minutes:
//!
//! - [`SlotSet::pupil`] holds the slots whose `[start, start + m)` lies
//!   inside the pupil's availability that weekday (local time only);
//! - [`ZoneWeeks::tutor`] holds, for pupils of one zone, the slots whose
//!   concrete occurrence in each of the weeks lies inside the tutor's
//!   availability (read in the tutor's zone). A slot whose local start
//!   does not exist some week (skipped by a daylight-saving change) is in
//!   no tutor's set.
//!
//! A pair shares a slot when the AND of the two sets is not empty; the
//! first bit is the slot proposed.

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;

use crate::availability::{
    local_midnight_utc, Offsets, Span, WeeklyAvailability, WeeklySlot, GRAIN_MINUTES, WEEKDAYS,
};

/// Slots in a week: 7 days × 48 starts.
pub const SLOTS: usize = 7 * 48;
const WORDS: usize = SLOTS.div_ceil(64);
const PER_DAY: usize = 48;

/// A set of weekly slot starts (see the module's documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SlotSet([u64; WORDS]);

impl SlotSet {
    pub fn insert(&mut self, slot: usize) {
        self.0[slot / 64] |= 1 << (slot % 64);
    }

    pub fn contains(&self, slot: usize) -> bool {
        self.0[slot / 64] & (1 << (slot % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The slots in both.
    pub fn and(&self, other: &SlotSet) -> SlotSet {
        let mut out = [0; WORDS];
        for (o, (a, b)) in out.iter_mut().zip(self.0.iter().zip(&other.0)) {
            *o = a & b;
        }
        SlotSet(out)
    }

    /// The smallest slot of both sets, without building the intersection.
    pub fn first_shared(&self, other: &SlotSet) -> Option<usize> {
        self.0
            .iter()
            .zip(&other.0)
            .enumerate()
            .find_map(|(i, (a, b))| {
                let both = a & b;
                (both != 0).then(|| i * 64 + both.trailing_zeros() as usize)
            })
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..SLOTS).filter(|&s| self.contains(s))
    }

    /// The slots whose session of `minutes` lies inside `availability`'s
    /// interval of that weekday, read as local time.
    pub fn pupil(availability: &WeeklyAvailability, minutes: u16) -> SlotSet {
        let mut set = SlotSet::default();
        for interval in availability.intervals() {
            let day = interval.weekday().num_days_from_monday() as usize;
            let mut start = interval.from();
            while u32::from(start) + u32::from(minutes) <= u32::from(interval.to()) {
                set.insert(day * PER_DAY + usize::from(start / GRAIN_MINUTES));
                start += GRAIN_MINUTES;
            }
        }
        set
    }
}

/// The slot of index `slot` as a [`WeeklySlot`] of `minutes` minutes.
pub fn weekly_slot(slot: usize, minutes: u16) -> WeeklySlot {
    WeeklySlot {
        weekday: WEEKDAYS[slot / PER_DAY],
        start: (slot % PER_DAY) as u16 * GRAIN_MINUTES,
        minutes,
    }
}

/// The concrete occurrences of every slot of one pupil zone over the
/// weeks: per week, `(start, end, slot)` in seconds since the epoch,
/// sorted by start.
#[derive(Clone, Debug)]
pub struct ZoneWeeks {
    zone: Tz,
    weeks: Vec<Vec<(i64, i64, u16)>>,
    /// The instants any occurrence may take.
    range: Span,
}

impl ZoneWeeks {
    /// The occurrences in `zone` of sessions of `minutes` minutes, week `k`
    /// holding the local dates `first_day + 7k` … `first_day + 7k + 6`.
    pub fn new(zone: Tz, first_day: NaiveDate, weeks: u32, minutes: u16) -> ZoneWeeks {
        let mut all = Vec::with_capacity(weeks as usize);
        for week in 0..weeks {
            let mut occurrences = Vec::with_capacity(SLOTS);
            for offset in 0..7 {
                let date = first_day + Duration::days(i64::from(week) * 7 + offset);
                let day = date.weekday().num_days_from_monday() as usize;
                for index in 0..PER_DAY {
                    let slot = day * PER_DAY + index;
                    if let Some(span) = weekly_slot(slot, minutes).on(date, zone) {
                        occurrences.push((
                            span.start.timestamp(),
                            span.end.timestamp(),
                            slot as u16,
                        ));
                    }
                }
            }
            occurrences.sort_unstable();
            all.push(occurrences);
        }
        let start = local_midnight_utc(zone, first_day) - Duration::days(1);
        let end = local_midnight_utc(zone, first_day + Duration::weeks(i64::from(weeks)))
            + Duration::days(2);
        ZoneWeeks {
            zone,
            weeks: all,
            range: Span::new(start, end),
        }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The range of instants a tutor's spans must cover for [`Self::tutor`].
    pub fn range(&self) -> Span {
        self.range
    }

    /// The slots whose occurrence lies inside `spans` (sorted, merged UTC
    /// spans covering [`Self::range`]) every week.
    pub fn tutor(&self, spans: &[(i64, i64)]) -> SlotSet {
        let mut every = None::<SlotSet>;
        for occurrences in &self.weeks {
            let mut week = SlotSet::default();
            // Only the spans that can hold an occurrence of this week: those
            // ending after its first start and starting before its last.
            let (Some(earliest), Some(latest)) = (occurrences.first(), occurrences.last()) else {
                return SlotSet::default();
            };
            let first_span = spans.partition_point(|s| s.1 <= earliest.0);
            let last_span = first_span + spans[first_span..].partition_point(|s| s.0 <= latest.0);
            for &(from, to) in &spans[first_span..last_span] {
                let first = occurrences.partition_point(|o| o.0 < from);
                for &(start, end, slot) in &occurrences[first..] {
                    if start >= to {
                        break;
                    }
                    if end <= to {
                        week.insert(usize::from(slot));
                    }
                }
            }
            every = Some(match every {
                Some(set) => set.and(&week),
                None => week,
            });
        }
        every.unwrap_or_default()
    }
}

/// [`spans_seconds`] over the range `offsets` was made for, with its
/// offsets (see [`WeeklyAvailability::spans_over`]).
pub fn spans_seconds_over(availability: &WeeklyAvailability, offsets: &Offsets) -> Vec<(i64, i64)> {
    availability
        .spans_over(offsets)
        .into_iter()
        .map(|s| (s.start.timestamp(), s.end.timestamp()))
        .collect()
}

/// A tutor's availability as sorted, merged spans in seconds since the
/// epoch, over `range`.
pub fn spans_seconds(availability: &WeeklyAvailability, range: Span) -> Vec<(i64, i64)> {
    availability
        .spans(range)
        .into_iter()
        .map(|s| (s.start.timestamp(), s.end.timestamp()))
        .collect()
}

/// The smallest span holding both.
pub fn hull(a: Span, b: Span) -> Span {
    Span::new(a.start.min(b.start), a.end.max(b.end))
}
