//! What coordinators see of needs and offers in their scope: the open help
//! requests (filterable by subject, niveau, school and waiting time), the
//! tutors' offers (by subject and niveau), and for one request the offers
//! that cover it with the times both sides share, each in their own local
//! time.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::help_requests::HelpRequest;
use crate::offers::TutorOffer;
use crate::schools::search::SchoolSummary;
use crate::tutors::TutorStatus;

/// An open request in a coordinator's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItem {
    pub pupil_id: i64,
    pub pupil_name: String,
    pub school: SchoolSummary,
    pub level_code: String,
    /// The pupil's IANA zone.
    pub time_zone: String,
    pub request: HelpRequest,
}

/// A tutor's offer in a coordinator's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferItem {
    pub tutor_id: i64,
    pub tutor_name: String,
    pub status: TutorStatus,
    /// Approved with a background check valid today.
    pub proposable: bool,
    pub time_zone: String,
    /// Weekly availability in minutes of local time.
    pub weekly_minutes: u32,
    /// The académies the tutor volunteers in.
    pub academies: Vec<String>,
    pub offer: TutorOffer,
}

/// Filters of the request list; empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestFilter {
    pub subject: String,
    pub level: String,
    /// A UAI.
    pub school: String,
    /// Waited at least this many days.
    pub waited_days: String,
}

/// One stretch of time both share, shown in each side's local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedTime {
    pub pupil: LocalStretch,
    pub tutor: LocalStretch,
    pub minutes: i64,
}

/// A stretch of local time: start date and weekday, start and end clock
/// times; `end_date` is set when it ends on another local date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalStretch {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    /// `HH:MM`.
    pub from: String,
    pub to: String,
    pub end_date: Option<String>,
}

/// A weekly session time, fixed in the pupil's local time, that fits both
/// every week of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyFit {
    pub weekday: u8,
    pub from: String,
    pub to: String,
}

/// An offer that covers a request, with what both share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub item: OfferItem,
    /// The requested subjects it covers.
    pub subjects: Vec<String>,
    pub shared: Vec<SharedTime>,
    pub shared_minutes: i64,
    /// 60-minute weekly slots that fit every one of the weeks.
    pub weekly_fits: Vec<WeeklyFit>,
}

/// A request and the offers of the scope that cover it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub item: RequestItem,
    pub availability: crate::availability::AvailabilityView,
    /// First day of the period shown (`YYYY-MM-DD`, pupil's local date).
    pub from: String,
    pub weeks: u32,
    pub candidates: Vec<Candidate>,
}

/// How many weeks the shared times cover.
pub const WEEKS_SHOWN: u32 = 4;

/// How far from today (days, either way) the shared times may be asked for.
pub const MAX_DAYS_AWAY: i64 = 2 * 366;

/// The open help requests of the coordinator's scope, longest waiting
/// first, filtered. Coordinators only.
///
/// # Errors
/// [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "coordination/demandes")]
pub async fn coordination_requests(
    #[server(default)] filter: RequestFilter,
) -> Result<Vec<RequestItem>, AppError> {
    crate::error::respond(handlers::requests(filter).await)
}

/// The offers of the tutors of the coordinator's scope, optionally only
/// those covering `subject` (a code) for a pupil at `level` (a code).
/// Coordinators only.
///
/// # Errors
/// [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "coordination/offres")]
pub async fn coordination_offers(
    #[server(default)] subject: String,
    #[server(default)] level: String,
) -> Result<Vec<OfferItem>, AppError> {
    crate::error::respond(handlers::offers(subject, level).await)
}

