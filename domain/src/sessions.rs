//! Weekly session series and their occurrences (issue 7).
//!
//! A pair meets every week at one slot fixed in the **pupil's** local time
//! (a [`WeeklySlot`] in the pupil's IANA zone): a session at 18:00 in Paris
//! stays at 18:00 in Paris when the clocks change, and so moves by an hour
//! for a tutor in Réunion, where clocks never change.
//!
//! Each occurrence is stored as UTC instants computed from the local time,
//! with the rules RFC 5545 gives for recurrences (section 3.3.10, "If the
//! computed local start time of a recurrence instance does not exist ...
//! it MUST be ignored and MUST NOT be counted as part of the recurrence
//! set"; section 3.3.5 for a time that occurs twice, which "refers to the
//! first occurrence"):
//!
//! - a local start that a change skips (the spring gap): no session that
//!   week, reported as [`Status::Skipped`] so that both sides can be told;
//! - a local start that a change repeats (autumn): one session, at the
//!   first of the two instants.
//!
//! One occurrence can be moved or cancelled ([`Change`]), keyed by its
//! original local date (the `RECURRENCE-ID` of RFC 5545), and a whole
//! series can end from a date ([`Series::end_from`]): nothing before is
//! touched. Nothing here reads a clock: "now" is always given.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::availability::{Span, WeeklySlot, GRAIN_MINUTES, MINUTES_PER_DAY};

/// The shortest session, in minutes.
pub const MIN_MINUTES: u16 = 30;
/// The longest session, in minutes.
pub const MAX_MINUTES: u16 = 120;
/// A session's length when nobody chose another, in minutes.
pub const DEFAULT_MINUTES: u16 = 60;

/// Why a series, a move or a cancellation is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The length is outside [`MIN_MINUTES`]–[`MAX_MINUTES`] or off the
    /// 30-minute grain.
    #[error("a session lasts 30 to 120 minutes, in steps of 30")]
    Length,
    /// The start is off the 30-minute grain, or the session would end
    /// after midnight.
    #[error("a session starts on the half hour and ends by midnight")]
    Start,
    /// The local time does not exist that day (skipped by a daylight-saving
    /// change).
    #[error("this local time does not exist on that day")]
    NonExistentTime,
    /// The date is not one of the series' occurrences.
    #[error("no session of the series falls on that date")]
    NotAnOccurrence,
    /// The new time, or the occurrence changed, is already past.
    #[error("this time is already past")]
    InThePast,
    /// The first date of a series is not on the slot's weekday.
    #[error("the first date is not on the slot's weekday")]
    FirstDate,
}

/// A weekly series: the slot, in `zone`, from `first_date` to `last_date`
/// (both local dates of `zone`, included; `None`: no end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    pub zone: Tz,
    pub slot: WeeklySlot,
    pub first_date: NaiveDate,
    pub last_date: Option<NaiveDate>,
}

/// What happened to one occurrence, keyed by its original local date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Takes place at `to` instead.
    Moved { date: NaiveDate, to: Span },
    /// Does not take place.
    Cancelled { date: NaiveDate },
}

impl Change {
    /// The original local date of the occurrence changed.
    pub fn date(&self) -> NaiveDate {
        match *self {
            Change::Moved { date, .. } | Change::Cancelled { date } => date,
        }
    }
}

/// Whether an occurrence takes place, and where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// At the series' time.
    Scheduled,
    /// Moved to another time ([`Change::Moved`]).
    Moved,
    /// Cancelled by one side ([`Change::Cancelled`]).
    Cancelled,
    /// Its local start does not exist that day: no session, not counted.
    Skipped,
}

/// One week's session of a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The original local date (RFC 5545's `RECURRENCE-ID`).
    pub date: NaiveDate,
    /// When it takes place (the moved time for a moved one); `None` when
    /// [`Status::Skipped`].
    pub span: Option<Span>,
    pub status: Status,
}

impl Occurrence {
    /// Whether the session takes place (scheduled or moved).
    pub fn takes_place(&self) -> bool {
        matches!(self.status, Status::Scheduled | Status::Moved)
    }
}

/// Checks a session's length and start: `minutes` in 30–120 on the grain,
/// `start` (minutes after local midnight) on the grain, ending by
/// midnight.
///
/// # Errors
/// [`SessionError::Length`] or [`SessionError::Start`].
pub fn check_slot(slot: &WeeklySlot) -> Result<(), SessionError> {
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&slot.minutes)
        || !slot.minutes.is_multiple_of(GRAIN_MINUTES)
    {
        return Err(SessionError::Length);
    }
    if !slot.start.is_multiple_of(GRAIN_MINUTES)
        || u32::from(slot.start) + u32::from(slot.minutes) > u32::from(MINUTES_PER_DAY)
    {
        return Err(SessionError::Start);
    }
    Ok(())
}

