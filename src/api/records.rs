//! What systems and deployments share: reading, versions, ETags, who may see
//! what, and the write path of a prepared document.

use std::collections::HashSet;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};
use serde_json::{json, Value};
use uuid::Uuid;

use super::auth::Caller;
use super::error::ApiError;
use super::versioning::{etag, if_match, Precondition};
use crate::domain::{RecordKind, Role};
use crate::index::Visibility;
use crate::store::records::{self as db, Actor, Change, RecordRow, RecordWrite, VersionRow};
use crate::store::{DbConnection, Store, StoreError};

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

/// Which records `caller` may see: authorities (the Commission and the
/// Art. 74(8) authorities) and auditors see everything, a provider or
/// deployer the public section and its own organisation's records, the
/// public the public section. An admin runs the registry and reads it as
/// the public does: Art. 49(4) names who may read the non-public section,
/// and operators are not among them.
pub fn visibility(caller: &Caller) -> Visibility {
    match caller {
        Caller::Public => Visibility::Public,
        Caller::Token { role, org } => match role {
            Role::Authority | Role::Auditor => Visibility::All,
            Role::Provider | Role::Deployer => Visibility::Org(org.clone()),
            Role::Admin => Visibility::Public,
        },
    }
}

/// Whether `caller` may see a record owned by `owner` in `section`.
pub fn may_see(caller: &Caller, owner: &str, section: &str) -> bool {
    match visibility(caller) {
        Visibility::All => true,
        Visibility::Org(org) => section != "non_public" || org == owner,
        Visibility::Public => section != "non_public",
    }
}

/// Whether `caller` sees the personal data of the person who submitted a
/// registration (Art. 71(5): never the public).
fn sees_personal_data(caller: &Caller, owner: &str) -> bool {
    match visibility(caller) {
        Visibility::All => true,
        Visibility::Org(org) => org == owner,
        Visibility::Public => false,
    }
}

/// The document as `caller` may read it: without the person who submitted
/// it, and without the identity of a deployer who is a natural person, for
/// anyone but its organisation and the Art. 74(8) readers.
fn redact(caller: &Caller, owner: &str, mut doc: Value) -> Value {
    if !sees_personal_data(caller, owner) {
        if let Some(obj) = doc.as_object_mut() {
            obj.remove("submitted_by");
            if let Some(deployer) = obj.get_mut("deployer").and_then(Value::as_object_mut) {
                if deployer.get("type").and_then(Value::as_str) == Some("natural_person") {
                    deployer.retain(|field, _| field == "type" || field == "country");
                }
            }
            if is_natural_person(obj.get("deployer")) {
                if let Some(location) = obj.get_mut("location").and_then(Value::as_object_mut) {
                    location.remove("site");
                }
            }
        }
    }
    doc
}

/// Whether a deployer party is a natural person, whose name, address and
/// contact are personal data.
pub fn is_natural_person(deployer: Option<&Value>) -> bool {
    deployer.and_then(|d| d.get("type")).and_then(Value::as_str) == Some("natural_person")
}

/// Parses JSON the store wrote.
pub fn parse_stored(text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Internal(format!("stored JSON: {e}")))
}

