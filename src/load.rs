//! Bulk loading of generated registrations (`ai-registry generate`): the same
//! validation, classification and storage as the API, in large transactions.
//!
//! Each generated record goes through the schema and the classifier exactly
//! as a registration over HTTP would; only the transport differs. Records are
//! backdated by [`Generator::registered_at`] so that the overview's months
//! show a realistic spread, and written in batches of [`BATCH`] per
//! transaction so that a million records load in minutes.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::api::deployments::{self, LinkedSystem};
use crate::api::error::ApiError;
use crate::api::systems;
use crate::domain::RecordKind;
use crate::generate::Generator;
use crate::store::records::{self, Actor, RecordWrite};
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
        kind: &'static str,
        /// Its index.
        index: u64,
        /// What was wrong.
        detail: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn refused(kind: &'static str, index: u64, e: ApiError) -> LoadError {
    let detail = match e {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{} {}", e.pointer, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    LoadError::Refused {
        kind,
        index,
        detail,
    }
}

/// One record ready to store.
struct Pending {
    id: String,
    owner: String,
    role: &'static str,
    at: String,
    write: RecordWrite,
}

fn flush(store: &Store, kind: RecordKind, batch: &mut Vec<Pending>) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let records = std::mem::take(batch);
    store.write_blocking(move |conn| {
        for p in &records {
            let actor = Actor {
                org: &p.owner,
                role: p.role,
            };
            records::insert_at(conn, kind, &p.id, actor, &p.write, &p.at)?;
        }
        Ok(())
    })
}

/// Registration times for `n` records, ascending, so that registration
/// order (the row key) and registration time agree.
fn times(gen: &mut Generator, n: u64, end: DateTime<Utc>) -> Vec<String> {
    let mut t: Vec<DateTime<Utc>> = (0..n).map(|i| gen.registered_at(i, n, end)).collect();
    t.sort();
    t.into_iter().map(format_time).collect()
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
    let system_times = times(&mut gen, n_systems, end);
    for (i, at) in (0..n_systems).zip(system_times) {
        let doc = gen.system(i);
        let (write, _) = systems::prepare(schemas, &doc).map_err(|e| refused("system", i, e))?;
        let id = uuid::Uuid::new_v4();
        let owner = doc["provider"]["name"]
            .as_str()
            .unwrap_or("unknown")
            .to_owned();
        systems_made.push((
            id,
            doc.clone(),
            LinkedSystem {
                id: id.to_string(),
                declared_annex_iii: serde_json::from_value(doc["declared_annex_iii"].clone())
                    .unwrap_or_default(),
                trade_name: write.name.clone(),
                provider: owner.clone(),
                public: write.section != "non_public",
            },
        ));
        batch.push(Pending {
            id: id.to_string(),
            owner,
            role: "provider",
            at,
            write,
        });
        if batch.len() == BATCH {
            done += batch.len() as u64;
            flush(store, RecordKind::System, &mut batch)?;
            progress(done);
        }
    }
    done += batch.len() as u64;
    flush(store, RecordKind::System, &mut batch)?;
    progress(done);
    if systems_made.is_empty() {
        return Ok(());
    }

    let deployment_times = times(&mut gen, n_deployments, end);
    for (i, at) in (0..n_deployments).zip(deployment_times) {
        let (system_id, system_doc, linked) =
            &systems_made[(i as usize * 7919) % systems_made.len()];
        let doc = gen.deployment(i, (system_id, system_doc));
        deployments::validate(schemas, &doc).map_err(|e| refused("deployment", i, e))?;
        let linked = doc.get("system_id").map(|_| linked);
        let (write, _) =
            deployments::prepare(&doc, linked).map_err(|e| refused("deployment", i, e))?;
        batch.push(Pending {
            id: uuid::Uuid::new_v4().to_string(),
            owner: write.name.clone(),
            role: "deployer",
            at,
            write,
        });
        if batch.len() == BATCH {
            done += batch.len() as u64;
            flush(store, RecordKind::Deployment, &mut batch)?;
            progress(done);
        }
    }
    done += batch.len() as u64;
    flush(store, RecordKind::Deployment, &mut batch)?;
    progress(done);
    Ok(())
}
