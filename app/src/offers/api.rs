//! The tutor's server functions for their offer.

use leptos::prelude::*;

use super::TutorOffer;
use crate::error::AppError;

/// Form field names of the offer. Entry row `i` is reported as `entry-i`.
pub mod fields {
    pub const ENTRIES: &str = "entries";
    pub const SUBJECTS: &str = "entry_subjects";
    pub const UP_TO: &str = "entry_levels";
    pub const CAPACITY: &str = "capacity";
    pub const MODE: &str = "mode";
    pub const MEETING_SCHOOL: &str = "meeting_school";
    pub const MAX_DISTANCE: &str = "max_distance_km";
    pub const LANGUAGES: &str = "languages";

    /// The field name of entry row `index` (0-based).
    pub fn entry(index: usize) -> String {
        format!("entry-{index}")
    }
}

/// The signed-in tutor's offer; `None` until they make one. Tutors only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "tuteur/offre")]
pub async fn my_tutor_offer() -> Result<Option<TutorOffer>, AppError> {
    crate::error::respond(handlers::mine().await)
}

/// Creates or replaces the signed-in tutor's offer (a pause stays), then
/// sends them to `/compte/offre`.
///
/// Entries are the parallel lists `entry_subjects` (subject codes) and
/// `entry_levels` (niveau codes: "up to"); wholly empty rows are skipped.
/// `capacity`: 1–5; `mode`: `online`, `in_person` or `both`; for in person,
/// `meeting_school` (a UAI of the directory) and `max_distance_km`
/// (1–200); `languages`: ISO 639-1 codes of [`crate::meeting::LANGUAGES`].
///
/// # Errors
/// [`AppError::Invalid`] field by field (an entry that covers no niveau is
/// refused); [`AppError::NotFound`] before the tutor's profile exists.
#[server(prefix = "/api", endpoint = "tuteur/offre/enregistrer")]
#[allow(clippy::too_many_arguments)]
pub async fn save_tutor_offer(
    #[server(default)] entry_subjects: Vec<String>,
    #[server(default)] entry_levels: Vec<String>,
    #[server(default)] capacity: String,
    #[server(default)] mode: String,
    #[server(default)] meeting_school: String,
    #[server(default)] max_distance_km: String,
    #[server(default)] languages: Vec<String>,
) -> Result<(), AppError> {
    crate::error::respond(
        handlers::save(handlers::Form {
            entry_subjects,
            entry_levels,
            capacity,
            mode,
            meeting_school,
            max_distance_km,
            languages,
        })
        .await,
    )
}

