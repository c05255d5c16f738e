//! Keeping the index in step with the database: a full load at start-up,
//! then, before each query, the writes since, found by following the audit
//! chain (so the writes of other replicas are seen too).

use std::sync::{Arc, RwLock};

use super::facet_index::FacetIndex;
use crate::store::records::FacetRow;
use crate::store::{audit, records, Store, StoreError};

/// Keeps the index in step with the database.
pub struct FacetService {
    index: Arc<RwLock<FacetIndex>>,
    refresh: tokio::sync::Mutex<()>,
}

/// How many audit entries a refresh follows one by one before it reloads
/// everything instead.
const INCREMENTAL_LIMIT: i64 = 20_000;
/// Rows per page when loading everything.
const LOAD_PAGE: i64 = 20_000;

/// What a refresh read from the database, applied under the write lock.
enum Changes {
    Rows(Vec<FacetRow>, i64, Option<String>),
    Reload(Box<FacetIndex>),
}

impl FacetService {
    /// Loads the whole index from the store (blocking; at start-up).
    pub fn load(store: &Store) -> Result<FacetService, StoreError> {
        let index = store.read_blocking(load_all)?;
        tracing::info!(
            systems = index.systems.len(),
            deployments = index.deployments.len(),
            seq = index.seq,
            "facet index loaded"
        );
        Ok(FacetService {
            index: Arc::new(RwLock::new(index)),
            refresh: tokio::sync::Mutex::new(()),
        })
    }

    fn seq(&self) -> i64 {
        self.index
            .read()
            .map_or_else(|e| e.into_inner().seq, |i| i.seq)
    }

    /// Brings the index up to the latest write in the database. Rows are
    /// read without holding the index; the write lock is held only while
    /// they are applied.
    async fn catch_up(&self, store: &Store) -> Result<(), StoreError> {
        let (head, _) = store.read(audit::latest).await?;
        if self.seq() >= head {
            return Ok(());
        }
        let _guard = self.refresh.lock().await;
        let from = self.seq();
        if from >= head {
            return Ok(());
        }
        let changes = store.read(move |conn| changes_after(conn, from)).await?;
        let index = self.index.clone();
        actix_web::rt::task::spawn_blocking(move || {
            let mut index = index.write().unwrap_or_else(|e| e.into_inner());
            match changes {
                Changes::Rows(rows, seq, at) => {
                    index.apply(&rows);
                    index.seq = seq;
                    index.data_timestamp = at;
                }
                Changes::Reload(fresh) => *index = *fresh,
            }
        })
        .await
        .map_err(|e| StoreError::Internal(format!("facet refresh failed: {e}")))
    }

    /// Runs `f` over the index as of the latest write, on a blocking thread
    /// (a scan over a million records is CPU work, not for the async workers).
    pub async fn query<T, F>(&self, store: &Store, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&FacetIndex) -> T + Send + 'static,
        T: Send + 'static,
    {
        self.catch_up(store).await?;
        let index = self.index.clone();
        let span = tracing::Span::current();
        actix_web::rt::task::spawn_blocking(move || {
            let _entered = span.enter();
            let guard = index.read().unwrap_or_else(|e| e.into_inner());
            f(&guard)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("facet query failed: {e}")))
    }
}

fn load_all(conn: &mut crate::store::DbConnection) -> Result<FacetIndex, StoreError> {
    let (seq, _) = audit::latest(conn)?;
    let at = audit::last_record_write(conn)?;
    let mut index = FacetIndex::default();
    let mut after = 0;
    loop {
        let rows = records::facet_rows_after(conn, after, LOAD_PAGE)?;
        let Some(last) = rows.last() else { break };
        after = last.row_key;
        index.apply(&rows);
    }
    index.seq = seq;
    index.data_timestamp = at;
    Ok(index)
}

fn changes_after(conn: &mut crate::store::DbConnection, from: i64) -> Result<Changes, StoreError> {
    // The head first: rows read after it may be newer, which is harmless
    // (applying a row twice is idempotent); never older.
    let (seq, _) = audit::latest(conn)?;
    let at = audit::last_record_write(conn)?;
    match audit::records_written_after(conn, from, INCREMENTAL_LIMIT)? {
        Some(ids) => {
            let mut rows = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                rows.extend(records::facet_rows(conn, chunk)?);
            }
            Ok(Changes::Rows(rows, seq, at))
        }
        None => Ok(Changes::Reload(Box::new(load_all(conn)?))),
    }
}
