//! The Binôme server: configuration, database, HTTP, and the process around
//! them. `main.rs` only parses the command line and reports failures.

pub mod cli;
pub mod config;
pub mod database;
pub mod demo;
pub mod error;
pub mod housekeeping;
pub mod http;
pub mod login_sessions;
pub mod mail;
pub mod matching_cli;
pub mod shutdown;
pub mod telemetry;

use std::sync::Arc;

use app::accounts::rate_limit::RateLimits;
use app::clock::{Clock, SystemClock};
use app::mail::outbox::RetryPolicy;
use app::state::AppState;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::error::StartupError;

/// This machine's name (`HOSTNAME`, else `/etc/hostname`), to tell
/// instances apart in logs, outbox claims and test emails.
pub fn host_name() -> Option<String> {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
}

/// The application's state for `config`, `db` and `clock`.
pub fn app_state(
    config: &Config,
    leptos_options: leptos::config::LeptosOptions,
    db: app::db::Db,
    clock: Arc<dyn Clock>,
    rate_limits: Arc<RateLimits>,
) -> AppState {
    AppState {
        leptos_options,
        db,
        public_url: config.public_url.clone(),
        mail_from: config.mail.from.email.to_string(),
        video_url_template: config.video_url_template.clone(),
        clock,
        rate_limits,
        answer_delay: config.answer_delay,
        alert_rules: config.alert_rules,
        retention: config.retention,
    }
}

/// Starts the platform and serves until SIGTERM or Ctrl-C, with the mail
/// worker delivering the email outbox in the background.
///
/// Order matters for "nothing half-created": the configuration is checked,
/// then the address is bound, and only then is the database created or
/// migrated.
///
/// # Errors
/// [`StartupError`] when the configuration is invalid, the address cannot be
/// bound or the database cannot be opened; with `demo`, as
/// [`demo::prepare`].
pub async fn serve(demo: bool) -> Result<(), StartupError> {
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

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let rate_limits = Arc::new(RateLimits::new());
    let state = app_state(
        &config,
        leptos_options,
        db.clone(),
        clock.clone(),
        rate_limits.clone(),
    );
    if demo {
        demo::prepare(&state).await?;
    }
    let app = http::router(state.clone(), config.client_ip_source.clone())
        .map_err(StartupError::System)?;

    let transport =
        mail::Transport::from_config(&config.mail.transport).map_err(StartupError::System)?;
    tracing::info!(
        to = %mail::Transport::describe(&config.mail.transport),
        from = %config.mail.from,
        "emails go to"
    );
    let settings = mail::WorkerSettings {
        policy: RetryPolicy {
            max_attempts: config.mail.max_attempts,
            ..RetryPolicy::default()
        },
        ..mail::WorkerSettings::default()
    };
    let stop = CancellationToken::new();
    let worker = mail::Worker::new(
        db.clone(),
        transport,
        config.mail.from.clone(),
        clock.clone(),
        settings,
    );
    let worker = tokio::spawn(worker.run(stop.clone()));
    let housekeeping = tokio::spawn(housekeeping::run(
        db.clone(),
        rate_limits,
        housekeeping::Settings {
            public_url: config.public_url.clone(),
            video_url_template: config.video_url_template.clone(),
            reminders: config.session_reminders.clone(),
            alert_rules: config.alert_rules,
            state: state.clone(),
        },
        clock.clone(),
        stop.clone(),
    ));

    tracing::info!(address = %address, public_url = %config.public_url, "Binôme is listening");
    let stopping = stop.clone();
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown::signal().await;
        stopping.cancel();
    })
    .await;
    stop.cancel();
    // The worker finishes the email it is sending; the grace period of
    // `shutdown::signal` bounds the wait.
    let _ = worker.await;
    let _ = housekeeping.await;
    served.map_err(|e| StartupError::Listen {
        address: address.to_string(),
        reason: e.to_string(),
    })?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}
