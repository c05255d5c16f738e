//! Run-time settings, from flags or the environment.

use std::num::NonZeroU32;

/// The database used when none is configured.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://ai-registry.db";
/// The address served when none is configured.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// The largest request body accepted, in bytes, unless configured otherwise.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

/// Writes per second per token, on average: well above what a provider or
/// deployer registers by hand, low enough that one token cannot flood the
/// register. Bulk loads use `ai-registry import`.
pub const DEFAULT_WRITE_RATE: NonZeroU32 = NonZeroU32::new(20).unwrap();
/// Writes per token at once before the rate applies.
pub const DEFAULT_WRITE_BURST: NonZeroU32 = NonZeroU32::new(100).unwrap();

/// Settings of a running registry.
#[derive(Debug, Clone)]
pub struct Config {
    /// `host:port` to listen on; port 0 picks a free one.
    pub bind: String,
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// HTTP worker threads; `None` means one per core.
    pub workers: Option<usize>,
    /// Writes per second each token may make on average.
    pub write_rate: NonZeroU32,
    /// Writes each token may make at once before the rate applies.
    pub write_burst: NonZeroU32,
}

impl Config {
    /// Settings for `database_url` with every other value at its default.
    pub fn new(bind: impl Into<String>, database_url: impl Into<String>) -> Config {
        Config {
            bind: bind.into(),
            database_url: database_url.into(),
            body_limit: DEFAULT_BODY_LIMIT,
            workers: None,
            write_rate: DEFAULT_WRITE_RATE,
            write_burst: DEFAULT_WRITE_BURST,
        }
    }
}
