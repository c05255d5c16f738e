//! Write-path benchmark: how many system registrations per second the
//! registry accepts over HTTP, and how that compares with what the store
//! alone commits to SQLite with the same durability.
//!
//! Every phase runs for `BENCH_SECONDS` (default 20) against a fresh SQLite
//! file in a temporary directory, configured by the store itself (WAL,
//! `synchronous=FULL`, checked and printed), closed loop: each thread sends
//! its next write as soon as the previous one is answered.
//!
//! 1. HTTP: the real server in this process, started as the tests start it,
//!    with one worker per core. `BENCH_CONNECTIONS` (default 64) client
//!    threads, each with its own keep-alive connection, `POST /v1/systems`
//!    alternating the Annex VIII A and B examples with a unique `reference`
//!    each. Any answer but 201 is an error. The CPU time of each thread group
//!    over the phase is printed, to show where the time goes.
//! 2. Store, one transaction per row (the ceiling): the rows the server
//!    would store for the same documents, prepared once per example by
//!    `registration::system::prepare` (validation and classification happen there,
//!    outside the timed loop; per row only the reference is put in and the
//!    document hash recomputed), inserted with `store::records::insert`
//!    through `Store::write_blocking` from one thread. No HTTP, validation or
//!    classification; each write is alone in its commit: one WAL sync per row.
//! 3. Store with group commit: the same from `BENCH_CONNECTIONS` threads at
//!    once, so the SQLite writer commits whatever is waiting as one batch.
//!
//! It also times, on one thread, the CPU a request costs before the store:
//! parsing the body, validating it against its schema, and all of `prepare`
//! (validation, classification, facets, serialization, hash).
//!
//! Run with `cargo bench --bench ingest`, e.g.
//! `BENCH_SECONDS=60 BENCH_CONNECTIONS=16 cargo bench --bench ingest`.
//! `TMPDIR` chooses the file system the databases live on (printed: the cost
//! of a sync depends on it). Logging is off unless `RUST_LOG` is set, which
//! installs the service's own subscriber on standard error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark stops at the first surprise; the no-panic rule is for the service"
)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{mpsc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use reqwest::blocking::Client;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use ai_registry::config::Config;
use ai_registry::domain::RecordKind;
use ai_registry::registration::system::{duplicate_key, prepare};
use ai_registry::startup::Application;
use ai_registry::store::records::{self, Actor, RecordWrite};
use ai_registry::store::schema::records as records_table;
use ai_registry::store::{tokens, DbConnection, Store, StoreError};
use ai_registry::telemetry::{self, LogFormat};
use ai_registry::validate::Schemas;

/// The examples written, by file name under `tests/fixtures/examples`; each
/// is also the name of the schema that governs it.
const EXAMPLES: [&str; 2] = ["system-annex-viii-a", "system-annex-viii-b"];
/// The organisation every benchmark row belongs to.
const ORG: &str = "bench-provider";
/// Stands in for `reference` in a body or a prepared write until a request
/// or a row fills it in; it needs no JSON escaping, nor does what replaces it.
const MARKER: &str = "BENCH-REFERENCE-MARKER";
/// Clock ticks per second of `/proc/*/stat` (`USER_HZ`, fixed by the Linux ABI).
const TICKS_PER_SECOND: f64 = 100.0;
/// Cores other processes may use during a phase before it is flagged as disturbed.
const QUIET_CORES: f64 = 0.1;
/// How often each part of a request is timed in the component costs.
const COMPONENT_ROUNDS: usize = 2_000;

fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        telemetry::init(LogFormat::Text);
    }
    let duration = Duration::from_secs(common::env_number("BENCH_SECONDS", 20));
    let connections = usize::try_from(common::env_number("BENCH_CONNECTIONS", 64))
        .expect("BENCH_CONNECTIONS fits in usize");
    let examples = EXAMPLES.map(example);
    let cpus = thread::available_parallelism().map_or(1, usize::from);

    println!("ai-registry write-path benchmark (benches/ingest.rs)");
    println!(
        "cpus: {cpus} (available_parallelism){}",
        cpu_model().map_or_else(String::new, |m| format!(", {m}"))
    );
    println!(
        "phase duration: {} s each; HTTP connections and group-commit writers: {connections}",
        duration.as_secs()
    );
    println!(
        "logging: {}",
        if std::env::var_os("RUST_LOG").is_some() {
            "the service's subscriber, RUST_LOG as set"
        } else {
            "off (no subscriber installed)"
        }
    );
    println!();

    let schemas = Schemas::load().expect("schemas compile");
    let costs = component_costs(&schemas, &examples);
    println!("component costs, one thread, mean of {COMPONENT_ROUNDS} documents:");
    println!(
        "  parse body to serde_json::Value              {}",
        micros(costs.parse)
    );
    println!(
        "  JSON Schema validation                       {}",
        micros(costs.validate)
    );
    println!(
        "  registration::system::prepare (with validation) {}",
        micros(costs.prepare)
    );
    println!();

    let templates = examples.each_ref().map(|doc| {
        let mut doc = doc.clone();
        doc["reference"] = Value::String(MARKER.to_owned());
        prepare(&schemas, &doc)
            .unwrap_or_else(|e| panic!("an example does not prepare: {e:?}"))
            .write
    });
    let http = http_phase(&examples, duration, connections);
    let single = store_phase(
        "store, one transaction per row, 1 writer, no HTTP",
        &templates,
        duration,
        1,
    );
    let group = store_phase(
        &format!("store with group commit, {connections} writers, no HTTP"),
        &templates,
        duration,
        connections,
    );

    println!("summary");
    println!(
        "  {:<56} {:>12} {:>8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "", "per second", "count", "errors", "p50", "p90", "p99", "max", "others"
    );
    for phase in [&http, &single, &group] {
        println!(
            "  {:<56} {:>12.1} {:>8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>7.2}",
            phase.label,
            phase.rate(),
            phase.ok(),
            phase.errors,
            millis(phase.percentile(50.0)),
            millis(phase.percentile(90.0)),
            millis(phase.percentile(99.0)),
            millis(phase.max()),
            phase.cpu.other_cores(),
        );
    }
    println!("  (others: cores used by other processes during the phase; above {QUIET_CORES} the phase was disturbed)");
    println!(
        "  HTTP req/s / store rows/s (one transaction per row) = {:.3}",
        http.rate() / single.rate()
    );
    println!(
        "  HTTP req/s / store rows/s (group commit)            = {:.3}",
        http.rate() / group.rate()
    );
}

