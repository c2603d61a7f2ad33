//! `binome serve --demo` and `binome demo reset`: the demo's data (see
//! `app::demo`) loaded, refused or named in the log.

use std::time::Instant;

use app::demo::{self, population, Accounts, Status, Summary};
use app::state::AppState;

use crate::error::StartupError;

fn refused() -> StartupError {
    StartupError::Input(
        "--demo: the database already holds data that is not the demo's; \
         start without --demo, or point DATABASE_URL (or BINOME_DATA_DIR) at an empty database"
            .into(),
    )
}

fn failed(error: demo::DemoError) -> StartupError {
    match error {
        demo::DemoError::NotEmpty => refused(),
        other => StartupError::System(format!("the demo could not be loaded: {other}")),
    }
}

/// Names the accounts to try, in the start-up log.
fn log_accounts(accounts: &Accounts) {
    tracing::info!(
        password = demo::PASSWORD,
        administrator = %accounts.administrator,
        "demo accounts: every one signs in with this password"
    );
    for (academy, email) in &accounts.coordinators {
        tracing::info!(academy = %academy, email = %email, "demo coordinator");
    }
    for (role, email) in [
        ("pupil with a tutor", &accounts.pupil),
        ("her tutor", &accounts.tutor),
        ("parent of a pupil under 15", &accounts.parent),
    ] {
        if let Some(email) = email {
            tracing::info!(email = %email, "demo {role}");
        }
    }
}

fn log_summary(summary: &Summary, started: Instant) {
    tracing::info!(
        seed = summary.seed,
        schools = summary.schools,
        pupils = summary.pupils,
        tutors = summary.tutors,
        parents = summary.parents,
        proposals = summary.proposals,
        pairs = summary.matches,
        sessions = summary.sessions,
        feedback = summary.feedback,
        seconds = started.elapsed().as_secs_f32(),
        "demo loaded"
    );
}

/// Before serving with `--demo`: loads the demo into an empty database,
/// keeps the demo already there, refuses anything else.
///
/// # Errors
/// [`StartupError::Input`] on a database with other data (nothing is
/// written); [`StartupError::System`] when loading failed (what was
/// written is wiped).
pub async fn prepare(state: &AppState) -> Result<(), StartupError> {
    let database = |e: sqlx::Error| StartupError::Database {
        variable: "DATABASE_URL",
        reason: e.to_string().replace('\n', " "),
    };
    match demo::status(&state.db).await.map_err(database)? {
        Status::Other => return Err(refused()),
        Status::Demo { seed } => {
            tracing::info!(seed, "serving the demo already in the database");
        }
        Status::Empty => {
            tracing::info!("loading the demo (about 10 s for a release build on SQLite)");
            let started = Instant::now();
            let summary = demo::load(state, demo::DEFAULT_SEED, population::FULL)
                .await
                .map_err(failed)?;
            log_summary(&summary, started);
        }
    }
    log_accounts(&demo::accounts(&state.db).await.map_err(database)?);
    Ok(())
}

/// `binome demo reset`: wipes the demo and generates it from `seed`.
///
/// # Errors
/// As [`prepare`].
pub async fn reset(state: &AppState, seed: u64) -> Result<(), StartupError> {
    let started = Instant::now();
    let summary = demo::reset(state, seed, population::FULL)
        .await
        .map_err(failed)?;
    log_summary(&summary, started);
    log_accounts(&summary.accounts);
    Ok(())
}
