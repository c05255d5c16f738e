//! `/v1/systems`: providers register AI systems (Annex VIII Sections A and B),
//! update them and change their status; every write is a new version with its
//! classification.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::auth::Caller;
use super::body::read_json;
use super::error::ApiError;
use super::versioning::{etag, if_match, Precondition};
use crate::classify::{self, Subject, SystemContext};
use crate::domain::annex::AnnexIiiPoint;
use crate::domain::facts::Facts;
use crate::domain::registration::RegistrationType;
use crate::domain::{Role, SystemStatus};
use crate::store::systems::{self as db, Actor, SystemRow, SystemVersionRow, SystemWrite};
use crate::store::Store;
use crate::validate::{FieldError, Schemas};

/// The fields of a system document the registry itself reads; the rest is
/// kept as registered.
#[derive(Debug, Deserialize)]
pub(crate) struct SystemDocument {
    registration_type: RegistrationType,
    trade_name: String,
    reference: String,
    status: SystemStatus,
    #[serde(default)]
    declared_annex_iii: Vec<AnnexIiiPoint>,
    facts: Facts,
}

/// The schema that governs a system document, by its `registration_type`.
pub(crate) fn schema_for(doc: &Value) -> Result<&'static str, ApiError> {
    match doc.get("registration_type") {
        None => Err(ApiError::field(
            "/registration_type",
            "required",
            "registration_type is required: annex_viii_a or annex_viii_b",
        )),
        Some(Value::String(t)) if t == "annex_viii_a" => Ok("system-annex-viii-a"),
        Some(Value::String(t)) if t == "annex_viii_b" => Ok("system-annex-viii-b"),
        Some(_) => Err(ApiError::field(
            "/registration_type",
            "enum",
            "registration_type must be annex_viii_a or annex_viii_b",
        )),
    }
}

/// Validates a system document and classifies it: everything a write needs.
pub(crate) fn prepare(schemas: &Schemas, doc: &Value) -> Result<(SystemWrite, Value), ApiError> {
    let schema = schema_for(doc)?;
    schemas
        .validate(schema, doc)
        .map_err(ApiError::Validation)?;
    let typed: SystemDocument = serde_json::from_value(doc.clone()).map_err(|e| {
        // The schema and the types agree; if they ever do not, the client
        // still learns which document was refused, and the log tells us.
        tracing::error!(error = %e, "a schema-valid system document did not deserialize");
        ApiError::Validation(vec![FieldError::new("", "type", e.to_string())])
    })?;
    let classification = classify_system(&typed);
    let document = serde_json::to_string(doc).map_err(|e| ApiError::Internal(e.to_string()))?;
    let write = SystemWrite {
        registration_type: typed.registration_type.as_str().to_owned(),
        trade_name: typed.trade_name,
        reference: typed.reference,
        status: typed.status.as_str().to_owned(),
        document_sha256: super::sha256_hex(document.as_bytes()),
        document,
        outcome: classification["outcome"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        section: classification["registration"]["section"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        classification: classification.to_string(),
        rules_version: classify::RULES_VERSION.to_owned(),
    };
    Ok((write, classification))
}

fn classify_system(doc: &SystemDocument) -> Value {
    let result = classify::classify(
        &doc.facts,
        &Subject::System(SystemContext {
            registration_type: doc.registration_type,
            declared_annex_iii: &doc.declared_annex_iii,
        }),
    );
    serde_json::to_value(result).unwrap_or(Value::Null)
}

fn parse_stored(text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Internal(format!("stored JSON: {e}")))
}

/// The representation of the current state of a system.
fn view(row: &SystemRow) -> Result<Value, ApiError> {
    Ok(json!({
        "id": row.id,
        "version": row.version,
        "registration_type": row.registration_type,
        "status": row.status,
        "owner_org": row.owner_org,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "document": parse_stored(&row.document)?,
        "classification": parse_stored(&row.classification)?,
    }))
}

/// The representation of one stored version.
fn version_view(row: &SystemVersionRow) -> Result<Value, ApiError> {
    Ok(json!({
        "system_id": row.system_id,
        "version": row.version,
        "action": row.action,
        "reason": row.reason,
        "actor_org": row.actor_org,
        "recorded_at": row.recorded_at,
        "document_sha256": row.document_sha256,
        "rules_version": row.rules_version,
        "document": parse_stored(&row.document)?,
        "classification": parse_stored(&row.classification)?,
    }))
}

fn respond(
    mut builder: actix_web::HttpResponseBuilder,
    row: &SystemRow,
) -> Result<HttpResponse, ApiError> {
    builder.insert_header((header::ETAG, etag(row.version)));
    Ok(builder.json(view(row)?))
}

fn location(id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("/v1/systems/{id}"))
        .unwrap_or(HeaderValue::from_static("/v1/systems"))
}

