//! The layers of `src/`, held to the direction `src/lib.rs` states: each
//! top-level module may use only the modules listed for it here. A new
//! dependency that points up (the store knowing of HTTP, the classifier of
//! the database) fails this test instead of waiting for a review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module and the modules of ours it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("validate", &[]),
    ("config", &[]),
    ("telemetry", &[]),
    ("classify", &["domain"]),
    ("labels", &["classify", "domain"]),
    ("store", &["classify", "domain"]),
    ("access", &["classify", "domain"]),
    (
        "index",
        &["access", "store", "labels", "classify", "domain"],
    ),
    (
        "registration",
        &["access", "index", "store", "classify", "validate", "domain"],
    ),
    ("generate", &["domain"]),
    ("export", &["store", "domain"]),
    (
        "import",
        &["registration", "access", "store", "validate", "domain"],
    ),
    (
        "load",
        &["registration", "generate", "store", "validate", "domain"],
    ),
    (
        "api",
        &[
            "registration",
            "export",
            "access",
            "index",
            "store",
            "labels",
            "classify",
            "validate",
            "config",
            "domain",
        ],
    ),
    (
        "startup",
        &["api", "index", "store", "validate", "config", "telemetry"],
    ),
    (
        "cli",
        &[
            "startup",
            "api",
            "registration",
            "import",
            "load",
            "export",
            "access",
            "index",
            "store",
            "classify",
            "validate",
            "config",
            "telemetry",
            "domain",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules of ours a file's code names as `crate::NAME` (comments and
/// unit tests left out).
fn uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let name: String = rest[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
            rest = &rest[at + 7..];
        }
    }
    found
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        seen_modules.insert(module.clone());
        let Some(may) = allowed.get(module.as_str()) else {
            wrong.push(format!(
                "{}: module {module} has no row in ALLOWED",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for used in uses(&text) {
            if used != module && !may.contains(&used.as_str()) {
                wrong.push(format!("{}: {module} uses crate::{used}", rel.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the layers:\n{}",
        wrong.join("\n")
    );
    let listed: BTreeSet<String> = allowed.keys().map(|m| (*m).to_owned()).collect();
    assert_eq!(
        listed, seen_modules,
        "ALLOWED lists exactly the modules of src/"
    );
}

#[test]
fn the_check_sees_a_dependency() {
    let found = uses("use crate::store::Store;\n// crate::api in a comment\nfn f() { crate::index::x() }\n#[cfg(test)]\nuse crate::cli;");
    assert_eq!(
        found,
        ["index", "store"].iter().map(|s| (*s).to_owned()).collect()
    );
}
