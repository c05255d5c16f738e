//! Exports for auditors end to end: the NDJSON bodies of `GET /v1/exports/…`,
//! `since`/`until`, the manifest, and the command line (`export`, `audit
//! verify`, `import`) run as the real binary against the same database, on
//! SQLite and PostgreSQL.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::common::{
    assert_problem, example, on_both_backends, send, Backend, TestApp, TestDatabase,
};
use ai_registry::store::audit::{AuditEntry, GENESIS_HASH};
use chrono::{FixedOffset, SecondsFormat, Utc};
use diesel::prelude::*;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_ai-registry");

/// SHA-256 of an empty body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A GET with a token, and the raw body.
fn fetch(app: &TestApp, token: &str, path: &str) -> (u16, HeaderMap, Vec<u8>) {
    let resp = app
        .get(path)
        .bearer_auth(token)
        .send()
        .expect("request sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.bytes().expect("body read").to_vec();
    (status, headers, body)
}

/// A GET that must answer 200 with an NDJSON export; its body.
fn export(app: &TestApp, token: &str, path: &str) -> Vec<u8> {
    let (status, headers, body) = fetch(app, token, path);
    assert_eq!(
        status,
        200,
        "GET {path}: {}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/x-ndjson"),
        "GET {path}"
    );
    body
}

/// The `x-audit-head` header of an export.
fn audit_head_header(headers: &HeaderMap) -> i64 {
    headers
        .get("x-audit-head")
        .expect("x-audit-head header")
        .to_str()
        .unwrap()
        .parse()
        .expect("x-audit-head is a number")
}

/// The lines of an NDJSON body, each ending with a newline, none blank.
fn raw_lines(body: &[u8]) -> Vec<&str> {
    let text = std::str::from_utf8(body).expect("UTF-8");
    if text.is_empty() {
        return Vec::new();
    }
    assert!(text.ends_with('\n'), "the last line ends with a newline");
    let lines: Vec<&str> = text.strip_suffix('\n').unwrap().split('\n').collect();
    assert!(lines.iter().all(|l| !l.trim().is_empty()), "no blank line");
    lines
}

fn parse_lines(body: &[u8]) -> Vec<Value> {
    raw_lines(body)
        .into_iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The text of the JSON value of `key` in a version line, as written: the
/// first `,"key":` (the head before it holds only escaped strings and
/// numbers) up to the end of the value that follows.
fn raw_value<'a>(line: &'a str, key: &str) -> &'a str {
    let marker = format!(",\"{key}\":");
    let start = line
        .find(&marker)
        .unwrap_or_else(|| panic!("{key} in {line}"))
        + marker.len();
    let rest = &line[start..];
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    values.next().expect("a value").expect("valid JSON");
    &rest[..values.byte_offset()]
}

fn provider(app: &TestApp) -> String {
    app.token("provider", "Noordlicht Vision B.V.")
}

fn auditor(app: &TestApp) -> String {
    app.token("auditor", "Auditdienst Rijk")
}

fn register(app: &TestApp, token: &str, doc: &Value) -> Value {
    let (status, body, _) = send(app.post("/v1/systems").bearer_auth(token).json(doc));
    assert_eq!(status, 201, "{body}");
    body
}

/// Registers a use of `system` (the festival example, naming it by id).
fn register_use_of(app: &TestApp, deployer: &str, system: &Value) -> Value {
    let mut deployment = example("deployment-national-use");
    deployment.as_object_mut().unwrap().remove("system_url");
    deployment["system_id"] = system["id"].clone();
    let (s, b, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(deployer)
            .json(&deployment),
    );
    assert_eq!(s, 201, "{b}");
    b
}

fn update(app: &TestApp, token: &str, id: &str, version: i64, doc: &Value) -> Value {
    let (status, body, _) = send(
        app.put(&format!("/v1/systems/{id}"))
            .bearer_auth(token)
            .header("if-match", format!("\"{version}\""))
            .json(doc),
    );
    assert_eq!(status, 200, "{body}");
    body
}

fn change_status(app: &TestApp, token: &str, id: &str, status: &str, reason: &str) -> Value {
    let (s, body, _) = send(
        app.post(&format!("/v1/systems/{id}/status"))
            .bearer_auth(token)
            .json(&json!({"status": status, "reason": reason})),
    );
    assert_eq!(s, 200, "{body}");
    body
}

/// A system like example A with another reference: a distinct registration.
fn system_a(reference: &str) -> Value {
    let mut doc = example("system-annex-viii-a");
    doc["reference"] = json!(reference);
    doc
}

fn sleep_a_little() {
    std::thread::sleep(Duration::from_millis(25));
}

/// Now, as RFC 3339 with microseconds and `Z`.
fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The same instant as `t`, written with a +02:00 offset.
fn with_offset(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap()
        .with_timezone(&FixedOffset::east_opt(2 * 3600).unwrap())
        .to_rfc3339_opts(SecondsFormat::Micros, false)
}

/// `path` with `since` as a query parameter, percent-encoded.
fn with_since(path: &str, since: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!(
        "{path}{sep}{}",
        serde_urlencoded::to_string([("since", since)]).unwrap()
    )
}

