//! `ai-registry serve`: the HTTP service.

use std::num::NonZeroU32;
use std::process::ExitCode;

use crate::config::{Config, DEFAULT_BIND, DEFAULT_WRITE_BURST, DEFAULT_WRITE_RATE};
use crate::startup::{Application, StartupError};

use super::error::CliError;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "AI_REGISTRY_BIND", default_value = DEFAULT_BIND)]
    bind: String,
    /// Writes per second each token may make on average (429 beyond).
    #[arg(long, env = "AI_REGISTRY_WRITE_RATE", default_value_t = DEFAULT_WRITE_RATE)]
    write_rate: NonZeroU32,
    /// Writes each token may make at once before the rate applies.
    #[arg(long, env = "AI_REGISTRY_WRITE_BURST", default_value_t = DEFAULT_WRITE_BURST)]
    write_burst: NonZeroU32,
}

pub fn run(args: Args, database_url: &str) -> Result<ExitCode, CliError> {
    let mut config = Config::new(args.bind, database_url);
    config.write_rate = args.write_rate;
    config.write_burst = args.write_burst;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&config).map_err(startup_error)?;
        tracing::info!(port = app.port(), backend = ?app.store().backend(), "ai-registry listening");
        app.run().await.map_err(CliError::Server)?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

fn startup_error(e: StartupError) -> CliError {
    match e {
        StartupError::Database(e) => CliError::connect(e),
        StartupError::Schemas(e) => CliError::Schemas(e),
        StartupError::FacetIndex(e) => CliError::database("loading the facet index", e),
        StartupError::Listen { bind, source } => CliError::Listen { bind, source },
        StartupError::Server(e) => CliError::Server(e),
    }
}
