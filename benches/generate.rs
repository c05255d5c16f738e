//! Generator throughput: documents per second from `ai_registry::generate`,
//! the source of `ai-registry generate` and of the other benchmarks' data.
//!
//! Measures, on one thread and without storing anything:
//!
//! - systems, streamed as a loader makes them (each dropped after use);
//! - deployments spread over `BENCH_GENERATE_SYSTEMS` systems (default
//!   50,000, too many to stay in the CPU cache);
//! - the same deployments over 1,000 systems, which do stay in the cache;
//! - `registered_at`, the registration time of each document.
//!
//! `BENCH_GENERATE_DEPLOYMENTS` (default 1,000,000) sets how many
//! deployments and timestamps each run makes.
//!
//! Run with `cargo bench --bench generate`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark stops at the first surprise; the no-panic rule is for the service"
)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::Value;
use uuid::Uuid;

use ai_registry::generate::Generator;

/// How many top-level fields a document has: a use of the result, so the
/// compiler cannot drop the work.
fn fields(doc: &Value) -> usize {
    doc.as_object().map_or(0, |o| o.len())
}

fn report(what: &str, count: u64, unit: &str, took: Duration) {
    println!(
        "  {what:<40} {count:>9} in {:>7.2} s  {:>10.0} {unit}/s  {:>6.2} µs each",
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / count as f64
    );
}

fn main() {
    let n = common::env_number("BENCH_GENERATE_SYSTEMS", 50_000);
    let m = common::env_number("BENCH_GENERATE_DEPLOYMENTS", 1_000_000);
    let warm = n.min(1_000);
    let mut g = Generator::new(1);
    let mut total = 0usize;
    println!("generator, one thread ({n} systems, {m} deployments):");

    let start = Instant::now();
    for i in 0..n {
        total += fields(&g.system(i));
    }
    report("systems", n, "documents", start.elapsed());

    let systems: Vec<Value> = (0..n).map(|i| g.system(i)).collect();
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
    let start = Instant::now();
    for j in 0..m {
        let k = (j * 7919 % n) as usize;
        total += fields(&g.deployment(j, (&ids[k], &systems[k])));
    }
    report(
        &format!("deployments over {n} cold systems"),
        m,
        "documents",
        start.elapsed(),
    );

    let start = Instant::now();
    for j in 0..m {
        let k = (j * 7919 % warm) as usize;
        total += fields(&g.deployment(j, (&ids[k], &systems[k])));
    }
    report(
        &format!("deployments over {warm} warm systems"),
        m,
        "documents",
        start.elapsed(),
    );

    let end = Utc::now();
    let start = Instant::now();
    let mut earliest = end;
    for i in 0..m {
        earliest = earliest.min(g.registered_at(i, m, end));
    }
    report("registered_at", m, "timestamps", start.elapsed());

    black_box((total, earliest));
}
