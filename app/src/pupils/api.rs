//! The pupil's own server functions: their profile, and reporting a
//! problem.

use leptos::prelude::*;

use super::PupilProfile;
use crate::error::AppError;

/// Form field names of the pupil's profile.
pub mod fields {
    pub const BIRTH_MONTH: &str = "birth_month";
    pub const BIRTH_YEAR: &str = "birth_year";
    pub const SCHOOL: &str = "school_uai";
    pub const LEVEL: &str = "level_code";
    pub const PARENT_EMAIL: &str = "parent_email";
    pub const BODY: &str = "body";
}

/// The signed-in pupil's profile; `None` until they fill it in. Pupils only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "eleve/profil")]
pub async fn my_pupil_profile() -> Result<Option<PupilProfile>, AppError> {
    crate::error::respond(handlers::my_profile().await)
}

/// Saves the signed-in pupil's profile, then sends them to `/compte`.
///
/// Under 15 (see [`super::is_under_15`]) `parent_email` is required: the
/// parent gets an email explaining what is collected and why, with a link
/// to accept or refuse; until they accept, the pupil cannot ask for help.
/// Changing the parent's address asks the new one. From 15 it is ignored.
///
/// # Errors
/// [`AppError::Invalid`] with every invalid field (month 1–12, a plausible
/// birth year, a school of the directory that has lycée pupils, a niveau of
/// `niveaux.csv`, the parent's address); nothing is saved then.
#[server(prefix = "/api", endpoint = "eleve/profil/enregistrer")]
pub async fn save_pupil_profile(
    #[server(default)] birth_month: String,
    #[server(default)] birth_year: String,
    #[server(default)] school_uai: String,
    #[server(default)] level_code: String,
    #[server(default)] parent_email: String,
) -> Result<(), AppError> {
    crate::error::respond(
        handlers::save_profile(
            birth_month,
            birth_year,
            school_uai,
            level_code,
            parent_email,
        )
        .await,
    )
}

