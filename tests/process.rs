//! The real binary as an operator runs it: tokens from the CLI, a crash
//! (SIGKILL) after an acknowledged write, and a clean stop on SIGTERM.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{example, send, Backend, TestDatabase};
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
        ids.push((body["id"].as_str().unwrap().to_owned(), doc));
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

on_both_backends!(
    acknowledged_registration_survives_sigkill,
    sigterm_stops_the_server_cleanly,
    unreachable_database_is_reported_not_panicked,
);
