//! The demo: a living Binôme for the région of Occitanie, loaded into an
//! empty database by `binome serve --demo` (see the README).
//!
//! It holds the real school directory (`reference/lycees-occitanie.csv`,
//! 556 lycées of the académies of Toulouse and Montpellier) and a clearly
//! fictional population generated from a seed ([`population`]): 2,000 pupils
//! and 600 tutors, one coordinator per académie and one
//! administrator, every address at [`EMAIL_DOMAIN`] and every password
//! [`PASSWORD`] (hashed once). Then [`history`] replays the last weeks with
//! the platform's own code: a matching run per académie six weeks ago,
//! the tutors' answers, weekly sessions since, and the feedback of those
//! that have ended, so that the dashboard has a history.
//!
//! A database is the demo's when it holds the row of the `demo` table; the
//! demo is only ever loaded into an empty one ([`Status`]).

pub mod history;
pub mod population;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::ManualClock;
use crate::db::{Db, Engine};
use crate::state::AppState;

/// The domain of every demo address (RFC 6761 reserves `.localhost`: no
/// email to it can reach anyone).
pub const EMAIL_DOMAIN: &str = "demo.binome.localhost";

/// The password of every demo account (documented in the README).
pub const PASSWORD: &str = "binome-demo-occitanie";

/// The TOTP key (RFC 6238, base32) of the demo's coordinators and
/// administrator, documented in the README with [`PASSWORD`]; the demo's
/// second-factor page also shows the current code (see
/// `accounts::second_factor`).
pub const TOTP_KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The seed of `binome serve --demo`.
pub const DEFAULT_SEED: u64 = 2026;

/// What a database holds, for the demo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No account and no school: the demo may be loaded.
    Empty,
    /// The demo, loaded with this seed.
    Demo { seed: u64 },
    /// Someone's real data: the demo never touches it.
    Other,
}

/// Why the demo could not be loaded or reset.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already holds data that is not the demo's; the demo only loads into an empty database")]
    NotEmpty,
    #[error("the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the demo's school directory: {0}")]
    Directory(String),
    #[error("hashing the demo password: {0}")]
    Password(String),
    #[error("the demo's history: {0}")]
    History(String),
}

/// Accounts worth trying, as the start-up log names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounts {
    pub administrator: String,
    /// (académie code, address).
    pub coordinators: Vec<(String, String)>,
    /// A pupil with an active pair, her tutor, and a parent who consented.
    pub pupil: Option<String>,
    pub tutor: Option<String>,
    pub parent: Option<String>,
}

/// What [`load`] made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub seed: u64,
    pub schools: usize,
    pub pupils: usize,
    pub tutors: usize,
    pub parents: usize,
    pub proposals: usize,
    pub matches: usize,
    pub sessions: usize,
    pub feedback: usize,
    pub accounts: Accounts,
}

/// The address of a demo account, e.g. `eleve0042@demo.binome.localhost`.
pub fn address(local: &str) -> String {
    format!("{local}@{EMAIL_DOMAIN}")
}

/// What `db` holds.
///
/// # Errors
/// The database's error.
pub async fn status(db: &Db) -> Result<Status, sqlx::Error> {
    let seed: Option<i64> = crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT seed FROM demo WHERE id = 1"
    )
    .fetch_optional(pool)
    .await?);
    if let Some(seed) = seed {
        // Stored as its two's-complement bits (BIGINT is signed).
        return Ok(Status::Demo {
            seed: u64::from_ne_bytes(seed.to_ne_bytes()),
        });
    }
    let (users, schools): (i64, i64) = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM schools)"
    )
    .fetch_one(pool)
    .await?);
    Ok(if users == 0 && schools == 0 {
        Status::Empty
    } else {
        Status::Other
    })
}

/// The demo's accounts worth trying: the administrator, the coordinators,
/// and the first pupil (by id) with an active pair and a confirmed series,
/// her tutor, and the first parent of an under-15 pupil with an active
/// pair.
///
/// # Errors
/// The database's error.
pub async fn accounts(db: &Db) -> Result<Accounts, sqlx::Error> {
    let administrator: Option<String> = crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT email FROM users WHERE role = 'administrator' ORDER BY id LIMIT 1"
    )
    .fetch_optional(pool)
    .await?);
    let coordinators: Vec<(String, String)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT c.academy_code, u.email FROM coordinator_academies c \
         JOIN users u ON u.id = c.user_id ORDER BY c.academy_code DESC"
    )
    .fetch_all(pool)
    .await?);
    let pair: Option<(String, String)> = crate::on_db!(db, |pool| sqlx::query_as(
        "SELECT p.email, t.email FROM matches m \
         JOIN users p ON p.id = m.pupil_user_id JOIN users t ON t.id = m.tutor_user_id \
         WHERE m.status = 'active' AND EXISTS (SELECT 1 FROM session_series s \
         WHERE s.match_id = m.id AND s.status = 'confirmed') \
         ORDER BY m.pupil_user_id LIMIT 1"
    )
    .fetch_optional(pool)
    .await?);
    let parent: Option<String> = crate::on_db!(db, |pool| sqlx::query_scalar(
        "SELECT u.email FROM pupils p JOIN matches m ON m.pupil_user_id = p.user_id \
         JOIN users u ON u.id = p.parent_user_id WHERE m.status = 'active' \
         ORDER BY p.user_id LIMIT 1"
    )
    .fetch_optional(pool)
    .await?);
    Ok(Accounts {
        administrator: administrator.unwrap_or_default(),
        coordinators,
        pupil: pair.as_ref().map(|(pupil, _)| pupil.clone()),
        tutor: pair.map(|(_, tutor)| tutor),
        parent,
    })
}

