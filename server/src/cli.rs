//! The administration commands of the `binome` binary (everything but
//! `serve`): each reads the configuration, opens the database (running
//! pending migrations, as a start does) and prints its result on stdout.

use std::io::Write;

use app::clock::{Clock, SystemClock};
use app::i18n::Lang;
use app::mail::outbox::{EmailId, EmailState, RetrySelection};

use crate::config::Config;
use crate::database;
use crate::error::StartupError;
use crate::mail::admin::{self, AdminError};
use crate::mail::Transport;

fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

async fn open() -> Result<(Config, app::db::Db), StartupError> {
    let config = Config::from_env()?;
    let db = database::open(&config.database, config.database_variable).await?;
    Ok((config, db))
}

fn admin_error(error: AdminError) -> StartupError {
    match error {
        AdminError::Address { .. } => StartupError::Input(error.to_string()),
        AdminError::Database(e) => StartupError::Database {
            variable: "DATABASE_URL",
            reason: e.to_string().replace('\n', " "),
        },
        AdminError::Render(e) => StartupError::System(e.to_string()),
    }
}

/// `binome demo reset [--seed N]`.
///
/// # Errors
/// As [`crate::demo::reset`], or the configuration's or database's error.
pub async fn demo_reset(seed: u64) -> Result<(), StartupError> {
    let (config, db) = open().await?;
    crate::telemetry::init(config.log_format);
    let state = crate::app_state(
        &config,
        leptos::config::LeptosOptions::builder()
            .output_name("binome")
            .build(),
        db.clone(),
        std::sync::Arc::new(SystemClock),
        std::sync::Arc::new(app::accounts::rate_limit::RateLimits::new()),
    );
    let result = crate::demo::reset(&state, seed).await;
    db.close().await;
    result
}

/// `binome mail test ADDRESS [--lang L]`.
///
/// # Errors
/// [`StartupError::Input`] for an invalid address or language (nothing is
/// queued), or the configuration's or database's error.
pub async fn mail_test(address: &str, lang: &str) -> Result<(), StartupError> {
    let lang = Lang::from_code(lang)
        .ok_or_else(|| StartupError::Input(format!("unknown language {lang:?}; use fr or en")))?;
    let (config, db) = open().await?;
    let requested_by = match crate::host_name() {
        Some(host) => format!("binome mail test ({host})"),
        None => "binome mail test".to_owned(),
    };
    let id = admin::queue_test_email(
        &db,
        &config.public_url,
        SystemClock.now(),
        address,
        lang,
        &requested_by,
    )
    .await
    .map_err(admin_error)?;
    say(&format!(
        "queued email {} to {}; a running server sends it through {}",
        id.0,
        address.trim(),
        Transport::describe(&config.mail.transport)
    ));
    db.close().await;
    Ok(())
}

/// `binome outbox list [--state S] [--limit N]`.
///
/// # Errors
/// [`StartupError::Input`] for an unknown state, or the configuration's or
/// database's error.
pub async fn outbox_list(state: Option<&str>, limit: u32) -> Result<(), StartupError> {
    let state = state
        .map(|name| {
            EmailState::parse(name).ok_or_else(|| {
                StartupError::Input(format!(
                    "unknown state {name:?}; use pending, sending, sent or dead"
                ))
            })
        })
        .transpose()?;
    let (_, db) = open().await?;
    let listing = admin::listing(&db, state, limit)
        .await
        .map_err(admin_error)?;
    say(listing.trim_end());
    db.close().await;
    Ok(())
}

/// `binome outbox retry ID… | --all-dead`.
///
/// # Errors
/// The configuration's or database's error.
pub async fn outbox_retry(ids: &[i64], all_dead: bool) -> Result<(), StartupError> {
    let (_, db) = open().await?;
    let ids: Vec<EmailId> = ids.iter().copied().map(EmailId).collect();
    let selection = if all_dead {
        RetrySelection::AllDead
    } else {
        RetrySelection::Ids(&ids)
    };
    let count = admin::retry(&db, selection, SystemClock.now())
        .await
        .map_err(admin_error)?;
    say(&format!("{count} dead email(s) queued again"));
    db.close().await;
    Ok(())
}

/// `binome import schools FILE`: prints progress on stderr, then the
/// counts; on bad rows, prints each with its line number (in French, the
/// platform's default language) and writes nothing.
///
/// # Errors
/// [`StartupError::Input`] when the file cannot be read or has bad rows,
/// or the configuration's or database's error.
pub async fn import_schools(path: &std::path::Path) -> Result<(), StartupError> {
    use app::schools::directory::{self, ImportError};

    let file = std::fs::File::open(path)
        .map_err(|e| StartupError::Input(format!("cannot read {}: {e}", path.display())))?;
    let (_, db) = open().await?;
    let mut progress = |done: usize, total: usize| {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "… {done}/{total}");
    };
    let result = directory::import(
        &db,
        std::io::BufReader::new(file),
        SystemClock.now(),
        &mut progress,
    )
    .await;
    db.close().await;
    match result {
        Ok(report) => {
            say(&format!(
                "{} schools: {} new, {} updated, {} unchanged",
                report.total, report.inserted, report.updated, report.unchanged
            ));
            Ok(())
        }
        Err(ImportError::Rows(errors)) => {
            let mut out = std::io::stdout().lock();
            for error in &errors {
                let _ = writeln!(out, "{}", error.describe(Lang::Fr));
            }
            Err(StartupError::Input(format!(
                "{} bad row(s) in {}; nothing was imported",
                errors.len(),
                path.display()
            )))
        }
        Err(ImportError::Database(e)) => Err(StartupError::Database {
            variable: "DATABASE_URL",
            reason: e.to_string().replace('\n', " "),
        }),
    }
}

