//! `binome`: the Binôme server and its administration commands.
//!
//! ```text
//! binome [serve] [--demo]                start the platform (the default);
//!                                        --demo: on the demo's data
//! binome demo reset [--seed N]           wipe the demo and generate it again
//! binome mail test ADDRESS [--lang en]   queue a test email
//! binome outbox list [--state dead]      list the email outbox
//! binome outbox retry ID… | --all-dead   send dead letters again
//! binome import schools FILE.csv         import the school directory
//! binome admin create-admin EMAIL --first-name F --last-name L
//!                                        invite an administrator
//! binome match --input IN.json --output OUT.json
//!                                        match a pool given as JSON (no database)
//! binome --help                          every command and option
//! ```

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::error::StartupError;

/// Binôme: volunteer tutoring for lycée pupils. Configuration comes from
/// the environment and `.env` (see .env.example).
#[derive(Debug, Parser)]
#[command(name = "binome", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the platform and serve until SIGTERM or Ctrl-C (the default).
    Serve {
        /// Serve the demo: load it first into an empty database (the
        /// Occitanie school directory, 2,000 fictional pupils, 600 tutors,
        /// six weeks of history); refuse a database with other data.
        #[arg(long)]
        demo: bool,
    },
    /// The demo's data.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Email commands.
    #[command(subcommand)]
    Mail(MailCommand),
    /// The email outbox: what was sent, what waits, what was given up.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Load reference data into the database.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Accounts of administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Match the pupils and tutors of a JSON file (no database needed).
    ///
    /// Writes the proposals, and why each pupil left out is left out, as
    /// JSON; needs no database and no configuration (see README, "Matching
    /// on the command line"). Exit code 2: invalid input (each error on
    /// stderr as `JSON-pointer: reason`, nothing written); 74: a file
    /// cannot be read or written.
    Match {
        /// The pupils, tutors and parameters.
        #[arg(long, value_name = "FILE.json")]
        input: std::path::PathBuf,
        /// Where to write the proposals (replaced only on success).
        #[arg(long, value_name = "FILE.json")]
        output: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an administrator and email them an invitation to choose a
    /// password (valid 7 days); the link is also printed.
    CreateAdmin {
        /// Their email address.
        email: String,
        /// Their first name.
        #[arg(long)]
        first_name: String,
        /// Their last name.
        #[arg(long)]
        last_name: String,
        /// Language of the invitation: fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Remove the second factor of a coordinator or an administrator who
    /// lost their phone and their recovery codes: their login sessions end,
    /// an email tells them, and their next sign-in adds a new one.
    ResetSecondFactor {
        /// Their email address.
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Wipe the demo's data and generate it again (refused on a database
    /// that holds data other than the demo's).
    Reset {
        /// The generator's seed: the same seed gives the same people.
        #[arg(long, default_value_t = app::demo::DEFAULT_SEED)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Import or update schools from a directory CSV (the ministry's
    /// "Annuaire de l'éducation" columns); all rows or none.
    Schools {
        /// The CSV file.
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// Queue a test email to ADDRESS; a running server delivers it.
    Test {
        /// Where to send it.
        address: String,
        /// Language of the email: fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
enum OutboxCommand {
    /// List emails, newest first, with the count of each state.
    List {
        /// Only emails in this state: pending, sending, sent or dead.
        #[arg(long)]
        state: Option<String>,
        /// At most this many emails.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Send dead letters again: the given ids, or all of them.
    Retry {
        /// Ids of dead emails (see `binome outbox list --state dead`).
        #[arg(required_unless_present = "all_dead")]
        ids: Vec<i64>,
        /// Every dead email.
        #[arg(long, conflicts_with = "ids")]
        all_dead: bool,
    },
}

fn main() -> ExitCode {
    // cargo-leptos bakes the site's output name into the build; a binary
    // built with plain cargo gets the project's.
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_none() {
        std::env::set_var("LEPTOS_OUTPUT_NAME", "binome");
    }

    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version: not an error.
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(64);
        }
    };
    let command = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        // No database, no configuration, no async runtime.
        Command::Match { input, output } => {
            return server::matching_cli::command(&input, &output);
        }
        command => command,
    };
    let result = runtime().and_then(|runtime| {
        runtime.block_on(async {
            match command {
                Command::Match { .. } => unreachable!("handled before the runtime starts"),
                Command::Serve { demo } => server::serve(demo).await,
                Command::Demo(DemoCommand::Reset { seed }) => server::cli::demo_reset(seed).await,
                Command::Mail(MailCommand::Test { address, lang }) => {
                    server::cli::mail_test(&address, &lang).await
                }
                Command::Outbox(OutboxCommand::List { state, limit }) => {
                    server::cli::outbox_list(state.as_deref(), limit).await
                }
                Command::Outbox(OutboxCommand::Retry { ids, all_dead }) => {
                    server::cli::outbox_retry(&ids, all_dead).await
                }
                Command::Import(ImportCommand::Schools { file }) => {
                    server::cli::import_schools(&file).await
                }
                Command::Admin(AdminCommand::CreateAdmin {
                    email,
                    first_name,
                    last_name,
                    lang,
                }) => server::cli::create_admin(&email, &first_name, &last_name, &lang).await,
                Command::Admin(AdminCommand::ResetSecondFactor { email }) => {
                    server::cli::reset_second_factor(&email).await
                }
            }
        })
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("binome: {error}");
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, StartupError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| StartupError::System(format!("cannot start the async runtime: {e}")))
}
