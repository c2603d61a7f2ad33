//! Configuration from environment variables (and an optional `.env` file).
//!
//! Every variable, its default and its meaning is listed in `.env.example`
//! and the README. A missing or invalid value stops the start with one line
//! naming the variable; values that may hold secrets are never printed.

use std::path::PathBuf;

use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::Tokio1Executor;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

/// Where the platform's data lives.
#[derive(Debug, Clone)]
pub enum DatabaseTarget {
    /// A SQLite file; created, with its folder, on first start.
    Sqlite { path: PathBuf },
    /// A PostgreSQL server; the URL may hold a password, hence secret.
    Postgres { url: SecretString },
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines with `key=value` fields.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: DatabaseTarget,
    /// The variable that chose `database`, for error messages:
    /// `DATABASE_URL`, or `BINOME_DATA_DIR` for the default SQLite file.
    pub database_variable: &'static str,
    /// `BINOME_DATA_DIR`: the SQLite file and other local files.
    pub data_dir: PathBuf,
    /// `BINOME_PUBLIC_URL`: base of absolute links, without trailing slash.
    pub public_url: String,
    /// `BINOME_LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
    /// How email leaves the platform.
    pub mail: MailConfig,
    /// `BINOME_CLIENT_IP_SOURCE`: where the client's address is read, for
    /// rate limits and logs. `ConnectInfo` (default: the TCP peer) when
    /// clients connect directly; behind a reverse proxy, the header it sets,
    /// e.g. `RightmostXForwardedFor` or `XRealIp` (axum-client-ip's names).
    pub client_ip_source: axum_client_ip::ClientIpSource,
    /// `BINOME_PROPOSAL_DAYS`: days a tutor has to answer a proposal (1–30,
    /// default 7); they are reminded once half-way.
    pub answer_delay: chrono::TimeDelta,
    /// `BINOME_SESSION_REMINDERS`: how long before each session both sides
    /// are reminded by email, e.g. `24h,1h` (the default); `none` for no
    /// reminder. Up to 4, each from 1 minute to 7 days, in whole minutes.
    pub session_reminders: Vec<chrono::TimeDelta>,
    /// `BINOME_VIDEO_URL_TEMPLATE`: the video link of online sessions, an
    /// `https://` address with `{room}` where the match's room name goes,
    /// e.g. `https://visio.region.fr/binome-{room}` (a Jitsi Meet or
    /// BigBlueButton server). Unset: no link, the pair agrees on one.
    pub video_url_template: Option<String>,
    /// `BINOME_ALERT_RULES`: the thresholds of the coordinators' alerts,
    /// e.g. `missed=2,rating=2,quiet=14,waiting=7,check=30` (the
    /// defaults; any part may be left out). See `domain::alerts::Rules`.
    pub alert_rules: domain::alerts::Rules,
    /// `BINOME_RETENTION`: how long personal data is kept, in days, e.g.
    /// `inactive=548,notice=30,comments=365,reports=1095,emails=90` (the
    /// defaults; any part may be left out). See `domain::retention::Policy`.
    pub retention: domain::retention::Policy,
}

/// Where emails go.
#[derive(Debug, Clone)]
pub enum MailTransportConfig {
    /// `BINOME_SMTP_URL`: an SMTP server, in lettre's URL form
    /// (`smtp://host:25`, `smtp://user:password@host:587?tls=required`,
    /// `smtps://user:password@host:465`). Secret: it may hold a password.
    Smtp { url: SecretString },
    /// No SMTP server: each email becomes an `.eml` file in this folder
    /// (`emails/` in the data folder).
    Files { folder: PathBuf },
}

/// The email settings.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub transport: MailTransportConfig,
    /// `BINOME_MAIL_FROM`: the sender of every email, e.g.
    /// `Binôme <no-reply@binome.example.fr>`. Its domain also ends every
    /// `Message-ID`.
    pub from: Mailbox,
    /// `BINOME_MAIL_MAX_ATTEMPTS`: attempts before a transiently failing
    /// email becomes a dead letter (default 30, about a day).
    pub max_attempts: u32,
}

/// Sender used when `BINOME_SMTP_URL` is unset and `BINOME_MAIL_FROM` too.
pub const DEFAULT_MAIL_FROM: &str = "Binôme <no-reply@binome.localhost>";
/// Folder of the `.eml` files inside the data folder, without SMTP.
pub const EMAIL_FOLDER_NAME: &str = "emails";

