//! The rows of an export, streamed from the database: SQLite steps one
//! statement row by row; PostgreSQL is read a page of the chain at a time
//! ([`PG_PAGE`] audit entries per query, each result whole: libpq's
//! single-row mode costs about three times as much per row). Either way
//! memory stays flat however large the history is.
//!
//! The order is the audit chain's: one line per audit entry, ascending by
//! `seq`. Stored versions and audit entries never change, so the same range
//! gives the same bytes whenever it is read.

use std::io::Write;

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use serde::Serialize;

use super::audit::{self, AuditEntry};
use super::schema::{audit_log, record_versions};
use super::{DbConnection, StoreError};
use crate::domain::RecordKind;

/// The part of the audit chain an export covers: entries with
/// `after < seq <= until`, and, when `from_time` is given, written at or
/// after it (an RFC 3339 time in the stored form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// Exclusive lower bound on `seq` (0 for everything).
    pub after: i64,
    /// Inclusive upper bound on `seq`: the chain head the export is as of.
    pub until: i64,
    /// Earliest write time, inclusive.
    pub from_time: Option<String>,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing failed (for HTTP: the client went away).
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
}

impl From<diesel::result::Error> for ExportError {
    fn from(e: diesel::result::Error) -> Self {
        ExportError::Store(e.into())
    }
}

/// One stored version with what identifies its record.
type VersionTuple = (
    i64,            // audit seq
    String,         // record id
    i64,            // version
    String,         // action
    Option<String>, // reason
    String,         // actor_org
    String,         // section
    String,         // recorded_at
    String,         // rules_version
    String,         // document_sha256
    String,         // document
    String,         // classification
);

/// The JSON of one version line, with the document and classification
/// spliced in as stored: they are compact JSON the registry wrote, and
/// `document_sha256` is the SHA-256 of exactly that text.
fn write_version<W: Write>(out: &mut W, kind: &str, row: &VersionTuple) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Head<'a> {
        seq: i64,
        id: &'a str,
        kind: &'a str,
        version: i64,
        action: &'a str,
        reason: Option<&'a str>,
        actor_org: &'a str,
        section: &'a str,
        recorded_at: &'a str,
        rules_version: &'a str,
        document_sha256: &'a str,
    }
    let head = Head {
        seq: row.0,
        id: &row.1,
        kind,
        version: row.2,
        action: &row.3,
        reason: row.4.as_deref(),
        actor_org: &row.5,
        section: &row.6,
        recorded_at: &row.7,
        rules_version: &row.8,
        document_sha256: &row.9,
    };
    let mut json = serde_json::to_vec(&head).map_err(std::io::Error::other)?;
    json.pop(); // the closing brace: the document and classification follow
    out.write_all(&json)?;
    out.write_all(b",\"document\":")?;
    out.write_all(row.10.as_bytes())?;
    out.write_all(b",\"classification\":")?;
    out.write_all(row.11.as_bytes())?;
    out.write_all(b"}\n")
}

macro_rules! versions_query {
    ($kind:expr, $range:expr) => {{
        let mut query = audit_log::table
            .inner_join(record_versions::table.on(audit::written_by()))
            .filter(audit_log::entity.eq($kind))
            .filter(audit_log::seq.gt($range.after))
            .filter(audit_log::seq.le($range.until))
            .into_boxed();
        if let Some(from) = &$range.from_time {
            query = query.filter(audit_log::at.ge(from.clone()));
        }
        query.order(audit_log::seq.asc()).select((
            audit_log::seq,
            record_versions::record_id,
            record_versions::version,
            record_versions::action,
            record_versions::reason,
            record_versions::actor_org,
            record_versions::section,
            record_versions::recorded_at,
            record_versions::rules_version,
            record_versions::document_sha256,
            record_versions::document,
            record_versions::classification,
        ))
    }};
}

