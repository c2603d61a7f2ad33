//! The account journeys as server functions: sign up, confirm the address,
//! sign in, sign out, ask for and use a password-reset link, and who is
//! signed in.
//!
//! Every function that changes something answers the same way whether or
//! not the address has an account (ASVS 4.0 §2.2, OWASP Authentication
//! Cheat Sheet): the person learns about an account only through its
//! mailbox. Invalid fields come back together, each with its message key
//! ([`AppError::Invalid`]); nothing is written then.

use leptos::prelude::*;

use super::CurrentUser;
use crate::error::AppError;

/// Form field names, shared by the pages and the server functions.
pub mod fields {
    pub const ROLE: &str = "role";
    pub const FIRST_NAME: &str = "first_name";
    pub const LAST_NAME: &str = "last_name";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
    pub const TOKEN: &str = "token";
    /// Errors about the form as a whole (a failed sign-in).
    pub const FORM: &str = "form";
}

/// Creates a pupil or tutor account (`role` = `pupil` or `tutor`) and
/// emails a link confirming the address; the account is usable once the
/// link is followed. Sends the person to `/inscription/envoyee`.
///
/// If the address already has a confirmed account, its owner is emailed
/// instead and nothing changes; if it has an unconfirmed one, that
/// account is replaced by this sign-up (an unconfirmed account belongs to
/// nobody yet). The answer is the same in every case.
///
/// # Errors
/// [`AppError::Invalid`] with every invalid field;
/// [`AppError::TooManyRequests`] past the rate limits.
#[server(prefix = "/api", endpoint = "inscription")]
pub async fn sign_up(
    #[server(default)] role: String,
    #[server(default)] first_name: String,
    #[server(default)] last_name: String,
    #[server(default)] email: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::sign_up(role, first_name, last_name, email, password).await)
}

/// Follows a confirmation link: the account becomes usable and the person
/// is signed in, then sent to `/compte`. A link works once, for 48 hours.
///
/// # Errors
/// [`AppError::Invalid`] on field `token` when the link is unknown, used or
/// expired.
#[server(prefix = "/api", endpoint = "confirmer-adresse")]
pub async fn confirm_email(#[server(default)] token: String) -> Result<(), AppError> {
    crate::error::respond(handlers::confirm_email(token).await)
}

/// Signs in with an address and a password, under a new login session id,
/// then sends the person to `/compte`.
///
/// # Errors
/// [`AppError::Invalid`] on field `form` when the address or the password
/// is wrong (the same message for both), or the account is not confirmed
/// yet (a new link is then emailed); [`AppError::TooManyRequests`] past the
/// rate limits.
#[server(prefix = "/api", endpoint = "connexion")]
pub async fn sign_in(
    #[server(default)] email: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::sign_in(email, password).await)
}

/// Ends the login session on the server, then sends the person home.
#[server(prefix = "/api", endpoint = "deconnexion")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::error::respond(handlers::sign_out().await)
}

/// Emails a password-reset link to the address if it has an account, and
/// sends the person to `/mot-de-passe/envoye` in every case. A link works
/// once, for one hour; asking again makes the previous one stop working.
///
/// # Errors
/// [`AppError::Invalid`] on field `email` when it is not an address;
/// [`AppError::TooManyRequests`] past the rate limits.
#[server(prefix = "/api", endpoint = "mot-de-passe-oublie")]
pub async fn request_password_reset(#[server(default)] email: String) -> Result<(), AppError> {
    crate::error::respond(handlers::request_password_reset(email).await)
}

/// Follows a reset link with a new password: the password is replaced,
/// every other login session of the account ends, and the person is signed
/// in and sent to `/compte`.
///
/// # Errors
/// [`AppError::Invalid`] on `token` (unknown, used or expired link) or
/// `password` (too short, too long, too easy to guess); the link stays
/// usable when only the password was refused.
#[server(prefix = "/api", endpoint = "nouveau-mot-de-passe")]
pub async fn reset_password(
    #[server(default)] token: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::reset_password(token, password).await)
}

/// The signed-in person, or `None`.
#[server(prefix = "/api", endpoint = "moi")]
pub async fn signed_in() -> Result<Option<CurrentUser>, AppError> {
    crate::error::respond(handlers::signed_in().await)
}

