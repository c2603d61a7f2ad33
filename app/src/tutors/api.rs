//! The tutor's own server functions: their profile.

use leptos::prelude::*;

use super::TutorProfile;
use crate::error::AppError;

/// Form field names of the tutor's profile.
pub mod fields {
    pub const INSTITUTION: &str = "institution";
    pub const FIELD_OF_STUDY: &str = "field_of_study";
    pub const STUDY_YEAR: &str = "study_year";
    pub const ACADEMIES: &str = "academies";
    pub const CHARTER: &str = "charter";
}

/// Longest institution or field of study, in characters.
pub const TEXT_MAX_CHARS: usize = 200;

/// The signed-in tutor's profile; `None` until they fill it in. Tutors only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "tuteur/profil")]
pub async fn my_tutor_profile() -> Result<Option<TutorProfile>, AppError> {
    crate::error::respond(handlers::my_profile().await)
}

/// Saves the signed-in tutor's profile, then sends them to `/compte`. The
/// first save needs the charter accepted (`charter` = `accepted`) and makes
/// the tutor pending until a coordinator of one of their académies records
/// their background check and approves them.
///
/// # Errors
/// [`AppError::Invalid`] with every invalid field: institution and field
/// of study (1–200 characters), study year (1–8), académies (at least one
/// known code), charter; nothing is saved then.
#[server(prefix = "/api", endpoint = "tuteur/profil/enregistrer")]
pub async fn save_tutor_profile(
    #[server(default)] institution: String,
    #[server(default)] field_of_study: String,
    #[server(default)] study_year: String,
    #[server(default)] academies: Vec<String>,
    #[server(default)] charter: Option<String>,
) -> Result<(), AppError> {
    crate::error::respond(
        handlers::save_profile(institution, field_of_study, study_year, academies, charter).await,
    )
}

#[cfg(feature = "ssr")]
mod handlers {
    use super::{fields, TEXT_MAX_CHARS};
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::error::{AppError, FieldError};
    use crate::tutors::store::{self, ProfileFields};
    use crate::tutors::{TutorProfile, TutorStatus, STUDY_YEARS};

    pub async fn my_profile() -> Result<Option<TutorProfile>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        store::find(&state.db, actor.id(), state.clock.now().date_naive())
            .await
            .map_err(AppError::from_db)
    }

    fn text(value: &str) -> Result<String, &'static str> {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            Err("errors.text.empty")
        } else if value.chars().count() > TEXT_MAX_CHARS || value.chars().any(char::is_control) {
            Err("errors.text.too_long")
        } else {
            Ok(value)
        }
    }

    pub async fn save_profile(
        institution: String,
        field_of_study: String,
        study_year: String,
        academies: Vec<String>,
        charter: Option<String>,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        let now = state.clock.now();
        let today = now.date_naive();
        let existing = store::find(&state.db, actor.id(), today)
            .await
            .map_err(AppError::from_db)?;

        let mut errors = Vec::new();
        let mut problem = |field: &str, key: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                message_key: key.to_owned(),
            })
        };
        let institution = text(&institution)
            .map_err(|key| problem(fields::INSTITUTION, key))
            .ok();
        let field_of_study = text(&field_of_study)
            .map_err(|key| problem(fields::FIELD_OF_STUDY, key))
            .ok();
        let study_year = study_year
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|year| STUDY_YEARS.contains(year));
        if study_year.is_none() {
            problem(fields::STUDY_YEAR, "errors.study_year.invalid");
        }
        let known = crate::academies::queries::codes(&state.db)
            .await
            .map_err(AppError::from_db)?;
        let mut chosen: Vec<String> = Vec::new();
        let unknown = academies.iter().any(|code| !known.contains(code));
        if unknown {
            problem(fields::ACADEMIES, "errors.academies.unknown");
        } else {
            for code in academies {
                if !chosen.contains(&code) {
                    chosen.push(code);
                }
            }
            if chosen.is_empty() {
                problem(fields::ACADEMIES, "errors.academies.none");
            }
        }
        if existing.is_none() && charter.as_deref() != Some("accepted") {
            problem(fields::CHARTER, "errors.charter.required");
        }
        let (Some(institution), Some(field_of_study), Some(study_year), true) =
            (institution, field_of_study, study_year, errors.is_empty())
        else {
            return Err(AppError::Invalid { fields: errors });
        };

        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let profile = ProfileFields {
            institution: &institution,
            field_of_study: &field_of_study,
            study_year,
            academies: &chosen,
        };
        store::save(&mut tx, actor.id(), &profile, now)
            .await
            .map_err(AppError::from_db)?;
        // Approval holds for the académies whose coordinators gave it: new
        // ones (or fewer) mean being vetted again.
        if let Some(before) = existing.filter(|before| before.status == TutorStatus::Approved) {
            let mut was = before.academies.clone();
            let mut now_in = chosen.clone();
            was.sort();
            now_in.sort();
            if was != now_in {
                store::set_status(&mut tx, actor.id(), TutorStatus::Pending, now)
                    .await
                    .map_err(AppError::from_db)?;
                let details = format!(
                    "from={} to={}; approved -> pending",
                    was.join(","),
                    now_in.join(",")
                );
                record(
                    &mut tx,
                    &AuditActor::from(&actor),
                    now,
                    "tutor.academies_changed",
                    ("tutor", &actor.id().to_string()),
                    &details,
                )
                .await
                .map_err(AppError::from_db)?;
            }
        }
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/compte");
        Ok(())
    }
}
