//! The non-public section (Art. 49(4)) over HTTP, on SQLite and PostgreSQL:
//! what a non-public record keeps, and every way it could reach someone who
//! may not see it.

use crate::common::{assert_problem, example, on_both_backends, pointers, send, Backend, TestApp};
use serde_json::{json, Value};

const PROVIDER_ORG: &str = "Noordlicht Vision B.V.";

/// The items of example A that Art. 49(4) does not let the registry keep.
const DROPPED_A: [&str; 5] = [
    "/data_and_logic",
    "/certificate",
    "/declaration_of_conformity_url",
    "/instructions_for_use_url",
    "/more_info_url",
];

fn dropped_finding(classification: &Value) -> Option<&Value> {
    classification["findings"]
        .as_array()?
        .iter()
        .find(|f| f["code"] == "non_public_items_dropped")
}

fn non_public_records_keep_only_what_art_49_4_allows(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", PROVIDER_ORG);
    let authority = app.token("authority", "Ministerie van Justitie en Veiligheid");
    let submitted = example("system-annex-viii-a");
    let (s, created, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&provider)
            .json(&submitted),
    );
    assert_eq!(s, 201, "{created}");
    assert_eq!(
        created["classification"]["registration"]["section"],
        "non_public"
    );
    let finding = dropped_finding(&created["classification"]).expect("a finding lists the items");
    assert_eq!(finding["severity"], "info");
    assert_eq!(finding["pointers"], json!(DROPPED_A));
    for pointer in DROPPED_A {
        assert!(
            submitted.pointer(pointer).is_some(),
            "the example has {pointer}"
        );
        assert!(
            created["document"].pointer(pointer).is_none(),
            "{pointer} kept"
        );
        assert!(
            finding["message"].as_str().unwrap().contains(pointer),
            "the message names {pointer}"
        );
    }
    // What it may keep is kept as submitted: A.1-5, A.7, A.10.
    for field in [
        "provider",
        "submitted_by",
        "trade_name",
        "reference",
        "intended_purpose",
        "components_and_functions",
        "status",
        "member_states",
    ] {
        assert_eq!(created["document"][field], submitted[field], "{field}");
    }
    // Stored so: the record, its version and the export hold no more.
    let id = created["id"].as_str().unwrap();
    for path in [
        format!("/v1/systems/{id}"),
        format!("/v1/systems/{id}/versions/1"),
    ] {
        let (s, read, _) = send(app.get(&path).bearer_auth(&authority));
        assert_eq!(s, 200);
        assert_eq!(read["document"], created["document"], "{path}");
    }
    let export = app
        .client
        .get(app.url("/v1/exports/systems"))
        .bearer_auth(&authority)
        .send()
        .unwrap()
        .text()
        .unwrap();
    for pointer in DROPPED_A {
        let field = &pointer[1..];
        assert!(
            !export.contains(&format!("\"{field}\"")),
            "{field} exported"
        );
    }
    // A status change keeps the reduced document and the finding.
    let (s, changed, _) = send(
        app.post(&format!("/v1/systems/{id}/status"))
            .bearer_auth(&provider)
            .json(&json!({"status": "no_longer_on_market", "reason": "replaced by 5.0"})),
    );
    assert_eq!(s, 200, "{changed}");
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["document"]["status"], "no_longer_on_market");
    assert!(changed["document"].get("data_and_logic").is_none());
    // Not classified again from the reduced document: the classification
    // and its finding stay as they were.
    assert_eq!(changed["classification"], created["classification"]);

    // A public registration keeps everything and has no such finding.
    let (s, public, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&provider)
            .json(&example("system-annex-viii-b")),
    );
    assert_eq!(s, 201);
    assert_eq!(public["document"], example("system-annex-viii-b"));
    assert!(dropped_finding(&public["classification"]).is_none());

    // Section C in the non-public section: C.4 and C.5 go.
    let deployer = app.token("deployer", "Politie Eenheid Rotterdam");
    let (s, c, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&example("deployment-annex-viii-c")),
    );
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["classification"]["registration"]["section"], "non_public");
    let finding = dropped_finding(&c["classification"]).expect("finding");
    assert_eq!(
        finding["pointers"],
        json!(["/fria_summary", "/dpia_summary"])
    );
    assert!(c["document"].get("fria_summary").is_none());
    assert!(c["document"].get("dpia_summary").is_none());
    assert_eq!(
        c["document"]["deployer"],
        example("deployment-annex-viii-c")["deployer"]
    );
    // The dry run tells the registrant the same before registering.
    let (s, dry, _) = send(
        app.post("/v1/classify")
            .json(&example("system-annex-viii-a")),
    );
    assert_eq!(s, 200, "{dry}");
    assert_eq!(
        dropped_finding(&dry).expect("finding in the dry run")["pointers"],
        json!(DROPPED_A)
    );
}

