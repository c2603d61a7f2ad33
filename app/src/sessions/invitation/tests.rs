use chrono::{NaiveDate, TimeZone, Utc, Weekday};
use domain::availability::WeeklySlot;
use domain::sessions::Series;

use super::*;
use crate::mail::EmailAddress;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// Tuesdays 18:00–19:00 in Paris from 23 March 2027, across the change of
/// 28 March.
fn tuesdays(last_date: Option<NaiveDate>) -> SeriesEvent {
    SeriesEvent {
        uid: "abc123@binome".into(),
        sequence: 2,
        series: Series {
            zone: chrono_tz::Europe::Paris,
            slot: WeeklySlot {
                weekday: Weekday::Tue,
                start: 18 * 60,
                minutes: 60,
            },
            first_date: day(2027, 3, 23),
            last_date,
        },
        summary: "Binôme : séance avec Léa Martin, pour mathématiques".into(),
        url: "https://binome.example.fr/calendrier".into(),
        cancelled: vec![day(2027, 4, 6)],
        moved: vec![],
        location: Some("https://visio.example.fr/binome-0a1b".into()),
        description: Some("En ligne ; lien : https://visio.example.fr/binome-0a1b".into()),
        conference: Some("https://visio.example.fr/binome-0a1b".into()),
    }
}

fn hugo() -> Recipient {
    Recipient {
        address: EmailAddress::parse("hugo@example.fr").expect("an address"),
        name: Some(HeaderText::new("Hugo \"le grand\" Bernard")),
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 20, 9, 0, 0).unwrap()
}

/// The content lines, unfolded (RFC 5545, section 3.1).
fn lines(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn has(lines: &[String], line: &str) -> bool {
    lines.iter().any(|l| l == line)
}

#[test]
fn a_request_states_the_series_in_the_pupils_zone() {
    let text = request(
        &tuesdays(None),
        "no-reply@binome.example.fr",
        &hugo(),
        now(),
    );
    let lines = lines(&text);
    for expected in [
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "UID:abc123@binome",
        "SEQUENCE:2",
        "DTSTAMP:20270320T090000Z",
        "DTSTART;TZID=Europe/Paris:20270323T180000",
        "DURATION:PT60M",
        "RRULE:FREQ=WEEKLY;BYDAY=TU",
        "EXDATE;TZID=Europe/Paris:20270406T180000",
        "STATUS:CONFIRMED",
        // Where: RFC 5545 TEXT escapes the semicolon.
        "LOCATION:https://visio.example.fr/binome-0a1b",
        "DESCRIPTION:En ligne \\; lien : https://visio.example.fr/binome-0a1b",
        "TZID:Europe/Paris",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:VCALENDAR",
    ] {
        assert!(has(&lines, expected), "{expected} missing from\n{text}");
    }
    // RFC 7986's video link, its parameters in any order.
    let conference: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("CONFERENCE;"))
        .collect();
    assert_eq!(conference.len(), 1, "{text}");
    assert!(
        conference[0].contains("VALUE=URI")
            && conference[0].contains("FEATURE=VIDEO")
            && conference[0].ends_with(":https://visio.example.fr/binome-0a1b"),
        "{text}"
    );
    // The zone is described before the event that uses it.
    let zone = lines.iter().position(|l| l == "BEGIN:VTIMEZONE");
    let event = lines.iter().position(|l| l == "BEGIN:VEVENT");
    assert!(zone.is_some() && zone < event, "{text}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("BEGIN:VEVENT"))
            .count(),
        1
    );
}

#[test]
fn the_recipient_is_the_only_attendee_and_the_platform_organises() {
    let text = request(
        &tuesdays(None),
        "no-reply@binome.example.fr",
        &hugo(),
        now(),
    );
    let lines = lines(&text);
    let attendees: Vec<_> = lines.iter().filter(|l| l.starts_with("ATTENDEE")).collect();
    assert_eq!(attendees.len(), 1, "{text}");
    assert!(attendees[0].ends_with(":mailto:hugo@example.fr"), "{text}");
    // A double quote cannot be in a parameter value: it is dropped.
    assert!(attendees[0].contains("CN=Hugo le grand Bernard"), "{text}");
    assert!(
        has(
            &lines,
            "ORGANIZER;CN=Binôme:mailto:no-reply@binome.example.fr"
        ),
        "{text}"
    );
    assert_eq!(text.matches("mailto:").count(), 2, "{text}");
}

#[test]
fn a_series_with_an_end_has_until_in_utc() {
    // 29 June 2027 23:59:59 in Paris (CEST, +02:00) is 21:59:59 UTC.
    let text = request(
        &tuesdays(Some(day(2027, 6, 29))),
        "no-reply@binome.example.fr",
        &hugo(),
        now(),
    );
    assert!(
        has(
            &lines(&text),
            "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270629T215959Z"
        ),
        "{text}"
    );
}

