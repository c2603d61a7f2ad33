//! Sessions of an active match (issue 7): the tutor proposes a weekly slot
//! among those both sides share, the pupil confirms it, and the series'
//! occurrences appear in both calendars, each in its own time zone.
//!
//! The slot is fixed in the pupil's zone and expanded by
//! [`domain::sessions`] (RFC 5545's rules for local times a change skips or
//! repeats); occurrences are stored for [`store::HORIZON_WEEKS`] weeks ahead
//! and extended by the server's housekeeping.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::matching::SlotView;

#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod horizon;
#[cfg(feature = "ssr")]
pub mod invitation;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod store;
pub mod venue;

pub use venue::Venue;

/// Form fields.
pub mod fields {
    pub const MATCH: &str = "match_id";
    pub const SLOT: &str = "slot";
    pub const MINUTES: &str = "minutes";
    pub const FIRST_DATE: &str = "first_date";
    pub const SERIES: &str = "series_id";
    pub const OCCURRENCE: &str = "occurrence_id";
    pub const REASON: &str = "reason";
    pub const DATE: &str = "date";
    pub const START: &str = "start";
    pub const VENUE: &str = "venue";
    pub const SLOT_NUMBER: &str = "slot_number";
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
}

/// The longest pause, in days (a summer holiday and a little more).
pub const PAUSE_MAX_DAYS: i64 = 92;

/// Longest reason for cancelling a session, in characters.
pub const REASON_MAX_CHARS: usize = 300;

/// The session lengths offered, in minutes.
pub const LENGTHS: [u16; 4] = [30, 60, 90, 120];

/// How many weeks a proposed slot must be shared for (as matching checks).
pub const SHARED_WEEKS: u32 = 4;

/// One weekly slot both sides share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotOption {
    /// `W-M`: ISO weekday and start in minutes of the pupil's local time
    /// (`2-1080`: Tuesday 18:00), what the form sends back.
    pub code: String,
    /// In the pupil's zone.
    pub pupil: SlotView,
    /// In the tutor's zone.
    pub tutor: SlotView,
}

/// What the tutor chooses from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotChoice {
    /// The shared one-hour slots, the one matching found first.
    pub slots: Vec<SlotOption>,
    /// The earliest first date allowed, `YYYY-MM-DD` in the pupil's zone
    /// (tomorrow there).
    pub first_date: String,
    /// Where the pair may meet ([`venue::options`]), the default first;
    /// empty when nothing qualifies any more.
    pub venues: Vec<Venue>,
    /// Which weekly session this choice is for: 1, or 2 for the second of
    /// a pupil who asked for two (then without the first's weekday).
    pub slot_number: u8,
}

impl SlotChoice {
    /// The choice for the second weekly session: the slots of other days
    /// than `weekday` (ISO, 1 = Monday, the pupil's).
    pub fn for_second(mut self, weekday: u8) -> SlotChoice {
        let prefix = format!("{weekday}-");
        self.slots
            .retain(|option| !option.code.starts_with(&prefix));
        self.slot_number = 2;
        self
    }
}

/// A match's series as one side sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesView {
    pub id: i64,
    /// `proposed` or `confirmed`.
    pub status: String,
    /// In the viewer's zone.
    pub slot: SlotView,
    /// The first session's date, `YYYY-MM-DD` in the viewer's zone.
    pub first_date: String,
    /// Where the sessions take place.
    pub venue: Venue,
    /// 1, or 2 for the match's second weekly session.
    pub slot_number: u8,
    /// ISO weekday of the slot in the pupil's zone (the series' own).
    pub pupil_weekday: u8,
}

/// One session in a calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    /// The occurrence's id (what [`cancel_session`] takes).
    pub id: i64,
    /// Whether it can still be cancelled: it takes place and has not begun.
    pub cancellable: bool,
    /// `YYYY-MM-DD` in the viewer's zone.
    pub date: String,
    /// ISO weekday of `date`, 1 = Monday.
    pub weekday: u8,
    /// `HH:MM` in the viewer's zone.
    pub from: String,
    pub to: String,
    /// The viewer's IANA zone.
    pub time_zone: String,
    /// The other side's name.
    pub other_name: String,
    pub as_tutor: bool,
    /// `scheduled`, `moved` or `cancelled`.
    pub status: String,
    /// Its length in minutes.
    pub minutes: u16,
    /// Where it takes place.
    pub venue: Venue,
}

/// The signed-in pupil or tutor moves the session `occurrence_id` to
/// `date` (`YYYY-MM-DD`) at `start` (minutes after midnight, on the half
/// hour), both read in **their own** time zone, for `minutes`, with a
/// `reason` the other side reads. The other weeks stay.
///
/// # Errors
/// [`AppError::Invalid`], field by field, nothing changed: `date` not a
/// date, before today or more than 8 weeks ahead; `start` off the list,
/// already past, a local time that does not exist that day, or a session
/// ending after midnight in the pupil's time; `minutes` not
/// one of [`LENGTHS`]; `reason` empty or longer than
/// [`REASON_MAX_CHARS`]; on `form` when the session has begun or is
/// cancelled. [`AppError::NotFound`] when it is not a session of theirs.
#[server(prefix = "/api", endpoint = "seances/deplacer")]
pub async fn move_session(
    #[server(default)] occurrence_id: i64,
    #[server(default)] date: String,
    #[server(default)] start: String,
    #[server(default)] minutes: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::move_one(occurrence_id, date, start, minutes, reason).await)
}

/// The signed-in pupil or tutor ends their weekly sessions `series_id`
/// from `date` (`YYYY-MM-DD`, a date of the pupil's time zone, the
/// series' own): no session on or after it, those before stay. When none
/// is left, the series ends and the tutor can propose another slot.
///
/// # Errors
/// [`AppError::Invalid`], field by field, nothing changed: `date` not a
/// date or not after today; `reason` empty or longer than
/// [`REASON_MAX_CHARS`]; on `form` when the series has ended meanwhile.
/// [`AppError::NotFound`] when it is not a confirmed series of theirs.
#[server(prefix = "/api", endpoint = "seances/arreter")]
pub async fn end_series(
    #[server(default)] series_id: i64,
    #[server(default)] date: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::end_from(series_id, date, reason).await)
}

