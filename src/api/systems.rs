//! `/v1/systems`: providers register AI systems (Annex VIII Sections A and B),
//! update them and change their status; every write is a new version with its
//! classification.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::auth::Caller;
use super::body::read_json;
use super::deployments;
use super::error::ApiError;
use super::non_public;
use super::records::{self, search_text, Revision};
use super::versioning::if_match;
use crate::classify::{self, Subject, SystemContext};
use crate::domain::annex::AnnexIiiPoint;
use crate::domain::facts::Facts;
use crate::domain::registration::RegistrationType;
use crate::domain::{RecordKind, SystemStatus};
use crate::index::{facet_values, Source};
use crate::store::records::{RecordRow, RecordWrite};
use crate::store::Store;
use crate::validate::{FieldError, Schemas};

const KIND: RecordKind = RecordKind::System;

/// The fields of a system document the registry itself reads; the rest is
/// kept as registered.
#[derive(Debug, Deserialize)]
struct SystemDocument {
    registration_type: RegistrationType,
    trade_name: String,
    reference: String,
    status: SystemStatus,
    #[serde(default)]
    declared_annex_iii: Vec<AnnexIiiPoint>,
    facts: Facts,
}

/// The schema that governs a system document, by its `registration_type`.
fn schema_for(doc: &Value) -> Result<&'static str, ApiError> {
    match doc.get("registration_type") {
        None => Err(ApiError::field(
            "/registration_type",
            "required",
            "registration_type is required: annex_viii_a or annex_viii_b",
        )),
        Some(Value::String(t)) if t == "annex_viii_a" => Ok("system-annex-viii-a"),
        Some(Value::String(t)) if t == "annex_viii_b" => Ok("system-annex-viii-b"),
        Some(_) => Err(ApiError::field(
            "/registration_type",
            "enum",
            "registration_type must be annex_viii_a or annex_viii_b",
        )),
    }
}

/// Deserializes a schema-valid document into the fields the registry reads.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(doc: &Value) -> Result<T, ApiError> {
    serde_json::from_value(doc.clone()).map_err(|e| {
        // The schemas and the types agree; if they ever do not, the client
        // still learns which document was refused, and the log tells us.
        tracing::error!(error = %e, "a schema-valid document did not deserialize");
        ApiError::Validation(vec![FieldError::new("", "type", e.to_string())])
    })
}

/// What makes two systems of one organisation the same registration: a
/// digest of trade name and reference (a long name and reference would not
/// fit a PostgreSQL index entry).
pub fn duplicate_key(trade_name: &str, reference: &str) -> String {
    crate::store::sha256_hex(format!("{trade_name}\u{1f}{reference}").as_bytes())
}

/// Validates a system document and classifies it: everything a write needs.
pub fn prepare(schemas: &Schemas, doc: &Value) -> Result<(RecordWrite, Value), ApiError> {
    let schema = schema_for(doc)?;
    schemas
        .validate(schema, doc)
        .map_err(ApiError::Validation)?;
    prepare_valid(doc.clone(), None)
}

/// Classifies a document that has passed its schema. A document routed to
/// the non-public section loses the items Art. 49(4) does not let it keep.
///
/// `classified` is the classification of a stored non-public document whose
/// status alone changes: such a document no longer holds every item its
/// classification rested on (B.6 is gone), so it is not classified again;
/// its facts have not changed.
fn prepare_valid(
    mut doc: Value,
    classified: Option<Value>,
) -> Result<(RecordWrite, Value), ApiError> {
    let system: SystemDocument = typed(&doc)?;
    let classification = match classified {
        Some(kept) => kept,
        None => {
            let mut fresh = serde_json::to_value(classify::classify(
                &system.facts,
                &Subject::System(SystemContext {
                    registration_type: system.registration_type,
                    declared_annex_iii: &system.declared_annex_iii,
                }),
            ))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
            non_public::apply(&mut doc, &mut fresh);
            fresh
        }
    };
    let doc = &doc;

    let document = doc.to_string();
    let write = RecordWrite {
        registration_type: system.registration_type.as_str().to_owned(),
        name: system.trade_name.clone(),
        unique_key: Some(duplicate_key(&system.trade_name, &system.reference)),
        status: Some(system.status.as_str().to_owned()),
        system_id: None,
        document_sha256: crate::store::sha256_hex(document.as_bytes()),
        document,
        outcome: classification["outcome"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        section: classification["registration"]["section"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        classification: classification.to_string(),
        rules_version: classification["rules_version"]
            .as_str()
            .unwrap_or(classify::RULES_VERSION)
            .to_owned(),
        facets: facet_values(&Source::new(KIND, doc, &classification)),
        search_text: search_text(&[
            &doc["trade_name"],
            &doc["reference"],
            &doc["provider"]["name"],
            &doc["intended_purpose"],
        ]),
    };
    Ok((write, classification))
}

/// `POST /v1/systems`: registers a system as version 1.
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let doc = read_json(&req, payload.into_inner()).await?;
    let (write, _) = prepare(&schemas, &doc)?;
    records::create(&store, KIND, &caller, write).await
}

/// `PUT /v1/systems/{id}`: a new version; needs `If-Match` with the current ETag.
pub async fn update(
    req: HttpRequest,
    payload: web::Payload,
    id: web::Path<Uuid>,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let precondition = records::required_precondition(&req)?;
    let current =
        records::load_for_write(&store, KIND, &id.to_string(), &caller, &precondition).await?;
    let doc = read_json(&req, payload.into_inner()).await?;
    let (write, _) = prepare(&schemas, &doc)?;
    let revision = Revision {
        after: refresh_uses(&current),
        ..Revision::update()
    };
    records::update(&store, KIND, &caller, &current, revision, write).await
}

/// In the transaction of a write: the uses of the system follow its new
/// section and name (their search text holds its names only while public).
fn refresh_uses(before: &RecordRow) -> Option<records::AfterWrite> {
    let (section, name) = (before.section.clone(), before.name.clone());
    Some(Box::new(move |conn, after| {
        if after.section != section || after.name != name {
            deployments::refresh_uses_of(conn, after)?;
        }
        Ok(())
    }))
}

/// The body of a status change.
#[derive(Debug, Deserialize)]
struct StatusChange {
    status: SystemStatus,
    reason: String,
}

/// `POST /v1/systems/{id}/status`: moves a system to another lifecycle status,
/// with a reason; a new version. `If-Match` is honoured when given.
pub async fn change_status(
    req: HttpRequest,
    payload: web::Payload,
    id: web::Path<Uuid>,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let precondition = if_match(&req)?;
    let current =
        records::load_for_write(&store, KIND, &id.to_string(), &caller, &precondition).await?;
    let body = read_json(&req, payload.into_inner()).await?;
    schemas
        .validate("status-change", &body)
        .map_err(ApiError::Validation)?;
    let change: StatusChange = typed(&body)?;
    if current.status.as_deref() == Some(change.status.as_str()) {
        return Err(ApiError::field(
            "/status",
            "transition",
            format!("the system's status is already {}", change.status),
        ));
    }
    let mut doc = records::parse_stored(&current.document)?;
    doc["status"] = Value::String(change.status.as_str().to_owned());
    let kept = (current.section == "non_public")
        .then(|| records::parse_stored(&current.classification))
        .transpose()?;
    let (write, _) = prepare_valid(doc, kept)?;
    let revision = Revision {
        action: "status",
        reason: Some(change.reason),
        after: refresh_uses(&current),
    };
    records::update(&store, KIND, &caller, &current, revision, write).await
}
