//! Test harness: the real server on a fresh database per test, over HTTP.
//!
//! Every test runs on SQLite, and on PostgreSQL too when `TEST_POSTGRES_URL`
//! names a server (`postgres://postgres@127.0.0.1:5432/test`); each test gets
//! a database of its own there, dropped afterwards.

use std::sync::mpsc;
use std::thread;

use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::Value;

use ai_registry::config::Config;
use ai_registry::startup::Application;
use ai_registry::store::{audit, tokens, Store};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server for tests, if configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Runs the same test body once per backend; PostgreSQL only when configured.
///
/// The PostgreSQL twins are ignored unless `TEST_POSTGRES_URL` was set when
/// the tests were built (`cfg(postgres_tests)`, from build.rs), so a run
/// without a server counts them as ignored, not passed. A binary built with
/// the variable but run without it still skips them at run time.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::common::Backend::Sqlite) } )*
        }
        mod postgres {
            $(
                #[test]
                #[cfg_attr(not(postgres_tests), ignore = "TEST_POSTGRES_URL is not set")]
                fn $name() {
                    if $crate::common::postgres_url().is_none() {
                        eprintln!("TEST_POSTGRES_URL is not set: PostgreSQL case skipped");
                        return;
                    }
                    super::$name($crate::common::Backend::Postgres)
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;

/// A fresh, empty database of one backend; removed on drop.
pub struct TestDatabase {
    pub url: String,
    backend: Backend,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDatabase {
    pub fn new(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("registry.db").display());
                TestDatabase {
                    url,
                    backend,
                    _dir: Some(dir),
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_url().expect("TEST_POSTGRES_URL");
                let name = format!("air_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&admin_url).expect("connect to PostgreSQL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                TestDatabase {
                    url: format!("{base}/{name}"),
                    backend,
                    _dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let (Some(name), Some(admin_url)) = (&self.pg_name, postgres_url()) {
            if let Ok(mut admin) = PgConnection::establish(&admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

/// The registry running in this process on a free port.
pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub store: Store,
    handle: ServerHandle,
    thread: Option<thread::JoinHandle<()>>,
    // Declared last: dropped after the server has stopped.
    pub db: TestDatabase,
}

impl TestApp {
    pub fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {})
    }

    pub fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        // Quiet unless asked: RUST_LOG=debug cargo test shows the server's log.
        if std::env::var_os("RUST_LOG").is_some() {
            ai_registry::telemetry::init(ai_registry::telemetry::LogFormat::Text);
        }
        let db = TestDatabase::new(backend);
        let mut config = Config::new("127.0.0.1:0", db.url.clone());
        config.workers = Some(2);
        tweak(&mut config);
        let (tx, rx) = mpsc::channel();
        let thread = thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&config).expect("application starts");
                tx.send((app.port(), app.handle(), app.store().clone()))
                    .unwrap();
                app.run().await.expect("server runs");
            })
        });
        let (port, handle, store) = rx.recv().expect("server started");
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: Client::builder().build().unwrap(),
            store,
            handle,
            thread: Some(thread),
            db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A new token for `org` with `role`, made the way the CLI makes it.
    pub fn token(&self, role: &str, org: &str) -> String {
        let (role, org) = (role.to_owned(), org.to_owned());
        self.store
            .write_blocking(move |conn| tokens::create(conn, &role, &org))
            .expect("token created")
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path))
    }

    pub fn put(&self, path: &str) -> RequestBuilder {
        self.client.put(self.url(path))
    }

    /// The audit chain's head sequence number: how many writes have landed.
    pub fn audit_seq(&self) -> i64 {
        self.store.read_blocking(audit::head).unwrap().0
    }

    /// Verifies the whole audit chain and returns its length.
    pub fn verify_chain(&self) -> i64 {
        self.store
            .read_blocking(audit::verify)
            .unwrap()
            .expect("audit chain verifies")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A registration example from `tests/fixtures/examples`.
pub fn example(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture JSON")
}

/// Sends and returns status and JSON body (Null when the body is empty or not JSON).
pub fn send(req: RequestBuilder) -> (u16, Value, reqwest::header::HeaderMap) {
    let resp: Response = req.send().expect("request sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.text().unwrap_or_default();
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::Null),
        headers,
    )
}

/// Asserts a problem+json answer with the given status and problem type slug.
pub fn assert_problem(
    status: u16,
    body: &Value,
    headers: &reqwest::header::HeaderMap,
    want_status: u16,
    slug: &str,
) {
    assert_eq!(status, want_status, "status; body: {body}");
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "content type of a {status}"
    );
    assert_eq!(
        body["type"],
        format!("https://ai-registry.example/problems/{slug}"),
        "problem type; body: {body}"
    );
    assert_eq!(body["status"], want_status);
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "title and detail: {body}"
    );
}

/// The pointers of a validation problem, sorted.
pub fn pointers(body: &Value) -> Vec<String> {
    let mut p: Vec<String> = body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["pointer"].as_str().unwrap_or("?").to_owned())
                .collect()
        })
        .unwrap_or_default();
    p.sort();
    p
}
