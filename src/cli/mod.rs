//! The `ai-registry` command line: one module per command, each parsing its
//! own arguments and printing its own result; `shared` holds what they
//! share (the database connection, the schemas, standard output), this
//! module the global options.

mod audit;
mod classify;
mod error;
mod export;
mod generate;
mod health;
mod import;
mod migrate;
mod serve;
mod shared;
mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::CliError;

use crate::config::DEFAULT_DATABASE_URL;
use crate::telemetry::LogFormat;

/// The command line as parsed.
#[derive(Parser)]
#[command(
    name = "ai-registry",
    version,
    about = "Register of high-risk AI systems under the EU AI Act"
)]
pub struct Cli {
    /// `sqlite://PATH` (default) or `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Log format on standard error.
    #[arg(
        long,
        global = true,
        env = "AI_REGISTRY_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (migrations run at start-up).
    Serve(serve::Args),
    /// Run pending migrations and exit.
    Migrate,
    /// Manage API tokens.
    Token(token::Args),
    /// Fill the database with realistic generated registrations (demo data
    /// and benchmarks): systems, then deployments of them.
    Generate(generate::Args),
    /// Check the audit chain.
    Audit(audit::Args),
    /// Write the three exports and their manifest to a directory, as
    /// `GET /v1/exports/…` gives them.
    Export(export::Args),
    /// Register the documents of an NDJSON file, one per line, as the API
    /// would; reports every refused line and goes on with the next.
    #[command(after_long_help = import::FORMAT)]
    Import(import::Args),
    /// Print the classification of a registration or `{"facts": …}` document.
    Classify(classify::Args),
    /// Ask a running service whether it is ready (exit status 0) or not (1),
    /// e.g. for a container health check.
    Health(health::Args),
}

/// Runs the command: its exit status, or why it could not do its work.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let url = cli.database_url.as_str();
    match cli.command {
        Command::Serve(args) => serve::run(args, url),
        Command::Migrate => migrate::run(url),
        Command::Token(args) => token::run(args, url),
        Command::Generate(args) => generate::run(args, url),
        Command::Audit(args) => audit::run(args, url),
        Command::Export(args) => export::run(args, url),
        Command::Import(args) => import::run(args, url),
        Command::Classify(args) => classify::run(args),
        Command::Health(args) => health::run(args),
    }
}
