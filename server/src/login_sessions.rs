//! Login sessions in the database: tower-sessions' SQL stores behind one
//! type for both engines, the session layer with its cookie settings, and
//! the removal of expired rows.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use app::accounts::login_session::{IDLE_TIMEOUT, SESSION_COOKIE};
use app::db::Db;

/// The table the migrations create (`migrations/*/…_accounts.sql`).
const TABLE: &str = "login_sessions";

/// tower-sessions' store for the platform's engine.
#[derive(Clone, Debug)]
pub enum LoginSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl LoginSessionStore {
    /// The store of `db`'s `login_sessions` table.
    ///
    /// # Errors
    /// Never with the constant table name; the stores check names.
    pub fn new(db: &Db) -> Result<LoginSessionStore, String> {
        Ok(match db {
            Db::Sqlite(pool) => {
                LoginSessionStore::Sqlite(SqliteStore::new(pool.clone()).with_table_name(TABLE)?)
            }
            Db::Postgres(pool) => LoginSessionStore::Postgres(
                PostgresStore::new(pool.clone())
                    .with_schema_name("public")?
                    .with_table_name(TABLE)?,
            ),
        })
    }
}

#[async_trait]
impl SessionStore for LoginSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            LoginSessionStore::Sqlite(store) => store.create(record).await,
            LoginSessionStore::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            LoginSessionStore::Sqlite(store) => store.save(record).await,
            LoginSessionStore::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            LoginSessionStore::Sqlite(store) => store.load(id).await,
            LoginSessionStore::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            LoginSessionStore::Sqlite(store) => store.delete(id).await,
            LoginSessionStore::Postgres(store) => store.delete(id).await,
        }
    }
}

/// The session layer: cookie [`SESSION_COOKIE`], `HttpOnly`,
/// `SameSite=Lax`, `Secure` when the platform is served over HTTPS, ending
/// after [`IDLE_TIMEOUT`] without a request (the server also checks this
/// and the absolute timeout itself, see `app::accounts::login_session`).
/// Visitors who never sign in get no cookie and no row.
///
/// # Errors
/// See [`LoginSessionStore::new`].
pub fn layer(db: &Db, public_url: &str) -> Result<SessionManagerLayer<LoginSessionStore>, String> {
    let idle = tower_sessions::cookie::time::Duration::seconds(IDLE_TIMEOUT.num_seconds());
    Ok(SessionManagerLayer::new(LoginSessionStore::new(db)?)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(public_url.starts_with("https://"))
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle)))
}

/// Deletes the rows of login sessions expired at `now` (the stores'
/// own clean-up is not used: SQLite's compares Unix seconds as Julian
/// days and never deletes anything). Returns how many went.
///
/// # Errors
/// The database's error.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = match db {
        Db::Sqlite(pool) => sqlx::query("DELETE FROM login_sessions WHERE expiry_date < $1")
            .bind(now.timestamp())
            .execute(pool)
            .await?
            .rows_affected(),
        Db::Postgres(pool) => sqlx::query("DELETE FROM login_sessions WHERE expiry_date < $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected(),
    };
    Ok(done)
}
