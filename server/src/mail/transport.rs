//! Where messages go: an SMTP server, or `.eml` files when none is set.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{expose_smtp_url, MailTransportConfig};

/// Longest wait for the SMTP server at each step of a delivery.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// SMTP reply codes that are permanent (5xx) but say the platform's own
/// credentials or TLS are wrong (RFC 4954 §6, RFC 3207 §4): retrying after
/// the administrator fixes the settings will work, so they count as
/// transient rather than killing every email at once.
const SETTINGS_CODES: [u16; 4] = [530, 534, 535, 538];

/// A configured transport.
#[derive(Debug)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files {
        transport: AsyncFileTransport<Tokio1Executor>,
        folder: PathBuf,
    },
}

/// Where a message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// The SMTP server accepted it.
    Smtp,
    /// Written to this file.
    File(PathBuf),
}

/// A failed delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    /// `true` when trying again cannot help (an SMTP 5xx reply, such as an
    /// unknown mailbox).
    pub permanent: bool,
    /// What happened, for the log and the outbox (no credentials).
    pub reason: String,
}

impl Transport {
    /// The transport described by `config`. The `.eml` folder is created
    /// when the first email is written, so a start never leaves it behind.
    ///
    /// # Errors
    /// A one-line reason when the SMTP URL is invalid.
    pub fn from_config(config: &MailTransportConfig) -> Result<Transport, String> {
        match config {
            MailTransportConfig::Smtp { url } => {
                let transport =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(expose_smtp_url(url))
                        .map_err(|_| "BINOME_SMTP_URL is not a valid SMTP URL".to_owned())?
                        .timeout(Some(SMTP_TIMEOUT))
                        .build();
                Ok(Transport::Smtp(transport))
            }
            MailTransportConfig::Files { folder } => Ok(Transport::Files {
                transport: AsyncFileTransport::new(folder),
                folder: folder.clone(),
            }),
        }
    }

    /// Sends `message`.
    ///
    /// # Errors
    /// [`SendFailure`], permanent for SMTP 5xx replies other than those
    /// about the platform's own settings, transient for everything else
    /// (refused connections, timeouts, 4xx replies, a full disk).
    pub async fn send(&self, message: Message) -> Result<Delivered, SendFailure> {
        match self {
            Transport::Smtp(transport) => match transport.send(message).await {
                Ok(_) => Ok(Delivered::Smtp),
                Err(error) => {
                    let code = error
                        .status()
                        .and_then(|code| code.to_string().parse::<u16>().ok());
                    let permanent =
                        error.is_permanent() && !code.is_some_and(|c| SETTINGS_CODES.contains(&c));
                    Err(SendFailure {
                        permanent,
                        reason: one_line(&error.to_string()),
                    })
                }
            },
            Transport::Files { transport, folder } => {
                if let Err(error) = tokio::fs::create_dir_all(folder).await {
                    return Err(SendFailure {
                        permanent: false,
                        reason: one_line(&format!(
                            "cannot create the folder {}: {error}",
                            folder.display()
                        )),
                    });
                }
                match transport.send(message).await {
                    Ok(id) => Ok(Delivered::File(folder.join(format!("{id}.eml")))),
                    Err(error) => Err(SendFailure {
                        permanent: false,
                        reason: one_line(&error.to_string()),
                    }),
                }
            }
        }
    }

    /// Says where emails go, without credentials: `smtp` with host and port,
    /// or the folder of the `.eml` files.
    pub fn describe(config: &MailTransportConfig) -> String {
        match config {
            MailTransportConfig::Smtp { url } => url::Url::parse(expose_smtp_url(url))
                .map(|u| {
                    format!(
                        "SMTP server {}:{}",
                        u.host_str().unwrap_or("?"),
                        u.port()
                            .map_or_else(|| "default port".to_owned(), |p| p.to_string())
                    )
                })
                .unwrap_or_else(|_| "SMTP server".to_owned()),
            MailTransportConfig::Files { folder } => {
                format!(".eml files in {} (no BINOME_SMTP_URL)", folder.display())
            }
        }
    }
}

/// At most 500 characters on one line: what goes into `last_error`.
fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(500).collect()
}
