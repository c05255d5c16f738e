//! Provider registrations end to end over HTTP, on SQLite and PostgreSQL.

use crate::common::{assert_problem, example, on_both_backends, pointers, send, Backend, TestApp};
use serde_json::{json, Value};

fn provider(app: &TestApp) -> String {
    app.token("provider", "Noordlicht Vision B.V.")
}

fn register(app: &TestApp, token: &str, doc: &Value) -> (u16, Value, reqwest::header::HeaderMap) {
    send(app.post("/v1/systems").bearer_auth(token).json(doc))
}

fn both_examples_register_with_location_and_etag(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    for name in ["system-annex-viii-a", "system-annex-viii-b"] {
        let submitted = example(name);
        // Example A goes to the non-public section (Art. 49(4)), which keeps
        // neither A.6 nor A.8, A.9, A.11, A.12 and A.13.
        let mut doc = submitted.clone();
        if name == "system-annex-viii-a" {
            for item in [
                "data_and_logic",
                "certificate",
                "declaration_of_conformity_url",
                "instructions_for_use_url",
                "more_info_url",
            ] {
                doc.as_object_mut().unwrap().remove(item);
            }
        }
        let (status, body, headers) = register(&app, &token, &submitted);
        assert_eq!(status, 201, "{name}: {body}");
        let id = body["id"].as_str().expect("id");
        assert!(uuid::Uuid::parse_str(id).is_ok());
        assert_eq!(headers["location"], format!("/v1/systems/{id}").as_str());
        assert_eq!(headers["etag"], "\"1\"");
        assert_eq!(body["version"], 1);
        assert_eq!(body["document"], doc, "{name}: stored as registered");
        assert_eq!(body["registration_type"], doc["registration_type"]);
        assert_eq!(body["owner_org"], "Noordlicht Vision B.V.");

        let (status, read, headers) =
            send(app.get(&format!("/v1/systems/{id}")).bearer_auth(&token));
        assert_eq!(status, 200);
        assert_eq!(headers["etag"], "\"1\"");
        assert_eq!(read["document"], doc);
        assert_eq!(read["classification"], body["classification"]);
        assert!(read["classification"]["rules_version"].is_string());
    }
    assert_eq!(app.verify_chain(), 3, "one token and two registrations");
}

fn example_a_is_classified_high_risk_1a_in_the_non_public_section(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (status, body, _) = register(&app, &provider(&app), &example("system-annex-viii-a"));
    assert_eq!(status, 201);
    let c = &body["classification"];
    assert_eq!(c["outcome"], "high_risk");
    assert_eq!(c["annex_iii_points"], json!(["1_a"]));
    assert_eq!(c["registration"]["section"], "non_public");
}

fn registration_needs_a_provider_token(backend: Backend) {
    let app = TestApp::spawn(backend);
    let doc = example("system-annex-viii-a");
    let (s, b, h) = send(app.post("/v1/systems").json(&doc));
    assert_problem(s, &b, &h, 401, "unauthorized");
    assert_eq!(h["www-authenticate"], "Bearer");
    let (s, b, h) = send(
        app.post("/v1/systems")
            .bearer_auth("air_not-a-token")
            .json(&doc),
    );
    assert_problem(s, &b, &h, 401, "unauthorized");
    let (s, b, h) = send(
        app.post("/v1/systems")
            .header("authorization", "Basic dXNlcjpwdw==")
            .json(&doc),
    );
    assert_problem(s, &b, &h, 401, "unauthorized");
    for role in ["deployer", "authority", "auditor", "admin"] {
        let token = app.token(role, "Someone");
        let (s, b, h) = register(&app, &token, &doc);
        assert_problem(s, &b, &h, 403, "forbidden");
    }
    // A wrong role learns nothing from the body: 403 before 400.
    let token = app.token("deployer", "Someone");
    let (s, b, h) = send(
        app.post("/v1/systems")
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json"),
    );
    assert_problem(s, &b, &h, 403, "forbidden");
    assert_eq!(app.audit_seq(), 5, "only the five tokens were written");
}

