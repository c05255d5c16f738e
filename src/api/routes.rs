//! The route table: every path and method the service answers, and who may
//! call it.

use actix_web::http::Method;
use actix_web::web;

use super::matrix::{RouteDef, DEPLOYERS, EVERYONE, EXPORT_READERS, OPERATORS, PROVIDERS};
use super::records::{self, Deployments, Systems};
use super::{classify, codelists, deployments, exports, meta, metrics, overview, search, systems};

macro_rules! route {
    ($method:ident, $path:literal, $handler:path, $access:expr) => {
        route!(
            $method,
            $path,
            $handler,
            $access,
            super::matrix::Effect::Read
        )
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
/// section and owner ([`crate::access::may_see`]), not here. The
/// application keeps it as a [`super::matrix::Matrix`] for the checks.
pub fn routes() -> Vec<RouteDef> {
    use super::matrix::Effect::Write;
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
