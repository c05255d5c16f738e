//! Storing prepared registrations: the one write path of the registry.
//!
//! A request over HTTP stores one record through [`create`] or [`update`];
//! `import` and `generate` store thousands through [`insert_all`]. Both come
//! down to [`insert`] and [`revise`], which run in the caller's transaction
//! (on SQLite, the group-commit writer's), so what one registration writes
//! (the current row, the version, the audit entry, and for a system the
//! search text of its uses) commits together or not at all.
//!
//! A use names a system it was prepared against, read before the write.
//! Inside the write, after the audit chain's lock (which every write takes,
//! so no other write commits in between), the system is read again: if it
//! changed since, the use is prepared again against the system as it is
//! now; if it has become one the registrant may not see, the use is refused
//! as if the system did not exist. So a use registered while its system
//! moves into the non-public section never keeps that system's names.

use std::borrow::Cow;

use super::deployment::{self, LinkedSystem};
use super::prepared::{Prepared, RegistrationError};
use crate::access::{self, Caller, Visibility};
use crate::domain::{Action, RecordKind};
use crate::store::records::{self as db, Actor, Change, RecordRow, RecordWrite};
use crate::store::{audit, DbConnection, Store, StoreError};

/// Who writes: the organisation that owns (or will own) the record, the role
/// the audit chain records, and what the writer may see.
#[derive(Debug, Clone)]
pub struct Writer {
    /// The owning organisation.
    pub org: String,
    /// The audit role: a token's role, or `import`.
    pub role: &'static str,
    /// What the writer may see (a use may name only a system it sees).
    pub vis: Visibility,
}

impl Writer {
    /// The writer of a request by `caller`.
    pub fn of(caller: &Caller) -> Writer {
        let (org, role) = match caller {
            Caller::Token { role, org } => (org.clone(), role.as_str()),
            Caller::Public => (String::new(), "public"),
        };
        Writer {
            org,
            role,
            vis: access::visibility(caller),
        }
    }

    /// A writer for `org` in a bulk load, with the audit role `role`: it
    /// sees what that organisation's own tokens see.
    pub fn bulk(org: &str, role: &'static str) -> Writer {
        Writer {
            org: org.to_owned(),
            role,
            vis: Visibility::Org(org.to_owned()),
        }
    }

    fn actor(&self) -> Actor<'_> {
        Actor {
            org: &self.org,
            role: self.role,
        }
    }
}

/// A record to register.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// Its registry id.
    pub id: String,
    /// Who registers it.
    pub writer: Writer,
    /// When it is registered; `None` for now. The generator backdates.
    pub at: Option<String>,
    /// The registration.
    pub prepared: Prepared,
}

impl NewRecord {
    /// A record registered now under a fresh id.
    pub fn new(writer: Writer, prepared: Prepared) -> NewRecord {
        NewRecord {
            id: uuid::Uuid::new_v4().to_string(),
            writer,
            at: None,
            prepared,
        }
    }
}

/// The write of `prepared` as it must be stored now: for a use of a system
/// that changed since it was prepared, prepared again. Takes the chain lock.
fn settle<'a>(
    conn: &mut DbConnection,
    vis: &Visibility,
    prepared: &'a Prepared,
) -> Result<Cow<'a, RecordWrite>, RegistrationError> {
    let Some(link) = &prepared.link else {
        return Ok(Cow::Borrowed(&prepared.write));
    };
    audit::lock_chain(conn)?;
    let now = db::version_of(conn, RecordKind::System, &link.system.id)?;
    match now {
        Some((version, _, _)) if version == link.system.version => {
            Ok(Cow::Borrowed(&prepared.write))
        }
        Some((_, section, owner)) if access::may_see_record(vis, section, &owner) => {
            let row = db::find(conn, RecordKind::System, &link.system.id)?
                .ok_or(StoreError::Internal("a system vanished in a write".into()))?;
            let again =
                deployment::prepare_valid(link.document.clone(), Some(LinkedSystem::of(&row)?))?;
            Ok(Cow::Owned(RecordWrite {
                unique_key: prepared.write.unique_key.clone(),
                ..again.write
            }))
        }
        _ => Err(deployment::unknown_system()),
    }
}