fn malformed_json_wrong_type_and_oversized_bodies(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.body_limit = 16 * 1024);
    let token = provider(&app);
    let before = app.audit_seq();
    let (s, b, h) = send(
        app.post("/v1/systems")
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{\"trade_name\": "),
    );
    assert_problem(s, &b, &h, 400, "malformed-json");
    let (s, b, h) = send(
        app.post("/v1/systems")
            .bearer_auth(&token)
            .header("content-type", "text/plain")
            .body(example("system-annex-viii-a").to_string()),
    );
    assert_problem(s, &b, &h, 415, "unsupported-media-type");
    let (s, b, h) = send(app.post("/v1/systems").bearer_auth(&token).body("{}"));
    assert_problem(s, &b, &h, 415, "unsupported-media-type");
    let mut big = example("system-annex-viii-a");
    big["intended_purpose"] = Value::String("x".repeat(20 * 1024));
    let (s, b, h) = register(&app, &token, &big);
    assert_problem(s, &b, &h, 413, "payload-too-large");
    // Without Content-Length the limit holds as well.
    let body = big.to_string().into_bytes();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(1024).map(|c| Ok(c.to_vec())).collect();
    let streamed = reqwest::blocking::Body::new(ChunkReader::new(chunks));
    let (s, b, h) = send(
        app.post("/v1/systems")
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(streamed),
    );
    assert_problem(s, &b, &h, 413, "payload-too-large");
    let (s, b, h) = register(&app, &token, &json!([1, 2, 3]));
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(app.audit_seq(), before, "nothing written");
}

/// A reader that yields its chunks one by one, so reqwest sends the body
/// chunked, without a Content-Length.
struct ChunkReader {
    chunks: std::vec::IntoIter<Result<Vec<u8>, std::io::Error>>,
    current: std::io::Cursor<Vec<u8>>,
}

impl ChunkReader {
    fn new(chunks: Vec<Result<Vec<u8>, std::io::Error>>) -> Self {
        ChunkReader {
            chunks: chunks.into_iter(),
            current: std::io::Cursor::new(Vec::new()),
        }
    }
}

impl std::io::Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.current.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            match self.chunks.next() {
                Some(chunk) => self.current = std::io::Cursor::new(chunk?),
                None => return Ok(0),
            }
        }
    }
}

fn missing_and_bad_fields_are_all_named_by_pointer(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let before = app.audit_seq();
    let mut doc = example("system-annex-viii-a");
    let obj = doc.as_object_mut().unwrap();
    obj.remove("trade_name");
    obj["provider"].as_object_mut().unwrap().remove("name");
    obj["facts"]["biometric"]["timing"] = json!("yesterday");
    obj["facts"]["colour"] = json!("blue");
    obj["member_states"] = json!(["NL", "US"]);
    obj["status"] = json!(42);
    obj["certificate"].as_object_mut().unwrap().remove("expiry");
    let (s, b, h) = register(&app, &token, &doc);
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(
        pointers(&b),
        vec![
            "/certificate/expiry",
            "/facts/biometric/timing",
            "/facts/colour",
            "/member_states/1",
            "/provider/name",
            "/status",
            "/trade_name",
        ]
    );
    let keyword = |p: &str| {
        b["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["pointer"] == p)
            .unwrap()["keyword"]
            .clone()
    };
    assert_eq!(keyword("/trade_name"), "required");
    assert_eq!(keyword("/provider/name"), "required");
    assert_eq!(keyword("/facts/colour"), "additionalProperties");
    assert_eq!(keyword("/facts/biometric/timing"), "enum");
    assert_eq!(app.audit_seq(), before, "nothing written");
}

fn registration_type_is_checked_first(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let mut doc = example("system-annex-viii-a");
    doc.as_object_mut().unwrap().remove("registration_type");
    let (s, b, h) = register(&app, &token, &doc);
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(pointers(&b), vec!["/registration_type"]);
    doc["registration_type"] = json!("annex_viii_c");
    let (s, b, _) = register(&app, &token, &doc);
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["keyword"], "enum");
}