/// `POST /v1/systems`: registers a system as version 1.
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    caller: Caller,
    schemas: web::Data<Schemas>,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let (org, role) = caller.require(&[Role::Provider])?;
    let doc = read_json(&req, payload.into_inner()).await?;
    let (write, _) = prepare(&schemas, &doc)?;
    let id = Uuid::new_v4().to_string();
    let (org, role) = (org.to_owned(), role.as_str());
    let row = store
        .write(move |conn| db::insert(conn, &id, Actor { org: &org, role }, &write))
        .await?;
    tracing::info!(system_id = %row.id, outcome = %row.outcome, "system registered");
    let mut builder = HttpResponse::Created();
    builder.insert_header((header::LOCATION, location(&row.id)));
    respond(builder, &row)
}

/// `GET /v1/systems/{id}`: the current version with its classification.
pub async fn get(
    id: web::Path<Uuid>,
    _caller: Caller,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let row = store
        .read(move |conn| db::find(conn, &id))
        .await?
        .ok_or_else(not_found)?;
    respond(HttpResponse::Ok(), &row)
}

/// Loads a system for a write by `org`: 404 when it does not exist, 403
/// when another organisation owns it, 412 when `precondition` does not hold.
/// Checked before the body is read, so that a caller learns of these first.
async fn load_for_write(
    store: &Store,
    id: &str,
    org: &str,
    precondition: &Precondition,
) -> Result<SystemRow, ApiError> {
    let key = id.to_owned();
    let row = store
        .read(move |conn| db::find(conn, &key))
        .await?
        .ok_or_else(not_found)?;
    if row.owner_org != org {
        return Err(ApiError::Forbidden(
            "the record belongs to another organisation".into(),
        ));
    }
    if !precondition.allows(row.version) {
        return Err(ApiError::PreconditionFailed {
            current: row.version,
        });
    }
    Ok(row)
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
    let (org, role) = caller.require(&[Role::Provider])?;
    let precondition = if_match(&req)?;
    if precondition == Precondition::Absent {
        return Err(ApiError::PreconditionRequired);
    }
    let id = id.into_inner().to_string();
    let current = load_for_write(&store, &id, org, &precondition).await?;
    let doc = read_json(&req, payload.into_inner()).await?;
    let (write, _) = prepare(&schemas, &doc)?;
    let (org, role) = (org.to_owned(), role.as_str());
    // The store checks the version again inside the transaction, so a write
    // that landed since the check above makes this one stale, not lost.
    let row = store
        .write(move |conn| {
            db::update(
                conn,
                &id,
                Some(current.version),
                "update",
                None,
                Actor { org: &org, role },
                &write,
            )
        })
        .await?;
    respond(HttpResponse::Ok(), &row)
}

/// The body of a status change.
#[derive(Debug, Deserialize)]
struct StatusChange {
    status: SystemStatus,
    reason: String,
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
    let (org, role) = caller.require(&[Role::Provider])?;
    let precondition = if_match(&req)?;
    let id = id.into_inner().to_string();
    let current = load_for_write(&store, &id, org, &precondition).await?;
    let body = read_json(&req, payload.into_inner()).await?;
    schemas
        .validate("status-change", &body)
        .map_err(ApiError::Validation)?;
    let change: StatusChange =
        serde_json::from_value(body).map_err(|e| ApiError::field("", "type", e.to_string()))?;
    if current.status == change.status.as_str() {
        return Err(ApiError::field(
            "/status",
            "transition",
            format!("the system's status is already {}", current.status),
        ));
    }
    let mut doc = parse_stored(&current.document)?;
    doc["status"] = Value::String(change.status.as_str().to_owned());
    let (write, _) = prepare(&schemas, &doc)?;
    let (org, role) = (org.to_owned(), role.as_str());
    let reason = change.reason;
    let row = store
        .write(move |conn| {
            db::update(
                conn,
                &id,
                Some(current.version),
                "status",
                Some(&reason),
                Actor { org: &org, role },
                &write,
            )
        })
        .await?;
    respond(HttpResponse::Ok(), &row)
}

/// `GET /v1/systems/{id}/versions`: every version, oldest first.
pub async fn versions(
    id: web::Path<Uuid>,
    _caller: Caller,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let rows = store.read(move |conn| db::versions(conn, &id)).await?;
    if rows.is_empty() {
        return Err(not_found());
    }
    let items = rows
        .iter()
        .map(version_view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// `GET /v1/systems/{id}/versions/{n}`: one version.
pub async fn version(
    path: web::Path<(Uuid, u32)>,
    _caller: Caller,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let (id, n) = path.into_inner();
    let id = id.to_string();
    let row = store
        .read(move |conn| db::version(conn, &id, i64::from(n)))
        .await?
        .ok_or_else(not_found)?;
    let mut response = HttpResponse::Ok();
    response.insert_header((header::ETAG, etag(row.version)));
    Ok(response.json(version_view(&row)?))
}

fn not_found() -> ApiError {
    ApiError::NotFound("no system with this id".into())
}
