//! Export benchmark: how fast the NDJSON exports stream over HTTP, and how
//! much memory the server needs while it streams them.
//!
//! For each database in `BENCH_EXPORT_DATABASES` (comma-separated database
//! URLs; default `sqlite://target/bench/100k.db,sqlite://target/bench/1m.db`;
//! a SQLite file that does not exist is skipped with a message) it:
//!
//! 1. creates an `auditor` token with `ai-registry token create`;
//! 2. starts `ai-registry serve` as a separate process (so that its memory is
//!    its own) on a free port, with JSON logs at `warn` to a file in a
//!    temporary directory, and waits for `GET /readyz` (up to 10 minutes:
//!    the in-memory index is loaded before the server listens);
//! 3. reads the server's `VmRSS` from `/proc/PID/status` (the RSS before the
//!    exports), then resets its peak (`VmHWM`) by writing `5` to
//!    `/proc/PID/clear_refs`, and reads `VmHWM` again to show it dropped;
//! 4. runs `GET /v1/exports/systems`, `/v1/exports/deployments` and
//!    `/v1/exports/audit` one after the other, `BENCH_EXPORT_REPEAT` times
//!    (default 1), reading each body in 256 KiB chunks (never the whole body
//!    in memory) and counting its lines and bytes; the best time of each
//!    export is reported. While an export runs, a second thread samples the
//!    server's `VmRSS` every 50 ms as a cross-check of `VmHWM`;
//! 5. reads `VmHWM`: the server's peak RSS over all the exports.
//!
//! It prints, per database, lines, megabytes, seconds and rates per export,
//! the records (systems and deployments lines) per second of both, and the
//! RSS before, the peak during the exports and the increment; at the end the
//! peak and increment of the last database relative to the first, which
//! shows whether the memory of an export grows with the data.
//!
//! MB are 10^6 bytes throughout, for data and memory alike. Linux only
//! (`/proc`).
//!
//! Run with `cargo bench --bench export`, e.g.
//! `BENCH_EXPORT_DATABASES=sqlite:///tmp/a.db,postgres://me@localhost/big
//! BENCH_EXPORT_REPEAT=3 cargo bench --bench export`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark stops at the first surprise; the no-panic rule is for the service"
)]

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;

const DEFAULT_DATABASES: &str = "sqlite://target/bench/100k.db,sqlite://target/bench/1m.db";
/// The exports, in the order they run; the first two hold the records.
const EXPORTS: [&str; 3] = ["systems", "deployments", "audit"];
/// How long the server may take to load its index and answer `/readyz`.
const READY_TIMEOUT: Duration = Duration::from_secs(600);
/// How often the sampler reads the server's `VmRSS`.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);
/// The chunk the body is read in.
const CHUNK: usize = 256 * 1024;

fn main() {
    let databases: Vec<String> = std::env::var("BENCH_EXPORT_DATABASES")
        .unwrap_or_else(|_| DEFAULT_DATABASES.into())
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let repeat = common::env_number("BENCH_EXPORT_REPEAT", 1);

    println!("ai-registry export benchmark (benches/export.rs)");
    println!(
        "cpus: {} (available_parallelism); exports repeated {repeat} time(s), best time reported",
        thread::available_parallelism().map_or(1, usize::from)
    );
    println!();

    let mut measured: Vec<(String, Memory, u64)> = Vec::new();
    for url in &databases {
        let label = display_url(url);
        if let Some(path) = sqlite_path(url) {
            if !path.exists() {
                println!(
                    "database {label}: {} does not exist, skipped",
                    path.display()
                );
                println!();
                continue;
            }
        }
        println!("database {label}");
        let (memory, records) = run(url, repeat);
        measured.push((label, memory, records));
        println!();
    }

    println!("summary");
    match (measured.first(), measured.last()) {
        (Some(first), Some(last)) if measured.len() > 1 => {
            let ratio = |a: f64, b: f64| {
                if a > 0.0 {
                    format!("{:.2}", b / a)
                } else {
                    "n/a".to_owned()
                }
            };
            println!("  first: {} ({} records)", first.0, first.2);
            println!("  last:  {} ({} records)", last.0, last.2);
            println!(
                "  records ratio (last/first):   {}",
                ratio(first.2 as f64, last.2 as f64)
            );
            println!(
                "  peak RSS ratio (last/first):  {}  ({:.1} MB / {:.1} MB)",
                ratio(first.1.peak_mb(), last.1.peak_mb()),
                last.1.peak_mb(),
                first.1.peak_mb()
            );
            println!(
                "  increment ratio (last/first): {}  ({:.1} MB / {:.1} MB)",
                ratio(first.1.increment_mb(), last.1.increment_mb()),
                last.1.increment_mb(),
                first.1.increment_mb()
            );
        }
        _ => println!(
            "  {} database(s) measured; the comparison needs two",
            measured.len()
        ),
    }
}