/// The signed-in pupil or tutor pauses their weekly sessions `series_id`
/// from `from` to `to` (`YYYY-MM-DD`, both included, dates of the pupil's
/// time zone, the series' own), school holidays for example: every session
/// held on those days is cancelled in one action, with `reason`, and both
/// sides are emailed an updated invitation. Those after stay.
///
/// # Errors
/// [`AppError::Invalid`], field by field, nothing changed: `from` not a
/// date or not after today; `to` not a date, before `from`, more than
/// [`PAUSE_MAX_DAYS`] days after it or more than a year ahead; `reason`
/// empty or longer than [`REASON_MAX_CHARS`]; on `form` when no session
/// takes place in the period or the series has ended meanwhile.
/// [`AppError::NotFound`] when it is not a confirmed series of theirs.
#[server(prefix = "/api", endpoint = "seances/suspendre")]
pub async fn pause_series(
    #[server(default)] series_id: i64,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::pause(series_id, from, to, reason).await)
}

/// The signed-in user's calendar subscription link: the absolute URL of
/// their `.ics` feed, if they made one.
///
/// # Errors
/// [`AppError::Unauthenticated`].
#[server(prefix = "/api", endpoint = "calendrier/lien")]
pub async fn feed_link() -> Result<Option<String>, AppError> {
    crate::error::respond(handlers::feed_link().await)
}

/// Gives the signed-in user a new calendar subscription link; their
/// previous one stops working at once.
///
/// # Errors
/// [`AppError::Unauthenticated`].
#[server(prefix = "/api", endpoint = "calendrier/lien/nouveau")]
pub async fn renew_feed() -> Result<(), AppError> {
    crate::error::respond(handlers::renew_feed().await)
}

/// Revokes the signed-in user's calendar subscription link.
///
/// # Errors
/// [`AppError::Unauthenticated`].
#[server(prefix = "/api", endpoint = "calendrier/lien/supprimer")]
pub async fn revoke_feed() -> Result<(), AppError> {
    crate::error::respond(handlers::revoke_feed().await)
}

/// The slots the signed-in tutor can propose for their match `match_id`.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] when it is not an
/// active match of theirs.
#[server(prefix = "/api", endpoint = "seances/creneaux")]
pub async fn shared_slots(#[server(default)] match_id: i64) -> Result<SlotChoice, AppError> {
    crate::error::respond(handlers::choice(match_id).await)
}

/// The signed-in tutor proposes a weekly slot (`slot`, a
/// [`SlotOption::code`]) of `minutes` minutes from `first_date` (the first
/// session is the slot's first weekday on or after it), online or at a
/// school (`venue`), for their match; `slot_number` `2` (empty means `1`)
/// for the second weekly session of a pupil who asked for two, once the
/// first is confirmed, on another day.
/// A proposal the pupil has not confirmed yet is replaced.
///
/// # Errors
/// [`AppError::Invalid`], field by field, nothing written: `minutes` not
/// one of [`LENGTHS`]; `slot` malformed or not shared by both sides every
/// week of the first [`SHARED_WEEKS`]; `first_date` not a date, not after
/// today or more than 8 weeks ahead; `venue` not one of
/// [`SlotChoice::venues`] (a [`Venue::code`]; empty means the first), or
/// none left; `slot_number` not 1 or 2, 2 when the pupil asked for one
/// session a week or the first is not confirmed yet, or `slot` on the
/// first's weekday; on `match_id` when the match already has confirmed
/// sessions for that number or ended. [`AppError::NotFound`] when the
/// match is not theirs.
#[server(prefix = "/api", endpoint = "seances/proposer")]
pub async fn propose_series(
    #[server(default)] match_id: i64,
    #[server(default)] slot: String,
    #[server(default)] minutes: String,
    #[server(default)] first_date: String,
    #[server(default)] venue: String,
    #[server(default)] slot_number: String,
) -> Result<(), AppError> {
    crate::error::respond(
        handlers::propose(match_id, slot, minutes, first_date, venue, slot_number).await,
    )
}

/// The signed-in pupil confirms the slot their tutor proposed: the weekly
/// sessions are created and both sides are told by email.
///
/// # Errors
/// [`AppError::Invalid`] on `series_id` when it is not a proposal waiting
/// for this pupil; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "seances/confirmer")]
pub async fn confirm_series(#[server(default)] series_id: i64) -> Result<(), AppError> {
    crate::error::respond(handlers::confirm(series_id).await)
}

/// One day of a week view, in the viewer's zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    /// Its sessions, in time order (cancelled ones too).
    pub entries: Vec<CalendarEntry>,
}

/// A week of the signed-in user's calendar, Monday to Sunday in their zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekView {
    /// The viewer's IANA zone.
    pub time_zone: String,
    /// The seven days, Monday first.
    pub days: Vec<WeekDay>,
    /// The Monday of the week before, if it is still shown (from this
    /// week on).
    pub previous: Option<String>,
    /// The Monday of the week after, if sessions are stored that far.
    pub next: Option<String>,
}

/// The signed-in pupil's or tutor's week that holds `start` (`YYYY-MM-DD`
/// in their zone; empty or not a date: this week), from this week to the
/// last stored one (sessions are stored 8 weeks ahead).
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "calendrier/semaine")]
pub async fn my_week(#[server(default)] start: String) -> Result<WeekView, AppError> {
    crate::error::respond(handlers::week(start).await)
}

/// The signed-in pupil's or tutor's sessions from yesterday to the horizon,
/// in their own zone.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "calendrier")]
pub async fn my_calendar() -> Result<Vec<CalendarEntry>, AppError> {
    crate::error::respond(handlers::calendar().await)
}

/// The signed-in pupil or tutor cancels one session of their match, with a
/// short reason; the other side is emailed. The other weeks stay.
///
/// # Errors
/// [`AppError::Invalid`]: `reason` empty or longer than
/// [`REASON_MAX_CHARS`]; on `form` when the session has begun or is
/// already cancelled. [`AppError::NotFound`] when it is not a session of
/// theirs.
#[server(prefix = "/api", endpoint = "seances/annuler")]
pub async fn cancel_session(
    #[server(default)] occurrence_id: i64,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::cancel(occurrence_id, reason).await)
}

#[cfg(feature = "ssr")]
pub use handlers::{series_views, slot_choice_of};

#[cfg(feature = "ssr")]
pub use handlers::feed_text;

#[cfg(feature = "ssr")]
pub(crate) use handlers::{series_event, summary};