/// Reports a problem (behaviour, safety) to the coordinators of the
/// pupil's académie: stored in their queue, and they are emailed that a
/// report waits (without its text). Then `/signaler/envoye`. Pupils, and parents for their child
/// (`pupil_id`), and tutors may report; the other side never sees it.
/// Made from a match (`match_id`, active or not), the report names it and
/// goes to the académie of its pupil's school: the pupil, their parent and
/// the tutor of that match may make it.
///
/// # Errors
/// [`AppError::Invalid`] on `body` (empty, or over 4000 characters);
/// [`AppError::NotFound`] when `pupil_id` is not the parent's child, or
/// `match_id` not a match of the reporter (or of their child).
#[server(prefix = "/api", endpoint = "signaler")]
pub async fn report_problem(
    #[server(default)] body: String,
    #[server(default)] pupil_id: Option<i64>,
    #[server(default)] match_id: Option<i64>,
) -> Result<(), AppError> {
    crate::error::respond(handlers::report_problem(body, pupil_id, match_id).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod handlers {
    use chrono::Datelike;

    use super::fields;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::token::{self, Purpose};
    use crate::accounts::users::{self, AccountStatus, NewUser, User};
    use crate::accounts::Role;
    use crate::error::{AppError, FieldError};
    use crate::mail::outbox::{self, NewEmail, Recipient};
    use crate::mail::{EmailAddress, HeaderText};
    use crate::pupils::emails::{ParentConsent, ProblemReported};
    use crate::pupils::store::{self, ProfileFields};
    use crate::pupils::{birth_year_range, is_under_15, Consent, PupilProfile};
    use crate::schools::Uai;
    use crate::state::AppState;

    /// Longest problem report, in characters.
    pub const REPORT_MAX_CHARS: usize = 4000;

    pub async fn my_profile() -> Result<Option<PupilProfile>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil]).await?;
        let pupil = store::find(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        Ok(pupil.map(|pupil| pupil.profile(state.clock.now())))
    }

    pub async fn save_profile(
        birth_month: String,
        birth_year: String,
        school_uai: String,
        level_code: String,
        parent_email: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil]).await?;
        let now = state.clock.now();

        let mut errors = Vec::new();
        let mut problem = |field: &str, key: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                message_key: key.to_owned(),
            })
        };
        let month = birth_month
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=12).contains(m));
        if month.is_none() {
            problem(fields::BIRTH_MONTH, "errors.birth_month.invalid");
        }
        let year = birth_year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| birth_year_range(now.year()).contains(y));
        if year.is_none() {
            problem(fields::BIRTH_YEAR, "errors.birth_year.range");
        }
        let school = match Uai::parse(&school_uai) {
            Err(_) if school_uai.trim().is_empty() => {
                problem(fields::SCHOOL, "errors.school.missing");
                None
            }
            Err(e) => {
                problem(fields::SCHOOL, e.message_key());
                None
            }
            Ok(uai) => {
                let found = store::school_for_pupils(&state.db, uai.as_str())
                    .await
                    .map_err(AppError::from_db)?;
                if found.is_none() {
                    problem(fields::SCHOOL, "errors.school.unknown");
                }
                found
            }
        };
        let level = crate::levels::level(level_code.trim());
        if level.is_none() {
            problem(fields::LEVEL, "errors.level.unknown");
        }
        let under_15 = match (year, month) {
            (Some(y), Some(m)) => is_under_15(y, m, now.year(), now.month()),
            _ => false,
        };
        let parent = if under_15 {
            match EmailAddress::parse(&parent_email) {
                Err(crate::mail::AddressError::Empty) => {
                    problem(fields::PARENT_EMAIL, "errors.parent_email.missing");
                    None
                }
                Err(e) => {
                    problem(fields::PARENT_EMAIL, e.message_key());
                    None
                }
                Ok(address) if users::email_key(&address) == actor.user.email.to_lowercase() => {
                    problem(fields::PARENT_EMAIL, "errors.parent_email.own");
                    None
                }
                Ok(address) => Some(address),
            }
        } else {
            None
        };
        let (Some(month), Some(year), Some(school), Some(level), true) =
            (month, year, school, level, errors.is_empty())
        else {
            return Err(AppError::Invalid { fields: errors });
        };

        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let before = store::find_in(&mut tx, actor.id())
            .await
            .map_err(AppError::from_db)?;
        let profile = ProfileFields {
            birth_month: month,
            birth_year: year,
            school_uai: &school.uai,
            level_code: level.code,
        };
        // Once a parent has answered, the answer holds for this child: the
        // birth date and the parent change only through a coordinator.
        if let Some(b) = before.as_ref().filter(|b| {
            matches!(
                b.consent,
                Consent::Given | Consent::Refused | Consent::Withdrawn
            )
        }) {
            let mut locked = Vec::new();
            if b.birth_month != month {
                locked.push(fields::BIRTH_MONTH);
            }
            if b.birth_year != year {
                locked.push(fields::BIRTH_YEAR);
            }
            let new_parent = parent.as_ref().map(users::email_key);
            if new_parent.is_some()
                && new_parent != b.parent_email.as_ref().map(|e| e.to_lowercase())
            {
                locked.push(fields::PARENT_EMAIL);
            }
            if !locked.is_empty() {
                return Err(AppError::Invalid {
                    fields: locked
                        .into_iter()
                        .map(|field| FieldError {
                            field: field.into(),
                            message_key: "errors.profile.locked_by_consent".into(),
                        })
                        .collect(),
                });
            }
        }
        store::save(&mut tx, actor.id(), &profile, now)
            .await
            .map_err(AppError::from_db)?;
        match parent {
            Some(address) => {
                let parent = find_or_create_parent(&mut tx, &address, &actor.user, now).await?;
                let Some(parent) = parent else {
                    return Err(AppError::field(
                        fields::PARENT_EMAIL,
                        "errors.parent_email.unusable",
                    ));
                };
                let same_parent = before
                    .as_ref()
                    .is_some_and(|b| b.parent_user_id == Some(parent.id));
                let settled = before.as_ref().is_some_and(|b| {
                    matches!(
                        b.consent,
                        Consent::Pending | Consent::Given | Consent::Withdrawn
                    )
                });
                if !(same_parent && settled) {
                    // Each ask is an email to someone else: a few, then one an hour.
                    crate::accounts::rate_limit::limit(
                        &state,
                        crate::accounts::rate_limit::Action::ConsentRequest,
                        &actor.user.email.to_lowercase(),
                    )
                    .await?;
                    store::set_consent(&mut tx, actor.id(), Some(parent.id), Consent::Pending, now)
                        .await
                        .map_err(AppError::from_db)?;
                    let secret = token::issue(&mut tx, parent.id, Purpose::ParentConsent, now)
                        .await
                        .map_err(AppError::from_db)?;
                    let data = ParentConsent {
                        child_name: format!("{} {}", actor.user.first_name, actor.user.last_name),
                        school_name: school.name.clone(),
                        link_path: format!("/parent/consentement?jeton={secret}"),
                    };
                    let email = NewEmail::from_template(
                        Recipient {
                            address,
                            name: None,
                        },
                        actor.user.lang,
                        &data,
                        &state.public_url,
                    )
                    .map_err(AppError::internal)?;
                    outbox::enqueue(&mut tx, &email, now)
                        .await
                        .map_err(AppError::from_db)?;
                }
            }
            None => {
                let consent = before.map_or(Consent::NotRequired, |b| b.consent);
                if consent == Consent::Pending {
                    // Now 15: consent is no longer needed.
                    store::set_consent(&mut tx, actor.id(), None, Consent::NotRequired, now)
                        .await
                        .map_err(AppError::from_db)?;
                }
            }
        }
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/compte");
        Ok(())
    }

    /// The parent account of `address`, created (active, without password:
    /// parents sign in by emailed link) if there is none. `None` when the
    /// address belongs to an account of another role.
    async fn find_or_create_parent(
        tx: &mut crate::db::Tx,
        address: &EmailAddress,
        child: &User,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<User>, AppError> {
        if let Some(user) = users::find_by_email_in(tx, address)
            .await
            .map_err(AppError::from_db)?
        {
            return Ok((user.role == Role::Parent).then_some(user));
        }
        let new = NewUser {
            email: address,
            first_name: "",
            last_name: "",
            role: Role::Parent,
            status: AccountStatus::Active,
            password_hash: None,
            lang: child.lang,
        };
        let id = users::insert(tx, &new, now)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(|| AppError::internal("parent account raced"))?;
        users::find_in(tx, id).await.map_err(AppError::from_db)
    }

    pub async fn report_problem(
        body: String,
        pupil_id: Option<i64>,
        match_id: Option<i64>,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Pupil, Role::Parent, Role::Tutor]).await?;
        let body = body.trim().to_owned();
        if body.is_empty() || body.chars().count() > REPORT_MAX_CHARS {
            let key = if body.is_empty() {
                "errors.report.empty"
            } else {
                "errors.report.too_long"
            };
            return Err(AppError::field(fields::BODY, key));
        }
        let (pupil, academy) = match (match_id, actor.user.role) {
            (Some(match_id), _) => {
                let (pupil, tutor) = store::sides_of_match(&state.db, match_id)
                    .await
                    .map_err(AppError::from_db)?
                    .ok_or(AppError::NotFound)?;
                let pupil = store::find(&state.db, pupil)
                    .await
                    .map_err(AppError::from_db)?
                    .ok_or(AppError::NotFound)?;
                let theirs = match actor.user.role {
                    Role::Pupil => pupil.user_id == actor.id(),
                    Role::Parent => pupil.parent_user_id == Some(actor.id()),
                    _ => tutor == actor.id(),
                };
                if !theirs {
                    return Err(AppError::NotFound);
                }
                (Some(pupil.user_id), pupil.school.academy_code)
            }
            (None, Role::Pupil) => {
                let pupil = store::find(&state.db, actor.id())
                    .await
                    .map_err(AppError::from_db)?
                    .ok_or(AppError::NotFound)?;
                (Some(pupil.user_id), pupil.school.academy_code)
            }
            (None, Role::Parent) => {
                let pupil = store::find(&state.db, pupil_id.ok_or(AppError::NotFound)?)
                    .await
                    .map_err(AppError::from_db)?
                    .filter(|pupil| pupil.parent_user_id == Some(actor.id()))
                    .ok_or(AppError::NotFound)?;
                (Some(pupil.user_id), pupil.school.academy_code)
            }
            (None, _) => {
                let academy = crate::tutors::store::academies_of(&state.db, actor.id())
                    .await
                    .map_err(AppError::from_db)?
                    .into_iter()
                    .next()
                    .ok_or(AppError::NotFound)?;
                (None, academy)
            }
        };
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        crate::on_tx!(&mut tx, |conn| {
            sqlx::query(
                "INSERT INTO problem_reports (reporter_user_id, pupil_user_id, academy_code, body, \
                 status, created_at, match_id) VALUES ($1, $2, $3, $4, 'open', $5, $6)",
            )
            .bind(actor.id())
            .bind(pupil)
            .bind(&academy)
            .bind(&body)
            .bind(now)
            .bind(match_id)
            .execute(&mut *conn)
            .await
            .map_err(AppError::from_db)?;
        });
        tell_coordinators(&state, &mut tx, &academy, |coordinator| ProblemReported {
            coordinator_name: coordinator.first_name.clone(),
        })
        .await?;
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/signaler/envoye");
        Ok(())
    }

    /// Queues an email to every active coordinator of `academy`, each in
    /// their language.
    pub async fn tell_coordinators<T: crate::mail::template::EmailTemplate>(
        state: &AppState,
        tx: &mut crate::db::Tx,
        academy: &str,
        data: impl Fn(&User) -> T,
    ) -> Result<(), AppError> {
        let now = state.clock.now();
        for coordinator in users::coordinators_of(tx, academy)
            .await
            .map_err(AppError::from_db)?
        {
            let Ok(address) = EmailAddress::parse(&coordinator.email) else {
                continue;
            };
            let to = Recipient {
                address,
                name: Some(HeaderText::new(&format!(
                    "{} {}",
                    coordinator.first_name, coordinator.last_name
                ))),
            };
            let email = NewEmail::from_template(
                to,
                coordinator.lang,
                &data(&coordinator),
                &state.public_url,
            )
            .map_err(AppError::internal)?;
            outbox::enqueue(tx, &email, now)
                .await
                .map_err(AppError::from_db)?;
        }
        Ok(())
    }
}
