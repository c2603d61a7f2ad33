//! iCalendar objects for session series (RFC 5545), built with the
//! `icalendar` crate: the invitations the booking and cancellation emails
//! carry (RFC 5546, iTIP: `METHOD:REQUEST`, `METHOD:CANCEL`) and each
//! user's subscription feed.
//!
//! A series is one `VEVENT` with a stable `UID`, its `SEQUENCE`, a local
//! start with the `TZID` of the pupil's zone, a `DURATION`, a weekly
//! `RRULE`, an `EXDATE` per cancelled session (and per week a clock change
//! skips) and, per moved session, a second `VEVENT` with the same `UID`
//! and a `RECURRENCE-ID`. The zone is described by a
//! `VTIMEZONE` ([`domain::time_zones`]), so that a calendar program keeps
//! the local hour across daylight-saving changes as the platform does.
//!
//! Privacy: an invitation's only `ATTENDEE` is its recipient and its
//! `ORGANIZER` the platform's sending address; the other side appears by
//! name only, never by address. The feed carries neither.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use domain::availability::local_midnight_utc;
use domain::sessions::Series;
use domain::time_zones::{byday, observances, utc_offset};
use icalendar::{Calendar, Component, Event, EventStatus, Property};

use crate::mail::outbox::{Attachment, Recipient};
use crate::mail::HeaderText;

/// `PRODID` of every object (RFC 5545, section 3.7.3).
pub const PRODID: &str = "-//Binome//Seances//FR";

/// How many years of a zone's rules a `VTIMEZONE` states from the series'
/// first year; yearly rules go on beyond.
const ZONE_YEARS: i32 = 5;

/// How many years ahead weeks skipped by a clock change are listed.
const SKIPPED_YEARS: i64 = 2;

/// What an object says of one series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesEvent {
    /// RFC 5545 `UID`, stable for the series' whole life.
    pub uid: String,
    /// RFC 5545 `SEQUENCE`: one more at each change.
    pub sequence: u32,
    pub series: Series,
    /// `SUMMARY`, in the recipient's language.
    pub summary: String,
    /// `URL`: where the recipient sees and changes their sessions.
    pub url: String,
    /// Original local dates of cancelled sessions (`EXDATE`).
    pub cancelled: Vec<NaiveDate>,
    /// Moved sessions: original local date, new start and end.
    pub moved: Vec<(NaiveDate, DateTime<Utc>, DateTime<Utc>)>,
    /// `LOCATION`: the school, or the video link, in words.
    pub location: Option<String>,
    /// `DESCRIPTION`: where, in a sentence, with the video link.
    pub description: Option<String>,
    /// The video link, also given as RFC 7986's `CONFERENCE` with
    /// `FEATURE=VIDEO`, which calendar programs show as a join button.
    pub conference: Option<String>,
}

/// RFC 5545's local DATE-TIME form, `YYYYMMDDTHHMMSS`.
fn local_text(local: NaiveDateTime) -> String {
    local.format("%Y%m%dT%H%M%S").to_string()
}

