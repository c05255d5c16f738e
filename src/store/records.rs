//! Registrations (systems and deployments): the current row, every version
//! and one audit entry per write, all in the caller's transaction.

use diesel::prelude::*;

use super::audit::{self, AuditEvent};
use super::schema::{record_versions, records};
use super::{DbConnection, StoreError};
use crate::classify::{Outcome, Section};
use crate::domain::registration::RegistrationForm;
use crate::domain::{Action, RecordKind, SystemStatus};

/// Everything a write stores about one version; built by the registration
/// layer from the validated document and its classification.
#[derive(Debug, Clone)]
pub struct RecordWrite {
    /// The form it was registered on.
    pub registration_type: RegistrationForm,
    /// Trade name of a system, deployer name of a deployment.
    pub name: String,
    /// What makes a record a duplicate of another of its organisation's: a
    /// digest of trade name and reference for a system, of the document for
    /// an imported use; `None` for a use registered over the API, which is
    /// never a duplicate (the record's own id is stored).
    pub unique_key: Option<String>,
    /// Lifecycle status of a system.
    pub status: Option<SystemStatus>,
    /// The registered system a deployment uses.
    pub system_id: Option<String>,
    /// The document as stored (JSON text).
    pub document: String,
    /// SHA-256 (hex) of `document`.
    pub document_sha256: String,
    /// The classification as JSON text.
    pub classification: String,
    /// The classification's outcome.
    pub outcome: Outcome,
    /// The section of the register the classification puts it in.
    pub section: Section,
    /// The rules version that produced the classification.
    pub rules_version: String,
    /// The facet values the overview counts (JSON object of code lists).
    pub facets: String,
    /// The text full-text search looks in.
    pub search_text: String,
}

/// Who writes, for ownership and the audit chain.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// Organisation of the token.
    pub org: &'a str,
    /// Role of the token.
    pub role: &'a str,
}

/// The current state of a record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = records)]
pub struct RecordRow {
    /// Registry id.
    pub id: String,
    /// System or deployment.
    pub kind: RecordKind,
    /// Audit sequence number of the creation: registration order.
    pub row_key: i64,
    /// Organisation that registered it.
    pub owner_org: String,
    /// Annex VIII section or national extension.
    pub registration_type: RegistrationForm,
    /// Trade name or deployer name.
    pub name: String,
    /// Lifecycle status (systems).
    pub status: Option<SystemStatus>,
    /// The registered system used (deployments).
    pub system_id: Option<String>,
    /// Current version number, from 1.
    pub version: i64,
    /// Current document (JSON text).
    pub document: String,
    /// Current classification (JSON text).
    pub classification: String,
    /// Outcome of the current classification.
    pub outcome: Outcome,
    /// Registration section of the current classification.
    pub section: Section,
    /// Rules version of the current classification.
    pub rules_version: String,
    /// First registration.
    pub created_at: String,
    /// Last write.
    pub updated_at: String,
}

/// One stored version of a record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = record_versions)]
pub struct VersionRow {
    /// Registry id of the record.
    pub record_id: String,
    /// Version number, from 1.
    pub version: i64,
    /// What the version did.
    pub action: Action,
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
    /// The registration section of this version.
    pub section: Section,
    /// When it was written.
    pub recorded_at: String,
}

/// What the overview index needs of a record.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = records)]
pub struct FacetRow {
    /// Registry id.
    pub id: String,
    /// System or deployment.
    pub kind: RecordKind,
    /// Registration order.
    pub row_key: i64,
    /// Owning organisation.
    pub owner_org: String,
    /// Registration section.
    pub section: Section,
    /// First registration.
    pub created_at: String,
    /// Last write.
    pub updated_at: String,
    /// The facet values (JSON object of code lists).
    pub facets: String,
}

/// The deployments that name system `system_id`: id, document and search
/// text.
pub fn documents_using(
    conn: &mut DbConnection,
    system_id: &str,
) -> Result<Vec<(String, String, String)>, StoreError> {
    Ok(records::table
        .filter(records::system_id.eq(system_id))
        .select((records::id, records::document, records::search_text))
        .load(conn)?)
}

