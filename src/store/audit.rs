//! The audit chain: every write appends one entry whose `hash` covers the
//! entry and the previous entry's hash, so that removing, reordering or
//! altering any entry breaks every hash after it.

use diesel::connection::DefaultLoadingMode;
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::schema::{audit_log, record_versions};
use super::{DbConnection, StoreError};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a write tells the chain; the chain adds `seq`, `at` and the hashes.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// Organisation of the token that wrote.
    pub actor_org: &'a str,
    /// Role of the token that wrote.
    pub role: &'a str,
    /// `create`, `update`, `status`, …
    pub action: &'a str,
    /// `system`, `deployment`, `token`.
    pub entity: &'a str,
    /// Id of the record written.
    pub entity_id: &'a str,
    /// Version of the record after the write.
    pub version: i64,
    /// SHA-256 (hex) of the stored document of that version.
    pub body_sha256: &'a str,
}

/// One entry of the chain, as stored and exported.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Queryable, Selectable, Insertable,
)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When the write happened.
    pub at: String,
    /// Organisation of the writer.
    pub actor_org: String,
    /// Role of the writer.
    pub role: String,
    /// What was done.
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Id of the record.
    pub entity_id: String,
    /// Version of the record after the write.
    pub version: i64,
    /// SHA-256 of the stored document.
    pub body_sha256: String,
    /// `hash` of the previous entry ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// SHA-256 over `prev_hash` and this entry's fields; see [`AuditEntry::compute_hash`].
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry must carry: SHA-256 of its fields joined by a
    /// newline, in the order of the struct, ending with `prev_hash`.
    /// Fields are plain text with no newline of their own (ids, codes,
    /// RFC 3339 times, hex digests), so the joined form is unambiguous.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.seq.to_string().as_str(),
            &self.at,
            &self.actor_org,
            &self.role,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.version.to_string(),
            &self.body_sha256,
            &self.prev_hash,
        ] {
            h.update(part.as_bytes());
            h.update(b"\n");
        }
        hex::encode(h.finalize())
    }
}

/// Takes the chain's lock until the caller's transaction ends: on
/// PostgreSQL the one row of `audit_lock`, so that writers append one after
/// another; SQLite has a single writer already. Taking it again in the same
/// transaction is free. A write that must read what no other write changes
/// before it commits (the system a new use names) takes it before reading.
pub fn lock_chain(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT id FROM audit_lock WHERE id = 1 FOR UPDATE").execute(pg)?;
    }
    Ok(())
}

/// Appends an entry inside the caller's transaction.
///
/// On PostgreSQL the writer first locks the one row of `audit_lock`, held
/// until commit, so concurrent writers append one after another and never
/// chain to the same predecessor; SQLite has a single writer already.
pub fn append(conn: &mut DbConnection, event: &AuditEvent<'_>) -> Result<AuditEntry, StoreError> {
    lock_chain(conn)?;
    let (last_seq, prev_hash) = head(conn)?;
    let mut entry = AuditEntry {
        seq: last_seq + 1,
        at: super::now(),
        actor_org: event.actor_org.to_owned(),
        role: event.role.to_owned(),
        action: event.action.to_owned(),
        entity: event.entity.to_owned(),
        entity_id: event.entity_id.to_owned(),
        version: event.version,
        body_sha256: event.body_sha256.to_owned(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry.compute_hash();
    diesel::insert_into(audit_log::table)
        .values(&entry)
        .execute(conn)?;
    Ok(entry)
}

/// The head of the chain: the last sequence number and its hash
/// (`0` and [`GENESIS_HASH`] for an empty chain).
pub fn head(conn: &mut DbConnection) -> Result<(i64, String), StoreError> {
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    Ok(last.unwrap_or_else(|| (0, GENESIS_HASH.to_owned())))
}

/// The entry with sequence number `seq`.
pub fn entry(conn: &mut DbConnection, seq: i64) -> Result<Option<AuditEntry>, StoreError> {
    Ok(audit_log::table
        .find(seq)
        .select(AuditEntry::as_select())
        .first(conn)
        .optional()?)
}

/// Entries with `seq > after`, in order, at most `limit`.
pub fn entries_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(audit_log::table
        .filter(audit_log::seq.gt(after))
        .order(audit_log::seq.asc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)?)
}

/// Where a chain stops being valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The first entry that does not verify.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Walks the whole chain in pages and returns the number of entries checked,
/// or the first broken link.
pub fn verify(conn: &mut DbConnection) -> Result<Result<i64, BrokenLink>, StoreError> {
    const PAGE: i64 = 10_000;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut expected_seq = 1;
    loop {
        let page = entries_after(conn, expected_seq - 1, PAGE)?;
        if page.is_empty() {
            break;
        }
        for entry in page {
            let broken = |reason: String| BrokenLink {
                seq: entry.seq,
                reason,
            };
            if entry.seq != expected_seq {
                return Ok(Err(broken(format!(
                    "sequence gap: expected {expected_seq}"
                ))));
            }
            if entry.prev_hash != prev_hash {
                return Ok(Err(broken(
                    "prev_hash does not match the previous entry's hash".into(),
                )));
            }
            if entry.compute_hash() != entry.hash {
                return Ok(Err(broken(
                    "hash does not match the entry's contents".into(),
                )));
            }
            prev_hash = entry.hash;
            expected_seq += 1;
        }
    }
    Ok(Ok(expected_seq - 1))
}

/// The last entry's sequence number and time, or `(0, None)` for an empty chain.
pub fn latest(conn: &mut DbConnection) -> Result<(i64, Option<String>), StoreError> {
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::at))
        .first(conn)
        .optional()?;
    Ok(last.map_or((0, None), |(seq, at)| (seq, Some(at))))
}