/// A configuration value that stops the start.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration error: {variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

/// Default of `BINOME_DATA_DIR`.
pub const DEFAULT_DATA_DIR: &str = "./data";
/// Default of `BINOME_PUBLIC_URL`.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:3000";
/// Name of the SQLite file inside the data folder.
pub const SQLITE_FILE_NAME: &str = "binome.db";

impl Config {
    /// Reads the configuration from the process environment, after loading
    /// `.env` from the working directory if there is one.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid variable.
    pub fn from_env() -> Result<Config, ConfigError> {
        // Only the working directory's `.env`, not one found further up.
        match dotenvy::from_path(".env") {
            Ok(()) => {}
            Err(error) if error.not_found() => {}
            Err(dotenvy::Error::LineParse(_, index)) => {
                // The line itself may hold a password: say where, not what.
                return Err(ConfigError {
                    variable: ".env",
                    reason: format!("cannot be parsed near character {index}"),
                });
            }
            Err(_) => {
                return Err(ConfigError {
                    variable: ".env",
                    reason: "cannot be read".into(),
                })
            }
        }
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (a variable's value, if set).
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid variable.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let set = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let data_dir =
            PathBuf::from(set("BINOME_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let (database, database_variable) = match set("DATABASE_URL") {
            None => (
                DatabaseTarget::Sqlite {
                    path: data_dir.join(SQLITE_FILE_NAME),
                },
                "BINOME_DATA_DIR",
            ),
            Some(url) => (parse_database_url(&url)?, "DATABASE_URL"),
        };

        // Leptos reads its own settings, but its errors do not name them.
        if let Some(address) = set("LEPTOS_SITE_ADDR") {
            if address.parse::<std::net::SocketAddr>().is_err() {
                return Err(ConfigError {
                    variable: "LEPTOS_SITE_ADDR",
                    reason: "must be an IP address and port, e.g. 127.0.0.1:3000".into(),
                });
            }
        }
        if let Some(env) = set("LEPTOS_ENV") {
            let known = ["dev", "development", "prod", "production"];
            if !known.contains(&env.to_ascii_lowercase().as_str()) {
                return Err(ConfigError {
                    variable: "LEPTOS_ENV",
                    reason: "must be DEV or PROD".into(),
                });
            }
        }

        let public_url = set("BINOME_PUBLIC_URL").unwrap_or_else(|| DEFAULT_PUBLIC_URL.into());
        let parsed = Url::parse(&public_url).map_err(|e| ConfigError {
            variable: "BINOME_PUBLIC_URL",
            reason: format!("not an absolute URL ({e})"),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err(ConfigError {
                variable: "BINOME_PUBLIC_URL",
                reason: "must be an http:// or https:// URL with a host".into(),
            });
        }
        let public_url = public_url.trim_end_matches('/').to_owned();

        let log_format = match set("BINOME_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(_) => {
                return Err(ConfigError {
                    variable: "BINOME_LOG_FORMAT",
                    reason: "must be `text` or `json`".into(),
                })
            }
        };

        let mail = mail_config(&set, &data_dir)?;

        let client_ip_source = match set("BINOME_CLIENT_IP_SOURCE") {
            None => axum_client_ip::ClientIpSource::ConnectInfo,
            Some(name) => name.trim().parse().map_err(|_| ConfigError {
                variable: "BINOME_CLIENT_IP_SOURCE",
                reason: "must be ConnectInfo, RightmostXForwardedFor, XRealIp, CfConnectingIp, \
                         TrueClientIp, FlyClientIp, CloudFrontViewerAddress or \
                         XEnvoyExternalAddress"
                    .into(),
            })?,
        };

        let answer_delay = match set("BINOME_PROPOSAL_DAYS") {
            None => app::proposals::deadlines::DEFAULT_ANSWER_DELAY,
            Some(value) => value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=30).contains(n))
                .map(chrono::TimeDelta::days)
                .ok_or_else(|| ConfigError {
                    variable: "BINOME_PROPOSAL_DAYS",
                    reason: "must be a whole number of days from 1 to 30".into(),
                })?,
        };
        let session_reminders = match set("BINOME_SESSION_REMINDERS") {
            None => app::sessions::reminders::DEFAULT_OFFSETS.to_vec(),
            Some(value) => parse_reminders(&value).ok_or_else(|| ConfigError {
                variable: "BINOME_SESSION_REMINDERS",
                reason: "must be `none`, or up to 4 durations from 1 minute to 7 days in whole \
                         minutes, separated by commas, e.g. 24h,1h"
                    .into(),
            })?,
        };
        let video_url_template = match set("BINOME_VIDEO_URL_TEMPLATE") {
            None => None,
            Some(value) => {
                app::sessions::venue::check_template(&value).map_err(|reason| ConfigError {
                    variable: "BINOME_VIDEO_URL_TEMPLATE",
                    reason: reason.into(),
                })?;
                Some(value.trim().to_owned())
            }
        };
        let alert_rules = match set("BINOME_ALERT_RULES") {
            None => domain::alerts::Rules::default(),
            Some(value) => domain::alerts::Rules::parse(&value).map_err(|reason| ConfigError {
                variable: "BINOME_ALERT_RULES",
                reason,
            })?,
        };
        let retention = match set("BINOME_RETENTION") {
            None => domain::retention::Policy::default(),
            Some(value) => {
                domain::retention::Policy::parse(&value).map_err(|reason| ConfigError {
                    variable: "BINOME_RETENTION",
                    reason,
                })?
            }
        };
        Ok(Config {
            database,
            database_variable,
            data_dir,
            public_url,
            log_format,
            mail,
            client_ip_source,
            answer_delay,
            session_reminders,
            video_url_template,
            alert_rules,
            retention,
        })
    }
}

