//! The observances of an IANA time zone as an iCalendar `VTIMEZONE` states
//! them (RFC 5545, section 3.6.5), read off the zone database of
//! `chrono-tz`.
//!
//! An invitation gives its times as local times with a `TZID`, so that a
//! weekly session keeps its local hour across daylight-saving changes; the
//! RFC asks for a `VTIMEZONE` describing that zone in the same object.
//! `chrono-tz` exposes offsets, not rules, so the rules are recovered here:
//! every change of offset in a window of years is found, and the changes of
//! one kind (same offsets, name, month, weekday and local hour) that recur
//! every year up to the end of the window become one observance with a
//! yearly `RRULE` (for Paris: the last Sunday of March at 02:00 and of
//! October at 03:00). Changes that do not recur so (a zone that changed its
//! rules) are listed one by one as `RDATE`s. A zone with no change in the
//! window has one `STANDARD` observance.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono::{NaiveTime, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// `STANDARD` or `DAYLIGHT` (RFC 5545, section 3.6.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObservanceKind {
    Standard,
    Daylight,
}

impl ObservanceKind {
    /// The component's name: `STANDARD` or `DAYLIGHT`.
    pub fn component(self) -> &'static str {
        match self {
            ObservanceKind::Standard => "STANDARD",
            ObservanceKind::Daylight => "DAYLIGHT",
        }
    }
}

/// A yearly rule "the `week`-th `weekday` of `month`" (`week` 1 to 4, or
/// −1 for the last), as RFC 5545's `FREQ=YEARLY;BYMONTH=..;BYDAY=..`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct YearlyRule {
    /// 1 = January.
    pub month: u32,
    pub week: i8,
    pub weekday: Weekday,
}

impl YearlyRule {
    /// The rule's date in `year`.
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        if self.week > 0 {
            NaiveDate::from_weekday_of_month_opt(
                year,
                self.month,
                self.weekday,
                u8::try_from(self.week).ok()?,
            )
        } else {
            let next = if self.month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, self.month + 1, 1)?
            };
            let last = next.pred_opt()?;
            let back = (7 + last.weekday().num_days_from_monday()
                - self.weekday.num_days_from_monday())
                % 7;
            Some(last - Duration::days(i64::from(back)))
        }
    }

    /// The `RRULE` value, e.g. `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`.
    pub fn rrule(&self) -> String {
        format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
            self.month,
            self.week,
            byday(self.weekday)
        )
    }

    /// The rule both ways of naming `date` fit: the last `weekday` of the
    /// month, or its n-th.
    fn candidates(date: NaiveDate) -> [YearlyRule; 2] {
        let nth = i8::try_from((date.day() - 1) / 7 + 1).unwrap_or(1);
        let base = YearlyRule {
            month: date.month(),
            week: nth,
            weekday: date.weekday(),
        };
        [YearlyRule { week: -1, ..base }, base]
    }
}

/// RFC 5545's two-letter weekday (`MO` … `SU`), as `BYDAY` takes it.
pub fn byday(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// One `STANDARD` or `DAYLIGHT` sub-component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observance {
    pub kind: ObservanceKind,
    /// `TZNAME`, e.g. `CET`; `None` when the database has only a number
    /// (`+04` for Réunion).
    pub name: Option<String>,
    /// `TZOFFSETFROM`, in seconds east of UTC.
    pub offset_from: i32,
    /// `TZOFFSETTO`, in seconds east of UTC.
    pub offset_to: i32,
    /// `DTSTART`: the first onset, a local time read in `offset_from`.
    pub start: NaiveDateTime,
    /// `RRULE`: the onsets recur every year from `start` on.
    pub rule: Option<YearlyRule>,
    /// `RDATE`s: the other onsets (local times in `offset_from`) when
    /// there is no rule.
    pub dates: Vec<NaiveDateTime>,
}

/// A change of offset, at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub at: DateTime<Utc>,
    /// Seconds east of UTC before and after.
    pub offset_from: i32,
    pub offset_to: i32,
    /// Whether daylight-saving time is in force after it.
    pub daylight: bool,
    /// The abbreviation in force after it.
    pub name: Option<String>,
}

impl Transition {
    /// Its onset as `VTIMEZONE` states it: local time before the change.
    pub fn local_onset(&self) -> NaiveDateTime {
        self.at.naive_utc() + Duration::seconds(i64::from(self.offset_from))
    }
}

/// What distinguishes one offset in force from another.
fn regime(zone: Tz, at: DateTime<Utc>) -> (i32, bool, Option<String>) {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc());
    (
        offset.fix().local_minus_utc(),
        !offset.dst_offset().is_zero(),
        offset.abbreviation().map(str::to_owned),
    )
}

