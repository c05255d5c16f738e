//! `ai-registry audit`: the audit chain.

use std::process::ExitCode;

use clap::Subcommand;

use crate::store::audit;

use super::error::CliError;
use super::shared::{connect_existing, Stdout};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Walk the audit chain from the first entry, then check every stored
    /// version against the entry that wrote it; report the first broken link
    /// (exit status 1), or how many entries and versions verified.
    Verify,
}

pub fn run(args: Args, database_url: &str) -> Result<ExitCode, CliError> {
    let Command::Verify = args.command;
    let store = connect_existing(database_url)?;
    let verified = store
        .read_blocking(audit::verify_all)
        .map_err(|e| CliError::database("verifying the audit chain", e))?;
    let mut out = Stdout::new();
    match verified {
        Ok(v) => {
            out.line(format_args!(
                "the audit chain verifies: {} entries, head {} {}; \
                 {} stored versions match their entries",
                v.entries, v.head_seq, v.head_hash, v.versions
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            out.line(format_args!(
                "the audit chain is broken at entry {}: {}",
                broken.seq, broken.reason
            ))?;
            Ok(ExitCode::FAILURE)
        }
    }
}