/// The instant of local time `minute` (minutes after midnight) on `date`
/// in `zone`, for a time chosen by hand: the first of two when a change
/// repeats it.
///
/// # Errors
/// [`SessionError::NonExistentTime`] when a change skips it.
pub fn local_instant(
    zone: Tz,
    date: NaiveDate,
    minute: u16,
) -> Result<DateTime<Utc>, SessionError> {
    let local = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute));
    zone.from_local_datetime(&local)
        .earliest()
        .map(|instant| instant.with_timezone(&Utc))
        .ok_or(SessionError::NonExistentTime)
}

impl Series {
    /// A series of `slot` in `zone` from `first_date` (which must be on the
    /// slot's weekday), with no end.
    ///
    /// # Errors
    /// [`check_slot`]'s, or [`SessionError::FirstDate`].
    pub fn new(zone: Tz, slot: WeeklySlot, first_date: NaiveDate) -> Result<Series, SessionError> {
        check_slot(&slot)?;
        if first_date.weekday() != slot.weekday {
            return Err(SessionError::FirstDate);
        }
        Ok(Series {
            zone,
            slot,
            first_date,
            last_date: None,
        })
    }

    /// The first date on or after `date` on the slot's weekday.
    pub fn next_weekday_from(weekday: chrono::Weekday, date: NaiveDate) -> NaiveDate {
        let ahead =
            (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
        date + Duration::days(i64::from(ahead))
    }

    /// Whether `date` is one of the series' weeks (whether or not its
    /// local time exists).
    pub fn has_date(&self, date: NaiveDate) -> bool {
        date.weekday() == self.slot.weekday
            && date >= self.first_date
            && self.last_date.is_none_or(|last| date <= last)
    }

    /// The occurrences whose original local date is in `[from, to)`, in date
    /// order, with `changes` applied (a change of a date outside the
    /// series is ignored; the last change of a date wins).
    pub fn occurrences(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        changes: &[Change],
    ) -> Vec<Occurrence> {
        let mut date = Self::next_weekday_from(self.slot.weekday, from.max(self.first_date));
        let mut found = Vec::new();
        while date < to && self.has_date(date) {
            let change = changes.iter().rev().find(|c| c.date() == date);
            let occurrence = match (change, self.slot.on(date, self.zone)) {
                (_, None) => Occurrence {
                    date,
                    span: None,
                    status: Status::Skipped,
                },
                (Some(Change::Moved { to, .. }), Some(_)) => Occurrence {
                    date,
                    span: Some(*to),
                    status: Status::Moved,
                },
                (Some(Change::Cancelled { .. }), Some(span)) => Occurrence {
                    date,
                    span: Some(span),
                    status: Status::Cancelled,
                },
                (None, Some(span)) => Occurrence {
                    date,
                    span: Some(span),
                    status: Status::Scheduled,
                },
            };
            found.push(occurrence);
            date += Duration::weeks(1);
        }
        found
    }

    /// The first session that takes place: the first week whose local
    /// start exists (looking a year ahead, past the end when there is one).
    pub fn first_session(&self) -> Option<Span> {
        self.occurrences(self.first_date, self.first_date + Duration::weeks(53), &[])
            .into_iter()
            .find(Occurrence::takes_place)
            .and_then(|o| o.span)
    }

    /// The occurrence of `date` moved to local time `minute` of `new_date`
    /// (in the series' zone), for `minutes` minutes, decided at `now`;
    /// `changes` are those already made (a moved session can move again).
    ///
    /// # Errors
    /// [`SessionError::NotAnOccurrence`] when no session of the series
    /// takes place on `date` (none that week, skipped or cancelled); [`check_slot`]'s for the new time;
    /// [`SessionError::NonExistentTime`] when the new local time does not
    /// exist; [`SessionError::InThePast`] when the session or its new time
    /// has already begun.
    pub fn move_occurrence(
        &self,
        changes: &[Change],
        date: NaiveDate,
        new_date: NaiveDate,
        minute: u16,
        minutes: u16,
        now: DateTime<Utc>,
    ) -> Result<Change, SessionError> {
        self.current_span(changes, date)?;
        check_slot(&WeeklySlot {
            weekday: new_date.weekday(),
            start: minute,
            minutes,
        })?;
        let start = local_instant(self.zone, new_date, minute)?;
        self.move_occurrence_to(changes, date, start, minutes, now)
    }

    /// The occurrence of `date` moved to start at the instant `start`, for
    /// `minutes` minutes, decided at `now`: for a time the mover chose in
    /// their own zone, taken as the instant it is (the second 02:30 of an
    /// autumn night stays the second). The session must still end by
    /// midnight in the series' zone.
    ///
    /// # Errors
    /// [`SessionError::NotAnOccurrence`] as for
    /// [`Series::move_occurrence`]; [`SessionError::Length`]; [`SessionError::Start`]
    /// when it would end after the series' local midnight;
    /// [`SessionError::InThePast`] when the session or its new time has
    /// already begun.
    pub fn move_occurrence_to(
        &self,
        changes: &[Change],
        date: NaiveDate,
        start: DateTime<Utc>,
        minutes: u16,
        now: DateTime<Utc>,
    ) -> Result<Change, SessionError> {
        let current = self.current_span(changes, date)?;
        if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) || !minutes.is_multiple_of(GRAIN_MINUTES)
        {
            return Err(SessionError::Length);
        }
        let end = start + Duration::minutes(i64::from(minutes));
        let local_day = start.with_timezone(&self.zone).date_naive();
        let midnight =
            crate::availability::local_midnight_utc(self.zone, local_day + Duration::days(1));
        if end > midnight {
            return Err(SessionError::Start);
        }
        if current.start <= now || start <= now {
            return Err(SessionError::InThePast);
        }
        Ok(Change::Moved {
            date,
            to: Span::new(start, end),
        })
    }