fn section_b_needs_art_6_3_conditions_and_no_certificate(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let mut doc = example("system-annex-viii-b");
    doc["facts"]
        .as_object_mut()
        .unwrap()
        .remove("art_6_3_conditions");
    let (s, b, _) = register(&app, &token, &doc);
    assert_eq!(s, 422, "{b}");
    assert_eq!(pointers(&b), vec!["/facts/art_6_3_conditions"]);
    doc["facts"]["art_6_3_conditions"] = json!([]);
    let (s, b, _) = register(&app, &token, &doc);
    assert_eq!(s, 422);
    assert_eq!(pointers(&b), vec!["/facts/art_6_3_conditions"]);
    // Section A requires what B does not.
    let mut a = example("system-annex-viii-b");
    a["registration_type"] = json!("annex_viii_a");
    a.as_object_mut().unwrap().remove("art_6_3_grounds");
    let (s, b, _) = register(&app, &token, &a);
    assert_eq!(s, 422);
    assert_eq!(
        pointers(&b),
        vec![
            "/components_and_functions",
            "/data_and_logic",
            "/declaration_of_conformity_url",
            "/member_states",
        ]
    );
}

fn duplicate_registration_is_409_and_other_orgs_may_reuse_the_name(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let doc = example("system-annex-viii-a");
    assert_eq!(register(&app, &token, &doc).0, 201);
    let seq = app.audit_seq();
    let (s, b, h) = register(&app, &token, &doc);
    assert_problem(s, &b, &h, 409, "duplicate");
    assert_eq!(app.audit_seq(), seq, "nothing written");
    // Same organisation, another reference: a new system.
    let mut next = doc.clone();
    next["reference"] = json!("FTR-4.3.0");
    assert_eq!(register(&app, &token, &next).0, 201);
    // Another organisation may use the same name and reference.
    let other = app.token("provider", "Other B.V.");
    assert_eq!(register(&app, &other, &doc).0, 201);
}

fn update_needs_if_match_and_makes_a_new_version(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    // A public registration: stored as it is sent (a non-public one loses
    // items, see tests/api/non_public.rs).
    let doc = example("system-annex-viii-b");
    let (_, created, _) = register(&app, &token, &doc);
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/systems/{id}");
    let mut changed = doc.clone();
    changed["intended_purpose"] = json!("Confirms the candidate's identity, version 2.2.");

    let (s, b, h) = send(app.put(&path).bearer_auth(&token).json(&changed));
    assert_problem(s, &b, &h, 428, "if-match-required");
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&token)
            .header("if-match", "\"7\"")
            .json(&changed),
    );
    assert_problem(s, &b, &h, 412, "stale-version");
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&token)
            .header("if-match", "\"9\", \"1\"")
            .json(&changed),
    );
    assert_eq!(
        s, 200,
        "a list of ETags matches when one of them is current: {b}"
    );
    assert_eq!(h["etag"], "\"2\"");
    assert_eq!(b["version"], 2);
    assert_eq!(
        b["document"]["intended_purpose"],
        changed["intended_purpose"]
    );
    // The old ETag is now stale.
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&token)
            .header("if-match", "\"1\"")
            .json(&doc),
    );
    assert_problem(s, &b, &h, 412, "stale-version");
    // An invalid update changes nothing.
    let seq = app.audit_seq();
    let mut bad = changed.clone();
    bad["status"] = json!("sold");
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&token)
            .header("if-match", "\"2\"")
            .json(&bad),
    );
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(pointers(&b), vec!["/status"]);
    assert_eq!(app.audit_seq(), seq);

    // If-Match: * updates whatever is current.
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&token)
            .header("if-match", "*")
            .json(&changed),
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(h["etag"], "\"3\"");

    let (s, versions, _) = send(app.get(&format!("{path}/versions")).bearer_auth(&token));
    assert_eq!(s, 200);
    let items = versions["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["version"], 1);
    assert_eq!(items[0]["action"], "create");
    assert_eq!(items[0]["document"], doc);
    assert_eq!(items[1]["version"], 2);
    assert_eq!(items[1]["action"], "update");
    assert_eq!(items[1]["document"], changed);
    let (s, v1, h) = send(app.get(&format!("{path}/versions/1")).bearer_auth(&token));
    assert_eq!(s, 200);
    assert_eq!(h["etag"], "\"1\"");
    assert_eq!(v1["document"], doc);
    assert!(v1["classification"]["outcome"].is_string());
    let (s, b, h) = send(app.get(&format!("{path}/versions/4")).bearer_auth(&token));
    assert_problem(s, &b, &h, 404, "not-found");
    let (s, b, h) = send(
        app.get(&format!("{path}/versions/first"))
            .bearer_auth(&token),
    );
    assert_problem(s, &b, &h, 404, "not-found");
}

