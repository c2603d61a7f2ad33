use chrono::{Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::*;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, min, 0))
        .expect("a valid local time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The offset RFC 5545 gives at `at` from `observances` over the years up
/// to `last_year`: the `TZOFFSETTO` of the latest onset at or before it
/// (each onset a local time in its `TZOFFSETFROM`), or the first
/// observance's `TZOFFSETFROM` before any onset.
fn offset_at(observances: &[Observance], last_year: i32, at: DateTime<Utc>) -> i32 {
    let mut onsets: Vec<(DateTime<Utc>, i32)> = Vec::new();
    for o in observances {
        let mut locals = vec![o.start];
        locals.extend(&o.dates);
        if let Some(rule) = o.rule {
            for year in o.start.year() + 1..=last_year {
                let date = rule.date_in(year).expect("the rule names a date");
                locals.push(date.and_time(o.start.time()));
            }
        }
        for l in locals {
            let utc = (l - Duration::seconds(i64::from(o.offset_from))).and_utc();
            onsets.push((utc, o.offset_to));
        }
    }
    onsets.sort();
    onsets
        .iter()
        .rev()
        .find(|(onset, _)| *onset <= at)
        .map_or(observances[0].offset_from, |(_, offset)| *offset)
}

fn chrono_offset(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

#[test]
fn paris_has_the_two_european_rules() {
    let found = observances(chrono_tz::Europe::Paris, day(2027, 3, 1), 10);
    assert_eq!(
        found,
        vec![
            Observance {
                kind: ObservanceKind::Daylight,
                name: Some("CEST".into()),
                offset_from: 3600,
                offset_to: 7200,
                start: local(2027, 3, 28, 2, 0),
                rule: Some(YearlyRule {
                    month: 3,
                    week: -1,
                    weekday: Weekday::Sun
                }),
                dates: vec![],
            },
            Observance {
                kind: ObservanceKind::Standard,
                name: Some("CET".into()),
                offset_from: 7200,
                offset_to: 3600,
                start: local(2027, 10, 31, 3, 0),
                rule: Some(YearlyRule {
                    month: 10,
                    week: -1,
                    weekday: Weekday::Sun
                }),
                dates: vec![],
            },
        ]
    );
    assert_eq!(
        found[0].rule.map(|r| r.rrule()).as_deref(),
        Some("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
    );
}

#[test]
fn reunion_has_one_standard_observance() {
    let found = observances(chrono_tz::Indian::Reunion, day(2027, 3, 1), 10);
    assert_eq!(
        found,
        vec![Observance {
            kind: ObservanceKind::Standard,
            name: None,
            offset_from: 4 * 3600,
            offset_to: 4 * 3600,
            start: local(2027, 1, 1, 4, 0),
            rule: None,
            dates: vec![],
        }]
    );
}

#[test]
fn miquelon_follows_the_north_american_rules() {
    // 1 March 2027 and 1 November 2027 are Mondays: the second Sunday of
    // March is the 14th, the first of November the 7th.
    let found = observances(chrono_tz::America::Miquelon, day(2027, 1, 1), 10);
    let summary: Vec<_> = found
        .iter()
        .map(|o| {
            (
                o.kind,
                o.offset_from,
                o.offset_to,
                o.start,
                o.rule.map(|r| r.rrule()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                ObservanceKind::Daylight,
                -3 * 3600,
                -2 * 3600,
                local(2027, 3, 14, 2, 0),
                Some("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU".into())
            ),
            (
                ObservanceKind::Standard,
                -2 * 3600,
                -3 * 3600,
                local(2027, 11, 7, 2, 0),
                Some("FREQ=YEARLY;BYMONTH=11;BYDAY=1SU".into())
            ),
        ]
    );
}

#[test]
fn a_zone_that_dropped_daylight_saving_gets_dates_not_rules() {
    // Brazil's last summer times: to 18 February 2018 at 00:00, then from
    // 4 November 2018 at 00:00 to 17 February 2019 at 00:00 (local, read
    // before each change); none after.
    let found = observances(chrono_tz::America::Sao_Paulo, day(2018, 6, 1), 4);
    let summary: Vec<_> = found
        .iter()
        .map(|o| {
            (
                o.kind,
                o.offset_from,
                o.offset_to,
                o.start,
                o.rule,
                o.dates.len(),
            )
        })
        .collect();
    assert_eq!(found[0].dates, vec![local(2019, 2, 17, 0, 0)]);
    assert_eq!(
        summary,
        vec![
            (
                ObservanceKind::Standard,
                -2 * 3600,
                -3 * 3600,
                local(2018, 2, 18, 0, 0),
                None,
                1
            ),
            (
                ObservanceKind::Daylight,
                -3 * 3600,
                -2 * 3600,
                local(2018, 11, 4, 0, 0),
                None,
                0
            ),
        ]
    );
}

#[test]
fn observances_give_the_database_offset_at_every_instant() {
    let zones = [
        chrono_tz::Europe::Paris,
        chrono_tz::Europe::London,
        chrono_tz::Indian::Reunion,
        chrono_tz::America::Cayenne,
        chrono_tz::America::Miquelon,
        chrono_tz::Pacific::Noumea,
        chrono_tz::America::Santiago,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::America::Sao_Paulo,
    ];
    for zone in zones {
        let (first_year, years) = (2017, 10);
        let found = observances(zone, day(first_year, 7, 1), years);
        let last_year = first_year + years - 1;
        let start = Utc.with_ymd_and_hms(first_year, 1, 1, 0, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(last_year + 1, 1, 1, 0, 0, 0).unwrap();
        let mut at = start;
        while at < end {
            assert_eq!(
                offset_at(&found, last_year, at),
                chrono_offset(zone, at),
                "{zone} at {at}"
            );
            at += Duration::hours(6);
        }
        for change in transitions(zone, start, end) {
            for at in [change.at - Duration::seconds(1), change.at] {
                assert_eq!(
                    offset_at(&found, last_year, at),
                    chrono_offset(zone, at),
                    "{zone} at {at}"
                );
            }
        }
    }
}

#[test]
fn transitions_are_found_to_the_second() {
    // Paris: 28 March 2027 at 01:00 UTC and 31 October 2027 at 01:00 UTC.
    let found = transitions(
        chrono_tz::Europe::Paris,
        Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap(),
    );
    let instants: Vec<_> = found
        .iter()
        .map(|t| (t.at, t.offset_from, t.offset_to, t.daylight))
        .collect();
    assert_eq!(
        instants,
        vec![
            (
                Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap(),
                3600,
                7200,
                true
            ),
            (
                Utc.with_ymd_and_hms(2027, 10, 31, 1, 0, 0).unwrap(),
                7200,
                3600,
                false
            ),
        ]
    );
}

#[test]
fn yearly_rules_name_the_right_days() {
    let last_sunday_of_march = YearlyRule {
        month: 3,
        week: -1,
        weekday: Weekday::Sun,
    };
    assert_eq!(last_sunday_of_march.date_in(2027), Some(day(2027, 3, 28)));
    assert_eq!(last_sunday_of_march.date_in(2030), Some(day(2030, 3, 31)));
    let last_sunday_of_december = YearlyRule {
        month: 12,
        week: -1,
        weekday: Weekday::Sun,
    };
    assert_eq!(
        last_sunday_of_december.date_in(2027),
        Some(day(2027, 12, 26))
    );
    let first_sunday_of_april = YearlyRule {
        month: 4,
        week: 1,
        weekday: Weekday::Sun,
    };
    assert_eq!(first_sunday_of_april.date_in(2027), Some(day(2027, 4, 4)));
}

#[test]
fn utc_offsets_are_written_as_the_rfc_says() {
    assert_eq!(utc_offset(3600), "+0100");
    assert_eq!(utc_offset(0), "+0000");
    assert_eq!(utc_offset(-(3 * 3600 + 30 * 60)), "-0330");
    assert_eq!(utc_offset(5 * 3600 + 45 * 60), "+0545");
    assert_eq!(utc_offset(-(17 * 60 + 30)), "-001730");
}
