//! Edges where privacy, input and the two backends meet: old non-public
//! versions, natural persons, control characters, long keys, search tokens,
//! ETags and spreadsheet cells.

use crate::common::{assert_problem, example, on_both_backends, pointers, send, Backend, TestApp};
use serde_json::{json, Value};

fn a_non_public_version_stays_hidden_after_the_record_becomes_public(backend: Backend) {
    let app = TestApp::spawn(backend);
    let owner = app.token("provider", "Noordlicht Vision B.V.");
    let doc = example("system-annex-viii-a");
    let (_, created, _) = send(app.post("/v1/systems").bearer_auth(&owner).json(&doc));
    let path = format!("/v1/systems/{}", created["id"].as_str().unwrap());
    let mut public = doc.clone();
    public["facts"]["purposes"] = json!(["security"]);
    public["facts"]["deployer_type"] = json!("private_company");
    public["facts"]["subjects"] = json!(["visitors"]);
    let (s, b, _) = send(
        app.put(&path)
            .bearer_auth(&owner)
            .header("if-match", "\"1\"")
            .json(&public),
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["classification"]["registration"]["section"], "public");
    let (s, _, _) = send(app.get(&path));
    assert_eq!(s, 200, "the current version is public");
    let (_, versions, _) = send(app.get(&format!("{path}/versions")));
    let listed: Vec<i64> = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, vec![2], "version 1 was non-public");
    let (s, b, h) = send(app.get(&format!("{path}/versions/1")));
    assert_problem(s, &b, &h, 404, "not-found");
    let (_, versions, _) = send(app.get(&format!("{path}/versions")).bearer_auth(&owner));
    assert_eq!(
        versions["items"].as_array().unwrap().len(),
        2,
        "the owner sees its history"
    );
}

fn a_natural_person_deployer_is_not_shown_or_found(backend: Backend) {
    let app = TestApp::spawn(backend);
    let person = app.token("deployer", "Jan Jansen");
    let mut doc = example("deployment-national-use");
    doc["deployer"] = json!({
        "name": "Jan Jansen", "address": "Dorpsstraat 1, 1234 AB Ergens", "country": "NL",
        "type": "natural_person", "contact": {"email": "jan@jansen.example", "phone": "+31 6 12345678"}
    });
    doc["location"]["site"] = json!("Voordeur Dorpsstraat 1");
    let (s, b, _) = send(app.post("/v1/deployments").bearer_auth(&person).json(&doc));
    assert_eq!(s, 201, "{b}");
    let path = format!("/v1/deployments/{}", b["id"].as_str().unwrap());
    let (_, public, _) = send(app.get(&path));
    assert_eq!(
        public["document"]["deployer"],
        json!({"country": "NL", "type": "natural_person"})
    );
    assert!(public["document"]["location"].get("site").is_none());
    let (_, found, _) = send(app.get("/v1/deployments?q=jansen"));
    assert_eq!(found["total"], 0, "not found by name");
    let (_, found, _) = send(app.get("/v1/deployments?q=dorpsstraat"));
    assert_eq!(found["total"], 0, "not found by address");
    // The organisation of the record is the person's name: not shown either,
    // nor as the author of a version, nor anywhere in a listing.
    assert_eq!(public["owner_org"], Value::Null);
    let (_, versions, _) = send(app.get(&format!("{path}/versions")));
    assert_eq!(versions["items"][0]["actor_org"], Value::Null);
    let (_, list, _) = send(app.get("/v1/deployments"));
    assert!(!list.to_string().contains("Jansen"), "{list}");
    assert!(!versions.to_string().contains("Jansen"), "{versions}");
    let (_, own, _) = send(app.get(&path).bearer_auth(&person));
    assert_eq!(own["document"]["deployer"]["name"], "Jan Jansen");
    assert_eq!(own["owner_org"], "Jan Jansen");
}