fn another_organisation_cannot_change_a_record(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let doc = example("system-annex-viii-b");
    let (_, created, _) = register(&app, &token, &doc);
    let path = format!("/v1/systems/{}", created["id"].as_str().unwrap());
    let intruder = app.token("provider", "Intruder B.V.");
    let seq = app.audit_seq();
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&intruder)
            .header("if-match", "\"1\"")
            .json(&doc),
    );
    assert_problem(s, &b, &h, 403, "forbidden");
    // Ownership is decided before the body is read.
    let (s, b, h) = send(
        app.put(&path)
            .bearer_auth(&intruder)
            .header("if-match", "\"1\"")
            .json(&json!({})),
    );
    assert_problem(s, &b, &h, 403, "forbidden");
    let (s, b, h) = send(
        app.post(&format!("{path}/status"))
            .bearer_auth(&intruder)
            .json(&json!({"status": "recalled", "reason": "sabotage"})),
    );
    assert_problem(s, &b, &h, 403, "forbidden");
    assert_eq!(app.audit_seq(), seq, "nothing written");
    let (_, read, _) = send(app.get(&path).bearer_auth(&token));
    assert_eq!(read["version"], 1);
}

fn status_change_is_a_new_version_with_its_reason(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let (_, created, _) = register(&app, &token, &example("system-annex-viii-a"));
    let path = format!("/v1/systems/{}", created["id"].as_str().unwrap());
    let change = json!({"status": "recalled", "reason": "A flaw in the template extractor."});
    let (s, b, h) = send(
        app.post(&format!("{path}/status"))
            .bearer_auth(&token)
            .json(&change),
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(h["etag"], "\"2\"");
    assert_eq!(b["status"], "recalled");
    assert_eq!(b["document"]["status"], "recalled");
    let (_, v2, _) = send(app.get(&format!("{path}/versions/2")).bearer_auth(&token));
    assert_eq!(v2["action"], "status");
    assert_eq!(v2["reason"], "A flaw in the template extractor.");
    // The same status again is refused, and so is a stale If-Match.
    let (s, b, h) = send(
        app.post(&format!("{path}/status"))
            .bearer_auth(&token)
            .json(&change),
    );
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(pointers(&b), vec!["/status"]);
    let (s, b, h) = send(
        app.post(&format!("{path}/status"))
            .bearer_auth(&token)
            .header("if-match", "\"1\"")
            .json(&json!({"status": "on_market", "reason": "fixed"})),
    );
    assert_problem(s, &b, &h, 412, "stale-version");
    let (s, b, h) = send(
        app.post(&format!("{path}/status"))
            .bearer_auth(&token)
            .json(&json!({"status": "sold"})),
    );
    assert_problem(s, &b, &h, 422, "validation-failed");
    assert_eq!(pointers(&b), vec!["/reason", "/status"]);
    let unknown = format!("/v1/systems/{}/status", uuid::Uuid::new_v4());
    let (s, b, h) = send(app.post(&unknown).bearer_auth(&token).json(&change));
    assert_problem(s, &b, &h, 404, "not-found");
}

fn unknown_ids_routes_and_methods_are_problems(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let (s, b, h) = send(app.get(&format!("/v1/systems/{}", uuid::Uuid::new_v4())));
    assert_problem(s, &b, &h, 404, "not-found");
    let (s, b, h) = send(app.get("/v1/systems/not-a-uuid"));
    assert_problem(s, &b, &h, 404, "not-found");
    let (s, b, h) = send(app.get(&format!("/v1/systems/{}/versions", uuid::Uuid::new_v4())));
    assert_problem(s, &b, &h, 404, "not-found");
    let (s, b, h) = send(app.get("/v1/nothing-here"));
    assert_problem(s, &b, &h, 404, "not-found");
    let (s, b, h) = send(
        app.client
            .delete(app.url("/v1/systems"))
            .bearer_auth(&token),
    );
    assert_problem(s, &b, &h, 405, "method-not-allowed");
    assert_eq!(h["allow"], "GET, POST");
    let (s, _, h) = send(
        app.client
            .patch(app.url(&format!("/v1/systems/{}", uuid::Uuid::new_v4()))),
    );
    assert_eq!(s, 405);
    assert_eq!(h["allow"], "GET, PUT");
    let (s, b, h) = send(
        app.put(&format!("/v1/systems/{}", uuid::Uuid::new_v4()))
            .bearer_auth(&token)
            .header("if-match", "\"1\"")
            .json(&example("system-annex-viii-a")),
    );
    assert_problem(s, &b, &h, 404, "not-found");
}

fn service_endpoints_answer(backend: Backend) {
    let app = TestApp::spawn(backend);
    let (s, b, h) = send(app.get("/healthz"));
    assert_eq!((s, b["status"].as_str()), (200, Some("ok")));
    assert!(h.get("x-request-id").is_some(), "request id header");
    let (s, b, _) = send(app.get("/readyz"));
    assert_eq!((s, b["status"].as_str()), (200, Some("ready")));
    let spec = app.get("/openapi.yaml").send().unwrap();
    assert_eq!(spec.status(), 200);
    assert!(spec.text().unwrap().starts_with("openapi: 3.1"));
    for name in [
        "system",
        "system-annex-viii-a",
        "system-annex-viii-b",
        "facts",
        "common",
    ] {
        let (s, b, h) = send(app.get(&format!("/v1/schemas/{name}")));
        assert_eq!(s, 200, "{name}");
        assert_eq!(h["content-type"], "application/schema+json");
        assert_eq!(
            b["$id"],
            app.url(&format!("/v1/schemas/{name}")),
            "$id is where it was fetched"
        );
    }
    let (s, b, h) = send(app.get("/v1/schemas/nope"));
    assert_problem(s, &b, &h, 404, "not-found");
    let a = app.get("/healthz").send().unwrap();
    let b = app.get("/healthz").send().unwrap();
    assert_ne!(a.headers()["x-request-id"], b.headers()["x-request-id"]);
}

fn every_write_is_one_chained_audit_entry(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let (_, created, _) = register(&app, &token, &example("system-annex-viii-a"));
    let path = format!("/v1/systems/{}", created["id"].as_str().unwrap());
    send(
        app.post(&format!("{path}/status"))
            .bearer_auth(&token)
            .json(&json!({"status": "in_service", "reason": "r"})),
    );
    let entries = app
        .store
        .read_blocking(|conn| ai_registry::store::audit::entries_after(conn, 0, 100))
        .unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1].entity, "system");
    assert_eq!(entries[1].action, "create");
    assert_eq!(entries[1].version, 1);
    assert_eq!(entries[1].actor_org, "Noordlicht Vision B.V.");
    assert_eq!(entries[1].role, "provider");
    assert_eq!(entries[2].action, "status");
    assert_eq!(entries[2].version, 2);
    assert_eq!(entries[2].prev_hash, entries[1].hash);
    let (_, v2, _) = send(app.get(&format!("{path}/versions/2")).bearer_auth(&token));
    assert_eq!(
        entries[2].body_sha256,
        v2["document_sha256"].as_str().unwrap()
    );
    assert_eq!(app.verify_chain(), 3);
}

