//! Why a command failed: each message says once what failed and, where
//! there is something to do about it, what.

use std::io;
use std::path::PathBuf;

use crate::store::StoreError;

/// A command that could not do its work. Printed after `error: ` on
/// standard error, with exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The database could not be reached, opened or brought up to date.
    #[error(
        "{detail}\ncheck --database-url (or DATABASE_URL), and that the database is up and accepts connections"
    )]
    Unreachable {
        /// The backend's own account, on one line.
        detail: String,
    },
    /// A command that only reads was pointed at a SQLite file that is not
    /// there: a mistyped path, not a new empty register.
    #[error(
        "there is no database at {path}; check --database-url, or run `ai-registry migrate` to create an empty one"
    )]
    NoDatabase {
        /// The SQLite file named.
        path: String,
    },
    /// The database answered, but the work failed.
    #[error("{doing}: {source}")]
    Database {
        /// What the command was doing, e.g. `verifying the audit chain`.
        doing: &'static str,
        /// What the store said.
        source: StoreError,
    },
    /// `generate` met a record it was about to write: the database already
    /// holds what this seed generates.
    #[error(
        "the database already holds a registration that seed {seed} generates{written}; \
         run `ai-registry generate` with another --seed, or on an empty database"
    )]
    AlreadyGenerated {
        /// The seed given.
        seed: u64,
        /// What was stored before the duplicate was met (empty when nothing was).
        written: String,
    },
    /// A generated document was refused: a bug in the generator.
    #[error("{0}")]
    Generator(String),
    /// The JSON Schemas built into the binary do not compile: a broken build.
    #[error("the built-in JSON Schemas do not compile: {0}")]
    Schemas(String),
    /// The input of a command could not be read to the end.
    #[error("{0}")]
    Input(String),
    /// An argument the parser could not check, e.g. an empty `--org`.
    #[error("{0}")]
    Usage(String),
    /// A file or directory could not be read or written.
    #[error("cannot {doing} {}: {source}", path.display())]
    File {
        /// `read`, `create`, `write`…
        doing: &'static str,
        /// Which.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Standard input could not be read.
    #[error("cannot read standard input: {0}")]
    Stdin(io::Error),
    /// Standard output failed for another reason than its reader going
    /// away (which is not an error: see [`super::shared::Stdout`]).
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
    /// The input is not JSON.
    #[error("{what} is not a JSON document: {source}")]
    Json {
        /// The file, or `standard input`.
        what: String,
        /// Where and why parsing stopped.
        source: serde_json::Error,
    },
    /// A result could not be written as JSON.
    #[error("cannot write the result as JSON: {0}")]
    Serialize(serde_json::Error),
    /// The document cannot be classified for another reason than its
    /// fields (those are listed one per line, exit status 2).
    #[error("the document cannot be classified: {0}")]
    Classify(String),
    /// `serve` could not bind its address.
    #[error("cannot listen on {bind}: {source}; choose another --bind (or AI_REGISTRY_BIND)")]
    Listen {
        /// The address asked for.
        bind: String,
        /// Why not.
        source: io::Error,
    },
    /// `health`: the service did not say it is ready.
    #[error("the service at {bind} is not healthy: {path}: {why}")]
    Unhealthy {
        /// The address asked.
        bind: String,
        /// The path asked.
        path: String,
        /// What happened instead of a 2xx answer.
        why: String,
    },
    /// The server stopped on an error rather than a signal.
    #[error("the server stopped: {0}")]
    Server(io::Error),
}

impl CliError {
    /// A failure of the database while `doing` something.
    pub fn database(doing: &'static str, source: StoreError) -> CliError {
        CliError::Database { doing, source }
    }

    /// A failure to connect: the backend's message, without the store's
    /// own `database unavailable` prefix.
    pub fn connect(e: StoreError) -> CliError {
        match e {
            StoreError::Unavailable(detail) => CliError::Unreachable {
                detail: one_line(&detail),
            },
            source => CliError::Database {
                doing: "bringing the database up to date",
                source,
            },
        }
    }
}

/// libpq's messages run over several indented lines.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
