//! The Binôme server: configuration, database, HTTP, and the process around
//! them. `main.rs` only parses the command line and reports failures.

pub mod config;
pub mod database;
pub mod error;
pub mod http;
pub mod shutdown;
pub mod telemetry;

use app::state::AppState;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::error::StartupError;

/// Starts the platform and serves until SIGTERM or Ctrl-C.
///
/// Order matters for "nothing half-created": the configuration is checked,
/// then the address is bound, and only then is the database created or
/// migrated.
///
/// # Errors
/// [`StartupError`] when the configuration is invalid, the address cannot be
/// bound or the database cannot be opened.
pub async fn serve() -> Result<(), StartupError> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);

    let site = leptos::config::get_configuration(None)
        .map_err(|e| StartupError::Site(e.to_string().replace('\n', " ")))?;
    let leptos_options = site.leptos_options;
    let address = leptos_options.site_addr;

    let listener = TcpListener::bind(address)
        .await
        .map_err(|e| StartupError::Listen {
            address: address.to_string(),
            reason: e.to_string(),
        })?;

    let db = database::open(&config.database, config.database_variable).await?;
    tracing::info!(engine = ?db.engine(), "database ready");

    let state = AppState {
        leptos_options,
        db: db.clone(),
        public_url: config.public_url.clone(),
    };
    let app = http::router(state);

    tracing::info!(address = %address, public_url = %config.public_url, "Binôme is listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown::signal())
        .await
        .map_err(|e| StartupError::Listen {
            address: address.to_string(),
            reason: e.to_string(),
        })?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}
