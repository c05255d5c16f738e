//! Liveness, readiness, the OpenAPI document, the JSON Schemas, and the
//! overview page for people (`GET /`) with its script and style sheet.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::error::ApiError;
use crate::store::Store;
use crate::validate::Schemas;

/// The OpenAPI document, served as it is in the repository.
pub const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// The overview page: static HTML that fetches `/v1/overview` and
/// `/v1/code-lists` from this server and draws them.
pub const OVERVIEW_HTML: &str = include_str!("../../static/overview.html");
/// The overview page's script.
pub const OVERVIEW_JS: &str = include_str!("../../static/overview.js");
/// The overview page's style sheet.
pub const OVERVIEW_CSS: &str = include_str!("../../static/overview.css");

/// The Content-Security-Policy of the page and its files: script, style
/// sheets and fetches from this origin only; no inline script or style
/// attribute, no plug-ins, no framing, no form posted elsewhere. (`data:`
/// images are the empty favicon.)
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// A page file with the page's security headers. `no-cache`: a browser
/// revalidates, so a new release is seen at once.
fn page_file(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_SECURITY_POLICY, PAGE_CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}

/// `GET /`: the overview page. Its filters live in the page's own query
/// string, which the script reads; the server ignores it.
pub async fn index() -> HttpResponse {
    page_file("text/html; charset=utf-8", OVERVIEW_HTML)
}

/// `GET /static/overview.js`.
pub async fn overview_js() -> HttpResponse {
    page_file("text/javascript; charset=utf-8", OVERVIEW_JS)
}

/// `GET /static/overview.css`.
pub async fn overview_css() -> HttpResponse {
    page_file("text/css; charset=utf-8", OVERVIEW_CSS)
}

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
        // The `$id` depends on the host the schema was asked from.
        .insert_header((header::VARY, "Host, X-Forwarded-Host, Forwarded"))
        .json(doc))
}
