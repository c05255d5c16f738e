//! Bulk registration from NDJSON (`ai-registry import`).
//!
//! The input is one registration document per line, exactly as
//! `POST /v1/systems` or `POST /v1/deployments` takes it; its
//! `registration_type` tells which (`annex_viii_a` and `annex_viii_b` are
//! systems, `annex_viii_c` and `national_use` uses). Each line is checked
//! and classified by the same registration layer as the API and stored
//! through the same write path, in batches. Records belong to the
//! organisation given with `--org`, or else to the document's provider (a
//! system) or deployer (a use).
//!
//! A refused line is reported (line number, JSON pointer, message) and the
//! import goes on with the next; each stored line is its own savepoint, so
//! a duplicate in a batch does not take its neighbours down. A system is a
//! duplicate when its organisation already has one with the same trade name
//! and reference; a use, when its organisation already imported the same
//! document, so that importing a file twice registers nothing twice. A dry
//! run does every check, duplicates included, and writes nothing.

use std::collections::HashSet;
use std::io::BufRead;

use serde_json::Value;

use crate::access::Visibility;
use crate::domain::RecordKind;
use crate::registration::write::{self, NewRecord, OnRefusal, Writer};
use crate::registration::{self, deployment, system, Prepared, RegistrationError, DUPLICATE};
use crate::store::records;
use crate::store::{Store, StoreError};

/// Lines stored per transaction.
const BATCH: usize = 500;

/// The audit role of records written by an import, so that the chain tells
/// them from registrations made over the API.
pub const IMPORT_ROLE: &str = "import";

/// What a refused duplicate use is told.
pub const DUPLICATE_USE: &str = "this organisation has registered the same use already";

/// A refused line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the file.
    pub line: u64,
    /// JSON pointer of the bad field in that line's document (`""` for the
    /// whole line).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Non-empty lines read.
    pub lines: u64,
    /// Lines stored (or, in a dry run, that would be).
    pub accepted: u64,
    /// Lines refused.
    pub refused: u64,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check only.
    pub dry_run: bool,
    /// Owner of every record; by default each document's provider or
    /// deployer name.
    pub org: Option<String>,
}

/// Why an import stopped before the end of its input.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input could not be read (line `line` and after are not imported).
    #[error("reading line {line} of the input: {source}")]
    Read {
        /// The line that could not be read.
        line: u64,
        /// Why.
        source: std::io::Error,
    },
    /// The database failed; what was stored before is kept.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads `input` to the end. `report` hears of every refused line as it is
