//! The contract between the route table and `openapi.yaml`: the document
//! names exactly the routes the service answers, documents every error as
//! problem+json, and its examples and schema references hold against the
//! JSON Schemas the service validates with and serves.
//!
//! These tests read files only; no server or database is started.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use ai_registry::api::routes;
use ai_registry::validate::Schemas;

/// The HTTP methods an OpenAPI path item can hold, as its keys.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where the service serves the JSON Schemas; the spec's `$ref`s to them are
/// relative references that start with it.
const SCHEMA_PREFIX: &str = "/v1/schemas/";

/// The error body every 4xx and 5xx answer carries.
const PROBLEM_JSON: &str = "application/problem+json";

fn crate_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// `openapi.yaml`, parsed. Response codes must be quoted strings there (as
/// OpenAPI asks), or the YAML does not map onto JSON and this fails.
fn spec() -> Value {
    let path = crate_file("openapi.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid: {e}", path.display()))
}

/// One operation of the spec.
struct Operation<'a> {
    /// Upper case, as in the route table.
    method: String,
    path: &'a str,
    /// The path item, for the parameters it gives all its operations.
    item: &'a Value,
    op: &'a Value,
}

impl Operation<'_> {
    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// An operation that takes no input (no parameter, no body) cannot be
    /// answered with a client error: `/healthz` is the example.
    fn takes_input(&self) -> bool {
        let has_parameters = |v: &Value| {
            v.get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty())
        };
        has_parameters(self.item) || has_parameters(self.op) || self.op.get("requestBody").is_some()
    }
}

fn operations(spec: &Value) -> Vec<Operation<'_>> {
    let paths = spec["paths"]
        .as_object()
        .expect("openapi.yaml has a paths object");
    let mut ops = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                ops.push(Operation {
                    method: method.to_uppercase(),
                    path,
                    item,
                    op,
                });
            }
        }
    }
    ops
}

/// Follows `$ref: '#/...'` inside the spec until it reaches an object
/// without one.
fn resolve<'a>(spec: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{reference} is not a reference inside openapi.yaml"));
        value = spec
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{reference} names nothing in openapi.yaml"));
    }
    value
}

/// Whether `schema` is the `Problem` component or builds on it with `allOf`.
fn is_problem(schema: &Value) -> bool {
    schema.get("$ref").and_then(Value::as_str) == Some("#/components/schemas/Problem")
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().any(is_problem))
}

/// The name of the served schema a `$ref` points to, without any fragment.
fn schema_name(reference: &str) -> Option<&str> {
    let rest = reference.strip_prefix(SCHEMA_PREFIX)?;
    Some(rest.split_once('#').map_or(rest, |(name, _)| name))
}

/// Every `$ref` string anywhere in `value`.
fn collect_refs<'a>(value: &'a Value, refs: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => refs.push(reference),
                    _ => collect_refs(child, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, refs)),
        _ => {}
    }
}

#[test]
fn every_route_is_in_the_spec_and_every_spec_operation_is_a_route() {
    let spec = spec();
    let in_routes: BTreeSet<(String, String)> = routes()
        .iter()
        .map(|r| (r.method.as_str().to_owned(), r.path.to_owned()))
        .collect();
    let in_spec: BTreeSet<(String, String)> = operations(&spec)
        .iter()
        .map(|o| (o.method.clone(), o.path.to_owned()))
        .collect();
    let undocumented: Vec<_> = in_routes.difference(&in_spec).collect();
    let unrouted: Vec<_> = in_spec.difference(&in_routes).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routes missing from openapi.yaml: {undocumented:?}\n\
         operations in openapi.yaml that no route answers: {unrouted:?}"
    );
}

