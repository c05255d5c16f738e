//! The `ai-registry` command line: serve, migrate, tokens, offline classification.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use ai_registry::api::auth::Caller;
use ai_registry::config::{Config, DEFAULT_BIND, DEFAULT_DATABASE_URL};
use ai_registry::domain::Role;
use ai_registry::startup::Application;
use ai_registry::store::{tokens, Store};
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
        Command::Serve { bind } => {
            let config = Config::new(bind, cli.database_url);
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
            let classified = actix_web::rt::System::new().block_on(
                ai_registry::api::classify::classify_document(
                    &schemas,
                    None,
                    &Caller::Public,
                    &doc,
                ),
            );
            match classified {
                Ok(classification) => {
                    println!("{}", serde_json::to_string_pretty(&classification)?);
                    Ok(ExitCode::SUCCESS)
                }
                Err(ai_registry::api::error::ApiError::Validation(errors)) => {
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
