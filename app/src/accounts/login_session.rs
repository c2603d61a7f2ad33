//! Who is signed in: the login session (a row of `login_sessions`, managed
//! by tower-sessions, named by an `HttpOnly`, `SameSite=Lax` cookie) holds
//! the account's id and when the person signed in.
//!
//! A login session ends (ASVS 4.0 §3.3):
//! - at sign-out, when its row is deleted;
//! - after [`IDLE_TIMEOUT`] without a request, or [`ABSOLUTE_TIMEOUT`] after
//!   signing in, whatever the activity (ASVS 3.3.2, level 2: 30 minutes and
//!   12 hours);
//! - when the account is deactivated or its password changes: those raise
//!   the account's `session_epoch`, and a session made under another epoch
//!   is deleted at its next request.
//!
//! Signing in gives a new session id (ASVS 3.2.1), so an id planted before
//! cannot be used after.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::users::{self, AccountStatus, User};
use crate::db::Db;
use crate::error::AppError;

/// Name of the login session cookie.
pub const SESSION_COOKIE: &str = "binome_session";
/// A login session without a request for this long is over.
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// A login session this old is over, however active.
pub const ABSOLUTE_TIMEOUT: TimeDelta = TimeDelta::hours(12);
/// The idle deadline is moved at most this often (each move is a write).
const TOUCH_INTERVAL: TimeDelta = TimeDelta::minutes(1);

const KEY: &str = "signed_in";
/// A staff member past their password, before their second factor.
const PENDING_KEY: &str = "second_factor_pending";
/// Recovery codes just made, shown once.
const CODES_KEY: &str = "recovery_codes";
/// Wrong codes typed, signed in, to renew the recovery codes.
const RENEWAL_FAILURES_KEY: &str = "recovery_renewal_failures";
/// A pending sign-in this old is over: the password is asked again.
pub const PENDING_TIMEOUT: TimeDelta = TimeDelta::minutes(10);

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Pending {
    user_id: i64,
    epoch: i64,
    at: DateTime<Utc>,
    failed: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct SignedIn {
    user_id: i64,
    epoch: i64,
    at: DateTime<Utc>,
    seen_at: DateTime<Utc>,
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::internal(format!("login session: {error}"))
}

/// The login session of the current request.
///
/// # Errors
/// [`AppError::Internal`] when the session layer is missing (a bug).
pub async fn current_session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal(format!("no login session layer: {e}")))
}

/// Signs `user` in on `session`, under a new session id, and records the
/// sign-in as the account's last activity (for retention, see
/// `domain::retention`).
///
/// # Errors
/// [`AppError::Internal`] when the session store fails; the database's
/// error.
pub async fn sign_in(
    session: &Session,
    db: &Db,
    user: &User,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    crate::on_db!(db, |pool| sqlx::query(
        "UPDATE users SET last_seen_at = $2 WHERE id = $1"
    )
    .bind(user.id)
    .bind(now)
    .execute(pool)
    .await
    .map_err(AppError::from_db)?
    .rows_affected());
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(
            KEY,
            SignedIn {
                user_id: user.id,
                epoch: user.session_epoch,
                at: now,
                seen_at: now,
            },
        )
        .await
        .map_err(session_error)
}

/// After the password: signs `user` in, or, for a coordinator or an
/// administrator, starts the sign-in that their second factor completes
/// (see [`super::second_factor`]). Returns where to go next.
///
/// # Errors
/// As [`sign_in`].
pub async fn enter(
    session: &Session,
    db: &Db,
    user: &User,
    now: DateTime<Utc>,
) -> Result<&'static str, AppError> {
    if !matches!(
        user.role,
        super::Role::Coordinator | super::Role::Administrator
    ) {
        sign_in(session, db, user, now).await?;
        return Ok("/compte");
    }
    session.cycle_id().await.map_err(session_error)?;
    session
        .remove::<SignedIn>(KEY)
        .await
        .map_err(session_error)?;
    session
        .insert(
            PENDING_KEY,
            Pending {
                user_id: user.id,
                epoch: user.session_epoch,
                at: now,
                failed: 0,
            },
        )
        .await
        .map_err(session_error)?;
    Ok("/connexion/code")
}

