//! The database: SQLite (default) or PostgreSQL, behind one type.
//!
//! Queries are written once, in SQL both engines accept (`$1` placeholders),
//! and run through [`on_db!`](crate::on_db) or [`on_tx!`](crate::on_tx),
//! which expand the same code for each engine. Timestamps are stored in UTC.

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// Which engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection pool to the platform's database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction that will write. On SQLite it was opened with
/// `BEGIN IMMEDIATE`, which takes the write lock at once: with a plain
/// `BEGIN`, a transaction that reads then writes fails with "database is
/// locked" whenever another writer got in between, instead of waiting.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$pool` bound to the engine's pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// How many values an `IN (…)` list of the batch readers holds at most:
/// well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
pub const IN_CHUNK: usize = 500;

/// The rows of `sql(list)` for `ids`, where `list` is the placeholders of an
/// `IN (…)` list: one query per [`IN_CHUNK`] ids, the rows of each chunk
/// in the query's order, chunks in the order of `ids`.
///
/// # Errors
/// The database's error.
pub async fn fetch_for_ids<T>(
    db: &Db,
    ids: &[i64],
    sql: impl Fn(&str) -> String,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let mut rows = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = sql(&placeholders(chunk.len()));
        let found: Vec<T> = crate::on_db!(db, |pool| {
            let mut query = sqlx::query_as(&sql);
            for id in chunk {
                query = query.bind(id);
            }
            query.fetch_all(pool).await?
        });
        rows.extend(found);
    }
    Ok(rows)
}

/// `$1, $2, …, $count`: the placeholders of an `IN (…)` list of `count`
/// values, bound in order after the query's first ones.
pub fn placeholders(count: usize) -> String {
    placeholders_from(1, count)
}

/// `$first, …`: `count` placeholders numbered from `first`, for an
/// `IN (…)` list bound after `first - 1` other values.
pub fn placeholders_from(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Db {
    /// The engine behind this pool.
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Opens a transaction meant to write (see [`Tx`]).
    ///
    /// # Errors
    /// The pool's error when no connection can be had or `BEGIN` fails.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Checks the database answers a trivial query.
    ///
    /// # Errors
    /// The pool's error when it does not.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// Closes every connection; later queries fail with `PoolClosed`.
    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

impl Tx {
    /// Makes the transaction's writes durable.
    ///
    /// # Errors
    /// The engine's error when `COMMIT` fails (nothing was written then).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    /// Undoes the transaction's writes (dropping it does too, but says less).
    ///
    /// # Errors
    /// The engine's error when `ROLLBACK` fails; the connection is then
    /// closed and nothing was written either.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        }
    }
}
