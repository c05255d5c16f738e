//! Reading a JSON body: content type, size limit and syntax, each failing as
//! problem+json. Handlers that need a role call [`read_json`] after checking
//! it, so that a caller without the right role learns nothing from the body's
//! errors; open endpoints use the [`JsonBody`] extractor.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde_json::Value;

use super::error::ApiError;
use crate::config::DEFAULT_BODY_LIMIT;

/// The configured body limit, as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A request body that is a JSON value, not yet validated against a schema.
#[derive(Debug)]
pub struct JsonBody(pub Value);

fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<JsonBody, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = read_json(req, payload.take());
        Box::pin(async move { read.await.map(JsonBody) })
    }
}

/// Reads the body of `req` as JSON within the configured limit.
pub fn read_json(
    req: &HttpRequest,
    mut payload: Payload,
) -> impl Future<Output = Result<Value, ApiError>> + 'static {
    {
        let limit = req
            .app_data::<web::Data<BodyLimit>>()
            .map_or(DEFAULT_BODY_LIMIT, |l| l.0);
        let json = is_json(req);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        async move {
            if declared_length.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            if !json {
                return Err(ApiError::UnsupportedMediaType(
                    "send the document with Content-Type: application/json".into(),
                ));
            }
            let mut body = web::BytesMut::with_capacity(declared_length.unwrap_or(4096).min(limit));
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::MalformedJson(format!("could not read the body: {e}"))
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            serde_json::from_slice(&body)
                .map_err(|e| ApiError::MalformedJson(format!("the body is not valid JSON: {e}")))
        }
    }
}
