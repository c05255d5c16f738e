//! The real binary as an operator runs it: tokens from the CLI, a crash
//! (SIGKILL) after an acknowledged write and in the middle of a write load
//! (the audit chain still verifies), and a clean stop on SIGTERM.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{example, on_both_backends, send, Backend, TestDatabase};
use reqwest::blocking::Client;

const BIN: &str = env!("CARGO_BIN_EXE_ai-registry");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &TestDatabase, port: u16) -> Server {
        let child = Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &db.url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("server starts");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if client
                .get(format!("{}/readyz", server.base))
                .send()
                .is_ok_and(|r| r.status() == 200)
            {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("server did not become ready");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli_token(db: &TestDatabase, role: &str, org: &str) -> String {
    let out = Command::new(BIN)
        .args(["token", "create", "--role", role, "--org", org])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("cli runs");
    assert!(
        out.status.success(),
        "token create: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.trim_end_matches('\n');
    assert_eq!(stdout.lines().count(), 1, "prints only the token");
    assert!(token.len() >= 64, "at least 256 bits, hex");
    token.to_owned()
}

fn acknowledged_registration_survives_sigkill(backend: Backend) {
    let db = TestDatabase::new(backend);
    let token = cli_token(&db, "provider", "Noordlicht Vision B.V.");
    let port = free_port();
    let client = Client::new();
    let mut server = Server::start(&db, port);
    let mut ids = Vec::new();
    for i in 0..20 {
        let mut doc = example("system-annex-viii-a");
        doc["reference"] = serde_json::json!(format!("FTR-{i}"));
        let (status, body, _) = send(
            client
                .post(format!("{}/v1/systems", server.base))
                .bearer_auth(&token)
                .json(&doc),
        );
        assert_eq!(status, 201, "{body}");
        // As stored: the non-public section keeps fewer items.
        ids.push((
            body["id"].as_str().unwrap().to_owned(),
            body["document"].clone(),
        ));
    }
    // SIGKILL: no chance to flush anything.
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    let server = Server::start(&db, port);
    for (id, doc) in ids {
        let (status, body, _) = send(
            client
                .get(format!("{}/v1/systems/{id}", server.base))
                .bearer_auth(&token),
        );
        assert_eq!(status, 200, "{id} survived the crash");
        assert_eq!(body["document"], doc);
    }
}

fn sigterm_stops_the_server_cleanly(backend: Backend) {
    let db = TestDatabase::new(backend);
    let mut server = Server::start(&db, free_port());
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            assert!(exit.success(), "clean exit, got {exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn unreachable_database_is_reported_not_panicked(backend: Backend) {
    let url = match backend {
        Backend::Sqlite => "sqlite:///nonexistent-dir/x/registry.db".to_owned(),
        Backend::Postgres => "postgres://postgres@127.0.0.1:1/none".to_owned(),
    };
    let out = Command::new(BIN)
        .arg("migrate")
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn audit_verify(db: &TestDatabase) -> (bool, String) {
    let out = Command::new(BIN)
        .args(["audit", "verify"])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("cli runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn the_chain_verifies_after_sigkill_in_the_middle_of_a_write_load(backend: Backend) {
    let db = TestDatabase::new(backend);
    let writers: Vec<String> = (0..4)
        .map(|i| cli_token(&db, "provider", &format!("Provider {i} B.V.")))
        .collect();
    let port = free_port();
    let mut server = Server::start(&db, port);
    let base = server.base.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let threads: Vec<_> = writers
        .iter()
        .enumerate()
        .map(|(w, token)| {
            let (token, base, stop, written) =
                (token.clone(), base.clone(), stop.clone(), written.clone());
            std::thread::spawn(move || {
                let client = Client::new();
                let mut acknowledged = Vec::new();
                for i in 0.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let mut doc = example("system-annex-viii-b");
                    doc["reference"] = serde_json::json!(format!("W{w}-{i}"));
                    let sent = client
                        .post(format!("{base}/v1/systems"))
                        .bearer_auth(&token)
                        .json(&doc)
                        .send();
                    match sent {
                        Ok(r) if r.status() == 201 => {
                            let body: serde_json::Value = r.json().unwrap();
                            acknowledged.push(body["id"].as_str().unwrap().to_owned());
                            written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        // 429 once a writer has used its burst: wait a little.
                        Ok(r) if r.status() == 429 => std::thread::sleep(Duration::from_millis(50)),
                        Ok(r) => panic!("unexpected {}", r.status()),
                        // The server is gone.
                        Err(_) => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    // Let the load run, then kill the server in the middle of it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while written.load(std::sync::atomic::Ordering::Relaxed) < 40 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let acknowledged: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(
        acknowledged.len() >= 20,
        "the load was running: {} writes acknowledged",
        acknowledged.len()
    );

    let (ok, report) = audit_verify(&db);
    assert!(ok, "the chain verifies after the crash: {report}");
    assert!(report.contains("verifies"), "{report}");

    // Every acknowledged write is there, and the chain holds at least them.
    let server = Server::start(&db, port);
    let client = Client::new();
    for id in &acknowledged {
        let status = client
            .get(format!("{}/v1/systems/{id}", server.base))
            .send()
            .unwrap()
            .status();
        assert_eq!(status, 200, "{id} survived the crash");
    }
    let entries: usize = report
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("the report counts the entries");
    assert!(entries >= acknowledged.len() + writers.len(), "{report}");
}

on_both_backends!(
    the_chain_verifies_after_sigkill_in_the_middle_of_a_write_load,
    acknowledged_registration_survives_sigkill,
    sigterm_stops_the_server_cleanly,
    unreachable_database_is_reported_not_panicked,
);
