//! The emails of session series (templates `series_proposed.jinja` and
//! `series_confirmed.jinja`).

use chrono_tz::Tz;
use domain::sessions::Series;
use serde::Serialize;

use crate::accounts::users::User;
use crate::i18n::date_text;
use crate::mail::outbox::NewEmail;
use crate::mail::template::EmailTemplate;
use crate::matching::handlers::tutor_view;

/// To a pupil: their tutor proposes a weekly slot, to confirm on their
/// account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesProposed {
    /// The pupil's first name.
    pub name: String,
    /// The tutor's full name.
    pub tutor: String,
    /// The weekly slot in the pupil's zone, e.g. `mardi 18:00–19:00
    /// (Europe/Paris)`.
    pub slot: String,
    /// The first session's date in the pupil's zone, in words.
    pub first_date: String,
}

impl EmailTemplate for SeriesProposed {
    const KIND: &'static str = "series_proposed";
}

impl SeriesProposed {
    /// Data for the template tests.
    pub fn sample() -> SeriesProposed {
        SeriesProposed {
            name: "Léa".into(),
            tutor: "Hugo Bernard".into(),
            slot: "mardi 18:00–19:00 (Europe/Paris)".into(),
            first_date: "23 mars 2027".into(),
        }
    }
}

/// To both sides: the pupil confirmed, the weekly sessions are booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesConfirmed {
    /// The recipient's first name.
    pub name: String,
    /// The other side's full name.
    pub other: String,
    /// The weekly slot in the recipient's zone.
    pub slot: String,
    /// The first session's date in the recipient's zone, in words.
    pub first_date: String,
    /// Dates (the pupil's, in words) with no session because the
    /// clocks change at that hour: the local time does not exist.
    pub skipped: Vec<String>,
}

impl EmailTemplate for SeriesConfirmed {
    const KIND: &'static str = "series_confirmed";
}

impl SeriesConfirmed {
    /// Data for the template tests.
    pub fn sample() -> SeriesConfirmed {
        SeriesConfirmed {
            name: "Hugo".into(),
            other: "Léa Martin".into(),
            slot: "dimanche 02:30–03:30 (Europe/Paris)".into(),
            first_date: "21 mars 2027".into(),
            skipped: vec!["28 mars 2027".into()],
        }
    }
}

/// To one side: the other cancelled one session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionCancelled {
    /// The recipient's first name.
    pub name: String,
    /// Who cancelled, full name.
    pub by: String,
    /// The session's day and time in the recipient's zone, in words.
    pub when: String,
    /// The reason given, as typed.
    pub reason: String,
    /// Sent to the one who made the change, for their calendar.
    pub own: bool,
}

impl EmailTemplate for SessionCancelled {
    const KIND: &'static str = "session_cancelled";
}

impl SessionCancelled {
    /// Data for the template tests.
    pub fn sample() -> SessionCancelled {
        SessionCancelled {
            name: "Hugo".into(),
            by: "Léa Martin".into(),
            when: "mardi 30 mars 2027, 19:00 (Europe/Paris)".into(),
            reason: "Contrôle de physique le lendemain".into(),
            own: false,
        }
    }
}

/// The slot of `series` in words, in `zone`, from its first date.
fn slot_text(series: &Series, zone: Tz, user: &User) -> String {
    tutor_view(&series.slot, series.first_date, series.zone, zone).text(user.lang)
}

/// The date of the first session of `series` in `zone`, in words.
fn first_date_text(series: &Series, zone: Tz, user: &User) -> String {
    let first = series.first_session().map_or(series.first_date, |span| {
        span.start.with_timezone(&zone).date_naive()
    });
    date_text(user.lang, &first.to_string())
}

/// The email telling `pupil` that `tutor` proposed `series`.
pub fn proposed(pupil: &User, tutor: &User, series: &Series, public_url: &str) -> Option<NewEmail> {
    NewEmail::to_user(
        pupil,
        &SeriesProposed {
            name: pupil.first_name.clone(),
            tutor: format!("{} {}", tutor.first_name, tutor.last_name),
            slot: slot_text(series, series.zone, pupil),
            first_date: first_date_text(series, series.zone, pupil),
        },
        public_url,
    )
}

/// The email telling `to` (in `zone`) that the sessions of `series` with
/// `other` are booked; `skipped` as in [`SeriesConfirmed`].
pub fn confirmed(
    to: &User,
    other: &User,
    series: &Series,
    zone: Tz,
    skipped: &[String],
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SeriesConfirmed {
            name: to.first_name.clone(),
            other: format!("{} {}", other.first_name, other.last_name),
            slot: slot_text(series, zone, to),
            first_date: first_date_text(series, zone, to),
            skipped: skipped.iter().map(|d| date_text(to.lang, d)).collect(),
        },
        public_url,
    )
}

/// A session's day and time in `zone`, in words, e.g. `mardi 30 mars
/// 2027, 19:00 (Europe/Paris)`.
pub fn when_text(
    lang: crate::i18n::Lang,
    starts_at: chrono::DateTime<chrono::Utc>,
    zone: Tz,
) -> String {
    use chrono::Datelike;
    let local = starts_at.with_timezone(&zone);
    let weekday = crate::i18n::text(
        lang,
        crate::availability::weekday_key(
            u8::try_from(local.weekday().number_from_monday()).unwrap_or(1),
        ),
    );
    format!(
        "{weekday} {}, {} ({})",
        date_text(lang, &local.date_naive().to_string()),
        local.format("%H:%M"),
        zone.name()
    )
}

