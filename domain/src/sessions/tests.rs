//! Series across the daylight-saving changes of 2027 in Paris (28 March,
//! 02:00 CET → 03:00 CEST; 31 October, 03:00 CEST → 02:00 CET), seen from
//! Réunion (UTC+4 all year) and Cayenne (UTC−3 all year). Every instant
//! below was worked out by hand from those offsets.

use chrono::{DateTime, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use super::*;

const PARIS: Tz = chrono_tz::Europe::Paris;
const REUNION: Tz = chrono_tz::Indian::Reunion;
const CAYENNE: Tz = chrono_tz::America::Cayenne;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("an instant")
}

fn slot(weekday: Weekday, hour: u16, minute: u16, minutes: u16) -> WeeklySlot {
    WeeklySlot {
        weekday,
        start: hour * 60 + minute,
        minutes,
    }
}

fn starts(occurrences: &[Occurrence]) -> Vec<Option<DateTime<Utc>>> {
    occurrences
        .iter()
        .map(|o| o.span.map(|s| s.start))
        .collect()
}

/// Local hours of the starts in `zone`.
fn hours_in(occurrences: &[Occurrence], zone: Tz) -> Vec<u32> {
    occurrences
        .iter()
        .filter_map(|o| o.span)
        .map(|s| s.start.with_timezone(&zone).hour())
        .collect()
}

fn tuesday_six_pm(first: NaiveDate) -> Series {
    Series::new(PARIS, slot(Weekday::Tue, 18, 0, 60), first).expect("accepted")
}

#[test]
fn a_paris_series_keeps_its_local_hour_across_the_spring_change() {
    let series = tuesday_six_pm(date(2027, 3, 16));
    let weeks = series.occurrences(date(2027, 3, 16), date(2027, 4, 13), &[]);
    // 18:00 CET = 17:00 UTC; 18:00 CEST = 16:00 UTC.
    assert_eq!(
        starts(&weeks),
        [
            Some(utc(2027, 3, 16, 17, 0)),
            Some(utc(2027, 3, 23, 17, 0)),
            Some(utc(2027, 3, 30, 16, 0)),
            Some(utc(2027, 4, 6, 16, 0)),
        ]
    );
    assert!(weeks.iter().all(|o| o.status == Status::Scheduled));
    assert_eq!(hours_in(&weeks, PARIS), [18, 18, 18, 18]);
    // The tutor's hour moves with Paris's offset.
    assert_eq!(hours_in(&weeks, REUNION), [21, 21, 20, 20]);
    assert_eq!(hours_in(&weeks, CAYENNE), [14, 14, 13, 13]);
    assert_eq!(
        weeks[2].span.expect("a session").end,
        utc(2027, 3, 30, 17, 0),
        "an hour long"
    );
}

#[test]
fn a_paris_series_keeps_its_local_hour_across_the_autumn_change() {
    let series = tuesday_six_pm(date(2027, 10, 19));
    let weeks = series.occurrences(date(2027, 10, 1), date(2027, 11, 3), &[]);
    assert_eq!(
        starts(&weeks),
        [
            Some(utc(2027, 10, 19, 16, 0)),
            Some(utc(2027, 10, 26, 16, 0)),
            Some(utc(2027, 11, 2, 17, 0)),
        ]
    );
    assert_eq!(hours_in(&weeks, REUNION), [20, 20, 21]);
    assert_eq!(hours_in(&weeks, CAYENNE), [13, 13, 14]);
}