/// Runs the binary on the test database.
fn cli(db: &TestDatabase, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["--database-url", &db.url])
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs one SQL statement on the test database behind the registry's back.
fn execute_sql(db: &TestDatabase, sql: &str) -> usize {
    match db.backend() {
        Backend::Sqlite => {
            let path = db.url.strip_prefix("sqlite://").expect("sqlite URL");
            let mut conn = SqliteConnection::establish(path).expect("open SQLite");
            diesel::sql_query("PRAGMA busy_timeout = 10000")
                .execute(&mut conn)
                .unwrap();
            diesel::sql_query(sql).execute(&mut conn).expect(sql)
        }
        Backend::Postgres => {
            let mut conn = PgConnection::establish(&db.url).expect("connect to PostgreSQL");
            diesel::sql_query(sql).execute(&mut conn).expect(sql)
        }
    }
}

/// The head of the chain as the audit export ends: (seq, hash).
fn head_of(app: &TestApp) -> (i64, String) {
    app.store
        .read_blocking(ai_registry::store::audit::head)
        .unwrap()
}

/// What the three exports hold, for the two readers allowed to pull them.
fn exports_hold_every_version_in_audit_order(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = provider(&app);
    let deployer = app.token("deployer", "Zomerfeest Evenementen B.V.");
    let auditor = auditor(&app);
    let authority = app.token("authority", "Autoriteit Persoonsgegevens");

    let public_doc = example("system-annex-viii-b");
    let public = register(&app, &provider, &public_doc);
    let public_id = public["id"].as_str().unwrap().to_owned();
    assert_eq!(
        public["classification"]["registration"]["section"],
        "public"
    );
    let restricted_doc = example("system-annex-viii-a");
    let restricted = register(&app, &provider, &restricted_doc);
    let restricted_id = restricted["id"].as_str().unwrap().to_owned();
    assert_eq!(
        restricted["classification"]["registration"]["section"],
        "non_public"
    );
    let mut changed = restricted_doc.clone();
    changed["intended_purpose"] = json!(format!(
        "{} Updated: \"quotes\", unicode é and a newline\nin the text.",
        restricted_doc["intended_purpose"].as_str().unwrap()
    ));
    // The non-public section keeps a reduced document: the stored one is
    // what the API answers with.
    let updated = update(&app, &provider, &restricted_id, 1, &changed);
    let mut deployment_doc = example("deployment-national-use");
    deployment_doc.as_object_mut().unwrap().remove("system_url");
    deployment_doc["system_id"] = json!(public_id);
    let (s, deployment, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&deployment_doc),
    );
    assert_eq!(s, 201, "{deployment}");
    let deployment_id = deployment["id"].as_str().unwrap().to_owned();
    let reason = "A flaw in the liveness check.";
    let recalled = change_status(&app, &provider, &public_id, "recalled", reason);
    let head = app.audit_seq();
    assert_eq!(head, 9, "four tokens and five writes");

    // Systems: one line per version, in the order of the chain.
    let (status, headers, systems) = fetch(&app, &auditor, "/v1/exports/systems");
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/x-ndjson");
    assert_eq!(audit_head_header(&headers), head);
    let raw = raw_lines(&systems);
    let lines = parse_lines(&systems);
    assert_eq!(lines.len(), 4, "two creates, an update and a status change");
    let expected = [
        (&public_id, 1, "create", "public", &public["document"]),
        (
            &restricted_id,
            1,
            "create",
            "non_public",
            &restricted["document"],
        ),
        (
            &restricted_id,
            2,
            "update",
            "non_public",
            &updated["document"],
        ),
        (&public_id, 2, "status", "public", &recalled["document"]),
    ];
    let mut last_seq = 0;
    for (i, (line, (id, version, action, section, doc))) in lines.iter().zip(expected).enumerate() {
        let seq = line["seq"].as_i64().expect("seq");
        assert!(
            seq > last_seq,
            "seq strictly ascending: {seq} after {last_seq}"
        );
        last_seq = seq;
        assert_eq!(line["id"], **id, "line {i}");
        assert_eq!(line["kind"], "system");
        assert_eq!(line["version"], version, "line {i}");
        assert_eq!(line["action"], action, "line {i}");
        assert_eq!(line["section"], section, "line {i}");
        // Only the owner writes its records: the writer of every version.
        assert_eq!(line["actor_org"], "Noordlicht Vision B.V.");
        assert!(line.get("owner_org").is_none());
        // The type is the document's: a line never reads the record's
        // current row, so it stays the same bytes after later writes.
        assert!(line.get("registration_type").is_none());
        assert!(line["document"]["registration_type"].is_string());
        assert!(line["recorded_at"].is_string());
        assert!(line["rules_version"].is_string());
        assert_eq!(&line["document"], doc, "line {i}: the document as stored");
        assert!(
            line["classification"]["outcome"].is_string(),
            "line {i}: {}",
            line["classification"]
        );
        // The digest is of the document's text exactly as it is in the line,
        // which is the compact JSON serde_json writes for the parsed value.
        let document = raw_value(raw[i], "document");
        assert_eq!(
            line["document_sha256"],
            sha256_hex(document.as_bytes()),
            "line {i}"
        );
        assert_eq!(
            document,
            serde_json::to_string(&line["document"]).unwrap(),
            "line {i}: compact JSON with sorted keys"
        );
        let classification = raw_value(raw[i], "classification");
        assert_eq!(
            format!("{classification}}}"),
            raw[i][raw[i].len() - classification.len() - 1..],
            "line {i}: the classification ends the line"
        );
    }
    assert_eq!(lines[0]["document"], public_doc, "public: as registered");
    assert!(
        lines[1]["document"].get("certificate").is_none(),
        "non-public: the items Art. 49(4) drops are not stored"
    );
    assert_eq!(
        lines[2]["document"]["intended_purpose"],
        changed["intended_purpose"]
    );
    assert_eq!(lines[3]["reason"], reason);
    assert!(lines[0]["reason"].is_null());
    assert_eq!(lines[3]["document"]["status"], "recalled");

    // Deployments.
    let deployments = export(&app, &auditor, "/v1/exports/deployments");
    let raw = raw_lines(&deployments);
    let lines = parse_lines(&deployments);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], deployment_id);
    assert_eq!(lines[0]["kind"], "deployment");
    assert_eq!(lines[0]["version"], 1);
    assert_eq!(lines[0]["action"], "create");
    assert_eq!(lines[0]["actor_org"], "Zomerfeest Evenementen B.V.");
    assert_eq!(lines[0]["document"], deployment["document"]);
    assert_eq!(lines[0]["document"]["system_id"], json!(public_id));
    assert_eq!(
        lines[0]["document_sha256"],
        sha256_hex(raw_value(raw[0], "document").as_bytes())
    );

    // The audit chain: contiguous from 1, each entry chained to the last.
    let audit = export(&app, &auditor, "/v1/exports/audit");
    let entries: Vec<AuditEntry> = raw_lines(&audit)
        .into_iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(entries.len() as i64, head);
    let mut prev_hash = GENESIS_HASH.to_owned();
    for (i, entry) in entries.iter().enumerate() {
        assert_eq!(entry.seq, i as i64 + 1, "contiguous from 1");
        assert_eq!(entry.prev_hash, prev_hash, "entry {} chains", entry.seq);
        assert_eq!(entry.hash, entry.compute_hash(), "entry {}", entry.seq);
        prev_hash = entry.hash.clone();
    }
    assert_eq!(head_of(&app), (head, prev_hash));
    // Each version line is the audit entry of its write.
    let systems_lines = parse_lines(&systems);
    for line in systems_lines.iter().chain(&parse_lines(&deployments)) {
        let entry = &entries[line["seq"].as_i64().unwrap() as usize - 1];
        assert_eq!(entry.entity, line["kind"].as_str().unwrap());
        assert_eq!(entry.entity_id, line["id"].as_str().unwrap());
        assert_eq!(entry.version, line["version"].as_i64().unwrap());
        assert_eq!(entry.action, line["action"].as_str().unwrap());
        assert_eq!(entry.body_sha256, line["document_sha256"].as_str().unwrap());
    }
    assert_eq!(
        entries.iter().filter(|e| e.entity == "token").count(),
        4,
        "the tokens are in the chain too"
    );

    // The authority gets the same bytes, non-public system included; and
    // the same export twice is the same bytes.
    for name in ["systems", "deployments", "audit"] {
        let path = format!("/v1/exports/{name}");
        let first = export(&app, &auditor, &path);
        assert_eq!(export(&app, &auditor, &path), first, "{name}: stable");
        assert_eq!(export(&app, &authority, &path), first, "{name}: authority");
    }
    assert_eq!(export(&app, &auditor, "/v1/exports/systems"), systems);

    // Nobody else.
    for path in [
        "/v1/exports/systems",
        "/v1/exports/audit",
        "/v1/exports/manifest",
    ] {
        let (s, b, h) = send(app.get(path));
        assert_problem(s, &b, &h, 401, "unauthorized");
        for token in [&provider, &deployer] {
            let (s, b, h) = send(app.get(path).bearer_auth(token));
            assert_problem(s, &b, &h, 403, "forbidden");
        }
    }
    let (s, b, h) = send(app.get("/v1/exports/records").bearer_auth(&auditor));
    assert_problem(s, &b, &h, 404, "not-found");
    assert_eq!(app.audit_seq(), head, "reading wrote nothing");
    assert_eq!(app.verify_chain(), head);
}

