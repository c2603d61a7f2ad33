//! The parent's side: answering the consent request, the parent space
//! (reached by a single-use emailed link, no password), withdrawing or
//! giving consent again.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::PupilProfile;
use crate::error::AppError;

/// A child as their parent sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub pupil_id: i64,
    pub profile: PupilProfile,
    /// The names of the child's tutors (none until matching, issue 6).
    pub tutors: Vec<String>,
}

/// What a consent link asks about: the children awaiting this parent's
/// answer. Reading it does not use the link.
///
/// # Errors
/// [`AppError::Invalid`] on `token` when the link is unknown, used or expired.
#[server(prefix = "/api", endpoint = "parent/demande")]
pub async fn consent_request(#[server(default)] token: String) -> Result<Vec<Child>, AppError> {
    crate::error::respond(handlers::consent_request(token).await)
}

/// Answers a consent link (`answer` = `accept` or `refuse`) for every child
/// awaiting it, signs the parent in and sends them to `/parent`.
///
/// # Errors
/// As [`consent_request`]; [`AppError::Invalid`] on `answer` otherwise.
#[server(prefix = "/api", endpoint = "parent/repondre")]
pub async fn answer_consent(
    #[server(default)] token: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::answer_consent(token, answer).await)
}

/// Emails a single-use link into the parent space if `email` is a
/// parent's, and sends the person to `/parent/envoye` in every case.
///
/// # Errors
/// [`AppError::Invalid`] on `email`; [`AppError::TooManyRequests`].
#[server(prefix = "/api", endpoint = "parent/lien")]
pub async fn request_parent_link(#[server(default)] email: String) -> Result<(), AppError> {
    crate::error::respond(handlers::request_link(email).await)
}

/// Follows a parent-space link: signs the parent in, then `/parent`.
///
/// # Errors
/// [`AppError::Invalid`] on `token` when the link is unknown, used or expired.
#[server(prefix = "/api", endpoint = "parent/entrer")]
pub async fn parent_sign_in(#[server(default)] token: String) -> Result<(), AppError> {
    crate::error::respond(handlers::sign_in(token).await)
}

/// The signed-in parent's children. Parents only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "parent/enfants")]
pub async fn parent_overview() -> Result<Vec<Child>, AppError> {
    crate::error::respond(handlers::overview().await)
}

