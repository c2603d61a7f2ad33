//! The server functions of one's own availability (pupils and tutors).

use leptos::prelude::*;

use super::AvailabilityView;
use crate::error::AppError;

/// Form field names of the availability form. Each interval row `i` is
/// reported as the field `interval-i`.
pub mod fields {
    pub const TIME_ZONE: &str = "time_zone";
    pub const DAYS: &str = "days";
    pub const FROMS: &str = "froms";
    pub const TOS: &str = "tos";

    /// The field name of interval row `index` (0-based).
    pub fn interval(index: usize) -> String {
        format!("interval-{index}")
    }
}

/// The signed-in pupil's or tutor's availability and its time zone.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "disponibilites")]
pub async fn my_availability() -> Result<AvailabilityView, AppError> {
    crate::error::respond(handlers::mine().await)
}

/// Replaces the signed-in pupil's or tutor's weekly availability, then
/// sends them back to `/compte/disponibilites` saying how many intervals
/// were merged.
///
/// Rows are the parallel lists `days` (ISO weekday 1–7), `froms` and `tos`
/// (minutes after local midnight, 30-minute grain, `to` ≤ 1440); wholly
/// empty rows are skipped. `time_zone` is an IANA name, or empty for the
/// académie's zone. Overlapping or touching rows of a day are merged.
///
/// # Errors
/// [`AppError::Invalid`] field by field: `time_zone` unknown, or a row
/// `interval-i` incomplete, empty, off the grain or past midnight. Nothing
/// is saved then.
#[server(prefix = "/api", endpoint = "disponibilites/enregistrer")]
pub async fn save_availability(
    #[server(default)] time_zone: String,
    #[server(default)] days: Vec<String>,
    #[server(default)] froms: Vec<String>,
    #[server(default)] tos: Vec<String>,
) -> Result<(), AppError> {
    crate::error::respond(handlers::save(time_zone, days, froms, tos).await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use domain::availability::WEEKDAYS;
    use domain::availability::{parse_zone, IntervalError, WeeklyAvailability, WeeklyInterval};

    use super::fields;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::availability::{store, AvailabilityView, IntervalView};
    use crate::error::{AppError, FieldError};

    pub async fn mine() -> Result<AvailabilityView, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        view_of(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)
    }

    /// Someone's availability as shown to them (and to coordinators).
    pub async fn view_of(
        db: &crate::db::Db,
        user_id: i64,
    ) -> Result<AvailabilityView, sqlx::Error> {
        let availability = store::load(db, user_id).await?;
        Ok(AvailabilityView {
            time_zone: availability.zone().name().to_owned(),
            default_zone: store::default_zone(db, user_id).await?,
            intervals: availability
                .intervals()
                .iter()
                .map(|i| IntervalView {
                    weekday: u8::try_from(i.weekday().number_from_monday()).unwrap_or(1),
                    from: i.from(),
                    to: i.to(),
                })
                .collect(),
        })
    }

    /// Parses one posted row; `Ok(None)` for a wholly empty row.
    fn row(day: &str, from: &str, to: &str) -> Result<Option<WeeklyInterval>, &'static str> {
        let (day, from, to) = (day.trim(), from.trim(), to.trim());
        if day.is_empty() && from.is_empty() && to.is_empty() {
            return Ok(None);
        }
        if day.is_empty() || from.is_empty() || to.is_empty() {
            return Err("errors.availability.incomplete");
        }
        let weekday = day
            .parse::<usize>()
            .ok()
            .and_then(|d| d.checked_sub(1))
            .and_then(|i| WEEKDAYS.get(i).copied())
            .ok_or("errors.availability.day")?;
        let (Ok(from), Ok(to)) = (from.parse::<u16>(), to.parse::<u16>()) else {
            return Err("errors.availability.off_grain");
        };
        WeeklyInterval::new(weekday, from, to)
            .map(Some)
            .map_err(|error| match error {
                IntervalError::Empty => "errors.availability.empty",
                IntervalError::OffGrain => "errors.availability.off_grain",
                IntervalError::PastMidnight => "errors.availability.past_midnight",
            })
    }

    pub async fn save(
        time_zone: String,
        days: Vec<String>,
        froms: Vec<String>,
        tos: Vec<String>,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Tutor]).await?;
        let mut errors = Vec::new();
        let default = store::default_zone(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        // The académie's zone, left as the form showed it, stays "the
        // académie's": it follows the owner if their académie changes.
        let time_zone = match time_zone.trim() {
            zone if zone == default => "",
            zone => zone,
        };
        let zone = if time_zone.is_empty() {
            parse_zone(&default).ok()
        } else {
            let zone = parse_zone(time_zone).ok();
            if zone.is_none() {
                errors.push(FieldError {
                    field: fields::TIME_ZONE.to_owned(),
                    message_key: "errors.time_zone.unknown".to_owned(),
                });
            }
            zone
        };
        let rows = days.len().max(froms.len()).max(tos.len());
        let cell = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        let mut intervals = Vec::new();
        for i in 0..rows {
            match row(&cell(&days, i), &cell(&froms, i), &cell(&tos, i)) {
                Ok(Some(interval)) => intervals.push(interval),
                Ok(None) => {}
                Err(key) => errors.push(FieldError {
                    field: fields::interval(i),
                    message_key: key.to_owned(),
                }),
            }
        }
        let (Some(zone), true) = (zone, errors.is_empty()) else {
            return Err(AppError::Invalid { fields: errors });
        };
        let (availability, normalisation) = WeeklyAvailability::new(zone, intervals);
        let chosen = (!time_zone.is_empty()).then(|| zone.name());
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        store::save(&mut tx, actor.id(), chosen, &availability)
            .await
            .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect(&format!(
            "/compte/disponibilites?enregistre=1&fusionnes={}",
            normalisation.merged
        ));
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use handlers::view_of;
