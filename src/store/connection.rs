//! Connections: the backend is chosen from the URL scheme, and each backend's
//! own connection error is reported as it is (diesel's derived
//! `MultiConnection::establish` would try each backend and hide it).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

/// A connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// The embedded default.
    Sqlite(SqliteConnection),
    /// Production.
    Pg(PgConnection),
}

/// The database product behind a [`DbConnection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, a file.
    Sqlite,
    /// PostgreSQL, a server.
    Postgres,
}

/// A parsed `DATABASE_URL`.
#[derive(Debug, Clone)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (or `sqlite:PATH`): a database file.
    Sqlite(String),
    /// `postgres://…` or `postgresql://…`, passed to libpq as it is.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses a URL; the error says what is accepted.
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                format!("unsupported database URL {url:?}: use sqlite://PATH or postgres://…")
            })?;
        if path.is_empty() || path.contains(":memory:") {
            return Err(format!(
                "unsupported SQLite database {url:?}: name a file, e.g. sqlite://ai-registry.db"
            ));
        }
        Ok(DatabaseUrl::Sqlite(path.to_owned()))
    }

    /// The backend this URL selects.
    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Per-connection SQLite settings. WAL lets readers run beside the writer;
/// `synchronous=FULL` syncs the WAL at every commit, so an acknowledged write
/// survives a crash or a power cut.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;";

/// Per-session PostgreSQL settings. Prepared statements are planned for
/// their actual parameters every time: a generic plan made while a table was
/// small (a fresh database, a bulk load) would otherwise stay in a pooled
/// session and scan the table long after it has grown.
const POSTGRES_SETTINGS: &str = "SET plan_cache_mode = force_custom_plan;";

/// An r2d2 connection manager that connects by URL scheme.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    pub(crate) fn new(url: DatabaseUrl) -> Manager {
        Manager { url }
    }

    /// Opens one connection, with the backend's own error text on failure.
    pub fn establish(&self) -> Result<DbConnection, String> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)
                    .map_err(|e| format!("cannot open SQLite database {path:?}: {e}"))?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(|e| format!("cannot configure SQLite database {path:?}: {e}"))?;
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url)
                    .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
                conn.batch_execute(POSTGRES_SETTINGS)
                    .map_err(|e| format!("cannot configure the PostgreSQL session: {e}"))?;
                Ok(DbConnection::Pg(conn))
            }
        }
    }
}

/// Why a pooled connection could not be made or checked.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ManagerError(String);

impl diesel::r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ManagerError;

    fn connect(&self) -> Result<DbConnection, ManagerError> {
        self.establish().map_err(ManagerError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ManagerError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ManagerError(e.to_string()))
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}
