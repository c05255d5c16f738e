//! Exports for auditors: every version of every system and deployment, and
//! the audit chain, as NDJSON, with a manifest that lets an auditor check
//! that what they pulled is complete and untampered.
//!
//! The same code serves `GET /v1/exports/…` and `ai-registry export`, so the
//! files of the command and the bodies of the API are the same bytes, and
//! the manifest of one verifies the other.
//!
//! Every export is bounded by a head of the audit chain (`until`): the
//! entries up to it never change, so an export as of a given head always
//! gives the same bytes, and the manifest's digests can be checked later.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::domain::RecordKind;
use crate::store::audit;
use crate::store::export::{self as rows, ExportError, Range};
use crate::store::{format_time, DbConnection, StoreError};

/// One of the three exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// Every version of every system.
    Systems,
    /// Every version of every deployment.
    Deployments,
    /// The audit chain.
    Audit,
}

impl Export {
    /// All three, in manifest order.
    pub const ALL: [Export; 3] = [Export::Systems, Export::Deployments, Export::Audit];

    /// The name in the URL (`/v1/exports/{name}`).
    pub fn name(self) -> &'static str {
        match self {
            Export::Systems => "systems",
            Export::Deployments => "deployments",
            Export::Audit => "audit",
        }
    }

    /// Parses a name.
    pub fn parse(name: &str) -> Option<Export> {
        Export::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The file the command writes.
    pub fn file_name(self) -> String {
        format!("{}.ndjson", self.name())
    }

    fn kind(self) -> Option<RecordKind> {
        match self {
            Export::Systems => Some(RecordKind::System),
            Export::Deployments => Some(RecordKind::Deployment),
            Export::Audit => None,
        }
    }
}

/// Where a changes export starts: after an audit sequence number, or at a
/// time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Entries with a larger `seq`.
    Seq(i64),
    /// Entries written at or after this time (stored form).
    Time(String),
}

impl Since {
    /// Parses `since=`: a non-negative integer is an audit sequence number,
    /// anything else must be an RFC 3339 time.
    pub fn parse(text: &str) -> Result<Since, String> {
        if let Ok(seq) = text.parse::<i64>() {
            return if seq >= 0 {
                Ok(Since::Seq(seq))
            } else {
                Err("since must be an audit sequence number (0 or more) or an RFC 3339 time".into())
            };
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| Since::Time(format_time(t.with_timezone(&Utc))))
            .map_err(|_| {
                format!(
                    "since={text:?} is neither an audit sequence number nor an RFC 3339 time \
                     (e.g. 2026-11-01T00:00:00Z)"
                )
            })
    }

    /// The form it was given in, normalised, for the manifest.
    pub fn to_query(&self) -> String {
        match self {
            Since::Seq(seq) => seq.to_string(),
            Since::Time(t) => t.clone(),
        }
    }
}

/// The range of an export: `since` (optional) up to the head `until`.
pub fn range(since: Option<&Since>, until: i64) -> Range {
    match since {
        None => Range {
            after: 0,
            until,
            from_time: None,
        },
        Some(Since::Seq(after)) => Range {
            after: *after,
            until,
            from_time: None,
        },
        Some(Since::Time(t)) => Range {
            after: 0,
            until,
            from_time: Some(t.clone()),
        },
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Lines (versions, or audit entries).
    pub lines: u64,
    /// Lines that are version 1: records registered in the range (0 for
    /// the audit export).
    pub records: u64,
    /// Bytes written.
    pub bytes: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// A writer that counts, and hashes when asked to, what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Option<Sha256>,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(hash) = &mut self.hash {
            hash.update(&buf[..n]);
        }
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Whether an export computes its digest as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    /// For the manifest and the files of `ai-registry export`.
    Sha256,
    /// For a body sent to a client, who checks it against the manifest.
    None,
}

