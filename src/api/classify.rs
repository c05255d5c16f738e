//! `POST /v1/classify`: a dry run. Classifies `{"facts": {...}}` or a whole
//! registration document without storing anything; open to everyone.

use actix_web::{web, HttpResponse};
use serde_json::Value;

use super::body::JsonBody;
use super::error::ApiError;
use super::systems;
use crate::classify::{self, Subject};
use crate::domain::facts::Facts;
use crate::validate::{FieldError, Schemas};

/// Classifies a document: a system registration when it has a
/// `registration_type`, bare facts otherwise. Errors are those a
/// registration of the same document would get.
pub fn classify_document(schemas: &Schemas, doc: &Value) -> Result<Value, ApiError> {
    if doc.get("registration_type").is_some() {
        let (_, classification) = systems::prepare(schemas, doc)?;
        return Ok(classification);
    }
    schemas
        .validate("classify-request", doc)
        .map_err(ApiError::Validation)?;
    let facts: Facts = serde_json::from_value(doc["facts"].clone()).map_err(|e| {
        ApiError::Validation(vec![FieldError::new("/facts", "type", e.to_string())])
    })?;
    serde_json::to_value(classify::classify(&facts, &Subject::Facts))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// `POST /v1/classify`.
pub async fn classify(
    JsonBody(doc): JsonBody,
    schemas: web::Data<Schemas>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(classify_document(&schemas, &doc)?))
}