/// Loads the demo generated from `seed` into the empty database of
/// `state`, as if the platform had run since `now` minus about three
/// months. On failure, whatever was written is wiped again.
///
/// # Errors
/// [`DemoError::NotEmpty`] when the database is not empty (nothing is
/// written); otherwise the step that failed.
pub async fn load(
    state: &AppState,
    seed: u64,
    size: population::Size,
) -> Result<Summary, DemoError> {
    if status(&state.db).await? != Status::Empty {
        return Err(DemoError::NotEmpty);
    }
    let now = state.clock.now();
    let clock = Arc::new(ManualClock::new(now));
    let replay = AppState {
        clock: clock.clone(),
        ..state.clone()
    };
    match history::replay(&replay, &clock, seed, size, now).await {
        Ok(summary) => Ok(summary),
        Err(error) => {
            if let Err(wiped) = wipe(&state.db).await {
                tracing::error!(error = %wiped, "the half-loaded demo could not be wiped");
            }
            Err(error)
        }
    }
}

/// Wipes the demo and loads it again from `seed` (`binome demo reset`).
///
/// # Errors
/// [`DemoError::NotEmpty`] when the database holds data that is not the
/// demo's (nothing is touched); otherwise as [`load`].
pub async fn reset(
    state: &AppState,
    seed: u64,
    size: population::Size,
) -> Result<Summary, DemoError> {
    match status(&state.db).await? {
        Status::Other => return Err(DemoError::NotEmpty),
        Status::Demo { .. } => wipe(&state.db).await?,
        Status::Empty => {}
    }
    load(state, seed, size).await
}

/// The tables the demo fills: every table but the reference data the
/// migrations seed and the migrations' own bookkeeping.
const KEPT: &[&str] = &[
    "academies",
    "regions",
    "levels",
    "subjects",
    "subject_levels",
    "_sqlx_migrations",
    "sqlite_sequence",
];

/// Deletes every row the demo wrote, in one transaction.
async fn wipe(db: &Db) -> Result<(), sqlx::Error> {
    let tables: Vec<String> = match db.engine() {
        Engine::Sqlite => crate::on_db!(db, |pool| sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
        .fetch_all(pool)
        .await?),
        Engine::Postgres => crate::on_db!(db, |pool| sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             ORDER BY table_name"
        )
        .fetch_all(pool)
        .await?),
    };
    let wiped: Vec<String> = tables
        .into_iter()
        .filter(|t| !KEPT.contains(&t.as_str()))
        .collect();
    let mut tx = db.begin_write().await?;
    match db.engine() {
        Engine::Postgres => {
            let list = wiped
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ");
            crate::on_tx!(&mut tx, |conn| sqlx::query(&format!(
                "TRUNCATE {list} RESTART IDENTITY CASCADE"
            ))
            .execute(&mut *conn)
            .await?
            .rows_affected());
        }
        Engine::Sqlite => {
            // Foreign keys are checked at the commit, when every row is gone.
            crate::on_tx!(&mut tx, |conn| {
                sqlx::query("PRAGMA defer_foreign_keys = ON")
                    .execute(&mut *conn)
                    .await?;
                for table in &wiped {
                    sqlx::query(&format!("DELETE FROM \"{table}\""))
                        .execute(&mut *conn)
                        .await?;
                }
                sqlx::query("DELETE FROM sqlite_sequence")
                    .execute(&mut *conn)
                    .await?;
            });
        }
    }
    tx.commit().await
}

/// Records that the database is the demo's, generated from `seed` at `at`.
async fn mark(db: &Db, seed: u64, at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    crate::on_tx!(&mut tx, |conn| sqlx::query(
        "INSERT INTO demo (id, seed, loaded_at) VALUES (1, $1, $2)"
    )
    .bind(i64::from_ne_bytes(seed.to_ne_bytes()))
    .bind(at)
    .execute(&mut *conn)
    .await?
    .rows_affected());
    tx.commit().await
}