/// One open request of the scope, and the unpaused offers of tutors who
/// volunteer in the pupil's académie, can meet as the pupil asks and cover
/// one of the subjects, each with the times both share in the
/// [`WEEKS_SHOWN`] weeks from `from` (`YYYY-MM-DD` in the pupil's zone;
/// empty: today).
///
/// # Errors
/// [`AppError::NotFound`] outside the scope or when not open;
/// [`AppError::Invalid`] on `from` when it is not a date.
#[server(prefix = "/api", endpoint = "coordination/demande")]
pub async fn coordination_request(
    request_id: i64,
    #[server(default)] from: String,
) -> Result<RequestDetail, AppError> {
    crate::error::respond(handlers::request(request_id, from).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod handlers {
    use chrono::{Datelike, NaiveDate};
    use chrono_tz::Tz;
    use domain::availability::{
        local_midnight_utc, overlap, recurring_slots, total, Span, WeeklyAvailability,
    };

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::availability::{clock, store as availability};
    use crate::help_requests::store as requests;
    use crate::offers::store as offers;
    use crate::pupils::store as pupils;
    use crate::state::AppState;
    use crate::tutors::store as tutors;

    async fn coordinator(state: &AppState) -> Result<Actor, AppError> {
        Actor::require(state, &[Role::Coordinator]).await
    }

    /// The open requests of the actor's scope, longest waiting first.
    pub(crate) async fn items(
        state: &AppState,
        actor: &Actor,
    ) -> Result<Vec<RequestItem>, AppError> {
        let stored = requests::open_in_academies(&state.db, &actor.academies)
            .await
            .map_err(AppError::from_db)?;
        items_of(state, stored).await
    }

    /// `stored` as the lists show them; pupils, zones and availability
    /// read in a few batched queries, whatever the number of requests.
    async fn items_of(
        state: &AppState,
        stored: Vec<requests::StoredRequest>,
    ) -> Result<Vec<RequestItem>, AppError> {
        let now = state.clock.now();
        let db = &state.db;
        let ids: Vec<i64> = stored.iter().map(|r| r.pupil_user_id).collect();
        let mut pupils = pupils::find_many(db, &ids)
            .await
            .map_err(AppError::from_db)?;
        let weeks = availability::load_many(db, &ids)
            .await
            .map_err(AppError::from_db)?;
        let mut items = Vec::with_capacity(stored.len());
        for request in stored {
            let (Some(pupil), Some(week)) = (
                pupils.remove(&request.pupil_user_id),
                weeks.get(&request.pupil_user_id),
            ) else {
                continue;
            };
            let may = pupil.profile(now).may_request_help;
            let has_availability = !week.intervals().is_empty();
            let request = crate::help_requests::api::view_in(
                request,
                may,
                has_availability,
                week.zone(),
                now,
            );
            items.push(RequestItem {
                pupil_id: pupil.user_id,
                pupil_name: format!("{} {}", pupil.first_name, pupil.last_name),
                time_zone: week.zone().name().to_owned(),
                school: pupil.school,
                level_code: pupil.level_code,
                request,
            });
        }
        Ok(items)
    }

    pub async fn requests(filter: RequestFilter) -> Result<Vec<RequestItem>, AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        let waited = filter.waited_days.trim().parse::<i64>().unwrap_or(0);
        let school = filter.school.trim().to_uppercase();
        Ok(items(&state, &actor)
            .await?
            .into_iter()
            .filter(|item| {
                filter.subject.is_empty() || item.request.subjects.contains(&filter.subject)
            })
            .filter(|item| filter.level.is_empty() || item.level_code == filter.level)
            .filter(|item| school.is_empty() || item.school.uai == school)
            .filter(|item| item.request.waiting_days >= waited)
            .collect())
    }

    /// The offers of tutors who volunteer in the actor's scope, by name;
    /// tutors and availability read in a few batched queries.
    pub(crate) async fn offer_items(
        state: &AppState,
        actor: &Actor,
    ) -> Result<Vec<OfferItem>, AppError> {
        let db = &state.db;
        let today = state.clock.now().date_naive();
        let stored = offers::in_academies(db, &actor.academies)
            .await
            .map_err(AppError::from_db)?;
        let ids: Vec<i64> = stored.iter().map(|(tutor_id, _)| *tutor_id).collect();
        let mut tutors = tutors::find_many(db, &ids, today)
            .await
            .map_err(AppError::from_db)?;
        let weeks = availability::load_many(db, &ids)
            .await
            .map_err(AppError::from_db)?;
        let mut items = Vec::with_capacity(stored.len());
        for (tutor_id, offer) in stored {
            let (Some(tutor), Some(weekly)) = (tutors.remove(&tutor_id), weeks.get(&tutor_id))
            else {
                continue;
            };
            items.push(OfferItem {
                tutor_id,
                tutor_name: format!("{} {}", tutor.first_name, tutor.last_name),
                status: tutor.status,
                proposable: tutor.proposable,
                time_zone: weekly.zone().name().to_owned(),
                weekly_minutes: weekly.weekly_minutes(),
                academies: tutor.academies,
                offer,
            });
        }
        items.sort_by(|a, b| a.tutor_name.cmp(&b.tutor_name));
        Ok(items)
    }

    pub async fn offers(subject: String, level: String) -> Result<Vec<OfferItem>, AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        let subject = subject.trim();
        let level = level.trim();
        Ok(offer_items(&state, &actor)
            .await?
            .into_iter()
            .filter(|item| match (subject.is_empty(), level.is_empty()) {
                (true, true) => true,
                (false, false) => item.offer.covers(subject, level),
                (false, true) => item.offer.entries.iter().any(|e| e.subject_code == subject),
                (true, false) => item
                    .offer
                    .entries
                    .iter()
                    .any(|e| item.offer.covers(&e.subject_code, level)),
            })
            .collect())
    }

    fn stretch(span: Span, zone: Tz) -> LocalStretch {
        use chrono::Timelike;
        let minutes =
            |t: chrono::DateTime<Tz>| u16::try_from(t.hour() * 60 + t.minute()).unwrap_or(0);
        let start = span.start.with_timezone(&zone);
        let end = span.end.with_timezone(&zone);
        let start_day = start.date_naive();
        let (to, end_date) = if end.date_naive() == start_day {
            (clock(minutes(end)), None)
        } else if minutes(end) == 0 && Some(end.date_naive()) == start_day.succ_opt() {
            (clock(1440), None)
        } else {
            (clock(minutes(end)), Some(end.date_naive().to_string()))
        };
        LocalStretch {
            date: start_day.to_string(),
            weekday: u8::try_from(start.weekday().number_from_monday()).unwrap_or(1),
            from: clock(minutes(start)),
            to,
            end_date,
        }
    }

    fn candidate(
        item: OfferItem,
        subjects: Vec<String>,
        pupil: &WeeklyAvailability,
        tutor: &WeeklyAvailability,
        first_day: NaiveDate,
        weeks: u32,
    ) -> Candidate {
        // The pupil's local weeks, from local midnight (the first instant of
        // the day where a change skips midnight).
        let start = local_midnight_utc(pupil.zone(), first_day);
        let end = local_midnight_utc(
            pupil.zone(),
            first_day + chrono::Duration::weeks(i64::from(weeks)),
        );
        let spans = overlap(pupil, tutor, Span::new(start, end));
        Candidate {
            subjects,
            shared_minutes: total(&spans).num_minutes(),
            shared: spans
                .iter()
                .map(|span| SharedTime {
                    pupil: stretch(*span, pupil.zone()),
                    tutor: stretch(*span, tutor.zone()),
                    minutes: span.duration().num_minutes(),
                })
                .collect(),
            weekly_fits: recurring_slots(pupil, tutor, first_day, weeks, 60)
                .into_iter()
                .map(|slot| WeeklyFit {
                    weekday: u8::try_from(slot.weekday.number_from_monday()).unwrap_or(1),
                    from: clock(slot.start),
                    to: clock(slot.start + slot.minutes),
                })
                .collect(),
            item,
        }
    }

    pub async fn request(request_id: i64, from: String) -> Result<RequestDetail, AppError> {
        let state = app_state()?;
        let actor = coordinator(&state).await?;
        let db = &state.db;
        let stored = requests::find_open(db, request_id)
            .await
            .map_err(AppError::from_db)?;
        let item = items_of(&state, stored.into_iter().collect())
            .await?
            .pop()
            .filter(|item| actor.academies.contains(&item.school.academy_code))
            .ok_or(AppError::NotFound)?;
        let pupil = availability::load(db, item.pupil_id)
            .await
            .map_err(AppError::from_db)?;
        let today = state.clock.now().with_timezone(&pupil.zone()).date_naive();
        let first_day = match from.trim() {
            "" => today,
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|day| (*day - today).num_days().abs() <= MAX_DAYS_AWAY)
                .ok_or_else(|| AppError::field("from", "errors.date.invalid"))?,
        };
        let mut covering = Vec::new();
        for offer in offer_items(&state, &actor).await? {
            // Only unpaused offers of tutors who volunteer in the pupil's
            // académie, able to meet the way the pupil asks.
            if offer.offer.paused
                || !offer.academies.contains(&item.school.academy_code)
                || !offer.offer.mode.suits(item.request.mode)
            {
                continue;
            }
            let subjects: Vec<String> = item
                .request
                .subjects
                .iter()
                .filter(|s| offer.offer.covers(s, &item.level_code))
                .cloned()
                .collect();
            if !subjects.is_empty() {
                covering.push((offer, subjects));
            }
        }
        let ids: Vec<i64> = covering.iter().map(|(offer, _)| offer.tutor_id).collect();
        let weeks = availability::load_many(db, &ids)
            .await
            .map_err(AppError::from_db)?;
        let mut candidates = Vec::with_capacity(covering.len());
        for (offer, subjects) in covering {
            let Some(tutor) = weeks.get(&offer.tutor_id) else {
                continue;
            };
            candidates.push(candidate(
                offer,
                subjects,
                &pupil,
                tutor,
                first_day,
                WEEKS_SHOWN,
            ));
        }
        // Tutors who may be proposed (approved, check valid) first, then by
        // shared time.
        candidates.sort_by_key(|c| (!c.item.proposable, std::cmp::Reverse(c.shared_minutes)));
        let view = crate::availability::api::view_of(db, item.pupil_id)
            .await
            .map_err(AppError::from_db)?;
        Ok(RequestDetail {
            item,
            availability: view,
            from: first_day.to_string(),
            weeks: WEEKS_SHOWN,
            candidates,
        })
    }
}