#[cfg(feature = "ssr")]
mod handlers {
    use chrono::{Datelike, Duration, NaiveDate, Timelike};
    use chrono_tz::Tz;
    use domain::availability::{recurring_slots, WeeklySlot, WEEKDAYS};
    use domain::sessions::{check_slot, Series};

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::{users, Role};
    use crate::audit::store::{record, AuditActor};
    use crate::availability::{clock, store as availability};
    use crate::db::Db;
    use crate::mail::outbox::{self, NewEmail};
    use crate::matching::handlers::{slot_view, tutor_view};
    use crate::state::AppState;

    /// The match `match_id` if `user_id` is its `tutor` side (or pupil
    /// side): (pupil, tutor).
    async fn own_match(
        state: &AppState,
        match_id: i64,
        user_id: i64,
        as_tutor: bool,
    ) -> Result<(i64, i64), AppError> {
        let found = store::active_match(&state.db, match_id)
            .await
            .map_err(AppError::from_db)?;
        match found {
            Some((pupil, tutor)) if (if as_tutor { tutor } else { pupil }) == user_id => {
                Ok((pupil, tutor))
            }
            _ => Err(AppError::NotFound),
        }
    }

    /// What is wrong with a reason (`needed`: the key when it is empty).
    fn reason_error(reason: &str, needed: &'static str) -> Option<&'static str> {
        if reason.is_empty() {
            Some(needed)
        } else if reason.chars().count() > REASON_MAX_CHARS {
            Some("errors.sessions.reason_long")
        } else {
            None
        }
    }

    pub async fn move_one(
        occurrence_id: i64,
        date: String,
        start: String,
        minutes: String,
        reason: String,
    ) -> Result<(), AppError> {
        use chrono::TimeZone;
        use domain::sessions::{Change, SessionError};
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let db = &state.db;
        let (old_start, _, pupil, tutor) = store::occurrence_of(db, occurrence_id, actor.id())
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        let zone = availability::zone(db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        let today = now.with_timezone(&zone).date_naive();

        let mut errors = Vec::new();
        let date = match date.trim().parse::<NaiveDate>() {
            Err(_) => {
                errors.push((fields::DATE, "errors.sessions.date"));
                None
            }
            Ok(d) if d < today || d > today + Duration::weeks(store::HORIZON_WEEKS) => {
                errors.push((fields::DATE, "errors.sessions.move_range"));
                None
            }
            Ok(d) => Some(d),
        };
        let start = start
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|m| *m < 24 * 60 && m % 30 == 0);
        if start.is_none() {
            errors.push((fields::START, "errors.sessions.start"));
        }
        let minutes = minutes
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|m| LENGTHS.contains(m));
        if minutes.is_none() {
            errors.push((fields::MINUTES, "errors.sessions.length"));
        }
        let reason = reason.trim();
        if let Some(key) = reason_error(reason, "errors.sessions.move_reason_needed") {
            errors.push((fields::REASON, key));
        }
        let (Some(date), Some(start), Some(minutes), true) =
            (date, start, minutes, errors.is_empty())
        else {
            return Err(AppError::fields(&errors));
        };
        // The new time as the mover reads it, then in the series' zone.
        let local = date.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(start));
        let Some(new_start) = zone.from_local_datetime(&local).earliest() else {
            return Err(AppError::field(
                fields::START,
                "errors.sessions.nonexistent",
            ));
        };
        let not_movable = || AppError::field("form", "errors.sessions.not_movable");
        let mut tx = db.begin_write().await.map_err(AppError::from_db)?;
        let (row, original) = store::series_of_occurrence(&mut tx, occurrence_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        let series = row.series().ok_or_else(not_movable)?;
        let original: NaiveDate = original.parse().map_err(|_| not_movable())?;
        let exceptions = store::exceptions_in(&mut tx, row.id)
            .await
            .map_err(AppError::from_db)?;
        let span = match series.move_occurrence_to(
            &exceptions.changes(),
            original,
            new_start.with_timezone(&chrono::Utc),
            minutes,
            now,
        ) {
            Ok(Change::Moved { to, .. }) => to,
            Err(SessionError::Length) => {
                return Err(AppError::field(fields::MINUTES, "errors.sessions.length"))
            }
            Err(SessionError::Start) => {
                return Err(AppError::field(
                    fields::START,
                    "errors.sessions.ends_by_midnight",
                ))
            }
            Err(SessionError::NonExistentTime) => {
                return Err(AppError::field(
                    fields::START,
                    "errors.sessions.nonexistent",
                ))
            }
            Err(SessionError::InThePast) if old_start > now => {
                return Err(AppError::field(fields::START, "errors.sessions.past"))
            }
            _ => return Err(not_movable()),
        };
        if !store::move_occurrence(
            &mut tx,
            occurrence_id,
            actor.id(),
            span.start,
            span.end,
            reason,
            now,
        )
        .await
        .map_err(AppError::from_db)?
        {
            return Err(not_movable());
        }
        // What the calendars hold now: this change, and any other made to
        // the series meanwhile (the series row is locked by now).
        let exceptions = store::exceptions_in(&mut tx, row.id)
            .await
            .map_err(AppError::from_db)?;
        let (row, _) = store::series_of_occurrence(&mut tx, occurrence_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        let venue = venue::of_series_in(&mut tx, row.id, state.video_url_template.as_deref())
            .await
            .map_err(AppError::from_db)?;
        let other_id = if actor.id() == pupil { tutor } else { pupil };
        let other_zone = availability::zone(db, other_id)
            .await
            .map_err(AppError::from_db)?;
        let (Some(by), Some(other)) = (
            users::find_in(&mut tx, actor.id())
                .await
                .map_err(AppError::from_db)?,
            users::find_in(&mut tx, other_id)
                .await
                .map_err(AppError::from_db)?,
        ) else {
            return Err(AppError::NotFound);
        };
        let actor_zone = availability::zone(db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        // Both calendars change: the other side is told, the mover gets
        // the same update for their own calendar.
        for (to, counterpart, to_zone, own) in [
            (&other, &by, other_zone, false),
            (&by, &other, actor_zone, true),
        ] {
            let Some(email) = emails::moved(
                to,
                &by,
                old_start,
                span.start,
                to_zone,
                reason,
                own,
                &state.public_url,
            ) else {
                continue;
            };
            let event = series_event(
                &row,
                exceptions.clone(),
                (summary(to.lang, counterpart), to.lang),
                &venue,
                &state.public_url,
            );
            let email = with_request(&state, email, event, now);
            outbox::enqueue(&mut tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "sessions.move",
            ("session_occurrence", &occurrence_id.to_string()),
            &format!(
                "to={} minutes={minutes} reason={reason}",
                span.start.to_rfc3339()
            ),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    pub async fn end_from(series_id: i64, date: String, reason: String) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let db = &state.db;
        let found = store::confirmed_of_user(db, actor.id())
            .await
            .map_err(AppError::from_db)?
            .into_iter()
            .find(|found| found.row.id == series_id)
            .ok_or(AppError::NotFound)?;
        let not_endable = || AppError::field("form", "errors.sessions.not_endable");
        let series = found.row.series().ok_or_else(not_endable)?;
        let mut errors = Vec::new();
        let date = date.trim().parse::<NaiveDate>().ok();
        if date.is_none() {
            errors.push((fields::DATE, "errors.sessions.date"));
        }
        let reason = reason.trim();
        if let Some(key) = reason_error(reason, "errors.sessions.end_reason_needed") {
            errors.push((fields::REASON, key));
        }
        let (Some(date), true) = (date, errors.is_empty()) else {
            return Err(AppError::fields(&errors));
        };
        let ended = series
            .end_from(date, now)
            .map_err(|_| AppError::field(fields::DATE, "errors.sessions.end_date"))?;
        let last_date = ended.last_date.unwrap_or(date - Duration::days(1));
        // Nothing left when no session takes place before `date`.
        let whole = ended.first_session().is_none();
        let mut tx = db.begin_write().await.map_err(AppError::from_db)?;
        if !store::end_series(&mut tx, series_id, actor.id(), date, last_date, whole)
            .await
            .map_err(AppError::from_db)?
        {
            return Err(not_endable());
        }
        let row = store::series_in(&mut tx, series_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(not_endable)?;
        let venue = venue::of_series_in(&mut tx, series_id, state.video_url_template.as_deref())
            .await
            .map_err(AppError::from_db)?;
        // After the change (those from `date` on are gone), as for a move.
        let exceptions = store::exceptions_in(&mut tx, series_id)
            .await
            .map_err(AppError::from_db)?;
        let other_id = if actor.id() == found.pupil_id {
            found.tutor_id
        } else {
            found.pupil_id
        };
        let (Some(by), Some(other)) = (
            users::find_in(&mut tx, actor.id())
                .await
                .map_err(AppError::from_db)?,
            users::find_in(&mut tx, other_id)
                .await
                .map_err(AppError::from_db)?,
        ) else {
            return Err(AppError::NotFound);
        };
        for (to, counterpart, own) in [(&other, &by, false), (&by, &other, true)] {
            let Some(email) = emails::ended(to, &by, date, reason, whole, own, &state.public_url)
            else {
                continue;
            };
            let email = match series_event(
                &row,
                exceptions.clone(),
                (summary(to.lang, counterpart), to.lang),
                &venue,
                &state.public_url,
            ) {
                Some(event) => {
                    let to = &email.content.to;
                    let (method, ics) = if whole {
                        (
                            "CANCEL",
                            invitation::cancel_all(&event, &state.mail_from, to, now),
                        )
                    } else {
                        (
                            "REQUEST",
                            invitation::request(&event, &state.mail_from, to, now),
                        )
                    };
                    email.with_attachment(invitation::attachment(method, ics))
                }
                None => email,
            };
            outbox::enqueue(&mut tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "sessions.end",
            ("session_series", &series_id.to_string()),
            &format!("from={date} whole={whole} reason={reason}"),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    pub async fn pause(
        series_id: i64,
        from: String,
        to: String,
        reason: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let db = &state.db;
        let found = store::confirmed_of_user(db, actor.id())
            .await
            .map_err(AppError::from_db)?
            .into_iter()
            .find(|found| found.row.id == series_id)
            .ok_or(AppError::NotFound)?;
        let not_pausable = || AppError::field("form", "errors.sessions.not_endable");
        let series = found.row.series().ok_or_else(not_pausable)?;
        let today = now.with_timezone(&series.zone).date_naive();
        let mut errors = Vec::new();
        let from = match from.trim().parse::<NaiveDate>() {
            Err(_) => {
                errors.push((fields::FROM, "errors.sessions.date"));
                None
            }
            Ok(d) if d <= today => {
                errors.push((fields::FROM, "errors.sessions.pause_past"));
                None
            }
            Ok(d) => Some(d),
        };
        let to = match (to.trim().parse::<NaiveDate>(), from) {
            (Err(_), _) => {
                errors.push((fields::TO, "errors.sessions.date"));
                None
            }
            (Ok(d), Some(from)) if d < from => {
                errors.push((fields::TO, "errors.sessions.pause_order"));
                None
            }
            (Ok(d), Some(from)) if (d - from).num_days() >= PAUSE_MAX_DAYS => {
                errors.push((fields::TO, "errors.sessions.pause_long"));
                None
            }
            (Ok(d), _) if d > today + Duration::days(366) => {
                errors.push((fields::TO, "errors.sessions.pause_far"));
                None
            }
            (Ok(d), _) => Some(d),
        };
        let reason = reason.trim();
        if let Some(key) = reason_error(reason, "errors.sessions.pause_reason_needed") {
            errors.push((fields::REASON, key));
        }
        let (Some(from), Some(to), true) = (from, to, errors.is_empty()) else {
            return Err(AppError::fields(&errors));
        };

        let mut tx = db.begin_write().await.map_err(AppError::from_db)?;
        if !store::take_series(&mut tx, series_id, actor.id())
            .await
            .map_err(AppError::from_db)?
        {
            return Err(not_pausable());
        }
        // The series row is locked: it and its changes, read now, are all
        // there are (the other side may have ended it from a date since).
        let series = store::series_in(&mut tx, series_id)
            .await
            .map_err(AppError::from_db)?
            .and_then(|row| row.series())
            .ok_or_else(not_pausable)?;
        let exceptions = store::exceptions_in(&mut tx, series_id)
            .await
            .map_err(AppError::from_db)?;
        let sessions = series
            .paused(&exceptions.changes(), from, to, now)
            .map_err(|_| AppError::field(fields::FROM, "errors.sessions.pause_past"))?;
        let cancelled =
            store::cancel_sessions(&mut tx, series_id, &sessions, actor.id(), reason, now)
                .await
                .map_err(AppError::from_db)?;
        if cancelled == 0 {
            return Err(AppError::field("form", "errors.sessions.pause_empty"));
        }
        let starts: Vec<chrono::DateTime<chrono::Utc>> = sessions
            .iter()
            .filter_map(|s| s.span.map(|span| span.start))
            .collect();
        let row = store::series_in(&mut tx, series_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(not_pausable)?;
        let exceptions = store::exceptions_in(&mut tx, series_id)
            .await
            .map_err(AppError::from_db)?;
        let venue = venue::of_series_in(&mut tx, series_id, state.video_url_template.as_deref())
            .await
            .map_err(AppError::from_db)?;
        let other_id = if actor.id() == found.pupil_id {
            found.tutor_id
        } else {
            found.pupil_id
        };
        let (Some(by), Some(other)) = (
            users::find_in(&mut tx, actor.id())
                .await
                .map_err(AppError::from_db)?,
            users::find_in(&mut tx, other_id)
                .await
                .map_err(AppError::from_db)?,
        ) else {
            return Err(AppError::NotFound);
        };
        let other_zone = availability::zone(db, other_id)
            .await
            .map_err(AppError::from_db)?;
        let actor_zone = availability::zone(db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        for (to_user, counterpart, zone, own) in [
            (&other, &by, other_zone, false),
            (&by, &other, actor_zone, true),
        ] {
            let period = emails::Period {
                from,
                to,
                starts: &starts,
                zone,
            };
            let Some(email) = emails::paused(to_user, &by, &period, reason, own, &state.public_url)
            else {
                continue;
            };
            let event = series_event(
                &row,
                exceptions.clone(),
                (summary(to_user.lang, counterpart), to_user.lang),
                &venue,
                &state.public_url,
            );
            let email = with_request(&state, email, event, now);
            outbox::enqueue(&mut tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "sessions.pause",
            ("session_series", &series_id.to_string()),
            &format!("from={from} to={to} cancelled={cancelled} reason={reason}"),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    /// The `SUMMARY` of sessions with `other`, in `lang`.
    pub(crate) fn summary(lang: crate::i18n::Lang, other: &users::User) -> String {
        crate::i18n::text(lang, "sessions.ical.summary").replace(
            "%{name}",
            &format!("{} {}", other.first_name, other.last_name),
        )
    }

    /// `email` with `event`'s `REQUEST` invitation for its recipient
    /// (unchanged when the series' stored dates did not parse).
    fn with_request(
        state: &AppState,
        email: NewEmail,
        event: Option<invitation::SeriesEvent>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> NewEmail {
        match event {
            Some(event) => {
                let ics = invitation::request(&event, &state.mail_from, &email.content.to, now);
                email.with_attachment(invitation::attachment("REQUEST", ics))
            }
            None => email,
        }
    }

    /// The iCalendar view of the series `row`; `None` when its stored dates
    /// do not parse.
    pub(crate) fn series_event(
        row: &store::SeriesRow,
        exceptions: store::Exceptions,
        (summary, lang): (String, crate::i18n::Lang),
        venue: &Venue,
        public_url: &str,
    ) -> Option<invitation::SeriesEvent> {
        Some(invitation::SeriesEvent {
            uid: row.uid.clone(),
            sequence: u32::try_from(row.sequence).unwrap_or(0),
            series: row.series()?,
            summary,
            url: format!("{public_url}/calendrier"),
            cancelled: exceptions.cancelled,
            moved: exceptions.moved,
            location: Some(venue.location(lang)),
            description: Some(venue.full_text(lang)),
            conference: venue.url().map(str::to_owned),
        })
    }

    /// The `.ics` feed of the subscription link `token`, in its owner's
    /// language: their confirmed series with what changed in them. `None`
    /// when no user has that link.
    ///
    /// # Errors
    /// The database's error.
    pub async fn feed_text(state: &AppState, token: &str) -> Result<Option<String>, sqlx::Error> {
        let Some(user_id) = feeds::user_of(&state.db, token).await? else {
            return Ok(None);
        };
        let Some(user) = users::find(&state.db, user_id).await? else {
            return Ok(None);
        };
        if user.status != users::AccountStatus::Active {
            return Ok(None);
        }
        let mut events = Vec::new();
        for found in store::confirmed_of_user(&state.db, user_id).await? {
            let other_id = if found.pupil_id == user_id {
                found.tutor_id
            } else {
                found.pupil_id
            };
            let Some(other) = users::find(&state.db, other_id).await? else {
                continue;
            };
            let exceptions = store::exceptions(&state.db, found.row.id).await?;
            let venue =
                venue::of_series(&state.db, found.row.id, state.video_url_template.as_deref())
                    .await?;
            if let Some(event) = series_event(
                &found.row,
                exceptions,
                (summary(user.lang, &other), user.lang),
                &venue,
                &state.public_url,
            ) {
                events.push(event);
            }
        }
        Ok(Some(invitation::feed(
            &events,
            &crate::i18n::text(user.lang, "sessions.ical.feed_name"),
            state.clock.now(),
        )))
    }

    pub async fn feed_link() -> Result<Option<String>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let token = feeds::token_of(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        Ok(token.map(|token| format!("{}{}", state.public_url, feeds::path(&token))))
    }

    /// Renews (`renew`) or revokes the signed-in user's link.
    async fn change_feed(renew: bool) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let action = if renew {
            feeds::renew(&mut tx, actor.id(), now)
                .await
                .map_err(AppError::from_db)?;
            "sessions.feed_renew"
        } else {
            feeds::revoke(&mut tx, actor.id())
                .await
                .map_err(AppError::from_db)?;
            "sessions.feed_revoke"
        };
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            action,
            ("users", &actor.id().to_string()),
            "",
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    pub async fn renew_feed() -> Result<(), AppError> {
        change_feed(true).await
    }

    pub async fn revoke_feed() -> Result<(), AppError> {
        change_feed(false).await
    }

    /// The proposal or confirmation can no longer be made: about the whole
    /// form, since no field the user can change is wrong.
    fn closed() -> AppError {
        AppError::field("form", "errors.sessions.closed")
    }

    fn code(slot: &WeeklySlot) -> String {
        format!("{}-{}", slot.weekday.number_from_monday(), slot.start)
    }

    fn parse_code(code: &str, minutes: u16) -> Option<WeeklySlot> {
        let (day, start) = code.trim().split_once('-')?;
        let day: usize = day.parse().ok()?;
        Some(WeeklySlot {
            weekday: *WEEKDAYS.get(day.checked_sub(1)?)?,
            start: start.parse().ok()?,
            minutes,
        })
    }

    pub async fn choice(match_id: i64) -> Result<SlotChoice, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        let (pupil, tutor) = own_match(&state, match_id, actor.id(), true).await?;
        slot_choice_of(&state.db, match_id, pupil, tutor, state.clock.now())
            .await
            .map_err(AppError::from_db)
    }

    /// The slots the tutor of the active match `match_id` (between `pupil`
    /// and `tutor`) can propose at `now`: the one-hour slots both share
    /// every week of the [`SHARED_WEEKS`] from tomorrow in the pupil's zone,
    /// the one matching found first. The caller checks who asks.
    ///
    /// # Errors
    /// The database's error.
    pub async fn slot_choice_of(
        db: &Db,
        match_id: i64,
        pupil: i64,
        tutor: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<SlotChoice, sqlx::Error> {
        let pupil_availability = availability::load(db, pupil).await?;
        let tutor_availability = availability::load(db, tutor).await?;
        let pupil_zone = pupil_availability.zone();
        let tutor_zone = tutor_availability.zone();
        let tomorrow = now.with_timezone(&pupil_zone).date_naive() + Duration::days(1);
        let mut slots = recurring_slots(
            &pupil_availability,
            &tutor_availability,
            tomorrow,
            SHARED_WEEKS,
            domain::sessions::DEFAULT_MINUTES,
        );
        // Matching's slot first.
        let found: Option<(i32, i32)> = crate::on_db!(db, |pool| sqlx::query_as(
            "SELECT p.weekday, p.start_minute FROM matches m \
             JOIN match_proposals p ON p.id = m.proposal_id WHERE m.id = $1"
        )
        .bind(match_id)
        .fetch_optional(pool)
        .await?);
        if let Some((weekday, start)) = found {
            let matched = |s: &WeeklySlot| {
                i64::from(s.weekday.number_from_monday()) == i64::from(weekday)
                    && i32::from(s.start) == start
            };
            slots.sort_by_key(|s| !matched(s));
        }
        Ok(SlotChoice {
            slots: slots
                .iter()
                .map(|s| SlotOption {
                    code: code(s),
                    pupil: slot_view(s, pupil_zone),
                    tutor: tutor_view(s, tomorrow, pupil_zone, tutor_zone),
                })
                .collect(),
            first_date: tomorrow.to_string(),
            venues: venue::options(db, match_id).await?,
            slot_number: 1,
        })
    }

    pub async fn propose(
        match_id: i64,
        slot: String,
        minutes: String,
        first_date: String,
        venue: String,
        slot_number: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        let (pupil, tutor) = own_match(&state, match_id, actor.id(), true).await?;
        let db = &state.db;
        let now = state.clock.now();
        let pupil_availability = availability::load(db, pupil)
            .await
            .map_err(AppError::from_db)?;
        let tutor_availability = availability::load(db, tutor)
            .await
            .map_err(AppError::from_db)?;
        let zone = pupil_availability.zone();
        let today = now.with_timezone(&zone).date_naive();

        let mut errors = Vec::new();
        let minutes = minutes
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|m| LENGTHS.contains(m));
        if minutes.is_none() {
            errors.push((fields::MINUTES, "errors.sessions.length"));
        }
        // The slot's code is checked on its own (with an hour when the
        // length is wrong too), so that each field says what is wrong.
        let weekly = parse_code(&slot, minutes.unwrap_or(domain::sessions::DEFAULT_MINUTES))
            .filter(|s| check_slot(s).is_ok());
        if weekly.is_none() {
            errors.push((fields::SLOT, "errors.sessions.slot"));
        }
        let date = match first_date.trim().parse::<NaiveDate>() {
            Err(_) => {
                errors.push((fields::FIRST_DATE, "errors.sessions.date"));
                None
            }
            Ok(d) if d <= today || d > today + Duration::weeks(store::HORIZON_WEEKS) => {
                errors.push((fields::FIRST_DATE, "errors.sessions.date_range"));
                None
            }
            Ok(d) => Some(d),
        };
        // The second weekly session: asked for, after the first is
        // confirmed, on another day.
        let live = store::live_of_match(db, match_id)
            .await
            .map_err(AppError::from_db)?;
        let first_day = live
            .iter()
            .find(|s| s.slot_number == 1 && s.status == "confirmed")
            .map(|s| s.weekday);
        let number = match slot_number.trim() {
            "" | "1" => Some(1),
            "2" => {
                let per_week = store::sessions_per_week(db, match_id)
                    .await
                    .map_err(AppError::from_db)?;
                if per_week < 2 {
                    errors.push((fields::SLOT_NUMBER, "errors.sessions.one_a_week"));
                    None
                } else if first_day.is_none() {
                    errors.push((fields::SLOT_NUMBER, "errors.sessions.first_first"));
                    None
                } else {
                    Some(2)
                }
            }
            _ => {
                errors.push((fields::SLOT_NUMBER, "errors.sessions.slot_number"));
                None
            }
        };
        if let (Some(2), Some(day), Some(weekly)) = (number, first_day, weekly.as_ref()) {
            if i64::from(weekly.weekday.number_from_monday()) == i64::from(day) {
                errors.push((fields::SLOT, "errors.sessions.same_day"));
            }
        }
        let venues = venue::options(db, match_id)
            .await
            .map_err(AppError::from_db)?;
        let venue = match venue.trim() {
            "" => venues.first(),
            code => venues.iter().find(|v| v.code() == code),
        }
        .cloned();
        if venue.is_none() {
            errors.push((
                fields::VENUE,
                if venues.is_empty() {
                    "errors.sessions.no_venue"
                } else {
                    "errors.sessions.venue"
                },
            ));
        }
        let (Some(minutes), Some(mut weekly), Some(date), Some(venue), Some(slot_number), true) =
            (minutes, weekly, date, venue, number, errors.is_empty())
        else {
            return Err(AppError::fields(&errors));
        };
        weekly.minutes = minutes;
        if check_slot(&weekly).is_err() {
            return Err(AppError::field(fields::SLOT, "errors.sessions.not_shared"));
        }
        let first = Series::next_weekday_from(weekly.weekday, date);
        let shared = recurring_slots(
            &pupil_availability,
            &tutor_availability,
            first,
            SHARED_WEEKS,
            weekly.minutes,
        );
        if !shared.contains(&weekly) {
            return Err(AppError::field(fields::SLOT, "errors.sessions.not_shared"));
        }
        let series = Series::new(zone, weekly, first)
            .map_err(|_| AppError::field(fields::SLOT, "errors.sessions.slot"))?;
        let new = store::NewSeries {
            match_id,
            uid: format!("{}@binome", crate::accounts::token::new_secret()),
            series,
            proposed_by: actor.id(),
            place_uai: match &venue {
                Venue::InPerson { uai, .. } => Some(uai.clone()),
                Venue::Online { .. } => None,
            },
            slot_number,
        };

        let mut tx = db.begin_write().await.map_err(AppError::from_db)?;
        let id = match store::propose(&mut tx, &new, now).await {
            Ok(Some(id)) => id,
            // Confirmed meanwhile, or (on PostgreSQL) proposed twice at once.
            Ok(None) => return Err(closed()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(closed()),
            Err(e) => return Err(AppError::from_db(e)),
        };
        let (Some(pupil_user), Some(tutor_user)) = (
            users::find_in(&mut tx, pupil)
                .await
                .map_err(AppError::from_db)?,
            users::find_in(&mut tx, tutor)
                .await
                .map_err(AppError::from_db)?,
        ) else {
            return Err(AppError::NotFound);
        };
        venue::ensure_room(&mut tx, match_id)
            .await
            .map_err(AppError::from_db)?;
        let venue = venue::of_series_in(&mut tx, id, state.video_url_template.as_deref())
            .await
            .map_err(AppError::from_db)?;
        if let Some(email) =
            emails::proposed(&pupil_user, &tutor_user, &series, &venue, &state.public_url)
        {
            outbox::enqueue(&mut tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "sessions.propose",
            ("session_series", &id.to_string()),
            &format!(
                "match={match_id} slot={} minutes={} first={first} venue={} number={slot_number}",
                code(&weekly),
                weekly.minutes,
                venue.code()
            ),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    pub async fn confirm(series_id: i64) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil]).await?;
        let now = state.clock.now();
        // The series is fixed in the pupil's zone: a proposal whose first
        // session is not after today there is stale.
        let today = availability::local_today(&state.db, actor.id(), now)
            .await
            .map_err(AppError::from_db)?;
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let row = store::confirm(&mut tx, series_id, actor.id(), today, now)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(closed)?;
        let added = store::fill(&mut tx, &row, now)
            .await
            .map_err(AppError::from_db)?
            .added;
        let skipped = store::skipped(&mut tx, row.id)
            .await
            .map_err(AppError::from_db)?;
        let tutor_id: i64 = crate::on_tx!(&mut tx, |conn| sqlx::query_scalar(
            "SELECT tutor_user_id FROM matches WHERE id = $1"
        )
        .bind(row.match_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(AppError::from_db)?);
        let (Some(pupil), Some(tutor)) = (
            users::find_in(&mut tx, actor.id())
                .await
                .map_err(AppError::from_db)?,
            users::find_in(&mut tx, tutor_id)
                .await
                .map_err(AppError::from_db)?,
        ) else {
            return Err(AppError::NotFound);
        };
        let series = row.series().ok_or_else(closed)?;
        let venue = venue::of_series_in(&mut tx, row.id, state.video_url_template.as_deref())
            .await
            .map_err(AppError::from_db)?;
        let tutor_zone = availability::zone(&state.db, tutor.id)
            .await
            .map_err(AppError::from_db)?;
        let mut sent: Vec<NewEmail> = Vec::new();
        for (to, other, zone) in [(&pupil, &tutor, series.zone), (&tutor, &pupil, tutor_zone)] {
            let Some(email) = emails::confirmed(
                to,
                other,
                &series,
                zone,
                &skipped,
                &venue,
                &state.public_url,
            ) else {
                continue;
            };
            let event = series_event(
                &row,
                store::Exceptions::default(),
                (summary(to.lang, other), to.lang),
                &venue,
                &state.public_url,
            );
            sent.push(with_request(&state, email, event, now));
        }
        // Under 15, the parent who consented is told of the booking.
        let profile = crate::pupils::store::find_in(&mut tx, pupil.id)
            .await
            .map_err(AppError::from_db)?;
        if let Some(parent_id) = profile
            .filter(|p| p.under_15(now) && p.consent == crate::pupils::Consent::Given)
            .and_then(|p| p.parent_user_id)
        {
            let parent = users::find_in(&mut tx, parent_id)
                .await
                .map_err(AppError::from_db)?;
            if let Some(email) = parent.and_then(|parent| {
                emails::booked_parent(&parent, &pupil, &tutor, &series, &venue, &state.public_url)
            }) {
                sent.push(email);
            }
        }
        for email in &sent {
            outbox::enqueue(&mut tx, email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "sessions.confirm",
            ("session_series", &row.id.to_string()),
            &format!("match={} occurrences={added}", row.match_id),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    /// The live series of `match_id` (one per slot number, by number), as
    /// `viewer_zone` sees them.
    ///
    /// # Errors
    /// The database's error.
    pub async fn series_views(
        state: &AppState,
        match_id: i64,
        viewer_zone: Tz,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<SeriesView>, sqlx::Error> {
        let db = &state.db;
        let mut views = Vec::new();
        for row in store::live_of_match(db, match_id).await? {
            let zone = row.zone();
            let slot = row.slot();
            let today = now.with_timezone(&zone).date_naive();
            let from = row.first_date.parse().unwrap_or(today).max(today);
            let first_date = row.first_start().map_or_else(
                || row.first_date.clone(),
                |start| start.with_timezone(&viewer_zone).date_naive().to_string(),
            );
            views.push(SeriesView {
                id: row.id,
                status: row.status.clone(),
                slot: tutor_view(&slot, from, zone, viewer_zone),
                first_date,
                venue: venue::of_series(db, row.id, state.video_url_template.as_deref()).await?,
                slot_number: u8::try_from(row.slot_number).unwrap_or(1),
                pupil_weekday: u8::try_from(row.weekday).unwrap_or(1),
            });
        }
        Ok(views)
    }

    pub async fn cancel(occurrence_id: i64, reason: String) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let (starts_at, _, pupil, tutor) =
            store::occurrence_of(&state.db, occurrence_id, actor.id())
                .await
                .map_err(AppError::from_db)?
                .ok_or(AppError::NotFound)?;
        let reason = reason.trim();
        if let Some(key) = reason_error(reason, "errors.sessions.reason_needed") {
            return Err(AppError::field(fields::REASON, key));
        }
        let other_id = if actor.id() == pupil { tutor } else { pupil };
        let other_zone = availability::zone(&state.db, other_id)
            .await
            .map_err(AppError::from_db)?;
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        if !store::cancel_occurrence(&mut tx, occurrence_id, actor.id(), reason, now)
            .await
            .map_err(AppError::from_db)?
        {
            return Err(AppError::field("form", "errors.sessions.not_cancellable"));
        }
        let (Some(by), Some(other)) = (
            users::find_in(&mut tx, actor.id())
                .await
                .map_err(AppError::from_db)?,
            users::find_in(&mut tx, other_id)
                .await
                .map_err(AppError::from_db)?,
        ) else {
            return Err(AppError::NotFound);
        };
        let (row, original_date) = store::series_of_occurrence(&mut tx, occurrence_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        let venue = venue::of_series_in(&mut tx, row.id, state.video_url_template.as_deref())
            .await
            .map_err(AppError::from_db)?;
        let actor_zone = availability::zone(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        // The other side is told; the one who cancelled gets the same
        // cancellation for their own calendar.
        for (to, counterpart, to_zone, own) in [
            (&other, &by, other_zone, false),
            (&by, &other, actor_zone, true),
        ] {
            let Some(email) =
                emails::cancelled(to, &by, starts_at, to_zone, reason, own, &state.public_url)
            else {
                continue;
            };
            let event = series_event(
                &row,
                store::Exceptions::default(),
                (summary(to.lang, counterpart), to.lang),
                &venue,
                &state.public_url,
            );
            let email = match (event, original_date.parse::<NaiveDate>()) {
                (Some(event), Ok(date)) => {
                    let ics = invitation::cancel_one(
                        &event,
                        date,
                        &state.mail_from,
                        &email.content.to,
                        now,
                    );
                    email.with_attachment(invitation::attachment("CANCEL", ics))
                }
                _ => email,
            };
            outbox::enqueue(&mut tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "sessions.cancel",
            ("session_occurrence", &occurrence_id.to_string()),
            &format!("reason={reason}"),
        )
        .await
        .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        Ok(())
    }

    pub async fn calendar() -> Result<Vec<CalendarEntry>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let zone = availability::zone(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        entries_between(
            &state,
            actor.id(),
            zone,
            (
                now - Duration::days(1),
                now + Duration::weeks(store::HORIZON_WEEKS),
            ),
            now,
        )
        .await
    }

    pub async fn week(start: String) -> Result<WeekView, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let now = state.clock.now();
        let zone = availability::zone(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        let today = now.with_timezone(&zone).date_naive();
        let monday_of =
            |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
        let first = monday_of(today);
        let last = monday_of(store::horizon_end(zone, now));
        let monday = start
            .trim()
            .parse::<NaiveDate>()
            .map(monday_of)
            .unwrap_or(first)
            .clamp(first, last);
        let midnight = |d: NaiveDate| domain::availability::local_midnight_utc(zone, d);
        let entries = entries_between(
            &state,
            actor.id(),
            zone,
            (midnight(monday), midnight(monday + Duration::days(7))),
            now,
        )
        .await?;
        let days = (0..7)
            .map(|offset| {
                let date = monday + Duration::days(offset);
                WeekDay {
                    date: date.to_string(),
                    weekday: u8::try_from(date.weekday().number_from_monday()).unwrap_or(1),
                    entries: entries
                        .iter()
                        .filter(|e| e.date == date.to_string())
                        .cloned()
                        .collect(),
                }
            })
            .collect();
        Ok(WeekView {
            time_zone: zone.name().to_owned(),
            days,
            previous: (monday > first).then(|| (monday - Duration::days(7)).to_string()),
            next: (monday < last).then(|| (monday + Duration::days(7)).to_string()),
        })
    }

    /// The sessions of `user_id`'s confirmed series starting in `[from,
    /// to)`, as `zone` shows them at `now`.
    async fn entries_between(
        state: &AppState,
        user_id: i64,
        zone: Tz,
        (from, to): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<CalendarEntry>, AppError> {
        let rows = store::calendar(&state.db, user_id, from, to)
            .await
            .map_err(AppError::from_db)?;
        let mut names = std::collections::BTreeMap::new();
        let mut venues = std::collections::BTreeMap::new();
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            if let std::collections::btree_map::Entry::Vacant(slot) = venues.entry(row.series_id) {
                slot.insert(
                    venue::of_series(
                        &state.db,
                        row.series_id,
                        state.video_url_template.as_deref(),
                    )
                    .await
                    .map_err(AppError::from_db)?,
                );
            }
            let as_tutor = row.tutor_id == user_id;
            let other = if as_tutor { row.pupil_id } else { row.tutor_id };
            if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(other) {
                let user = users::find(&state.db, other)
                    .await
                    .map_err(AppError::from_db)?;
                slot.insert(
                    user.map(|u| format!("{} {}", u.first_name, u.last_name))
                        .unwrap_or_default(),
                );
            }
            let start = row.starts_at.with_timezone(&zone);
            let end = row.ends_at.with_timezone(&zone);
            let minute =
                |t: chrono::DateTime<Tz>| u16::try_from(t.hour() * 60 + t.minute()).unwrap_or(0);
            let end_minute = if end.date_naive() != start.date_naive() && minute(end) == 0 {
                24 * 60
            } else {
                minute(end)
            };
            entries.push(CalendarEntry {
                id: row.id,
                cancellable: row.status != "cancelled" && row.starts_at > now,
                date: start.date_naive().to_string(),
                weekday: u8::try_from(start.weekday().number_from_monday()).unwrap_or(1),
                from: clock(minute(start)),
                to: clock(end_minute),
                time_zone: zone.name().to_owned(),
                other_name: names.get(&other).cloned().unwrap_or_default(),
                as_tutor,
                status: row.status,
                minutes: u16::try_from((row.ends_at - row.starts_at).num_minutes()).unwrap_or(60),
                venue: venues
                    .get(&row.series_id)
                    .cloned()
                    .unwrap_or(Venue::Online { url: None }),
            });
        }
        Ok(entries)
    }
}