/// `since` (a sequence number or a time) and `until`.
fn since_and_until_bound_an_export(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = provider(&app);
    let auditor = auditor(&app);
    let first = register(&app, &provider, &system_a("S-1"));
    let first_id = first["id"].as_str().unwrap().to_owned();
    let second = register(&app, &provider, &example("system-annex-viii-b"));
    let second_id = second["id"].as_str().unwrap().to_owned();

    // Changes after an audit sequence number.
    let before = app.audit_seq();
    let mut changed = system_a("S-1");
    changed["intended_purpose"] = json!("Changed.");
    update(&app, &provider, &first_id, 1, &changed);
    let third = register(&app, &provider, &system_a("S-3"));
    let full = export(&app, &auditor, "/v1/exports/systems");
    assert_eq!(parse_lines(&full).len(), 4);
    let (s, h, changes) = fetch(
        &app,
        &auditor,
        &format!("/v1/exports/systems?since={before}"),
    );
    assert_eq!(s, 200);
    assert_eq!(audit_head_header(&h), app.audit_seq());
    let lines = parse_lines(&changes);
    assert_eq!(lines.len(), 2, "{}", String::from_utf8_lossy(&changes));
    assert!(lines.iter().all(|l| l["seq"].as_i64().unwrap() > before));
    assert_eq!(
        (&lines[0]["id"], &lines[0]["version"]),
        (&json!(first_id), &json!(2))
    );
    assert_eq!(
        (&lines[1]["id"], &lines[1]["version"]),
        (&third["id"], &json!(1))
    );
    assert!(full.ends_with(&changes), "the tail of the full export");
    assert_eq!(export(&app, &auditor, "/v1/exports/systems?since=0"), full);
    let head = app.audit_seq();
    assert!(export(&app, &auditor, &format!("/v1/exports/systems?since={head}")).is_empty());
    let audit_changes = parse_lines(&export(
        &app,
        &auditor,
        &format!("/v1/exports/audit?since={before}"),
    ));
    let seqs: Vec<i64> = audit_changes
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, vec![before + 1, before + 2]);

    // Changes from a time taken between two writes.
    let seq_before_time = app.audit_seq();
    sleep_a_little();
    let time = now_rfc3339();
    sleep_a_little();
    change_status(
        &app,
        &provider,
        &second_id,
        "recalled",
        "Withdrawn by the maker.",
    );
    let fourth = register(&app, &provider, &system_a("S-4"));
    let by_time = export(&app, &auditor, &with_since("/v1/exports/systems", &time));
    let lines = parse_lines(&by_time);
    assert_eq!(lines.len(), 2, "{}", String::from_utf8_lossy(&by_time));
    assert_eq!(
        (&lines[0]["id"], &lines[0]["action"]),
        (&json!(second_id), &json!("status"))
    );
    assert_eq!(
        (&lines[1]["id"], &lines[1]["version"]),
        (&fourth["id"], &json!(1))
    );
    assert_eq!(
        by_time,
        export(
            &app,
            &auditor,
            &format!("/v1/exports/systems?since={seq_before_time}")
        ),
        "the same as since the last sequence number before the time"
    );
    assert_eq!(
        export(
            &app,
            &auditor,
            &with_since("/v1/exports/systems", &with_offset(&time))
        ),
        by_time,
        "the same instant with an offset"
    );
    let audit_by_time = parse_lines(&export(
        &app,
        &auditor,
        &with_since("/v1/exports/audit", &time),
    ));
    assert_eq!(audit_by_time.len(), 2);
    assert!(audit_by_time
        .iter()
        .all(|e| e["at"].as_str().unwrap() >= time.as_str()));

    // Bad parameters are problems, before any byte of an export.
    let head = app.audit_seq();
    for query in [
        "since=garbage".to_owned(),
        "since=-1".to_owned(),
        "since=2026-13-45T00:00:00Z".to_owned(),
        "since=".to_owned(),
        format!("until={}", head + 1),
        "until=-1".to_owned(),
        "until=abc".to_owned(),
        "foo=1".to_owned(),
        "since=0&foo=1".to_owned(),
    ] {
        for name in ["systems", "audit", "manifest"] {
            let (s, b, h) = send(
                app.get(&format!("/v1/exports/{name}?{query}"))
                    .bearer_auth(&auditor),
            );
            assert_problem(s, &b, &h, 400, "invalid-parameter");
            assert!(!b["detail"].as_str().unwrap().is_empty(), "{name}?{query}");
        }
    }
    assert_eq!(app.audit_seq(), head);

    // `until` pins an export to a head: later writes do not change it.
    let (s, h, pinned) = fetch(&app, &auditor, &format!("/v1/exports/systems?until={head}"));
    assert_eq!(s, 200);
    assert_eq!(audit_head_header(&h), head);
    assert_eq!(pinned, export(&app, &auditor, "/v1/exports/systems"));
    // A request whose headers are in, then a write, then its body.
    let started = app
        .get("/v1/exports/systems")
        .bearer_auth(&auditor)
        .send()
        .unwrap();
    assert_eq!(started.status().as_u16(), 200);
    assert_eq!(audit_head_header(started.headers()), head);
    let fifth = register(&app, &provider, &system_a("S-5"));
    assert_eq!(started.bytes().unwrap().to_vec(), pinned, "as of its head");
    assert_eq!(
        export(&app, &auditor, &format!("/v1/exports/systems?until={head}")),
        pinned,
        "the same bytes after a further write"
    );
    let (_, h, now) = fetch(&app, &auditor, "/v1/exports/systems");
    assert_eq!(audit_head_header(&h), head + 1);
    assert!(now.starts_with(&pinned));
    let extra = parse_lines(&now[pinned.len()..]);
    assert_eq!(extra.len(), 1);
    assert_eq!(extra[0]["id"], fifth["id"]);
    // since and until together: before < seq <= until.
    let window = parse_lines(&export(
        &app,
        &auditor,
        &format!("/v1/exports/audit?since={before}&until={seq_before_time}"),
    ));
    let seqs: Vec<i64> = window.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, ((before + 1)..=seq_before_time).collect::<Vec<_>>());
    assert!(export(&app, &auditor, "/v1/exports/audit?until=0").is_empty());
    assert_eq!(app.verify_chain(), head + 1);
}

