//! Who is calling: a bearer token names a role and an organisation; no token
//! means the public.

use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::OnceLock;
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::ApiError;
pub use crate::access::Caller;
use crate::domain::Role;
use crate::store::{tokens, Store};

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    /// The caller [`authorize`] identified and admitted. A handler that
    /// takes a `Caller` never runs without that check: should a request
    /// ever reach it unchecked, it is refused here too.
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let caller = req.extensions().get::<Caller>().cloned();
        let path = req.path().to_owned();
        Box::pin(async move {
            caller.ok_or_else(|| {
                tracing::error!(%path, "a request reached a handler without authorisation");
                ApiError::NotFound("no such resource".into())
            })
        })
    }
}

/// Who a route is open to: the public, or the holder of a token of a role.
/// The route table ([`super::routes`]) names the parties of every route;
/// [`authorize`] enforces it before any handler runs.
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

/// What the matrix says of one route.
#[derive(Debug, Clone, Copy)]
struct Rule {
    access: Access,
    effect: Effect,
}

/// The route table as a lookup by method and path pattern.
fn matrix() -> &'static HashMap<(Method, &'static str), Rule> {
    static MATRIX: OnceLock<HashMap<(Method, &'static str), Rule>> = OnceLock::new();
    MATRIX.get_or_init(|| {
        super::routes()
            .into_iter()
            .map(|def| {
                let rule = Rule {
                    access: def.access,
                    effect: def.effect,
                };
                ((def.method, def.path), rule)
            })
            .collect()
    })
}

/// Middleware: the one place where the route table's access rules are
/// enforced. It identifies the caller (a bad token is a 401 everywhere),
/// answers 401 to the public and 403 to a role a route is not open to,
/// applies the per-token limit on writes (429 with `Retry-After`), and
/// leaves the caller in the request for the handler. Requests that match
/// no route pass through to the 404 and 405 answers.
pub async fn authorize(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let rule = super::route_pattern(&req).and_then(|pattern| {
        matrix()
            .get(&(req.method().clone(), pattern.as_str()))
            .copied()
    });
    let Some(rule) = rule else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let store = req.app_data::<web::Data<Store>>().cloned();
    let header = req.headers().get(header::AUTHORIZATION).cloned();
    let (caller, token_id) = match identify(store, header).await {
        Ok(found) => found,
        Err(e) => return Ok(refuse(req, e)),
    };
    let party = Party::of(&caller);
    if !rule.access.contains(&party) {
        let error = match caller {
            Caller::Public => ApiError::Unauthorized("this request needs a bearer token".into()),
            Caller::Token { role, .. } => {
                ApiError::Forbidden(format!("the role {} may not do this", role.as_str()))
            }
        };
        return Ok(refuse(req, error));
    }
    if rule.effect == Effect::Write {
        if let (Some(token_id), Some(limiter)) =
            (&token_id, req.app_data::<web::Data<WriteLimiter>>())
        {
            if let Err(retry_after) = limiter.check(token_id) {
                return Ok(refuse(req, ApiError::RateLimited(retry_after)));
            }
        }
    }
    req.extensions_mut().insert(caller);
    Ok(next.call(req).await?.map_into_left_body())
}

fn refuse<B>(req: ServiceRequest, error: ApiError) -> ServiceResponse<EitherBody<B>> {
    req.error_response(error).map_into_right_body()
}

/// Resolves the `Authorization` header: the caller and, for a token, the
/// token's id.
async fn identify(
    store: Option<web::Data<Store>>,
    header: Option<header::HeaderValue>,
) -> Result<(Caller, Option<String>), ApiError> {
    let Some(header) = header else {
        return Ok((Caller::Public, None));
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|h| {
            let (scheme, token) = h.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized("use Authorization: Bearer <token>".into()))?
        .to_owned();
    let store = store.ok_or_else(|| ApiError::Internal("no store configured".into()))?;
    let found = store.read(move |conn| tokens::find(conn, &token)).await?;
    let record = found.ok_or_else(|| ApiError::Unauthorized("the token is not valid".into()))?;
    let role = Role::parse(&record.role)
        .ok_or_else(|| ApiError::Internal(format!("stored role {}", record.role)))?;
    Ok((
        Caller::Token {
            role,
            org: record.org,
        },
        Some(record.id),
    ))
}

/// The limit on writes per token: a steady rate with a burst allowance
/// (GCRA, from `governor`).
pub struct WriteLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl WriteLimiter {
    /// `per_second` writes per second on average, `burst` at once.
    pub fn new(per_second: NonZeroU32, burst: NonZeroU32) -> WriteLimiter {
        WriteLimiter {
            limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
        }
    }

    /// `Ok` when the token may write now; otherwise how long to wait.
    pub fn check(&self, token_id: &str) -> Result<(), Duration> {
        self.limiter
            .check_key(&token_id.to_owned())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}
