//! Who may call what, over HTTP, on SQLite and PostgreSQL: the authorisation
//! matrix cell by cell, bad credentials, the per-token write limit, and the
//! `/metrics` exposition.

use std::collections::BTreeSet;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use crate::common::{assert_problem, example, on_both_backends, send, Backend, TestApp};
use reqwest::blocking::RequestBuilder;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

/// Every party, the public (no token) first.
const PARTIES: [&str; 6] = [
    "public",
    "provider",
    "deployer",
    "authority",
    "auditor",
    "admin",
];

/// Open to everyone, with or without a token.
const ALL: &[&str] = &[
    "public",
    "provider",
    "deployer",
    "authority",
    "auditor",
    "admin",
];
/// Providers only.
const PROVIDER: &[&str] = &["provider"];
/// Deployers only.
const DEPLOYER: &[&str] = &["deployer"];
/// The readers of complete exports.
const EXPORT_READERS: &[&str] = &["authority", "auditor"];
/// Those who run and oversee the registry.
const OPERATORS: &[&str] = &["authority", "auditor", "admin"];

/// The authorisation matrix as the design states it, written out
/// independently of `ai_registry::api::routes()`: method, path pattern, who
/// may call it.
const MATRIX: &[(&str, &str, &[&str])] = &[
    ("GET", "/", ALL),
    ("GET", "/static/overview.js", ALL),
    ("GET", "/static/overview.css", ALL),
    ("GET", "/healthz", ALL),
    ("GET", "/readyz", ALL),
    ("GET", "/metrics", OPERATORS),
    ("GET", "/openapi.yaml", ALL),
    ("GET", "/v1/schemas/{name}", ALL),
    ("POST", "/v1/classify", ALL),
    ("GET", "/v1/code-lists", ALL),
    ("GET", "/v1/overview", ALL),
    ("GET", "/v1/systems", ALL),
    ("POST", "/v1/systems", PROVIDER),
    ("GET", "/v1/systems/{id}", ALL),
    ("PUT", "/v1/systems/{id}", PROVIDER),
    ("POST", "/v1/systems/{id}/status", PROVIDER),
    ("GET", "/v1/systems/{id}/versions", ALL),
    ("GET", "/v1/systems/{id}/versions/{n}", ALL),
    ("GET", "/v1/deployments", ALL),
    ("POST", "/v1/deployments", DEPLOYER),
    ("GET", "/v1/deployments/{id}", ALL),
    ("PUT", "/v1/deployments/{id}", DEPLOYER),
    ("GET", "/v1/deployments/{id}/versions", ALL),
    ("GET", "/v1/deployments/{id}/versions/{n}", ALL),
    ("GET", "/v1/exports/manifest", EXPORT_READERS),
    ("GET", "/v1/exports/{name}", EXPORT_READERS),
];

/// The organisation whose provider token registers the system of the walk.
const PROVIDER_ORG: &str = "Examenzeker B.V.";
/// The organisation whose deployer token registers the deployment of the walk.
const DEPLOYER_ORG: &str = "Zomerfeest Evenementen B.V.";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn with_token(req: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
}

fn register_system(app: &TestApp, token: &str, doc: &Value) -> (u16, Value, HeaderMap) {
    send(app.post("/v1/systems").bearer_auth(token).json(doc))
}

// ---------------------------------------------------------------------------
// 1. The authorisation matrix

/// The test's matrix and the route table list the same (method, path) pairs:
/// a new route without a row here fails.
fn assert_matrix_lists_exactly_the_routes_of_the_route_table() {
    let expected: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(expected.len(), MATRIX.len(), "a row appears twice");
    let actual: BTreeSet<(String, String)> = ai_registry::api::routes()
        .iter()
        .map(|def| (def.method.as_str().to_owned(), def.path.to_owned()))
        .collect();
    let without_row: Vec<_> = actual.difference(&expected).collect();
    let without_route: Vec<_> = expected.difference(&actual).collect();
    assert!(
        without_row.is_empty() && without_route.is_empty(),
        "routes without a row in the test's matrix: {without_row:?}; \
         rows without a route: {without_route:?}"
    );
}