/// The body of every export a manifest lists matches its count and digest.
fn check_manifest_entries(app: &TestApp, token: &str, manifest: &Value) {
    let exports = manifest["exports"].as_array().expect("exports");
    let names: Vec<&str> = exports
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["systems", "deployments", "audit"]);
    for entry in exports {
        let name = entry["name"].as_str().unwrap();
        assert_eq!(entry["file"], format!("{name}.ndjson"));
        let path = entry["path"].as_str().expect("path");
        let (status, headers, body) = fetch(app, token, path);
        assert_eq!(status, 200, "GET {path}");
        assert_eq!(audit_head_header(&headers), manifest["audit_head"]["seq"]);
        let lines = parse_lines(&body);
        assert_eq!(entry["lines"], lines.len(), "{name}: lines");
        assert_eq!(entry["bytes"], body.len(), "{name}: bytes");
        assert_eq!(entry["sha256"], sha256_hex(&body), "{name}: sha256");
        let records = if name == "audit" {
            0
        } else {
            lines.iter().filter(|l| l["version"] == 1).count()
        };
        assert_eq!(entry["records"], records, "{name}: records");
    }
}

fn manifest(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body, headers) = send(
        app.get(&format!("/v1/exports/manifest{query}"))
            .bearer_auth(token),
    );
    assert_eq!(status, 200, "manifest{query}: {body}");
    assert_eq!(headers["content-type"], "application/json");
    body
}

