//! The `ai-registry` binary; the commands live in [`ai_registry::cli`].

use std::process::ExitCode;

use clap::Parser;

use ai_registry::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    ai_registry::telemetry::init(cli.log_format);
    match cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
