//! Who is calling: a bearer token names a role and an organisation; no token
//! means the public.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::error::ApiError;
use crate::domain::Role;
use crate::store::{tokens, Store};

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No `Authorization` header.
    Public,
    /// A valid bearer token.
    Token {
        /// The token's role.
        role: Role,
        /// The organisation the token acts for.
        org: String,
    },
}

impl Caller {
    /// The role, or `None` for the public.
    pub fn role(&self) -> Option<Role> {
        match self {
            Caller::Public => None,
            Caller::Token { role, .. } => Some(*role),
        }
    }

    /// Requires one of `roles`: 401 for the public, 403 for another role.
    /// Returns the caller's organisation and role.
    pub fn require(&self, roles: &[Role]) -> Result<(&str, Role), ApiError> {
        match self {
            Caller::Public => Err(ApiError::Unauthorized(
                "this request needs a bearer token".into(),
            )),
            Caller::Token { role, org } if roles.contains(role) => Ok((org, *role)),
            Caller::Token { role, .. } => Err(ApiError::Forbidden(format!(
                "the role {} may not do this",
                role.as_str()
            ))),
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let header = req.headers().get(header::AUTHORIZATION).cloned();
        let store = req.app_data::<web::Data<Store>>().cloned();
        Box::pin(async move {
            let Some(header) = header else {
                return Ok(Caller::Public);
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
            let record =
                found.ok_or_else(|| ApiError::Unauthorized("the token is not valid".into()))?;
            let role = Role::parse(&record.role)
                .ok_or_else(|| ApiError::Internal(format!("stored role {}", record.role)))?;
            Ok(Caller::Token {
                role,
                org: record.org,
            })
        })
    }
}