#[test]
fn a_start_the_spring_change_skips_is_no_session_and_a_repeated_one_is_the_first() {
    // Sunday 02:30: on 28 March 2027 Paris goes from 02:00 to 03:00.
    let series =
        Series::new(PARIS, slot(Weekday::Sun, 2, 30, 60), date(2027, 3, 21)).expect("accepted");
    let weeks = series.occurrences(date(2027, 3, 21), date(2027, 4, 5), &[]);
    assert_eq!(
        starts(&weeks),
        [
            Some(utc(2027, 3, 21, 1, 30)),
            None,
            Some(utc(2027, 4, 4, 0, 30))
        ]
    );
    assert_eq!(weeks[1].status, Status::Skipped);
    // Starting on the day of the change, the first session is a week later.
    let from_the_change =
        Series::new(PARIS, slot(Weekday::Sun, 2, 30, 60), date(2027, 3, 28)).expect("accepted");
    assert_eq!(
        from_the_change.first_session().map(|s| s.start),
        Some(utc(2027, 4, 4, 0, 30))
    );
    assert_eq!(weeks[1].date, date(2027, 3, 28));
    assert!(!weeks[1].takes_place());

    // On 31 October 2027 02:30 happens at 00:30 UTC (CEST) and again at
    // 01:30 UTC (CET): once, at the first.
    let series =
        Series::new(PARIS, slot(Weekday::Sun, 2, 30, 60), date(2027, 10, 24)).expect("accepted");
    let weeks = series.occurrences(date(2027, 10, 24), date(2027, 11, 8), &[]);
    assert_eq!(
        starts(&weeks),
        [
            Some(utc(2027, 10, 24, 0, 30)),
            Some(utc(2027, 10, 31, 0, 30)),
            Some(utc(2027, 11, 7, 1, 30)),
        ]
    );
}

#[test]
fn moving_one_occurrence_leaves_the_others() {
    let series = tuesday_six_pm(date(2027, 3, 16));
    let now = utc(2027, 3, 17, 9, 0);
    let before = series.occurrences(date(2027, 3, 16), date(2027, 4, 13), &[]);
    // The 30 March session (after the change) goes to Wednesday 31 at 17:30.
    let moved = series
        .move_occurrence(
            &[],
            date(2027, 3, 30),
            date(2027, 3, 31),
            17 * 60 + 30,
            90,
            now,
        )
        .expect("accepted");
    assert_eq!(
        moved,
        Change::Moved {
            date: date(2027, 3, 30),
            to: Span::new(utc(2027, 3, 31, 15, 30), utc(2027, 3, 31, 17, 0)),
        }
    );
    let after = series.occurrences(date(2027, 3, 16), date(2027, 4, 13), &[moved]);
    assert_eq!(after.len(), before.len());
    for (i, (a, b)) in after.iter().zip(&before).enumerate() {
        if i == 2 {
            assert_eq!(a.status, Status::Moved);
            assert_eq!(a.date, date(2027, 3, 30), "keyed by its original date");
        } else {
            assert_eq!(a, b, "week {i} is untouched");
        }
    }
    // Moved again, from where it now is.
    let again = series
        .move_occurrence(
            &[moved],
            date(2027, 3, 30),
            date(2027, 4, 1),
            18 * 60,
            60,
            now,
        )
        .expect("accepted");
    let latest = series.occurrences(date(2027, 3, 30), date(2027, 3, 31), &[moved, again]);
    assert_eq!(
        latest[0].span.expect("a session").start,
        utc(2027, 4, 1, 16, 0)
    );
}

