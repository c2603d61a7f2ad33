//! The pupil's server functions for their help request.

use leptos::prelude::*;

use super::OwnHelpRequest;
use crate::error::AppError;

/// Form field names of the help request.
pub mod fields {
    pub const SUBJECTS: &str = "subjects";
    pub const DIFFICULTY: &str = "difficulty";
    pub const MODE: &str = "mode";
    pub const DEADLINE: &str = "deadline";
    pub const SESSIONS_PER_WEEK: &str = "sessions_per_week";
}

/// The signed-in pupil's niveau and open help request. Pupils only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles,
/// and for a pupil who has not filled in their profile yet.
#[server(prefix = "/api", endpoint = "eleve/demande")]
pub async fn my_help_request() -> Result<OwnHelpRequest, AppError> {
    crate::error::respond(handlers::mine().await)
}

/// Opens the signed-in pupil's help request, or updates their open one
/// (its request date stays), then sends them back to `/compte/demande`.
///
/// `subjects`: one to three codes of `reference/matieres-lycee.csv` taught
/// at the pupil's niveau; `difficulty`: 1 to 1000 characters; `mode`:
/// `online`, `in_person` (at the pupil's school) or `both`; `deadline`:
/// empty, or a date (`YYYY-MM-DD`) from today on; `sessions_per_week`:
/// `1` (also when empty) or `2`, for a pupil who asks for more.
///
/// # Errors
/// [`AppError::Invalid`] field by field; nothing is saved then.
#[server(prefix = "/api", endpoint = "eleve/demande/enregistrer")]
pub async fn save_help_request(
    #[server(default)] subjects: Vec<String>,
    #[server(default)] difficulty: String,
    #[server(default)] mode: String,
    #[server(default)] deadline: String,
    #[server(default)] sessions_per_week: String,
) -> Result<(), AppError> {
    crate::error::respond(
        handlers::save(subjects, difficulty, mode, deadline, sessions_per_week).await,
    )
}