/// Phase 1: `POST /v1/systems` over HTTP.
fn http_phase(examples: &[Value; 2], duration: Duration, connections: usize) -> Phase {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("registry.db");
    let server = Server::start(&format!("sqlite://{}", db.display()));

    let token = server
        .store
        .write_blocking(|conn| tokens::create(conn, "provider", ORG))
        .expect("provider token created");
    let auth = format!("Bearer {token}");
    let url = format!("{}/v1/systems", server.base);
    let bodies = examples.each_ref().map(BodyTemplate::new);
    let post = |client: &Client, body: String| -> Result<(), String> {
        let response = client
            .post(&url)
            .header(AUTHORIZATION, &auth)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .map_err(|e| format!("reading the answer failed: {e}"))?;
        if status == StatusCode::CREATED {
            Ok(())
        } else {
            let text = String::from_utf8_lossy(&bytes);
            Err(format!(
                "{status}: {}",
                text.chars().take(300).collect::<String>()
            ))
        }
    };

    let label = format!("HTTP POST /v1/systems, {connections} connections");
    println!("phase: {label} (keep-alive, one client per connection)");
    print_database_facts(&server.store, &db);
    let phase = closed_loop(
        label,
        "client",
        connections,
        duration,
        |t| {
            let client = new_client();
            if let Err(e) = post(
                &client,
                bodies[t % 2].with_reference(&format!("BENCH-{t}-warmup")),
            ) {
                panic!("warm-up request of connection {t} failed: {e}");
            }
            client
        },
        |client, t, i| {
            post(
                client,
                bodies[(t + i) % 2].with_reference(&format!("BENCH-{t}-{i}")),
            )
        },
    );
    phase.print(&server.store, connections);
    server.stop();
    phase
}