/// The time of the last write of a registration (not of a token): the
/// `data_timestamp` of figures counted over registrations.
pub fn last_record_write(conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
    Ok(audit_log::table
        .filter(audit_log::entity.eq_any(["system", "deployment"]))
        .order(audit_log::seq.desc())
        .select(audit_log::at)
        .first(conn)
        .optional()?)
}

/// The ids of the records written by entries with `seq > after`, at most
/// `limit` entries read; `None` when there are more than that.
pub fn records_written_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Option<Vec<String>>, StoreError> {
    let ids: Vec<String> = audit_log::table
        .filter(audit_log::seq.gt(after))
        .filter(audit_log::entity.eq_any(["system", "deployment"]))
        .order(audit_log::seq.asc())
        .limit(limit + 1)
        .select(audit_log::entity_id)
        .load(conn)?;
    if ids.len() as i64 > limit {
        return Ok(None);
    }
    let mut ids = ids;
    ids.sort();
    ids.dedup();
    Ok(Some(ids))
}

/// The join of an audit entry to the version it wrote.
pub type WrittenBy = diesel::dsl::And<
    diesel::dsl::Eq<record_versions::record_id, audit_log::entity_id>,
    diesel::dsl::Eq<record_versions::version, audit_log::version>,
>;

/// `ON` clause: the version an audit entry wrote.
pub fn written_by() -> WrittenBy {
    record_versions::record_id
        .eq(audit_log::entity_id)
        .and(record_versions::version.eq(audit_log::version))
}

/// What [`verify_documents`] reads of each registration entry: its `seq`
/// and `body_sha256`, and the version it wrote (none if it is missing).
type DocumentCheck = (i64, String, Option<String>, Option<String>);

macro_rules! documents_query {
    () => {
        audit_log::table
            .left_join(record_versions::table.on(written_by()))
            .filter(audit_log::entity.eq_any(["system", "deployment"]))
            .order(audit_log::seq.asc())
            .select((
                audit_log::seq,
                audit_log::body_sha256,
                record_versions::document_sha256.nullable(),
                record_versions::document.nullable(),
            ))
    };
}

/// Checks every stored version against the audit chain, in one pass: each
/// registration entry must have its version, and the SHA-256 of that
/// version's document must be its `document_sha256` and the entry's
/// `body_sha256`. Returns how many versions were checked, or the first
/// entry that fails.
pub fn verify_documents(conn: &mut DbConnection) -> Result<Result<i64, BrokenLink>, StoreError> {
    let check = |rows: &mut dyn Iterator<Item = QueryResult<DocumentCheck>>| {
        let mut checked = 0;
        for row in rows {
            let (seq, body_sha256, document_sha256, document) = row?;
            let (Some(document_sha256), Some(document)) = (document_sha256, document) else {
                return Ok(Err(BrokenLink {
                    seq,
                    reason: "the version this entry wrote is missing".into(),
                }));
            };
            let actual = super::sha256_hex(document.as_bytes());
            if actual != document_sha256 || actual != body_sha256 {
                return Ok(Err(BrokenLink {
                    seq,
                    reason: "the stored document does not match the digest in the audit entry"
                        .into(),
                }));
            }
            checked += 1;
        }
        Ok::<_, StoreError>(Ok(checked))
    };
    match conn {
        DbConnection::Sqlite(c) => {
            check(&mut documents_query!().load_iter::<DocumentCheck, DefaultLoadingMode>(c)?)
        }
        DbConnection::Pg(c) => {
            check(&mut documents_query!().load_iter::<DocumentCheck, PgRowByRowLoadingMode>(c)?)
        }
    }
}

/// What a verified register holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Entries in the chain.
    pub entries: i64,
    /// Stored versions checked against their entries.
    pub versions: i64,
    /// The last entry's sequence number.
    pub head_seq: i64,
    /// Its hash.
    pub head_hash: String,
}

/// [`verify`], then [`verify_documents`]: the first broken link of either.
pub fn verify_all(conn: &mut DbConnection) -> Result<Result<Verified, BrokenLink>, StoreError> {
    let entries = match verify(conn)? {
        Ok(entries) => entries,
        Err(broken) => return Ok(Err(broken)),
    };
    let versions = match verify_documents(conn)? {
        Ok(versions) => versions,
        Err(broken) => return Ok(Err(broken)),
    };
    let (head_seq, head_hash) = head(conn)?;
    Ok(Ok(Verified {
        entries,
        versions,
        head_seq,
        head_hash,
    }))
}
