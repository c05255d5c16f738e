//! Re-run the build when migrations change, so `embed_migrations!` never
//! embeds a stale set.
//!
//! `cfg(postgres_tests)` is set when `TEST_POSTGRES_URL` names a server at
//! build time: without it the PostgreSQL twin of each integration test is
//! compiled as ignored, so `cargo test` reports it skipped rather than passed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo:rerun-if-env-changed=TEST_POSTGRES_URL");
    if std::env::var("TEST_POSTGRES_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo:rustc-cfg=postgres_tests");
    }
}