fn every_route_and_party_gets_what_the_matrix_says(backend: Backend) {
    assert_matrix_lists_exactly_the_routes_of_the_route_table();
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", PROVIDER_ORG);
    let deployer = app.token("deployer", DEPLOYER_ORG);
    let authority = app.token("authority", "Rijksinspectie Digitale Infrastructuur");
    let auditor = app.token("auditor", "Algemene Rekenkamer");
    let admin = app.token("admin", "Registry operations");

    // A public system of the provider's organisation and a public deployment
    // of the deployer's, so that every `{id}` names a real record owned by the
    // caller where ownership matters.
    let (s, system, _) = register_system(&app, &provider, &example("system-annex-viii-b"));
    assert_eq!(s, 201, "setup system: {system}");
    assert_eq!(
        system["classification"]["registration"]["section"],
        "public"
    );
    let system_id = system["id"].as_str().expect("system id").to_owned();
    let (s, deployment, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&example("deployment-national-use")),
    );
    assert_eq!(s, 201, "setup deployment: {deployment}");
    let deployment_id = deployment["id"].as_str().expect("deployment id").to_owned();

    let token_of = |party: &str| -> Option<&str> {
        match party {
            "public" => None,
            "provider" => Some(&provider),
            "deployer" => Some(&deployer),
            "authority" => Some(&authority),
            "auditor" => Some(&auditor),
            "admin" => Some(&admin),
            other => panic!("unknown party {other}"),
        }
    };

    let seq_before = app.audit_seq();
    let mut cells = 0;
    let mut failures = Vec::new();
    for (method, pattern, allowed) in MATRIX {
        let id = if pattern.starts_with("/v1/deployments/") {
            &deployment_id
        } else {
            &system_id
        };
        let name = if pattern.starts_with("/v1/exports/") {
            "systems"
        } else {
            "system"
        };
        let path = pattern
            .replace("{id}", id)
            .replace("{n}", "1")
            .replace("{name}", name);
        let is_write =
            matches!(*method, "PUT") || (*method == "POST" && *pattern != "/v1/classify");
        for party in PARTIES {
            cells += 1;
            let req = match *method {
                "GET" => app.get(&path),
                "POST" => app.post(&path),
                "PUT" => app.put(&path),
                other => panic!("no method {other} in the walk"),
            };
            let req = if *method == "GET" {
                req
            } else {
                req.header("If-Match", "\"1\"").json(&json!({}))
            };
            let (status, body, headers) = send(with_token(req, token_of(party)));
            let cell = format!("{method} {path} as {party}: {status} {body}");
            if allowed.contains(&party) {
                if matches!(status, 401 | 403) || status >= 500 {
                    failures.push(format!("allowed, but {cell}"));
                } else if is_write && !(400..500).contains(&status) {
                    failures.push(format!(
                        "a write of {{}} should be refused as invalid: {cell}"
                    ));
                }
            } else if party == "public" {
                if status != 401 {
                    failures.push(format!("want 401: {cell}"));
                    continue;
                }
                assert_problem(status, &body, &headers, 401, "unauthorized");
                assert_eq!(
                    header(&headers, "www-authenticate"),
                    Some("Bearer"),
                    "WWW-Authenticate of {cell}"
                );
            } else {
                if status != 403 {
                    failures.push(format!("want 403: {cell}"));
                    continue;
                }
                assert_problem(status, &body, &headers, 403, "forbidden");
            }
        }
    }
    assert_eq!(cells, MATRIX.len() * PARTIES.len());
    assert!(
        failures.is_empty(),
        "{} of {cells} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        app.audit_seq(),
        seq_before,
        "the walk stored nothing beyond its setup"
    );
    app.verify_chain();
}

