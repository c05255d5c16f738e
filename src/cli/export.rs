//! `ai-registry export`: the three exports and their manifest, written to a
//! directory with a progress bar per export.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::export::{self, Export, Manifest, Since};
use crate::store::export::ExportError;
use crate::store::Store;

use super::error::CliError;
use super::shared::{connect_existing, progress_style};

#[derive(clap::Args)]
pub struct Args {
    /// The directory to write `systems.ndjson`, `deployments.ndjson`,
    /// `audit.ndjson` and `manifest.json` to (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Changes only: after this audit sequence number, or from this
    /// RFC 3339 time.
    #[arg(long)]
    since: Option<String>,
    /// The head of the audit chain to export as of (default: the
    /// current head).
    #[arg(long)]
    until: Option<i64>,
}

pub fn run(args: Args, database_url: &str) -> Result<ExitCode, CliError> {
    let since = args
        .since
        .as_deref()
        .map(Since::parse)
        .transpose()
        .map_err(CliError::Usage)?;
    let store = connect_existing(database_url)?;
    let dir = args.out.as_path();
    std::fs::create_dir_all(dir).map_err(|source| CliError::File {
        doing: "create",
        path: dir.to_owned(),
        source,
    })?;
    let manifest = write_exports(&store, dir, since.as_ref(), args.until)?;
    let mut json = serde_json::to_vec_pretty(&manifest).map_err(CliError::Serialize)?;
    json.push(b'\n');
    let path = dir.join("manifest.json");
    std::fs::write(&path, json).map_err(|source| CliError::File {
        doing: "write",
        path: path.clone(),
        source,
    })?;
    for entry in &manifest.exports {
        eprintln!(
            "{:>12}: {} lines, {} bytes, sha256 {}",
            entry.file, entry.summary.lines, entry.summary.bytes, entry.summary.sha256
        );
    }
    eprintln!(
        "as of audit entry {} ({}); manifest in {}",
        manifest.audit_head.seq,
        manifest
            .data_timestamp
            .as_deref()
            .unwrap_or("empty register"),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the three exports into `dir` from one consistent read, and
/// returns their manifest.
fn write_exports(
    store: &Store,
    dir: &Path,
    since: Option<&Since>,
    until: Option<i64>,
) -> Result<Manifest, CliError> {
    let style = progress_style(
        "{prefix:>12} [{bar:40}] {human_pos}/{human_len} lines, {per_sec}, {eta} left",
    );
    let failed = |e: ExportError| match e {
        ExportError::Store(e) => CliError::database("reading the register", e),
        ExportError::Io(source) => CliError::File {
            doing: "write the exports to",
            path: dir.to_owned(),
            source,
        },
    };
    store
        .read_blocking(|conn| {
            let head = match export::head_as_of(conn, until)? {
                Ok(head) => head,
                Err(why) => return Ok(Err(CliError::Usage(why))),
            };
            let range = export::range(since, head.seq);
            let mut bars = Vec::new();
            for e in Export::ALL {
                let bar = indicatif::ProgressBar::new(export::count(conn, e, &range)?);
                bar.set_style(style.clone());
                bar.set_prefix(e.name());
                bars.push((e, bar));
            }
            let bar_of = |e: Export| bars.iter().find(|(x, _)| *x == e).map(|(_, b)| b);
            let built = export::manifest(
                conn,
                since,
                head,
                &mut |e| {
                    let path = dir.join(e.file_name());
                    let file = std::fs::File::create(&path)?;
                    let buffered = std::io::BufWriter::with_capacity(256 * 1024, file);
                    Ok(Box::new(buffered) as Box<dyn Write>)
                },
                &mut |e, n| {
                    if let Some(bar) = bar_of(e) {
                        bar.set_position(n);
                    }
                },
            );
            for (_, bar) in &bars {
                bar.finish();
            }
            Ok(built.map_err(failed))
        })
        .map_err(|e| CliError::database("reading the register", e))?
}