/// Withdraws the signed-in pupil's open help request, then sends them back
/// to `/compte/demande`.
///
/// # Errors
/// [`AppError::NotFound`] when they have no open request.
#[server(prefix = "/api", endpoint = "eleve/demande/retirer")]
pub async fn withdraw_help_request() -> Result<(), AppError> {
    crate::error::respond(handlers::withdraw().await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::fields;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::db::Db;
    use crate::error::{AppError, FieldError};
    use crate::help_requests::store::{self, RequestFields, StoredRequest};
    use crate::help_requests::{
        blockers, HelpRequest, OwnHelpRequest, DIFFICULTY_MAX_CHARS, MAX_SUBJECTS,
    };
    use crate::meeting::Mode;
    use crate::pupils::store as pupils;

    /// The request as pages show it, at `now`.
    pub async fn view(
        db: &Db,
        stored: StoredRequest,
        may_request_help: bool,
        now: DateTime<Utc>,
    ) -> Result<HelpRequest, sqlx::Error> {
        let has_availability =
            crate::availability::store::has_any(db, stored.pupil_user_id).await?;
        let zone = crate::availability::store::zone(db, stored.pupil_user_id).await?;
        Ok(view_in(
            stored,
            may_request_help,
            has_availability,
            zone,
            now,
        ))
    }

    /// [`view`] with what it reads already known: whether the pupil gave
    /// any availability, and their zone (days are counted in it).
    pub fn view_in(
        stored: StoredRequest,
        may_request_help: bool,
        has_availability: bool,
        zone: chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> HelpRequest {
        let requested_on = stored.requested_at.with_timezone(&zone).date_naive();
        HelpRequest {
            id: stored.id,
            subjects: stored.subjects,
            difficulty: stored.difficulty,
            mode: stored.mode,
            sessions_per_week: stored.sessions_per_week,
            deadline: stored.deadline.map(|d| d.to_string()),
            requested_on: requested_on.to_string(),
            waiting_days: (now.with_timezone(&zone).date_naive() - requested_on).num_days(),
            blockers: blockers(has_availability, may_request_help),
        }
    }

    pub async fn mine() -> Result<OwnHelpRequest, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil]).await?;
        let now = state.clock.now();
        let pupil = pupils::find(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        let may = pupil.profile(now).may_request_help;
        let request = match store::open_of(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?
        {
            Some(stored) => Some(
                view(&state.db, stored, may, now)
                    .await
                    .map_err(AppError::from_db)?,
            ),
            None => None,
        };
        let has_availability = crate::availability::store::has_any(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        Ok(OwnHelpRequest {
            level_code: pupil.level_code,
            request,
            blockers: blockers(has_availability, may),
        })
    }

    /// The difficulty as typed, trimmed; line breaks kept, other control
    /// characters refused.
    fn difficulty(text: &str) -> Result<String, &'static str> {
        let text = text.trim().replace("\r\n", "\n");
        if text.is_empty() {
            Err("errors.difficulty.empty")
        } else if text.chars().count() > DIFFICULTY_MAX_CHARS {
            Err("errors.difficulty.too_long")
        } else if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            Err("errors.text.control")
        } else {
            Ok(text)
        }
    }

    pub async fn save(
        subjects: Vec<String>,
        difficulty_text: String,
        mode: String,
        deadline: String,
        sessions_per_week: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil]).await?;
        let now = state.clock.now();
        let pupil = pupils::find(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(|| AppError::field("form", "errors.request.no_profile"))?;
        let level = crate::levels::level(&pupil.level_code)
            .ok_or_else(|| AppError::field("form", "errors.request.no_profile"))?;

        let mut errors = Vec::new();
        let mut problem = |field: &str, key: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                message_key: key.to_owned(),
            })
        };
        let mut chosen: Vec<String> = Vec::new();
        for code in subjects.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            if !chosen.iter().any(|c| c == code) {
                chosen.push(code.to_owned());
            }
        }
        let taught = chosen
            .iter()
            .all(|code| crate::subjects::subject(code).is_some_and(|s| s.is_taught_at(level)));
        if chosen.is_empty() {
            problem(fields::SUBJECTS, "errors.subjects.none");
        } else if !taught {
            problem(fields::SUBJECTS, "errors.subjects.not_taught");
        } else if chosen.len() > MAX_SUBJECTS {
            problem(fields::SUBJECTS, "errors.subjects.too_many");
        }
        let difficulty = difficulty(&difficulty_text)
            .map_err(|key| problem(fields::DIFFICULTY, key))
            .ok();
        let mode = Mode::parse(mode.trim());
        if mode.is_none() {
            problem(fields::MODE, "errors.mode.none");
        }
        let today = crate::availability::store::local_today(&state.db, actor.id(), now)
            .await
            .map_err(AppError::from_db)?;
        let deadline = match deadline.trim() {
            "" => Ok(None),
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) if date < today => Err("errors.deadline.past"),
                Ok(date) if date > today + chrono::Duration::days(400) => {
                    Err("errors.deadline.far")
                }
                Ok(date) => Ok(Some(date)),
                Err(_) => Err("errors.deadline.invalid"),
            },
        };
        let deadline = deadline.map_err(|key| problem(fields::DEADLINE, key)).ok();
        let per_week = match sessions_per_week.trim() {
            "" | "1" => Some(1),
            "2" => Some(2),
            _ => {
                problem(
                    fields::SESSIONS_PER_WEEK,
                    "errors.request.sessions_per_week",
                );
                None
            }
        };
        let (Some(difficulty), Some(mode), Some(deadline), Some(sessions_per_week), true) =
            (difficulty, mode, deadline, per_week, errors.is_empty())
        else {
            return Err(AppError::Invalid { fields: errors });
        };

        let fields = RequestFields {
            subjects: &chosen,
            difficulty: &difficulty,
            mode,
            deadline,
            sessions_per_week,
        };
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let existing = store::open_of(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        // Back to one a week while a second weekly session is booked or
        // proposed: that one is to end first.
        if let (Some(open), 1) = (&existing, sessions_per_week) {
            if store::has_second_series(&mut tx, open.id)
                .await
                .map_err(AppError::from_db)?
            {
                return Err(AppError::field(
                    fields::SESSIONS_PER_WEEK,
                    "errors.request.second_live",
                ));
            }
        }
        let updated = match existing {
            Some(open) => store::update(&mut tx, open.id, &fields, now)
                .await
                .map_err(AppError::from_db)?,
            None => false,
        };
        if !updated {
            match store::open(&mut tx, actor.id(), &fields, now).await {
                Ok(_) => {}
                // Another submit opened one meanwhile (two clicks, two tabs).
                Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                    return Err(AppError::field("form", "errors.request.already_open"));
                }
                Err(error) => return Err(AppError::from_db(error)),
            }
        }
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/compte/demande?enregistree=1");
        Ok(())
    }

    pub async fn withdraw() -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil]).await?;
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let withdrawn = store::withdraw(&mut tx, actor.id(), state.clock.now())
            .await
            .map_err(AppError::from_db)?;
        if !withdrawn {
            return Err(AppError::NotFound);
        }
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/compte/demande?retiree=1");
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use handlers::{view, view_in};