/// The representation of the current state of a record.
pub fn view(caller: &Caller, row: &RecordRow) -> Result<Value, ApiError> {
    let document = parse_stored(&row.document)?;
    let hide_org = hides_organisation(caller, &row.owner_org, &document);
    let mut out = json!({
        "id": row.id,
        "version": row.version,
        "registration_type": row.registration_type,
        "owner_org": row.owner_org,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "document": redact(caller, &row.owner_org, document),
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
    let document = parse_stored(&row.document)?;
    let hide_org = hides_organisation(caller, owner, &document);
    let mut out = json!({
        "id": row.record_id,
        "version": row.version,
        "action": row.action,
        "reason": row.reason,
        "actor_org": row.actor_org,
        "recorded_at": row.recorded_at,
        "document_sha256": row.document_sha256,
        "rules_version": row.rules_version,
        "document": redact(caller, owner, document),
        "classification": parse_stored(&row.classification)?,
    });
    if hide_org {
        out["actor_org"] = Value::Null;
    }
    Ok(out)
}

/// Whether the organisation a record belongs to is hidden from `caller`:
/// when the deployer is a natural person, the organisation of the record
/// may well be that person's name.
fn hides_organisation(caller: &Caller, owner: &str, document: &Value) -> bool {
    is_natural_person(document.get("deployer")) && !sees_personal_data(caller, owner)
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
    let mut ids: Vec<String> = ids
        .into_iter()
        .map(|id| Uuid::parse_str(&id).map_or(id, |u| u.to_string()))
        .collect();
    if ids.is_empty() || visibility(caller) == Visibility::All {
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
        .filter(|(_, owner, section)| may_see(caller, owner, section))
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
            .map(|id| Uuid::parse_str(id).map_or(id.to_owned(), |u| u.to_string()))
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
        .filter(|row| may_see(caller, &row.owner_org, &row.section))
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
    let org = match caller {
        Caller::Token { org, .. } => org.as_str(),
        Caller::Public => "",
    };
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

/// The `If-Match` of an update, which is required.
pub fn required_precondition(req: &HttpRequest) -> Result<Precondition, ApiError> {
    match if_match(req)? {
        Precondition::Absent => Err(ApiError::PreconditionRequired),
        given => Ok(given),
    }
}

/// Stores a new record and answers 201 with `Location` and `ETag`.
pub async fn create(
    store: &Store,
    kind: RecordKind,
    caller: &Caller,
    write: RecordWrite,
) -> Result<HttpResponse, ApiError> {
    let (org, role) = org_and_role(caller);
    let id = uuid::Uuid::new_v4().to_string();
    let row = store
        .write(move |conn| db::insert(conn, kind, &id, Actor { org: &org, role }, &write))
        .await?;
    tracing::info!(kind = kind.as_str(), id = %row.id, outcome = %row.outcome, "registered");
    let mut builder = HttpResponse::Created();
    let location = format!("{}/{}", collection(kind), row.id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        builder.insert_header((header::LOCATION, value));
    }
    respond(caller, builder, &row)
}

/// Stores a new version of `current` and answers 200 with the new ETag.
pub async fn update(
    store: &Store,
    kind: RecordKind,
    caller: &Caller,
    current: &RecordRow,
    revision: Revision,
    write: RecordWrite,
) -> Result<HttpResponse, ApiError> {
    let Revision {
        action,
        reason,
        after,
    } = revision;
    let (org, role) = org_and_role(caller);
    let id = current.id.clone();
    let expected_version = current.version;
    // The store checks the version again inside the transaction, so a write
    // that landed since `current` was read makes this one stale, not lost.
    let row = store
        .write(move |conn| {
            let change = Change {
                action,
                reason: reason.as_deref(),
                expected_version,
            };
            let row = db::update(conn, kind, &id, change, Actor { org: &org, role }, &write)?;
            if let Some(after) = after {
                after(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    respond(caller, HttpResponse::Ok(), &row)
}

/// What kind of new version an update makes.
pub struct Revision {
    /// `update` or `status`.
    pub action: &'static str,
    /// The reason given for a status change.
    pub reason: Option<String>,
    /// What else the write changes, in its transaction.
    pub after: Option<AfterWrite>,
}

impl Revision {
    /// A new version of the document.
    pub fn update() -> Revision {
        Revision {
            action: "update",
            reason: None,
            after: None,
        }
    }
}

/// What else a write changes, in its transaction, given the row it stored.
pub type AfterWrite =
    Box<dyn FnOnce(&mut DbConnection, &RecordRow) -> Result<(), StoreError> + Send>;

fn org_and_role(caller: &Caller) -> (String, &'static str) {
    match caller {
        Caller::Token { role, org } => (org.clone(), role.as_str()),
        Caller::Public => (String::new(), "public"),
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
    let key = id.to_owned();
    let rows = store
        .read(move |conn| db::versions(conn, kind, &key))
        .await?;
    let items = rows
        .iter()
        .filter(|v| may_see(caller, &row.owner_org, &v.section))
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
        .filter(|v| may_see(caller, &row.owner_org, &v.section))
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

/// The search text of a record: the words of the strings given, cut the way
/// a query is cut ([`crate::store::search::words`]), so that SQLite and
/// PostgreSQL index exactly the same tokens.
pub fn search_text(parts: &[&Value]) -> String {
    parts
        .iter()
        .filter_map(|v| v.as_str())
        .flat_map(crate::store::search::all_words)
        .collect::<Vec<_>>()
        .join(" ")
}
