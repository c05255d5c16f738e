//! What systems and deployments share: reading, versions, ETags, and the
//! answers to a write.

use std::collections::HashSet;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};
use serde_json::{json, Value};
use uuid::Uuid;

use super::error::ApiError;
use super::versioning::{etag, if_match, Precondition};
use crate::access::{hides_organisation, may_see_record, redact, visibility, Caller};
use crate::domain::{canonical_id, RecordKind};
use crate::store::records::{self as db, RecordRow, VersionRow};
use crate::store::Store;

/// The path prefix of a kind's collection.
pub fn collection(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::System => "/v1/systems",
        RecordKind::Deployment => "/v1/deployments",
    }
}

/// The 404 of a kind; also what a caller gets for a record it may not see,
/// so that nobody learns a restricted record exists.
pub fn not_found(kind: RecordKind) -> ApiError {
    ApiError::NotFound(format!("no {} with this id", kind.as_str()))
}

/// Parses JSON the store wrote.
pub fn parse_stored(text: &str) -> Result<Value, ApiError> {
    Ok(crate::store::parse_json(text)?)
}

/// The representation of the current state of a record.
pub fn view(caller: &Caller, row: &RecordRow) -> Result<Value, ApiError> {
    let vis = visibility(caller);
    let document = parse_stored(&row.document)?;
    let hide_org = hides_organisation(&vis, &row.owner_org, &document);
    let mut out = json!({
        "id": row.id,
        "version": row.version,
        "registration_type": row.registration_type,
        "owner_org": row.owner_org,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "document": redact(&vis, &row.owner_org, document),
        "classification": parse_stored(&row.classification)?,
    });
    if hide_org {
        out["owner_org"] = Value::Null;
    }
    if let Some(status) = &row.status {
        out["status"] = json!(status);
    }
    if let Some(system_id) = &row.system_id {
        out["system_id"] = json!(system_id);
    }
    Ok(out)
}

/// The representation of one stored version.
fn version_view(caller: &Caller, owner: &str, row: &VersionRow) -> Result<Value, ApiError> {
    let vis = visibility(caller);
    let document = parse_stored(&row.document)?;
    let hide_org = hides_organisation(&vis, owner, &document);
    let mut out = json!({
        "id": row.record_id,
        "version": row.version,
        "action": row.action,
        "reason": row.reason,
        "actor_org": row.actor_org,
        "recorded_at": row.recorded_at,
        "document_sha256": row.document_sha256,
        "rules_version": row.rules_version,
        "document": redact(&vis, owner, document),
        "classification": parse_stored(&row.classification)?,
    });
    if hide_org {
        out["actor_org"] = Value::Null;
    }
    Ok(out)
}

/// The systems among `ids` that `caller` may not see. A deployment shows
/// its link to a system only to those who may see that system: a system
/// that moved into the non-public section after a public deployment named
/// it must not be revealed through the deployment. (Lists and the overview
/// ask the facet index instead: [`crate::index::FacetIndex::unseen_links`].)
pub async fn unseen_systems(
    store: &Store,
    caller: &Caller,
    ids: impl IntoIterator<Item = String>,
) -> Result<HashSet<String>, ApiError> {
    let mut ids: Vec<String> = ids.into_iter().map(|id| canonical_id(&id)).collect();
    let vis = visibility(caller);
    if ids.is_empty() || vis.sees_non_public() {
        return Ok(HashSet::new());
    }
    ids.sort();
    ids.dedup();
    let wanted = ids.clone();
    let rows = store
        .read(move |conn| db::owners_and_sections(conn, &wanted))
        .await?;
    let seen: HashSet<&str> = rows
        .iter()
        .filter(|(_, owner, section)| may_see_record(&vis, *section, owner))
        .map(|(id, _, _)| id.as_str())
        .collect();
    Ok(ids
        .into_iter()
        .filter(|id| !seen.contains(id.as_str()))
        .collect())
}

