//! Single-use links sent by email: confirming an address, resetting a
//! password.
//!
//! A link carries 32 random bytes (256 bits, base64url); the database keeps
//! only their SHA-256 (the outbox keeps the email that carries it only
//! until it is sent), so a copy of the database opens nothing sent. Using a link
//! marks it used in the same statement that checks it, so two clicks cannot
//! both succeed.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, TimeDelta, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::{Db, Tx};

/// What a link is for, with how long it stays valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Confirms the address given at sign-up; valid 48 hours.
    ConfirmEmail,
    /// Lets the owner of the address choose a new password; valid 1 hour
    /// (OWASP Forgot Password Cheat Sheet: short-lived).
    ResetPassword,
    /// Lets a new coordinator or administrator choose their password;
    /// valid 7 days.
    Invitation,
    /// Lets a parent accept or refuse consent for their child; valid 14
    /// days (a new one can be had from the parent space's link page).
    ParentConsent,
    /// Signs a parent into the parent space; valid 1 hour.
    ParentSignIn,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::Invitation => "invitation",
            Purpose::ParentConsent => "parent_consent",
            Purpose::ParentSignIn => "parent_sign_in",
        }
    }

    /// How long a link stays valid after it is made.
    pub fn lifetime(self) -> TimeDelta {
        match self {
            Purpose::ConfirmEmail => TimeDelta::hours(48),
            Purpose::ResetPassword | Purpose::ParentSignIn => TimeDelta::hours(1),
            Purpose::Invitation => TimeDelta::days(7),
            Purpose::ParentConsent => TimeDelta::days(14),
        }
    }
}

/// The secret of a new link, as it goes into the URL (43 characters).
pub fn new_secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of `secret`: its SHA-256, in hexadecimal.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Makes a link for `user_id` and returns its secret. Earlier unused links
/// of the same purpose stop working: only the newest email counts.
///
/// # Errors
/// The database's error.
pub async fn issue(
    tx: &mut Tx,
    user_id: i64,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let secret = new_secret();
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE account_tokens SET used_at = $1 \
             WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO account_tokens (user_id, purpose, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(digest(&secret))
        .bind(now)
        .bind(now + purpose.lifetime())
        .execute(&mut *conn)
        .await?;
    });
    Ok(secret)
}

/// Uses the link whose secret is `secret`: returns its account, and marks
/// it used, if it exists, has this purpose, is unused and unexpired at
/// `now`. `None` otherwise, whichever the reason (the page says the link is
/// invalid or expired and offers a new one).
///
/// # Errors
/// The database's error.
pub async fn consume(
    tx: &mut Tx,
    secret: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    if secret.len() > 100 {
        return Ok(None);
    }
    crate::on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "UPDATE account_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
             RETURNING user_id",
        )
        .bind(now)
        .bind(digest(secret))
        .bind(purpose.as_str())
        .fetch_optional(&mut *conn)
        .await
    })
}

/// The account of a usable link whose secret is `secret`, without using
/// it: to check what comes with it before [`consume`] does, atomically.
///
/// # Errors
/// The database's error.
pub async fn find(
    db: &Db,
    secret: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    if secret.len() > 100 {
        return Ok(None);
    }
    crate::on_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT user_id FROM account_tokens \
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(digest(secret))
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(pool)
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_256_random_bits_and_only_their_digest_is_kept() {
        let a = new_secret();
        let b = new_secret();
        assert_eq!(a.len(), 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).expect("base64url").len(), 32);
        assert_ne!(a, b);
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