/// The email telling `to` (in `zone`) that `by` cancelled the session
/// starting at `starts_at`, for `reason`; `to` is `by` when `own`.
pub fn cancelled(
    to: &User,
    by: &User,
    starts_at: chrono::DateTime<chrono::Utc>,
    zone: Tz,
    reason: &str,
    own: bool,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SessionCancelled {
            name: to.first_name.clone(),
            by: format!("{} {}", by.first_name, by.last_name),
            when: when_text(to.lang, starts_at, zone),
            reason: reason.to_owned(),
            own,
        },
        public_url,
    )
}

/// To one side: a session is coming (a reminder, some hours before).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionReminder {
    /// The recipient's first name.
    pub name: String,
    /// The other side's full name.
    pub other: String,
    /// The session's day and time in the recipient's zone, in words.
    pub when: String,
}

impl EmailTemplate for SessionReminder {
    const KIND: &'static str = "session_reminder";
}

impl SessionReminder {
    /// Data for the template tests.
    pub fn sample() -> SessionReminder {
        SessionReminder {
            name: "Hugo".into(),
            other: "Léa Martin".into(),
            when: "mardi 30 mars 2027, 19:00 (Europe/Paris)".into(),
        }
    }
}

/// The reminder to `to` (in `zone`) of the session with `other` starting at
/// `starts_at`.
pub fn reminder(
    to: &User,
    other: &User,
    starts_at: chrono::DateTime<chrono::Utc>,
    zone: Tz,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SessionReminder {
            name: to.first_name.clone(),
            other: format!("{} {}", other.first_name, other.last_name),
            when: when_text(to.lang, starts_at, zone),
        },
        public_url,
    )
}

/// To one side: the other moved one session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionMoved {
    /// The recipient's first name.
    pub name: String,
    /// Who moved it, full name.
    pub by: String,
    /// Its former day and time in the recipient's zone, in words.
    pub from: String,
    /// Its new day and time in the recipient's zone, in words.
    pub to: String,
    /// The reason given, as typed.
    pub reason: String,
    /// Sent to the one who made the change, for their calendar.
    pub own: bool,
}

impl EmailTemplate for SessionMoved {
    const KIND: &'static str = "session_moved";
}

impl SessionMoved {
    /// Data for the template tests.
    pub fn sample() -> SessionMoved {
        SessionMoved {
            name: "Hugo".into(),
            by: "Léa Martin".into(),
            from: "mardi 30 mars 2027, 19:00 (Europe/Paris)".into(),
            to: "mercredi 31 mars 2027, 17:30 (Europe/Paris)".into(),
            reason: "Entraînement de handball décalé".into(),
            own: true,
        }
    }
}

/// The email telling `to` (in `zone`) that `by` moved the session starting
/// at `from` to `new_start`, for `reason`; `to` is `by` when `own`.
#[allow(clippy::too_many_arguments)]
pub fn moved(
    to: &User,
    by: &User,
    from: chrono::DateTime<chrono::Utc>,
    new_start: chrono::DateTime<chrono::Utc>,
    zone: Tz,
    reason: &str,
    own: bool,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SessionMoved {
            name: to.first_name.clone(),
            by: format!("{} {}", by.first_name, by.last_name),
            from: when_text(to.lang, from, zone),
            to: when_text(to.lang, new_start, zone),
            reason: reason.to_owned(),
            own,
        },
        public_url,
    )
}

/// To one side: the other ended the weekly sessions from a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesEnded {
    /// The recipient's first name.
    pub name: String,
    /// Who ended them, full name.
    pub by: String,
    /// The first day without a session (the pupil's date), in words.
    pub from: String,
    /// The reason given, as typed.
    pub reason: String,
    /// No session is left: the tutor may propose another slot.
    pub whole: bool,
    /// Sent to the one who ended them, for their calendar.
    pub own: bool,
}

impl EmailTemplate for SeriesEnded {
    const KIND: &'static str = "series_ended";
}

impl SeriesEnded {
    /// Data for the template tests.
    pub fn sample() -> SeriesEnded {
        SeriesEnded {
            name: "Hugo".into(),
            by: "Léa Martin".into(),
            from: "13 avril 2027".into(),
            reason: "Fin du stage en entreprise, nouvel emploi du temps".into(),
            whole: false,
            own: true,
        }
    }
}

/// The email telling `to` that `by` ended the sessions from `from` (the
/// series' local date), for `reason`; `whole` as in [`SeriesEnded`]; `to`
/// is `by` when `own`.
pub fn ended(
    to: &User,
    by: &User,
    from: chrono::NaiveDate,
    reason: &str,
    whole: bool,
    own: bool,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SeriesEnded {
            name: to.first_name.clone(),
            by: format!("{} {}", by.first_name, by.last_name),
            from: date_text(to.lang, &from.to_string()),
            reason: reason.to_owned(),
            whole,
            own,
        },
        public_url,
    )
}
