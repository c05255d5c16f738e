//! The command line's own behaviour, run as the real binary: its error
//! messages, and what it does when its reader goes away.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::{Backend, TestApp};

const BIN: &str = env!("CARGO_BIN_EXE_ai-registry");

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A database that cannot be reached is named once, by what failed, with
/// what to check; not `database: database unavailable: …`.
#[test]
fn an_unreachable_database_is_reported_once_with_what_to_check() {
    for (url, what) in [
        (
            "sqlite:///nonexistent-dir/x/registry.db",
            "cannot open SQLite database",
        ),
        (
            "postgres://postgres@127.0.0.1:1/none",
            "cannot connect to PostgreSQL",
        ),
    ] {
        for command in [&["migrate"][..], &["serve", "--bind", "127.0.0.1:0"]] {
            let out = Command::new(BIN)
                .args(command)
                .env("DATABASE_URL", url)
                .env("RUST_LOG", "off")
                .output()
                .unwrap();
            let text = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{command:?} {url}: {text}");
            assert!(text.starts_with(&format!("error: {what}")), "{text}");
            assert!(!text.contains("unavailable"), "no doubled prefix: {text}");
            assert!(text.contains("--database-url"), "what to check: {text}");
            assert!(!text.contains("panicked"), "{text}");
        }
    }
}

/// Runs the binary with its standard output on a pipe whose reader has
/// already gone, as `ai-registry classify FILE | head` ends up.
fn with_closed_stdout(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let mut child = Command::new(BIN)
        .args(["--database-url", db_url])
        .args(args)
        .env("RUST_LOG", "off")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn example_file(name: &str) -> String {
    format!(
        "{}/tests/fixtures/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A reader that stops early ends the output, not in a panic: each command
/// finishes as it would have and exits with its own status.
#[test]
fn a_closed_standard_output_is_a_normal_exit() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("registry.db").display());
    let system = example_file("system-annex-viii-a");
    let cases: [(&[&str], Option<String>, i32); 4] = [
        (&["classify", &system], None, 0),
        (
            &[
                "token",
                "create",
                "--role",
                "admin",
                "--org",
                "Gemeente Utrecht",
            ],
            None,
            0,
        ),
        (&["audit", "verify"], None, 0),
        // Two refused lines to report: the import still runs to the end,
        // and exits 1 for them.
        (
            &["import", "-"],
            Some(format!(
                "not json\n{}\n{{}}\n",
                std::fs::read_to_string(&system).unwrap().replace('\n', " ")
            )),
            1,
        ),
    ];
    for (args, stdin, status) in cases {
        let out = with_closed_stdout(&url, args, stdin.as_deref());
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(status), "{args:?}: {text}");
        assert!(!text.contains("panicked"), "{args:?}: {text}");
        assert!(!text.contains("error:"), "{args:?}: {text}");
        if args[0] == "import" {
            assert!(
                text.contains("1 of 3 lines registered, 2 refused"),
                "{text}"
            );
        }
    }
}

/// The same seed twice on one database: the second run says what to do
/// instead of passing on a UNIQUE constraint.
#[test]
fn generating_a_seed_twice_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("registry.db").display());
    let generate = |seed: &str| {
        Command::new(BIN)
            .args(["--database-url", &url, "generate"])
            .args(["--systems", "3", "--deployments", "4", "--seed", seed])
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    };
    let first = generate("5");
    assert!(first.status.success(), "{}", stderr(&first));
    let again = generate("5");
    let text = stderr(&again);
    assert_eq!(again.status.code(), Some(1), "{text}");
    assert!(text.starts_with("error: "), "{text}");
    assert!(text.contains("seed 5"), "{text}");
    assert!(text.contains("another --seed"), "{text}");
    assert!(text.contains("empty database"), "{text}");
    assert!(!text.contains("UNIQUE"), "{text}");
    let other = generate("6");
    assert!(other.status.success(), "{}", stderr(&other));
}

/// `import --help` describes the input it takes, what it prints and its
/// exit statuses.
#[test]
fn import_help_describes_the_input_format() {
    let out = Command::new(BIN)
        .args(["import", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "One registration document per line",
        "POST /v1/systems",
        "registration_type",
        "--org",
        "provider.name",
        "deployer.name",
        "line N: POINTER: message",
        "Exit status",
    ] {
        assert!(help.contains(needle), "{needle:?} in {help}");
    }
}

/// Logs written to a pipe or a file carry no colour codes; and an address
/// in use is named, with what to do.
#[test]
fn text_logs_off_a_terminal_are_plain() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("registry.db").display());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let out = Command::new(BIN)
        .args(["--database-url", &url, "--log-format", "text"])
        .args(["serve", "--bind", &bind])
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("facet index loaded"), "logged: {text}");
    assert!(!text.contains('\u{1b}'), "no ANSI escapes: {text:?}");
    assert!(
        text.contains(&format!("error: cannot listen on {bind}")) && text.contains("--bind"),
        "{text}"
    );
}

/// `ai-registry health`, the container's health check: 0 when the service
/// answers `/readyz`, 1 with the reason when nothing listens.
#[test]
fn health_asks_a_running_service() {
    let app = TestApp::spawn(Backend::Sqlite);
    let bind = app.base.trim_start_matches("http://").to_owned();
    let port = bind.rsplit_once(':').unwrap().1.to_owned();
    for bind in [bind.clone(), format!("0.0.0.0:{port}")] {
        for path in ["/readyz", "/healthz"] {
            let out = Command::new(BIN)
                .args(["health", "--bind", &bind, "--path", path])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{bind}{path}: {}", stderr(&out));
        }
    }
    let out = Command::new(BIN)
        .args(["health", "--bind", &bind, "--path", "/nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("404"), "{}", stderr(&out));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nobody = closed.local_addr().unwrap().to_string();
    drop(closed);
    let out = Command::new(BIN)
        .args(["health", "--bind", &nobody, "--timeout", "2"])
        .output()
        .unwrap();
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with(&format!("error: the service at {nobody} is not healthy")),
        "{text}"
    );
}
