//! `ai-registry classify`: the classification of one document, offline.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use crate::registration::{classify_document, RegistrationError};

use super::error::CliError;
use super::shared::{schemas, Stdout};

#[derive(clap::Args)]
pub struct Args {
    /// The JSON document; `-` reads standard input.
    file: PathBuf,
}

/// Prints the classification as JSON (exit status 0), or each problem with
/// the document on standard error as `POINTER: message (keyword)` (exit
/// status 2).
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let file = args.file;
    let (text, what) = if file.as_os_str() == "-" {
        (
            std::io::read_to_string(std::io::stdin()).map_err(CliError::Stdin)?,
            "standard input".to_owned(),
        )
    } else {
        let text = std::fs::read_to_string(&file).map_err(|source| CliError::File {
            doing: "read",
            path: file.clone(),
            source,
        })?;
        (text, file.display().to_string())
    };
    let doc: Value =
        serde_json::from_str(&text).map_err(|source| CliError::Json { what, source })?;
    let schemas = schemas()?;
    let classified = classify_document(&schemas, &doc);
    match classified {
        Ok(classification) => {
            let json =
                serde_json::to_string_pretty(&classification).map_err(CliError::Serialize)?;
            Stdout::new().line(json)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(RegistrationError::Invalid(errors)) => {
            for e in errors {
                let pointer = if e.pointer.is_empty() {
                    "/"
                } else {
                    &e.pointer
                };
                eprintln!("{pointer}: {} ({})", e.message, e.keyword);
            }
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(CliError::Classify(e.to_string())),
    }
}
