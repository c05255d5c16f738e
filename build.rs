//! Re-run the build when migrations change, so `embed_migrations!` never
//! embeds a stale set.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
