//! `POST /v1/classify`: a dry run. Classifies `{"facts": {...}}` or a whole
//! registration document without storing anything; open to everyone.

use actix_web::{web, HttpResponse};

use super::auth::Caller;
use super::body::JsonBody;
use super::error::ApiError;
use crate::domain::RecordKind;
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
    // A use is checked as its registration would be, the system it names
    // looked up as the caller may see it.
    let classification = if registration::kind_of(&doc) == Some(RecordKind::Deployment) {
        super::deployments::prepare(&schemas, &store, &caller, doc)
            .await?
            .classification
    } else {
        classify_document(&schemas, &doc)?
    };
    Ok(HttpResponse::Ok().json(classification))
}
