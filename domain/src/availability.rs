//! Weekly availability in a local time zone, and what two availabilities
//! share as concrete instants.
//!
//! A [`WeeklyAvailability`] is a set of recurring weekly intervals of local
//! time (`[from, to)`, on a 30-minute grain, never across midnight) in an
//! IANA time zone. It means every instant whose local wall-clock time, on
//! that local weekday, falls in one of the intervals. So a local time that a
//! daylight-saving change skips is not available at all, and one that the
//! change repeats is available both times (see [`WeeklyAvailability::contains`]).
//!
//! [`WeeklyAvailability::spans`] turns that definition into UTC instants over
//! a range, [`overlap`] intersects two of them (in different zones), and
//! [`recurring_slots`] answers the question matching asks: which sessions of
//! a given length, fixed in the pupil's local time, lie inside both
//! availabilities every week of a period.
//!
//! Time zones come from the IANA time zone database (through `chrono-tz`);
//! offsets are resolved to the second.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike,
    Utc, Weekday,
};
use chrono_tz::Tz;

/// The grain of every interval bound and slot start, in minutes.
pub const GRAIN_MINUTES: u16 = 30;

/// Minutes in a day: the largest `to` (24:00).
pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// The seven weekdays, Monday first (ISO 8601 order).
pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Why an interval is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    /// A bound is not a multiple of [`GRAIN_MINUTES`].
    #[error("the bounds of an interval must be on the 30-minute grain")]
    OffGrain,
    /// `to` is not after `from` (a zero-length or reversed interval).
    #[error("an interval must end after it starts")]
    Empty,
    /// `to` is after 24:00: an interval never crosses midnight.
    #[error("an interval ends at 24:00 at the latest")]
    PastMidnight,
}

/// A time-zone name that the IANA database does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone: {0}")]
pub struct UnknownZone(pub String);

/// Parses an IANA time-zone name such as `Europe/Paris` or `Indian/Reunion`.
///
/// # Errors
/// [`UnknownZone`] when the name is not in the IANA database (names are
/// case-sensitive, as in the database).
pub fn parse_zone(name: &str) -> Result<Tz, UnknownZone> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| UnknownZone(name.to_owned()))
}

/// One recurring weekly interval of local time: on `weekday`, from `from`
/// minutes after local midnight (included) to `to` minutes (excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WeeklyInterval {
    weekday: Weekday,
    from: u16,
    to: u16,
}

impl WeeklyInterval {
    /// An interval `[from, to)` in minutes after local midnight on `weekday`.
    ///
    /// # Errors
    /// [`IntervalError::PastMidnight`] when `to` > 1440 (24:00),
    /// [`IntervalError::Empty`] when `to` ≤ `from`, and
    /// [`IntervalError::OffGrain`] when a bound is not a multiple of 30.
    pub fn new(weekday: Weekday, from: u16, to: u16) -> Result<WeeklyInterval, IntervalError> {
        if to > MINUTES_PER_DAY || from > MINUTES_PER_DAY {
            return Err(IntervalError::PastMidnight);
        }
        if to <= from {
            return Err(IntervalError::Empty);
        }
        if !from.is_multiple_of(GRAIN_MINUTES) || !to.is_multiple_of(GRAIN_MINUTES) {
            return Err(IntervalError::OffGrain);
        }
        Ok(WeeklyInterval { weekday, from, to })
    }

    pub fn weekday(&self) -> Weekday {
        self.weekday
    }

    /// Start, in minutes after local midnight (0–1410).
    pub fn from(&self) -> u16 {
        self.from
    }

    /// End (excluded), in minutes after local midnight (30–1440).
    pub fn to(&self) -> u16 {
        self.to
    }

    /// Length in minutes.
    pub fn minutes(&self) -> u16 {
        self.to - self.from
    }

    fn sort_key(&self) -> (u32, u16, u16) {
        (self.weekday.num_days_from_monday(), self.from, self.to)
    }
}

/// A half-open span of UTC instants `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    /// The span `[start, end)`; empty when `end` ≤ `start`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Span {
        Span { start, end }
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn duration(&self) -> Duration {
        if self.is_empty() {
            Duration::zero()
        } else {
            self.end - self.start
        }
    }

    /// Whether `instant` is in `[start, end)`.
    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        self.start <= instant && instant < self.end
    }
}

