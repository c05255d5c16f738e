//! JSON Schema validation of request documents.
//!
//! The schemas in `schemas/` are embedded in the binary, compiled once at
//! start-up and served as they are at `GET /v1/schemas/{name}`. Every problem
//! of a document is reported at once, each with the JSON pointer of the field
//! it concerns: for a missing required field the pointer names that field,
//! for an unknown field the unknown field itself.

use std::collections::BTreeMap;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Registry, Validator};
use serde::Serialize;
use serde_json::Value;

/// The base URI of every schema's `$id`; `$ref`s between schemas are relative to it.
pub const SCHEMA_BASE: &str = "https://ai-registry.example/v1/schemas/";

/// The schemas by name, as files under `schemas/`.
pub const SCHEMA_FILES: &[(&str, &str)] = &[
    ("common", include_str!("../schemas/common.json")),
    ("facts", include_str!("../schemas/facts.json")),
    ("system", include_str!("../schemas/system.json")),
    (
        "system-annex-viii-a",
        include_str!("../schemas/system-annex-viii-a.json"),
    ),
    (
        "system-annex-viii-b",
        include_str!("../schemas/system-annex-viii-b.json"),
    ),
    (
        "status-change",
        include_str!("../schemas/status-change.json"),
    ),
    (
        "classify-request",
        include_str!("../schemas/classify-request.json"),
    ),
    (
        "deployment-common",
        include_str!("../schemas/deployment-common.json"),
    ),
    ("deployment", include_str!("../schemas/deployment.json")),
    (
        "deployment-annex-viii-c",
        include_str!("../schemas/deployment-annex-viii-c.json"),
    ),
    (
        "deployment-national-use",
        include_str!("../schemas/deployment-national-use.json"),
    ),
];

/// One problem with a field of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON pointer (RFC 6901) of the field in the request body; `""` is the whole body.
    pub pointer: String,
    /// The JSON Schema keyword (or rule name) that failed.
    pub keyword: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl FieldError {
    /// A problem found outside the schema (a semantic rule).
    pub fn new(pointer: impl Into<String>, keyword: &str, message: impl Into<String>) -> Self {
        FieldError {
            pointer: pointer.into(),
            keyword: keyword.to_owned(),
            message: message.into(),
        }
    }
}

/// The compiled schemas.
pub struct Schemas {
    documents: BTreeMap<&'static str, Value>,
    validators: BTreeMap<&'static str, Validator>,
}

impl Schemas {
    /// Parses and compiles every schema. Fails only on a broken schema file,
    /// which a test catches long before a release.
    pub fn load() -> Result<Schemas, String> {
        let mut documents = BTreeMap::new();
        for (name, text) in SCHEMA_FILES {
            let doc: Value =
                serde_json::from_str(text).map_err(|e| format!("schema {name}: {e}"))?;
            let id = doc.get("$id").and_then(Value::as_str);
            let expected = format!("{SCHEMA_BASE}{name}");
            if id != Some(expected.as_str()) {
                return Err(format!("schema {name}: $id must be {expected}"));
            }
            documents.insert(*name, doc);
        }
        let registry = documents
            .iter()
            .try_fold(Registry::new(), |builder, (name, doc)| {
                builder.add(format!("{SCHEMA_BASE}{name}"), doc.clone())
            })
            .and_then(|builder| builder.prepare())
            .map_err(|e| format!("schema registry: {e}"))?;
        let mut validators = BTreeMap::new();
        for (name, doc) in &documents {
            let validator = jsonschema::draft202012::options()
                .with_registry(&registry)
                .should_validate_formats(true)
                .build(doc)
                .map_err(|e| format!("schema {name}: {e}"))?;
            validators.insert(*name, validator);
        }
        Ok(Schemas {
            documents,
            validators,
        })
    }

    /// The schema document called `name`.
    pub fn document(&self, name: &str) -> Option<&Value> {
        self.documents.get(name)
    }

    /// The names of all schemas.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.documents.keys().copied()
    }

    /// Validates `instance` against the schema `name`, returning every
    /// problem, sorted by pointer.
    ///
    /// Callers name schemas by constant, so a name that is not one of
    /// [`SCHEMA_FILES`] is a bug, not bad input: it is logged and the
    /// document refused as a whole, never taken as valid.
    pub fn validate(&self, name: &str, instance: &Value) -> Result<(), Vec<FieldError>> {
        let Some(validator) = self.validators.get(name) else {
            tracing::error!(
                schema = name,
                "validation against a schema that does not exist"
            );
            return Err(vec![FieldError::new(
                "",
                "schema",
                format!("no schema called {name}"),
            )]);
        };
        let mut errors: Vec<FieldError> = Vec::new();
        for error in validator.iter_errors(instance) {
            let at = error.instance_path().to_string();
            match error.kind() {
                ValidationErrorKind::Required { property } => {
                    let field = property.as_str().unwrap_or_default();
                    errors.push(FieldError::new(
                        child(&at, field),
                        "required",
                        format!("{field} is required"),
                    ));
                }
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for field in unexpected {
                        errors.push(FieldError::new(
                            child(&at, field),
                            "additionalProperties",
                            format!("{field} is not a field of this document"),
                        ));
                    }
                }
                kind => errors.push(FieldError::new(
                    at,
                    kind.keyword(),
                    error.masked().to_string(),
                )),
            }
        }
        if errors.is_empty() {
            return Ok(());
        }
        errors.sort_by(|a, b| (&a.pointer, &a.keyword).cmp(&(&b.pointer, &b.keyword)));
        errors.dedup_by(|a, b| a.pointer == b.pointer && a.keyword == b.keyword);
        Err(errors)
    }
}

/// The pointer of `field` inside the object at `parent` (RFC 6901 escaping).
fn child(parent: &str, field: &str) -> String {
    format!("{parent}/{}", field.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_schema_compiles() {
        let schemas = Schemas::load().expect("schemas load");
        assert_eq!(schemas.names().count(), SCHEMA_FILES.len());
    }

    #[test]
    fn missing_nested_field_is_named_by_its_own_pointer() {
        let schemas = Schemas::load().unwrap();
        let errors = schemas
            .validate("status-change", &json!({"status": "recalled"}))
            .unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("/reason", "required", "reason is required")]
        );
    }

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        assert_eq!(child("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
