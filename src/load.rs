//! Bulk loading of generated registrations (`ai-registry generate`): the same
//! validation, classification and write path as the API, in large
//! transactions.
//!
//! Each generated record goes through the registration layer exactly as a
//! registration over HTTP would; only the transport differs. Records are
//! backdated by [`Generator::registered_at`] so that the overview's months
//! show a realistic spread, and written in batches of [`BATCH`] per
//! transaction so that a million records load in minutes.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::domain::RecordKind;
use crate::generate::Generator;
use crate::registration::deployment::{self, LinkedSystem};
use crate::registration::write::{self, NewRecord, OnRefusal, Writer};
use crate::registration::{system, RegistrationError};
use crate::store::records::RecordRow;
use crate::store::{format_time, Store, StoreError};
use crate::validate::Schemas;

/// Records per transaction.
pub const BATCH: usize = 1_000;

/// Why a load stopped.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A generated document was refused: a bug in the generator.
    #[error("generated {kind} {index} was refused: {detail}")]
    Refused {
        /// System or deployment.
        kind: RecordKind,
        /// Its index.
        index: u64,
        /// What was wrong.
        detail: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn refused(kind: RecordKind, index: u64, e: RegistrationError) -> LoadError {
    let detail = match e {
        RegistrationError::Invalid(errors) => errors
            .iter()
            .map(|e| format!("{} {}", e.pointer, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        RegistrationError::Store(e) => return LoadError::Store(e),
    };
    LoadError::Refused {
        kind,
        index,
        detail,
    }
}

/// Stores a batch through the registration write path; the stored rows in
/// batch order. Any refusal stops the load: generated documents are valid.
fn flush(store: &Store, batch: &mut Vec<(u64, NewRecord)>) -> Result<Vec<RecordRow>, LoadError> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let (indexes, records): (Vec<u64>, Vec<NewRecord>) = std::mem::take(batch).into_iter().unzip();
    let kind = records[0].prepared.kind;
    store.write_blocking(move |conn| {
        let mut rows = Vec::with_capacity(records.len());
        for (index, result) in
            indexes
                .into_iter()
                .zip(write::insert_all(conn, &records, OnRefusal::AbortBatch))
        {
            match result {
                Ok(row) => rows.push(row),
                // Returning the error rolls the whole batch back.
                Err(e) => return Err(refused(kind, index, e)),
            }
        }
        Ok(rows)
    })
}

impl From<diesel::result::Error> for LoadError {
    fn from(e: diesel::result::Error) -> Self {
        LoadError::Store(e.into())
    }
}

/// Registration times for `n` records, ascending, so that registration
/// order (the row key) and registration time agree.
fn times(gen: &mut Generator, n: u64, end: DateTime<Utc>) -> Vec<String> {
    let mut t: Vec<DateTime<Utc>> = (0..n).map(|i| gen.registered_at(i, n, end)).collect();
    t.sort();
    t.into_iter().map(format_time).collect()
}

/// A generated record, prepared by the registration layer, for the
/// organisation that its document names (see [`crate::registration::party_of`]).
fn new_record(
    prepared: crate::registration::Prepared,
    org: &str,
    at: String,
    role: &'static str,
) -> NewRecord {
    NewRecord {
        at: Some(at),
        ..NewRecord::new(Writer::bulk(org, role), prepared)
    }
}

/// Generates and stores `n_systems` systems and `n_deployments` deployments
/// from `seed`, registered over the months before `end`. `progress` is
/// called after every batch with the number of records stored so far.
pub fn generate(
    store: &Store,
    schemas: &Schemas,
    n_systems: u64,
    n_deployments: u64,
    seed: u64,
    end: DateTime<Utc>,
    mut progress: impl FnMut(u64),
) -> Result<(), LoadError> {
    let mut gen = Generator::new(seed);
    let mut done = 0;
    let mut systems_made: Vec<(uuid::Uuid, Value, LinkedSystem)> =
        Vec::with_capacity(n_systems as usize);
    let mut batch = Vec::with_capacity(BATCH);
    let mut docs = Vec::with_capacity(BATCH);
    let system_times = times(&mut gen, n_systems, end);
    let stored = |batch: &mut Vec<(u64, NewRecord)>,
                  docs: &mut Vec<Value>,
                  made: &mut Vec<(uuid::Uuid, Value, LinkedSystem)>|
     -> Result<(), LoadError> {
        for (row, doc) in flush(store, batch)?.iter().zip(docs.drain(..)) {
            let id = uuid::Uuid::parse_str(&row.id)
                .map_err(|e| StoreError::Internal(format!("a stored id: {e}")))?;
            made.push((id, doc, LinkedSystem::of(row)?));
        }
        Ok(())
    };
    for (i, at) in (0..n_systems).zip(system_times) {
        let doc = gen.system(i);
        let prepared =
            system::prepare(schemas, &doc).map_err(|e| refused(RecordKind::System, i, e))?;
        let org = crate::registration::party_of(&doc).unwrap_or_default();
        batch.push((i, new_record(prepared, org, at, "provider")));
        docs.push(doc);
        if batch.len() == BATCH {
            done += batch.len() as u64;
            stored(&mut batch, &mut docs, &mut systems_made)?;
            progress(done);
        }
    }
    done += batch.len() as u64;
    stored(&mut batch, &mut docs, &mut systems_made)?;
    progress(done);
    if systems_made.is_empty() {
        return Ok(());
    }

    let deployment_times = times(&mut gen, n_deployments, end);
    for (i, at) in (0..n_deployments).zip(deployment_times) {
        let (system_id, system_doc, linked) =
            &systems_made[(i as usize * 7919) % systems_made.len()];
        let doc = gen.deployment(i, (system_id, system_doc));
        let refused_here = |e| refused(RecordKind::Deployment, i, e);
        deployment::validate(schemas, &doc).map_err(refused_here)?;
        let linked = doc.get("system_id").map(|_| linked.clone());
        let org = crate::registration::party_of(&doc)
            .unwrap_or_default()
            .to_owned();
        let prepared = deployment::prepare_valid(doc, linked).map_err(refused_here)?;
        batch.push((i, new_record(prepared, &org, at, "deployer")));
        if batch.len() == BATCH {
            done += batch.len() as u64;
            flush(store, &mut batch)?;
            progress(done);
        }
    }
    done += batch.len() as u64;
    flush(store, &mut batch)?;
    progress(done);
    Ok(())
}
