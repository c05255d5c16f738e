//! Who is calling: a bearer token names a role and an organisation; no token
//! means the public.

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::ApiError;
use super::matrix::Matrix;
pub use super::matrix::{
    Access, Effect, Party, DEPLOYERS, EVERYONE, EXPORT_READERS, OPERATORS, PROVIDERS,
};
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
    let Some(matrix) = req.app_data::<web::Data<Matrix>>().cloned() else {
        // Never let a request through unchecked.
        let error = ApiError::Internal("no access matrix configured".into());
        return Ok(refuse(req, error));
    };
    let Some(rule) = matrix.rule(&req) else {
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