/// Recurring weekly intervals of local time in one IANA time zone.
///
/// The intervals are kept sorted (Monday first) and merged: overlapping or
/// touching intervals of the same day become one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklyAvailability {
    zone: Tz,
    intervals: Vec<WeeklyInterval>,
}

/// What [`WeeklyAvailability::new`] did to the intervals it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Normalisation {
    /// How many given intervals were merged into another one (because they
    /// overlapped or touched it).
    pub merged: usize,
}

impl WeeklyAvailability {
    /// The availability made of `intervals` in `zone`, with overlapping or
    /// touching intervals of a day merged. Returns it with how many merges
    /// were made, so that a form can say so.
    pub fn new(
        zone: Tz,
        intervals: impl IntoIterator<Item = WeeklyInterval>,
    ) -> (WeeklyAvailability, Normalisation) {
        let mut given: Vec<WeeklyInterval> = intervals.into_iter().collect();
        given.sort_by_key(WeeklyInterval::sort_key);
        let count = given.len();
        let mut merged: Vec<WeeklyInterval> = Vec::with_capacity(count);
        for interval in given {
            match merged.last_mut() {
                Some(last) if last.weekday == interval.weekday && interval.from <= last.to => {
                    last.to = last.to.max(interval.to);
                }
                _ => merged.push(interval),
            }
        }
        let normalisation = Normalisation {
            merged: count - merged.len(),
        };
        (
            WeeklyAvailability {
                zone,
                intervals: merged,
            },
            normalisation,
        )
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The merged intervals, Monday first, then by start.
    pub fn intervals(&self) -> &[WeeklyInterval] {
        &self.intervals
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// Weekly total in minutes of local time (what the owner sees; the
    /// instants of a DST week may be an hour more or less).
    pub fn weekly_minutes(&self) -> u32 {
        self.intervals.iter().map(|i| u32::from(i.minutes())).sum()
    }

    /// Whether `instant` is available: its local time in the zone, on its
    /// local weekday, falls in one of the intervals. This is the definition
    /// the other methods compute with.
    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        let local = instant.with_timezone(&self.zone);
        let weekday = local.weekday();
        let second = local.num_seconds_from_midnight();
        self.intervals.iter().any(|interval| {
            interval.weekday == weekday
                && u32::from(interval.from) * 60 <= second
                && second < u32::from(interval.to) * 60
        })
    }

    /// Every available instant of `range`, as sorted, disjoint, non-touching
    /// spans. The range is taken to the whole second (sub-seconds dropped).
    ///
    /// Within a stretch of constant UTC offset `o`, local time is `utc + o`,
    /// so the instants whose local time lies in a local interval `[a, b)` are
    /// `[a − o, b − o)`. The range is cut at each offset change; a local time
    /// skipped by a change thus belongs to no stretch and one repeated by a
    /// change belongs to two.
    pub fn spans(&self, range: Span) -> Vec<Span> {
        let range = whole_seconds(range);
        if self.intervals.is_empty() || range.is_empty() {
            return Vec::new();
        }
        self.spans_over(&Offsets::new(self.zone, range))
    }

    /// [`WeeklyAvailability::spans`] over the range `offsets` was made for,
    /// with its offsets: finding them is most of the work, and it is the
    /// same for every availability of one zone.
    ///
    /// # Panics
    /// When `offsets` is of another zone.
    pub fn spans_over(&self, offsets: &Offsets) -> Vec<Span> {
        assert_eq!(offsets.zone, self.zone, "offsets of another zone");
        if self.intervals.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for stretch in &offsets.stretches {
            let offset = Duration::seconds(i64::from(stretch.offset_seconds));
            let local_start = stretch.span.start.naive_utc() + offset;
            let local_end = stretch.span.end.naive_utc() + offset;
            let mut date = local_start.date();
            let last_date = local_end.date();
            while date <= last_date {
                let midnight = date.and_time(NaiveTime::MIN);
                for interval in self
                    .intervals
                    .iter()
                    .filter(|i| i.weekday == date.weekday())
                {
                    let a = midnight + Duration::minutes(i64::from(interval.from));
                    let b = midnight + Duration::minutes(i64::from(interval.to));
                    let low = a.max(local_start);
                    let high = b.min(local_end);
                    if low < high {
                        found.push(Span::new(utc(low - offset), utc(high - offset)));
                    }
                }
                match date.succ_opt() {
                    Some(next) => date = next,
                    None => break,
                }
            }
        }
        merge(found)
    }
}

/// The instants of `range` available in both `a` and `b`, as sorted,
/// disjoint spans. Symmetric: `overlap(a, b, r) == overlap(b, a, r)`.
pub fn overlap(a: &WeeklyAvailability, b: &WeeklyAvailability, range: Span) -> Vec<Span> {
    intersect(&a.spans(range), &b.spans(range))
}

/// The total length of `spans`.
pub fn total(spans: &[Span]) -> Duration {
    spans
        .iter()
        .map(Span::duration)
        .fold(Duration::zero(), |sum, d| sum + d)
}

/// The intersection of two sorted lists of disjoint spans.
pub fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let (mut i, mut j) = (0, 0);
    let mut shared = Vec::new();
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if start < end {
            shared.push(Span::new(start, end));
        }
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    shared
}