/// One database: token, server, exports, memory. Returns the server's memory
/// and the records exported (systems and deployments lines).
fn run(url: &str, repeat: u64) -> (Memory, u64) {
    let token = create_token(url);
    let started = Instant::now();
    let mut server = Server::start(url);
    println!(
        "  server pid {} on port {}, ready in {:.1} s (log: {})",
        server.pid(),
        server.port,
        started.elapsed().as_secs_f64(),
        server.log.display()
    );

    let pid = server.pid();
    let rss_before = read_status_kb(pid, "VmRSS").expect("VmRSS of the server");
    let hwm_startup = read_status_kb(pid, "VmHWM").expect("VmHWM of the server");
    let reset = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
    let hwm_reset = read_status_kb(pid, "VmHWM").expect("VmHWM of the server");
    match reset {
        Ok(()) => println!(
            "  VmHWM reset: {:.1} MB after start-up, {:.1} MB after the reset",
            mb(hwm_startup),
            mb(hwm_reset)
        ),
        Err(e) => println!(
            "  VmHWM could not be reset ({e}): the peak below includes start-up ({:.1} MB)",
            mb(hwm_startup)
        ),
    }

    let client = Client::builder()
        .timeout(None)
        .build()
        .expect("HTTP client");
    let mut best: Vec<Option<Export>> = vec![None; EXPORTS.len()];
    for round in 0..repeat {
        for (i, name) in EXPORTS.iter().enumerate() {
            let url = format!("{}/v1/exports/{name}", server.base());
            let export = export(&client, &url, &token, pid);
            if let Some(previous) = &best[i] {
                if (previous.lines, previous.bytes) != (export.lines, export.bytes) {
                    println!(
                        "  note: round {} of {name} gave {} lines, {} bytes; round 1 gave {}, {}",
                        round + 1,
                        export.lines,
                        export.bytes,
                        previous.lines,
                        previous.bytes
                    );
                }
            }
            best[i] = Some(match best[i].take() {
                Some(previous) => previous.best(export),
                None => export,
            });
        }
    }
    let hwm_peak = read_status_kb(pid, "VmHWM").expect("VmHWM of the server");
    server.stop();

    let exports: Vec<Export> = best.into_iter().flatten().collect();
    println!(
        "  {:<12} {:>10} {:>10} {:>9} {:>11} {:>8} {:>13}",
        "export", "lines", "MB", "seconds", "lines/s", "MB/s", "sampled RSS"
    );
    for (name, e) in EXPORTS.iter().zip(&exports) {
        let seconds = e.elapsed.as_secs_f64();
        println!(
            "  {name:<12} {:>10} {:>10.1} {:>9.3} {:>11.0} {:>8.1} {:>10.1} MB",
            e.lines,
            e.bytes as f64 / 1e6,
            seconds,
            e.lines as f64 / seconds,
            e.bytes as f64 / 1e6 / seconds,
            mb(e.sampled_peak_kb),
        );
    }
    let records: u64 = exports[..2].iter().map(|e| e.lines).sum();
    let record_seconds: f64 = exports[..2].iter().map(|e| e.elapsed.as_secs_f64()).sum();
    println!(
        "  all records (systems + deployments): {records} in {record_seconds:.2} s, {:.0} records/s",
        records as f64 / record_seconds
    );

    let memory = Memory {
        before_kb: rss_before,
        peak_kb: hwm_peak,
    };
    let sampled = exports.iter().map(|e| e.sampled_peak_kb).max().unwrap_or(0);
    println!(
        "  server RSS before the exports:    {:>8.1} MB",
        mb(rss_before)
    );
    println!(
        "  peak during the exports (VmHWM):  {:>8.1} MB (sampled every {} ms: {:.1} MB)",
        memory.peak_mb(),
        SAMPLE_EVERY.as_millis(),
        mb(sampled)
    );
    println!(
        "  increment (peak - before):        {:>8.1} MB",
        memory.increment_mb()
    );
    (memory, records)
}

/// One timed export.
#[derive(Clone)]
struct Export {
    lines: u64,
    bytes: u64,
    elapsed: Duration,
    /// The largest `VmRSS` of the server the sampler saw while it ran.
    sampled_peak_kb: u64,
}

impl Export {
    /// The faster of two runs, with the larger sampled peak of both.
    fn best(self, other: Export) -> Export {
        let sampled_peak_kb = self.sampled_peak_kb.max(other.sampled_peak_kb);
        let faster = if other.elapsed < self.elapsed {
            other
        } else {
            self
        };
        Export {
            sampled_peak_kb,
            ..faster
        }
    }
}

