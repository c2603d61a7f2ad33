//! The coordinator's dashboard (issue 8, part 5): the figures of their
//! scope, in total, per school and per subject, with a week-by-week
//! history of sessions held and missed. What each figure counts is
//! [`domain::dashboard`]'s; the page is `/coordination/tableau-de-bord`,
//! the same figures as a file `/coordination/export/indicateurs.csv`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod store;

/// The figures of one scope; see `domain::dashboard::Figures`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub waiting: u32,
    /// Whole days.
    pub median_wait_days: Option<f64>,
    pub active_pairs: u32,
    pub held_this_week: u32,
    pub missed_this_week: u32,
    pub held_this_year: u32,
    pub missed_this_year: u32,
    /// Minutes of the sessions held this school year.
    pub volunteer_minutes: u32,
    /// 1–5.
    pub average_rating: Option<f64>,
    pub ratings: u32,
    /// Points on the 1–5 scale.
    pub confidence_change: Option<f64>,
    /// Whole days.
    pub median_days_to_first_session: Option<f64>,
}

/// A school's or a subject's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The school's UAI, or the subject's code.
    pub code: String,
    /// The school's name; for a subject, its code again (the page names
    /// it in the reader's language).
    pub name: String,
    pub figures: Figures,
}

/// Sessions held and missed in the week of `monday` (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    pub monday: String,
    pub held: u32,
    pub missed: u32,
}

/// The dashboard of a coordinator's scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Académie codes.
    pub academies: Vec<String>,
    /// The coordinator's today, the Monday of this week and the first day
    /// of the school year, `YYYY-MM-DD`.
    pub today: String,
    pub week_start: String,
    pub year_start: String,
    pub total: Figures,
    /// Schools with a waiting pupil or a pair, by name.
    pub schools: Vec<Row>,
    /// Subjects with a waiting pupil or a pair, by code.
    pub subjects: Vec<Row>,
    /// The school year's weeks up to this one, oldest first.
    pub weeks: Vec<Week>,
}

/// The signed-in coordinator's dashboard.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "coordination/tableau-de-bord")]
pub async fn coordinator_dashboard() -> Result<Dashboard, AppError> {
    crate::error::respond(handlers::dashboard().await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;

    pub async fn dashboard() -> Result<Dashboard, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator]).await?;
        store::dashboard(&state, &actor)
            .await
            .map_err(AppError::from_db)
    }
}
