//! Expected instants below are computed by hand from the rules of each zone:
//! Europe/Paris is UTC+1 in winter and UTC+2 in summer, changing at 01:00 UTC
//! on the last Sundays of March (28 March 2027) and October (31 October
//! 2027); Indian/Reunion is UTC+4 all year.

use super::*;
use chrono::Weekday::{Mon, Sun, Tue};
use proptest::prelude::*;

fn paris() -> Tz {
    parse_zone("Europe/Paris").expect("a zone")
}

fn reunion() -> Tz {
    parse_zone("Indian/Reunion").expect("a zone")
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

fn span(start: &str, end: &str) -> Span {
    Span::new(at(start), at(end))
}

fn hm(hours: u16, minutes: u16) -> u16 {
    hours * 60 + minutes
}

fn weekly(zone: Tz, intervals: &[(Weekday, u16, u16)]) -> WeeklyAvailability {
    let intervals = intervals
        .iter()
        .map(|&(day, from, to)| WeeklyInterval::new(day, from, to).expect("a valid interval"));
    WeeklyAvailability::new(zone, intervals).0
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

#[test]
fn intervals_are_on_the_grain_never_empty_never_past_midnight() {
    assert!(WeeklyInterval::new(Mon, 0, hm(24, 0)).is_ok());
    assert_eq!(
        WeeklyInterval::new(Mon, hm(18, 0), hm(18, 0)),
        Err(IntervalError::Empty)
    );
    assert_eq!(
        WeeklyInterval::new(Mon, hm(19, 0), hm(18, 0)),
        Err(IntervalError::Empty)
    );
    assert_eq!(
        WeeklyInterval::new(Mon, hm(18, 15), hm(19, 0)),
        Err(IntervalError::OffGrain)
    );
    assert_eq!(
        WeeklyInterval::new(Mon, hm(23, 0), hm(24, 30)),
        Err(IntervalError::PastMidnight)
    );
}

#[test]
fn overlapping_and_touching_intervals_of_a_day_are_merged() {
    let given = [
        (Tue, hm(18, 0), hm(19, 0)),
        (Mon, hm(18, 30), hm(20, 0)),
        (Mon, hm(18, 0), hm(19, 0)),
        (Mon, hm(20, 0), hm(21, 0)),
    ];
    let intervals = given
        .iter()
        .map(|&(d, f, t)| WeeklyInterval::new(d, f, t).expect("valid"));
    let (availability, normalisation) = WeeklyAvailability::new(paris(), intervals);
    let kept: Vec<_> = availability
        .intervals()
        .iter()
        .map(|i| (i.weekday(), i.from(), i.to()))
        .collect();
    assert_eq!(
        kept,
        vec![(Mon, hm(18, 0), hm(21, 0)), (Tue, hm(18, 0), hm(19, 0))]
    );
    assert_eq!(normalisation.merged, 2);
    assert_eq!(availability.weekly_minutes(), 240);
}

#[test]
fn only_iana_zones_are_known() {
    assert_eq!(parse_zone("Indian/Reunion"), Ok(chrono_tz::Indian::Reunion));
    assert_eq!(
        parse_zone("America/Cayenne"),
        Ok(chrono_tz::America::Cayenne)
    );
    assert!(parse_zone("Europe/Pariss").is_err());
    assert!(parse_zone("").is_err());
    assert!(parse_zone("UTC+4").is_err());
}

#[test]
fn a_winter_evening_in_paris_is_one_hour_behind_utc_plus_one() {
    let pupil = weekly(paris(), &[(Tue, hm(18, 0), hm(20, 0))]);
    let spans = pupil.spans(span("2027-01-04T00:00:00Z", "2027-01-11T00:00:00Z"));
    assert_eq!(
        spans,
        vec![span("2027-01-05T17:00:00Z", "2027-01-05T19:00:00Z")]
    );
}

#[test]
fn local_times_skipped_in_march_are_not_available() {
    // Sunday 28 March 2027: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    // 01:00 CET = 00:00 UTC; 04:00 CEST = 02:00 UTC: two hours, not three.
    let sunday_night = weekly(paris(), &[(Sun, hm(1, 0), hm(4, 0))]);
    let week = span("2027-03-22T00:00:00Z", "2027-03-29T00:00:00Z");
    assert_eq!(
        sunday_night.spans(week),
        vec![span("2027-03-28T00:00:00Z", "2027-03-28T02:00:00Z")]
    );
    // Only the skipped hour: nothing at all that Sunday.
    let skipped = weekly(paris(), &[(Sun, hm(2, 0), hm(3, 0))]);
    assert_eq!(skipped.spans(week), vec![]);
    // The Sunday before is an ordinary one.
    let before = span("2027-03-15T00:00:00Z", "2027-03-22T00:00:00Z");
    assert_eq!(
        skipped.spans(before),
        vec![span("2027-03-21T01:00:00Z", "2027-03-21T02:00:00Z")]
    );
}

#[test]
fn local_times_repeated_in_october_are_available_both_times() {
    // Sunday 31 October 2027: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
    // 01:00 CEST = 23:00 UTC the day before; 04:00 CET = 03:00 UTC: four hours.
    let week = span("2027-10-25T00:00:00Z", "2027-11-01T00:00:00Z");
    let sunday_night = weekly(paris(), &[(Sun, hm(1, 0), hm(4, 0))]);
    let spans = sunday_night.spans(week);
    assert_eq!(
        spans,
        vec![span("2027-10-30T23:00:00Z", "2027-10-31T03:00:00Z")]
    );
    assert_eq!(total(&spans), Duration::hours(4));
    // 02:00–03:00 happens twice: 00:00–01:00 UTC (CEST), then 01:00–02:00 UTC (CET).
    let repeated = weekly(paris(), &[(Sun, hm(2, 0), hm(3, 0))]);
    assert_eq!(
        repeated.spans(week),
        vec![span("2027-10-31T00:00:00Z", "2027-10-31T02:00:00Z")]
    );
    assert!(repeated.contains(at("2027-10-31T00:30:00Z")));
    assert!(repeated.contains(at("2027-10-31T01:30:00Z")));
    assert!(!repeated.contains(at("2027-10-31T02:00:00Z")));
}

#[test]
fn la_reunion_never_changes() {
    let tutor = weekly(reunion(), &[(Tue, hm(21, 0), hm(23, 0))]);
    let fortnight = span("2027-03-22T00:00:00Z", "2027-04-05T00:00:00Z");
    assert_eq!(
        tutor.spans(fortnight),
        vec![
            span("2027-03-23T17:00:00Z", "2027-03-23T19:00:00Z"),
            span("2027-03-30T17:00:00Z", "2027-03-30T19:00:00Z"),
        ]
    );
}

#[test]
fn paris_and_la_reunion_share_less_once_paris_is_on_summer_time() {
    // Pupil in Toulouse, Tuesday 18:00–20:00; tutor in La Réunion, Tuesday
    // 21:00–23:00 (17:00–19:00 UTC). Winter: the pupil is 17:00–19:00 UTC,
    // two shared hours. Summer: 16:00–18:00 UTC, one shared hour.
    let pupil = weekly(paris(), &[(Tue, hm(18, 0), hm(20, 0))]);
    let tutor = weekly(reunion(), &[(Tue, hm(21, 0), hm(23, 0))]);
    let fortnight = span("2027-03-22T00:00:00Z", "2027-04-05T00:00:00Z");
    let shared = overlap(&pupil, &tutor, fortnight);
    assert_eq!(
        shared,
        vec![
            span("2027-03-23T17:00:00Z", "2027-03-23T19:00:00Z"),
            span("2027-03-30T17:00:00Z", "2027-03-30T18:00:00Z"),
        ]
    );
    assert_eq!(total(&shared), Duration::hours(3));
    assert_eq!(overlap(&tutor, &pupil, fortnight), shared);
}

#[test]
fn overlap_crosses_local_midnight_between_zones() {
    // Monday 00:00–02:00 in La Réunion is Sunday 20:00–22:00 UTC; Sunday
    // 21:00–23:30 in Paris in January is 20:00–22:30 UTC.
    let tutor = weekly(reunion(), &[(Mon, 0, hm(2, 0))]);
    let pupil = weekly(paris(), &[(Sun, hm(21, 0), hm(23, 30))]);
    let week = span("2027-01-04T00:00:00Z", "2027-01-11T00:00:00Z");
    assert_eq!(
        overlap(&pupil, &tutor, week),
        vec![span("2027-01-10T20:00:00Z", "2027-01-10T22:00:00Z")]
    );
}

#[test]
fn a_slot_fixed_in_paris_must_fit_the_tutor_every_week() {
    let pupil = weekly(paris(), &[(Tue, hm(18, 0), hm(20, 0))]);
    let tutor = weekly(reunion(), &[(Tue, hm(21, 0), hm(23, 0))]);
    let hour = |start| WeeklySlot {
        weekday: Tue,
        start,
        minutes: 60,
    };
    // Two winter weeks: 18:00, 18:30 and 19:00 all fit 17:00–19:00 UTC.
    assert_eq!(
        recurring_slots(&pupil, &tutor, date("2027-03-15"), 2, 60),
        vec![hour(hm(18, 0)), hour(hm(18, 30)), hour(hm(19, 0))]
    );
    // Four weeks across 28 March: in summer 18:00 Paris is 16:00 UTC, before
    // the tutor is free; only 19:00–20:00 (17:00–18:00 UTC) fits every week.
    assert_eq!(
        recurring_slots(&pupil, &tutor, date("2027-03-15"), 4, 60),
        vec![hour(hm(19, 0))]
    );
    assert_eq!(
        recurring_slots(&pupil, &tutor, date("2027-03-15"), 4, 90),
        vec![]
    );
    // The weeks may start on any day.
    assert_eq!(
        recurring_slots(&pupil, &tutor, date("2027-03-24"), 2, 60),
        vec![hour(hm(19, 0))]
    );
}

#[test]
fn a_slot_skipped_by_the_change_does_not_qualify() {
    let pupil = weekly(paris(), &[(Sun, hm(2, 0), hm(3, 0))]);
    let tutor = weekly(paris(), &[(Sun, 0, hm(24, 0))]);
    let slot = WeeklySlot {
        weekday: Sun,
        start: hm(2, 0),
        minutes: 60,
    };
    assert_eq!(
        recurring_slots(&pupil, &tutor, date("2027-03-01"), 3, 60),
        vec![slot]
    );
    assert_eq!(
        recurring_slots(&pupil, &tutor, date("2027-03-01"), 4, 60),
        vec![]
    );
    assert_eq!(slot.on(date("2027-03-28"), paris()), None);
    // On the October change the earlier 02:00 is used: 00:00–01:00 UTC.
    assert_eq!(
        slot.on(date("2027-10-31"), paris()),
        Some(span("2027-10-31T00:00:00Z", "2027-10-31T01:00:00Z"))
    );
}

#[test]
fn a_range_that_starts_and_ends_inside_intervals_is_clipped() {
    let evening = weekly(reunion(), &[(Tue, hm(21, 0), hm(23, 0))]);
    assert_eq!(
        evening.spans(span("2027-03-23T18:00:00Z", "2027-03-23T18:30:00Z")),
        vec![span("2027-03-23T18:00:00Z", "2027-03-23T18:30:00Z")]
    );
    assert_eq!(
        evening.spans(span("2027-03-23T19:00:00Z", "2027-03-23T18:00:00Z")),
        vec![]
    );
}

// Zones with and without daylight saving, whole-hour and half-hour offsets
// (Lord Howe changes by 30 minutes), both hemispheres.
const ZONES: &[&str] = &[
    "Europe/Paris",
    "Indian/Reunion",
    "America/Cayenne",
    "America/Martinique",
    "Indian/Mayotte",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
];

fn availability() -> impl Strategy<Value = WeeklyAvailability> {
    let interval = (0..7usize, 0..48u16, 1..=48u16).prop_map(|(day, start, length)| {
        let from = start * GRAIN_MINUTES;
        let to = (from + length * GRAIN_MINUTES).min(MINUTES_PER_DAY);
        WeeklyInterval::new(WEEKDAYS[day], from, to).expect("valid by construction")
    });
    (0..ZONES.len(), proptest::collection::vec(interval, 0..8)).prop_map(|(zone, intervals)| {
        WeeklyAvailability::new(parse_zone(ZONES[zone]).expect("known"), intervals).0
    })
}

/// Ranges of up to three weeks within 2026–2028, so that many of them hold
/// a change of some zone.
fn range() -> impl Strategy<Value = Span> {
    (0..3 * 365 * 24 * 60i64, 1..21 * 24 * 60i64).prop_map(|(start, length)| {
        let origin = at("2026-01-01T00:00:00Z");
        let start = origin + Duration::minutes(start);
        Span::new(start, start + Duration::minutes(length))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn overlap_is_symmetric(a in availability(), b in availability(), range in range()) {
        prop_assert_eq!(overlap(&a, &b, range), overlap(&b, &a, range));
    }

    #[test]
    fn every_shared_instant_is_in_both(a in availability(), b in availability(), range in range()) {
        for shared in overlap(&a, &b, range) {
            prop_assert!(range.start <= shared.start && shared.end <= range.end);
            let last = shared.end - Duration::seconds(1);
            let middle = shared.start + (shared.end - shared.start) / 2;
            for instant in [shared.start, middle, last] {
                prop_assert!(a.contains(instant), "{instant} not in a");
                prop_assert!(b.contains(instant), "{instant} not in b");
            }
        }
    }

    #[test]
    fn spans_hold_exactly_the_available_instants(
        a in availability(),
        range in range(),
        samples in proptest::collection::vec(0.0..1.0f64, 40),
    ) {
        let spans = a.spans(range);
        let length = (range.end - range.start).num_seconds();
        #[allow(clippy::cast_possible_truncation)]
        for fraction in samples {
            let instant = range.start + Duration::seconds((fraction * length as f64) as i64);
            let in_spans = spans.iter().any(|s| s.contains(instant));
            prop_assert_eq!(in_spans, a.contains(instant), "at {}", instant);
        }
        // Maximal: the second before each span (inside the range) is not available.
        for s in &spans {
            if s.start > range.start {
                prop_assert!(!a.contains(s.start - Duration::seconds(1)));
            }
            if s.end < range.end {
                prop_assert!(!a.contains(s.end));
            }
        }
    }

    #[test]
    fn recurring_slots_lie_inside_both_every_week(
        a in availability(),
        b in availability(),
        first in 0..3 * 365i64,
        weeks in 1..5u32,
    ) {
        let first_day = date("2026-01-01") + Duration::days(first);
        for slot in recurring_slots(&a, &b, first_day, weeks, 60) {
            for week in 0..weeks {
                let dates = (0..7).map(|d| first_day + Duration::weeks(i64::from(week)) + Duration::days(d));
                let span = dates.filter_map(|d| slot.on(d, a.zone())).next();
                prop_assert!(span.is_some(), "{slot:?} missing in week {week}");
                let span = span.expect("checked");
                let mut instant = span.start;
                while instant < span.end {
                    prop_assert!(a.contains(instant) && b.contains(instant), "{slot:?} at {instant}");
                    instant += Duration::minutes(15);
                }
                prop_assert!(a.contains(span.end - Duration::seconds(1)) && b.contains(span.end - Duration::seconds(1)));
            }
        }
    }
}

proptest! {
    /// Issue 10: any bounds give an interval exactly when the rules hold
    /// (within the day, not empty, on the 30-minute grid), never a panic.
    #[test]
    fn any_bounds_are_an_interval_exactly_when_the_rules_hold(from in any::<u16>(), to in any::<u16>()) {
        let valid = to <= 1440 && from < to && from % 30 == 0 && to % 30 == 0;
        prop_assert_eq!(WeeklyInterval::new(Mon, from, to).is_ok(), valid);
    }

    /// Any text is a zone of the IANA database or an error, never a panic.
    #[test]
    fn any_text_is_a_zone_or_an_error_and_never_a_panic(name in "\\PC{0,30}|[A-Z][a-z]+/[A-Z][a-z_]+") {
        if let Ok(zone) = parse_zone(&name) {
            prop_assert_eq!(zone.name(), name.trim());
        }
    }
}

#[test]
fn every_zone_of_the_database_parses() {
    for zone in chrono_tz::TZ_VARIANTS {
        assert_eq!(parse_zone(zone.name()), Ok(zone));
    }
}