/// Writes one export of `range` to `out` and returns its summary (`sha256`
/// empty without a digest). `out` gets each line in a few small writes:
/// give it a buffer (a `BufWriter`, or a writer that is one). `progress` is
/// called with the number of lines so far, every 1,000 lines and at the
/// end.
pub fn write<W: Write>(
    conn: &mut DbConnection,
    export: Export,
    range: &Range,
    out: W,
    digest: Digest,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, ExportError> {
    let mut out = Hashing {
        inner: out,
        hash: (digest == Digest::Sha256).then(Sha256::new),
        bytes: 0,
    };
    let mut lines = 0u64;
    let mut records = 0u64;
    let mut on_line = |version: i64| {
        lines += 1;
        if export != Export::Audit && version == 1 {
            records += 1;
        }
        if lines.is_multiple_of(1_000) {
            progress(lines);
        }
    };
    match export.kind() {
        Some(kind) => rows::write_versions(conn, kind, range, &mut out, &mut on_line)?,
        None => rows::write_audit(conn, range, &mut out, &mut on_line)?,
    }
    progress(lines);
    out.flush()?;
    Ok(Summary {
        lines,
        records,
        bytes: out.bytes,
        sha256: out
            .hash
            .map(|h| hex::encode(h.finalize()))
            .unwrap_or_default(),
    })
}

/// The head of the chain an export is taken as of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    /// Sequence number of the last entry (0 for an empty chain).
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

/// The head an export is taken as of: the current head, or `until`, which
/// must lie between 0 and it (`Err` says why not).
pub fn head_as_of(
    conn: &mut DbConnection,
    until: Option<i64>,
) -> Result<Result<Head, String>, StoreError> {
    let (seq, hash) = audit::head(conn)?;
    let until = match until {
        None => return Ok(Ok(Head { seq, hash })),
        Some(until) if (0..=seq).contains(&until) => until,
        Some(until) => {
            return Ok(Err(format!(
                "until={until} is not an audit sequence number from 0 to the current head, {seq}"
            )))
        }
    };
    if until == 0 {
        return Ok(Ok(Head {
            seq: 0,
            hash: audit::GENESIS_HASH.to_owned(),
        }));
    }
    let entry = audit::entry(conn, until)?
        .ok_or_else(|| StoreError::Internal(format!("audit entry {until} is missing")))?;
    Ok(Ok(Head {
        seq: entry.seq,
        hash: entry.hash,
    }))
}

/// One export as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestEntry {
    /// `systems`, `deployments` or `audit`.
    pub name: &'static str,
    /// The file `ai-registry export` writes.
    pub file: String,
    /// The request that gives the same bytes.
    pub path: String,
    /// What it holds and its digest.
    #[serde(flatten)]
    pub summary: Summary,
}

/// What an auditor checks an export against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// The head of the audit chain the exports are taken as of.
    pub audit_head: Head,
    /// `since` of the exports, if they hold changes only.
    pub since: Option<String>,
    /// The time of the latest write the exports reflect.
    pub data_timestamp: Option<String>,
    /// The three exports.
    pub exports: Vec<ManifestEntry>,
}

/// The request path of an export as of `head`.
pub fn path(export: Export, since: Option<&Since>, until: i64) -> String {
    match since {
        None => format!("/v1/exports/{}?until={until}", export.name()),
        Some(s) => format!(
            "/v1/exports/{}?since={}&until={until}",
            export.name(),
            percent_encode(&s.to_query())
        ),
    }
}

/// `+` and `:` of a time, escaped for a query string.
fn percent_encode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_else(|_| text.to_owned())
}

/// Builds the manifest as of `head`: runs each export through `sink` (which
/// may keep the bytes, as the command does, or drop them) and lists what
/// each held.
pub fn manifest(
    conn: &mut DbConnection,
    since: Option<&Since>,
    head: Head,
    sink: &mut dyn FnMut(Export) -> io::Result<Box<dyn Write>>,
    progress: &mut dyn FnMut(Export, u64),
) -> Result<Manifest, ExportError> {
    let range = range(since, head.seq);
    let mut exports = Vec::new();
    for export in Export::ALL {
        let out = sink(export)?;
        let summary = write(conn, export, &range, out, Digest::Sha256, &mut |n| {
            progress(export, n)
        })?;
        exports.push(ManifestEntry {
            name: export.name(),
            file: export.file_name(),
            path: path(export, since, head.seq),
            summary,
        });
    }
    let data_timestamp = if head.seq == 0 {
        None
    } else {
        audit::entry(conn, head.seq)?.map(|e| e.at)
    };
    Ok(Manifest {
        audit_head: head,
        since: since.map(Since::to_query),
        data_timestamp,
        exports,
    })
}

/// How many lines an export of `range` will have.
pub fn count(conn: &mut DbConnection, export: Export, range: &Range) -> Result<u64, StoreError> {
    rows::count(conn, export.kind(), range).map(|n| u64::try_from(n).unwrap_or(0))
}
