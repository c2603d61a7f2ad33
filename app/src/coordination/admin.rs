//! The administrator's server functions: creating coordinators by
//! invitation, and listing them. Creating administrators is done from the
//! command line (`binome admin create-admin`), with [`invite`] too.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A coordinator, as administrators list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoordinatorItem {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `unconfirmed` until the invitation is followed, then `active`.
    pub status: String,
    pub academies: Vec<String>,
    /// Whether they have added their second factor (see
    /// [`crate::accounts::second_factor`]).
    pub second_factor: bool,
}

/// Form field names of the administrator's forms.
pub mod fields {
    pub const FIRST_NAME: &str = "first_name";
    pub const LAST_NAME: &str = "last_name";
    pub const EMAIL: &str = "email";
    pub const ACADEMIES: &str = "academies";
    pub const REGION: &str = "region";
}

/// Every coordinator, by last name. Administrators only.
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "administration/coordinateurs")]
pub async fn list_coordinators() -> Result<Vec<CoordinatorItem>, AppError> {
    crate::error::respond(handlers::list().await)
}

/// Creates a coordinator whose scope is the académies checked, or a whole
/// région académique (`region`, a code; then `academies` is ignored), and
/// emails them an invitation to choose a password (valid 7 days). Written
/// to the audit log. Then back to `/administration`.
///
/// # Errors
/// [`AppError::Invalid`] with every invalid field (names, address, an
/// address that already has an account, no scope or an unknown one).
#[server(prefix = "/api", endpoint = "administration/coordinateur")]
pub async fn create_coordinator(
    #[server(default)] first_name: String,
    #[server(default)] last_name: String,
    #[server(default)] email: String,
    #[server(default)] academies: Vec<String>,
    #[server(default)] region: String,
) -> Result<(), AppError> {
    crate::error::respond(handlers::create(first_name, last_name, email, academies, region).await)
}

#[cfg(feature = "ssr")]
pub use handlers::{invite, Invited};

#[cfg(feature = "ssr")]
mod handlers {
    use chrono::{DateTime, Utc};

    use super::{fields, CoordinatorItem};
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::emails::Invitation;
    use crate::accounts::names::parse_name;
    use crate::accounts::token::{self, Purpose};
    use crate::accounts::users::{self, AccountStatus, NewUser};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::db::Tx;
    use crate::error::{AppError, FieldError};
    use crate::i18n::Lang;
    use crate::mail::outbox::{self, NewEmail, Recipient};
    use crate::mail::{EmailAddress, HeaderText};

    /// A new account created by invitation.
    #[derive(Debug)]
    pub struct Invited {
        pub user_id: i64,
        /// The path of the invitation link, secret included.
        pub link_path: String,
    }