/// found; `progress` gets the bytes read so far. Fails when the input cannot
/// be read or the database fails.
pub fn import(
    store: &Store,
    schemas: &crate::validate::Schemas,
    input: impl BufRead,
    options: &Options,
    report: &mut dyn FnMut(&LineError),
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome, ImportError> {
    let mut outcome = Outcome::default();
    let mut seen_keys: HashSet<(RecordKind, String, String)> = HashSet::new();
    let mut batch: Vec<(u64, NewRecord)> = Vec::with_capacity(BATCH);
    let mut bytes = 0u64;
    let mut refuse = |outcome: &mut Outcome, errors: Vec<LineError>| {
        outcome.refused += 1;
        for e in &errors {
            report(e);
        }
    };
    for (index, line) in input.split(b'\n').enumerate() {
        let line_no = index as u64 + 1;
        let raw = line.map_err(|source| ImportError::Read {
            line: line_no,
            source,
        })?;
        bytes += raw.len() as u64 + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        outcome.lines += 1;
        match check(store, schemas, options, line_no, &raw, &mut seen_keys)? {
            Ok(new) => batch.push((line_no, new)),
            Err(errors) => refuse(&mut outcome, errors),
        }
        if batch.len() == BATCH {
            store_batch(store, options, &mut batch, &mut outcome, &mut refuse)?;
            progress(bytes);
        }
    }
    store_batch(store, options, &mut batch, &mut outcome, &mut refuse)?;
    progress(bytes);
    Ok(outcome)
}

/// The refusal of a line for `e`, or the failure of the database.
fn line_errors(line: u64, e: RegistrationError) -> Result<Vec<LineError>, StoreError> {
    match e {
        RegistrationError::Invalid(errors) => Ok(errors
            .into_iter()
            .map(|e| LineError {
                line,
                pointer: e.pointer,
                message: e.message,
            })
            .collect()),
        RegistrationError::Store(StoreError::Conflict(_)) => Ok(vec![LineError {
            line,
            pointer: "/reference".into(),
            message: DUPLICATE.into(),
        }]),
        RegistrationError::Store(e) => Err(e),
    }
}

/// Checks and classifies one line: the record to store, or every problem.
fn check(
    store: &Store,
    schemas: &crate::validate::Schemas,
    options: &Options,
    line: u64,
    raw: &[u8],
    seen_keys: &mut HashSet<(RecordKind, String, String)>,
) -> Result<Result<NewRecord, Vec<LineError>>, StoreError> {
    let at = |pointer: &str, message: &str| {
        vec![LineError {
            line,
            pointer: pointer.to_owned(),
            message: message.to_owned(),
        }]
    };
    let doc: Value = match serde_json::from_slice(raw) {
        Ok(doc) => doc,
        Err(e) => {
            return Ok(Err(at(
                "",
                &format!("the line is not a JSON document: {e}"),
            )))
        }
    };
    let owner = options
        .org
        .clone()
        .or_else(|| registration::party_of(&doc).map(str::to_owned))
        .unwrap_or_default();
    let kind = registration::kind_of(&doc).unwrap_or(RecordKind::System);
    let prepared: Result<Prepared, RegistrationError> = match kind {
        RecordKind::System => system::prepare(schemas, &doc),
        RecordKind::Deployment => {
            let vis = Visibility::Org(owner.clone());
            store.read_blocking(|conn| Ok(deployment::prepare(schemas, Some(conn), &vis, doc)))?
        }
    };
    let mut prepared = match prepared {
        Ok(prepared) => prepared,
        Err(e) => return line_errors(line, e).map(Err),
    };
    if owner.is_empty() {
        return Ok(Err(at(
            "",
            "no organisation: name the provider or deployer, or give --org",
        )));
    }
    // A use is the same use when its organisation imports the same document
    // again: its digest is its key.
    let (duplicate_pointer, duplicate_message) = match kind {
        RecordKind::System => ("/reference", DUPLICATE),
        RecordKind::Deployment => {
            prepared.write.unique_key = Some(prepared.write.document_sha256.clone());
            ("", DUPLICATE_USE)
        }
    };
    // Duplicates within the file are caught here; against the database, a
    // real run learns of them from the insert (the unique key), so only a
    // dry run, which inserts nothing, looks them up.
    if let Some(key) = &prepared.write.unique_key {
        let duplicate = !seen_keys.insert((kind, owner.clone(), key.clone()))
            || options.dry_run
                && store.read_blocking(|conn| records::exists(conn, kind, &owner, key))?;
        if duplicate {
            return Ok(Err(at(duplicate_pointer, duplicate_message)));
        }
    }
    Ok(Ok(NewRecord::new(
        Writer::bulk(&owner, IMPORT_ROLE),
        prepared,
    )))
}

/// Stores a batch, each line in its own savepoint; a line the database
/// refuses (a duplicate that raced this import, a system that went away) is
/// reported and the rest are kept.
fn store_batch(
    store: &Store,
    options: &Options,
    batch: &mut Vec<(u64, NewRecord)>,
    outcome: &mut Outcome,
    refuse: &mut dyn FnMut(&mut Outcome, Vec<LineError>),
) -> Result<(), StoreError> {
    let pending = std::mem::take(batch);
    if pending.is_empty() {
        return Ok(());
    }
    if options.dry_run {
        outcome.accepted += pending.len() as u64;
        return Ok(());
    }
    let (lines, records): (Vec<u64>, Vec<NewRecord>) = pending.into_iter().unzip();
    let kinds: Vec<RecordKind> = records.iter().map(|r| r.prepared.kind).collect();
    let results = store.write_blocking(move |conn| {
        let mut results = write::insert_all(conn, &records, OnRefusal::SkipRecord);
        // A failure of the database itself ends the import (and rolls the
        // batch back); refusals are reported line by line.
        if let Some(Err(e)) = results.last() {
            if !e.is_refusal() {
                return match results.pop() {
                    Some(Err(RegistrationError::Store(e))) => Err(e),
                    _ => Err(StoreError::Internal(
                        "a failed write without its error".into(),
                    )),
                };
            }
        }
        Ok(results.into_iter().map(Result::err).collect::<Vec<_>>())
    })?;
    for ((line, kind), refused) in lines.into_iter().zip(kinds).zip(results) {
        match refused {
            None => outcome.accepted += 1,
            Some(RegistrationError::Store(StoreError::Conflict(_)))
                if kind == RecordKind::Deployment =>
            {
                refuse(
                    outcome,
                    vec![LineError {
                        line,
                        pointer: String::new(),
                        message: DUPLICATE_USE.into(),
                    }],
                )
            }
            Some(e) => refuse(outcome, line_errors(line, e)?),
        }
    }
    Ok(())
}