/// The account whose sign-in waits for its second factor, if the pending
/// sign-in is still good at `now`.
///
/// # Errors
/// [`AppError`] when the database or the session store fails.
pub async fn pending_user(
    session: &Session,
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Option<User>, AppError> {
    let Some(pending) = session
        .get::<Pending>(PENDING_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let user = users::find(db, pending.user_id)
        .await
        .map_err(AppError::from_db)?;
    Ok(user.filter(|user| {
        user.status == AccountStatus::Active
            && user.session_epoch == pending.epoch
            && now < pending.at + PENDING_TIMEOUT
    }))
}

/// Counts a wrong code of the pending sign-in; returns how many so far.
///
/// # Errors
/// [`AppError::Internal`] when the session store fails.
pub async fn failed_attempt(session: &Session) -> Result<u32, AppError> {
    let Some(mut pending) = session
        .get::<Pending>(PENDING_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(u32::MAX);
    };
    pending.failed += 1;
    let failed = pending.failed;
    session
        .insert(PENDING_KEY, pending)
        .await
        .map_err(session_error)?;
    Ok(failed)
}

/// Completes the pending sign-in of `user`, keeping the recovery codes
/// just made (if any) for [`take_recovery_codes`].
///
/// # Errors
/// As [`sign_in`].
pub async fn complete(
    session: &Session,
    db: &Db,
    user: &User,
    now: DateTime<Utc>,
    codes: Vec<String>,
) -> Result<(), AppError> {
    session
        .remove::<Pending>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    sign_in(session, db, user, now).await?;
    if !codes.is_empty() {
        keep_recovery_codes(session, codes).await?;
    }
    Ok(())
}

/// Keeps recovery codes just made for [`take_recovery_codes`].
///
/// # Errors
/// [`AppError::Internal`] when the session store fails.
pub async fn keep_recovery_codes(session: &Session, codes: Vec<String>) -> Result<(), AppError> {
    session
        .insert(CODES_KEY, codes)
        .await
        .map_err(session_error)
}

/// Counts a wrong code typed, signed in, to renew the recovery codes;
/// returns how many so far in this login session.
///
/// # Errors
/// [`AppError::Internal`] when the session store fails.
pub async fn failed_renewal(session: &Session) -> Result<u32, AppError> {
    let failed = session
        .get::<u32>(RENEWAL_FAILURES_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or(0)
        .saturating_add(1);
    session
        .insert(RENEWAL_FAILURES_KEY, failed)
        .await
        .map_err(session_error)?;
    Ok(failed)
}

/// The recovery codes kept by [`complete`], removed: shown once.
///
/// # Errors
/// [`AppError::Internal`] when the session store fails.
pub async fn take_recovery_codes(session: &Session) -> Result<Vec<String>, AppError> {
    Ok(session
        .remove::<Vec<String>>(CODES_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or_default())
}

/// Ends the login session: its row is deleted and the cookie cleared.
///
/// # Errors
/// [`AppError::Internal`] when the session store fails.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The signed-in account, if the login session is still good at `now`;
/// ends it otherwise (see the module's rules).
///
/// # Errors
/// [`AppError`] when the database or the session store fails.
pub async fn signed_in_user(
    session: &Session,
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Option<User>, AppError> {
    let Some(mut signed_in) = session.get::<SignedIn>(KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let user = users::find(db, signed_in.user_id)
        .await
        .map_err(AppError::from_db)?;
    let still_good = user.as_ref().filter(|user| {
        user.status == AccountStatus::Active
            && user.session_epoch == signed_in.epoch
            && now < signed_in.at + ABSOLUTE_TIMEOUT
            && now < signed_in.seen_at + IDLE_TIMEOUT
    });
    let Some(user) = still_good else {
        sign_out(session).await?;
        return Ok(None);
    };
    if now - signed_in.seen_at >= TOUCH_INTERVAL {
        signed_in.seen_at = now;
        session
            .insert(KEY, signed_in)
            .await
            .map_err(session_error)?;
    }
    Ok(Some(user.clone()))
}