/// `none`, or durations separated by commas (`24h,1h`, `90min`), each
/// from 1 minute to 7 days in whole minutes, at most 4 distinct; `None`
/// when the text is not that.
fn parse_reminders(value: &str) -> Option<Vec<chrono::TimeDelta>> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("none") {
        return Some(Vec::new());
    }
    let mut found = Vec::new();
    for item in value.split(',') {
        let duration = humantime::parse_duration(item.trim()).ok()?;
        let delta = chrono::TimeDelta::from_std(duration).ok()?;
        if delta < chrono::TimeDelta::minutes(1)
            || delta > chrono::TimeDelta::days(7)
            || delta.subsec_nanos() != 0
            || delta.num_seconds() % 60 != 0
        {
            return None;
        }
        if !found.contains(&delta) {
            found.push(delta);
        }
    }
    (found.len() <= 4).then_some(found)
}

fn mail_config(
    set: &impl Fn(&str) -> Option<String>,
    data_dir: &std::path::Path,
) -> Result<MailConfig, ConfigError> {
    let transport = match set("BINOME_SMTP_URL") {
        None => MailTransportConfig::Files {
            folder: data_dir.join(EMAIL_FOLDER_NAME),
        },
        Some(url) => {
            // The value may hold a password: never echo it.
            if AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim()).is_err() {
                return Err(ConfigError {
                    variable: "BINOME_SMTP_URL",
                    reason: "must be an SMTP URL such as smtp://host:25, \
                             smtp://user:password@host:587?tls=required or smtps://user:password@host:465"
                        .into(),
                });
            }
            if sends_credentials_in_clear(url.trim()) {
                return Err(ConfigError {
                    variable: "BINOME_SMTP_URL",
                    reason: "holds credentials but no TLS: use smtps:// or ?tls=required \
                             (plain smtp:// with credentials is accepted for a server on loopback only)"
                        .into(),
                });
            }
            MailTransportConfig::Smtp {
                url: SecretString::from(url.trim().to_owned()),
            }
        }
    };
    let from = match set("BINOME_MAIL_FROM") {
        Some(from) => from.trim().parse::<Mailbox>().map_err(|_| ConfigError {
            variable: "BINOME_MAIL_FROM",
            reason: "must be an address, optionally with a name: Binôme <no-reply@example.fr>"
                .into(),
        })?,
        None if matches!(transport, MailTransportConfig::Smtp { .. }) => {
            return Err(ConfigError {
                variable: "BINOME_MAIL_FROM",
                reason: "is required when BINOME_SMTP_URL is set".into(),
            })
        }
        None => DEFAULT_MAIL_FROM
            .parse::<Mailbox>()
            .map_err(|_| ConfigError {
                variable: "BINOME_MAIL_FROM",
                reason: "the built-in default is invalid".into(),
            })?,
    };
    let max_attempts = match set("BINOME_MAIL_MAX_ATTEMPTS") {
        None => app::mail::outbox::RetryPolicy::default().max_attempts,
        Some(value) => value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ConfigError {
                variable: "BINOME_MAIL_MAX_ATTEMPTS",
                reason: "must be a whole number from 1 to 1000".into(),
            })?,
    };
    Ok(MailConfig {
        transport,
        from,
        max_attempts,
    })
}

