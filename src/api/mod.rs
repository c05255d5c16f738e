//! The HTTP API: one route table, one error vocabulary, one request span.
//!
//! Every handler has the same shape: extract, check the caller, validate the
//! raw JSON against its schema, deserialize, classify, store, answer.

pub mod auth;
pub mod body;
pub mod classify;
pub mod codelists;
pub mod deployments;
pub mod error;
pub mod exports;
pub mod meta;
pub mod metrics;
pub mod overview;
pub mod query;
pub mod records;
pub mod search;
pub mod systems;
pub mod versioning;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use tracing::Instrument;

use auth::{Access, Effect, DEPLOYERS, EVERYONE, EXPORT_READERS, OPERATORS, PROVIDERS};
use error::ApiError;
use records::{Deployments, Systems};

/// The response header that carries the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// One entry of the route table.
pub struct RouteDef {
    /// HTTP method.
    pub method: Method,
    /// Path pattern, in the syntax actix-web and OpenAPI share (`/v1/systems/{id}`).
    pub path: &'static str,
    /// Makes the handler's route.
    pub route: fn() -> actix_web::Route,
    /// Who may call it; enforced by [`auth::authorize`].
    pub access: Access,
    /// Whether it stores something (and so counts against the write limit).
    pub effect: Effect,
}

macro_rules! route {
    ($method:ident, $path:literal, $handler:path, $access:expr) => {
        route!($method, $path, $handler, $access, Effect::Read)
    };
    ($method:ident, $path:literal, $handler:path, $access:expr, $effect:expr) => {
        RouteDef {
            method: Method::$method,
            path: $path,
            route: || web::method(Method::$method).to($handler),
            access: $access,
            effect: $effect,
        }
    };
}

/// The route table: every path and method the service answers, and who may
/// call it (the authorisation matrix, as data). A test holds it against
/// `openapi.yaml` in both directions; another walks every route × party.
/// Whether a caller may see a particular record is decided by the record's
/// section and owner ([`crate::access::may_see`]), not here.
pub fn routes() -> Vec<RouteDef> {
    use Effect::Write;
    vec![
        route!(GET, "/", meta::index, EVERYONE),
        route!(GET, "/static/overview.js", meta::overview_js, EVERYONE),
        route!(GET, "/static/overview.css", meta::overview_css, EVERYONE),
        route!(GET, "/healthz", meta::healthz, EVERYONE),
        route!(GET, "/readyz", meta::readyz, EVERYONE),
        route!(GET, "/metrics", metrics::metrics, OPERATORS),
        route!(GET, "/openapi.yaml", meta::openapi, EVERYONE),
        route!(GET, "/v1/schemas/{name}", meta::schema, EVERYONE),
        route!(POST, "/v1/classify", classify::classify, EVERYONE),
        route!(GET, "/v1/code-lists", codelists::code_lists, EVERYONE),
        route!(GET, "/v1/overview", overview::overview, EVERYONE),
        route!(GET, "/v1/systems", search::systems, EVERYONE),
        route!(POST, "/v1/systems", systems::create, PROVIDERS, Write),
        route!(GET, "/v1/systems/{id}", records::read::<Systems>, EVERYONE),
        route!(PUT, "/v1/systems/{id}", systems::update, PROVIDERS, Write),
        route!(
            POST,
            "/v1/systems/{id}/status",
            systems::change_status,
            PROVIDERS,
            Write
        ),
        route!(
            GET,
            "/v1/systems/{id}/versions",
            records::read_versions::<Systems>,
            EVERYONE
        ),
        route!(
            GET,
            "/v1/systems/{id}/versions/{n}",
            records::read_version::<Systems>,
            EVERYONE
        ),
        route!(GET, "/v1/deployments", search::deployments, EVERYONE),
        route!(
            POST,
            "/v1/deployments",
            deployments::create,
            DEPLOYERS,
            Write
        ),
        route!(
            GET,
            "/v1/deployments/{id}",
            records::read::<Deployments>,
            EVERYONE
        ),
        route!(
            PUT,
            "/v1/deployments/{id}",
            deployments::update,
            DEPLOYERS,
            Write
        ),
        route!(
            GET,
            "/v1/deployments/{id}/versions",
            records::read_versions::<Deployments>,
            EVERYONE
        ),
        route!(
            GET,
            "/v1/deployments/{id}/versions/{n}",
            records::read_version::<Deployments>,
            EVERYONE
        ),
        route!(
            GET,
            "/v1/exports/manifest",
            exports::manifest,
            EXPORT_READERS
        ),
        route!(GET, "/v1/exports/{name}", exports::export, EXPORT_READERS),
    ]
}

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

/// The route pattern a request is routed to (`/v1/systems/{id}`), matched
/// against the path as the router sees it: percent-decoded, so that
/// `/v1/%65xports/systems` is known for the export route it reaches.
pub fn route_pattern(req: &ServiceRequest) -> Option<String> {
    req.resource_map().match_pattern(req.match_info().as_str())
}
