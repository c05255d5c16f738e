//! The `ai-registry` command line: serve, migrate, tokens, offline classification.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use ai_registry::config::{
    Config, DEFAULT_BIND, DEFAULT_DATABASE_URL, DEFAULT_WRITE_BURST, DEFAULT_WRITE_RATE,
};
use ai_registry::domain::Role;
use ai_registry::export::{self, Export, Since};
use ai_registry::import;
use ai_registry::startup::Application;
use ai_registry::store::{audit, tokens, DatabaseUrl, Store};
use ai_registry::telemetry::{self, LogFormat};
use ai_registry::validate::Schemas;

#[derive(Parser)]
#[command(
    name = "ai-registry",
    version,
    about = "Register of high-risk AI systems under the EU AI Act"
)]
struct Cli {
    /// `sqlite://PATH` (default) or `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Log format on standard error.
    #[arg(
        long,
        global = true,
        env = "AI_REGISTRY_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (migrations run at start-up).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "AI_REGISTRY_BIND", default_value = DEFAULT_BIND)]
        bind: String,
        /// Writes per second each token may make on average (429 beyond).
        #[arg(long, env = "AI_REGISTRY_WRITE_RATE", default_value_t = DEFAULT_WRITE_RATE)]
        write_rate: NonZeroU32,
        /// Writes each token may make at once before the rate applies.
        #[arg(long, env = "AI_REGISTRY_WRITE_BURST", default_value_t = DEFAULT_WRITE_BURST)]
        write_burst: NonZeroU32,
    },
    /// Run pending migrations and exit.
    Migrate,
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Fill the database with realistic generated registrations (demo data
    /// and benchmarks): systems, then deployments of them.
    Generate {
        /// How many systems.
        #[arg(long, default_value_t = 2_000)]
        systems: u64,
        /// How many deployments.
        #[arg(long, default_value_t = 20_000)]
        deployments: u64,
        /// Seed: the same seed gives the same documents.
        #[arg(long, default_value_t = 1171)]
        seed: u64,
    },
    /// Check the audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write the three exports and their manifest to a directory, as
    /// `GET /v1/exports/…` gives them.
    Export {
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
    },
    /// Register the documents of an NDJSON file, one per line, as the API
    /// would; reports every refused line and goes on with the next.
    Import {
        /// The file; `-` reads standard input.
        file: PathBuf,
        /// Check every line (schema, rules, duplicates) but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The organisation the records belong to (default: each document's
        /// provider or deployer name).
        #[arg(long)]
        org: Option<String>,
    },
    /// Print the classification of a registration or `{"facts": …}` document.
    Classify {
        /// The JSON document; `-` reads standard input.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token and print it (and nothing else) on standard output.
    Create {
        /// provider, deployer, authority, auditor or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The organisation the token acts for; its records belong to it.
        #[arg(long)]
        org: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the audit chain from the first entry, then check every stored
    /// version against the entry that wrote it; report the first broken link
    /// (exit status 1), or how many entries and versions verified.
    Verify,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {s:?}; one of: {}", all.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve {
            bind,
            write_rate,
            write_burst,
        } => {
            let mut config = Config::new(bind, cli.database_url);
            config.write_rate = write_rate;
            config.write_burst = write_burst;
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&config)?;
                tracing::info!(port = app.port(), backend = ?app.store().backend(), "ai-registry listening");
                app.run().await?;
                tracing::info!("stopped");
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Migrate => {
            Store::connect(&cli.database_url).map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("migrations are up to date");
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            command: TokenCommand::Create { role, org },
        } => {
            let org = org.trim().to_owned();
            anyhow::ensure!(!org.is_empty(), "--org must name an organisation");
            let store = Store::connect(&cli.database_url).map_err(|e| anyhow::anyhow!("{e}"))?;
            let token = store
                .write_blocking(move |conn| tokens::create(conn, role.as_str(), &org))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            systems,
            deployments,
            seed,
        } => {
            let store = Store::connect(&cli.database_url).map_err(|e| anyhow::anyhow!("{e}"))?;
            let schemas = Schemas::load().map_err(|e| anyhow::anyhow!(e))?;
            let bar = indicatif::ProgressBar::new(systems + deployments);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} records, {per_sec}, {eta} left",
                )?
                .progress_chars("=> "),
            );
            let started = std::time::Instant::now();
            ai_registry::load::generate(
                &store,
                &schemas,
                systems,
                deployments,
                seed,
                chrono::Utc::now(),
                |n| bar.set_position(n),
            )?;
            bar.finish();
            eprintln!(
                "generated {systems} systems and {deployments} deployments in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = connect_existing(&cli.database_url)?;
            let verified = store
                .read_blocking(audit::verify_all)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match verified {
                Ok(v) => {
                    println!(
                        "the audit chain verifies: {} entries, head {} {}; \
                         {} stored versions match their entries",
                        v.entries, v.head_seq, v.head_hash, v.versions
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(broken) => {
                    println!(
                        "the audit chain is broken at entry {}: {}",
                        broken.seq, broken.reason
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Export { out, since, until } => {
            let since = since
                .as_deref()
                .map(Since::parse)
                .transpose()
                .map_err(|e| anyhow::anyhow!(e))?;
            let store = connect_existing(&cli.database_url)?;
            write_exports(&store, &out, since.as_ref(), until)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { file, dry_run, org } => {
            let store = if dry_run {
                connect_existing(&cli.database_url)?
            } else {
                Store::connect(&cli.database_url).map_err(|e| anyhow::anyhow!("{e}"))?
            };
            let schemas = Schemas::load().map_err(|e| anyhow::anyhow!(e))?;
            import_file(&store, &schemas, &file, dry_run, org)
        }
        Command::Classify { file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).context("reading standard input")?
            } else {
                std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?
            };
            let doc: serde_json::Value =
                serde_json::from_str(&text).context("the file is not valid JSON")?;
            let schemas = Schemas::load().map_err(|e| anyhow::anyhow!(e))?;
            let classified = ai_registry::registration::classify_document(
                &schemas,
                None,
                &ai_registry::access::Visibility::Public,
                &doc,
            );
            match classified {
                Ok(classification) => {
                    println!("{}", serde_json::to_string_pretty(&classification)?);
                    Ok(ExitCode::SUCCESS)
                }
                Err(ai_registry::registration::RegistrationError::Invalid(errors)) => {
                    for e in errors {
                        eprintln!(
                            "{}: {} ({})",
                            if e.pointer.is_empty() {
                                "/"
                            } else {
                                &e.pointer
                            },
                            e.message,
                            e.keyword
                        );
                    }
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(anyhow::anyhow!("{e}")),
            }
        }
    }
}

/// `ai-registry export`: the three exports and the manifest, with a progress
/// bar per export.
fn write_exports(
    store: &Store,
    dir: &Path,
    since: Option<&Since>,
    until: Option<i64>,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let style = indicatif::ProgressStyle::with_template(
        "{prefix:>12} [{bar:40}] {human_pos}/{human_len} lines, {per_sec}, {eta} left",
    )?
    .progress_chars("=> ");
    let manifest = store
        .read_blocking(|conn| {
            let head = match export::head_as_of(conn, until)? {
                Ok(head) => head,
                Err(why) => return Ok(Err(anyhow::anyhow!(why))),
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
                    Ok(Box::new(buffered) as Box<dyn std::io::Write>)
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
            Ok(built.map_err(anyhow::Error::from))
        })
        .map_err(|e| anyhow::anyhow!("{e}"))??;
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    let path = dir.join("manifest.json");
    std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
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
    Ok(())
}

/// `ai-registry import`: one line per refused line on standard output
/// (`line N: POINTER: message`), a summary on standard error; exit status 1
/// when any line was refused.
fn import_file(
    store: &Store,
    schemas: &Schemas,
    file: &Path,
    dry_run: bool,
    org: Option<String>,
) -> anyhow::Result<ExitCode> {
    let (input, size): (Box<dyn std::io::Read>, Option<u64>) = if file.as_os_str() == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let bar = match size {
        Some(len) => indicatif::ProgressBar::new(len).with_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {binary_bytes}/{binary_total_bytes}, {eta} left",
            )?
            .progress_chars("=> "),
        ),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let options = import::Options { dry_run, org };
    let outcome = import::import(
        store,
        schemas,
        std::io::BufReader::new(input),
        &options,
        &mut |e| {
            let pointer = if e.pointer.is_empty() {
                "/"
            } else {
                &e.pointer
            };
            bar.suspend(|| println!("line {}: {pointer}: {}", e.line, e.message));
        },
        &mut |bytes| bar.set_position(bytes),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    let verb = if dry_run {
        "would be registered"
    } else {
        "registered"
    };
    eprintln!(
        "{} of {} lines {verb}, {} refused{}",
        outcome.accepted,
        outcome.lines,
        outcome.refused,
        if dry_run {
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

/// Connects for a command that only reads (or checks): a SQLite file that
/// does not exist is an error, not a new empty register.
fn connect_existing(url: &str) -> anyhow::Result<Store> {
    if let Ok(DatabaseUrl::Sqlite(path)) = DatabaseUrl::parse(url) {
        anyhow::ensure!(
            Path::new(&path).exists(),
            "there is no database at {path}; check --database-url"
        );
    }
    Store::connect(url).map_err(|e| anyhow::anyhow!("{e}"))
}