/// RFC 5545's UTC DATE-TIME form, `YYYYMMDDTHHMMSSZ`.
fn utc_text(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `DURATION` of `minutes`: exact real time (RFC 5545, 3.3.6), where a
/// local `DTEND` would stretch or shrink across a clock change.
fn duration(minutes: u16) -> Property {
    Property::new("DURATION", format!("PT{minutes}M"))
}

/// A property whose value is a local time in `zone` (`TZID` parameter).
fn zoned(key: &str, local: NaiveDateTime, zone: Tz) -> Property {
    Property::new(key, local_text(local))
        .add_parameter("TZID", zone.name())
        .done()
}

/// A parameter value made safe: RFC 5545 parameter values cannot hold a
/// double quote or a control character.
fn parameter_text(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect()
}

impl SeriesEvent {
    /// The local start of the session of `date`.
    fn local_start(&self, date: NaiveDate) -> NaiveDateTime {
        date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(self.series.slot.start))
    }

    /// The local date of the first session (the first week whose local
    /// start exists).
    fn first_date(&self) -> NaiveDate {
        self.series
            .first_session()
            .map_or(self.series.first_date, |span| {
                span.start.with_timezone(&self.series.zone).date_naive()
            })
    }

    /// The properties every `VEVENT` of the series shares.
    fn base(&self, now: DateTime<Utc>) -> Event {
        let mut event = Event::new();
        event
            .uid(&self.uid)
            .sequence(self.sequence)
            .timestamp(now)
            .summary(&self.summary)
            .url(&self.url);
        if let Some(location) = &self.location {
            event.add_property("LOCATION", location);
        }
        if let Some(description) = &self.description {
            event.add_property("DESCRIPTION", description);
        }
        if let Some(link) = &self.conference {
            event.append_property(
                Property::new("CONFERENCE", link)
                    .add_parameter("VALUE", "URI")
                    .add_parameter("FEATURE", "VIDEO")
                    .done(),
            );
        }
        event
    }

    /// The weeks of the next [`SKIPPED_YEARS`] years whose local start does
    /// not exist (a clock change skips it): no session. RFC 5545 ignores
    /// such instances, but some calendar programs shift them an hour
    /// later, so they are also listed as `EXDATE`s.
    fn skipped(&self) -> Vec<NaiveDate> {
        let first = self.series.first_date;
        self.series
            .occurrences(first, first + Duration::days(365 * SKIPPED_YEARS), &[])
            .into_iter()
            .filter(|o| o.status == domain::sessions::Status::Skipped)
            .map(|o| o.date)
            .collect()
    }

    /// The series' main `VEVENT`: the weekly rule and its exceptions. A
    /// moved session stays in the rule: its `RECURRENCE-ID` override
    /// ([`SeriesEvent::overrides`]) replaces it (RFC 5546, 4.2.2).
    fn recurring(&self, now: DateTime<Utc>) -> Event {
        let zone = self.series.zone;
        let first = self.local_start(self.first_date());
        let mut rule = format!("FREQ=WEEKLY;BYDAY={}", byday(self.series.slot.weekday));
        if let Some(last) = self.series.last_date {
            // RFC 5545, 3.3.10: with a zoned DTSTART, UNTIL is in UTC: the
            // last second of `last` there.
            let until = local_midnight_utc(zone, last + Duration::days(1)) - Duration::seconds(1);
            rule.push_str(&format!(";UNTIL={}", utc_text(until)));
        }
        let mut event = self.base(now);
        event
            .append_property(zoned("DTSTART", first, zone))
            .append_property(duration(self.series.slot.minutes))
            .add_property("RRULE", rule)
            .status(EventStatus::Confirmed);
        let mut excluded: Vec<NaiveDate> = self.cancelled.clone();
        excluded.extend(self.skipped());
        excluded.sort();
        excluded.dedup();
        for date in excluded {
            event.append_multi_property(zoned("EXDATE", self.local_start(date), zone));
        }
        event
    }

    /// The `VEVENT`s of the moved sessions: each replaces the session of
    /// its `RECURRENCE-ID`.
    fn overrides(&self, now: DateTime<Utc>) -> Vec<Event> {
        let zone = self.series.zone;
        self.moved
            .iter()
            .map(|(date, start, end)| {
                let mut event = self.base(now);
                event
                    .append_property(zoned("RECURRENCE-ID", self.local_start(*date), zone))
                    .append_property(zoned(
                        "DTSTART",
                        start.with_timezone(&zone).naive_local(),
                        zone,
                    ))
                    .append_property(duration(
                        u16::try_from((*end - *start).num_minutes()).unwrap_or(60),
                    ))
                    .status(EventStatus::Confirmed);
                event
            })
            .collect()
    }
}

/// `ORGANIZER` (the platform) and `ATTENDEE` (the recipient alone).
fn address(event: &mut Event, organizer: &str, attendee: &Recipient) {
    event.append_property(
        Property::new("ORGANIZER", format!("mailto:{organizer}"))
            .add_parameter("CN", "Binôme")
            .done(),
    );
    let mut who = Property::new("ATTENDEE", format!("mailto:{}", attendee.address.as_str()));
    if let Some(name) = &attendee.name {
        who.add_parameter("CN", &parameter_text(name.as_str()));
    }
    // The pair agreed on the platform: nothing to answer.
    who.add_parameter("ROLE", "REQ-PARTICIPANT")
        .add_parameter("PARTSTAT", "ACCEPTED")
        .add_parameter("RSVP", "FALSE");
    event.append_property(who.done());
}

/// The `VTIMEZONE` of `zone`, rules from the year before `from`'s, as
/// RFC 5545 text lines (the `icalendar` crate has no builder for it).
pub fn vtimezone(zone: Tz, from: NaiveDate) -> String {
    let mut text = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", zone.name());
    // From the year before: calendar programs read times before the first
    // onset in the earliest observance's TZOFFSETFROM, a guess best avoided.
    for observance in observances(zone, from - Duration::days(366), ZONE_YEARS + 1) {
        let component = observance.kind.component();
        text.push_str(&format!("BEGIN:{component}\r\n"));
        text.push_str(&format!("DTSTART:{}\r\n", local_text(observance.start)));
        text.push_str(&format!(
            "TZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            utc_offset(observance.offset_from),
            utc_offset(observance.offset_to)
        ));
        if let Some(name) = &observance.name {
            let name: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-'))
                .collect();
            text.push_str(&format!("TZNAME:{name}\r\n"));
        }
        if let Some(rule) = observance.rule {
            text.push_str(&format!("RRULE:{}\r\n", rule.rrule()));
        }
        for date in &observance.dates {
            text.push_str(&format!("RDATE:{}\r\n", local_text(*date)));
        }
        text.push_str(&format!("END:{component}\r\n"));
    }
    text.push_str("END:VTIMEZONE\r\n");
    text
}