#[test]
fn bad_moves_are_refused() {
    let series = tuesday_six_pm(date(2027, 3, 16));
    let now = utc(2027, 3, 20, 9, 0);
    let move_to = |date_of: NaiveDate, to: NaiveDate, minute: u16, minutes: u16| {
        series.move_occurrence(&[], date_of, to, minute, minutes, now)
    };
    // Sunday 28 March 02:30 does not exist in Paris.
    assert_eq!(
        move_to(date(2027, 3, 23), date(2027, 3, 28), 150, 60),
        Err(SessionError::NonExistentTime)
    );
    // 31 October 02:30 exists twice: the first.
    assert_eq!(
        move_to(date(2027, 3, 23), date(2027, 10, 31), 150, 60),
        Ok(Change::Moved {
            date: date(2027, 3, 23),
            to: Span::new(utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 1, 30)),
        })
    );
    // Into the past, or a session already held.
    assert_eq!(
        move_to(date(2027, 3, 23), date(2027, 3, 19), 18 * 60, 60),
        Err(SessionError::InThePast)
    );
    assert_eq!(
        move_to(date(2027, 3, 16), date(2027, 3, 25), 18 * 60, 60),
        Err(SessionError::InThePast)
    );
    // Lengths and starts.
    assert_eq!(
        move_to(date(2027, 3, 23), date(2027, 3, 25), 18 * 60, 150),
        Err(SessionError::Length)
    );
    assert_eq!(
        move_to(date(2027, 3, 23), date(2027, 3, 25), 18 * 60, 45),
        Err(SessionError::Length)
    );
    assert_eq!(
        move_to(date(2027, 3, 23), date(2027, 3, 25), 23 * 60 + 30, 60),
        Err(SessionError::Start)
    );
    assert_eq!(
        move_to(date(2027, 3, 23), date(2027, 3, 25), 18 * 60 + 10, 60),
        Err(SessionError::Start)
    );
    // Not a session of the series: a Monday, before the start, cancelled.
    assert_eq!(
        move_to(date(2027, 3, 22), date(2027, 3, 25), 18 * 60, 60),
        Err(SessionError::NotAnOccurrence)
    );
    assert_eq!(
        move_to(date(2027, 3, 9), date(2027, 3, 25), 18 * 60, 60),
        Err(SessionError::NotAnOccurrence)
    );
    let cancelled = series
        .cancel_occurrence(&[], date(2027, 3, 23), now)
        .expect("accepted");
    assert_eq!(
        series.move_occurrence(
            &[cancelled],
            date(2027, 3, 23),
            date(2027, 3, 25),
            18 * 60,
            60,
            now
        ),
        Err(SessionError::NotAnOccurrence)
    );
    assert_eq!(
        series.cancel_occurrence(&[], date(2027, 3, 16), now),
        Err(SessionError::InThePast)
    );
}

#[test]
fn ending_a_series_from_a_date_removes_only_what_follows() {
    let series = tuesday_six_pm(date(2027, 3, 16));
    let cancelled = series
        .cancel_occurrence(&[], date(2027, 3, 23), utc(2027, 3, 17, 0, 0))
        .expect("accepted");
    let ended = series
        .end_from(date(2027, 4, 1), utc(2027, 3, 25, 0, 0))
        .expect("accepted");
    assert_eq!(ended.last_date, Some(date(2027, 3, 31)));
    let weeks = ended.occurrences(date(2027, 3, 1), date(2027, 6, 1), &[cancelled]);
    let dates: Vec<NaiveDate> = weeks.iter().map(|o| o.date).collect();
    assert_eq!(
        dates,
        [date(2027, 3, 16), date(2027, 3, 23), date(2027, 3, 30)]
    );
    assert_eq!(
        weeks.iter().map(|o| o.status).collect::<Vec<_>>(),
        [Status::Scheduled, Status::Cancelled, Status::Scheduled]
    );
    // Ending again later keeps the earlier end; ending in the past is refused.
    assert_eq!(
        ended
            .end_from(date(2027, 5, 1), utc(2027, 3, 25, 0, 0))
            .expect("accepted")
            .last_date,
        Some(date(2027, 3, 31))
    );
    assert_eq!(
        series.end_from(date(2027, 3, 20), utc(2027, 3, 25, 0, 0)),
        Err(SessionError::InThePast)
    );
}

#[test]
fn a_pause_cancels_the_sessions_held_in_it_moved_ones_where_they_now_are() {
    use crate::availability::Span;
    let series = tuesday_six_pm(date(2027, 3, 16));
    let moved = |original: NaiveDate, start: DateTime<Utc>| Change::Moved {
        date: original,
        to: Span {
            start,
            end: start + Duration::hours(1),
        },
    };
    // 13 April moved into the holidays (Monday 19, 17:00 Paris, UTC+2);
    // 27 April moved out of them (Tuesday 4 May); 20 April cancelled.
    let changes = [
        moved(date(2027, 4, 13), utc(2027, 4, 19, 15, 0)),
        moved(date(2027, 4, 27), utc(2027, 5, 4, 16, 0)),
        Change::Cancelled {
            date: date(2027, 4, 20),
        },
    ];
    let now = utc(2027, 4, 1, 9, 0);
    let paused = series
        .paused(&changes, date(2027, 4, 17), date(2027, 5, 2), now)
        .expect("accepted");
    assert_eq!(
        paused.iter().map(|o| o.date).collect::<Vec<_>>(),
        [date(2027, 4, 13)]
    );
    assert_eq!(starts(&paused), [Some(utc(2027, 4, 19, 15, 0))]);
    // Without the changes: Tuesdays 20 and 27 April, 18:00 Paris.
    let plain = series
        .paused(&[], date(2027, 4, 17), date(2027, 5, 2), now)
        .expect("accepted");
    assert_eq!(
        starts(&plain),
        [Some(utc(2027, 4, 20, 16, 0)), Some(utc(2027, 4, 27, 16, 0))]
    );
    // Both ends count: one Tuesday alone.
    let one_day = series
        .paused(&[], date(2027, 4, 20), date(2027, 4, 20), now)
        .expect("accepted");
    assert_eq!(starts(&one_day), [Some(utc(2027, 4, 20, 16, 0))]);
    // A period that ends before it starts, or starts today, is refused.
    assert_eq!(
        series.paused(&[], date(2027, 4, 20), date(2027, 4, 19), now),
        Err(SessionError::InThePast)
    );
    assert_eq!(
        series.paused(&[], date(2027, 4, 1), date(2027, 4, 19), now),
        Err(SessionError::InThePast)
    );
}

