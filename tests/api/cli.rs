//! The command line's own behaviour, run as the real binary: its error
//! messages, and what it does when its reader goes away.

use std::process::{Command, Output};

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