/// `calendar` as text with the `VTIMEZONE`s of `zones` before its first
/// component, where calendar programs look for them.
fn with_zones(calendar: &Calendar, zones: &[(Tz, NaiveDate)]) -> String {
    let text = calendar.to_string();
    // Each zone once, from the earliest date that uses it.
    let mut earliest: Vec<(Tz, NaiveDate)> = Vec::new();
    for (zone, from) in zones {
        match earliest.iter_mut().find(|(z, _)| z == zone) {
            Some((_, date)) => *date = (*date).min(*from),
            None => earliest.push((*zone, *from)),
        }
    }
    let block: String = earliest
        .iter()
        .map(|(zone, from)| vtimezone(*zone, *from))
        .collect();
    // Calendar properties come first, each on its own line; the first
    // component begins at the first line starting with BEGIN: after the
    // calendar's own.
    let at = text[1..]
        .find("\r\nBEGIN:")
        .map_or_else(|| text.rfind("END:VCALENDAR").unwrap_or(0), |i| i + 3);
    format!("{}{block}{}", &text[..at], &text[at..])
}

fn calendar(method: Option<&str>) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("PRODID", PRODID))
        .append_property(("VERSION", "2.0"))
        .append_property(("CALSCALE", "GREGORIAN"));
    if let Some(method) = method {
        calendar.append_property(("METHOD", method));
    }
    calendar
}

/// The invitation to the whole series for `attendee` (`METHOD:REQUEST`):
/// sent when it is booked, and again, with a higher `SEQUENCE`, when it
/// changes.
pub fn request(
    event: &SeriesEvent,
    organizer: &str,
    attendee: &Recipient,
    now: DateTime<Utc>,
) -> String {
    let mut calendar = calendar(Some("REQUEST"));
    let mut main = event.recurring(now);
    address(&mut main, organizer, attendee);
    calendar.push(main);
    for mut moved in event.overrides(now) {
        address(&mut moved, organizer, attendee);
        calendar.push(moved);
    }
    with_zones(&calendar, &[(event.series.zone, event.first_date())])
}

/// The cancellation of the session of the original local `date` for
/// `attendee` (`METHOD:CANCEL` with its `RECURRENCE-ID`); `event` carries
/// the `SEQUENCE` after the change.
pub fn cancel_one(
    event: &SeriesEvent,
    date: NaiveDate,
    organizer: &str,
    attendee: &Recipient,
    now: DateTime<Utc>,
) -> String {
    let zone = event.series.zone;
    let start = event.local_start(date);
    let mut cancelled = event.base(now);
    cancelled
        .append_property(zoned("RECURRENCE-ID", start, zone))
        .append_property(zoned("DTSTART", start, zone))
        .append_property(duration(event.series.slot.minutes))
        .status(EventStatus::Cancelled);
    address(&mut cancelled, organizer, attendee);
    let mut calendar = calendar(Some("CANCEL"));
    calendar.push(cancelled);
    with_zones(&calendar, &[(zone, event.first_date())])
}

/// The cancellation of the whole series for `attendee` (`METHOD:CANCEL`
/// without `RECURRENCE-ID`); `event` carries the `SEQUENCE` after the
/// change.
pub fn cancel_all(
    event: &SeriesEvent,
    organizer: &str,
    attendee: &Recipient,
    now: DateTime<Utc>,
) -> String {
    let zone = event.series.zone;
    let start = event.local_start(event.series.first_date);
    let mut cancelled = event.base(now);
    cancelled
        .append_property(zoned("DTSTART", start, zone))
        .append_property(duration(event.series.slot.minutes))
        .status(EventStatus::Cancelled);
    address(&mut cancelled, organizer, attendee);
    let mut calendar = calendar(Some("CANCEL"));
    calendar.push(cancelled);
    with_zones(&calendar, &[(zone, event.series.first_date)])
}

/// A subscription feed of `events` (no `METHOD`, no addresses), named
/// `name`, that calendar programs are asked to refresh hourly (RFC 7986).
pub fn feed(events: &[SeriesEvent], name: &str, now: DateTime<Utc>) -> String {
    let mut calendar = calendar(None);
    calendar
        .append_property(("NAME", name))
        .append_property(("X-WR-CALNAME", name))
        .append_property(
            Property::new("REFRESH-INTERVAL", "PT1H")
                .add_parameter("VALUE", "DURATION")
                .done(),
        )
        .append_property(("X-PUBLISHED-TTL", "PT1H"));
    let mut zones = Vec::new();
    for event in events {
        calendar.push(event.recurring(now));
        for moved in event.overrides(now) {
            calendar.push(moved);
        }
        zones.push((event.series.zone, event.first_date()));
    }
    with_zones(&calendar, &zones)
}

/// An iCalendar object as an email attachment (`invitation.ics`), with the
/// `method` parameter iTIP asks for (RFC 6047, section 2.4).
pub fn attachment(method: &str, text: String) -> Attachment {
    Attachment {
        filename: HeaderText::new("invitation.ics"),
        content_type: format!("text/calendar; charset=utf-8; method={method}"),
        content: text.into_bytes(),
    }
}

#[cfg(test)]
mod tests;