// ---------------------------------------------------------------------------
// 2. Bad credentials

fn a_bad_or_malformed_credential_is_a_401_even_on_public_routes(backend: Backend) {
    let app = TestApp::spawn(backend);
    for path in ["/v1/systems", "/healthz", "/v1/overview"] {
        let (s, b, _) = send(app.get(path));
        assert_eq!(s, 200, "{path} is public: {b}");

        let (s, b, h) = send(app.get(path).bearer_auth("air_nonsense"));
        assert_problem(s, &b, &h, 401, "unauthorized");
        assert_eq!(header(&h, "www-authenticate"), Some("Bearer"), "{path}");

        let (s, b, h) = send(app.get(path).header("Authorization", "Basic xyz"));
        assert_problem(s, &b, &h, 401, "unauthorized");
        assert_eq!(header(&h, "www-authenticate"), Some("Bearer"), "{path}");
    }
    let seq = app.audit_seq();
    let doc = example("system-annex-viii-b");
    let (s, b, h) = send(
        app.post("/v1/systems")
            .bearer_auth("air_nonsense")
            .json(&doc),
    );
    assert_problem(s, &b, &h, 401, "unauthorized");
    let (s, b, h) = send(
        app.post("/v1/systems")
            .header("Authorization", "Basic xyz")
            .json(&doc),
    );
    assert_problem(s, &b, &h, 401, "unauthorized");
    assert_eq!(app.audit_seq(), seq, "nothing stored");
}

// ---------------------------------------------------------------------------
// 3. The per-token write limit

fn numbered(n: usize) -> Value {
    let mut doc = example("system-annex-viii-b");
    doc["trade_name"] = json!(format!("ExamID Check {n}"));
    doc
}

fn writes_over_the_limit_get_429_with_retry_after(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.write_rate = NonZeroU32::new(1).unwrap();
        c.write_burst = NonZeroU32::new(3).unwrap();
    });
    let limited = app.token("provider", "Examenzeker B.V.");
    let other = app.token("provider", "Noordlicht Vision B.V.");

    let started = Instant::now();
    let mut first_id = String::new();
    for n in 1..=3 {
        let (s, b, _) = register_system(&app, &limited, &numbered(n));
        assert_eq!(s, 201, "write {n} of the burst: {b}");
        if n == 1 {
            first_id = b["id"].as_str().unwrap().to_owned();
        }
    }
    let seq = app.audit_seq();
    let (s, b, h) = register_system(&app, &limited, &numbered(4));
    let elapsed = started.elapsed();
    assert_eq!(
        s, 429,
        "the 4th write {elapsed:?} after the first of a burst of 3 at 1/s: {b}"
    );
    assert_problem(s, &b, &h, 429, "rate-limited");
    assert!(b["type"].as_str().unwrap().ends_with("rate-limited"), "{b}");
    let retry_after = header(&h, "retry-after").expect("Retry-After header");
    let wait: u64 = retry_after
        .parse()
        .unwrap_or_else(|_| panic!("Retry-After is whole seconds: {retry_after:?}"));
    assert!(wait >= 1, "Retry-After is positive: {wait}");
    assert!(wait <= 2, "at 1 write/s the wait is about a second: {wait}");
    assert_eq!(app.audit_seq(), seq, "the refused write stored nothing");

    // The limit is per token: another organisation's token still writes.
    let (s, b, _) = register_system(&app, &other, &numbered(100));
    assert_eq!(s, 201, "another token is not limited: {b}");

    // Reads are not limited.
    let (s, b, _) = send(
        app.get(&format!("/v1/systems/{first_id}"))
            .bearer_auth(&limited),
    );
    assert_eq!(s, 200, "{b}");
    let (s, b, _) = send(app.get("/v1/systems").bearer_auth(&limited));
    assert_eq!(s, 200, "{b}");

    std::thread::sleep(Duration::from_secs(wait));
    let (s, b, _) = register_system(&app, &limited, &numbered(5));
    assert_eq!(s, 201, "after Retry-After the token writes again: {b}");
    app.verify_chain();
}