macro_rules! audit_query {
    ($range:expr) => {{
        let mut query = audit_log::table
            .filter(audit_log::seq.gt($range.after))
            .filter(audit_log::seq.le($range.until))
            .into_boxed();
        if let Some(from) = &$range.from_time {
            query = query.filter(audit_log::at.ge(from.clone()));
        }
        query
            .order(audit_log::seq.asc())
            .select(AuditEntry::as_select())
    }};
}

/// Audit entries per PostgreSQL query: a few megabytes of lines at most.
pub const PG_PAGE: i64 = 1_000;

/// `range` cut into consecutive pages of [`PG_PAGE`] sequence numbers.
fn pages(range: &Range) -> impl Iterator<Item = Range> + '_ {
    (range.after..range.until)
        .step_by(PG_PAGE as usize)
        .map(move |after| Range {
            after,
            until: (after + PG_PAGE).min(range.until),
            from_time: range.from_time.clone(),
        })
}

fn drain<T, W: Write>(
    rows: impl Iterator<Item = QueryResult<T>>,
    out: &mut W,
    on_line: &mut dyn FnMut(&T),
    write: &impl Fn(&mut W, &T) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    for row in rows {
        let row = row?;
        write(out, &row)?;
        on_line(&row);
    }
    Ok(())
}

/// Writes every version of the records of `kind` in `range`, one JSON line
/// each. `on_line` sees each version number (1 means a new record).
pub fn write_versions<W: Write>(
    conn: &mut DbConnection,
    kind: RecordKind,
    range: &Range,
    out: &mut W,
    on_line: &mut dyn FnMut(i64),
) -> Result<(), ExportError> {
    let entity = kind.as_str();
    let mut seen = |row: &VersionTuple| on_line(row.2);
    let write = |out: &mut W, row: &VersionTuple| write_version(out, entity, row);
    match conn {
        DbConnection::Sqlite(c) => {
            let rows = versions_query!(entity, range)
                .load_iter::<VersionTuple, _>(c as &mut SqliteConnection)?;
            drain(rows, out, &mut seen, &write)
        }
        DbConnection::Pg(c) => {
            for page in pages(range) {
                let rows = versions_query!(entity, &page).load::<VersionTuple>(c)?;
                drain(rows.into_iter().map(Ok), out, &mut seen, &write)?;
            }
            Ok(())
        }
    }
}

/// Writes the audit entries in `range`, one JSON line each.
pub fn write_audit<W: Write>(
    conn: &mut DbConnection,
    range: &Range,
    out: &mut W,
    on_line: &mut dyn FnMut(i64),
) -> Result<(), ExportError> {
    let mut seen = |entry: &AuditEntry| on_line(entry.seq);
    let write = |out: &mut W, entry: &AuditEntry| {
        serde_json::to_writer(&mut *out, entry).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    };
    match conn {
        DbConnection::Sqlite(c) => {
            let rows =
                audit_query!(range).load_iter::<AuditEntry, _>(c as &mut SqliteConnection)?;
            drain(rows, out, &mut seen, &write)
        }
        DbConnection::Pg(c) => {
            for page in pages(range) {
                let rows = audit_query!(&page).load::<AuditEntry>(c)?;
                drain(rows.into_iter().map(Ok), out, &mut seen, &write)?;
            }
            Ok(())
        }
    }
}

/// How many lines an export of `range` will have (for a progress bar).
pub fn count(
    conn: &mut DbConnection,
    kind: Option<RecordKind>,
    range: &Range,
) -> Result<i64, StoreError> {
    let mut query = audit_log::table
        .filter(audit_log::seq.gt(range.after))
        .filter(audit_log::seq.le(range.until))
        .into_boxed();
    if let Some(kind) = kind {
        query = query.filter(audit_log::entity.eq(kind.as_str()));
    }
    if let Some(from) = &range.from_time {
        query = query.filter(audit_log::at.ge(from.clone()));
    }
    Ok(query.count().get_result(conn)?)
}