/// A weekly session time fixed in one person's local time: on `weekday`, at
/// `start` minutes after local midnight, for `minutes` minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WeeklySlot {
    pub weekday: Weekday,
    pub start: u16,
    pub minutes: u16,
}

impl WeeklySlot {
    /// The instants of this slot on `date` in `zone`: from the local start
    /// (the earlier one when a change repeats it) for `minutes` minutes.
    /// `None` when `date` is not the slot's weekday or its local start does
    /// not exist that day (skipped by a change).
    pub fn on(&self, date: NaiveDate, zone: Tz) -> Option<Span> {
        if date.weekday() != self.weekday {
            return None;
        }
        let local = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(self.start));
        let start = zone.from_local_datetime(&local).earliest()?;
        let start = start.with_timezone(&Utc);
        Some(Span::new(
            start,
            start + Duration::minutes(i64::from(self.minutes)),
        ))
    }
}

/// The weekly slots of `minutes` minutes, fixed in the pupil's local time and
/// starting on the 30-minute grain, that lie inside both the pupil's and the
/// tutor's availability in each of `weeks` weeks, the first week starting on
/// `first_day` (a date of the pupil's zone). Sorted by weekday, then start.
///
/// A slot whose local start does not exist one of those weeks (skipped by a
/// daylight-saving change) does not qualify.
pub fn recurring_slots(
    pupil: &WeeklyAvailability,
    tutor: &WeeklyAvailability,
    first_day: NaiveDate,
    weeks: u32,
    minutes: u16,
) -> Vec<WeeklySlot> {
    let range = slot_range(pupil.zone, first_day, weeks);
    let shared = intersect(&pupil.spans(range), &tutor.spans(range));
    recurring_slots_within(pupil, &shared, first_day, weeks, minutes)
}

/// The range of instants [`recurring_slots_within`] needs spans for: from
/// the day before `first_day` to the day after the last week, so that no
/// slot of the period falls outside it whatever the zones.
pub fn slot_range(zone: Tz, first_day: NaiveDate, weeks: u32) -> Span {
    let start = local_midnight_utc(zone, first_day) - Duration::days(1);
    let end =
        local_midnight_utc(zone, first_day + Duration::weeks(i64::from(weeks))) + Duration::days(1);
    Span::new(start, end)
}

/// [`recurring_slots`] given `shared`, the sorted, merged instants both
/// sides have in common over at least [`slot_range`] (for instance
/// [`intersect`] of spans computed once per person, when one pupil is
/// compared with many tutors).
pub fn recurring_slots_within(
    pupil: &WeeklyAvailability,
    shared: &[Span],
    first_day: NaiveDate,
    weeks: u32,
    minutes: u16,
) -> Vec<WeeklySlot> {
    if weeks == 0 || minutes == 0 || shared.is_empty() {
        return Vec::new();
    }
    let zone = pupil.zone;
    let mut slots = Vec::new();
    for interval in &pupil.intervals {
        let days_ahead = (7 + interval.weekday.num_days_from_monday()
            - first_day.weekday().num_days_from_monday())
            % 7;
        let mut begin = interval.from;
        while u32::from(begin) + u32::from(minutes) <= u32::from(interval.to) {
            let slot = WeeklySlot {
                weekday: interval.weekday,
                start: begin,
                minutes,
            };
            let every_week = (0..weeks).all(|week| {
                let date = first_day
                    + Duration::weeks(i64::from(week))
                    + Duration::days(i64::from(days_ahead));
                slot.on(date, zone).is_some_and(|span| inside(shared, span))
            });
            if every_week {
                slots.push(slot);
            }
            begin += GRAIN_MINUTES;
        }
    }
    slots
}

