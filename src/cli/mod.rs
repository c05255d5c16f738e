//! The `ai-registry` command line: one module per command, each parsing its
//! own arguments and printing its own result; this module holds what they
//! share (the global options, the database connection, standard output).

mod audit;
mod classify;
mod error;
mod export;
mod generate;
mod health;
mod import;
mod migrate;
mod serve;
mod token;

use std::fmt::Display;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::CliError;

use crate::config::DEFAULT_DATABASE_URL;
use crate::store::{DatabaseUrl, Store};
use crate::telemetry::LogFormat;
use crate::validate::Schemas;

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

/// Connects, running pending migrations; a SQLite file that does not exist
/// yet is created.
fn connect(url: &str) -> Result<Store, CliError> {
    Store::connect(url).map_err(CliError::connect)
}

/// Connects for a command that only reads (or checks): a SQLite file that
/// does not exist is an error, not a new empty register.
fn connect_existing(url: &str) -> Result<Store, CliError> {
    if let Ok(DatabaseUrl::Sqlite(path)) = DatabaseUrl::parse(url) {
        if !Path::new(&path).exists() {
            return Err(CliError::NoDatabase { path });
        }
    }
    connect(url)
}

/// The JSON Schemas built into the binary.
fn schemas() -> Result<Schemas, CliError> {
    Schemas::load().map_err(CliError::Schemas)
}

/// A progress bar style. The templates are constants that the tests run
/// through; were one ever refused, the default bar still shows progress.
fn progress_style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// Standard output for a command's result.
///
/// A reader that goes away early (`ai-registry classify doc.json | head`)
/// is not an error: what it did not read is dropped, the command finishes
/// as it would have, and exits with its own status. Any other failure to
/// write is [`CliError::Stdout`].
struct Stdout {
    out: io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    fn new() -> Stdout {
        Stdout {
            out: io::stdout().lock(),
            closed: false,
        }
    }

    /// Writes `line` and a newline, and flushes.
    fn line(&mut self, line: impl Display) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        match writeln!(self.out, "{line}").and_then(|()| self.out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            written => written.map_err(CliError::Stdout),
        }
    }
}