/// Everyone who may not see a non-public record, with a label.
fn outsiders(app: &TestApp) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("public", None),
        (
            "other provider",
            Some(app.token("provider", "Other Vision B.V.")),
        ),
        ("deployer", Some(app.token("deployer", "Gemeente Utrecht"))),
        ("admin", Some(app.token("admin", "Registry operations"))),
    ]
}

fn get_as(
    app: &TestApp,
    path: &str,
    token: &Option<String>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let req = app.get(path);
    send(match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    })
}

fn a_non_public_record_reaches_nobody_who_may_not_see_it(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", PROVIDER_ORG);
    let (_, hidden, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&provider)
            .json(&example("system-annex-viii-a")),
    );
    let (_, public, _) = send(
        app.post("/v1/systems")
            .bearer_auth(&provider)
            .json(&example("system-annex-viii-b")),
    );
    let id = hidden["id"].as_str().unwrap().to_owned();
    let public_id = public["id"].as_str().unwrap().to_owned();
    let authority = app.token("authority", "Ministerie van BZK");
    let auditor = app.token("auditor", "Auditdienst Rijk");

    for (who, token) in outsiders(&app) {
        // Read and versions: 404, as for an id that does not exist.
        for path in [
            format!("/v1/systems/{id}"),
            format!("/v1/systems/{id}/versions"),
            format!("/v1/systems/{id}/versions/1"),
        ] {
            let (s, body, h) = get_as(&app, &path, &token);
            assert_problem(s, &body, &h, 404, "not-found");
            let unknown = path.replace(&id, &uuid::Uuid::new_v4().to_string());
            assert_eq!(
                get_as(&app, &unknown, &token).1["detail"],
                body["detail"],
                "{who}"
            );
        }
        // Search, with and without q: not in items, totals or facets.
        for query in [
            "/v1/systems",
            "/v1/systems?q=FaceTrace",
            "/v1/systems?annex_iii=1_a",
            "/v1/systems?member_state=NL",
        ] {
            let (s, body, _) = get_as(&app, query, &token);
            assert_eq!(s, 200, "{who} {query}");
            let ids: Vec<&str> = body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap())
                .collect();
            assert!(!ids.contains(&id.as_str()), "{who} {query}");
            assert_eq!(body["total"], json!(ids.len()), "{who} {query}");
            let text = body["facets"].to_string();
            assert!(!text.contains("\"1_a\""), "{who} {query}: {text}");
        }
        let (_, all, _) = get_as(&app, "/v1/systems", &token);
        assert_eq!(all["total"], 1, "{who}: only the public system");
        assert_eq!(all["items"][0]["id"], public_id.as_str());
        // The overview: not in any total or breakdown; only the thresholded
        // figure per Annex III point and member state.
        let (s, overview, _) = get_as(&app, "/v1/overview", &token);
        assert_eq!(s, 200);
        assert_eq!(overview["totals"]["systems"], 1, "{who}: {overview}");
        let breakdowns = overview["systems"].to_string();
        assert!(!breakdowns.contains("\"1_a\""), "{who}: {breakdowns}");
        let text = overview.to_string();
        assert!(!text.contains("FaceTrace"), "{who}");
        // Exports: not for them at all.
        for path in [
            "/v1/exports/systems",
            "/v1/exports/audit",
            "/v1/exports/manifest",
        ] {
            let (s, body, h) = get_as(&app, path, &token);
            if token.is_none() {
                assert_problem(s, &body, &h, 401, "unauthorized");
            } else {
                assert_problem(s, &body, &h, 403, "forbidden");
            }
        }
    }

    // A write by another provider learns nothing: 404 whatever the
    // If-Match, and neither an ETag nor a Location.
    let other = app.token("provider", "Other Vision B.V.");
    let deployer = app.token("deployer", "Gemeente Utrecht");
    let seq = app.audit_seq();
    for if_match in ["\"1\"", "\"7\"", "*"] {
        let (s, body, h) = send(
            app.put(&format!("/v1/systems/{id}"))
                .bearer_auth(&other)
                .header("if-match", if_match)
                .json(&example("system-annex-viii-a")),
        );
        assert_problem(s, &body, &h, 404, "not-found");
        assert!(h.get("etag").is_none() && h.get("location").is_none());
        let (s, body, h) = send(
            app.post(&format!("/v1/systems/{id}/status"))
                .bearer_auth(&other)
                .header("if-match", if_match)
                .json(&json!({"status": "recalled", "reason": "x"})),
        );
        assert_problem(s, &body, &h, 404, "not-found");
        assert!(h.get("etag").is_none());
    }
    // A deployer cannot name it: the same 422 as for an unknown id.
    let mut doc = example("deployment-national-use");
    doc.as_object_mut().unwrap().remove("system_url");
    doc["system_id"] = json!(id);
    let (s, named, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&doc),
    );
    doc["system_id"] = json!(uuid::Uuid::new_v4().to_string());
    let (_, unknown, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&doc),
    );
    assert_eq!(s, 422);
    assert_eq!(named["errors"], unknown["errors"]);
    assert_eq!(app.audit_seq(), seq, "nothing was written");

    // Those who may see it, do: the authority, the auditor, its owner.
    for token in [&authority, &auditor, &provider] {
        let (s, body, _) = send(app.get(&format!("/v1/systems/{id}")).bearer_auth(token));
        assert_eq!(s, 200);
        assert_eq!(body["id"], id.as_str());
        let (_, found, _) = send(app.get("/v1/systems?q=FaceTrace").bearer_auth(token));
        assert_eq!(found["total"], 1);
    }
    for token in [&authority, &auditor] {
        let export = app
            .client
            .get(app.url("/v1/exports/systems"))
            .bearer_auth(token)
            .send()
            .unwrap()
            .text()
            .unwrap();
        assert!(export.contains(&id), "the export holds it");
    }
}

