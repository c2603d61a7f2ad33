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
use crate::sessions::Venue;

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
    /// Where, in words, with the video link if any.
    pub place: String,
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
            place: "Au lycée : Lycée Pierre de Fermat, Toulouse".into(),
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
    /// Where, in words, with the video link if any.
    pub place: String,
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
            place: "En ligne ; lien de visio : https://visio.example.fr/binome-0a1b".into(),
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
pub fn proposed(
    pupil: &User,
    tutor: &User,
    series: &Series,
    venue: &Venue,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        pupil,
        &SeriesProposed {
            name: pupil.first_name.clone(),
            tutor: format!("{} {}", tutor.first_name, tutor.last_name),
            slot: slot_text(series, series.zone, pupil),
            first_date: first_date_text(series, series.zone, pupil),
            place: venue.full_text(pupil.lang),
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
    venue: &Venue,
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
            place: venue.full_text(to.lang),
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
    /// Where, in words, with the video link if any.
    pub place: String,
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
            place: "En ligne ; lien de visio : https://visio.example.fr/binome-0a1b".into(),
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
    venue: &Venue,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SessionReminder {
            name: to.first_name.clone(),
            other: format!("{} {}", other.first_name, other.last_name),
            when: when_text(to.lang, starts_at, zone),
            place: venue.full_text(to.lang),
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

/// To the parent of a pupil under 15: their child confirmed weekly
/// sessions (issue 7: the parent is informed of the booking).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesBookedParent {
    /// The parent's first name.
    pub name: String,
    /// The pupil's first name.
    pub child: String,
    /// The tutor's full name.
    pub tutor: String,
    /// The weekly slot in the pupil's zone.
    pub slot: String,
    /// The first session's date in the pupil's zone, in words.
    pub first_date: String,
    /// Where, in words (without the video link, which is the pupil's).
    pub place: String,
}

impl EmailTemplate for SeriesBookedParent {
    const KIND: &'static str = "series_booked_parent";
}

impl SeriesBookedParent {
    /// Data for the template tests.
    pub fn sample() -> SeriesBookedParent {
        SeriesBookedParent {
            name: "Sophie".into(),
            child: "Léa".into(),
            tutor: "Hugo Bernard".into(),
            slot: "mardi 18:00–19:00 (Europe/Paris)".into(),
            first_date: "23 mars 2027".into(),
            place: "En ligne, en visio".into(),
        }
    }
}

/// The email telling `parent` that their child `pupil` booked `series`
/// with `tutor`, in the pupil's zone.
pub fn booked_parent(
    parent: &User,
    pupil: &User,
    tutor: &User,
    series: &Series,
    venue: &Venue,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        parent,
        &SeriesBookedParent {
            name: parent.first_name.clone(),
            child: pupil.first_name.clone(),
            tutor: format!("{} {}", tutor.first_name, tutor.last_name),
            slot: slot_text(series, series.zone, parent),
            first_date: first_date_text(series, series.zone, parent),
            place: venue.text(parent.lang),
        },
        public_url,
    )
}

/// To one side: the sessions of a period (school holidays, say) are
/// cancelled in one action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionsPaused {
    /// The recipient's first name.
    pub name: String,
    /// Who paused them, full name.
    pub by: String,
    /// The period's first and last days (the pupil's dates), in words.
    pub from: String,
    pub to: String,
    /// Each session cancelled, its day and time in the recipient's zone.
    pub sessions: Vec<String>,
    /// The reason given, as typed.
    pub reason: String,
    /// Sent to the one who paused them, for their calendar.
    pub own: bool,
}

impl EmailTemplate for SessionsPaused {
    const KIND: &'static str = "sessions_paused";
}

impl SessionsPaused {
    /// Data for the template tests.
    pub fn sample() -> SessionsPaused {
        SessionsPaused {
            name: "Hugo".into(),
            by: "Léa Martin".into(),
            from: "17 avril 2027".into(),
            to: "2 mai 2027".into(),
            sessions: vec![
                "mardi 20 avril 2027, 18:00 (Europe/Paris)".into(),
                "mardi 27 avril 2027, 18:00 (Europe/Paris)".into(),
            ],
            reason: "Vacances de printemps".into(),
            own: false,
        }
    }
}

/// A pause as an email states it: the period (the series' local dates)
/// and the starts of the sessions cancelled, shown in `zone`.
#[derive(Clone, Copy, Debug)]
pub struct Period<'a> {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub starts: &'a [chrono::DateTime<chrono::Utc>],
    pub zone: Tz,
}

/// The email telling `to` that `by` paused the sessions of `period`, for
/// `reason`; `to` is `by` when `own`.
pub fn paused(
    to: &User,
    by: &User,
    period: &Period<'_>,
    reason: &str,
    own: bool,
    public_url: &str,
) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SessionsPaused {
            name: to.first_name.clone(),
            by: format!("{} {}", by.first_name, by.last_name),
            from: date_text(to.lang, &period.from.to_string()),
            to: date_text(to.lang, &period.to.to_string()),
            sessions: period
                .starts
                .iter()
                .map(|start| when_text(to.lang, *start, period.zone))
                .collect(),
            reason: reason.to_owned(),
            own,
        },
        public_url,
    )
}

/// To one side: weeks just added to the calendar whose local start a clock
/// change skips, so no session takes place then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionsSkipped {
    /// The recipient's first name.
    pub name: String,
    /// The other side's full name.
    pub other: String,
    /// The dates without a session (the pupil's), in words.
    pub dates: Vec<String>,
}

impl EmailTemplate for SessionsSkipped {
    const KIND: &'static str = "sessions_skipped";
}

impl SessionsSkipped {
    /// Data for the template tests.
    pub fn sample() -> SessionsSkipped {
        SessionsSkipped {
            name: "Hugo".into(),
            other: "Léa Martin".into(),
            dates: vec!["26 mars 2028".into()],
        }
    }
}

/// The email telling `to` that their sessions with `other` do not take
/// place on `dates` (in words).
pub fn skipped(to: &User, other: &User, dates: Vec<String>, public_url: &str) -> Option<NewEmail> {
    NewEmail::to_user(
        to,
        &SessionsSkipped {
            name: to.first_name.clone(),
            other: format!("{} {}", other.first_name, other.last_name),
            dates,
        },
        public_url,
    )
}
