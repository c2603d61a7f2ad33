//! Everyone's weekly availability (disponibilités): recurring intervals of
//! local time in their IANA time zone. The rules and the overlap of two
//! availabilities are in the `domain` crate (`domain::availability`); this
//! module stores them and serves the form.

pub mod api;

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// One interval as shown and posted: ISO weekday (1 = Monday … 7 =
/// Sunday), `[from, to)` in minutes after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalView {
    pub weekday: u8,
    pub from: u16,
    pub to: u16,
}

/// Someone's availability as their form shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityView {
    /// The IANA zone the intervals are in.
    pub time_zone: String,
    /// The zone of their (first) académie, used while they choose none.
    pub default_zone: String,
    /// Merged, Monday first.
    pub intervals: Vec<IntervalView>,
}

/// The locale keys of the weekdays, Monday first.
pub const WEEKDAY_KEYS: [&str; 7] = [
    "days.monday",
    "days.tuesday",
    "days.wednesday",
    "days.thursday",
    "days.friday",
    "days.saturday",
    "days.sunday",
];

/// The zones the form proposes: those of the 30 académies
/// (`reference/academies.csv`). Any other IANA name may be typed.
pub const ZONE_CHOICES: &[&str] = &[
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
];

/// Minutes after midnight as `HH:MM` (1440 is `24:00`).
pub fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The locale key of ISO weekday `weekday` (1–7).
pub fn weekday_key(weekday: u8) -> &'static str {
    WEEKDAY_KEYS[usize::from(weekday.clamp(1, 7) - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_are_zero_padded_and_end_at_24() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(18 * 60 + 30), "18:30");
        assert_eq!(clock(1440), "24:00");
        assert_eq!(weekday_key(1), "days.monday");
        assert_eq!(weekday_key(7), "days.sunday");
    }
}