fn a_use_does_not_reveal_a_system_that_became_non_public(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", PROVIDER_ORG);
    // First registered for access control by a public authority: public.
    let mut open = example("system-annex-viii-a");
    open["facts"]["purposes"] = json!(["access_control"]);
    open["facts"]["deployer_type"] = json!("public_authority");
    let (s, system, _) = send(app.post("/v1/systems").bearer_auth(&provider).json(&open));
    assert_eq!(s, 201, "{system}");
    assert_eq!(
        system["classification"]["registration"]["section"],
        "public"
    );
    let system_id = system["id"].as_str().unwrap().to_owned();

    let deployer = app.token("deployer", "Festivalterrein De Zuid B.V.");
    let mut doc = example("deployment-national-use");
    doc.as_object_mut().unwrap().remove("system_url");
    doc["system_id"] = json!(system_id);
    let (s, use_, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&doc),
    );
    assert_eq!(s, 201, "{use_}");
    assert_eq!(use_["classification"]["registration"]["section"], "public");
    let use_id = use_["id"].as_str().unwrap().to_owned();
    let (_, seen, _) = send(app.get(&format!("/v1/deployments/{use_id}")));
    assert_eq!(
        seen["system_id"],
        system_id.as_str(),
        "visible while public"
    );
    let (_, found, _) = send(app.get("/v1/deployments?q=FaceTrace"));
    assert_eq!(found["total"], 1, "found by the system's name while public");

    // Then the provider registers it for police work: non-public.
    let (s, moved, _) = send(
        app.put(&format!("/v1/systems/{system_id}"))
            .bearer_auth(&provider)
            .header("if-match", "\"1\"")
            .json(&example("system-annex-viii-a")),
    );
    assert_eq!(s, 200, "{moved}");
    assert_eq!(
        moved["classification"]["registration"]["section"],
        "non_public"
    );

    // The public use no longer names it, anywhere.
    for path in [
        format!("/v1/deployments/{use_id}"),
        format!("/v1/deployments/{use_id}/versions/1"),
    ] {
        let (s, body, _) = send(app.get(&path));
        assert_eq!(s, 200);
        assert!(!body.to_string().contains(&system_id), "{path}: {body}");
    }
    let (_, versions, _) = send(app.get(&format!("/v1/deployments/{use_id}/versions")));
    assert!(!versions.to_string().contains(&system_id));
    let (_, list, _) = send(app.get("/v1/deployments"));
    assert_eq!(list["total"], 1);
    assert!(!list.to_string().contains(&system_id));
    let (_, found, _) = send(app.get("/v1/deployments?q=FaceTrace"));
    assert_eq!(found["total"], 0, "no longer found by the system's name");
    let (_, found, _) = send(app.get("/v1/deployments?q=Zuiderpark"));
    assert_eq!(found["total"], 1, "still found by its own words");
    let (s, by_system, _) = send(app.get(&format!("/v1/deployments?system_id={system_id}")));
    assert_eq!(s, 200);
    assert_eq!(by_system["total"], 0, "filtering by it finds nothing");
    let (s, counted, _) = send(app.get(&format!("/v1/overview?system_id={system_id}")));
    assert_eq!(s, 200);
    assert_eq!(counted["totals"]["deployments"], 0, "nor counting by it");
    // Those who may see the system still see the link.
    let authority = app.token("authority", "Ministerie van BZK");
    let (_, full, _) = send(
        app.get(&format!("/v1/deployments/{use_id}"))
            .bearer_auth(&authority),
    );
    assert_eq!(full["system_id"], system_id.as_str());
    let (_, by_system, _) = send(
        app.get(&format!("/v1/deployments?system_id={system_id}"))
            .bearer_auth(&authority),
    );
    assert_eq!(by_system["total"], 1);
    let (_, counted, _) = send(
        app.get(&format!("/v1/overview?system_id={system_id}"))
            .bearer_auth(&authority),
    );
    assert_eq!(counted["totals"]["deployments"], 1);
}