/// Stores `new` as version 1, in the caller's transaction.
pub fn insert(conn: &mut DbConnection, new: &NewRecord) -> Result<RecordRow, RegistrationError> {
    let write = settle(conn, &new.writer.vis, &new.prepared)?;
    let at = new.at.clone().unwrap_or_else(crate::store::now);
    Ok(db::insert_at(
        conn,
        new.prepared.kind,
        &new.id,
        new.writer.actor(),
        &write,
        &at,
    )?)
}

/// What a bulk write does with a record that is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnRefusal {
    /// Roll back that record alone and go on (`import`: each record in a
    /// savepoint of its own, its refusal reported in its place).
    SkipRecord,
    /// Stop: the caller rolls the whole batch back (`generate`, whose
    /// documents are never refused; no savepoint per record).
    AbortBatch,
}

/// Stores `batch` in the caller's transaction, each record through
/// [`insert`]; the result of each, in batch order. The results end at the
/// first failure of the database, and with [`OnRefusal::AbortBatch`] at
/// the first refusal too.
pub fn insert_all(
    conn: &mut DbConnection,
    batch: &[NewRecord],
    on_refusal: OnRefusal,
) -> Vec<Result<RecordRow, RegistrationError>> {
    let mut results = Vec::with_capacity(batch.len());
    for new in batch {
        let result = match on_refusal {
            OnRefusal::SkipRecord => diesel::Connection::transaction(conn, |c| insert(c, new)),
            OnRefusal::AbortBatch => insert(conn, new),
        };
        // A failing database ends the batch whatever the policy: the
        // caller rolls it back.
        let stop = match &result {
            Ok(_) => false,
            Err(e) => on_refusal == OnRefusal::AbortBatch || !e.is_refusal(),
        };
        results.push(result);
        if stop {
            break;
        }
    }
    results
}

/// What a new version of an existing record is.
#[derive(Debug, Clone)]
pub struct Revision {
    /// An update of the document or a change of status.
    pub action: Action,
    /// The reason given for a status change.
    pub reason: Option<String>,
}

/// Stores `prepared` as the next version of `current`, in the caller's
/// transaction, provided `current` is still the current version. For a
/// system whose section, trade name or provider changes, the search text
/// of its uses follows.
pub fn revise(
    conn: &mut DbConnection,
    writer: &Writer,
    current: &RecordRow,
    revision: &Revision,
    prepared: &Prepared,
) -> Result<RecordRow, RegistrationError> {
    let write = settle(conn, &writer.vis, prepared)?;
    let change = Change {
        action: revision.action,
        reason: revision.reason.as_deref(),
        expected_version: current.version,
    };
    let row = db::update(
        conn,
        prepared.kind,
        &current.id,
        change,
        writer.actor(),
        &write,
    )?;
    if row.kind == RecordKind::System {
        let (before, after) = (LinkedSystem::of(current)?, LinkedSystem::of(&row)?);
        if before.found_by() != after.found_by() {
            deployment::refresh_uses_of(conn, &after)?;
        }
    }
    Ok(row)
}

/// Registers `new` and answers the stored row once it is durable.
pub async fn create(store: &Store, new: NewRecord) -> Result<RecordRow, RegistrationError> {
    let row = store.write(move |conn| insert(conn, &new)).await?;
    tracing::info!(kind = row.kind.as_str(), id = %row.id, outcome = %row.outcome, "registered");
    Ok(row)
}

/// Stores the next version of `current` and answers it once it is durable.
/// The store checks the version again inside the transaction, so a write
/// that landed since `current` was read makes this one stale, not lost.
pub async fn update(
    store: &Store,
    writer: Writer,
    current: RecordRow,
    revision: Revision,
    prepared: Prepared,
) -> Result<RecordRow, RegistrationError> {
    store
        .write(move |conn| revise(conn, &writer, &current, &revision, &prepared))
        .await
}
