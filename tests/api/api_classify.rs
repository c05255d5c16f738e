//! `POST /v1/classify` and `ai-registry classify`: dry runs that store nothing.

use std::process::Command;

use crate::common::{assert_problem, example, on_both_backends, pointers, send, Backend, TestApp};
use serde_json::json;

fn facts_alone_are_classified_without_a_token_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend);
    let before = app.audit_seq();
    let facts = json!({"facts": {
        "biometric": {"uses_biometric_data": true, "modalities": ["voice"], "functions": ["emotion_recognition"]},
        "spaces": ["workplace"], "subjects": ["employees"], "purposes": ["worker_management"],
        "deployer_type": "employer", "profiling": true
    }});
    let (s, b, _) = send(app.post("/v1/classify").json(&facts));
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["outcome"], "prohibited");
    assert_eq!(b["prohibited_practices"], json!(["art_5_1_f"]));
    assert_eq!(b["annex_iii_points"], json!(["1_c", "4_b"]));
    assert!(b["rules_version"].is_string());
    assert!(b["rationale"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["rule"].as_str().unwrap().starts_with("art_5_1_f")));
    assert_eq!(app.audit_seq(), before, "a dry run stores nothing");
}

fn a_whole_registration_is_classified_as_it_would_be_stored(backend: Backend) {
    let app = TestApp::spawn(backend);
    let doc = example("system-annex-viii-a");
    let (s, dry, _) = send(app.post("/v1/classify").json(&doc));
    assert_eq!(s, 200, "{dry}");
    let token = app.token("provider", "Noordlicht Vision B.V.");
    let (s, stored, _) = send(app.post("/v1/systems").bearer_auth(&token).json(&doc));
    assert_eq!(s, 201);
    assert_eq!(
        stored["classification"], dry,
        "the dry run predicts the stored classification"
    );
    let (_, b, _) = send(
        app.post("/v1/classify")
            .json(&example("system-annex-viii-b")),
    );
    assert_eq!(b["outcome"], "not_high_risk");
    assert_eq!(b["art_6_3"]["claimed"], true);
    assert!(b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "declared_annex_iii_mismatch"));
}

fn bad_facts_get_the_same_pointers_as_a_registration(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (s, b, h) = send(
        app.post("/v1/classify")
            .json(&json!({"facts": {"biometric": {"timing": "sometimes"}, "spaces": ["moon"]}})),
    );
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(
        pointers(&b),
        vec!["/facts/biometric/timing", "/facts/spaces/0"]
    );
    let (s, b, _) = send(app.post("/v1/classify").json(&json!({"fact": {}})));
    assert_eq!(s, 422);
    assert_eq!(pointers(&b), vec!["/fact", "/facts"]);
    let mut doc = example("system-annex-viii-a");
    doc.as_object_mut().unwrap().remove("trade_name");
    let (s, b, _) = send(app.post("/v1/classify").json(&doc));
    assert_eq!(s, 422);
    assert_eq!(pointers(&b), vec!["/trade_name"]);
    let (s, b, h) = send(
        app.post("/v1/classify")
            .header("content-type", "application/json")
            .body("{"),
    );
    assert_problem(s, &b, &h, 400, "malformed-json");
}

on_both_backends!(
    facts_alone_are_classified_without_a_token_and_nothing_is_stored,
    a_whole_registration_is_classified_as_it_would_be_stored,
    bad_facts_get_the_same_pointers_as_a_registration,
);

#[test]
fn the_cli_classifies_a_file_offline() {
    let bin = env!("CARGO_BIN_EXE_ai-registry");
    let file = format!(
        "{}/tests/fixtures/examples/system-annex-viii-a.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new(bin)
        .args(["classify", &file])
        .env("DATABASE_URL", "sqlite:///nonexistent/never-opened.db")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["outcome"], "high_risk");
    assert_eq!(c["registration"]["section"], "non_public");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"facts": {"profiling": "yes"}}"#).unwrap();
    let out = Command::new(bin)
        .args(["classify", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/facts/profiling"));
}