#[cfg(feature = "ssr")]
mod handlers {
    use super::fields;
    use crate::accounts::actor::app_state;
    use crate::accounts::emails::{AccountExists, ConfirmEmail, ResetPassword};
    use crate::accounts::names::parse_name;
    use crate::accounts::rate_limit::limit;
    use crate::accounts::rate_limit::Action;
    use crate::accounts::token::{self, Purpose};
    use crate::accounts::users::{self, AccountStatus, NewUser, User};
    use crate::accounts::{login_session, password, CurrentUser, Role};
    use crate::error::{AppError, FieldError};
    use crate::mail::outbox::{self, NewEmail, Recipient};
    use crate::mail::{EmailAddress, HeaderText};
    use crate::state::AppState;

    fn recipient(user: &User, address: &EmailAddress) -> Recipient {
        Recipient {
            address: address.clone(),
            name: Some(HeaderText::new(&format!(
                "{} {}",
                user.first_name, user.last_name
            ))),
        }
    }

    fn stored_address(user: &User) -> Result<EmailAddress, AppError> {
        EmailAddress::parse(&user.email)
            .map_err(|e| AppError::internal(format!("stored address of user {}: {e}", user.id)))
    }

    fn redirect(path: &str) {
        leptos_axum::redirect(path);
    }

