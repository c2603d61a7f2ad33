"""Prints, as a JSON list, the UTC start of every session an iCalendar file
states in [FROM, TO): its own VTIMEZONEs turned into time zones by the
`icalendar` package (never the system's zone database), each weekly RRULE
expanded by `dateutil`, EXDATEs removed, RECURRENCE-ID overrides applied,
and local times that do not exist skipped (RFC 5545, 3.3.10). It shares no
code with Binôme: the tests compare its answer with the stored sessions.

    python ics_sessions.py FILE.ics 2027-03-20T00:00:00Z 2027-05-16T00:00:00Z
"""
import json
import sys
from datetime import datetime, timedelta, timezone

import icalendar
from dateutil.rrule import rrulestr


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def naive(value):
    """The local wall time of a DATE-TIME as written (its TZID dropped)."""
    return value.dt.replace(tzinfo=None)


def to_utc(local, zone):
    """The instant of `local` in `zone`, the first of two when it repeats;
    None when it does not exist."""
    aware = local.replace(tzinfo=zone, fold=0)
    utc = aware.astimezone(timezone.utc)
    if utc.astimezone(zone).replace(tzinfo=None) != local:
        return None
    return utc


def main():
    path, start, end = sys.argv[1], instant(sys.argv[2]), instant(sys.argv[3])
    with open(path, "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    zones = {
        str(vtimezone["TZID"]): vtimezone.to_tz(lookup_tzid=False)
        for vtimezone in calendar.walk("VTIMEZONE")
    }
    series, overrides = {}, []
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            overrides.append(event)
        else:
            series[str(event["UID"])] = event
    found = {}
    for uid, event in series.items():
        zone = zones[str(event["DTSTART"].params["TZID"])]
        first = naive(event["DTSTART"])
        excluded = set()
        exdates = event.get("EXDATE", [])
        for exdate in exdates if isinstance(exdates, list) else [exdates]:
            excluded.update(d.dt.replace(tzinfo=None) for d in exdate.dts)
        # UNTIL is a UTC instant (RFC 5545, 3.3.10): applied to each
        # instance's instant, not to its local time.
        until = event["RRULE"].get("UNTIL")
        until = until[0].astimezone(timezone.utc) if until else None
        rule = ";".join(
            part
            for part in event["RRULE"].to_ical().decode().split(";")
            if not part.startswith("UNTIL=")
        )
        # No zone is a day or more away from UTC: past this, all is past TO.
        last_local = (end + timedelta(days=1)).replace(tzinfo=None)
        for local in rrulestr(rule, dtstart=first, ignoretz=True):
            if local > last_local:
                break
            utc = to_utc(local, zone)
            if utc is None or local in excluded:
                continue
            if until is not None and utc > until:
                break
            found[(uid, local)] = utc
    for event in overrides:
        uid = str(event["UID"])
        found.pop((uid, naive(event["RECURRENCE-ID"])), None)
        zone = zones[str(event["DTSTART"].params["TZID"])]
        utc = to_utc(naive(event["DTSTART"]), zone)
        if utc is not None:
            found[(uid, naive(event["RECURRENCE-ID"]))] = utc
    starts = sorted(u for u in found.values() if start <= u < end)
    print(json.dumps([u.strftime("%Y-%m-%dT%H:%M:%SZ") for u in starts]))


if __name__ == "__main__":
    main()