#[test]
fn a_series_checks_its_slot_and_first_date() {
    let ok = slot(Weekday::Tue, 18, 0, 60);
    assert_eq!(
        Series::new(PARIS, ok, date(2027, 3, 17)),
        Err(SessionError::FirstDate),
        "17 March 2027 is a Wednesday"
    );
    for (minutes, error) in [
        (0, SessionError::Length),
        (150, SessionError::Length),
        (90, SessionError::Length),
    ] {
        let result = Series::new(PARIS, slot(Weekday::Tue, 23, 0, minutes), date(2027, 3, 16));
        let expected = if minutes == 90 {
            SessionError::Start
        } else {
            error
        };
        assert_eq!(result, Err(expected), "{minutes} minutes at 23:00");
    }
    assert!(Series::new(PARIS, slot(Weekday::Tue, 22, 0, 120), date(2027, 3, 16)).is_ok());
    assert!(Series::new(
        PARIS,
        slot(Weekday::Tue, 22, 0, DEFAULT_MINUTES),
        date(2027, 3, 16)
    )
    .is_ok());
    assert_eq!(
        Series::next_weekday_from(Weekday::Tue, date(2027, 3, 17)),
        date(2027, 3, 23)
    );
    assert_eq!(
        Series::next_weekday_from(Weekday::Tue, date(2027, 3, 16)),
        date(2027, 3, 16)
    );
}

#[test]
fn a_move_to_an_instant_keeps_the_second_of_two_repeated_times() {
    // Tuesdays 19:00 in Paris; the session of 26 October 2027 moves to
    // the second 02:30 of Sunday 31 October (01:30 UTC, CET), chosen by a
    // tutor in Réunion as 05:30 there. It stays that instant.
    let series = Series::new(
        chrono_tz::Europe::Paris,
        WeeklySlot {
            weekday: chrono::Weekday::Tue,
            start: 19 * 60,
            minutes: 60,
        },
        NaiveDate::from_ymd_opt(2027, 10, 5).expect("a date"),
    )
    .expect("a series");
    let now = Utc.with_ymd_and_hms(2027, 10, 20, 12, 0, 0).unwrap();
    let start = Utc.with_ymd_and_hms(2027, 10, 31, 1, 30, 0).unwrap();
    let date = NaiveDate::from_ymd_opt(2027, 10, 26).expect("a date");
    assert_eq!(
        series.move_occurrence_to(&[], date, start, 60, now),
        Ok(Change::Moved {
            date,
            to: Span::new(start, Utc.with_ymd_and_hms(2027, 10, 31, 2, 30, 0).unwrap()),
        })
    );
    // 23:30 Paris (21:30 UTC in October's CEST) for 60 minutes ends after
    // the pupil's midnight; 30 minutes ends on it.
    let late = Utc.with_ymd_and_hms(2027, 10, 27, 21, 30, 0).unwrap();
    assert_eq!(
        series.move_occurrence_to(&[], date, late, 60, now),
        Err(SessionError::Start)
    );
    assert!(series.move_occurrence_to(&[], date, late, 30, now).is_ok());
    assert_eq!(
        series.move_occurrence_to(&[], date, late, 45, now),
        Err(SessionError::Length)
    );
}
