//! What every registration shares: its error, the prepared write, and the
//! small readers of documents the preparation of each kind uses.

use serde_json::Value;

use super::link::Link;
use crate::classify;
use crate::domain::RecordKind;
use crate::store::records::RecordWrite;
use crate::store::StoreError;
use crate::validate::{FieldError, Schemas};

/// What a duplicate registration is told.
pub const DUPLICATE: &str =
    "a registration with the same organisation, trade name and reference exists";

/// Why a registration was not made.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// The document breaks its schema or a rule: every problem at once,
    /// each with the JSON pointer of its field.
    #[error("the document is not valid")]
    Invalid(Vec<FieldError>),
    /// The database refused or failed: a duplicate, a stale version, an
    /// outage.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for RegistrationError {
    fn from(e: diesel::result::Error) -> Self {
        RegistrationError::Store(e.into())
    }
}

impl RegistrationError {
    /// Whether the registration itself was refused (a bad document, a
    /// duplicate), rather than the database having failed.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            RegistrationError::Invalid(_) | RegistrationError::Store(StoreError::Conflict(_))
        )
    }

    /// A refusal of one field.
    pub fn field(pointer: &str, keyword: &str, message: impl Into<String>) -> RegistrationError {
        RegistrationError::Invalid(vec![FieldError::new(pointer, keyword, message)])
    }
}

/// A registration ready to store: the write and what it was made from.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// System or deployment.
    pub kind: RecordKind,
    /// What the store writes.
    pub write: RecordWrite,
    /// The classification, as stored and answered.
    pub classification: Value,
    /// For a use of a registered system: the system as it was when the
    /// use was prepared, and the document, so that the write can prepare
    /// it again should the system have changed since (see
    /// [`super::write`]).
    pub link: Option<Link>,
}

/// The kind of record a document registers, by its `registration_type`;
/// `None` for a document without one (bare facts).
pub fn kind_of(doc: &Value) -> Option<RecordKind> {
    match doc.get("registration_type").and_then(Value::as_str) {
        Some("annex_viii_c" | "national_use") => Some(RecordKind::Deployment),
        Some(_) => Some(RecordKind::System),
        None if doc.get("registration_type").is_some() => Some(RecordKind::System),
        None => None,
    }
}

/// The organisation a document is registered for when nobody names one:
/// the provider of a system, the deployer of a use.
pub fn party_of(doc: &Value) -> Option<&str> {
    let party = match kind_of(doc)? {
        RecordKind::System => &doc["provider"]["name"],
        RecordKind::Deployment => &doc["deployer"]["name"],
    };
    party.as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// Deserializes a schema-valid document into the fields the registry reads.
pub(crate) fn typed<'a, T: serde::Deserialize<'a>>(doc: &'a Value) -> Result<T, RegistrationError> {
    T::deserialize(doc).map_err(|e| {
        // The schemas and the types agree; if they ever do not, the client
        // still learns which document was refused, and the log tells us.
        tracing::error!(error = %e, "a schema-valid document did not deserialize");
        RegistrationError::Invalid(vec![FieldError::new("", "type", e.to_string())])
    })
}

/// Validates `doc` against schema `name`.
pub(crate) fn check_schema(
    schemas: &Schemas,
    name: &str,
    doc: &Value,
) -> Result<(), RegistrationError> {
    schemas
        .validate(name, doc)
        .map_err(RegistrationError::Invalid)
}

/// The schema that governs a document, by its `registration_type`: one of
/// `forms`, each a (registration type, schema name) pair.
pub(crate) fn schema_for(
    doc: &Value,
    forms: &[(&str, &'static str)],
) -> Result<&'static str, RegistrationError> {
    let names = forms
        .iter()
        .map(|(t, _)| *t)
        .collect::<Vec<_>>()
        .join(" or ");
    match doc.get("registration_type") {
        None => Err(RegistrationError::field(
            "/registration_type",
            "required",
            format!("registration_type is required: {names}"),
        )),
        Some(Value::String(t)) => forms
            .iter()
            .find(|(form, _)| form == t)
            .map(|(_, schema)| *schema)
            .ok_or_else(|| {
                RegistrationError::field(
                    "/registration_type",
                    "enum",
                    format!("registration_type must be {names}"),
                )
            }),
        Some(_) => Err(RegistrationError::field(
            "/registration_type",
            "enum",
            format!("registration_type must be {names}"),
        )),
    }
}

/// Serializes a classification.
pub(crate) fn to_json(
    classification: &classify::Classification,
) -> Result<Value, RegistrationError> {
    serde_json::to_value(classification)
        .map_err(|e| StoreError::Internal(format!("classification to JSON: {e}")).into())
}

/// The search text of a record: the words of the strings given, cut the way
/// a query is cut ([`crate::store::search::words`]), so that SQLite and
/// PostgreSQL index exactly the same tokens.
pub fn search_text(parts: &[&Value]) -> String {
    parts
        .iter()
        .filter_map(|v| v.as_str())
        .flat_map(crate::store::search::all_words)
        .collect::<Vec<_>>()
        .join(" ")
}
