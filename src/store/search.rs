//! Full-text search: the backend-specific SQL lives here and nowhere else.
//! SQLite uses the FTS5 table `records_fts`, PostgreSQL the generated
//! `records.search` tsvector; both index `records.search_text`.
//!
//! User input never reaches either query language as syntax: it is cut into
//! words (letters and digits), and every word must occur.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{DbConnection, StoreError};
use crate::domain::RecordKind;

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = BigInt)]
    row_key: i64,
}

/// The words of a text: runs of letters and digits, lower-cased. Both the
/// indexed text and the queries are cut this way, so both backends see the
/// same tokens (PostgreSQL's own parser would keep `b.v.` or `4.2.0` whole).
pub fn all_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The words of a search query, at most 16 of them.
pub fn words(query: &str) -> Vec<String> {
    all_words(query).take(16).collect()
}

/// Row keys of the records of `kinds` whose search text holds every one of
/// `words`, in ascending order. No words: no records.
///
/// SQLite's FTS5 table holds both kinds (the caller's index knows which is
/// which), so it is asked once whatever `kinds` are; PostgreSQL has one
/// partial index per kind and asks each kind's own. The kind is written
/// into the statement, not bound: a plan for `kind = $1` could not know
/// which partial index applies.
pub fn full_text(
    conn: &mut DbConnection,
    kinds: &[RecordKind],
    words: &[String],
) -> Result<Vec<i64>, StoreError> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut keys: Vec<i64> = Vec::new();
    match conn {
        DbConnection::Sqlite(c) => {
            // Each word as an FTS5 string: "word" (quotes doubled), implicitly ANDed.
            let expr = words
                .iter()
                .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" ");
            keys.extend(
                diesel::sql_query(
                    "SELECT rowid AS row_key FROM records_fts WHERE records_fts MATCH ?",
                )
                .bind::<Text, _>(expr)
                .load::<Key>(c)?
                .into_iter()
                .map(|k| k.row_key),
            );
        }
        DbConnection::Pg(c) => {
            for kind in kinds {
                let sql = match kind {
                    RecordKind::System => {
                        "SELECT row_key FROM records WHERE kind = 'system' \
                         AND search @@ plainto_tsquery('simple', $1)"
                    }
                    RecordKind::Deployment => {
                        "SELECT row_key FROM records WHERE kind = 'deployment' \
                         AND search @@ plainto_tsquery('simple', $1)"
                    }
                };
                keys.extend(
                    diesel::sql_query(sql)
                        .bind::<Text, _>(words.join(" "))
                        .load::<Key>(c)?
                        .into_iter()
                        .map(|k| k.row_key),
                );
            }
        }
    }
    keys.sort_unstable();
    Ok(keys)
}