/// Phases 2 and 3: `records::insert` through the store from `writers` threads.
fn store_phase(
    label: &str,
    templates: &[RecordWrite; 2],
    duration: Duration,
    writers: usize,
) -> Phase {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("registry.db");
    let store = Store::connect(&format!("sqlite://{}", db.display())).expect("store opens");
    println!("phase: {label}");
    print_database_facts(&store, &db);
    let phase = closed_loop(
        label.to_owned(),
        "writer",
        writers,
        duration,
        |_| (),
        |_, t, i| {
            let write = with_reference(&templates[(t + i) % 2], &format!("BENCH-{t}-{i}"));
            let id = uuid::Uuid::new_v4().to_string();
            let actor = Actor {
                org: ORG,
                role: "provider",
            };
            store
                .write_blocking(move |conn| {
                    records::insert(conn, RecordKind::System, &id, actor, &write)
                })
                .map(drop)
                .map_err(|e| e.to_string())
        },
    );
    phase.print(&store, 0);
    phase
}

/// The registry running in this process on a free port, as the tests run it.
struct Server {
    base: String,
    store: Store,
    handle: ServerHandle,
    thread: thread::JoinHandle<()>,
}

impl Server {
    fn start(database_url: &str) -> Server {
        let mut config = Config::new("127.0.0.1:0", database_url);
        // The benchmark measures the write path, not the per-token limit
        // that keeps one token from flooding the register.
        config.write_rate = std::num::NonZeroU32::MAX;
        config.write_burst = std::num::NonZeroU32::MAX;
        let (tx, rx) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("http-server".into())
            .spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let app = Application::build(&config).expect("application starts");
                    tx.send((app.port(), app.handle(), app.store().clone()))
                        .expect("benchmark waits for the server");
                    app.run().await.expect("server runs");
                });
            })
            .expect("server thread");
        let (port, handle, store) = rx.recv().expect("server started");
        Server {
            base: format!("http://127.0.0.1:{port}"),
            store,
            handle,
            thread,
        }
    }

    fn stop(self) {
        drop(self.handle.stop(true));
        self.thread.join().expect("server thread ends");
    }
}

fn new_client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("HTTP client")
}

/// A serialized example with a hole where `reference` goes.
struct BodyTemplate {
    head: String,
    tail: String,
}

impl BodyTemplate {
    fn new(doc: &Value) -> BodyTemplate {
        let mut doc = doc.clone();
        doc["reference"] = Value::String(MARKER.to_owned());
        let text = serde_json::to_string(&doc).expect("example serializes");
        let (head, tail) = text
            .split_once(&format!("\"{MARKER}\""))
            .expect("the marker is in the serialized example");
        BodyTemplate {
            head: head.to_owned(),
            tail: tail.to_owned(),
        }
    }

    /// The body with `reference`, which must need no JSON escaping.
    fn with_reference(&self, reference: &str) -> String {
        format!("{}\"{reference}\"{}", self.head, self.tail)
    }
}

/// The write `prepare` makes of the document with `reference` in it, from
/// the one it made with [`MARKER`]: the reference put into the document, the
/// document hash and the duplicate key recomputed (the search text keeps the
/// marker's words; its size, not its words, is what costs).
fn with_reference(template: &RecordWrite, reference: &str) -> RecordWrite {
    let document = template.document.replace(MARKER, reference);
    RecordWrite {
        document_sha256: hex::encode(Sha256::digest(document.as_bytes())),
        document,
        unique_key: Some(duplicate_key(&template.name, reference)),
        ..template.clone()
    }
}

/// What one thread of a closed-loop run measured.
struct Worker {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    finished: Instant,
}

