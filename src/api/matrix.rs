//! The authorisation matrix as data: who each route is open to and whether
//! it writes, looked up per request by the route pattern it reaches. The
//! route table ([`super::routes`]) fills it; [`super::auth::authorize`]
//! enforces it; `/metrics` reads which routes write.

use std::collections::HashMap;

use actix_web::dev::ServiceRequest;
use actix_web::http::Method;

use crate::access::Caller;
use crate::domain::Role;

/// Who a route is open to: the public, or the holder of a token of a role.
/// The route table names the parties of every route; the `authorize`
/// middleware enforces it before any handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// No token.
    Public,
    /// A provider's token.
    Provider,
    /// A deployer's token.
    Deployer,
    /// A ministry, market-surveillance authority or the Commission.
    Authority,
    /// An auditor.
    Auditor,
    /// An operator of the registry.
    Admin,
}

impl Party {
    /// Every party, the public first.
    pub const ALL: [Party; 6] = [
        Party::Public,
        Party::Provider,
        Party::Deployer,
        Party::Authority,
        Party::Auditor,
        Party::Admin,
    ];

    /// The party of a caller.
    pub fn of(caller: &Caller) -> Party {
        match caller.role() {
            None => Party::Public,
            Some(Role::Provider) => Party::Provider,
            Some(Role::Deployer) => Party::Deployer,
            Some(Role::Authority) => Party::Authority,
            Some(Role::Auditor) => Party::Auditor,
            Some(Role::Admin) => Party::Admin,
        }
    }

    /// The name used in the API description and in errors.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Public => "public",
            Party::Provider => "provider",
            Party::Deployer => "deployer",
            Party::Authority => "authority",
            Party::Auditor => "auditor",
            Party::Admin => "admin",
        }
    }
}

/// The parties a route is open to.
pub type Access = &'static [Party];

/// Open to everyone, with or without a token.
pub const EVERYONE: Access = &Party::ALL;
/// Providers register and maintain systems.
pub const PROVIDERS: Access = &[Party::Provider];
/// Deployers register and maintain their uses.
pub const DEPLOYERS: Access = &[Party::Deployer];
/// The readers of complete exports: authorities (Art. 74(8)) and auditors.
pub const EXPORT_READERS: Access = &[Party::Authority, Party::Auditor];
/// Those who run and oversee the registry: operational metrics.
pub const OPERATORS: Access = &[Party::Authority, Party::Auditor, Party::Admin];

/// Whether a route's requests change the register: those are rate limited
/// per token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads, or computes without storing (`/v1/classify`).
    Read,
    /// Stores something.
    Write,
}

/// One entry of the route table.
pub struct RouteDef {
    /// HTTP method.
    pub method: Method,
    /// Path pattern, in the syntax actix-web and OpenAPI share (`/v1/systems/{id}`).
    pub path: &'static str,
    /// Makes the handler's route.
    pub route: fn() -> actix_web::Route,
    /// Who may call it; enforced by the `authorize` middleware.
    pub access: Access,
    /// Whether it stores something (and so counts against the write limit).
    pub effect: Effect,
}

/// What the matrix says of one route.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Who may call it.
    pub access: Access,
    /// Whether it writes.
    pub effect: Effect,
}

/// The route table as a lookup by method and path pattern; one per
/// application, as app data.
#[derive(Debug, Default)]
pub struct Matrix {
    rules: HashMap<(Method, &'static str), Rule>,
}

impl Matrix {
    /// The matrix of a route table.
    pub fn of(table: &[RouteDef]) -> Matrix {
        Matrix {
            rules: table
                .iter()
                .map(|def| {
                    let rule = Rule {
                        access: def.access,
                        effect: def.effect,
                    };
                    ((def.method.clone(), def.path), rule)
                })
                .collect(),
        }
    }

    /// The rule of the route `req` reaches, if it reaches one.
    pub fn rule(&self, req: &ServiceRequest) -> Option<Rule> {
        let pattern = route_pattern(req)?;
        self.rules
            .get(&(req.method().clone(), pattern.as_str()))
            .copied()
    }

    /// The routes that write, as (method, path pattern).
    pub fn writes(&self) -> impl Iterator<Item = (&Method, &'static str)> + '_ {
        self.rules
            .iter()
            .filter(|(_, rule)| rule.effect == Effect::Write)
            .map(|((method, path), _)| (method, *path))
    }
}

/// The route pattern a request is routed to (`/v1/systems/{id}`), matched
/// against the path as the router sees it: percent-decoded, so that
/// `/v1/%65xports/systems` is known for the export route it reaches.
pub fn route_pattern(req: &ServiceRequest) -> Option<String> {
    req.resource_map().match_pattern(req.match_info().as_str())
}
