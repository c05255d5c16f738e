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
            rest = &rest[at + 7..];
            // `crate::{a, b::c}` names several modules at once.
            let group = rest
                .strip_prefix('{')
                .and_then(|g| g.split_once('}'))
                .map(|(inside, _)| inside);
            let names: Vec<&str> = match group {
                Some(inside) => inside.split(',').collect(),
                None => vec![rest],
            };
            for name in names {
                let name: String = name
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
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
    let found = uses(
        "use crate::store::Store;\n// crate::api in a comment\nfn f() { crate::index::x() }\n\
         use crate::{access, domain::Role};\n#[cfg(test)]\nuse crate::cli;",
    );
    assert_eq!(
        found,
        ["access", "domain", "index", "store"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    );
}

/// The module path of a file under `src/` (`api/auth.rs` is `api::auth`,
/// `api/mod.rs` is `api`, `lib.rs` the crate root).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned()
        })
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The paths a file's code names: `crate::…`, `super::…` and its own
/// child modules, each as the segments after the crate root.
fn named_paths(module: &[String], text: &str, modules: &BTreeSet<Vec<String>>) -> Vec<Vec<String>> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let segments = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| {
                p.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty())
            .collect()
    };
    let mut out = Vec::new();
    for line in code.lines().map(str::trim_start) {
        if line.starts_with("//") {
            continue;
        }
        for (i, _) in line.match_indices("::") {
            let before = &line[..i];
            let word_start = before
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |p| p + 1);
            let head = &before[word_start..];
            if before[..word_start].ends_with("::") {
                continue; // the middle of a longer path, seen from its start
            }
            let base = match head {
                "crate" => Vec::new(),
                "super" => module[..module.len().saturating_sub(1)].to_vec(),
                "self" => module.to_vec(),
                child => {
                    let mut p = module.to_vec();
                    p.push(child.to_owned());
                    if !modules.contains(&p) {
                        continue;
                    }
                    p
                }
            };
            // `super::{a, b::C}` names several paths at once.
            let rest = &line[i + 2..];
            let tails: Vec<Vec<String>> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|t| segments(t.trim_start()))
                    .collect(),
                None => vec![segments(rest)],
            };
            for tail in tails {
                let mut path = base.clone();
                path.extend(tail);
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn no_two_files_use_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let by_module: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (module_path(f.strip_prefix(&src).unwrap()), f.clone()))
        .collect();
    let modules: BTreeSet<Vec<String>> = by_module.keys().cloned().collect();
    let mut uses: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &by_module {
        let text = std::fs::read_to_string(file).unwrap();
        for path in named_paths(module, &text, &modules) {
            // The file a path lands in: its longest prefix that is a module.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains(p));
            if let Some(target) = target.filter(|t| t != module && !t.is_empty()) {
                uses.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    let mut cycles = Vec::new();
    for (a, targets) in &uses {
        for b in targets.iter().filter(|b| *b > a) {
            if uses.get(b).is_some_and(|t| t.contains(a)) {
                cycles.push(format!("{} <-> {}", a.join("::"), b.join("::")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "files that use each other:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_cycle_check_resolves_paths() {
    let modules: BTreeSet<Vec<String>> = [vec!["api"], vec!["api", "auth"], vec!["store"]]
        .iter()
        .map(|m| m.iter().map(|s| (*s).to_owned()).collect())
        .collect();
    let api: Vec<String> = vec!["api".into()];
    let auth: Vec<String> = vec!["api".into(), "auth".into()];
    let from_child = named_paths(
        &auth,
        "use super::routes;\nuse crate::store::Store;\nuse super::{auth, x::Y};",
        &modules,
    );
    assert_eq!(
        from_child,
        [
            vec!["api", "routes"],
            vec!["store", "Store"],
            vec!["api", "auth"],
            vec!["api", "x", "Y"]
        ]
    );
    let from_parent = named_paths(&api, "pub use auth::Caller;\nlet x = other::y;", &modules);
    assert_eq!(from_parent, [vec!["api", "auth", "Caller"]]);
}