/// Whether an SMTP URL would send a user name and password unencrypted:
/// credentials with `smtp://` and no `tls=required` (lettre's
/// `tls=opportunistic` falls back to clear text when the server offers no
/// STARTTLS), to a host other than loopback.
fn sends_credentials_in_clear(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    let has_credentials = !url.username().is_empty() || url.password().is_some();
    let tls_required = url.scheme() == "smtps"
        || url
            .query_pairs()
            .any(|(key, value)| key == "tls" && value == "required");
    let loopback = match url.host() {
        // smtp:// is not a "special" scheme: its IP hosts come as text.
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    has_credentials && !tls_required && !loopback
}

/// The URL of an SMTP target, for connecting.
pub fn expose_smtp_url(url: &SecretString) -> &str {
    url.expose_secret()
}

/// `sqlite://path`, `sqlite:path`, `postgres://…` or `postgresql://…`.
/// The value itself is never echoed: it may hold a password.
fn parse_database_url(value: &str) -> Result<DatabaseTarget, ConfigError> {
    let error = |reason: &str| ConfigError {
        variable: "DATABASE_URL",
        reason: reason.into(),
    };
    if let Some(rest) = value
        .strip_prefix("sqlite://")
        .or_else(|| value.strip_prefix("sqlite:"))
    {
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            return Err(error(
                "a SQLite URL must name a file, e.g. sqlite://./data/binome.db",
            ));
        }
        return Ok(DatabaseTarget::Sqlite {
            path: PathBuf::from(path),
        });
    }
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        let url = Url::parse(value).map_err(|_| error("not a valid PostgreSQL URL"))?;
        if url.host().is_none() && !url.query_pairs().any(|(k, _)| k == "host") {
            return Err(error("a PostgreSQL URL needs a host"));
        }
        return Ok(DatabaseTarget::Postgres {
            url: SecretString::from(value.to_owned()),
        });
    }
    Err(error(
        "must start with sqlite:// or postgres:// (leave it unset for the default SQLite file)",
    ))
}

