//! `ai-registry import`: registrations in bulk from an NDJSON file.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::import;

use super::error::CliError;
use super::shared::{connect, connect_existing, progress_style, schemas, Stdout};

/// The input format, shown by `ai-registry import --help` (and in the
/// README's "Import" section).
pub const FORMAT: &str = "\
Input:
  One registration document per line (NDJSON, UTF-8), exactly as the body of
  POST /v1/systems or POST /v1/deployments; blank lines are skipped. The
  line's registration_type tells which: annex_viii_c and national_use are
  deployments, annex_viii_a and annex_viii_b are systems. Each line is
  checked and classified as the API would, and stored in its own savepoint,
  so one bad line never takes its neighbours down.

  The records belong to --org when it is given, otherwise to the
  organisation each document names: provider.name for a system,
  deployer.name for a deployment. A deployment that names its system by
  system_id needs that system registered already and visible to the owner
  (a system's id is assigned when it is stored, so a deployment cannot
  name a system of the same file by id).

  A system is refused as a duplicate when its organisation already has one
  with the same trade name and reference; a deployment, when its
  organisation already imported the same document, so that importing a
  file twice registers nothing twice. --dry-run checks everything,
  duplicates against the database included, writes nothing, and needs an
  existing database.

Output:
  Standard output: one line per problem of a refused line,
    line N: POINTER: message
  (POINTER is the JSON pointer of the field, / for the whole line), and
  nothing else. Standard error: a progress bar and the summary,
    A of L lines registered, R refused

Exit status:
  0  every line was registered (or, with --dry-run, would be)
  1  at least one line was refused (the others are registered), or the
     import could not go on (no such file, the database failed: what was
     stored before the failure is kept), said on standard error
  2  the arguments are wrong";

#[derive(clap::Args)]
pub struct Args {
    /// The file; `-` reads standard input.
    file: PathBuf,
    /// Check every line (schema, rules, duplicates) but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The organisation the records belong to (default: each document's
    /// provider or deployer name).
    #[arg(long)]
    org: Option<String>,
}

pub fn run(args: Args, database_url: &str) -> Result<ExitCode, CliError> {
    let org = match args.org.as_deref().map(str::trim) {
        Some("") => return Err(CliError::Usage("--org must name an organisation".into())),
        given => given.map(str::to_owned),
    };
    let store = if args.dry_run {
        connect_existing(database_url)?
    } else {
        connect(database_url)?
    };
    let schemas = schemas()?;
    let file = args.file;
    let (input, size): (Box<dyn std::io::Read>, Option<u64>) = if file.as_os_str() == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = std::fs::File::open(&file).map_err(|source| CliError::File {
            doing: "open",
            path: file.clone(),
            source,
        })?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let bar = match size {
        Some(len) => indicatif::ProgressBar::new(len).with_style(progress_style(
            "{elapsed_precise} [{bar:40}] {binary_bytes}/{binary_total_bytes}, {eta} left",
        )),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let options = import::Options {
        dry_run: args.dry_run,
        org,
    };
    // The report cannot stop the import; the first failure to write it is
    // kept and returned once the import is done.
    let out = RefCell::new((Stdout::new(), None::<CliError>));
    let outcome = import::import(
        &store,
        &schemas,
        std::io::BufReader::new(input),
        &options,
        &mut |e| {
            let pointer = if e.pointer.is_empty() {
                "/"
            } else {
                &e.pointer
            };
            let (stdout, failed) = &mut *out.borrow_mut();
            if failed.is_none() {
                bar.suspend(|| {
                    if let Err(e) =
                        stdout.line(format_args!("line {}: {pointer}: {}", e.line, e.message))
                    {
                        *failed = Some(e);
                    }
                });
            }
        },
        &mut |bytes| bar.set_position(bytes),
    );
    bar.finish_and_clear();
    let outcome = outcome.map_err(|e| match e {
        import::ImportError::Store(e) => CliError::database("importing", e),
        read @ import::ImportError::Read { .. } => CliError::Input(read.to_string()),
    })?;
    if let (_, Some(failed)) = out.into_inner() {
        return Err(failed);
    }
    let verb = if options.dry_run {
        "would be registered"
    } else {
        "registered"
    };
    eprintln!(
        "{} of {} lines {verb}, {} refused{}",
        outcome.accepted,
        outcome.lines,
        outcome.refused,
        if options.dry_run {
            "; dry run, nothing was written"
        } else {
            ""
        }
    );
    Ok(if outcome.refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
