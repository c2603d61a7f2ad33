//! Who is asking: the signed-in account with its role and, for a
//! coordinator, the académies of their scope. Every server function that
//! reads or changes private data starts from [`Actor::require`].
//!
//! Authorisation failures answer as if the object did not exist
//! ([`AppError::NotFound`]), so that probing reveals nothing; a request
//! without a login session gets [`AppError::Unauthenticated`].

use super::users::User;
use super::{login_session, Role};
use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;

/// A signed-in account acting on the platform.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: User,
    /// The académies a coordinator answers for (empty for other roles).
    pub academies: Vec<String>,
}

impl Actor {
    /// The account of the current request, if it has one of `roles`.
    ///
    /// # Errors
    /// [`AppError::Unauthenticated`] without a login session;
    /// [`AppError::NotFound`] for a signed-in account of another role.
    pub async fn require(state: &AppState, roles: &[Role]) -> Result<Actor, AppError> {
        let session = login_session::current_session().await?;
        Actor::require_on(state, &session, roles).await
    }

    /// [`Actor::require`] for a handler outside Leptos that extracted the
    /// login session itself.
    ///
    /// # Errors
    /// As [`Actor::require`].
    pub async fn require_on(
        state: &AppState,
        session: &tower_sessions::Session,
        roles: &[Role],
    ) -> Result<Actor, AppError> {
        let user = login_session::signed_in_user(session, &state.db, state.clock.now())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !roles.contains(&user.role) {
            return Err(AppError::NotFound);
        }
        let academies = if user.role == Role::Coordinator {
            scope_of(&state.db, user.id)
                .await
                .map_err(AppError::from_db)?
        } else {
            Vec::new()
        };
        Ok(Actor { user, academies })
    }

    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// Whether a coordinator's scope holds `academy_code`.
    pub fn covers(&self, academy_code: &str) -> bool {
        self.academies.iter().any(|code| code == academy_code)
    }

    /// How the audit log names this person.
    pub fn label(&self) -> String {
        format!(
            "{} {} <{}>",
            self.user.first_name, self.user.last_name, self.user.email
        )
    }
}

/// The académies of a coordinator's scope, sorted.
///
/// # Errors
/// The database's error.
pub async fn scope_of(db: &Db, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT academy_code FROM coordinator_academies WHERE user_id = $1 ORDER BY academy_code"
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)
}

/// The application state of the current request.
///
/// # Errors
/// [`AppError::Internal`] outside a request (a bug).
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from the context"))
}
