//! The one error vocabulary of the HTTP API: every error leaves as
//! `application/problem+json` (RFC 9457).
//!
//! Use [`ApiError::Validation`] for a document that parsed but breaks its
//! schema or a rule (422, with one entry per bad field); the specific 4xx
//! variants for protocol problems; and let [`StoreError`] convert itself for
//! anything from the database. Bodies of 5xx answers are generic: the cause
//! goes to the log, never to the client.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::registration::RegistrationError;
use crate::store::StoreError;
use crate::validate::FieldError;

/// Base of the `type` URI of every problem.
pub const PROBLEM_BASE: &str = "https://ai-registry.example/problems/";

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

pub use crate::registration::DUPLICATE;

/// An error answered to an API client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON.
    #[error("{0}")]
    MalformedJson(String),
    /// 400: a path or query parameter is unknown or malformed.
    #[error("{0}")]
    InvalidParameter(String),
    /// 401: no valid bearer token where one is needed, or a bad one.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: authenticated, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource (or one the caller may not know of).
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists, the method does not; carries the `Allow` value.
    #[error("this path answers only {0}")]
    MethodNotAllowed(String),
    /// 409: a registration with the same organisation, trade name and reference exists.
    #[error("{0}")]
    Conflict(String),
    /// 412: `If-Match` names a version that is no longer current.
    #[error("the record has changed: current version is {current}")]
    PreconditionFailed {
        /// The current version.
        current: i64,
    },
    /// 413: the body is larger than the limit.
    #[error("the body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: the body is not `application/json`.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: the document breaks its schema or a rule; every problem at once.
    #[error("the document is not valid")]
    Validation(Vec<FieldError>),
    /// 428: an update without `If-Match`.
    #[error("this update needs an If-Match header with the current ETag")]
    PreconditionRequired,
    /// 429: the token has written too much too fast; carries the wait.
    #[error("too many writes with this token; retry in {} s", retry_after_seconds(.0))]
    RateLimited(std::time::Duration),
    /// 503: the database cannot be reached or is busy.
    #[error("service unavailable")]
    Unavailable(String),
    /// 500: a bug; the cause is logged.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::MalformedJson(_) => ("malformed-json", "Malformed JSON"),
            ApiError::InvalidParameter(_) => ("invalid-parameter", "Invalid parameter"),
            ApiError::Unauthorized(_) => ("unauthorized", "Unauthorized"),
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::NotFound(_) => ("not-found", "Not found"),
            ApiError::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            ApiError::Conflict(_) => ("duplicate", "Duplicate registration"),
            ApiError::PreconditionFailed { .. } => ("stale-version", "Precondition failed"),
            ApiError::PayloadTooLarge { .. } => ("payload-too-large", "Payload too large"),
            ApiError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported media type")
            }
            ApiError::Validation(_) => ("validation-failed", "Validation failed"),
            ApiError::PreconditionRequired => ("if-match-required", "Precondition required"),
            ApiError::RateLimited(_) => ("rate-limited", "Too many requests"),
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize)]
pub struct Problem<'a> {
    /// URI naming the kind of problem; stable, for programs.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: &'a str,
    /// The HTTP status.
    pub status: u16,
    /// What happened in this case, for people.
    pub detail: String,
    /// For validation problems: each bad field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<&'a [FieldError]>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) | ApiError::InvalidParameter(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = match self {
            ApiError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                "The registry cannot reach its database right now; try again shortly.".to_owned()
            }
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                "Something went wrong on our side; it has been logged.".to_owned()
            }
            other => other.to_string(),
        };
        let (slug, title) = self.slug_and_title();
        let errors = match self {
            ApiError::Validation(errors) => Some(errors.as_slice()),
            _ => None,
        };
        let body = Problem {
            kind: format!("{PROBLEM_BASE}{slug}"),
            title,
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut response = HttpResponse::build(status);
        response.content_type(PROBLEM_JSON);
        if let ApiError::Unauthorized(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if let ApiError::RateLimited(wait) = self {
            response.insert_header((header::RETRY_AFTER, retry_after_seconds(wait)));
        }
        if let ApiError::MethodNotAllowed(allow) = self {
            if let Ok(value) = HeaderValue::from_str(allow) {
                response.insert_header((header::ALLOW, value));
            }
        }
        response.json(body)
    }
}

/// Whole seconds to wait, rounded up: `Retry-After` has no fractions.
fn retry_after_seconds(wait: &std::time::Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound("no such record".into()),
            StoreError::Conflict(_) => ApiError::Conflict(DUPLICATE.into()),
            StoreError::Stale { current } => ApiError::PreconditionFailed { current },
            StoreError::NotOwner => {
                ApiError::Forbidden("the record belongs to another organisation".into())
            }
            StoreError::Unavailable(cause) => ApiError::Unavailable(cause),
            StoreError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<RegistrationError> for ApiError {
    fn from(e: RegistrationError) -> Self {
        match e {
            RegistrationError::Invalid(errors) => ApiError::Validation(errors),
            RegistrationError::Store(e) => e.into(),
        }
    }
}