fn concurrent_writes_keep_one_unbroken_chain(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let doc = example("system-annex-viii-a");
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (app, token, doc) = (&app, &token, &doc);
            scope.spawn(move || {
                for i in 0..10 {
                    let mut d = doc.clone();
                    d["reference"] = json!(format!("REF-{t}-{i}"));
                    let (s, b, _) = register(app, token, &d);
                    assert_eq!(s, 201, "{b}");
                }
            });
        }
    });
    assert_eq!(app.verify_chain(), 81);
}

fn non_public_records_are_hidden_and_personal_data_redacted(backend: Backend) {
    let app = TestApp::spawn(backend);
    let token = provider(&app);
    let (_, a, _) = register(&app, &token, &example("system-annex-viii-a"));
    let (_, b, _) = register(&app, &token, &example("system-annex-viii-b"));
    assert_eq!(a["classification"]["registration"]["section"], "non_public");
    let a_path = format!("/v1/systems/{}", a["id"].as_str().unwrap());
    let b_path = format!("/v1/systems/{}", b["id"].as_str().unwrap());
    let other = app.token("provider", "Other B.V.");
    let authority = app.token("authority", "Ministerie van BZK");
    for path in [
        a_path.clone(),
        format!("{a_path}/versions"),
        format!("{a_path}/versions/1"),
    ] {
        let (s, body, h) = send(app.get(&path));
        assert_problem(s, &body, &h, 404, "not-found");
        let (s, body, h) = send(app.get(&path).bearer_auth(&other));
        assert_problem(s, &body, &h, 404, "not-found");
        assert_eq!(
            send(app.get(&path).bearer_auth(&authority)).0,
            200,
            "{path}"
        );
        assert_eq!(send(app.get(&path).bearer_auth(&token)).0, 200, "{path}");
    }
    // Another provider cannot even learn it exists by writing to it.
    let (s, body, h) = send(
        app.put(&a_path)
            .bearer_auth(&other)
            .header("if-match", "\"1\"")
            .json(&example("system-annex-viii-a")),
    );
    assert_problem(s, &body, &h, 404, "not-found");

    let (s, public, _) = send(app.get(&b_path));
    assert_eq!(s, 200);
    assert!(
        public["document"].get("submitted_by").is_none(),
        "no personal data for the public"
    );
    assert_eq!(
        public["document"]["provider"],
        example("system-annex-viii-b")["provider"]
    );
    let (_, versions, _) = send(app.get(&format!("{b_path}/versions")));
    assert!(versions["items"][0]["document"]
        .get("submitted_by")
        .is_none());
    let (_, other_view, _) = send(app.get(&b_path).bearer_auth(&other));
    assert!(other_view["document"].get("submitted_by").is_none());
    for t in [&token, &authority] {
        let (_, full, _) = send(app.get(&b_path).bearer_auth(t));
        assert_eq!(
            full["document"]["submitted_by"],
            example("system-annex-viii-b")["submitted_by"]
        );
    }
}

on_both_backends!(
    non_public_records_are_hidden_and_personal_data_redacted,
    both_examples_register_with_location_and_etag,
    example_a_is_classified_high_risk_1a_in_the_non_public_section,
    registration_needs_a_provider_token,
    malformed_json_wrong_type_and_oversized_bodies,
    missing_and_bad_fields_are_all_named_by_pointer,
    registration_type_is_checked_first,
    section_b_needs_art_6_3_conditions_and_no_certificate,
    duplicate_registration_is_409_and_other_orgs_may_reuse_the_name,
    update_needs_if_match_and_makes_a_new_version,
    another_organisation_cannot_change_a_record,
    status_change_is_a_new_version_with_its_reason,
    unknown_ids_routes_and_methods_are_problems,
    service_endpoints_answer,
    every_write_is_one_chained_audit_entry,
    concurrent_writes_keep_one_unbroken_chain,
);
