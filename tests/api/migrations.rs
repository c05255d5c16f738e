//! Migrations: the two backends carry the same set, and each can go up,
//! down and up again.

use std::collections::BTreeSet;
use std::path::Path;

use diesel::prelude::*;
use diesel_migrations::MigrationHarness;

use crate::common::{on_both_backends, Backend, TestDatabase};
use ai_registry::store::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

fn names(dir: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| {
            for file in ["up.sql", "down.sql"] {
                assert!(
                    e.path().join(file).exists(),
                    "{dir}/{:?} has {file}",
                    e.file_name()
                );
            }
            e.file_name().into_string().unwrap()
        })
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
}

/// Runs the set up, all the way down, and up again; returns how many ran.
macro_rules! up_down_up {
    ($conn:expr, $set:expr) => {{
        let conn = $conn;
        let up = conn.run_pending_migrations($set).unwrap().len();
        conn.revert_all_migrations($set).unwrap();
        assert!(conn.has_pending_migration($set).unwrap(), "all reverted");
        assert_eq!(conn.run_pending_migrations($set).unwrap().len(), up);
        up
    }};
}

fn migrations_go_up_down_and_up_again(backend: Backend) {
    let db = TestDatabase::new(backend);
    let applied = match backend {
        Backend::Sqlite => {
            let path = db.url.strip_prefix("sqlite://").unwrap();
            up_down_up!(
                &mut SqliteConnection::establish(path).unwrap(),
                SQLITE_MIGRATIONS
            )
        }
        Backend::Postgres => {
            up_down_up!(
                &mut PgConnection::establish(&db.url).unwrap(),
                POSTGRES_MIGRATIONS
            )
        }
    };
    assert_eq!(applied, names("sqlite").len());
}

on_both_backends!(migrations_go_up_down_and_up_again);