/// A public system for access control by a public authority, and the
/// document of a use that names it.
fn public_system_and_use(app: &TestApp, provider: &str, reference: &str) -> (String, Value) {
    let mut open = example("system-annex-viii-a");
    open["reference"] = json!(reference);
    open["facts"]["purposes"] = json!(["access_control"]);
    open["facts"]["deployer_type"] = json!("public_authority");
    let (s, system, _) = send(app.post("/v1/systems").bearer_auth(provider).json(&open));
    assert_eq!(s, 201, "{system}");
    assert_eq!(
        system["classification"]["registration"]["section"],
        "public"
    );
    let system_id = system["id"].as_str().unwrap().to_owned();
    let mut doc = example("deployment-national-use");
    doc.as_object_mut().unwrap().remove("system_url");
    doc["system_id"] = json!(system_id);
    (system_id, doc)
}

/// The same system, registered for police work: the non-public section.
fn police_version(reference: &str) -> Value {
    let mut doc = example("system-annex-viii-a");
    doc["reference"] = json!(reference);
    doc
}

/// A use prepared against a system that then changes is prepared again
/// inside its write: it is refused when the system has moved where its
/// deployer may not see it, and carries the system's new names otherwise.
fn a_use_is_linked_to_its_system_as_it_is_when_written(backend: Backend) {
    use ai_registry::access::Visibility;
    use ai_registry::registration::write::{self, NewRecord, Writer};
    use ai_registry::registration::{deployment, RegistrationError};
    use ai_registry::validate::Schemas;

    let app = TestApp::spawn(backend);
    let provider = app.token("provider", PROVIDER_ORG);
    let deployer_org = "Festivalterrein De Zuid B.V.";
    let schemas = std::sync::Arc::new(Schemas::load().unwrap());
    let prepare = |doc: &Value| {
        let (schemas, doc) = (schemas.clone(), doc.clone());
        let vis = Visibility::Org(deployer_org.to_owned());
        app.store
            .read_blocking(move |conn| Ok(deployment::prepare(&schemas, Some(conn), &vis, doc)))
            .unwrap()
            .unwrap()
    };
    let store = |prepared| {
        let new = NewRecord::new(Writer::bulk(deployer_org, "deployer"), prepared);
        app.store
            .write_blocking(move |conn| write::insert(conn, &new))
    };

    // Moved into the non-public section between preparing and writing.
    let (system_id, doc) = public_system_and_use(&app, &provider, "R-1");
    let stale = prepare(&doc);
    assert!(
        stale.write.search_text.contains("facetrace"),
        "{}",
        stale.write.search_text
    );
    let (s, moved, _) = send(
        app.put(&format!("/v1/systems/{system_id}"))
            .bearer_auth(&provider)
            .header("if-match", "\"1\"")
            .json(&police_version("R-1")),
    );
    assert_eq!(s, 200, "{moved}");
    let seq = app.audit_seq();
    match store(stale) {
        Err(RegistrationError::Invalid(errors)) => {
            assert_eq!(errors[0].pointer, "/system_id", "{errors:?}")
        }
        other => panic!("a use of a system gone non-public was stored: {other:?}"),
    }
    assert_eq!(app.audit_seq(), seq, "nothing was written");

    // Renamed, still public: the use is written with the new name.
    let (system_id, doc) = public_system_and_use(&app, &provider, "R-2");
    let stale = prepare(&doc);
    let mut renamed = example("system-annex-viii-a");
    renamed["reference"] = json!("R-2");
    renamed["trade_name"] = json!("Gezichtspoort");
    renamed["facts"]["purposes"] = json!(["access_control"]);
    renamed["facts"]["deployer_type"] = json!("public_authority");
    let (s, b, _) = send(
        app.put(&format!("/v1/systems/{system_id}"))
            .bearer_auth(&provider)
            .header("if-match", "\"1\"")
            .json(&renamed),
    );
    assert_eq!(s, 200, "{b}");
    let row = store(stale).expect("stored");
    let (_, found, _) = send(app.get("/v1/deployments?q=Gezichtspoort"));
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["id"], row.id.as_str());
}