/// Whether `span` lies inside one of the sorted, merged `spans`.
fn inside(spans: &[Span], span: Span) -> bool {
    let index = spans.partition_point(|s| s.end <= span.start);
    spans
        .get(index)
        .is_some_and(|s| s.start <= span.start && span.end <= s.end)
}

/// The UTC instant of local midnight on `date` in `zone` (the first instant
/// of that local date when a change skips midnight).
pub fn local_midnight_utc(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    match zone.from_local_datetime(&midnight).earliest() {
        Some(local) => local.with_timezone(&Utc),
        // Midnight skipped: an hour later always exists in practice.
        None => zone
            .from_local_datetime(&(midnight + Duration::hours(1)))
            .earliest()
            .map(|local| local.with_timezone(&Utc))
            .unwrap_or_else(|| utc(midnight)),
    }
}

/// A zone's UTC offsets over a range of UTC time (taken to the whole
/// second), for [`WeeklyAvailability::spans_over`].
#[derive(Clone, Debug)]
pub struct Offsets {
    zone: Tz,
    stretches: Vec<Stretch>,
}

impl Offsets {
    /// `zone`'s offsets over `range`, sampled every hour (see
    /// `offset_stretches`).
    pub fn new(zone: Tz, range: Span) -> Offsets {
        let range = whole_seconds(range);
        let stretches = if range.is_empty() {
            Vec::new()
        } else {
            offset_stretches(zone, range)
        };
        Offsets { zone, stretches }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }
}

/// A stretch of UTC time with one UTC offset.
#[derive(Clone, Debug)]
struct Stretch {
    span: Span,
    offset_seconds: i32,
}

/// How far apart offsets are sampled. No zone of the IANA database changes
/// its offset twice within this time, so a change between two samples is
/// found by bisection.
const SAMPLE: Duration = Duration::hours(1);

fn offset_at(zone: Tz, instant: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&instant.naive_utc())
        .fix()
        .local_minus_utc()
}

/// `range` cut into stretches of constant offset in `zone`.
fn offset_stretches(zone: Tz, range: Span) -> Vec<Stretch> {
    let mut stretches = Vec::new();
    let mut stretch_start = range.start;
    let mut offset = offset_at(zone, stretch_start);
    let mut cursor = range.start;
    while cursor < range.end {
        let next = (cursor + SAMPLE).min(range.end);
        if offset_at(zone, next) == offset {
            cursor = next;
            continue;
        }
        // The change lies in (cursor, next]: find its first second.
        let (mut low, mut high) = (cursor.timestamp(), next.timestamp());
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if offset_at(zone, from_timestamp(middle)) == offset {
                low = middle;
            } else {
                high = middle;
            }
        }
        let change = from_timestamp(high);
        if change > stretch_start {
            stretches.push(Stretch {
                span: Span::new(stretch_start, change.min(range.end)),
                offset_seconds: offset,
            });
        }
        stretch_start = change;
        offset = offset_at(zone, change);
        cursor = change;
    }
    if stretch_start < range.end {
        stretches.push(Stretch {
            span: Span::new(stretch_start, range.end),
            offset_seconds: offset,
        });
    }
    stretches
}

fn whole_seconds(range: Span) -> Span {
    Span::new(
        from_timestamp(range.start.timestamp()),
        from_timestamp(range.end.timestamp()),
    )
}

fn from_timestamp(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn utc(naive: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&naive)
}

/// Sorts spans and merges those that overlap or touch.
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    spans.sort_by_key(|s| s.start);
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

#[cfg(test)]
mod tests;
