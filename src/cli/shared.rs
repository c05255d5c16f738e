//! What the commands share: connecting to the database, the schemas, a
//! progress bar style and standard output.

use std::fmt::Display;
use std::io::{self, Write};
use std::path::Path;

use super::error::CliError;
use crate::store::{DatabaseUrl, Store};
use crate::validate::Schemas;

/// Connects, running pending migrations; a SQLite file that does not exist
/// yet is created.
pub(super) fn connect(url: &str) -> Result<Store, CliError> {
    Store::connect(url).map_err(CliError::connect)
}

/// Connects for a command that only reads (or checks): a SQLite file that
/// does not exist is an error, not a new empty register.
pub(super) fn connect_existing(url: &str) -> Result<Store, CliError> {
    if let Ok(DatabaseUrl::Sqlite(path)) = DatabaseUrl::parse(url) {
        if !Path::new(&path).exists() {
            return Err(CliError::NoDatabase { path });
        }
    }
    connect(url)
}

/// The JSON Schemas built into the binary.
pub(super) fn schemas() -> Result<Schemas, CliError> {
    Schemas::load().map_err(CliError::Schemas)
}

/// A progress bar style. The templates are constants that the tests run
/// through; were one ever refused, the default bar still shows progress.
pub(super) fn progress_style(template: &str) -> indicatif::ProgressStyle {
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
pub(super) struct Stdout {
    out: io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    pub(super) fn new() -> Stdout {
        Stdout {
            out: io::stdout().lock(),
            closed: false,
        }
    }

    /// Writes `line` and a newline, and flushes.
    pub(super) fn line(&mut self, line: impl Display) -> Result<(), CliError> {
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