fn control_characters_are_field_errors_on_both_backends(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = app.token("provider", "Noordlicht Vision B.V.");
    let mut doc = example("system-annex-viii-b");
    doc["trade_name"] = json!("Nul\u{0}Tool");
    doc["reference"] = json!("line\nbreak");
    let (s, b, h) = send(app.post("/v1/systems").bearer_auth(&token).json(&doc));
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(pointers(&b), vec!["/reference", "/trade_name"]);
    // Long text may hold line breaks, never a NUL.
    let (_, created, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&token)
            .json(&example("system-annex-viii-b")),
    );
    let status = format!("/v1/systems/{}/status", created["id"].as_str().unwrap());
    let (s, b, _) = send(
        app.post(&status)
            .bearer_auth(&token)
            .json(&json!({"status": "recalled", "reason": "a\u{0}b"})),
    );
    assert_eq!((s, pointers(&b)), (422, vec!["/reason".to_owned()]));
    let (s, b, _) = send(
        app.post(&status)
            .bearer_auth(&token)
            .json(&json!({"status": "recalled", "reason": "one\ntwo"})),
    );
    assert_eq!(s, 200, "{b}");
}

fn long_names_and_references_register_on_both_backends(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = app.token("provider", "Noordlicht Vision B.V.");
    let mut doc = example("system-annex-viii-b");
    doc["trade_name"] = json!("é".repeat(500));
    doc["reference"] = json!("😀".repeat(500));
    let (s, b, _) = send(app.post("/v1/systems").bearer_auth(&token).json(&doc));
    assert_eq!(s, 201, "{b}");
    let (s, _, _) = send(app.post("/v1/systems").bearer_auth(&token).json(&doc));
    assert_eq!(s, 409, "still a duplicate");
}

fn both_backends_find_the_same_words(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = app.token("provider", "Noordlicht Vision B.V.");
    let (s, _, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&token)
            .json(&example("system-annex-viii-b")),
    );
    assert_eq!(s, 201);
    for (q, want) in [
        ("B.V.", 1),
        ("examenzeker b.v.", 1),
        ("EIC-2.1", 1),
        ("2.1", 1),
        ("eic", 1),
        ("examid check", 1),
        ("nothing", 0),
    ] {
        let (_, b, _) = send(app.get(&format!("/v1/systems?q={}", q.replace(' ', "%20"))));
        assert_eq!(b["total"], want, "q={q}");
    }
    let (_, b, _) = send(app.get("/v1/systems?q=%21%21"));
    assert_eq!(b["total"], 1, "a query without words filters nothing");
}

fn ids_etags_and_spreadsheet_cells(backend: Backend) {
    let app = TestApp::spawn(backend);
    let vendor = app.token("provider", "Examenzeker B.V.");
    let (_, system, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&vendor)
            .json(&example("system-annex-viii-b")),
    );
    let id = system["id"].as_str().unwrap().to_owned();
    // Weak ETags never match (RFC 9110 strong comparison).
    let (s, b, h) = send(
        app.put(&format!("/v1/systems/{id}"))
            .bearer_auth(&vendor)
            .header("if-match", "W/\"1\"")
            .json(&example("system-annex-viii-b")),
    );
    assert_problem(s, &b, &h, 412, "stale-version");

    let deployer = app.token("deployer", "Gemeente =Hack");
    let mut doc = example("deployment-national-use");
    doc.as_object_mut().unwrap().remove("system_url");
    doc["system_id"] = json!(id.to_uppercase());
    doc["location"]["municipality"] = json!("=HYPERLINK(\"https://evil.example\",\"Utrecht\")");
    let (s, b, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&doc),
    );
    assert_eq!(s, 201, "an upper-case id names the same system: {b}");
    assert_eq!(b["system_id"], id.as_str());
    let (_, found, _) = send(app.get(&format!("/v1/deployments?system_id={}", id.to_uppercase())));
    assert_eq!(found["total"], 1);
    let csv = app
        .get("/v1/overview?format=csv")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        csv.contains("'=HYPERLINK("),
        "a formula is written as text: {csv}"
    );
    // Read as a spreadsheet reads it: no value cell may start like a formula.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let municipalities: Vec<String> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[1] == "by_municipality")
        .map(|r| r[2].to_owned())
        .collect();
    assert_eq!(municipalities.len(), 1, "{csv}");
    assert!(
        municipalities
            .iter()
            .all(|v| !v.starts_with(['=', '+', '-', '@'])),
        "no cell starts like a formula: {municipalities:?}"
    );
}

on_both_backends!(
    a_non_public_version_stays_hidden_after_the_record_becomes_public,
    a_natural_person_deployer_is_not_shown_or_found,
    control_characters_are_field_errors_on_both_backends,
    long_names_and_references_register_on_both_backends,
    both_backends_find_the_same_words,
    ids_etags_and_spreadsheet_cells,
);
