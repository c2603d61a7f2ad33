//! `binome`: the Binôme server.
//!
//! ```text
//! binome [serve]    start the platform (the default)
//! binome --help     this help
//! ```

use std::process::ExitCode;

use server::error::StartupError;

const USAGE: &str = "binome [serve] — start the Binôme platform (configuration: see .env.example)";

fn main() -> ExitCode {
    // cargo-leptos bakes the site's output name into the build; a binary
    // built with plain cargo gets the project's.
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_none() {
        std::env::set_var("LEPTOS_OUTPUT_NAME", "binome");
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => run_server(),
        ["--help"] | ["-h"] | ["help"] => {
            eprintln!("{USAGE}");
            Ok(())
        }
        other => Err(StartupError::Usage(format!(
            "unknown arguments {other:?}; {USAGE}"
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("binome: {error}");
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}

fn run_server() -> Result<(), StartupError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| StartupError::System(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(server::serve())
}
