//! Deployer registrations end to end over HTTP, on SQLite and PostgreSQL.

use crate::common::{assert_problem, example, on_both_backends, pointers, send, Backend, TestApp};
use serde_json::{json, Value};

fn post(app: &TestApp, token: &str, doc: &Value) -> (u16, Value, reqwest::header::HeaderMap) {
    send(app.post("/v1/deployments").bearer_auth(token).json(doc))
}

fn codes(classification: &Value) -> Vec<String> {
    classification["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn both_examples_register_and_are_classified(backend: Backend) {
    let app = TestApp::spawn(backend);
    let police = app.token("deployer", "Politie");
    let festival = app.token("deployer", "Zomerfeest Evenementen B.V.");
    let c = example("deployment-annex-viii-c");
    let (s, b, h) = post(&app, &police, &c);
    assert_eq!(s, 201, "{b}");
    let id = b["id"].as_str().unwrap();
    assert_eq!(h["location"], format!("/v1/deployments/{id}").as_str());
    assert_eq!(h["etag"], "\"1\"");
    // Non-public (Art. 49(4)): stored without C.4 and C.5.
    let mut kept = c.clone();
    kept.as_object_mut().unwrap().remove("fria_summary");
    kept.as_object_mut().unwrap().remove("dpia_summary");
    assert_eq!(b["document"], kept);
    assert_eq!(b["classification"]["annex_iii_points"], json!(["1_a"]));
    assert_eq!(b["classification"]["registration"]["section"], "non_public");

    let n = example("deployment-national-use");
    let (s, b, _) = post(&app, &festival, &n);
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["classification"]["registration"]["section"], "public");
    let (s, read, _) = send(app.get(&format!("/v1/deployments/{}", b["id"].as_str().unwrap())));
    assert_eq!(s, 200, "the public section is public");
    assert_eq!(read["document"], n);
    assert_eq!(app.verify_chain(), 4);
}

fn only_deployers_register_uses(backend: Backend) {
    let app = TestApp::spawn(backend);
    let doc = example("deployment-national-use");
    let (s, b, h) = send(app.post("/v1/deployments").json(&doc));
    assert_problem(s, &b, &h, 401, "unauthorized");
    for role in ["provider", "authority", "auditor"] {
        let (s, b, h) = post(&app, &app.token(role, "X"), &doc);
        assert_problem(s, &b, &h, 403, "forbidden");
    }
}

fn a_deployment_names_one_visible_system(backend: Backend) {
    let app = TestApp::spawn(backend);
    let vendor = app.token("provider", "Examenzeker B.V.");
    let police_vendor = app.token("provider", "Noordlicht Vision B.V.");
    let deployer = app.token("deployer", "Hogeschool Utrecht");
    let (_, public_system, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&vendor)
            .json(&example("system-annex-viii-b")),
    );
    let (_, restricted, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&police_vendor)
            .json(&example("system-annex-viii-a")),
    );
    let before = app.audit_seq();

    let mut doc = example("deployment-national-use");
    doc.as_object_mut().unwrap().remove("system_url");
    let (s, b, _) = post(&app, &deployer, &doc);
    assert_eq!((s, pointers(&b)), (422, vec!["/system_id".to_owned()]));
    assert_eq!(b["errors"][0]["keyword"], "required");

    doc["system_id"] = json!(uuid::Uuid::new_v4().to_string());
    let (s, b, _) = post(&app, &deployer, &doc);
    assert_eq!((s, pointers(&b)), (422, vec!["/system_id".to_owned()]));
    assert_eq!(b["errors"][0]["keyword"], "exists");

    // A system in the non-public section is not there for this deployer.
    doc["system_id"] = restricted["id"].clone();
    let (s, b, _) = post(&app, &deployer, &doc);
    assert_eq!((s, pointers(&b)), (422, vec!["/system_id".to_owned()]));

    doc["system_id"] = json!("not-a-uuid");
    let (s, b, _) = post(&app, &deployer, &doc);
    assert_eq!((s, pointers(&b)), (422, vec!["/system_id".to_owned()]));
    assert_eq!(b["errors"][0]["keyword"], "format");

    doc["system_id"] = public_system["id"].clone();
    doc["system_url"] = json!("https://vendor.example/x");
    let (s, b, _) = post(&app, &deployer, &doc);
    assert_eq!((s, pointers(&b)), (422, vec!["/system_url".to_owned()]));
    assert_eq!(app.audit_seq(), before, "nothing written");

    doc.as_object_mut().unwrap().remove("system_url");
    let (s, b, _) = post(&app, &deployer, &doc);
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["system_id"], public_system["id"]);
}