/// The manifest: head, counts and digests, and the paths that give the
/// same bytes later.
fn manifest_matches_the_exports_it_lists(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = provider(&app);
    let deployer = app.token("deployer", "Zomerfeest Evenementen B.V.");
    let auditor = auditor(&app);
    let authority = app.token("authority", "Autoriteit Persoonsgegevens");
    let public = register(&app, &provider, &example("system-annex-viii-b"));
    register(&app, &provider, &example("system-annex-viii-a"));
    register_use_of(&app, &deployer, &public);

    let head = app.audit_seq();
    let old = manifest(&app, &auditor, "");
    assert_eq!(old["audit_head"]["seq"], head);
    assert!(old["since"].is_null());
    let audit = parse_lines(&export(&app, &auditor, "/v1/exports/audit"));
    let last = audit.last().unwrap();
    assert_eq!(old["audit_head"]["hash"], last["hash"]);
    assert_eq!(old["data_timestamp"], last["at"]);
    for entry in old["exports"].as_array().unwrap() {
        assert_eq!(
            entry["path"],
            format!(
                "/v1/exports/{}?until={head}",
                entry["name"].as_str().unwrap()
            )
        );
    }
    check_manifest_entries(&app, &auditor, &old);
    assert_eq!(old["exports"][0]["lines"], 2);
    assert_eq!(old["exports"][1]["lines"], 1);
    assert_eq!(old["exports"][2]["lines"], head);
    assert_eq!(
        manifest(&app, &authority, ""),
        old,
        "the same for the authority"
    );
    assert_eq!(manifest(&app, &auditor, ""), old, "stable");

    // A write: a new head and new digests; the old paths give the old bytes.
    sleep_a_little();
    let time = now_rfc3339();
    sleep_a_little();
    register(&app, &provider, &system_a("M-2"));
    let new = manifest(&app, &auditor, "");
    assert_eq!(new["audit_head"]["seq"], head + 1);
    assert_ne!(new["audit_head"]["hash"], old["audit_head"]["hash"]);
    assert_ne!(new["data_timestamp"], old["data_timestamp"]);
    assert_ne!(new["exports"][0]["sha256"], old["exports"][0]["sha256"]);
    assert_eq!(new["exports"][0]["lines"], 3);
    assert_eq!(
        new["exports"][1]["sha256"], old["exports"][1]["sha256"],
        "no new deployment"
    );
    assert_ne!(new["exports"][2]["sha256"], old["exports"][2]["sha256"]);
    check_manifest_entries(&app, &auditor, &new);
    check_manifest_entries(&app, &auditor, &old);
    assert_eq!(
        manifest(&app, &auditor, &format!("?until={head}")),
        old,
        "the manifest as of the old head"
    );

    // Changes only: the paths carry `since`, and still give the bytes.
    let changes = manifest(&app, &auditor, &format!("?since={head}"));
    assert_eq!(changes["since"], head.to_string());
    assert_eq!(
        changes["exports"][0]["path"],
        format!("/v1/exports/systems?since={head}&until={}", head + 1)
    );
    assert_eq!(changes["exports"][0]["lines"], 1);
    assert_eq!(changes["exports"][1]["lines"], 0);
    assert_eq!(changes["exports"][1]["sha256"], EMPTY_SHA256);
    check_manifest_entries(&app, &auditor, &changes);
    for since in [time.clone(), with_offset(&time)] {
        let by_time = manifest(&app, &auditor, &with_since("", &since));
        assert_eq!(
            by_time["exports"][0]["lines"], 1,
            "since {since}: {by_time}"
        );
        assert_eq!(by_time["exports"][2]["lines"], 1, "since {since}");
        assert_eq!(
            by_time["exports"][0]["sha256"], changes["exports"][0]["sha256"],
            "since {since}"
        );
        assert!(
            by_time["since"].as_str().unwrap().ends_with('Z'),
            "{by_time}"
        );
        check_manifest_entries(&app, &auditor, &by_time);
    }

    // As of the empty chain.
    let empty = manifest(&app, &auditor, "?until=0");
    assert_eq!(empty["audit_head"]["seq"], 0);
    assert_eq!(empty["audit_head"]["hash"], GENESIS_HASH);
    assert!(empty["data_timestamp"].is_null());
    for entry in empty["exports"].as_array().unwrap() {
        assert_eq!(entry["lines"], 0);
        assert_eq!(entry["sha256"], EMPTY_SHA256);
    }
    check_manifest_entries(&app, &auditor, &empty);
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("file written")).expect("JSON")
}