/// `binome admin create-admin EMAIL --first-name F --last-name L [--lang L]`:
/// creates an administrator without a password, queues the invitation
/// email, writes the audit log (actor: the command line and its host),
/// and prints the invitation link for an operator without email yet.
///
/// # Errors
/// [`StartupError::Input`] for an invalid address, name or language, or an
/// address that already has an account (nothing is written then); the
/// configuration's or database's error.
pub async fn create_admin(
    email: &str,
    first_name: &str,
    last_name: &str,
    lang: &str,
) -> Result<(), StartupError> {
    use app::accounts::names::parse_name;
    use app::accounts::Role;
    use app::audit::store::AuditActor;
    use app::mail::EmailAddress;

    let lang = Lang::from_code(lang)
        .ok_or_else(|| StartupError::Input(format!("unknown language {lang:?}; use fr or en")))?;
    let address = EmailAddress::parse(email)
        .map_err(|e| StartupError::Input(format!("invalid email address {email:?}: {e}")))?;
    let first = parse_name(first_name)
        .map_err(|e| StartupError::Input(format!("invalid first name: {e:?}")))?;
    let last = parse_name(last_name)
        .map_err(|e| StartupError::Input(format!("invalid last name: {e:?}")))?;
    let (config, db) = open().await?;
    let actor = AuditActor {
        user_id: None,
        label: match crate::host_name() {
            Some(host) => format!("binome admin create-admin ({host})"),
            None => "binome admin create-admin".to_owned(),
        },
    };
    let now = SystemClock.now();
    let database_error = |e: sqlx::Error| StartupError::Database {
        variable: "DATABASE_URL",
        reason: e.to_string().replace('\n', " "),
    };
    let mut tx = db.begin_write().await.map_err(database_error)?;
    let invited = app::coordination::admin::invite(
        &mut tx,
        &config.public_url,
        &actor,
        Role::Administrator,
        (&first, &last),
        &address,
        &[],
        None,
        lang,
        now,
    )
    .await
    .map_err(|e| StartupError::System(format!("the invitation failed: {e}")))?;
    let Some(invited) = invited else {
        // The transaction holds a connection: give it back before closing.
        tx.rollback().await.map_err(database_error)?;
        db.close().await;
        return Err(StartupError::Input(format!(
            "{} already has an account; nothing was created",
            address.as_str()
        )));
    };
    tx.commit().await.map_err(database_error)?;
    db.close().await;
    say(&format!(
        "administrator {} created (id {}); invitation queued, valid 7 days: {}{}",
        address.as_str(),
        invited.user_id,
        config.public_url,
        invited.link_path
    ));
    Ok(())
}

/// `binome admin reset-second-factor EMAIL`: removes the second factor of
/// the coordinator or administrator at EMAIL (lost phone, no recovery code
/// left), ends their login sessions, emails them and writes the audit log
/// (actor: the command line and its host); their next sign-in adds a new
/// one. For administrators, whom no one resets from the web pages. An
/// account without a second factor is left as it is.
///
/// # Errors
/// [`StartupError::Input`] for an invalid address, or one that is not a
/// coordinator's or an administrator's (nothing is written then); the
/// configuration's or database's error.
pub async fn reset_second_factor(email: &str) -> Result<(), StartupError> {
    use app::accounts::users;
    use app::accounts::Role;
    use app::audit::store::AuditActor;
    use app::mail::EmailAddress;

    let address = EmailAddress::parse(email)
        .map_err(|e| StartupError::Input(format!("invalid email address {email:?}: {e}")))?;
    let (config, db) = open().await?;
    let database_error = |e: sqlx::Error| StartupError::Database {
        variable: "DATABASE_URL",
        reason: e.to_string().replace('\n', " "),
    };
    let person = users::find_by_email(&db, &address)
        .await
        .map_err(database_error)?
        .filter(|person| matches!(person.role, Role::Coordinator | Role::Administrator));
    let Some(person) = person else {
        db.close().await;
        return Err(StartupError::Input(format!(
            "{} is not a coordinator's or an administrator's address; nothing was changed",
            address.as_str()
        )));
    };
    let actor = AuditActor {
        user_id: None,
        label: match crate::host_name() {
            Some(host) => format!("binome admin reset-second-factor ({host})"),
            None => "binome admin reset-second-factor".to_owned(),
        },
    };
    let mut tx = db.begin_write().await.map_err(database_error)?;
    let had = app::accounts::second_factor::reset(
        &mut tx,
        &person,
        &actor,
        &config.public_url,
        SystemClock.now(),
    )
    .await
    .map_err(database_error)?;
    tx.commit().await.map_err(database_error)?;
    db.close().await;
    say(&if had {
        format!(
            "second factor of {} removed; signed out everywhere, emailed; the next sign-in adds a new one",
            person.email
        )
    } else {
        format!("{} has no second factor; nothing was changed", person.email)
    });
    Ok(())
}
