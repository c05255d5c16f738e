//! `ai-registry token`: API tokens.

use std::process::ExitCode;

use clap::Subcommand;

use crate::domain::Role;
use crate::store::tokens;

use super::error::CliError;
use super::shared::{connect, Stdout};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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

pub fn run(args: Args, database_url: &str) -> Result<ExitCode, CliError> {
    let Command::Create { role, org } = args.command;
    let org = org.trim().to_owned();
    if org.is_empty() {
        return Err(CliError::Usage("--org must name an organisation".into()));
    }
    let store = connect(database_url)?;
    let token = store
        .write_blocking(move |conn| tokens::create(conn, role.as_str(), &org))
        .map_err(|e| CliError::database("creating the token", e))?;
    Stdout::new().line(token)?;
    Ok(ExitCode::SUCCESS)
}