/// Replaces the search text of records (a derived column: no new version).
pub fn set_search_texts(
    conn: &mut DbConnection,
    texts: &[(String, String)],
) -> Result<(), StoreError> {
    for (id, text) in texts {
        diesel::update(records::table.find(id))
            .set(records::search_text.eq(text))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether `owner` already has a record of `kind` with `unique_key` (a
/// system with the same trade name and reference).
pub fn exists(
    conn: &mut DbConnection,
    kind: RecordKind,
    owner: &str,
    unique_key: &str,
) -> Result<bool, StoreError> {
    let found: Option<String> = records::table
        .filter(records::kind.eq(kind))
        .filter(records::owner_org.eq(owner))
        .filter(records::unique_key.eq(unique_key))
        .select(records::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Registers a new record as version 1, at the current time.
pub fn insert(
    conn: &mut DbConnection,
    kind: RecordKind,
    id: &str,
    actor: Actor<'_>,
    write: &RecordWrite,
) -> Result<RecordRow, StoreError> {
    insert_at(conn, kind, id, actor, write, &super::now())
}

/// Registers a new record as version 1, registered at `at` (the generator
/// backdates demo data with it). A duplicate system (same organisation,
/// trade name and reference) is [`StoreError::Conflict`].
pub fn insert_at(
    conn: &mut DbConnection,
    kind: RecordKind,
    id: &str,
    actor: Actor<'_>,
    write: &RecordWrite,
    at: &str,
) -> Result<RecordRow, StoreError> {
    // The audit entry first: its sequence number is the record's row key,
    // and taking the chain head first orders concurrent writers.
    let entry = audit::append(
        conn,
        &AuditEvent {
            actor_org: actor.org,
            role: actor.role,
            action: Action::Create.as_str(),
            entity: kind.as_str(),
            entity_id: id,
            version: 1,
            body_sha256: &write.document_sha256,
        },
    )?;
    diesel::insert_into(records::table)
        .values((
            records::id.eq(id),
            records::kind.eq(kind),
            records::row_key.eq(entry.seq),
            records::owner_org.eq(actor.org),
            records::registration_type.eq(&write.registration_type),
            records::name.eq(&write.name),
            records::unique_key.eq(write.unique_key.as_deref().unwrap_or(id)),
            records::status.eq(&write.status),
            records::system_id.eq(&write.system_id),
            records::version.eq(1_i64),
            records::document.eq(&write.document),
            records::classification.eq(&write.classification),
            records::outcome.eq(&write.outcome),
            records::section.eq(&write.section),
            records::rules_version.eq(&write.rules_version),
            records::facets.eq(&write.facets),
            records::search_text.eq(&write.search_text),
            records::created_at.eq(at),
            records::updated_at.eq(at),
        ))
        .execute(conn)?;
    record_version(conn, id, 1, Action::Create, None, actor, write, at)?;
    Ok(RecordRow::written(
        kind, id, entry.seq, actor.org, 1, write, at, at,
    ))
}

/// What an update changes besides the document.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// An update or a status change.
    pub action: Action,
    /// The reason for a status change.
    pub reason: Option<&'a str>,
    /// The version that must still be current.
    pub expected_version: i64,
}

/// Writes a new version of an existing record, provided the expected version
/// is still current and `actor` owns it.
pub fn update(
    conn: &mut DbConnection,
    kind: RecordKind,
    id: &str,
    change: Change<'_>,
    actor: Actor<'_>,
    write: &RecordWrite,
) -> Result<RecordRow, StoreError> {
    let current = find(conn, kind, id)?.ok_or(StoreError::NotFound)?;
    if current.owner_org != actor.org {
        return Err(StoreError::NotOwner);
    }
    if change.expected_version != current.version {
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    let next = current.version + 1;
    let entry = audit::append(
        conn,
        &AuditEvent {
            actor_org: actor.org,
            role: actor.role,
            action: change.action.as_str(),
            entity: kind.as_str(),
            entity_id: id,
            version: next,
            body_sha256: &write.document_sha256,
        },
    )?;
    // The version guard makes a writer that read the same version before
    // another one committed update nothing and fail as stale.
    let updated = diesel::update(
        records::table
            .filter(records::id.eq(id))
            .filter(records::version.eq(current.version)),
    )
    .set((
        records::registration_type.eq(&write.registration_type),
        records::name.eq(&write.name),
        records::unique_key.eq(write.unique_key.as_deref().unwrap_or(id)),
        records::status.eq(&write.status),
        records::system_id.eq(&write.system_id),
        records::version.eq(next),
        records::document.eq(&write.document),
        records::classification.eq(&write.classification),
        records::outcome.eq(&write.outcome),
        records::section.eq(&write.section),
        records::rules_version.eq(&write.rules_version),
        records::facets.eq(&write.facets),
        records::search_text.eq(&write.search_text),
        records::updated_at.eq(&entry.at),
    ))
    .execute(conn)?;
    if updated == 0 {
        let current = find(conn, kind, id)?.map_or(current.version, |row| row.version);
        return Err(StoreError::Stale { current });
    }
    record_version(
        conn,
        id,
        next,
        change.action,
        change.reason,
        actor,
        write,
        &entry.at,
    )?;
    Ok(RecordRow::written(
        kind,
        id,
        current.row_key,
        &current.owner_org,
        next,
        write,
        &current.created_at,
        &entry.at,
    ))
}

impl RecordRow {
    /// The row a write just stored, built from what it wrote rather than
    /// read back: every write runs on the one SQLite writer, where a second
    /// read of a document-sized row per request is time no other write gets.
    #[expect(clippy::too_many_arguments, reason = "the columns a write decides")]
    fn written(
        kind: RecordKind,
        id: &str,
        row_key: i64,
        owner_org: &str,
        version: i64,
        write: &RecordWrite,
        created_at: &str,
        updated_at: &str,
    ) -> RecordRow {
        RecordRow {
            id: id.to_owned(),
            kind,
            row_key,
            owner_org: owner_org.to_owned(),
            registration_type: write.registration_type,
            name: write.name.clone(),
            status: write.status,
            system_id: write.system_id.clone(),
            version,
            document: write.document.clone(),
            classification: write.classification.clone(),
            outcome: write.outcome,
            section: write.section,
            rules_version: write.rules_version.clone(),
            created_at: created_at.to_owned(),
            updated_at: updated_at.to_owned(),
        }
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one row of a version, spelled out"
)]
fn record_version(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    action: Action,
    reason: Option<&str>,
    actor: Actor<'_>,
    write: &RecordWrite,
    at: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(record_versions::table)
        .values((
            record_versions::record_id.eq(id),
            record_versions::version.eq(version),
            record_versions::action.eq(action),
            record_versions::reason.eq(reason),
            record_versions::actor_org.eq(actor.org),
            record_versions::document.eq(&write.document),
            record_versions::document_sha256.eq(&write.document_sha256),
            record_versions::classification.eq(&write.classification),
            record_versions::rules_version.eq(&write.rules_version),
            record_versions::section.eq(&write.section),
            record_versions::recorded_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The current state of a record of `kind`, if it exists.
pub fn find(
    conn: &mut DbConnection,
    kind: RecordKind,
    id: &str,
) -> Result<Option<RecordRow>, StoreError> {
    Ok(records::table
        .filter(records::id.eq(id))
        .filter(records::kind.eq(kind))
        .select(RecordRow::as_select())
        .first(conn)
        .optional()?)
}

/// The current state of the records with these ids, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<RecordRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(records::table
        .filter(records::id.eq_any(ids))
        .select(RecordRow::as_select())
        .load(conn)?)
}

/// Who may see the records `ids`: each one's id, owner and section.
pub fn owners_and_sections(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<Vec<(String, String, Section)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(records::table
        .filter(records::id.eq_any(ids))
        .select((records::id, records::owner_org, records::section))
        .load(conn)?)
}

/// The version, section and owner of a record of `kind`: what a write
/// needs to tell whether a record it read before has changed since, or
/// become one the writer may not see.
pub fn version_of(
    conn: &mut DbConnection,
    kind: RecordKind,
    id: &str,
) -> Result<Option<(i64, Section, String)>, StoreError> {
    Ok(records::table
        .filter(records::id.eq(id))
        .filter(records::kind.eq(kind))
        .select((records::version, records::section, records::owner_org))
        .first(conn)
        .optional()?)
}

/// Every version of a record, oldest first (empty if it does not exist).
pub fn versions(
    conn: &mut DbConnection,
    kind: RecordKind,
    id: &str,
) -> Result<Vec<VersionRow>, StoreError> {
    if find(conn, kind, id)?.is_none() {
        return Ok(Vec::new());
    }
    Ok(record_versions::table
        .filter(record_versions::record_id.eq(id))
        .order(record_versions::version.asc())
        .select(VersionRow::as_select())
        .load(conn)?)
}

/// One version of a record.
pub fn version(
    conn: &mut DbConnection,
    kind: RecordKind,
    id: &str,
    version: i64,
) -> Result<Option<VersionRow>, StoreError> {
    if find(conn, kind, id)?.is_none() {
        return Ok(None);
    }
    Ok(record_versions::table
        .filter(record_versions::record_id.eq(id))
        .filter(record_versions::version.eq(version))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Facet rows with `row_key > after`, in row-key order, at most `limit`:
/// the overview index loads itself in pages with this.
pub fn facet_rows_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<FacetRow>, StoreError> {
    Ok(records::table
        .filter(records::row_key.gt(after))
        .order(records::row_key.asc())
        .limit(limit)
        .select(FacetRow::as_select())
        .load(conn)?)
}

/// Facet rows of the records with these ids.
pub fn facet_rows(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<FacetRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(records::table
        .filter(records::id.eq_any(ids))
        .order(records::row_key.asc())
        .select(FacetRow::as_select())
        .load(conn)?)
}