/// Runs `op` back to back on `threads` threads for `duration`, after `setup`
/// has prepared each thread's state. All threads start together; requests
/// still in flight at the deadline complete and count.
fn closed_loop<S>(
    label: String,
    name: &str,
    threads: usize,
    duration: Duration,
    setup: impl Fn(usize) -> S + Sync,
    op: impl Fn(&mut S, usize, usize) -> Result<(), String> + Sync,
) -> Phase {
    let barrier = Barrier::new(threads + 1);
    let (start, cpu, workers) = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (setup, op, barrier) = (&setup, &op, &barrier);
                thread::Builder::new()
                    .name(format!("{name}-{t}"))
                    .spawn_scoped(scope, move || {
                        let mut state = setup(t);
                        barrier.wait();
                        let deadline = Instant::now() + duration;
                        let mut worker = Worker {
                            latencies: Vec::with_capacity(1 << 16),
                            errors: 0,
                            first_error: None,
                            finished: Instant::now(),
                        };
                        for i in 0.. {
                            let started = Instant::now();
                            if started >= deadline {
                                break;
                            }
                            let outcome = op(&mut state, t, i);
                            worker.latencies.push(started.elapsed());
                            if let Err(e) = outcome {
                                worker.errors += 1;
                                worker.first_error.get_or_insert(e);
                            }
                        }
                        worker.finished = Instant::now();
                        worker
                    })
                    .expect("load thread")
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let before = CpuSample::take();
        thread::sleep(duration);
        let cpu = CpuProfile::between(&before, &CpuSample::take(), start.elapsed());
        let workers: Vec<Worker> = handles
            .into_iter()
            .map(|h| h.join().expect("load thread finishes"))
            .collect();
        (start, cpu, workers)
    });
    let end = workers.iter().map(|w| w.finished).max().unwrap_or(start);
    let mut phase = Phase {
        label,
        latencies: Vec::new(),
        errors: 0,
        first_error: None,
        elapsed: end.duration_since(start),
        cpu,
    };
    for worker in workers {
        phase.latencies.extend(worker.latencies);
        phase.errors += worker.errors;
        if phase.first_error.is_none() {
            phase.first_error = worker.first_error;
        }
    }
    phase.latencies.sort_unstable();
    phase
}

/// What the threads of one closed-loop phase measured.
struct Phase {
    label: String,
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    elapsed: Duration,
    cpu: CpuProfile,
}

impl Phase {
    /// Successful writes.
    fn ok(&self) -> usize {
        self.latencies.len() - self.errors
    }

    /// Successful writes per second of the whole run.
    fn rate(&self) -> f64 {
        self.ok() as f64 / self.elapsed.as_secs_f64()
    }

    /// Nearest-rank percentile of every completed request's latency.
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = (p / 100.0 * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }

    fn max(&self) -> Duration {
        self.latencies.last().copied().unwrap_or_default()
    }

    /// Prints the phase; `extra_rows` are rows written outside the timed loop.
    fn print(&self, store: &Store, extra_rows: usize) {
        let rows = store
            .read_blocking(|conn| Ok(records_table::table.count().get_result::<i64>(conn)?))
            .expect("rows counted");
        println!(
            "  {:.1} per second: {} ok, {} errors in {:.2} s",
            self.rate(),
            self.ok(),
            self.errors,
            self.elapsed.as_secs_f64()
        );
        println!(
            "  latency p50 {}  p90 {}  p99 {}  max {}",
            millis(self.percentile(50.0)),
            millis(self.percentile(90.0)),
            millis(self.percentile(99.0)),
            millis(self.max())
        );
        println!(
            "  rows in the database: {rows} (expected {})",
            self.ok() + extra_rows
        );
        if let Some(e) = &self.first_error {
            println!("  first error: {e}");
        }
        self.cpu.print();
        println!();
    }
}

