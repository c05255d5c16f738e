//! `ai-registry migrate`: run pending migrations and exit.

use std::process::ExitCode;

use super::error::CliError;
use super::shared::connect;

pub fn run(database_url: &str) -> Result<ExitCode, CliError> {
    connect(database_url)?;
    eprintln!("migrations are up to date");
    Ok(ExitCode::SUCCESS)
}
