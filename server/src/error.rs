//! Why the server could not start. Each variant prints as one line and
//! maps to its own exit code.

/// A failure before the server accepts requests.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// A configuration variable is missing or invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The database could not be opened or migrated.
    #[error("database error ({variable}): {reason}")]
    Database {
        variable: &'static str,
        reason: String,
    },
    /// The listening address could not be bound (in use, not allowed).
    #[error("cannot listen on {address} (LEPTOS_SITE_ADDR): {reason}")]
    Listen { address: String, reason: String },
    /// The site settings (`LEPTOS_*`) are invalid.
    #[error("configuration error: LEPTOS_* site settings: {0}")]
    Site(String),
    /// The command line is wrong.
    #[error("usage: {0}")]
    Usage(String),
    /// A command was given invalid data (an invalid email address).
    #[error("invalid input: {0}")]
    Input(String),
    /// The operating system refused what the process needs (threads, signals).
    #[error("system error: {0}")]
    System(String),
}

impl StartupError {
    /// The process exit code: 64 usage, 65 invalid input, 78 configuration,
    /// 69 unavailable service, 71 system error (sysexits.h conventions).
    pub fn exit_code(&self) -> i32 {
        match self {
            StartupError::Usage(_) => 64,
            StartupError::Input(_) => 65,
            StartupError::Config(_) | StartupError::Site(_) => 78,
            StartupError::Database { .. } | StartupError::Listen { .. } => 69,
            StartupError::System(_) => 71,
        }
    }
}
