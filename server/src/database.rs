//! Opening the database and bringing its schema up to date.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use app::db::Db;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::config::{expose_postgres_url, DatabaseTarget};
use crate::error::StartupError;

/// The SQLite schema, embedded in the binary.
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
/// The PostgreSQL schema, embedded in the binary; same migration names.
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long a writer waits for SQLite's lock before giving up.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for a connection before calling the database unreachable.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens the database named by `target` and runs pending migrations.
///
/// SQLite: the file and its folder are created if missing; WAL journal,
/// busy timeout [`SQLITE_BUSY_TIMEOUT`], foreign keys on.
///
/// # Errors
/// [`StartupError::Database`] when the folder or file cannot be created, the
/// server cannot be reached, or a migration fails.
pub async fn open(target: &DatabaseTarget, variable: &'static str) -> Result<Db, StartupError> {
    match target {
        DatabaseTarget::Sqlite { path } => {
            let created = CreatedPaths::before_creating(path);
            let result = open_and_migrate(target, variable).await;
            if result.is_err() {
                created.remove();
            }
            result
        }
        DatabaseTarget::Postgres { .. } => open_and_migrate(target, variable).await,
    }
}

/// What a start is about to create for a SQLite file, so that a failed start
/// can remove it again and leave nothing half-created.
struct CreatedPaths {
    /// The first missing ancestor folder of the file, if any.
    folder: Option<PathBuf>,
    /// The file, if it does not exist yet.
    file: Option<PathBuf>,
}

impl CreatedPaths {
    fn before_creating(file: &Path) -> CreatedPaths {
        let folder = file
            .ancestors()
            .skip(1)
            .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
            .last()
            .map(Path::to_path_buf);
        let file = (!file.exists()).then(|| file.to_path_buf());
        CreatedPaths { folder, file }
    }

    fn remove(self) {
        // Best effort: what cannot be removed was probably never created.
        if let Some(file) = self.file {
            for suffix in ["", "-wal", "-shm"] {
                let mut name = file.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(name));
            }
        }
        if let Some(folder) = self.folder {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

async fn open_and_migrate(
    target: &DatabaseTarget,
    variable: &'static str,
) -> Result<Db, StartupError> {
    let db = match target {
        DatabaseTarget::Sqlite { path } => {
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(|e| StartupError::Database {
                    variable,
                    reason: format!("cannot create the folder {}: {e}", folder.display()),
                })?;
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(|e| StartupError::Database {
                    variable,
                    reason: format!("cannot open the SQLite file {}: {e}", path.display()),
                })?;
            Db::Sqlite(pool)
        }
        DatabaseTarget::Postgres { url } => {
            let options = PgConnectOptions::from_str(expose_postgres_url(url)).map_err(|_| {
                StartupError::Database {
                    variable,
                    reason: "not a valid PostgreSQL URL".into(),
                }
            })?;
            let place = format!("{}:{}", options.get_host(), options.get_port());
            let pool = PgPoolOptions::new()
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(|e| StartupError::Database {
                    variable,
                    reason: format!("cannot reach PostgreSQL at {place}: {}", one_line(&e)),
                })?;
            Db::Postgres(pool)
        }
    };
    migrate(&db).await.map_err(|e| StartupError::Database {
        variable,
        reason: format!("migration failed: {}", one_line(&e)),
    })?;
    Ok(db)
}

/// Runs the migrations of the database's engine that have not run yet.
///
/// # Errors
/// The migrator's error; each migration runs in its own transaction.
pub async fn migrate(db: &Db) -> Result<(), sqlx::migrate::MigrateError> {
    match db {
        Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await,
        Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await,
    }
}

fn one_line(error: &dyn std::fmt::Display) -> String {
    error.to_string().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::CreatedPaths;

    #[test]
    fn a_failed_start_removes_only_what_it_created() {
        let root = tempfile::tempdir().expect("temp");
        let kept = root.path().join("kept");
        std::fs::create_dir(&kept).expect("mkdir");
        std::fs::write(kept.join("other.txt"), b"x").expect("write");
        let file = kept.join("new").join("deeper").join("binome.db");

        let created = CreatedPaths::before_creating(&file);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir -p");
        std::fs::write(&file, b"").expect("the file");
        std::fs::write(kept.join("new/deeper/binome.db-wal"), b"").expect("the WAL");
        created.remove();

        assert!(!kept.join("new").exists(), "the created folders are gone");
        assert!(kept.join("other.txt").exists(), "what was there stays");
    }

    #[test]
    fn an_existing_database_file_is_never_removed() {
        let root = tempfile::tempdir().expect("temp");
        let file = root.path().join("binome.db");
        std::fs::write(&file, b"data").expect("write");

        CreatedPaths::before_creating(&file).remove();

        assert!(file.exists());
    }
}
