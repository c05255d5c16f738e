//! `/v1/deployments`: deployers register their uses of AI systems (Annex VIII
//! Section C for public authorities, the national mapping extension for
//! everyone else): where, by whom, on which legal basis (see
//! [`crate::registration::deployment`]).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;
use uuid::Uuid;

use super::body::read_json;
use super::error::ApiError;
use super::records::{self, created, respond};
use crate::access::{visibility, Caller};
use crate::domain::{Action, RecordKind};
use crate::registration::write::{self, NewRecord, Revision, Writer};
use crate::registration::{deployment, Prepared};
use crate::store::Store;
use crate::validate::Schemas;

const KIND: RecordKind = RecordKind::Deployment;

/// Validation, the linked system and classification: a write, ready. Only
/// the look-up of the system a use names takes a pooled connection, and
/// only once the document has passed its checks.
pub async fn prepare(
    schemas: &Schemas,
    store: &Store,
    caller: &Caller,
    doc: Value,
) -> Result<Prepared, ApiError> {
    deployment::validate(schemas, &doc)?;
    let linked = match deployment::named_system(&doc) {
        Some(id) => {
            let vis = visibility(caller);
            let found = store
                .read(move |conn| Ok(deployment::find_linked(conn, &vis, &id)))
                .await??;
            Some(found)
        }
        None => None,
    };
    Ok(deployment::prepare_valid(doc, linked)?)
}

/// `POST /v1/deployments`: registers a use as version 1.
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let doc = read_json(&req, payload.into_inner()).await?;
    let prepared = prepare(&schemas, &store, &caller, doc).await?;
    let row = write::create(&store, NewRecord::new(Writer::of(&caller), prepared)).await?;
    created(&caller, &row)
}

/// `PUT /v1/deployments/{id}`: a new version; needs `If-Match`.
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
    let prepared = prepare(&schemas, &store, &caller, doc).await?;
    let revision = Revision {
        action: Action::Update,
        reason: None,
    };
    let row = write::update(&store, Writer::of(&caller), current, revision, prepared).await?;
    respond(&caller, HttpResponse::Ok(), &row)
}