fn semantic_rules_are_field_errors(backend: Backend) {
    let app = TestApp::spawn(backend);
    let deployer = app.token("deployer", "Zomerfeest Evenementen B.V.");
    let mut doc = example("deployment-national-use");
    doc["facts"]["deployer_type"] = json!("law_enforcement_authority");
    doc["period"] = json!({"start": "2027-07-12", "end": "2027-07-10"});
    let (s, b, h) = post(&app, &deployer, &doc);
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(pointers(&b), vec!["/facts/deployer_type", "/period/end"]);
    // The schema's own rules: Section C needs its FRIA summary.
    let mut c = example("deployment-annex-viii-c");
    c.as_object_mut().unwrap().remove("fria_summary");
    c["location"]["member_state"] = json!("US");
    let (s, b, _) = post(&app, &deployer, &c);
    assert_eq!(s, 422);
    assert_eq!(
        pointers(&b),
        vec!["/fria_summary", "/location/member_state"]
    );
}

fn gdpr_findings_come_with_the_use(backend: Backend) {
    let app = TestApp::spawn(backend);
    let employer = app.token("deployer", "Stadion B.V.");
    let mut doc = example("deployment-national-use");
    doc["deployer"]["type"] = json!("employer");
    doc["facts"]["subjects"] = json!(["employees"]);
    doc["facts"]["spaces"] = json!(["workplace"]);
    doc["employment_relationship"] = json!(true);
    doc["consent"] = json!({"alternative_offered": false});
    doc["dpia"] = json!({"performed": false});
    let (s, b, _) = post(&app, &employer, &doc);
    assert_eq!(s, 201, "{b}");
    let found = codes(&b["classification"]);
    for code in [
        "consent_in_employment",
        "consent_without_alternative",
        "dpia_missing",
    ] {
        assert!(found.iter().any(|c| c == code), "{code} in {found:?}");
    }
}

fn deployments_are_versioned_like_systems(backend: Backend) {
    let app = TestApp::spawn(backend);
    let deployer = app.token("deployer", "Zomerfeest Evenementen B.V.");
    let doc = example("deployment-national-use");
    let (_, b, _) = post(&app, &deployer, &doc);
    let path = format!("/v1/deployments/{}", b["id"].as_str().unwrap());
    let mut next = doc.clone();
    next["period"]["end"] = json!("2027-07-13");
    let (s, b, h) = send(app.put(&path).bearer_auth(&deployer).json(&next));
    assert_problem(s, &b, &h, 428, "if-match-required");
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&deployer)
            .header("if-match", "\"2\"")
            .json(&next),
    );
    assert_problem(s, &b, &h, 412, "stale-version");
    let other = app.token("deployer", "Other");
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&other)
            .header("if-match", "\"1\"")
            .json(&next),
    );
    assert_problem(s, &b, &h, 403, "forbidden");
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&deployer)
            .header("if-match", "\"1\"")
            .json(&next),
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(h["etag"], "\"2\"");
    let (_, versions, _) = send(app.get(&format!("{path}/versions")));
    assert_eq!(versions["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        versions["items"][1]["document"]["period"]["end"],
        "2027-07-13"
    );
    let (s, v1, _) = send(app.get(&format!("{path}/versions/1")));
    assert_eq!(s, 200);
    assert_eq!(v1["document"]["period"]["end"], "2027-07-12");
    // A system id is not a deployment id.
    let (s, b, h) = send(app.get(&format!("/v1/systems/{}", path.rsplit('/').next().unwrap())));
    assert_problem(s, &b, &h, 404, "not-found");
}

fn dry_run_classifies_a_deployment(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (s, b, _) = send(
        app.post("/v1/classify")
            .json(&example("deployment-annex-viii-c")),
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["registration"]["section"], "non_public");
    let mut bad = example("deployment-national-use");
    bad["legal_basis"]["ground"] = json!("because");
    let (s, b, _) = send(app.post("/v1/classify").json(&bad));
    assert_eq!(
        (s, pointers(&b)),
        (422, vec!["/legal_basis/ground".to_owned()])
    );
}

on_both_backends!(
    both_examples_register_and_are_classified,
    only_deployers_register_uses,
    a_deployment_names_one_visible_system,
    semantic_rules_are_field_errors,
    gdpr_findings_come_with_the_use,
    deployments_are_versioned_like_systems,
    dry_run_classifies_a_deployment,
);
