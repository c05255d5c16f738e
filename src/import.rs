//! Bulk registration from NDJSON (`ai-registry import`): one registration
//! document per line, each checked and classified exactly as
//! `POST /v1/systems` or `POST /v1/deployments` would, stored in batches.
//!
//! A refused line is reported (line number, JSON pointer, message) and the
//! import goes on with the next; each stored line is its own savepoint, so
//! a duplicate in a batch does not take its neighbours down. A dry run does
//! every check, duplicates included, and writes nothing.

use std::collections::HashSet;
use std::io::BufRead;

use diesel::Connection;
use serde_json::Value;

use crate::api::auth::Caller;
use crate::api::deployments::{self, LinkedSystem};
use crate::api::error::{ApiError, DUPLICATE};
use crate::api::records::may_see;
use crate::api::systems;
use crate::domain::{RecordKind, Role};
use crate::store::records::{self, Actor, RecordWrite};
use crate::store::{Store, StoreError};
use crate::validate::Schemas;

/// Lines stored per transaction.
const BATCH: usize = 500;

/// The audit role of records written by an import, so that the chain tells
/// them from registrations made over the API.
pub const IMPORT_ROLE: &str = "import";

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

/// A line ready to store.
struct Pending {
    line: u64,
    kind: RecordKind,
    owner: String,
    write: RecordWrite,
}

/// Reads `input` to the end. `report` hears of every refused line as it is
/// found; `progress` gets the bytes read so far. Fails only when the
/// database does.
pub fn import(
    store: &Store,
    schemas: &Schemas,
    input: impl BufRead,
    options: &Options,
    report: &mut dyn FnMut(&LineError),
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome, StoreError> {
    let mut outcome = Outcome::default();
    let mut seen_keys: HashSet<(String, String)> = HashSet::new();
    let mut batch: Vec<Pending> = Vec::with_capacity(BATCH);
    let mut bytes = 0u64;
    let mut refuse = |outcome: &mut Outcome, errors: Vec<LineError>| {
        outcome.refused += 1;
        for e in &errors {
            report(e);
        }
    };
    for (index, line) in input.split(b'\n').enumerate() {
        let line_no = index as u64 + 1;
        let raw = line.map_err(|e| StoreError::Internal(format!("reading the input: {e}")))?;
        bytes += raw.len() as u64 + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        outcome.lines += 1;
        match check(store, schemas, options, line_no, &raw, &mut seen_keys) {
            Ok(pending) => batch.push(pending),
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

/// Checks and classifies one line: the pending write, or every problem.
fn check(
    store: &Store,
    schemas: &Schemas,
    options: &Options,
    line: u64,
    raw: &[u8],
    seen_keys: &mut HashSet<(String, String)>,
) -> Result<Pending, Vec<LineError>> {
    let at = |pointer: &str, message: String| LineError {
        line,
        pointer: pointer.to_owned(),
        message,
    };
    let doc: Value = serde_json::from_slice(raw)
        .map_err(|e| vec![at("", format!("the line is not a JSON document: {e}"))])?;
    let kind = if deployments::is_deployment(&doc) {
        RecordKind::Deployment
    } else {
        RecordKind::System
    };
    let from_api = |e: ApiError| -> Vec<LineError> {
        match e {
            ApiError::Validation(errors) => errors
                .into_iter()
                .map(|e| at(&e.pointer, e.message))
                .collect(),
            other => vec![at("", other.to_string())],
        }
    };
    let (write, owner) = match kind {
        RecordKind::System => {
            let (write, _) = systems::prepare(schemas, &doc).map_err(from_api)?;
            let owner = owner_of(options, &doc["provider"]["name"]);
            (write, owner)
        }
        RecordKind::Deployment => {
            deployments::validate(schemas, &doc).map_err(from_api)?;
            let owner = owner_of(options, &doc["deployer"]["name"]);
            let linked = linked_system(store, &owner, &doc)
                .map_err(|e| vec![at("", e.to_string())])?
                .map_err(|message| vec![at("/system_id", message)])?;
            let (write, _) = deployments::prepare(&doc, linked.as_ref()).map_err(from_api)?;
            (write, owner)
        }
    };
    // Duplicates within the file are caught here; against the database, a
    // real run learns of them from the insert (the unique key), so only a
    // dry run, which inserts nothing, looks them up.
    if let Some(key) = &write.unique_key {
        let duplicate = !seen_keys.insert((owner.clone(), key.clone()))
            || options.dry_run
                && store
                    .read_blocking({
                        let (owner, key) = (owner.clone(), key.clone());
                        move |conn| records::exists(conn, kind, &owner, &key)
                    })
                    .map_err(|e| vec![at("", e.to_string())])?;
        if duplicate {
            return Err(vec![at("/reference", DUPLICATE.into())]);
        }
    }
    Ok(Pending {
        line,
        kind,
        owner,
        write,
    })
}

fn owner_of(options: &Options, name: &Value) -> String {
    options
        .org
        .clone()
        .unwrap_or_else(|| name.as_str().unwrap_or_default().to_owned())
}

/// The registered system a deployment names by `system_id`, as the API finds
/// it for a deployer of `owner`: `Err` with the message when there is none.
fn linked_system(
    store: &Store,
    owner: &str,
    doc: &Value,
) -> Result<Result<Option<LinkedSystem>, String>, StoreError> {
    let Some(id) = doc["system_id"].as_str() else {
        return Ok(Ok(None));
    };
    let id = uuid::Uuid::parse_str(id).map_or_else(|_| id.to_owned(), |u| u.to_string());
    let caller = Caller::Token {
        role: Role::Deployer,
        org: owner.to_owned(),
    };
    let row = store
        .read_blocking(move |conn| records::find(conn, RecordKind::System, &id))?
        .filter(|row| may_see(&caller, &row.owner_org, &row.section));
    let Some(row) = row else {
        return Ok(Err("no registered system with this id".into()));
    };
    Ok(Ok(Some(LinkedSystem::of(&row)?)))
}

/// Stores a batch, each line in its own savepoint; a line the database
/// refuses (a duplicate that raced this import) is reported and the rest
/// are kept.
fn store_batch(
    store: &Store,
    options: &Options,
    batch: &mut Vec<Pending>,
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
    let results = store.write_blocking(move |conn| {
        let mut results = Vec::with_capacity(pending.len());
        for p in &pending {
            let id = uuid::Uuid::new_v4().to_string();
            let actor = Actor {
                org: &p.owner,
                role: IMPORT_ROLE,
            };
            let stored = conn.transaction(|c| records::insert(c, p.kind, &id, actor, &p.write));
            match stored {
                Ok(_) => results.push((p.line, None)),
                Err(StoreError::Conflict(_)) => results.push((p.line, Some(DUPLICATE))),
                Err(e) => return Err(e),
            }
        }
        Ok(results)
    })?;
    for (line, refused) in results {
        match refused {
            None => outcome.accepted += 1,
            Some(message) => refuse(
                outcome,
                vec![LineError {
                    line,
                    pointer: "/reference".into(),
                    message: message.into(),
                }],
            ),
        }
    }
    Ok(())
}