#[test]
fn a_moved_session_is_its_own_event_with_a_recurrence_id() {
    let mut event = tuesdays(None);
    event.cancelled.clear();
    // The session of 30 March moved to Wednesday 31 March, 17:00–18:00 in
    // Paris (15:00 UTC).
    event.moved = vec![(
        day(2027, 3, 30),
        Utc.with_ymd_and_hms(2027, 3, 31, 15, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2027, 3, 31, 16, 0, 0).unwrap(),
    )];
    let text = request(&event, "no-reply@binome.example.fr", &hugo(), now());
    let lines = lines(&text);
    assert_eq!(
        lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(),
        2,
        "{text}"
    );
    for expected in [
        "RECURRENCE-ID;TZID=Europe/Paris:20270330T180000",
        "DTSTART;TZID=Europe/Paris:20270331T170000",
        "DURATION:PT60M",
    ] {
        assert!(has(&lines, expected), "{expected} missing from\n{text}");
    }
    // The override replaces the instance; excluding it too would make some
    // programs drop the moved session.
    assert!(!lines.iter().any(|l| l.starts_with("EXDATE")), "{text}");
}

#[test]
fn cancelling_one_session_names_it_by_its_recurrence_id() {
    let mut event = tuesdays(None);
    event.sequence = 3;
    let text = cancel_one(
        &event,
        day(2027, 4, 13),
        "no-reply@binome.example.fr",
        &hugo(),
        now(),
    );
    let lines = lines(&text);
    for expected in [
        "METHOD:CANCEL",
        "UID:abc123@binome",
        "SEQUENCE:3",
        "RECURRENCE-ID;TZID=Europe/Paris:20270413T180000",
        "DTSTART;TZID=Europe/Paris:20270413T180000",
        "STATUS:CANCELLED",
    ] {
        assert!(has(&lines, expected), "{expected} missing from\n{text}");
    }
    assert!(
        !lines.iter().any(|l| l.starts_with("RRULE:FREQ=WEEKLY")),
        "{text}"
    );
}

#[test]
fn the_feed_carries_no_address_and_asks_for_hourly_refresh() {
    let text = feed(&[tuesdays(None)], "Binôme", now());
    let lines = lines(&text);
    assert!(!text.contains("mailto:"), "{text}");
    assert!(!lines.iter().any(|l| l.starts_with("METHOD")), "{text}");
    assert!(
        has(&lines, "REFRESH-INTERVAL;VALUE=DURATION:PT1H"),
        "{text}"
    );
    assert!(has(&lines, "RRULE:FREQ=WEEKLY;BYDAY=TU"), "{text}");
    assert_eq!(
        lines.iter().filter(|l| *l == "BEGIN:VTIMEZONE").count(),
        1,
        "{text}"
    );
}

#[test]
fn lines_end_in_crlf_and_are_folded_at_75_octets() {
    let mut event = tuesdays(None);
    event.summary = "Binôme : séance de tutorat avec Léa-Marie de La Tour d'Auvergne, mathématiques et physique-chimie".into();
    let text = request(&event, "no-reply@binome.example.fr", &hugo(), now());
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
}

#[test]
fn a_zone_without_changes_has_one_standard_observance() {
    let text = vtimezone(chrono_tz::Indian::Reunion, day(2027, 3, 1));
    assert_eq!(
        text,
        "BEGIN:VTIMEZONE\r\nTZID:Indian/Reunion\r\nBEGIN:STANDARD\r\n\
         DTSTART:20260101T040000\r\nTZOFFSETFROM:+0400\r\nTZOFFSETTO:+0400\r\n\
         END:STANDARD\r\nEND:VTIMEZONE\r\n"
    );
}

#[test]
fn weeks_a_clock_change_skips_are_excluded_for_two_years() {
    // Sundays 02:30 in Paris: 28 March 2027 and 26 March 2028 have no
    // 02:30 (the clocks go from 02:00 to 03:00).
    let mut event = tuesdays(None);
    event.cancelled.clear();
    event.series.slot = WeeklySlot {
        weekday: Weekday::Sun,
        start: 150,
        minutes: 60,
    };
    event.series.first_date = day(2027, 3, 21);
    let text = request(&event, "no-reply@binome.example.fr", &hugo(), now());
    let exdates: Vec<String> = lines(&text)
        .into_iter()
        .filter(|l| l.starts_with("EXDATE"))
        .collect();
    assert_eq!(
        exdates,
        [
            "EXDATE;TZID=Europe/Paris:20270328T023000",
            "EXDATE;TZID=Europe/Paris:20280326T023000",
        ]
    );
}
