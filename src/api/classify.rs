//! `POST /v1/classify`: a dry run. Classifies `{"facts": {...}}` or a whole
//! registration document without storing anything; open to everyone.

use actix_web::{web, HttpResponse};
use serde_json::Value;

use super::auth::Caller;
use super::body::JsonBody;
use super::error::ApiError;
use super::{deployments, systems};
use crate::classify::{self, Subject};
use crate::domain::facts::Facts;
use crate::store::Store;
use crate::validate::Schemas;

/// Classifies a document: a system or deployment registration when it has a
/// `registration_type`, bare facts otherwise. Errors are those a
/// registration of the same document would get. Without a store (offline)
/// a deployment's `system_id` is not looked up.
pub async fn classify_document(
    schemas: &Schemas,
    store: Option<&Store>,
    caller: &Caller,
    doc: &Value,
) -> Result<Value, ApiError> {
    if deployments::is_deployment(doc) {
        return deployments::classify_document(schemas, store, caller, doc).await;
    }
    if doc.get("registration_type").is_some() {
        return Ok(systems::prepare(schemas, doc)?.1);
    }
    schemas
        .validate("classify-request", doc)
        .map_err(ApiError::Validation)?;
    let facts: Facts = systems::typed(&doc["facts"])?;
    serde_json::to_value(classify::classify(&facts, &Subject::Facts))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// `POST /v1/classify`.
pub async fn classify(
    JsonBody(doc): JsonBody,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let classification = classify_document(&schemas, Some(&store), &caller, &doc).await?;
    Ok(HttpResponse::Ok().json(classification))
}