/// Withdraws (`give` false) or gives again (`give` true) consent for the
/// parent's child `pupil_id`. Withdrawing pauses the child's requests and
/// matches (they cannot ask for help) and tells the coordinators of the
/// child's académie.
///
/// # Errors
/// [`AppError::NotFound`] when `pupil_id` is not the parent's child.
#[server(prefix = "/api", endpoint = "parent/consentement")]
pub async fn change_consent(pupil_id: i64, give: bool) -> Result<(), AppError> {
    crate::error::respond(handlers::change_consent(pupil_id, give).await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use super::Child;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::rate_limit::Action;
    use crate::accounts::token::{self, Purpose};
    use crate::accounts::users::{self, AccountStatus};
    use crate::accounts::{login_session, Role};
    use crate::error::AppError;
    use crate::mail::outbox::{self, NewEmail, Recipient};
    use crate::mail::EmailAddress;
    use crate::pupils::api::handlers::tell_coordinators;
    use crate::pupils::emails::{ConsentWithdrawn, ParentSignIn};
    use crate::pupils::store::{self, Pupil};
    use crate::pupils::Consent;
    use crate::state::AppState;

    fn child(pupil: &Pupil, state: &AppState) -> Child {
        Child {
            pupil_id: pupil.user_id,
            profile: pupil.profile(state.clock.now()),
            tutors: Vec::new(),
        }
    }

    async fn awaiting(state: &AppState, parent_id: i64) -> Result<Vec<Pupil>, AppError> {
        Ok(store::children_of(&state.db, parent_id)
            .await
            .map_err(AppError::from_db)?
            .into_iter()
            .filter(|pupil| pupil.consent == Consent::Pending)
            .collect())
    }

    pub async fn consent_request(secret: String) -> Result<Vec<Child>, AppError> {
        let state = app_state()?;
        let parent_id = token::find(
            &state.db,
            secret.trim(),
            Purpose::ParentConsent,
            state.clock.now(),
        )
        .await
        .map_err(AppError::from_db)?
        .ok_or_else(|| AppError::field("token", "errors.link.invalid"))?;
        let children = awaiting(&state, parent_id).await?;
        if children.is_empty() {
            return Err(AppError::field("token", "errors.link.invalid"));
        }
        Ok(children.iter().map(|pupil| child(pupil, &state)).collect())
    }

    pub async fn answer_consent(secret: String, answer: String) -> Result<(), AppError> {
        let consent = match answer.as_str() {
            "accept" => Consent::Given,
            "refuse" => Consent::Refused,
            _ => return Err(AppError::field("answer", "errors.consent.answer")),
        };
        let state = app_state()?;
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let parent_id = token::consume(&mut tx, secret.trim(), Purpose::ParentConsent, now)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(|| AppError::field("token", "errors.link.invalid"))?;
        let parent = users::find_in(&mut tx, parent_id)
            .await
            .map_err(AppError::from_db)?
            .filter(|user| user.status == AccountStatus::Active)
            .ok_or_else(|| AppError::field("token", "errors.link.invalid"))?;
        // In the same transaction: the children still awaiting this parent.
        let answered = store::answer_pending(&mut tx, parent_id, consent, now)
            .await
            .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        tracing::info!(
            parent = parent_id,
            children = answered,
            ?consent,
            "consent answered"
        );
        let session = login_session::current_session().await?;
        login_session::sign_in(&session, &state.db, &parent, now).await?;
        leptos_axum::redirect("/parent");
        Ok(())
    }

    pub async fn request_link(email: String) -> Result<(), AppError> {
        let address =
            EmailAddress::parse(&email).map_err(|e| AppError::field("email", e.message_key()))?;
        let state = app_state()?;
        crate::accounts::rate_limit::limit(
            &state,
            Action::PasswordReset,
            &users::email_key(&address),
        )
        .await?;
        let lang = crate::request::lang_of_request();
        // After answering, so that the answer takes as long either way.
        tokio::spawn(async move {
            if let Err(error) = send_link(&state, &address, lang).await {
                tracing::error!(error = %error, "parent link not queued");
            }
        });
        leptos_axum::redirect("/parent/envoye");
        Ok(())
    }

    async fn send_link(
        state: &AppState,
        address: &EmailAddress,
        lang: crate::i18n::Lang,
    ) -> Result<(), sqlx::Error> {
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await?;
        let Some(parent) = users::find_by_email_in(&mut tx, address).await? else {
            return Ok(());
        };
        if parent.role != Role::Parent || parent.status != AccountStatus::Active {
            return Ok(());
        }
        let secret = token::issue(&mut tx, parent.id, Purpose::ParentSignIn, now).await?;
        let data = ParentSignIn {
            link_path: format!("/parent/entrer?jeton={secret}"),
        };
        let to = Recipient {
            address: address.clone(),
            name: None,
        };
        let Ok(email) = NewEmail::from_template(to, lang, &data, &state.public_url) else {
            return Err(sqlx::Error::Protocol(
                "parent_sign_in template failed".into(),
            ));
        };
        outbox::enqueue(&mut tx, &email, now).await?;
        tx.commit().await
    }

    pub async fn sign_in(secret: String) -> Result<(), AppError> {
        let state = app_state()?;
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let parent_id = token::consume(&mut tx, secret.trim(), Purpose::ParentSignIn, now)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(|| AppError::field("token", "errors.link.invalid"))?;
        let parent = users::find_in(&mut tx, parent_id)
            .await
            .map_err(AppError::from_db)?
            .filter(|user| user.status == AccountStatus::Active)
            .ok_or_else(|| AppError::field("token", "errors.link.invalid"))?;
        tx.commit().await.map_err(AppError::from_db)?;
        let session = login_session::current_session().await?;
        login_session::sign_in(&session, &state.db, &parent, now).await?;
        leptos_axum::redirect("/parent");
        Ok(())
    }

    pub async fn overview() -> Result<Vec<Child>, AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Parent]).await?;
        let children = store::children_of(&state.db, actor.id())
            .await
            .map_err(AppError::from_db)?;
        Ok(children.iter().map(|pupil| child(pupil, &state)).collect())
    }

    pub async fn change_consent(pupil_id: i64, give: bool) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Parent]).await?;
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let pupil = store::find_in(&mut tx, pupil_id)
            .await
            .map_err(AppError::from_db)?
            .filter(|pupil| pupil.parent_user_id == Some(actor.id()))
            .ok_or(AppError::NotFound)?;
        let consent = if give {
            Consent::Given
        } else {
            Consent::Withdrawn
        };
        if pupil.consent != consent {
            store::set_consent(&mut tx, pupil.user_id, Some(actor.id()), consent, now)
                .await
                .map_err(AppError::from_db)?;
            if !give {
                let child_name = format!("{} {}", pupil.first_name, pupil.last_name);
                tell_coordinators(&state, &mut tx, &pupil.school.academy_code, |coordinator| {
                    ConsentWithdrawn {
                        coordinator_name: coordinator.first_name.clone(),
                        child_name: child_name.clone(),
                        school_name: pupil.school.name.clone(),
                    }
                })
                .await?;
            }
        }
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/parent");
        Ok(())
    }
}
