//! `ai-registry migrate`: run pending migrations and exit.

use std::process::ExitCode;

use super::{connect, CliError};

pub fn run(database_url: &str) -> Result<ExitCode, CliError> {
    connect(database_url)?;
    eprintln!("migrations are up to date");
    Ok(ExitCode::SUCCESS)
}