/// The system ids a representation (or its document) links to.
pub fn linked_ids(value: &Value) -> Vec<String> {
    [&value["system_id"], &value["document"]["system_id"]]
        .into_iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Removes from a deployment's representation the links to `unseen` systems.
pub fn hide_links(value: &mut Value, unseen: &HashSet<String>) {
    if unseen.is_empty() {
        return;
    }
    let hidden = |v: &Value| {
        v.get("system_id")
            .and_then(Value::as_str)
            .map(canonical_id)
            .is_some_and(|id| unseen.contains(&id))
    };
    if hidden(value) {
        if let Some(o) = value.as_object_mut() {
            o.remove("system_id");
        }
    }
    if let Some(doc) = value.get_mut("document") {
        if hidden(doc) {
            if let Some(o) = doc.as_object_mut() {
                o.remove("system_id");
            }
        }
    }
}

/// Representations as `caller` may read them, without links to systems it
/// may not see.
pub async fn without_unseen_links(
    store: &Store,
    caller: &Caller,
    mut values: Vec<Value>,
) -> Result<Vec<Value>, ApiError> {
    let unseen = unseen_systems(store, caller, values.iter().flat_map(linked_ids)).await?;
    for v in &mut values {
        hide_links(v, &unseen);
    }
    Ok(values)
}

/// A response with the record and its ETag.
pub fn respond(
    caller: &Caller,
    mut builder: HttpResponseBuilder,
    row: &RecordRow,
) -> Result<HttpResponse, ApiError> {
    builder.insert_header((header::ETAG, etag(row.version)));
    Ok(builder.json(view(caller, row)?))
}

/// 201 with `Location` and `ETag` for a record just registered.
pub fn created(caller: &Caller, row: &RecordRow) -> Result<HttpResponse, ApiError> {
    let mut builder = HttpResponse::Created();
    let location = format!("{}/{}", collection(row.kind), row.id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        builder.insert_header((header::LOCATION, value));
    }
    respond(caller, builder, row)
}

/// Loads a record `caller` may see.
pub async fn load_visible(
    store: &Store,
    kind: RecordKind,
    id: &str,
    caller: &Caller,
) -> Result<RecordRow, ApiError> {
    let key = id.to_owned();
    let row = store
        .read(move |conn| db::find(conn, kind, &key))
        .await?
        .filter(|row| may_see_record(&visibility(caller), row.section, &row.owner_org))
        .ok_or_else(|| not_found(kind))?;
    Ok(row)
}

/// Loads a record for a write by `org`: 404 when it does not exist (or the
/// caller may not see it), 403 when another organisation owns it, 412 when
/// `precondition` does not hold. Checked before the body is read, so that
/// the caller learns of these first.
pub async fn load_for_write(
    store: &Store,
    kind: RecordKind,
    id: &str,
    caller: &Caller,
    precondition: &Precondition,
) -> Result<RecordRow, ApiError> {
    let row = load_visible(store, kind, id, caller).await?;
    if caller.org() != Some(row.owner_org.as_str()) {
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

/// The `If-Match` of an update, which is required.
pub fn required_precondition(req: &HttpRequest) -> Result<Precondition, ApiError> {
    match if_match(req)? {
        Precondition::Absent => Err(ApiError::PreconditionRequired),
        given => Ok(given),
    }
}

/// The kind of record a route serves, as a type, so that one generic
/// handler serves `/v1/systems/…` and `/v1/deployments/…` alike.
pub trait Kind {
    /// The kind.
    const KIND: RecordKind;
}

/// `/v1/systems`.
pub struct Systems;
impl Kind for Systems {
    const KIND: RecordKind = RecordKind::System;
}

/// `/v1/deployments`.
pub struct Deployments;
impl Kind for Deployments {
    const KIND: RecordKind = RecordKind::Deployment;
}

/// `GET /v1/{systems,deployments}/{id}`: the current version with its
/// classification.
pub async fn read<K: Kind>(
    id: web::Path<Uuid>,
    caller: Caller,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    get(&store, K::KIND, &id.to_string(), &caller).await
}

/// `GET /v1/{systems,deployments}/{id}/versions`: every version, oldest first.
pub async fn read_versions<K: Kind>(
    id: web::Path<Uuid>,
    caller: Caller,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    versions(&store, K::KIND, &id.to_string(), &caller).await
}

/// `GET /v1/{systems,deployments}/{id}/versions/{n}`: one version.
pub async fn read_version<K: Kind>(
    path: web::Path<(Uuid, u32)>,
    caller: Caller,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let (id, n) = path.into_inner();
    version(&store, K::KIND, &id.to_string(), n, &caller).await
}

/// `GET /v1/{kind}/{id}`.
pub async fn get(
    store: &Store,
    kind: RecordKind,
    id: &str,
    caller: &Caller,
) -> Result<HttpResponse, ApiError> {
    let row = load_visible(store, kind, id, caller).await?;
    let body = without_unseen_links(store, caller, vec![view(caller, &row)?]).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .json(&body[0]))
}

/// `GET /v1/{kind}/{id}/versions`: every version, oldest first.
pub async fn versions(
    store: &Store,
    kind: RecordKind,
    id: &str,
    caller: &Caller,
) -> Result<HttpResponse, ApiError> {
    let row = load_visible(store, kind, id, caller).await?;
    let vis = visibility(caller);
    let key = id.to_owned();
    let rows = store
        .read(move |conn| db::versions(conn, kind, &key))
        .await?;
    let items = rows
        .iter()
        .filter(|v| may_see_record(&vis, v.section, &row.owner_org))
        .map(|v| version_view(caller, &row.owner_org, v))
        .collect::<Result<Vec<_>, _>>()?;
    let items = without_unseen_links(store, caller, items).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// `GET /v1/{kind}/{id}/versions/{n}`: one version.
pub async fn version(
    store: &Store,
    kind: RecordKind,
    id: &str,
    n: u32,
    caller: &Caller,
) -> Result<HttpResponse, ApiError> {
    let row = load_visible(store, kind, id, caller).await?;
    let key = id.to_owned();
    let version = store
        .read(move |conn| db::version(conn, kind, &key, i64::from(n)))
        .await?
        .filter(|v| may_see_record(&visibility(caller), v.section, &row.owner_org))
        .ok_or_else(|| not_found(kind))?;
    let body = without_unseen_links(
        store,
        caller,
        vec![version_view(caller, &row.owner_org, &version)?],
    )
    .await?;
    let mut response = HttpResponse::Ok();
    response.insert_header((header::ETAG, etag(version.version)));
    Ok(response.json(&body[0]))
}
