//! `GET /v1/code-lists`: every code value the registry uses, with its label
//! in English and Dutch; the one table behind every label in the API.

use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::error::ApiError;
use super::query::unknown;
use crate::labels;

/// `GET /v1/code-lists`.
pub async fn code_lists(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| ApiError::InvalidParameter(format!("the query string cannot be read: {e}")))?;
    if let Some((name, _)) = pairs.first() {
        return Err(unknown(name));
    }
    let lists: Vec<Value> = labels::code_lists()
        .iter()
        .map(|list| {
            json!({
                "name": list.name,
                "title": { "en": list.title.en, "nl": list.title.nl },
                "codes": list.codes.iter().map(|(code, label)| json!({
                    "code": code, "en": label.en, "nl": label.nl,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "lists": lists })))
}
