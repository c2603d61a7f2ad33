//! Graceful shutdown: on SIGTERM or Ctrl-C, stop accepting connections, let
//! in-flight requests finish, and exit within [`GRACE_PERIOD`] whatever
//! happens.

use std::time::Duration;

/// Longest time in-flight requests get after the signal. Kept under the
/// 10 s that orchestrators commonly wait before SIGKILL.
pub const GRACE_PERIOD: Duration = Duration::from_secs(9);

/// Resolves when the process is asked to stop, and arms the deadline.
pub async fn signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!(
        grace_seconds = GRACE_PERIOD.as_secs(),
        "stopping: finishing in-flight requests"
    );
    tokio::spawn(async {
        tokio::time::sleep(GRACE_PERIOD).await;
        tracing::warn!("requests still running at the end of the grace period; exiting now");
        std::process::exit(1);
    });
}
