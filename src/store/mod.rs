//! Storage: the only module that knows SQL.
//!
//! One code path serves SQLite (the embedded default) and PostgreSQL (production)
//! through diesel's `MultiConnection`. Handlers reach the database only through
//! [`Store::read`] and [`Store::write`], which run the blocking work off the
//! async workers:
//!
//! - Reads take a pooled connection on a blocking thread.
//! - Writes on PostgreSQL take a pooled connection and run in one transaction.
//! - Writes on SQLite go to a single writer thread that commits every request
//!   waiting at that moment in one `BEGIN IMMEDIATE` transaction, each request
//!   in its own savepoint (a group commit). SQLite allows one writer anyway;
//!   with `synchronous=FULL` this way an acknowledged write is durable at the
//!   cost of one WAL sync per batch instead of one per request.

pub mod audit;
mod codes;
mod connection;
pub mod export;
pub mod records;
pub mod schema;
pub mod search;
pub mod tokens;

use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tracing::Span;

use connection::Manager;
pub use connection::{Backend, DatabaseUrl, DbConnection, MultiBackend};

/// The SQLite migrations, embedded in the binary.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// The PostgreSQL migrations, embedded in the binary; same names as SQLite's.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The most requests the SQLite writer commits in one transaction.
const MAX_BATCH: usize = 512;

/// Errors of the storage layer; `api::error` maps each to one status code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated (a duplicate registration).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The caller's `If-Match` names another version than the current one.
    #[error("stale version: current is {current}")]
    Stale {
        /// The record's current version.
        current: i64,
    },
    /// The record belongs to another organisation.
    #[error("record belongs to another organisation")]
    NotOwner,
    /// The database cannot be reached or is busy; worth retrying.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a broken database. Logged, never shown.
    #[error("internal storage error: {0}")]
    Internal(String),
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => StoreError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::Conflict(info.message().to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(_, info)
                if info.message().contains("database is locked")
                    || info.message().contains("database is busy") =>
            {
                StoreError::Unavailable(info.message().to_owned())
            }
            other => StoreError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// A write job for the SQLite writer: runs inside the batch transaction and
/// returns the completion to call once the batch has committed (or failed).
type Job = Box<dyn FnOnce(&mut DbConnection) -> Completion + Send>;
type Completion = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    url: DatabaseUrl,
    pool: Pool<Manager>,
    writer: Option<mpsc::Sender<Job>>,
}

impl Store {
    /// Connects, runs pending migrations and, for SQLite, starts the writer.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        let url = DatabaseUrl::parse(url).map_err(StoreError::Unavailable)?;
        let backend = url.backend();
        let manager = Manager::new(url.clone());
        let mut migration_conn = manager.establish().map_err(StoreError::Unavailable)?;
        run_migrations(&mut migration_conn)?;

        let (pool_size, writer) = match backend {
            Backend::Sqlite => {
                let (tx, rx) = mpsc::channel::<Job>();
                thread::Builder::new()
                    .name("sqlite-writer".into())
                    .spawn(move || writer_loop(migration_conn, rx))
                    .map_err(|e| StoreError::Internal(e.to_string()))?;
                (8, Some(tx))
            }
            Backend::Postgres => (16, None),
        };
        let pool = Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Store {
            inner: Arc::new(Inner {
                backend,
                url,
                pool,
                writer,
            }),
        })
    }

    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    fn conn(&self) -> Result<PooledConnection<Manager>, StoreError> {
        Ok(self.inner.pool.get()?)
    }

    /// Runs `f` with a pooled connection on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let store = self.clone();
        let span = Span::current();
        actix_web::rt::task::spawn_blocking(move || {
            let _entered = span.enter();
            store.read_blocking(f)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("blocking task failed: {e}")))?
    }

    /// [`Store::read`] for callers outside the async runtime (the CLI).
    pub fn read_blocking<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError>,
    {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs `f` in a transaction that commits before this returns `Ok`: the
    /// write is durable once acknowledged. On error nothing of `f` is kept.
    /// The error type is the caller's, so that a layer above can refuse a
    /// write with its own errors and still have it rolled back.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: WriteError,
    {
        let span = Span::current();
        match &self.inner.writer {
            Some(writer) => {
                let rx = submit(writer, f, span)?;
                rx.await.map_err(|_| stopped())?
            }
            None => {
                let store = self.clone();
                actix_web::rt::task::spawn_blocking(move || {
                    let _entered = span.enter();
                    store.write_pooled(f)
                })
                .await
                .map_err(|e| StoreError::Internal(format!("blocking task failed: {e}")))?
            }
        }
    }

    /// [`Store::write`] for callers outside the async runtime (the CLI).
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: WriteError,
    {
        match &self.inner.writer {
            Some(writer) => submit(writer, f, Span::current())?
                .blocking_recv()
                .map_err(|_| stopped())?,
            None => self.write_pooled(f),
        }
    }

    fn write_pooled<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: WriteError,
    {
        let mut conn = self.conn()?;
        (*conn).transaction(f)
    }

    /// A connection of its own, outside the pool, for a long read (an
    /// export paced by its client) that must not hold a pooled connection
    /// other requests need.
    pub fn dedicated(&self) -> Result<DbConnection, StoreError> {
        Manager::new(self.inner.url.clone())
            .establish()
            .map_err(StoreError::Unavailable)
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| {
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await
    }
}

/// What a write may fail with: a store error, or the error of a layer
/// above that a store error converts into.
pub trait WriteError: From<StoreError> + From<diesel::result::Error> + Send + 'static {}
impl<E: From<StoreError> + From<diesel::result::Error> + Send + 'static> WriteError for E {}

fn stopped() -> StoreError {
    StoreError::Unavailable("the writer has stopped".into())
}

/// Queues `f` for the SQLite writer; the receiver yields its result after commit.
fn submit<T, E, F>(
    writer: &mpsc::Sender<Job>,
    f: F,
    span: Span,
) -> Result<tokio::sync::oneshot::Receiver<Result<T, E>>, StoreError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: WriteError,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move |conn| {
        let outcome = {
            let _entered = span.enter();
            // A savepoint: a failing request rolls back alone, the batch goes on.
            conn.transaction(f)
        };
        Box::new(move |committed: Result<(), StoreError>| {
            let _ = tx.send(committed.map_err(E::from).and(outcome));
        })
    });
    writer.send(job).map_err(|_| stopped())?;
    Ok(rx)
}

