//! The `users` table.

use chrono::{DateTime, Utc};

use super::Role;
use crate::db::{Db, Tx};
use crate::i18n::Lang;
use crate::mail::EmailAddress;

/// Where an account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountStatus {
    /// Signed up; the emailed link has not been followed yet.
    Unconfirmed,
    /// Usable.
    Active,
    /// Closed by an administrator; every login session has ended.
    Deactivated,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Unconfirmed => "unconfirmed",
            AccountStatus::Active => "active",
            AccountStatus::Deactivated => "deactivated",
        }
    }

    fn parse(name: &str) -> Option<AccountStatus> {
        [
            AccountStatus::Unconfirmed,
            AccountStatus::Active,
            AccountStatus::Deactivated,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }
}

/// An account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: AccountStatus,
    /// The argon2id PHC string; `None` for accounts without a password.
    pub password_hash: Option<String>,
    pub lang: Lang,
    /// Login sessions made under another epoch are over.
    pub session_epoch: i64,
}

/// A new account, before it is stored.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub email: &'a EmailAddress,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role: Role,
    pub status: AccountStatus,
    pub password_hash: Option<&'a str>,
    pub lang: Lang,
}

/// The unique key of an address: the whole address in lowercase. Domains
/// are case-insensitive (RFC 5321 §2.4); local parts may not be, but no mail
/// system in use treats `Zoe@` and `zoe@` as two people.
pub fn email_key(address: &EmailAddress) -> String {
    address.as_str().to_lowercase()
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
);

const SELECT: &str = "SELECT id, email, first_name, last_name, role, status, password_hash, \
                      language, session_epoch FROM users";

fn from_row(row: Row) -> Result<User, sqlx::Error> {
    let (id, email, first_name, last_name, role, status, password_hash, lang, session_epoch) = row;
    let corrupt = |what: &str| sqlx::Error::Decode(format!("users.{what} of user {id}").into());
    Ok(User {
        id,
        email,
        first_name,
        last_name,
        role: Role::parse(&role).ok_or_else(|| corrupt("role"))?,
        status: AccountStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
        password_hash,
        lang: Lang::from_code(&lang).ok_or_else(|| corrupt("language"))?,
        session_epoch,
    })
}

/// The account with this id.
///
/// # Errors
/// The database's error.
pub async fn find(db: &Db, id: i64) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row: Option<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?);
    row.map(from_row).transpose()
}

/// The account with this id, read inside `tx`.
///
/// # Errors
/// The database's error.
pub async fn find_in(tx: &mut Tx, id: i64) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row: Option<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?);
    row.map(from_row).transpose()
}

/// The account of this address (any case), read inside `tx`.
///
/// # Errors
/// The database's error.
pub async fn find_by_email_in(
    tx: &mut Tx,
    address: &EmailAddress,
) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE email_key = $1");
    let row: Option<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(email_key(address))
        .fetch_optional(&mut *conn)
        .await?);
    row.map(from_row).transpose()
}

/// The account of this address (any case).
///
/// # Errors
/// The database's error.
pub async fn find_by_email(db: &Db, address: &EmailAddress) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE email_key = $1");
    let row: Option<Row> = crate::on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(email_key(address))
        .fetch_optional(pool)
        .await?);
    row.map(from_row).transpose()
}

/// Stores `user`, unless its address already has an account: then `None`
/// and nothing is written.
///
/// # Errors
/// The database's error.
pub async fn insert(
    tx: &mut Tx,
    user: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    let confirmed_at = (user.status == AccountStatus::Active).then_some(now);
    crate::on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO users (email, email_key, first_name, last_name, role, status, \
             password_hash, language, created_at, confirmed_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9) \
             ON CONFLICT (email_key) DO NOTHING RETURNING id",
        )
        .bind(user.email.as_str())
        .bind(email_key(user.email))
        .bind(user.first_name)
        .bind(user.last_name)
        .bind(user.role.as_str())
        .bind(user.status.as_str())
        .bind(user.password_hash)
        .bind(user.lang.code())
        .bind(now)
        .bind(confirmed_at)
        .fetch_optional(&mut *conn)
        .await
    })
}

/// Marks an unconfirmed account confirmed (the emailed link was followed).
/// An account in another state is left as it is; returns whether it is
/// active now.
///
/// # Errors
/// The database's error.
pub async fn confirm(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET status = 'active', confirmed_at = $1, updated_at = $1 \
             WHERE id = $2 AND status = 'unconfirmed'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(find_in(tx, id)
        .await?
        .is_some_and(|user| user.status == AccountStatus::Active))
}

/// Sets a new password and ends every login session of the account (the
/// caller starts a new one if the person is to stay signed in). Following
/// a reset link also proves the address, so an unconfirmed account becomes
/// active.
///
/// # Errors
/// The database's error.
pub async fn set_password(
    tx: &mut Tx,
    id: i64,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1, \
             status = CASE WHEN status = 'unconfirmed' THEN 'active' ELSE status END, \
             confirmed_at = COALESCE(confirmed_at, $2), updated_at = $2 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Closes an account: its status becomes deactivated, every login session
/// of it ends at its next request, and its calendar feed link stops.
///
/// # Errors
/// The database's error.
pub async fn deactivate(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET status = 'deactivated', session_epoch = session_epoch + 1, \
             updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Gives an unconfirmed account the details of a new sign-up with its
/// address (names, role, password, language), and ends its login sessions.
/// A confirmed account is left as it is.
///
/// # Errors
/// The database's error.
pub async fn replace_unconfirmed(
    tx: &mut Tx,
    id: i64,
    user: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET email = $1, first_name = $2, last_name = $3, role = $4, \
             password_hash = $5, language = $6, session_epoch = session_epoch + 1, \
             created_at = $7, updated_at = $7 WHERE id = $8 AND status = 'unconfirmed'",
        )
        .bind(user.email.as_str())
        .bind(user.first_name)
        .bind(user.last_name)
        .bind(user.role.as_str())
        .bind(user.password_hash)
        .bind(user.lang.code())
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// The active coordinators whose scope holds `academy_code`: who is told
/// about what happens there.
///
/// # Errors
/// The database's error.
pub async fn coordinators_of(tx: &mut Tx, academy_code: &str) -> Result<Vec<User>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE role = 'coordinator' AND status = 'active' AND id IN \
         (SELECT user_id FROM coordinator_academies WHERE academy_code = $1) ORDER BY id"
    );
    let rows: Vec<Row> = crate::on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(academy_code)
        .fetch_all(&mut *conn)
        .await?);
    rows.into_iter().map(from_row).collect()
}
