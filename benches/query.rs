//! Read-path benchmark: the overview and search over HTTP on a large
//! generated dataset, with p50 and p95 latency per query.
//!
//! For each scale in `BENCH_SCALES` (deployments; default `100000,1000000`)
//! it generates `scale / 20` systems and `scale` deployments with
//! `ai-registry generate`'s loader into a fresh database (SQLite in a
//! temporary directory, or PostgreSQL when `BENCH_POSTGRES_URL` names a
//! server: a database is created there and dropped afterwards), starts the
//! real server in this process, and sends `BENCH_REQUESTS` (default 200)
//! sequential requests of each kind:
//!
//! - the overview for `member_state=NL`;
//! - the overview for a combination of filters;
//! - a filtered search with its facets;
//! - a full-text search.
//!
//! An existing database can be reused with `BENCH_DATABASE_URL` (it is not
//! filled again when it already holds registrations).
//!
//! Run with `cargo bench --bench query`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark stops at the first surprise; the no-panic rule is for the service"
)]

mod common;

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::blocking::Client;

use ai_registry::config::Config;
use ai_registry::startup::Application;
use ai_registry::store::Store;
use ai_registry::validate::Schemas;

const QUERIES: &[(&str, &str)] = &[
    ("overview member_state=NL", "/v1/overview?member_state=NL"),
    (
        "overview filter combination",
        "/v1/overview?member_state=NL&modality=face&space=publicly_accessible&deployer_type=law_enforcement_authority,public_authority&timing=real_time,post",
    ),
    (
        "search deployments, filtered + facets",
        "/v1/deployments?member_state=NL&function=identification&legal_basis=gdpr_9_2_a_explicit_consent&page_size=20",
    ),
    ("search deployments, full text", "/v1/deployments?q=rotterdam%20gemeente&page_size=20"),
    ("search systems, full text", "/v1/systems?q=vision&page_size=20"),
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A database for one run; dropped with it when the bench made it.
struct Database {
    url: String,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

impl Database {
    fn new(scale: u64) -> Database {
        if let Ok(url) = std::env::var("BENCH_DATABASE_URL") {
            return Database {
                url,
                _dir: None,
                drop_pg: None,
            };
        }
        if let Ok(admin) = std::env::var("BENCH_POSTGRES_URL") {
            let name = format!("air_bench_{scale}_{}", std::process::id());
            let mut conn = PgConnection::establish(&admin).expect("connect to PostgreSQL");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create database");
            let base = admin
                .rsplit_once('/')
                .map_or(admin.as_str(), |(b, _)| b)
                .to_owned();
            return Database {
                url: format!("{base}/{name}"),
                _dir: None,
                drop_pg: Some((admin, name)),
            };
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        Database {
            url,
            _dir: Some(dir),
            drop_pg: None,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.drop_pg {
            if let Ok(mut conn) = PgConnection::establish(admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

fn count_records(store: &Store) -> i64 {
    use ai_registry::store::schema::records;
    store
        .read_blocking(|conn| Ok(records::table.count().get_result::<i64>(conn)?))
        .expect("count records")
}

fn run(scale: u64, requests: usize) {
    let db = Database::new(scale);
    let store = Store::connect(&db.url).expect("store opens");
    if count_records(&store) == 0 {
        let started = Instant::now();
        let schemas = Schemas::load().expect("schemas");
        ai_registry::load::generate(
            &store,
            &schemas,
            scale / 20,
            scale,
            1171,
            chrono::Utc::now(),
            |_| {},
        )
        .expect("dataset generated");
        println!(
            "  generated {} systems and {scale} deployments in {:.0} s",
            scale / 20,
            started.elapsed().as_secs_f64()
        );
    }
    let records = count_records(&store);
    drop(store);

    let mut config = Config::new("127.0.0.1:0", db.url.clone());
    config.workers = Some(2);
    let (tx, rx) = std::sync::mpsc::channel();
    let started = Instant::now();
    let server = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(&config).expect("application starts");
            tx.send((app.port(), app.handle())).unwrap();
            app.run().await.expect("server runs");
        })
    });
    let (port, handle) = rx.recv().expect("server started");
    println!(
        "  {records} records; server up (facet index loaded) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let client = Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let authority = {
        let store = Store::connect(&db.url).expect("store");
        store
            .write_blocking(|conn| ai_registry::store::tokens::create(conn, "authority", "bench"))
            .expect("token")
    };
    println!(
        "  {:<42} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "query (authority token)", "requests", "p50 ms", "p95 ms", "max ms", "total"
    );
    for (name, path) in QUERIES {
        let url = format!("{base}{path}");
        // Warm-up: the first request after start-up pays for nothing else.
        let _ = client.get(&url).bearer_auth(&authority).send();
        let mut times = Vec::with_capacity(requests);
        let mut total = 0;
        for _ in 0..requests {
            let t = Instant::now();
            let resp = client
                .get(&url)
                .bearer_auth(&authority)
                .send()
                .expect("request");
            assert_eq!(resp.status(), 200, "{name}");
            let body: serde_json::Value = resp.json().expect("json");
            times.push(t.elapsed());
            total = body["total"]
                .as_u64()
                .or_else(|| body["totals"]["deployments"].as_u64())
                .unwrap_or(0);
        }
        times.sort();
        println!(
            "  {name:<42} {requests:>8} {:>9.2} {:>9.2} {:>9.2} {total:>9}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(*times.last().unwrap()),
        );
    }
    drop(handle.stop(true));
    let _ = server.join();
}

fn main() {
    let scales: Vec<u64> = std::env::var("BENCH_SCALES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let requests = common::env_number("BENCH_REQUESTS", 200) as usize;
    let backend = if std::env::var("BENCH_POSTGRES_URL").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "ai-registry read-path benchmark (benches/query.rs) on {backend}, {} CPUs",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    for scale in scales {
        println!("scale: {scale} deployments, {} systems", scale / 20);
        run(scale, requests);
    }
}