#[test]
fn every_operation_documents_its_error_responses_as_problem_json() {
    let spec = spec();
    let mut failures = Vec::new();
    for op in operations(&spec) {
        let Some(responses) = op.op.get("responses").and_then(Value::as_object) else {
            failures.push(format!("{}: no responses", op.name()));
            continue;
        };
        if op.takes_input() && !responses.keys().any(|code| code.starts_with('4')) {
            failures.push(format!("{}: no 4xx response", op.name()));
        }
        for (code, response) in responses {
            if !(code.starts_with('4') || code.starts_with('5')) {
                continue;
            }
            let content = resolve(&spec, response)
                .get("content")
                .and_then(Value::as_object);
            let media_types: Vec<&str> = content
                .map(|c| c.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if media_types != [PROBLEM_JSON] {
                failures.push(format!(
                    "{} {code}: content is {media_types:?}, not only {PROBLEM_JSON}",
                    op.name()
                ));
                continue;
            }
            let schema = content
                .and_then(|c| c[PROBLEM_JSON].get("schema"))
                .unwrap_or(&Value::Null);
            if !is_problem(schema) {
                failures.push(format!(
                    "{} {code}: the schema is not #/components/schemas/Problem",
                    op.name()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_request_example_validates_against_its_schema() {
    let spec = spec();
    let schemas = Schemas::load().expect("the JSON Schemas load");
    let mut checked = 0;
    let mut failures = Vec::new();
    for op in operations(&spec) {
        let Some(body) = op.op.get("requestBody") else {
            continue;
        };
        let Some(content) = resolve(&spec, body)
            .get("content")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (media_type, media) in content {
            let Some(name) = media
                .pointer("/schema/$ref")
                .and_then(Value::as_str)
                .and_then(schema_name)
            else {
                continue;
            };
            let mut examples: Vec<(String, &Value)> = Vec::new();
            if let Some(example) = media.get("example") {
                examples.push(("example".to_owned(), example));
            }
            for (label, example) in media
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let example = resolve(&spec, example);
                let value = example.get("value").unwrap_or_else(|| {
                    panic!(
                        "{} {media_type} example {label}: only inline values are supported",
                        op.name()
                    )
                });
                examples.push((label.clone(), value));
            }
            if schemas.document(name).is_none() {
                // Reported by every_schema_ref_names_a_served_schema;
                // `validate` would panic on the unknown name.
                failures.push(format!(
                    "{} {media_type}: no schema called {name}",
                    op.name()
                ));
                continue;
            }
            for (label, value) in examples {
                checked += 1;
                if let Err(errors) = schemas.validate(name, value) {
                    failures.push(format!(
                        "{} {media_type} example {label} breaks schema {name}: {errors:?}",
                        op.name()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0, "no request example refers to a served schema");
}

#[test]
fn every_schema_ref_names_a_served_schema() {
    let spec = spec();
    let schemas = Schemas::load().expect("the JSON Schemas load");
    let mut refs = Vec::new();
    collect_refs(&spec, &mut refs);
    let mut failures = Vec::new();
    let mut named = 0;
    for reference in refs {
        let Some(name) = schema_name(reference) else {
            continue;
        };
        named += 1;
        if !crate_file(&format!("schemas/{name}.json")).is_file() {
            failures.push(format!("{reference}: there is no schemas/{name}.json"));
        }
        let Some(document) = schemas.document(name) else {
            failures.push(format!("{reference}: the service does not serve {name}"));
            continue;
        };
        if let Some((_, fragment)) = reference.split_once('#') {
            if document.pointer(fragment).is_none() {
                failures.push(format!("{reference}: {name} has nothing at {fragment}"));
            }
        }
    }
    // The `name` parameter of GET /v1/schemas/{name} lists exactly the
    // schemas served, so a client learns of each one and of no other.
    let ops = operations(&spec);
    let schema_op = ops
        .iter()
        .find(|o| o.method == "GET" && o.path == "/v1/schemas/{name}")
        .expect("GET /v1/schemas/{name} is in openapi.yaml");
    let parameters = [schema_op.item, schema_op.op]
        .into_iter()
        .filter_map(|v| v.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|p| resolve(&spec, p));
    for parameter in parameters.filter(|p| p["name"] == "name" && p["in"] == "path") {
        if let Some(listed) = parameter.pointer("/schema/enum").and_then(Value::as_array) {
            let listed: BTreeSet<&str> = listed.iter().filter_map(Value::as_str).collect();
            let served: BTreeSet<&str> = schemas.names().collect();
            if listed != served {
                failures.push(format!(
                    "the name parameter lists {listed:?}, the service serves {served:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(named > 0, "openapi.yaml refers to no served schema");
}
