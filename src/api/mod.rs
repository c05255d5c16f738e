//! The HTTP API: one route table, one error vocabulary, one request span.
//!
//! Every handler has the same shape: extract (the caller was admitted by
//! the access middleware), hand the document to the registration layer or
//! the query to the index, map its errors to problem+json, answer.

pub mod auth;
pub mod body;
pub mod classify;
pub mod codelists;
pub mod deployments;
pub mod error;
pub mod exports;
pub mod matrix;
pub mod meta;
pub mod metrics;
pub mod overview;
pub mod query;
pub mod records;
mod routes;
pub mod search;
pub mod systems;
pub mod versioning;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use tracing::Instrument;

use error::ApiError;
pub use routes::routes;

/// The response header that carries the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Registers the route table, the extractor error handlers and the fallbacks.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::PathConfig::default()
            .error_handler(|err, _| ApiError::NotFound(format!("no such resource: {err}")).into()),
    )
    .app_data(
        web::QueryConfig::default()
            .error_handler(|err, _| ApiError::InvalidParameter(format!("bad query: {err}")).into()),
    );
    let table = routes();
    let mut paths: Vec<&'static str> = Vec::new();
    for def in &table {
        if !paths.contains(&def.path) {
            paths.push(def.path);
        }
    }
    for path in paths {
        let mut resource = web::resource(path);
        let mut allow = Vec::new();
        for def in table.iter().filter(|r| r.path == path) {
            resource = resource.route((def.route)());
            allow.push(def.method.as_str());
        }
        let allow = allow.join(", ");
        cfg.service(resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<HttpResponse, _>(ApiError::MethodNotAllowed(allow)) }
        })));
    }
    cfg.default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("no such resource".into()))
}

/// Middleware: a span per request with a fresh request id, returned in the
/// `x-request-id` header. Bodies are never logged.
pub async fn request_span(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        path = %req.path(),
    );
    let started = std::time::Instant::now();
    let mut response = next.call(req).instrument(span.clone()).await?;
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            status,
            latency_ms = started.elapsed().as_secs_f64() * 1000.0,
            "request finished"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    Ok(response)
}