/// Pauses (`paused` = `1`) or resumes (`0`) the signed-in tutor's offer,
/// then sends them to `/compte/offre`.
///
/// # Errors
/// [`AppError::NotFound`] when they have no offer.
#[server(prefix = "/api", endpoint = "tuteur/offre/pause")]
pub async fn pause_tutor_offer(#[server(default)] paused: String) -> Result<(), AppError> {
    crate::error::respond(handlers::pause(paused == "1").await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use super::fields;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::Role;
    use crate::error::{AppError, FieldError};
    use crate::meeting::{language_key, Mode};
    use crate::offers::{store, OfferEntry, TutorOffer, MAX_CAPACITY, MAX_DISTANCE_KM};

    pub struct Form {
        pub entry_subjects: Vec<String>,
        pub entry_levels: Vec<String>,
        pub capacity: String,
        pub mode: String,
        pub meeting_school: String,
        pub max_distance_km: String,
        pub languages: Vec<String>,
    }

    pub async fn mine() -> Result<Option<TutorOffer>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        store::find(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)
    }

    /// Parses one entry row; `Ok(None)` for a wholly empty row.
    fn entry(subject: &str, level: &str) -> Result<Option<OfferEntry>, &'static str> {
        let (subject, level) = (subject.trim(), level.trim());
        if subject.is_empty() && level.is_empty() {
            return Ok(None);
        }
        if subject.is_empty() || level.is_empty() {
            return Err("errors.offer.incomplete");
        }
        let (Some(subject), Some(up_to)) = (
            crate::subjects::subject(subject),
            crate::levels::level(level),
        ) else {
            return Err("errors.offer.unknown");
        };
        if subject.covered_levels(up_to).is_empty() {
            return Err("errors.offer.covers_nothing");
        }
        Ok(Some(OfferEntry {
            subject_code: subject.code.to_owned(),
            up_to_level: up_to.code.to_owned(),
        }))
    }

    pub async fn save(form: Form) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        let now = state.clock.now();
        let today = now.date_naive();
        crate::tutors::store::find(&state.db, actor.id(), today)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(|| AppError::field("form", "errors.offer.no_profile"))?;

        let mut errors = Vec::new();
        let mut problem = |field: &str, key: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                message_key: key.to_owned(),
            })
        };
        let rows = form.entry_subjects.len().max(form.entry_levels.len());
        let cell = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        let mut entries: Vec<OfferEntry> = Vec::new();
        let mut bad_rows = false;
        for i in 0..rows {
            match entry(&cell(&form.entry_subjects, i), &cell(&form.entry_levels, i)) {
                Ok(Some(found)) => {
                    if !entries.contains(&found) {
                        entries.push(found);
                    }
                }
                Ok(None) => {}
                Err(key) => {
                    bad_rows = true;
                    problem(&fields::entry(i), key);
                }
            }
        }
        if entries.is_empty() && !bad_rows {
            problem(fields::ENTRIES, "errors.offer.none");
        }
        let capacity = form
            .capacity
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|c| (1..=MAX_CAPACITY).contains(c));
        if capacity.is_none() {
            problem(fields::CAPACITY, "errors.capacity.invalid");
        }
        let mode = Mode::parse(form.mode.trim());
        if mode.is_none() {
            problem(fields::MODE, "errors.mode.none");
        }
        let mut meeting_school = None;
        let mut max_distance_km = None;
        if mode.is_some_and(Mode::in_person) {
            let uai = form.meeting_school.trim().to_uppercase();
            if uai.is_empty() {
                problem(fields::MEETING_SCHOOL, "errors.meeting_school.none");
            } else {
                meeting_school = crate::pupils::store::school_for_pupils(&state.db, &uai)
                    .await
                    .map_err(AppError::from_db)?;
                if meeting_school.is_none() {
                    problem(fields::MEETING_SCHOOL, "errors.meeting_school.unknown");
                }
            }
            max_distance_km = form
                .max_distance_km
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|d| (1..=MAX_DISTANCE_KM).contains(d));
            if max_distance_km.is_none() {
                problem(fields::MAX_DISTANCE, "errors.max_distance.invalid");
            }
        }
        let mut languages: Vec<String> = Vec::new();
        for code in form.languages.iter().map(|c| c.trim()) {
            if language_key(code).is_none() {
                problem(fields::LANGUAGES, "errors.languages.unknown");
                break;
            }
            if !languages.iter().any(|known| known == code) {
                languages.push(code.to_owned());
            }
        }
        if form.languages.is_empty() {
            problem(fields::LANGUAGES, "errors.languages.none");
        }
        let (Some(capacity), Some(mode), true) = (capacity, mode, errors.is_empty()) else {
            return Err(AppError::Invalid { fields: errors });
        };
        let offer = TutorOffer {
            entries,
            capacity,
            mode,
            meeting_school,
            max_distance_km,
            languages,
            paused: false,
        };
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        store::save(&mut tx, actor.id(), &offer, now)
            .await
            .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/compte/offre?enregistree=1");
        Ok(())
    }

    pub async fn pause(paused: bool) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Tutor]).await?;
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let found = store::set_paused(&mut tx, actor.id(), paused, state.clock.now())
            .await
            .map_err(AppError::from_db)?;
        if !found {
            return Err(AppError::NotFound);
        }
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/compte/offre");
        Ok(())
    }
}