    pub async fn sign_up(
        role: String,
        first_name: String,
        last_name: String,
        email: String,
        password: String,
    ) -> Result<(), AppError> {
        let mut errors = Vec::new();
        let mut problem = |field: &str, key: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                message_key: key.to_owned(),
            })
        };
        let role = Role::parse(&role).filter(|role| role.may_sign_up());
        if role.is_none() {
            problem(fields::ROLE, "errors.role.choose");
        }
        let first_name = parse_name(&first_name)
            .map_err(|e| problem(fields::FIRST_NAME, e.message_key()))
            .ok();
        let last_name = parse_name(&last_name)
            .map_err(|e| problem(fields::LAST_NAME, e.message_key()))
            .ok();
        let address = EmailAddress::parse(&email)
            .map_err(|e| problem(fields::EMAIL, e.message_key()))
            .ok();
        let personal: Vec<&str> = [
            first_name.as_deref(),
            last_name.as_deref(),
            Some(email.trim()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Err(e) = password::check_new(&password, &personal) {
            problem(fields::PASSWORD, e.message_key());
        }
        let (Some(role), Some(first_name), Some(last_name), Some(address), true) =
            (role, first_name, last_name, address, errors.is_empty())
        else {
            return Err(AppError::Invalid { fields: errors });
        };

        let state = app_state()?;
        limit(&state, Action::SignUp, &users::email_key(&address)).await?;
        // Hashed whatever happens next, so that the answer takes as long
        // for a known address as for a new one.
        let password_hash = password::hash(password).await.map_err(AppError::internal)?;
        let lang = crate::request::lang_of_request();
        let now = state.clock.now();

        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let new_user = NewUser {
            email: &address,
            first_name: &first_name,
            last_name: &last_name,
            role,
            status: AccountStatus::Unconfirmed,
            password_hash: Some(&password_hash),
            lang,
        };
        let existing = users::find_by_email_in(&mut tx, &address)
            .await
            .map_err(AppError::from_db)?;
        // Only an unconfirmed account that someone signed up for themselves
        // belongs to nobody yet; an invited coordinator or administrator,
        // or a parent, is someone's even before their first sign-in.
        let replaceable = |user: &User| {
            user.status == AccountStatus::Unconfirmed
                && user.role.may_sign_up()
                && user.password_hash.is_some()
        };
        let email = match existing {
            Some(user) if !replaceable(&user) => {
                tracing::info!(
                    user = user.id,
                    "sign-up with the address of an existing account"
                );
                let to = recipient(&user, &stored_address(&user)?);
                let data = AccountExists {
                    first_name: user.first_name.clone(),
                };
                NewEmail::from_template(to, user.lang, &data, &state.public_url)
            }
            existing => {
                let id = match existing {
                    Some(user) => {
                        users::replace_unconfirmed(&mut tx, user.id, &new_user, now)
                            .await
                            .map_err(AppError::from_db)?;
                        user.id
                    }
                    None => users::insert(&mut tx, &new_user, now)
                        .await
                        .map_err(AppError::from_db)?
                        .ok_or_else(|| AppError::internal("sign-up raced another one"))?,
                };
                let secret = token::issue(&mut tx, id, Purpose::ConfirmEmail, now)
                    .await
                    .map_err(AppError::from_db)?;
                let user = users::find_in(&mut tx, id)
                    .await
                    .map_err(AppError::from_db)?
                    .ok_or_else(|| AppError::internal("new account vanished"))?;
                let data = ConfirmEmail {
                    first_name: user.first_name.clone(),
                    link_path: format!("/inscription/confirmer?jeton={secret}"),
                };
                NewEmail::from_template(recipient(&user, &address), lang, &data, &state.public_url)
            }
        }
        .map_err(AppError::internal)?;
        outbox::enqueue(&mut tx, &email, now)
            .await
            .map_err(AppError::from_db)?;
        tx.commit().await.map_err(AppError::from_db)?;
        redirect("/inscription/envoyee");
        Ok(())
    }

    pub async fn confirm_email(secret: String) -> Result<(), AppError> {
        let state = app_state()?;
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let user_id = token::consume(&mut tx, secret.trim(), Purpose::ConfirmEmail, now)
            .await
            .map_err(AppError::from_db)?;
        let Some(user_id) = user_id else {
            return Err(AppError::field(fields::TOKEN, "errors.link.invalid"));
        };
        if !users::confirm(&mut tx, user_id, now)
            .await
            .map_err(AppError::from_db)?
        {
            return Err(AppError::field(fields::TOKEN, "errors.link.invalid"));
        }
        let user = users::find_in(&mut tx, user_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        tx.commit().await.map_err(AppError::from_db)?;
        let session = login_session::current_session().await?;
        login_session::sign_in(&session, &state.db, &user, now).await?;
        redirect("/compte");
        Ok(())
    }

    pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
        let address = EmailAddress::parse(&email)
            .map_err(|e| AppError::field(fields::EMAIL, e.message_key()))?;
        if password.is_empty() {
            return Err(AppError::field(fields::PASSWORD, "errors.password.empty"));
        }
        if password.chars().count() > password::MAX_CHARS {
            return Err(AppError::field(fields::FORM, "errors.sign_in.failed"));
        }
        let state = app_state()?;
        limit(&state, Action::SignIn, &users::email_key(&address)).await?;
        let user = users::find_by_email(&state.db, &address)
            .await
            .map_err(AppError::from_db)?;
        let stored = user.as_ref().and_then(|user| user.password_hash.clone());
        let matches = password::verify(password, stored).await;
        let now = state.clock.now();
        match user {
            Some(user) if matches && user.status == AccountStatus::Active => {
                let session = login_session::current_session().await?;
                let next = login_session::enter(&session, &state.db, &user, now).await?;
                tracing::info!(user = user.id, "signed in");
                redirect(next);
                Ok(())
            }
            Some(user) if matches && user.status == AccountStatus::Unconfirmed => {
                // Only someone who knows the password learns this.
                let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
                let secret = token::issue(&mut tx, user.id, Purpose::ConfirmEmail, now)
                    .await
                    .map_err(AppError::from_db)?;
                let data = ConfirmEmail {
                    first_name: user.first_name.clone(),
                    link_path: format!("/inscription/confirmer?jeton={secret}"),
                };
                let email = NewEmail::from_template(
                    recipient(&user, &address),
                    user.lang,
                    &data,
                    &state.public_url,
                )
                .map_err(AppError::internal)?;
                outbox::enqueue(&mut tx, &email, now)
                    .await
                    .map_err(AppError::from_db)?;
                tx.commit().await.map_err(AppError::from_db)?;
                Err(AppError::field(fields::FORM, "errors.sign_in.unconfirmed"))
            }
            _ => Err(AppError::field(fields::FORM, "errors.sign_in.failed")),
        }
    }

    pub async fn sign_out() -> Result<(), AppError> {
        let session = login_session::current_session().await?;
        login_session::sign_out(&session).await?;
        redirect("/");
        Ok(())
    }

    pub async fn request_password_reset(email: String) -> Result<(), AppError> {
        let address = EmailAddress::parse(&email)
            .map_err(|e| AppError::field(fields::EMAIL, e.message_key()))?;
        let state = app_state()?;
        limit(&state, Action::PasswordReset, &users::email_key(&address)).await?;
        let lang = crate::request::lang_of_request();
        // Done after answering, so that the answer takes as long whether or
        // not the address has an account. A failure is logged.
        tokio::spawn(async move {
            if let Err(error) = send_reset_link(&state, &address, lang).await {
                tracing::error!(error = %error, "password reset email not queued");
            }
        });
        redirect("/mot-de-passe/envoye");
        Ok(())
    }

    async fn send_reset_link(
        state: &AppState,
        address: &EmailAddress,
        lang: crate::i18n::Lang,
    ) -> Result<(), sqlx::Error> {
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await?;
        let Some(user) = users::find_by_email_in(&mut tx, address).await? else {
            return Ok(());
        };
        // Parents sign in by emailed link; an invited coordinator or
        // administrator without a password yet gets a link to choose one
        // (so an expired invitation is never a dead end).
        let invited = matches!(user.role, Role::Coordinator | Role::Administrator);
        if user.status == AccountStatus::Deactivated || (user.password_hash.is_none() && !invited) {
            return Ok(());
        }
        let secret = token::issue(&mut tx, user.id, Purpose::ResetPassword, now).await?;
        let data = ResetPassword {
            first_name: user.first_name.clone(),
            link_path: format!("/mot-de-passe/nouveau?jeton={secret}"),
        };
        let Ok(email) =
            NewEmail::from_template(recipient(&user, address), lang, &data, &state.public_url)
        else {
            return Err(sqlx::Error::Protocol(
                "reset_password template failed".into(),
            ));
        };
        outbox::enqueue(&mut tx, &email, now).await?;
        tx.commit().await
    }

    pub async fn reset_password(secret: String, password: String) -> Result<(), AppError> {
        let state = app_state()?;
        let secret = secret.trim().to_owned();
        let now = state.clock.now();
        // A reset link, or the invitation of a new coordinator or
        // administrator: both lead to choosing a password.
        let mut found = None;
        for purpose in [Purpose::ResetPassword, Purpose::Invitation] {
            if let Some(user_id) = token::find(&state.db, &secret, purpose, now)
                .await
                .map_err(AppError::from_db)?
            {
                found = Some((user_id, purpose));
                break;
            }
        }
        let (user_id, purpose) =
            found.ok_or_else(|| AppError::field(fields::TOKEN, "errors.link.invalid"))?;
        let user = users::find(&state.db, user_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or_else(|| AppError::field(fields::TOKEN, "errors.link.invalid"))?;
        password::check_new(&password, &[&user.first_name, &user.last_name, &user.email])
            .map_err(|e| AppError::field(fields::PASSWORD, e.message_key()))?;
        let password_hash = password::hash(password).await.map_err(AppError::internal)?;

        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        // Used here, atomically: of two submissions of one link, one wins.
        let consumed = token::consume(&mut tx, &secret, purpose, now)
            .await
            .map_err(AppError::from_db)?;
        if consumed != Some(user_id) {
            return Err(AppError::field(fields::TOKEN, "errors.link.invalid"));
        }
        users::set_password(&mut tx, user_id, &password_hash, now)
            .await
            .map_err(AppError::from_db)?;
        let user = users::find_in(&mut tx, user_id)
            .await
            .map_err(AppError::from_db)?
            .ok_or(AppError::NotFound)?;
        tx.commit().await.map_err(AppError::from_db)?;
        tracing::info!(user = user.id, "password reset");
        if user.status == AccountStatus::Active {
            let session = login_session::current_session().await?;
            let next = login_session::enter(&session, &state.db, &user, now).await?;
            redirect(next);
        } else {
            redirect("/connexion");
        }
        Ok(())
    }

    pub async fn signed_in() -> Result<Option<CurrentUser>, AppError> {
        let state = app_state()?;
        let session = login_session::current_session().await?;
        let user = login_session::signed_in_user(&session, &state.db, state.clock.now()).await?;
        Ok(user.map(|user| CurrentUser {
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            role: user.role,
        }))
    }
}
