//! Private calendar subscription links: `/calendrier/flux/<token>.ics`,
//! one per user at most, that phone calendars follow. Anyone holding the
//! link reads the user's sessions, so it can be replaced (the old one stops
//! working at once) or revoked from the calendar page.

use chrono::{DateTime, Utc};

use crate::db::{Db, Tx};

/// The path of the feed with `token`, under the public URL.
pub fn path(token: &str) -> String {
    format!("/calendrier/flux/{token}.ics")
}

/// The token of `user_id`'s link, if they have one.
///
/// # Errors
/// The database's error.
pub async fn token_of(db: &Db, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT token FROM calendar_feeds WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

/// Gives `user_id` a new link (a fresh 256-bit secret), replacing theirs.
/// Returns the token.
///
/// # Errors
/// The database's error.
pub async fn renew(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> Result<String, sqlx::Error> {
    let token = crate::accounts::token::new_secret();
    crate::on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, \
         created_at = excluded.created_at"
    )
    .bind(user_id)
    .bind(&token)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(token)
}

/// Deletes `user_id`'s link; whether there was one.
///
/// # Errors
/// The database's error.
pub async fn revoke(tx: &mut Tx, user_id: i64) -> Result<bool, sqlx::Error> {
    let deleted = crate::on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM calendar_feeds WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    Ok(deleted > 0)
}

/// Whose link `token` is.
///
/// # Errors
/// The database's error.
pub async fn user_of(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT user_id FROM calendar_feeds WHERE token = $1"
    )
    .bind(token)
    .fetch_optional(pool)
    .await)
}