/// The URL of a PostgreSQL target, for connecting.
pub fn expose_postgres_url(url: &SecretString) -> &str {
    url.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::Path;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_work_with_nothing_set() {
        let config = config(&[]).expect("defaults are valid");
        assert_eq!(config.database_variable, "BINOME_DATA_DIR");
        match config.database {
            DatabaseTarget::Sqlite { path } => {
                assert_eq!(path, PathBuf::from("./data").join("binome.db"))
            }
            other => panic!("expected SQLite, got {other:?}"),
        }
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert_eq!(config.log_format, LogFormat::Text);
        assert!(matches!(
            config.mail.transport,
            MailTransportConfig::Files { ref folder } if folder == &PathBuf::from("./data").join("emails")
        ));
        assert_eq!(
            config.mail.from.email.to_string(),
            "no-reply@binome.localhost"
        );
        assert_eq!(config.mail.max_attempts, 30);
        assert_eq!(config.answer_delay, chrono::TimeDelta::days(7));
        assert_eq!(
            config.session_reminders,
            [chrono::TimeDelta::hours(24), chrono::TimeDelta::hours(1)]
        );
        assert_eq!(config.video_url_template, None);
        assert_eq!(config.alert_rules, domain::alerts::Rules::default());
    }

    #[test]
    fn alert_rules_are_read_and_checked() {
        let set = config(&[("BINOME_ALERT_RULES", "quiet=21, waiting=10")]).expect("valid");
        assert_eq!(set.alert_rules.quiet_days, 21);
        assert_eq!(set.alert_rules.waiting_days, 10);
        assert_eq!(set.alert_rules.missed, 2);
        let wrong = config(&[("BINOME_ALERT_RULES", "quiet=0")]).expect_err("refused");
        assert_eq!(wrong.variable, "BINOME_ALERT_RULES");
    }

    #[test]
    fn retention_durations_are_read_and_checked() {
        let set = config(&[("BINOME_RETENTION", "inactive=365, emails=30")]).expect("valid");
        assert_eq!(set.retention.inactive_days, 365);
        assert_eq!(set.retention.emails_days, 30);
        assert_eq!(set.retention.notice_days, 30);
        let wrong = config(&[("BINOME_RETENTION", "inactive=1")]).expect_err("refused");
        assert_eq!(wrong.variable, "BINOME_RETENTION");
    }

    #[test]
    fn the_video_template_is_an_address_with_the_room() {
        let ok = config(&[(
            "BINOME_VIDEO_URL_TEMPLATE",
            " https://visio.example.fr/binome-{room} ",
        )])
        .expect("valid");
        assert_eq!(
            ok.video_url_template.as_deref(),
            Some("https://visio.example.fr/binome-{room}")
        );
        let error = config(&[("BINOME_VIDEO_URL_TEMPLATE", "https://visio.example.fr/")])
            .expect_err("no room");
        assert_eq!(error.variable, "BINOME_VIDEO_URL_TEMPLATE");
    }

    #[test]
    fn session_reminders_are_a_few_durations_or_none() {
        use chrono::TimeDelta;
        let ok = config(&[("BINOME_SESSION_REMINDERS", " 48h, 90min ,1h,90m")]).expect("valid");
        assert_eq!(
            ok.session_reminders,
            [
                TimeDelta::hours(48),
                TimeDelta::minutes(90),
                TimeDelta::hours(1)
            ]
        );
        let none = config(&[("BINOME_SESSION_REMINDERS", "None")]).expect("valid");
        assert!(none.session_reminders.is_empty());
        for bad in [
            "24",
            "30s",
            "8days",
            "1h,2h,3h,4h,5h",
            "1h;2h",
            "demain",
            "90.5min",
            "1h,",
        ] {
            let error = config(&[("BINOME_SESSION_REMINDERS", bad)]).expect_err(bad);
            assert_eq!(error.variable, "BINOME_SESSION_REMINDERS", "{bad}");
        }
    }

    #[test]
    fn the_answer_delay_of_proposals_is_whole_days_from_1_to_30() {
        let ok = config(&[("BINOME_PROPOSAL_DAYS", " 3 ")]).expect("valid");
        assert_eq!(ok.answer_delay, chrono::TimeDelta::days(3));
        for bad in ["0", "31", "-2", "2.5", "une semaine"] {
            let error = config(&[("BINOME_PROPOSAL_DAYS", bad)]).expect_err(bad);
            assert_eq!(error.variable, "BINOME_PROPOSAL_DAYS", "{bad}");
        }
    }

    #[test]
    fn smtp_settings_are_checked_and_the_url_never_printed() {
        let ok = config(&[
            (
                "BINOME_SMTP_URL",
                "smtps://binome:hunter2@smtp.example.fr:465",
            ),
            ("BINOME_MAIL_FROM", "Binôme <no-reply@binome.example.fr>"),
            ("BINOME_MAIL_MAX_ATTEMPTS", "5"),
        ])
        .expect("valid");
        assert!(matches!(
            ok.mail.transport,
            MailTransportConfig::Smtp { .. }
        ));
        assert_eq!(ok.mail.from.name.as_deref(), Some("Binôme"));
        assert_eq!(ok.mail.max_attempts, 5);
        assert!(!format!("{ok:?}").contains("hunter2"));
        assert!(config(&[
            ("BINOME_SMTP_URL", "smtp://127.0.0.1:2525?tls=required"),
            ("BINOME_MAIL_FROM", "a@b.fr")
        ])
        .is_ok());
        for fine in [
            "smtp://u:pw@smtp.example.fr:587?tls=required",
            "smtp://u:pw@127.0.0.1:25",
            "smtp://u:pw@localhost:25",
            "smtp://u:pw@[::1]:25",
            "smtp://smtp.example.fr:25",
        ] {
            assert!(
                config(&[("BINOME_SMTP_URL", fine), ("BINOME_MAIL_FROM", "a@b.fr")]).is_ok(),
                "{fine}"
            );
        }

        for (vars, variable) in [
            (
                vec![("BINOME_SMTP_URL", "http://u:hunter2@smtp.example.fr")],
                "BINOME_SMTP_URL",
            ),
            (vec![("BINOME_SMTP_URL", "hunter2")], "BINOME_SMTP_URL"),
            (
                vec![("BINOME_SMTP_URL", "smtp://smtp.example.fr")],
                "BINOME_MAIL_FROM",
            ),
            (
                vec![
                    ("BINOME_SMTP_URL", "smtp://u:hunter2@smtp.example.fr:587"),
                    ("BINOME_MAIL_FROM", "a@b.fr"),
                ],
                "BINOME_SMTP_URL",
            ),
            (
                vec![
                    (
                        "BINOME_SMTP_URL",
                        "smtp://u:hunter2@smtp.example.fr:587?tls=opportunistic",
                    ),
                    ("BINOME_MAIL_FROM", "a@b.fr"),
                ],
                "BINOME_SMTP_URL",
            ),
            (
                vec![("BINOME_MAIL_FROM", "not an address")],
                "BINOME_MAIL_FROM",
            ),
            (
                vec![("BINOME_MAIL_MAX_ATTEMPTS", "0")],
                "BINOME_MAIL_MAX_ATTEMPTS",
            ),
            (
                vec![("BINOME_MAIL_MAX_ATTEMPTS", "many")],
                "BINOME_MAIL_MAX_ATTEMPTS",
            ),
        ] {
            let error = config(&vars).expect_err(variable);
            assert_eq!(error.variable, variable, "{vars:?}");
            assert!(!error.to_string().contains("hunter2"), "{error}");
        }
    }

    #[test]
    fn sqlite_and_postgres_urls_are_recognised() {
        let sqlite = config(&[("DATABASE_URL", "sqlite:///tmp/x.db?mode=rwc")]).expect("valid");
        assert!(
            matches!(sqlite.database, DatabaseTarget::Sqlite { path } if path == Path::new("/tmp/x.db"))
        );
        let pg =
            config(&[("DATABASE_URL", "postgres://u:pw@db.example:5432/binome")]).expect("valid");
        assert!(matches!(pg.database, DatabaseTarget::Postgres { .. }));
    }

    #[test]
    fn a_malformed_database_url_names_the_variable_and_hides_the_value() {
        for bad in [
            "mysql://u:hunter2@h/db",
            "hunter2",
            "sqlite://",
            "postgres://u:hunter2@:5432/db x",
        ] {
            let error = config(&[("DATABASE_URL", bad)]).expect_err(bad);
            assert_eq!(error.variable, "DATABASE_URL", "{bad}");
            let line = error.to_string();
            assert!(
                line.starts_with("configuration error: DATABASE_URL: "),
                "{line}"
            );
            assert!(!line.contains("hunter2"), "the value leaked: {line}");
            assert!(!line.contains('\n'));
        }
    }

    #[test]
    fn secrets_do_not_appear_in_debug_output() {
        let config =
            config(&[("DATABASE_URL", "postgres://u:hunter2@localhost/binome")]).expect("valid");
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("REDACTED"), "{debug}");
    }

    #[test]
    fn bad_public_url_and_log_format_are_refused() {
        assert_eq!(
            config(&[("BINOME_PUBLIC_URL", "not a url")])
                .expect_err("invalid")
                .variable,
            "BINOME_PUBLIC_URL"
        );
        assert_eq!(
            config(&[("BINOME_PUBLIC_URL", "ftp://example.org")])
                .expect_err("invalid")
                .variable,
            "BINOME_PUBLIC_URL"
        );
        assert_eq!(
            config(&[("BINOME_LOG_FORMAT", "xml")])
                .expect_err("invalid")
                .variable,
            "BINOME_LOG_FORMAT"
        );
        assert_eq!(
            config(&[("LEPTOS_SITE_ADDR", "localhost")])
                .expect_err("invalid")
                .variable,
            "LEPTOS_SITE_ADDR"
        );
        assert_eq!(
            config(&[("LEPTOS_ENV", "staging")])
                .expect_err("invalid")
                .variable,
            "LEPTOS_ENV"
        );
        assert!(config(&[("LEPTOS_SITE_ADDR", "0.0.0.0:8080"), ("LEPTOS_ENV", "PROD")]).is_ok());
        let ok = config(&[("BINOME_PUBLIC_URL", "https://binome.example.fr/")]).expect("valid");
        assert_eq!(ok.public_url, "https://binome.example.fr");
    }
}