/// `ai-registry export`: the files are the bytes of the API.
fn export_command_writes_the_api_bytes(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = provider(&app);
    let deployer = app.token("deployer", "Zomerfeest Evenementen B.V.");
    let auditor = auditor(&app);
    let public = register(&app, &provider, &example("system-annex-viii-b"));
    let restricted = register(&app, &provider, &example("system-annex-viii-a"));
    register_use_of(&app, &deployer, &public);
    let mut changed = example("system-annex-viii-a");
    changed["intended_purpose"] = json!("Changed.");
    update(
        &app,
        &provider,
        restricted["id"].as_str().unwrap(),
        1,
        &changed,
    );
    let head = app.audit_seq();

    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("export").join("now");
    let out = cli(&app.db, &["export", "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "export: {}", stderr(&out));
    for name in ["systems", "deployments", "audit"] {
        let file = std::fs::read(out_dir.join(format!("{name}.ndjson"))).expect("file written");
        assert_eq!(
            file,
            export(&app, &auditor, &format!("/v1/exports/{name}?until={head}")),
            "{name}.ndjson"
        );
        assert_eq!(file, export(&app, &auditor, &format!("/v1/exports/{name}")));
    }
    let written = read_json(&out_dir.join("manifest.json"));
    assert_eq!(written, manifest(&app, &auditor, ""));
    assert_eq!(written["audit_head"]["seq"], head);

    // A later write, then an export of changes as of the earlier head.
    register(&app, &provider, &system_a("E-2"));
    let since = 4;
    let out_dir = dir.path().join("changes");
    let out = cli(
        &app.db,
        &[
            "export",
            "--out",
            out_dir.to_str().unwrap(),
            "--since",
            &since.to_string(),
            "--until",
            &head.to_string(),
        ],
    );
    assert!(out.status.success(), "export: {}", stderr(&out));
    let written = read_json(&out_dir.join("manifest.json"));
    let http = manifest(&app, &auditor, &format!("?since={since}&until={head}"));
    assert_eq!(written, http);
    assert_eq!(written["audit_head"]["seq"], head);
    assert_eq!(written["exports"][2]["lines"], head - since);
    for entry in http["exports"].as_array().unwrap() {
        let file = std::fs::read(out_dir.join(entry["file"].as_str().unwrap())).unwrap();
        assert_eq!(
            file,
            export(&app, &auditor, entry["path"].as_str().unwrap())
        );
    }

    // Changes from a time.
    sleep_a_little();
    let time = now_rfc3339();
    sleep_a_little();
    register(&app, &provider, &system_a("E-3"));
    let out_dir = dir.path().join("by-time");
    let out = cli(
        &app.db,
        &[
            "export",
            "--out",
            out_dir.to_str().unwrap(),
            "--since",
            &with_offset(&time),
        ],
    );
    assert!(out.status.success(), "export: {}", stderr(&out));
    let written = read_json(&out_dir.join("manifest.json"));
    assert_eq!(written, manifest(&app, &auditor, &with_since("", &time)));
    assert_eq!(written["exports"][0]["lines"], 1);
    let file = std::fs::read(out_dir.join("systems.ndjson")).unwrap();
    assert_eq!(
        file,
        export(&app, &auditor, &with_since("/v1/exports/systems", &time))
    );

    // Refusals.
    let bad = dir.path().join("bad");
    let beyond = (app.audit_seq() + 1).to_string();
    for args in [vec!["--until", beyond.as_str()], vec!["--since", "garbage"]] {
        let mut all = vec!["export", "--out", bad.to_str().unwrap()];
        all.extend(args);
        let out = cli(&app.db, &all);
        assert_eq!(out.status.code(), Some(1), "{all:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error:"), "{}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
    assert_eq!(app.verify_chain(), app.audit_seq());
}

/// `ai-registry audit verify`, on an intact chain and a tampered one.
fn audit_verify_finds_a_tampered_entry(backend: Backend) {
    let empty = TestDatabase::new(backend);
    if backend == Backend::Sqlite {
        // A mistyped path is an error, not a new empty register that verifies.
        let out = cli(&empty, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        assert!(stderr(&out).contains("no database"), "{}", stderr(&out));
    }
    assert!(cli(&empty, &["migrate"]).status.success());
    let out = cli(&empty, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("0 entries"), "{}", stdout(&out));

    let app = TestApp::spawn(backend);
    let provider = provider(&app);
    let auditor = auditor(&app);
    let created = register(&app, &provider, &example("system-annex-viii-a"));
    register(&app, &provider, &example("system-annex-viii-b"));
    let mut changed = example("system-annex-viii-a");
    changed["intended_purpose"] = json!("Changed.");
    update(
        &app,
        &provider,
        created["id"].as_str().unwrap(),
        1,
        &changed,
    );
    let (seq, hash) = head_of(&app);
    assert_eq!(seq, 5);

    let out = cli(&app.db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("5 entries"), "{text}");
    assert!(text.contains(&hash), "names the head: {text}");

    // Someone edits entry 3 in the database.
    let changed_rows = execute_sql(
        &app.db,
        "UPDATE audit_log SET actor_org = 'someone else' WHERE seq = 3",
    );
    assert_eq!(changed_rows, 1);
    let out = cli(&app.db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("entry 3"), "{text}");
    assert!(!text.contains("verifies"), "{text}");
    // An auditor holding the export sees it too.
    let audit = export(&app, &auditor, "/v1/exports/audit");
    let entries: Vec<AuditEntry> = raw_lines(&audit)
        .into_iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries[2].actor_org, "someone else");
    assert_ne!(entries[2].compute_hash(), entries[2].hash);
    assert!(entries
        .iter()
        .filter(|e| e.seq != 3)
        .all(|e| e.compute_hash() == e.hash));

    // Entry 3 restored, entry 4 re-chained to something else.
    execute_sql(
        &app.db,
        "UPDATE audit_log SET actor_org = 'Noordlicht Vision B.V.' WHERE seq = 3",
    );
    assert!(cli(&app.db, &["audit", "verify"]).status.success());
    execute_sql(
        &app.db,
        &format!("UPDATE audit_log SET prev_hash = '{GENESIS_HASH}' WHERE seq = 4"),
    );
    let out = cli(&app.db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("entry 4"), "{}", stdout(&out));

    // A stored document edited behind the registry's back: the chain is
    // intact, but the export shows a document whose digest is not the one
    // the chain vouches for.
    execute_sql(
        &app.db,
        &format!(
            "UPDATE audit_log SET prev_hash = '{}' WHERE seq = 4",
            entries[2].hash
        ),
    );
    assert!(cli(&app.db, &["audit", "verify"]).status.success());
    let edited = execute_sql(
        &app.db,
        "UPDATE record_versions SET document = REPLACE(document, 'Changed.', 'Tampered.') \
         WHERE version = 2",
    );
    assert_eq!(edited, 1);
    let systems = export(&app, &auditor, "/v1/exports/systems");
    let raw = raw_lines(&systems);
    let lines = parse_lines(&systems);
    assert_eq!(lines[2]["document"]["intended_purpose"], "Tampered.");
    let entry = &entries[lines[2]["seq"].as_i64().unwrap() as usize - 1];
    assert_eq!(
        entry.body_sha256,
        lines[2]["document_sha256"].as_str().unwrap()
    );
    assert_ne!(
        sha256_hex(raw_value(raw[2], "document").as_bytes()),
        entry.body_sha256,
        "the edit shows"
    );
    for (raw, line) in raw.iter().zip(&lines).take(2) {
        assert_eq!(
            sha256_hex(raw_value(raw, "document").as_bytes()),
            line["document_sha256"].as_str().unwrap(),
            "the other versions are untouched"
        );
    }
    // `audit verify` checks the stored versions against the chain too.
    let out = cli(&app.db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("entry {}", entry.seq)) && stdout.contains("document"),
        "{stdout}"
    );
    // And a version that is gone altogether.
    execute_sql(
        &app.db,
        "UPDATE record_versions SET document = REPLACE(document, 'Tampered.', 'Changed.') \
         WHERE version = 2",
    );
    assert!(cli(&app.db, &["audit", "verify"]).status.success());
    assert_eq!(
        execute_sql(
            &app.db,
            &format!(
                "DELETE FROM record_versions WHERE record_id = '{}' AND version = 2",
                lines[2]["id"].as_str().unwrap()
            ),
        ),
        1
    );
    let out = cli(&app.db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("entry {}", entry.seq)) && stdout.contains("missing"),
        "{stdout}"
    );
}

/// The number of systems an authority finds.
fn systems_total(app: &TestApp, authority: &str) -> i64 {
    let (s, b, _) = send(app.get("/v1/systems").bearer_auth(authority));
    assert_eq!(s, 200, "{b}");
    b["total"].as_i64().expect("total")
}

/// The line numbers `import` reported, in order, one per reported problem.
fn reported_lines(text: &str) -> Vec<u64> {
    text.lines()
        .map(|l| {
            let rest = l.strip_prefix("line ").unwrap_or_else(|| panic!("{l}"));
            rest.split(':').next().unwrap().parse().unwrap()
        })
        .collect()
}

/// `ai-registry import`: good lines in, bad lines reported, nothing
/// written in a dry run.
fn import_reports_bad_lines_and_keeps_the_good(backend: Backend) {
    let app = TestApp::spawn(backend);
    let authority = app.token("authority", "Autoriteit Persoonsgegevens");
    let auditor = auditor(&app);
    let one = serde_json::to_string(&system_a("IMP-1")).unwrap();
    let mut no_name = example("system-annex-viii-b");
    no_name.as_object_mut().unwrap().remove("trade_name");
    let lines = [
        one.clone(),
        "{\"trade_name\": not json".to_owned(),
        serde_json::to_string(&no_name).unwrap(),
        serde_json::to_string(&example("system-annex-viii-b")).unwrap(),
        one.clone(),
        String::new(),
        serde_json::to_string(&system_a("IMP-7")).unwrap(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let file = file.to_str().unwrap();

    let seq = app.audit_seq();
    let dry = cli(&app.db, &["import", file, "--dry-run"]);
    assert_eq!(dry.status.code(), Some(1), "{}", stderr(&dry));
    let report = stdout(&dry);
    let mut reported = reported_lines(&report);
    reported.dedup();
    assert_eq!(reported, [2, 3, 5], "{report}");
    assert!(report.contains("line 2: /: "), "{report}");
    assert!(report.contains("line 3: /trade_name: "), "{report}");
    assert!(report.contains("line 5: /reference: "), "{report}");
    assert!(
        stderr(&dry).contains("3 of 6 lines would be registered, 3 refused"),
        "{}",
        stderr(&dry)
    );
    assert_eq!(app.audit_seq(), seq, "a dry run writes nothing");
    assert_eq!(systems_total(&app, &authority), 0);

    let real = cli(&app.db, &["import", file]);
    assert_eq!(real.status.code(), Some(1), "{}", stderr(&real));
    assert_eq!(stdout(&real), report, "the same report");
    assert!(
        stderr(&real).contains("3 of 6 lines registered, 3 refused"),
        "{}",
        stderr(&real)
    );
    assert_eq!(app.audit_seq(), seq + 3);
    assert_eq!(systems_total(&app, &authority), 3);
    assert_eq!(app.verify_chain(), seq + 3);
    let stored = parse_lines(&export(&app, &auditor, "/v1/exports/systems"));
    let references: Vec<&str> = stored
        .iter()
        .map(|l| l["document"]["reference"].as_str().unwrap())
        .collect();
    assert_eq!(references, ["IMP-1", "EIC-2.1", "IMP-7"], "in file order");
    assert_eq!(stored[0]["actor_org"], "Noordlicht Vision B.V.");
    assert_eq!(stored[1]["actor_org"], "Examenzeker B.V.");
    let audit = parse_lines(&export(
        &app,
        &auditor,
        &format!("/v1/exports/audit?since={seq}"),
    ));
    assert!(audit.iter().all(|e| e["role"] == "import"), "{audit:?}");

    // Only good lines: exit 0, nothing on standard output.
    let good = dir.path().join("good.ndjson");
    std::fs::write(
        &good,
        format!(
            "{}\n{}\n",
            serde_json::to_string(&system_a("IMP-8")).unwrap(),
            serde_json::to_string(&system_a("IMP-9")).unwrap()
        ),
    )
    .unwrap();
    let out = cli(
        &app.db,
        &["import", good.to_str().unwrap(), "--org", "Importeur B.V."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(systems_total(&app, &authority), 5);
    let stored = parse_lines(&export(
        &app,
        &auditor,
        &format!("/v1/exports/systems?since={}", seq + 3),
    ));
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|l| l["actor_org"] == "Importeur B.V."));
    // Again: every line is now a duplicate.
    let out = cli(
        &app.db,
        &["import", good.to_str().unwrap(), "--org", "Importeur B.V."],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(reported_lines(&stdout(&out)), [1, 2], "{}", stdout(&out));
    assert_eq!(systems_total(&app, &authority), 5);
    assert_eq!(app.verify_chain(), seq + 5);
}

fn deployments_total(app: &TestApp, authority: &str) -> i64 {
    let (s, b, _) = send(app.get("/v1/deployments").bearer_auth(authority));
    assert_eq!(s, 200, "{b}");
    b["total"].as_i64().expect("total")
}

/// A use is the same use when its organisation imports the same document
/// again: a file imported twice registers its uses once, and a line repeated
/// within a file is refused, in a dry run as in a real one.
fn importing_the_same_uses_twice_registers_them_once(backend: Backend) {
    let app = TestApp::spawn(backend);
    let authority = app.token("authority", "Autoriteit Persoonsgegevens");
    let festival = example("deployment-national-use");
    let mut elsewhere = festival.clone();
    elsewhere["location"]["municipality"] = json!("Rotterdam");
    let lines = [
        serde_json::to_string(&festival).unwrap(),
        serde_json::to_string(&festival).unwrap(),
        serde_json::to_string(&elsewhere).unwrap(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("uses.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let file = file.to_str().unwrap();

    for args in [vec!["import", file, "--dry-run"], vec!["import", file]] {
        let out = cli(&app.db, &args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let report = stdout(&out);
        assert_eq!(reported_lines(&report), [2], "{report}");
        assert!(report.contains("the same use already"), "{report}");
    }
    assert_eq!(deployments_total(&app, &authority), 2);
    let seq = app.audit_seq();
    for args in [vec!["import", file, "--dry-run"], vec!["import", file]] {
        let out = cli(&app.db, &args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        // Repeats within the file are found as the line is read, the rest
        // when the batch is stored.
        let mut reported = reported_lines(&stdout(&out));
        reported.sort_unstable();
        assert_eq!(reported, [1, 2, 3], "{}", stdout(&out));
    }
    assert_eq!(app.audit_seq(), seq, "nothing registered twice");
    assert_eq!(deployments_total(&app, &authority), 2);
}

on_both_backends!(
    exports_hold_every_version_in_audit_order,
    since_and_until_bound_an_export,
    manifest_matches_the_exports_it_lists,
    export_command_writes_the_api_bytes,
    audit_verify_finds_a_tampered_entry,
    import_reports_bad_lines_and_keeps_the_good,
    importing_the_same_uses_twice_registers_them_once,
);
