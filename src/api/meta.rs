//! Liveness, readiness, the OpenAPI document and the JSON Schemas.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::error::ApiError;
use crate::store::Store;
use crate::validate::Schemas;

/// The OpenAPI document, served as it is in the repository.
pub const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// `GET /healthz`: the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers.
pub async fn readyz(store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    store.ping().await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ready" })))
}

/// `GET /openapi.yaml`.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(OPENAPI_YAML)
}

/// `GET /v1/schemas/{name}`: one of the JSON Schemas.
///
/// The `$id` is rewritten to the URL the schema was fetched from, so that a
/// tool resolving the relative `$ref`s between our schemas fetches them from
/// this server.
pub async fn schema(
    req: HttpRequest,
    name: web::Path<String>,
    schemas: web::Data<Schemas>,
) -> Result<HttpResponse, ApiError> {
    let mut doc = schemas.document(&name).cloned().ok_or_else(|| {
        ApiError::NotFound(format!(
            "no schema called {name}; there are: {}",
            schemas.names().collect::<Vec<_>>().join(", ")
        ))
    })?;
    let info = req.connection_info();
    doc["$id"] = json!(format!("{}://{}{}", info.scheme(), info.host(), req.path()));
    Ok(HttpResponse::Ok()
        .content_type("application/schema+json")
        .json(doc))
}
