//! `ai-registry generate`: realistic generated registrations, for demos and
//! benchmarks.

use std::process::ExitCode;
use std::time::Instant;

use crate::load::{self, LoadError};
use crate::store::StoreError;

use super::error::CliError;
use super::shared::{connect, progress_style, schemas};

#[derive(clap::Args)]
pub struct Args {
    /// How many systems.
    #[arg(long, default_value_t = 2_000)]
    systems: u64,
    /// How many deployments.
    #[arg(long, default_value_t = 20_000)]
    deployments: u64,
    /// Seed: the same seed gives the same documents, so a second run with
    /// it on the same database is refused; use another one to add more.
    #[arg(long, default_value_t = 1171)]
    seed: u64,
}

pub fn run(args: Args, database_url: &str) -> Result<ExitCode, CliError> {
    let Args {
        systems,
        deployments,
        seed,
    } = args;
    let store = connect(database_url)?;
    let schemas = schemas()?;
    let bar = indicatif::ProgressBar::new(systems + deployments);
    bar.set_style(progress_style(
        "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} records, {per_sec}, {eta} left",
    ));
    let started = Instant::now();
    let mut stored = 0;
    let loaded = load::generate(
        &store,
        &schemas,
        systems,
        deployments,
        seed,
        chrono::Utc::now(),
        |n| {
            stored = n;
            bar.set_position(n);
        },
    );
    bar.finish_and_clear();
    match loaded {
        Ok(()) => {}
        // The seed's documents carry the same trade names and references
        // every time: a duplicate means this seed ran here before.
        Err(LoadError::Store(StoreError::Conflict(_))) => {
            return Err(CliError::AlreadyGenerated {
                seed,
                written: match stored {
                    0 => String::new(),
                    n => format!(" (the first {n} records of this run were stored)"),
                },
            })
        }
        Err(LoadError::Store(e)) => {
            return Err(CliError::database("storing the generated records", e))
        }
        Err(refused @ LoadError::Refused { .. }) => {
            return Err(CliError::Generator(refused.to_string()))
        }
    }
    eprintln!(
        "generated {systems} systems and {deployments} deployments in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
