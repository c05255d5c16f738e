//! `/v1/systems`: providers register AI systems (Annex VIII Sections A and B),
//! update them and change their status; every write is a new version with its
//! classification (see [`crate::registration::system`]).

use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::body::read_json;
use super::error::ApiError;
use super::records::{self, created, respond};
use super::versioning::if_match;
use crate::access::Caller;
use crate::domain::{Action, RecordKind};
use crate::registration::system;
use crate::registration::write::{self, NewRecord, Revision, Writer};
use crate::store::Store;
use crate::validate::Schemas;

const KIND: RecordKind = RecordKind::System;

/// `POST /v1/systems`: registers a system as version 1.
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let doc = read_json(&req, payload.into_inner()).await?;
    let prepared = system::prepare(&schemas, &doc)?;
    let row = write::create(&store, NewRecord::new(Writer::of(&caller), prepared)).await?;
    created(&caller, &row)
}

/// `PUT /v1/systems/{id}`: a new version; needs `If-Match` with the current ETag.
pub async fn update(
    req: HttpRequest,
    payload: web::Payload,
    id: web::Path<Uuid>,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let precondition = records::required_precondition(&req)?;
    let current =
        records::load_for_write(&store, KIND, &id.to_string(), &caller, &precondition).await?;
    let doc = read_json(&req, payload.into_inner()).await?;
    let prepared = system::prepare(&schemas, &doc)?;
    let revision = Revision {
        action: Action::Update,
        reason: None,
    };
    let row = write::update(&store, Writer::of(&caller), current, revision, prepared).await?;
    respond(&caller, HttpResponse::Ok(), &row)
}

/// `POST /v1/systems/{id}/status`: moves a system to another lifecycle status,
/// with a reason; a new version. `If-Match` is honoured when given.
pub async fn change_status(
    req: HttpRequest,
    payload: web::Payload,
    id: web::Path<Uuid>,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let precondition = if_match(&req)?;
    let current =
        records::load_for_write(&store, KIND, &id.to_string(), &caller, &precondition).await?;
    let body = read_json(&req, payload.into_inner()).await?;
    let change = system::status_change(&schemas, &current, &body)?;
    let prepared = system::prepare_status(&current, &change)?;
    let revision = Revision {
        action: Action::Status,
        reason: Some(change.reason),
    };
    let row = write::update(&store, Writer::of(&caller), current, revision, prepared).await?;
    respond(&caller, HttpResponse::Ok(), &row)
}