    /// Creates an account of `role` (coordinator or administrator) without
    /// a password, gives a coordinator the académies `academies`, queues the
    /// invitation email and writes the audit log, all in `tx`. `None` when
    /// the address already has an account (nothing written then).
    ///
    /// # Errors
    /// The database's error, or a template failure.
    #[allow(clippy::too_many_arguments)]
    pub async fn invite(
        tx: &mut Tx,
        public_url: &str,
        actor: &AuditActor,
        role: Role,
        names: (&str, &str),
        address: &EmailAddress,
        academies: &[String],
        via_region: Option<&str>,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> Result<Option<Invited>, AppError> {
        let new = NewUser {
            email: address,
            first_name: names.0,
            last_name: names.1,
            role,
            status: AccountStatus::Unconfirmed,
            password_hash: None,
            lang,
        };
        let Some(user_id) = users::insert(tx, &new, now)
            .await
            .map_err(AppError::from_db)?
        else {
            return Ok(None);
        };
        for code in academies {
            crate::on_tx!(tx, |conn| {
                sqlx::query(
                    "INSERT INTO coordinator_academies (user_id, academy_code, via_region_code) \
                     VALUES ($1, $2, $3)",
                )
                .bind(user_id)
                .bind(code)
                .bind(via_region)
                .execute(&mut *conn)
                .await
                .map_err(AppError::from_db)?;
            });
        }
        let secret = token::issue(tx, user_id, Purpose::Invitation, now)
            .await
            .map_err(AppError::from_db)?;
        let link_path = format!("/mot-de-passe/nouveau?jeton={secret}");
        let data = Invitation {
            first_name: names.0.to_owned(),
            role_key: role.label_key().to_owned(),
            link_path: link_path.clone(),
        };
        let to = Recipient {
            address: address.clone(),
            name: Some(HeaderText::new(&format!("{} {}", names.0, names.1))),
        };
        let email =
            NewEmail::from_template(to, lang, &data, public_url).map_err(AppError::internal)?;
        outbox::enqueue(tx, &email, now)
            .await
            .map_err(AppError::from_db)?;
        let scope = match via_region {
            Some(region) => format!("region={region}"),
            None => format!("academies={}", academies.join(",")),
        };
        let details = format!("email={}, {scope}", address.as_str());
        record(
            tx,
            actor,
            now,
            &format!("{}.create", role.as_str()),
            ("user", &user_id.to_string()),
            &details,
        )
        .await
        .map_err(AppError::from_db)?;
        Ok(Some(Invited { user_id, link_path }))
    }

    pub async fn list() -> Result<Vec<CoordinatorItem>, AppError> {
        let state = app_state()?;
        Actor::require(&state, &[Role::Administrator]).await?;
        let rows: Vec<(i64, String, String, String, String, bool)> =
            crate::on_db!(&state.db, |pool| {
                sqlx::query_as(
                    "SELECT u.id, u.first_name, u.last_name, u.email, u.status, \
                     f.confirmed_at IS NOT NULL \
                     FROM users u LEFT JOIN second_factors f ON f.user_id = u.id \
                     WHERE u.role = 'coordinator' \
                     ORDER BY u.last_name, u.first_name, u.id",
                )
                .fetch_all(pool)
                .await
                .map_err(AppError::from_db)?
            });
        let mut items = Vec::with_capacity(rows.len());
        for (user_id, first_name, last_name, email, status, second_factor) in rows {
            let academies = crate::accounts::actor::scope_of(&state.db, user_id)
                .await
                .map_err(AppError::from_db)?;
            items.push(CoordinatorItem {
                user_id,
                first_name,
                last_name,
                email,
                status,
                academies,
                second_factor,
            });
        }
        Ok(items)
    }

    pub async fn create(
        first_name: String,
        last_name: String,
        email: String,
        academies: Vec<String>,
        region: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Administrator]).await?;
        let mut errors = Vec::new();
        let mut problem = |field: &str, key: &str| {
            errors.push(FieldError {
                field: field.into(),
                message_key: key.into(),
            })
        };
        let first = parse_name(&first_name)
            .map_err(|e| problem(fields::FIRST_NAME, e.message_key()))
            .ok();
        let last = parse_name(&last_name)
            .map_err(|e| problem(fields::LAST_NAME, e.message_key()))
            .ok();
        let address = EmailAddress::parse(&email)
            .map_err(|e| problem(fields::EMAIL, e.message_key()))
            .ok();
        let region = region.trim();
        let (scope, via_region) = if region.is_empty() {
            let known = crate::academies::queries::codes(&state.db)
                .await
                .map_err(AppError::from_db)?;
            let mut chosen: Vec<String> = Vec::new();
            for code in academies {
                if !known.contains(&code) {
                    problem(fields::ACADEMIES, "errors.academies.unknown");
                } else if !chosen.contains(&code) {
                    chosen.push(code);
                }
            }
            if chosen.is_empty() {
                problem(fields::ACADEMIES, "errors.scope.none");
            }
            (chosen, None)
        } else {
            let of_region = crate::academies::queries::of_region(&state.db, region)
                .await
                .map_err(AppError::from_db)?;
            if of_region.is_empty() {
                problem(fields::REGION, "errors.scope.unknown_region");
            }
            (of_region, Some(region.to_owned()))
        };
        let (Some(first), Some(last), Some(address), true) =
            (first, last, address, errors.is_empty())
        else {
            return Err(AppError::Invalid { fields: errors });
        };
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(AppError::from_db)?;
        let invited = invite(
            &mut tx,
            &state.public_url,
            &AuditActor::from(&actor),
            Role::Coordinator,
            (&first, &last),
            &address,
            &scope,
            via_region.as_deref(),
            crate::request::lang_of_request(),
            now,
        )
        .await?;
        if invited.is_none() {
            return Err(AppError::field(fields::EMAIL, "errors.email.taken"));
        }
        tx.commit().await.map_err(AppError::from_db)?;
        leptos_axum::redirect("/administration");
        Ok(())
    }
}