/// GETs one export and reads it through in chunks, counting lines and bytes,
/// while a second thread samples the server's RSS.
fn export(client: &Client, url: &str, token: &str, pid: u32) -> Export {
    let sampler = Sampler::start(pid);
    let started = Instant::now();
    let mut response = client
        .get(url)
        .bearer_auth(token)
        .send()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status();
    if status != StatusCode::OK {
        let mut text = String::new();
        let _ = response.by_ref().take(2_000).read_to_string(&mut text);
        panic!("GET {url}: {status}: {text}");
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if !content_type.starts_with("application/x-ndjson") {
        println!("  note: GET {url} answered with Content-Type {content_type:?}");
    }
    let mut buf = vec![0u8; CHUNK];
    let (mut lines, mut bytes) = (0u64, 0u64);
    loop {
        let n = response
            .read(&mut buf)
            .unwrap_or_else(|e| panic!("GET {url}: reading the body after {bytes} bytes: {e}"));
        if n == 0 {
            break;
        }
        bytes += n as u64;
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
    let elapsed = started.elapsed();
    Export {
        lines,
        bytes,
        elapsed,
        sampled_peak_kb: sampler.stop(),
    }
}

/// Reads a process's `VmRSS` every [`SAMPLE_EVERY`] on its own thread and
/// keeps the largest.
struct Sampler {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<u64>,
}

impl Sampler {
    fn start(pid: u32) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::Builder::new()
            .name("rss-sampler".into())
            .spawn(move || {
                let mut max = 0;
                loop {
                    if let Some(kb) = read_status_kb(pid, "VmRSS") {
                        max = max.max(kb);
                    }
                    if flag.load(Ordering::Relaxed) {
                        return max;
                    }
                    thread::sleep(SAMPLE_EVERY);
                }
            })
            .expect("sampler thread");
        Sampler { stop, thread }
    }

    /// Stops the sampler (after one last sample) and returns the largest
    /// `VmRSS` it saw, in KiB.
    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("sampler finishes")
    }
}

/// The server's RSS before the exports and its peak during them, in KiB.
struct Memory {
    before_kb: u64,
    peak_kb: u64,
}

impl Memory {
    fn peak_mb(&self) -> f64 {
        mb(self.peak_kb)
    }

    fn increment_mb(&self) -> f64 {
        mb(self.peak_kb) - mb(self.before_kb)
    }
}

/// `ai-registry serve` in its own process; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts the server on a free port and waits until `/readyz` answers 200.
    fn start(url: &str) -> Server {
        let dir = tempfile::tempdir().expect("temporary directory");
        let log = dir.path().join("server.log");
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_ai-registry"))
            .args(["--database-url", url, "serve", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .env("AI_REGISTRY_LOG_FORMAT", "json")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("server log file"))
            .spawn()
            .expect("ai-registry serve starts");
        let mut server = Server {
            child,
            port,
            log,
            _dir: dir,
        };
        server.wait_ready();
        server
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&mut self) {
        let client = Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("HTTP client");
        let url = format!("{}/readyz", self.base());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("server status") {
                panic!(
                    "the server exited before it was ready ({status}); its log:\n{}",
                    log_tail(&self.log)
                );
            }
            if let Ok(response) = client.get(&url).send() {
                if response.status() == StatusCode::OK {
                    return;
                }
            }
            if started.elapsed() > READY_TIMEOUT {
                panic!(
                    "the server was not ready after {} s; its log:\n{}",
                    READY_TIMEOUT.as_secs(),
                    log_tail(&self.log)
                );
            }
            thread::sleep(Duration::from_millis(250));
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Creates an `auditor` token with the command line and returns its secret.
fn create_token(url: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_ai-registry"))
        .args([
            "--database-url",
            url,
            "token",
            "create",
            "--role",
            "auditor",
            "--org",
            "bench",
        ])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("ai-registry token create runs");
    assert!(
        output.status.success(),
        "ai-registry token create failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout)
        .expect("the token is UTF-8")
        .trim()
        .to_owned();
    assert!(
        !token.is_empty(),
        "ai-registry token create printed nothing"
    );
    token
}

/// A port nothing listens on now: bound to port 0, read, released.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// A `Vm…` field of `/proc/PID/status`, in KiB.
fn read_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let value = line.strip_prefix(field)?.strip_prefix(':')?;
        value.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// The file of a SQLite URL (`sqlite://PATH` or `sqlite:PATH`).
fn sqlite_path(url: &str) -> Option<PathBuf> {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(PathBuf::from)
}

/// The URL without a password, for printing.
fn display_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) if !scheme.starts_with("sqlite") => match rest.split_once('@') {
            Some((user, host)) => {
                let user = user.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}@{host}")
            }
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

/// The last lines of the server's log.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// KiB (as `/proc` counts) to MB.
fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}
