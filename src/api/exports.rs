//! `GET /v1/exports/{systems,deployments,audit}` and `/v1/exports/manifest`:
//! complete, streamed, verifiable exports for auditors and authorities.
//!
//! The export runs on a blocking thread over one database cursor, on a
//! connection of its own (at most [`MAX_EXPORTS`] at once, so that slow
//! clients never hold the pooled connections other requests need), and
//! hands the body to the client through a small bounded channel: a slow client
//! slows the cursor down instead of filling memory. Once the first bytes are
//! sent the status is 200 and cannot change; if the database fails half-way
//! the connection is cut, the client sees a short body, and the manifest's
//! digest will not match.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use tokio::sync::{mpsc, Semaphore};

use super::auth::Caller;
use super::error::ApiError;
use crate::access::visibility;
use crate::export::{self, Export, Head, Manifest, Since};
use crate::store::export::ExportError;
use crate::store::Store;

/// The media type of an export.
pub const NDJSON: &str = "application/x-ndjson";
/// The response header naming the head of the audit chain an export is as of.
pub const HEAD_HEADER: &str = "x-audit-head";

/// Chunks in flight between the cursor and the client (each up to 64 KiB).
const CHANNEL_CHUNKS: usize = 8;

/// Exports that may run at once. Each reads over a database connection of
/// its own, paced by its client, so that slow clients never take the
/// connections other requests need; beyond this many, 503.
pub const MAX_EXPORTS: usize = 4;

/// The exports that may still start; one per application.
pub struct ExportSlots(Arc<Semaphore>);

impl Default for ExportSlots {
    fn default() -> Self {
        ExportSlots(Arc::new(Semaphore::new(MAX_EXPORTS)))
    }
}

/// Query parameters of an export and of the manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Changes only: after this audit sequence number, or from this time.
    since: Option<String>,
    /// The head of the chain to export as of (default: the current head).
    until: Option<i64>,
}

impl ExportQuery {
    fn since(&self) -> Result<Option<Since>, ApiError> {
        self.since
            .as_deref()
            .map(Since::parse)
            .transpose()
            .map_err(ApiError::InvalidParameter)
    }
}

/// An export holds every version of every record, the non-public section
/// included: only for those who may see all of it. The route table admits
/// only them; this holds the handler to the same rule.
fn may_export(caller: &Caller) -> Result<(), ApiError> {
    if visibility(caller).sees_non_public() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "exports hold the non-public section: for authorities and auditors".into(),
        ))
    }
}

/// The head an export is taken as of: `until`, or the current head.
async fn resolve_head(store: &Store, until: Option<i64>) -> Result<Head, ApiError> {
    store
        .read(move |conn| export::head_as_of(conn, until))
        .await?
        .map_err(ApiError::InvalidParameter)
}

/// Bytes per chunk of a streamed body.
const CHUNK: usize = 64 * 1024;

/// The write end of a streamed body: lines are gathered into a chunk that
/// is handed over whole, without another copy.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, io::Error>>,
    chunk: Vec<u8>,
}

impl ChannelWriter {
    fn new(tx: mpsc::Sender<Result<Bytes, io::Error>>) -> ChannelWriter {
        ChannelWriter {
            tx,
            chunk: Vec::with_capacity(CHUNK),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(Ok(Bytes::from(full)))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.chunk.extend_from_slice(buf);
        if self.chunk.len() >= CHUNK {
            self.send()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// `GET /v1/exports/{name}`: one export as NDJSON.
pub async fn export(
    caller: Caller,
    slots: web::Data<ExportSlots>,
    name: web::Path<String>,
    query: web::Query<ExportQuery>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    may_export(&caller)?;
    let export = Export::parse(&name).ok_or_else(|| {
        ApiError::NotFound("no such export: systems, deployments, audit or manifest".into())
    })?;
    let since = query.since()?;
    let head = resolve_head(&store, query.until).await?;
    let range = export::range(since.as_ref(), head.seq);
    let permit = slots.0.clone().try_acquire_owned().map_err(|_| {
        ApiError::Unavailable(format!(
            "{MAX_EXPORTS} exports are running; try again when one has finished"
        ))
    })?;
    let (tx, mut rx) = mpsc::channel(CHANNEL_CHUNKS);
    let store = store.get_ref().clone();
    let span = tracing::Span::current();
    actix_web::rt::task::spawn_blocking(move || {
        let _entered = span.enter();
        let _permit = permit;
        let failed = tx.clone();
        let written = store
            .dedicated()
            .map_err(ExportError::from)
            .and_then(|mut conn| {
                export::write(
                    &mut conn,
                    export,
                    &range,
                    ChannelWriter::new(tx),
                    export::Digest::None,
                    &mut |_| {},
                )
            });
        match written {
            Ok(summary) => {
                tracing::info!(
                    export = export.name(),
                    lines = summary.lines,
                    bytes = summary.bytes,
                    "exported"
                );
            }
            Err(ExportError::Io(e)) => {
                tracing::info!(export = export.name(), error = %e, "export stopped by the client");
            }
            Err(e) => {
                tracing::error!(export = export.name(), error = %e, "export failed");
                let _ = failed.blocking_send(Err(io::Error::other(e.to_string())));
            }
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok(HttpResponse::Ok()
        .content_type(NDJSON)
        .insert_header((HEAD_HEADER, head.seq.to_string()))
        .streaming(body))
}

/// The last manifest computed, by `since` and the head's hash (which pins
/// the whole chain, and so the data, whatever the database).
type CachedManifest = ((Option<String>, String), Manifest);
static LAST_MANIFEST: Mutex<Option<CachedManifest>> = Mutex::new(None);

/// `GET /v1/exports/manifest`: counts and digests of the three exports as of
/// one head of the audit chain, with the request that reproduces each.
pub async fn manifest(
    caller: Caller,
    query: web::Query<ExportQuery>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    may_export(&caller)?;
    let since = query.since()?;
    let head = resolve_head(&store, query.until).await?;
    let key = (since.as_ref().map(Since::to_query), head.hash.clone());
    let cached = LAST_MANIFEST
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .filter(|(k, _)| *k == key)
        .map(|(_, m)| m.clone());
    let manifest = match cached {
        Some(m) => m,
        None => {
            let built = store
                .read(move |conn| {
                    Ok(export::manifest(
                        conn,
                        since.as_ref(),
                        head,
                        &mut |_| Ok(Box::new(io::sink())),
                        &mut |_, _| {},
                    ))
                })
                .await?
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            *LAST_MANIFEST.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, built.clone()));
            built
        }
    };
    Ok(HttpResponse::Ok().json(manifest))
}