/// CPU time over a phase, in seconds: this process's threads and the
/// kernel's threads (file system journal, block I/O, softirq daemons) by
/// group, and the whole machine by kind. The machine's user and system time
/// less those two is what other processes took.
struct CpuProfile {
    window: Duration,
    threads: Vec<(String, f64)>,
    kernel: Vec<(String, f64)>,
    machine: Vec<(&'static str, f64)>,
}

/// The columns of the `cpu` line of `/proc/stat`, in order.
const MACHINE_CPU_KINDS: [&str; 8] = [
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal",
];

/// CPU ticks at one moment, by thread id: this process's threads and the
/// kernel's, each with its group; and the machine's, by kind.
struct CpuSample {
    threads: HashMap<u32, (String, u64)>,
    kernel: HashMap<u32, (String, u64)>,
    machine: Vec<u64>,
}

impl CpuSample {
    fn take() -> CpuSample {
        let main_thread = std::process::id();
        let threads = tasks("/proc/self/task")
            .map(|(tid, stat)| {
                let group = if tid == main_thread {
                    "main (bench driver)".to_owned()
                } else {
                    let trailing = |c: char| c.is_ascii_digit() || c == '-' || c == ' ';
                    stat.name.trim_end_matches(trailing).to_owned()
                };
                (tid, (group, stat.ticks))
            })
            .collect();
        // Kernel threads are kthreadd (pid 2) and its children.
        let kernel = tasks("/proc")
            .filter(|(pid, stat)| *pid == 2 || stat.parent == 2)
            .map(|(pid, stat)| {
                let group = stat.name.split('/').next().unwrap_or_default().to_owned();
                (pid, (group, stat.ticks))
            })
            .collect();
        let machine = std::fs::read_to_string("/proc/stat")
            .ok()
            .and_then(|stat| {
                let line = stat.lines().next()?.strip_prefix("cpu ")?.to_owned();
                Some(
                    line.split_whitespace()
                        .filter_map(|f| f.parse().ok())
                        .collect(),
                )
            })
            .unwrap_or_default();
        CpuSample {
            threads,
            kernel,
            machine,
        }
    }
}

/// What `/proc/.../stat` says of one task.
struct TaskStat {
    name: String,
    parent: u32,
    /// User plus system time, in clock ticks.
    ticks: u64,
}

/// The tasks under `dir` (`/proc` or `/proc/self/task`) with their stat.
fn tasks(dir: &str) -> impl Iterator<Item = (u32, TaskStat)> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let id = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "id (name) state ppid ..." where the name may hold spaces and
            // parentheses; counting from 1, ppid is field 4, utime and stime 14 and 15.
            let (head, rest) = stat.rsplit_once(')')?;
            let name = head.split_once('(')?.1.to_owned();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
            let parent = u32::try_from(field(4)?).ok()?;
            let ticks = field(14)? + field(15)?;
            Some((
                id,
                TaskStat {
                    name,
                    parent,
                    ticks,
                },
            ))
        })
}

/// CPU seconds by group between two samples of the same tasks; a task that
/// started in between counts from zero, one that ended is missing.
fn by_group(
    before: &HashMap<u32, (String, u64)>,
    after: &HashMap<u32, (String, u64)>,
) -> Vec<(String, f64)> {
    let mut groups: BTreeMap<String, u64> = BTreeMap::new();
    for (id, (group, ticks)) in after {
        let earlier = before.get(id).map_or(0, |(_, t)| *t);
        *groups.entry(group.clone()).or_default() += ticks.saturating_sub(earlier);
    }
    let mut groups: Vec<(String, f64)> = groups
        .into_iter()
        .filter(|(_, ticks)| *ticks > 0)
        .map(|(group, ticks)| (group, ticks as f64 / TICKS_PER_SECOND))
        .collect();
    groups.sort_by(|a, b| b.1.total_cmp(&a.1));
    groups
}

impl CpuProfile {
    fn between(before: &CpuSample, after: &CpuSample, window: Duration) -> CpuProfile {
        let machine = MACHINE_CPU_KINDS
            .iter()
            .zip(after.machine.iter().zip(&before.machine))
            .map(|(kind, (a, b))| (*kind, a.saturating_sub(*b) as f64 / TICKS_PER_SECOND))
            .collect();
        CpuProfile {
            window,
            threads: by_group(&before.threads, &after.threads),
            kernel: by_group(&before.kernel, &after.kernel),
            machine,
        }
    }

    /// Cores taken by `seconds` of CPU over the phase.
    fn cores(&self, seconds: f64) -> f64 {
        seconds / self.window.as_secs_f64()
    }

    fn process(&self) -> f64 {
        self.threads.iter().map(|(_, s)| s).sum()
    }

    fn kernel_threads(&self) -> f64 {
        self.kernel.iter().map(|(_, s)| s).sum()
    }

    /// Cores taken by other processes: the machine's user and system time
    /// less this process and the kernel's threads. Short-lived processes
    /// (a compiler run) count too, since the machine's total includes them.
    fn other_cores(&self) -> f64 {
        let busy: f64 = self
            .machine
            .iter()
            .filter(|(kind, _)| matches!(*kind, "user" | "nice" | "system"))
            .map(|(_, s)| s)
            .sum();
        self.cores((busy - self.process() - self.kernel_threads()).max(0.0))
    }