/// Every change of offset, daylight saving or name of `zone` in
/// `[from, to)`, in time order, each to the second.
///
/// The window is scanned a day at a time, so two changes less than a day
/// apart would be missed; the database holds none in this century.
pub fn transitions(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let mut found = Vec::new();
    let mut at = from;
    let mut before = regime(zone, at);
    while at < to {
        let next = (at + Duration::days(1)).min(to);
        let after = regime(zone, next);
        if after != before {
            // The change lies in (at, next]: halve to the second.
            let (mut low, mut high) = (at.timestamp(), next.timestamp());
            let instant = |seconds: i64| DateTime::from_timestamp(seconds, 0).unwrap_or(next);
            while high - low > 1 {
                let middle = low + (high - low) / 2;
                if regime(zone, instant(middle)) == before {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            let (offset_to, daylight, name) = regime(zone, instant(high));
            found.push(Transition {
                at: instant(high),
                offset_from: before.0,
                offset_to,
                daylight,
                name,
            });
        }
        before = after;
        at = next;
    }
    found
}

/// The observances of `zone` over `years` calendar years from the start
/// of `from`'s year (UTC), in order of their first onset.
///
/// Changes that recur every year up to the end of the window under one
/// [`YearlyRule`] become one observance with that rule, which calendar
/// programs extend beyond the window; others are stated as `RDATE`s.
pub fn observances(zone: Tz, from: NaiveDate, years: i32) -> Vec<Observance> {
    let first_year = from.year();
    let last_year = first_year + years.max(1) - 1;
    let start = NaiveDate::from_ymd_opt(first_year, 1, 1)
        .unwrap_or(from)
        .and_time(NaiveTime::MIN)
        .and_utc();
    let end = NaiveDate::from_ymd_opt(last_year + 1, 1, 1)
        .unwrap_or(from)
        .and_time(NaiveTime::MIN)
        .and_utc();
    let changes = transitions(zone, start, end);
    if changes.is_empty() {
        let (offset, daylight, name) = regime(zone, start);
        return vec![Observance {
            kind: if daylight {
                ObservanceKind::Daylight
            } else {
                ObservanceKind::Standard
            },
            name,
            offset_from: offset,
            offset_to: offset,
            start: start.naive_utc() + Duration::seconds(i64::from(offset)),
            rule: None,
            dates: Vec::new(),
        }];
    }

    // Changes of one kind, in time order within each kind.
    type Kind = (bool, i32, i32, Option<String>, u32, Weekday, NaiveTime);
    let mut kinds: Vec<(Kind, Vec<NaiveDateTime>)> = Vec::new();
    for change in &changes {
        let onset = change.local_onset();
        let kind = (
            change.daylight,
            change.offset_from,
            change.offset_to,
            change.name.clone(),
            onset.month(),
            onset.weekday(),
            onset.time(),
        );
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, onsets)) => onsets.push(onset),
            None => kinds.push((kind, vec![onset])),
        }
    }

    let mut observances: Vec<Observance> = kinds
        .into_iter()
        .map(|((daylight, offset_from, offset_to, name, ..), onsets)| {
            let first = onsets[0];
            let rule = yearly_rule(&onsets, last_year);
            Observance {
                kind: if daylight {
                    ObservanceKind::Daylight
                } else {
                    ObservanceKind::Standard
                },
                name,
                offset_from,
                offset_to,
                start: first,
                rule,
                dates: if rule.is_some() {
                    Vec::new()
                } else {
                    onsets[1..].to_vec()
                },
            }
        })
        .collect();
    observances.sort_by_key(|o| o.start);
    observances
}

/// The yearly rule `onsets` (of one kind, in time order) follow, if they
/// fall in every year from the first to `last_year` and one rule names
/// each of their dates.
fn yearly_rule(onsets: &[NaiveDateTime], last_year: i32) -> Option<YearlyRule> {
    let first = onsets.first()?;
    let every_year = onsets
        .iter()
        .enumerate()
        .all(|(i, onset)| i64::from(onset.year()) == i64::from(first.year()) + i as i64)
        && onsets.last()?.year() == last_year;
    if !every_year {
        return None;
    }
    YearlyRule::candidates(first.date())
        .into_iter()
        .find(|rule| {
            onsets
                .iter()
                .all(|onset| rule.date_in(onset.year()) == Some(onset.date()))
        })
}

/// `seconds` east of UTC as RFC 5545's UTC-OFFSET: `+0100`, `-0330`,
/// `+000512` when there are seconds.
pub fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let total = seconds.unsigned_abs();
    let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60);
    if rest == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{rest:02}")
    }
}

#[cfg(test)]
mod tests;
