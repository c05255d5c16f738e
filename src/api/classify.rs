//! `POST /v1/classify`: a dry run. Classifies `{"facts": {...}}` or a whole
//! registration document without storing anything; open to everyone.

use actix_web::{web, HttpResponse};

use super::auth::Caller;
use super::body::JsonBody;
use super::error::ApiError;
use crate::access::visibility;
use crate::registration::{self, classify_document};
use crate::store::Store;
use crate::validate::Schemas;

/// `POST /v1/classify`: what a registration of the document would be
/// classified as, with the errors it would get.
pub async fn classify(
    JsonBody(doc): JsonBody,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let vis = visibility(&caller);
    let classification = if registration::needs_register(&doc) {
        let schemas = schemas.into_inner();
        store
            .read(move |conn| Ok(classify_document(&schemas, Some(conn), &vis, &doc)))
            .await??
    } else {
        classify_document(&schemas, None, &vis, &doc)?
    };
    Ok(HttpResponse::Ok().json(classification))
}