/// The SQLite writer: takes whatever is waiting, commits it as one batch.
fn writer_loop(mut conn: DbConnection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_batch(&mut conn, batch);
    }
}

fn run_batch(conn: &mut DbConnection, batch: Vec<Job>) {
    if let Err(e) = begin_immediate(conn) {
        let err = StoreError::from(e);
        tracing::error!(error = %err, "could not begin a write transaction");
        for job in batch {
            // Run nothing: report the failure to every waiting request.
            drop(job);
        }
        return;
    }
    let completions: Vec<Completion> = batch.into_iter().map(|job| job(conn)).collect();
    let committed = commit(conn).map_err(|e| {
        let err = StoreError::from(e);
        tracing::error!(error = %err, size = completions.len(), "batch commit failed");
        if let Err(rollback) = rollback(conn) {
            tracing::error!(error = %rollback, "rollback after a failed commit failed");
        }
        err
    });
    let size = completions.len();
    for done in completions {
        done(match &committed {
            Ok(()) => Ok(()),
            Err(e) => Err(StoreError::Unavailable(e.to_string())),
        });
    }
    tracing::trace!(size, "write batch committed");
}

/// The SQLite connection the group-commit writer runs on; the writer is
/// only ever started for SQLite, so another backend here is a bug, refused
/// as an error rather than a panic.
fn sqlite(conn: &mut DbConnection) -> QueryResult<&mut SqliteConnection> {
    match conn {
        DbConnection::Sqlite(c) => Ok(c),
        DbConnection::Pg(_) => Err(diesel::result::Error::QueryBuilderError(
            "the group-commit writer only runs on SQLite".into(),
        )),
    }
}

fn begin_immediate(conn: &mut DbConnection) -> QueryResult<()> {
    AnsiTransactionManager::begin_transaction_sql(sqlite(conn)?, "BEGIN IMMEDIATE")
}

fn commit(conn: &mut DbConnection) -> QueryResult<()> {
    AnsiTransactionManager::commit_transaction(sqlite(conn)?)
}

fn rollback(conn: &mut DbConnection) -> QueryResult<()> {
    AnsiTransactionManager::rollback_transaction(sqlite(conn)?)
}

/// Runs the pending migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<(), StoreError> {
    let result = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(drop),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop),
    };
    result.map_err(|e| StoreError::Internal(format!("migration failed: {e}")))
}

/// The current time as stored: RFC 3339 UTC with microseconds, so that the
/// text order of two timestamps is their time order.
pub fn now() -> String {
    format_time(chrono::Utc::now())
}

/// Formats a time the way the store keeps it.
pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses JSON the store wrote (a document, a classification): text that
/// does not parse is a broken database, not bad input.
pub fn parse_json(text: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Internal(format!("stored JSON: {e}")))
}

/// SHA-256 of `bytes`, lower-case hex: the digest of stored documents, of
/// tokens and of the audit chain's bodies.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