    fn print(&self) {
        if self.machine.is_empty() || self.threads.is_empty() {
            println!("  cpu: not available (no /proc)");
            return;
        }
        let list = |groups: &[(String, f64)]| {
            let parts: Vec<String> = groups
                .iter()
                .map(|(group, seconds)| format!("{group} {:.2}", self.cores(*seconds)))
                .collect();
            parts.join(", ")
        };
        let machine: Vec<String> = self
            .machine
            .iter()
            .map(|(kind, seconds)| format!("{kind} {:.2}", self.cores(*seconds)))
            .collect();
        println!("  cpu over {:.1} s, in cores:", self.window.as_secs_f64());
        println!("    machine: {}", machine.join(", "));
        println!(
            "    this process {:.2}, kernel threads {:.2}, other processes {:.2}{}",
            self.cores(self.process()),
            self.cores(self.kernel_threads()),
            self.other_cores(),
            if self.other_cores() > QUIET_CORES {
                " (the machine was not quiet: numbers disturbed)"
            } else {
                ""
            }
        );
        println!("    this process by thread: {}", list(&self.threads));
        println!(
            "    kernel threads: {}",
            list(&self.kernel[..self.kernel.len().min(4)])
        );
    }
}

/// Mean CPU time of the parts of a request before the store, on one thread.
struct ComponentCosts {
    parse: Duration,
    validate: Duration,
    prepare: Duration,
}

fn component_costs(schemas: &Schemas, examples: &[Value; 2]) -> ComponentCosts {
    let bodies = examples
        .each_ref()
        .map(|doc| serde_json::to_vec(doc).expect("example serializes"));
    let mean = |f: &dyn Fn(usize)| {
        let started = Instant::now();
        for i in 0..COMPONENT_ROUNDS {
            f(i % 2);
        }
        started.elapsed() / COMPONENT_ROUNDS as u32
    };
    ComponentCosts {
        parse: mean(&|n| {
            let doc: Value = serde_json::from_slice(&bodies[n]).expect("example parses");
            std::hint::black_box(doc);
        }),
        validate: mean(&|n| {
            let outcome = schemas.validate(EXAMPLES[n], &examples[n]);
            if let Err(errors) = std::hint::black_box(outcome) {
                panic!("example {} is not valid: {errors:?}", EXAMPLES[n]);
            }
        }),
        prepare: mean(&|n| {
            let outcome = prepare(schemas, &examples[n]);
            if let Err(e) = std::hint::black_box(outcome) {
                panic!("example {} does not prepare: {e:?}", EXAMPLES[n]);
            }
        }),
    }
}

#[derive(QueryableByName)]
struct Synchronous {
    #[diesel(sql_type = Integer)]
    synchronous: i32,
}

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

/// Prints the database file, its file system and the settings of the
/// connection that commits: the store's writer.
fn print_database_facts(store: &Store, db: &Path) {
    let (synchronous, journal_mode) = store
        .write_blocking(|conn| match conn {
            DbConnection::Sqlite(c) => {
                let sync = diesel::sql_query("PRAGMA synchronous").get_result::<Synchronous>(c)?;
                let mode = diesel::sql_query("PRAGMA journal_mode").get_result::<JournalMode>(c)?;
                Ok((sync.synchronous, mode.journal_mode))
            }
            DbConnection::Pg(_) => Err(StoreError::Internal("not SQLite".into())),
        })
        .expect("the writer reports its settings");
    let level = match synchronous {
        0 => "OFF",
        1 => "NORMAL",
        2 => "FULL",
        3 => "EXTRA",
        _ => "?",
    };
    println!("  database: {} on {}", db.display(), filesystem_of(db));
    println!("  sqlite writer connection: journal_mode={journal_mode}, synchronous={synchronous} ({level})");
}

/// The kind and device of the file system `path` is on, from `/proc/mounts`.
fn filesystem_of(path: &Path) -> String {
    let dir = path.parent().unwrap_or(path);
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (device, mount_point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            dir.starts_with(mount_point).then(|| {
                (
                    mount_point.len(),
                    format!("{kind} ({device} on {mount_point})"),
                )
            })
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "an unknown file system".to_owned(), |(_, fs)| fs)
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_owned())
}

/// A registration example from `tests/fixtures/examples`.
fn example(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}