/// Uses registered at the very moment their system moves into the
/// non-public section: whichever commits first, no use keeps the system's
/// names in its search text.
fn a_use_registered_while_its_system_moves_never_keeps_its_names(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", PROVIDER_ORG);
    let deployer = app.token("deployer", "Festivalterrein De Zuid B.V.");
    let authority = app.token("authority", "Ministerie van BZK");
    for i in 0..40 {
        let reference = format!("RACE-{i}");
        let (system_id, doc) = public_system_and_use(&app, &provider, &reference);
        let barrier = std::sync::Barrier::new(2);
        let (moved, used) = std::thread::scope(|scope| {
            let mover = scope.spawn(|| {
                barrier.wait();
                send(
                    app.put(&format!("/v1/systems/{system_id}"))
                        .bearer_auth(&provider)
                        .header("if-match", "\"1\"")
                        .json(&police_version(&reference)),
                )
            });
            let user = scope.spawn(|| {
                barrier.wait();
                send(
                    app.post("/v1/deployments")
                        .bearer_auth(&deployer)
                        .json(&doc),
                )
            });
            (mover.join().unwrap(), user.join().unwrap())
        });
        assert_eq!(moved.0, 200, "{}", moved.1);
        match used.0 {
            // Registered first: the use stays linked for those who may see
            // the system.
            201 => {
                let use_id = used.1["id"].as_str().unwrap();
                let (_, full, _) = send(
                    app.get(&format!("/v1/deployments/{use_id}"))
                        .bearer_auth(&authority),
                );
                assert_eq!(full["system_id"], system_id.as_str(), "try {i}: {full}");
            }
            // The move first: refused as if the system did not exist.
            422 => assert_eq!(pointers(&used.1), ["/system_id"], "try {i}: {}", used.1),
            other => panic!("{other}: {}", used.1),
        }
        let (_, found, _) = send(app.get("/v1/deployments?q=FaceTrace"));
        assert_eq!(
            found["total"], 0,
            "try {i}: a use kept a non-public system's name"
        );
        let (_, found, _) = send(
            app.get("/v1/deployments?q=FaceTrace")
                .bearer_auth(&authority),
        );
        assert_eq!(found["total"], 0, "try {i}: not even in the index");
    }
}

on_both_backends!(
    non_public_records_keep_only_what_art_49_4_allows,
    a_non_public_record_reaches_nobody_who_may_not_see_it,
    a_use_does_not_reveal_a_system_that_became_non_public,
    a_use_is_linked_to_its_system_as_it_is_when_written,
    a_use_registered_while_its_system_moves_never_keeps_its_names,
);
