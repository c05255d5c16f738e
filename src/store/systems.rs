//! AI system registrations: the current row, every version, one audit entry
//! per write, all in the caller's transaction.

use diesel::prelude::*;

use super::audit::{self, AuditEvent};
use super::schema::{system_versions, systems};
use super::{DbConnection, StoreError};

/// Everything a write stores about one version; built by the API layer from
/// the validated document and its classification.
#[derive(Debug, Clone)]
pub struct SystemWrite {
    /// `annex_viii_a` or `annex_viii_b`.
    pub registration_type: String,
    /// Annex VIII A.4 / B.4.
    pub trade_name: String,
    /// Annex VIII A.4 / B.4.
    pub reference: String,
    /// Annex VIII A.7 / B.8.
    pub status: String,
    /// The document as stored (canonical JSON text).
    pub document: String,
    /// SHA-256 (hex) of `document`.
    pub document_sha256: String,
    /// The classification as JSON text.
    pub classification: String,
    /// The classification's outcome code.
    pub outcome: String,
    /// The classification's registration section code.
    pub section: String,
    /// The rules version that produced the classification.
    pub rules_version: String,
}

/// Who writes, for ownership and the audit chain.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// Organisation of the token.
    pub org: &'a str,
    /// Role of the token.
    pub role: &'a str,
}

/// The current state of a system.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = systems)]
pub struct SystemRow {
    /// Registry id.
    pub id: String,
    /// Organisation that registered it.
    pub owner_org: String,
    /// `annex_viii_a` or `annex_viii_b`.
    pub registration_type: String,
    /// Trade name.
    pub trade_name: String,
    /// Reference.
    pub reference: String,
    /// Lifecycle status.
    pub status: String,
    /// Current version number, from 1.
    pub version: i64,
    /// Current document (JSON text).
    pub document: String,
    /// Current classification (JSON text).
    pub classification: String,
    /// Outcome code of the current classification.
    pub outcome: String,
    /// Registration section of the current classification.
    pub section: String,
    /// Rules version of the current classification.
    pub rules_version: String,
    /// First registration.
    pub created_at: String,
    /// Last write.
    pub updated_at: String,
}

/// One stored version of a system.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = system_versions)]
pub struct SystemVersionRow {
    /// Registry id of the system.
    pub system_id: String,
    /// Version number, from 1.
    pub version: i64,
    /// `create`, `update` or `status`.
    pub action: String,
    /// The reason given for a status change.
    pub reason: Option<String>,
    /// Organisation that wrote this version.
    pub actor_org: String,
    /// The document of this version (JSON text).
    pub document: String,
    /// SHA-256 of `document`.
    pub document_sha256: String,
    /// The classification of this version (JSON text).
    pub classification: String,
    /// The rules version that classified it.
    pub rules_version: String,
    /// When it was written.
    pub recorded_at: String,
}

/// Registers a new system as version 1. A duplicate (same organisation,
/// trade name and reference) is [`StoreError::Conflict`].
pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    actor: Actor<'_>,
    write: &SystemWrite,
) -> Result<SystemRow, StoreError> {
    let now = super::now();
    diesel::insert_into(systems::table)
        .values((
            systems::id.eq(id),
            systems::owner_org.eq(actor.org),
            systems::registration_type.eq(&write.registration_type),
            systems::trade_name.eq(&write.trade_name),
            systems::reference.eq(&write.reference),
            systems::status.eq(&write.status),
            systems::version.eq(1_i64),
            systems::document.eq(&write.document),
            systems::classification.eq(&write.classification),
            systems::outcome.eq(&write.outcome),
            systems::section.eq(&write.section),
            systems::rules_version.eq(&write.rules_version),
            systems::created_at.eq(&now),
            systems::updated_at.eq(&now),
        ))
        .execute(conn)?;
    record_version(conn, id, 1, "create", None, actor, write, &now)?;
    find(conn, id)?.ok_or(StoreError::NotFound)
}

/// Writes a new version of an existing system, provided `expected_version`
/// is still current and `actor` owns it.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: Option<i64>,
    action: &str,
    reason: Option<&str>,
    actor: Actor<'_>,
    write: &SystemWrite,
) -> Result<SystemRow, StoreError> {
    let current = find(conn, id)?.ok_or(StoreError::NotFound)?;
    if current.owner_org != actor.org {
        return Err(StoreError::NotOwner);
    }
    if let Some(expected) = expected_version {
        if expected != current.version {
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
    }
    let next = current.version + 1;
    let now = super::now();
    // The version guard makes a concurrent writer on PostgreSQL, which read
    // the same current version, update nothing and fail as stale.
    let updated = diesel::update(
        systems::table
            .filter(systems::id.eq(id))
            .filter(systems::version.eq(current.version)),
    )
    .set((
        systems::registration_type.eq(&write.registration_type),
        systems::trade_name.eq(&write.trade_name),
        systems::reference.eq(&write.reference),
        systems::status.eq(&write.status),
        systems::version.eq(next),
        systems::document.eq(&write.document),
        systems::classification.eq(&write.classification),
        systems::outcome.eq(&write.outcome),
        systems::section.eq(&write.section),
        systems::rules_version.eq(&write.rules_version),
        systems::updated_at.eq(&now),
    ))
    .execute(conn)?;
    if updated == 0 {
        let current = find(conn, id)?.map_or(current.version, |row| row.version);
        return Err(StoreError::Stale { current });
    }
    record_version(conn, id, next, action, reason, actor, write, &now)?;
    find(conn, id)?.ok_or(StoreError::NotFound)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one row of a version, spelled out"
)]
fn record_version(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    action: &str,
    reason: Option<&str>,
    actor: Actor<'_>,
    write: &SystemWrite,
    now: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(system_versions::table)
        .values((
            system_versions::system_id.eq(id),
            system_versions::version.eq(version),
            system_versions::action.eq(action),
            system_versions::reason.eq(reason),
            system_versions::actor_org.eq(actor.org),
            system_versions::document.eq(&write.document),
            system_versions::document_sha256.eq(&write.document_sha256),
            system_versions::classification.eq(&write.classification),
            system_versions::rules_version.eq(&write.rules_version),
            system_versions::recorded_at.eq(now),
        ))
        .execute(conn)?;
    audit::append(
        conn,
        &AuditEvent {
            actor_org: actor.org,
            role: actor.role,
            action,
            entity: "system",
            entity_id: id,
            version,
            body_sha256: &write.document_sha256,
        },
    )?;
    Ok(())
}

/// The current state of a system, if it exists.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<SystemRow>, StoreError> {
    Ok(systems::table
        .filter(systems::id.eq(id))
        .select(SystemRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every version of a system, oldest first (empty if it does not exist).
pub fn versions(conn: &mut DbConnection, id: &str) -> Result<Vec<SystemVersionRow>, StoreError> {
    Ok(system_versions::table
        .filter(system_versions::system_id.eq(id))
        .order(system_versions::version.asc())
        .select(SystemVersionRow::as_select())
        .load(conn)?)
}

/// One version of a system.
pub fn version(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
) -> Result<Option<SystemVersionRow>, StoreError> {
    Ok(system_versions::table
        .filter(system_versions::system_id.eq(id))
        .filter(system_versions::version.eq(version))
        .select(SystemVersionRow::as_select())
        .first(conn)
        .optional()?)
}