    /// The cancellation of the occurrence of `date`, decided at `now`
    /// (`changes` as for [`Series::move_occurrence`]).
    ///
    /// # Errors
    /// [`SessionError::NotAnOccurrence`]; [`SessionError::InThePast`] when
    /// it has already begun.
    pub fn cancel_occurrence(
        &self,
        changes: &[Change],
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Change, SessionError> {
        if self.current_span(changes, date)?.start <= now {
            return Err(SessionError::InThePast);
        }
        Ok(Change::Cancelled { date })
    }

    /// The series ended before `date` (a local date): the occurrences from
    /// `date` on are removed, those before are kept as they are.
    ///
    /// # Errors
    /// [`SessionError::InThePast`] when local midnight of `date` is already
    /// past at `now` (what has begun cannot be cancelled).
    pub fn end_from(&self, date: NaiveDate, now: DateTime<Utc>) -> Result<Series, SessionError> {
        if crate::availability::local_midnight_utc(self.zone, date) <= now {
            return Err(SessionError::InThePast);
        }
        let last = date - Duration::days(1);
        Ok(Series {
            last_date: Some(self.last_date.map_or(last, |l| l.min(last))),
            ..*self
        })
    }

    /// The sessions a pause from `from` to `to` (local dates of the series'
    /// zone, both included; school holidays, say) cancels at `now`: those
    /// that take place, `changes` applied, on a local day in the period
    /// and have not begun. A session moved into the period is among them;
    /// one moved out of it is not. In date order of their starts.
    ///
    /// # Errors
    /// [`SessionError::InThePast`] when `to` is before `from` or local
    /// midnight of `from` is already past at `now`.
    pub fn paused(
        &self,
        changes: &[Change],
        from: NaiveDate,
        to: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<Occurrence>, SessionError> {
        if to < from || crate::availability::local_midnight_utc(self.zone, from) <= now {
            return Err(SessionError::InThePast);
        }
        let mut found = self.occurrences(from, to + Duration::days(1), changes);
        for change in changes {
            if let Change::Moved { date, .. } = *change {
                if !(from..=to).contains(&date) && !found.iter().any(|o| o.date == date) {
                    found.extend(self.occurrences(date, date + Duration::days(1), changes));
                }
            }
        }
        let mut found: Vec<Occurrence> = found
            .into_iter()
            .filter(|o| {
                o.takes_place()
                    && o.span.is_some_and(|span| {
                        let day = span.start.with_timezone(&self.zone).date_naive();
                        span.start > now && (from..=to).contains(&day)
                    })
            })
            .collect();
        found.sort_by_key(|o| o.span.map(|s| s.start));
        Ok(found)
    }

    /// When the session of `date` takes place, `changes` applied.
    fn current_span(&self, changes: &[Change], date: NaiveDate) -> Result<Span, SessionError> {
        self.occurrences(date, date + Duration::days(1), changes)
            .into_iter()
            .find(|o| o.date == date && o.takes_place())
            .and_then(|o| o.span)
            .ok_or(SessionError::NotAnOccurrence)
    }
}

#[cfg(test)]
mod tests;