// ---------------------------------------------------------------------------
// 4. /metrics

/// The value of the sample line `name{labels}` exactly, if present.
fn sample(body: &str, series: &str) -> Option<f64> {
    body.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        value.split_whitespace().next()?.parse().ok()
    })
}

fn scrape(app: &TestApp, token: &str) -> String {
    let resp = app
        .get("/metrics")
        .bearer_auth(token)
        .send()
        .expect("scrape");
    assert_eq!(resp.status().as_u16(), 200);
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "content type {content_type:?}"
    );
    resp.text().expect("metrics body")
}

/// The sum of every `registrations{kind="system",...,scope=SCOPE}` sample.
fn system_registrations(body: &str, scope: &str) -> f64 {
    let scope = format!("scope=\"{scope}\"}}");
    body.lines()
        .filter(|l| l.starts_with("registrations{kind=\"system\",") && l.contains(&scope))
        .map(|l| {
            l.rsplit(' ')
                .next()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or_else(|| panic!("a sample line: {l}"))
        })
        .sum()
}

fn metrics_count_requests_by_route_pattern_and_public_registrations(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", "Examenzeker B.V.");
    let police_vendor = app.token("provider", "Noordlicht Vision B.V.");
    let admin = app.token("admin", "Registry operations");
    let auditor = app.token("auditor", "Auditdienst Rijk");

    let (s, public, _) = register_system(&app, &provider, &example("system-annex-viii-b"));
    assert_eq!(s, 201, "{public}");
    assert_eq!(
        public["classification"]["registration"]["section"],
        "public"
    );
    let id = public["id"].as_str().unwrap().to_owned();
    let outcome = public["classification"]["outcome"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, b, _) = send(app.get(&format!("/v1/systems/{id}")));
    assert_eq!(s, 200, "{b}");
    let unknown = uuid::Uuid::new_v4().to_string();
    let (s, b, h) = send(app.get(&format!("/v1/systems/{unknown}")));
    assert_problem(s, &b, &h, 404, "not-found");

    let body = scrape(&app, &auditor);
    let created = r#"http_requests_total{method="POST",route="/v1/systems",status="201"}"#;
    assert_eq!(sample(&body, created), Some(1.0), "{created} in:\n{body}");
    let read = r#"http_requests_total{method="GET",route="/v1/systems/{id}",status="200"}"#;
    assert_eq!(sample(&body, read), Some(1.0), "{read} in:\n{body}");
    let missing = r#"http_requests_total{method="GET",route="/v1/systems/{id}",status="404"}"#;
    assert_eq!(sample(&body, missing), Some(1.0), "{missing} in:\n{body}");
    let count = r#"http_request_duration_seconds_count{method="GET",route="/v1/systems/{id}"}"#;
    assert_eq!(sample(&body, count), Some(2.0), "{count} in:\n{body}");
    assert!(
        !body.contains(&id) && !body.contains(&unknown),
        "raw ids never appear in the metrics:\n{body}"
    );
    let gauge = format!(r#"registrations{{kind="system",outcome="{outcome}",scope="public"}}"#);
    assert_eq!(sample(&body, &gauge), Some(1.0), "{gauge} in:\n{body}");
    assert_eq!(system_registrations(&body, "public"), 1.0, "{body}");
    assert_eq!(system_registrations(&body, "all"), 1.0, "{body}");

    // A non-public registration (Art. 49(4)) counts in scope="all" only.
    let (s, hidden, _) = register_system(&app, &police_vendor, &example("system-annex-viii-a"));
    assert_eq!(s, 201, "{hidden}");
    assert_eq!(
        hidden["classification"]["registration"]["section"],
        "non_public"
    );
    let hidden_id = hidden["id"].as_str().unwrap();
    let body = scrape(&app, &auditor);
    assert_eq!(sample(&body, created), Some(2.0), "{created} in:\n{body}");
    assert_eq!(sample(&body, &gauge), Some(1.0), "{gauge} in:\n{body}");
    assert_eq!(
        system_registrations(&body, "public"),
        1.0,
        "only the public system is counted as public:\n{body}"
    );
    assert_eq!(system_registrations(&body, "all"), 2.0, "{body}");
    assert!(!body.contains(hidden_id), "{body}");
    let scraped = r#"http_requests_total{method="GET",route="/metrics",status="200"}"#;
    assert_eq!(sample(&body, scraped), Some(1.0), "{scraped} in:\n{body}");

    // An admin reads the register as the public does: nothing there counts
    // the non-public section, neither scope="all" nor the requests that
    // wrote (their 201s minus the public totals would give its size).
    let (s, b, _) = send(
        app.put(&format!("/v1/systems/{id}"))
            .bearer_auth(&provider)
            .header("if-match", "\"1\"")
            .json(&example("system-annex-viii-b")),
    );
    assert_eq!(s, 200, "{b}");
    let deployer = app.token("deployer", "Festivalterrein De Zuid B.V.");
    let (s, b, _) = send(
        app.post("/v1/deployments")
            .bearer_auth(&deployer)
            .json(&example("deployment-national-use")),
    );
    assert_eq!(s, 201, "{b}");
    let writes = [
        r#"method="POST",route="/v1/systems""#,
        r#"method="PUT",route="/v1/systems/{id}""#,
        r#"method="POST",route="/v1/deployments""#,
    ];
    let full = scrape(&app, &auditor);
    let body = scrape(&app, &admin);
    assert_eq!(system_registrations(&body, "public"), 1.0, "{body}");
    assert!(!body.contains(r#"scope="all""#), "{body}");
    for route in writes {
        // Counters and every line of the latency histogram alike.
        for series in ["http_requests_total{", "http_request_duration_seconds_"] {
            let shown = |text: &str| {
                text.lines()
                    .any(|l| l.starts_with(series) && l.contains(route))
            };
            assert!(shown(&full), "the auditor sees {series} {route}:\n{full}");
            assert!(
                !shown(&body),
                "an admin does not see {series} {route}:\n{body}"
            );
        }
    }
    assert_eq!(sample(&body, read), Some(1.0), "{read} in:\n{body}");
    assert_eq!(sample(&body, scraped), Some(3.0), "{scraped} in:\n{body}");
}

/// The router decodes percent-encoded letters in a path; the access check
/// must see the route the request reaches, not the raw path.
fn an_encoded_path_reaches_the_same_check(backend: Backend) {
    let app = TestApp::spawn(backend);
    let provider = app.token("provider", "Examenzeker B.V.");
    let seq = app.audit_seq();
    for path in [
        "/v1/%65xports/systems",
        "/v1/exports/%73ystems",
        "/v1/%65xports/manifest",
        "/%6detrics",
    ] {
        let url = app.url(path);
        assert!(url.contains('%'), "the client keeps the escape: {url}");
        let (s, b, h) = send(app.client.get(&url));
        assert_problem(s, &b, &h, 401, "unauthorized");
        let (s, b, h) = send(app.client.get(&url).bearer_auth(&provider));
        assert_problem(s, &b, &h, 403, "forbidden");
    }
    let (s, b, h) = send(
        app.client
            .post(app.url("/v1/%73ystems"))
            .json(&example("system-annex-viii-b")),
    );
    assert_problem(s, &b, &h, 401, "unauthorized");
    assert_eq!(app.audit_seq(), seq, "nothing was written");
}

on_both_backends!(
    an_encoded_path_reaches_the_same_check,
    every_route_and_party_gets_what_the_matrix_says,
    a_bad_or_malformed_credential_is_a_401_even_on_public_routes,
    writes_over_the_limit_get_429_with_retry_after,
    metrics_count_requests_by_route_pattern_and_public_registrations,
);
