//! `/v1/deployments`: deployers register their uses of AI systems (Annex VIII
//! Section C for public authorities, the national mapping extension for
//! everyone else): where, by whom, on which legal basis.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::auth::Caller;
use super::body::read_json;
use super::error::ApiError;
use super::non_public;
use super::records::{self, is_natural_person, search_text, Revision};
use super::systems::typed;
use crate::classify::{self, DeploymentContext, Subject};
use crate::domain::annex::AnnexIiiPoint;
use crate::domain::facts::{DeployerType, Facts};
use crate::domain::registration::{DeploymentRegistrationType, LegalGround};
use crate::domain::RecordKind;
use crate::index::{facet_values, Source};
use crate::store::records::{self as db, RecordRow, RecordWrite};
use crate::store::{DbConnection, Store, StoreError};
use crate::validate::{FieldError, Schemas};

const KIND: RecordKind = RecordKind::Deployment;

#[derive(Debug, Deserialize)]
struct Deployer {
    #[serde(rename = "type")]
    kind: DeployerType,
}

#[derive(Debug, Deserialize)]
struct LegalBasis {
    ground: LegalGround,
}

/// The fields of a deployment document the registry itself reads.
#[derive(Debug, Deserialize)]
struct DeploymentDocument {
    registration_type: DeploymentRegistrationType,
    deployer: Deployer,
    system_id: Option<Uuid>,
    legal_basis: LegalBasis,
    facts: Facts,
}

/// The registered system a deployment names, as far as the deployment needs it.
#[derive(Debug, Clone, Default)]
pub struct LinkedSystem {
    /// Its registry id.
    pub id: String,
    /// Its declared Annex III points.
    pub declared_annex_iii: Vec<AnnexIiiPoint>,
    /// Its trade name and provider, for full-text search of its uses.
    pub trade_name: String,
    /// The provider's name.
    pub provider: String,
    /// Whether it is in the public section: only then do its names go into
    /// the deployment's search text, so that nobody finds a use of a
    /// non-public system by that system's name.
    pub public: bool,
}

impl LinkedSystem {
    /// What a deployment needs of the stored system `row`.
    pub fn of(row: &RecordRow) -> Result<LinkedSystem, StoreError> {
        let system: Value = serde_json::from_str(&row.document)
            .map_err(|e| StoreError::Internal(format!("stored JSON: {e}")))?;
        Ok(LinkedSystem {
            id: row.id.clone(),
            declared_annex_iii: serde_json::from_value(system["declared_annex_iii"].clone())
                .unwrap_or_default(),
            trade_name: row.name.clone(),
            provider: system["provider"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            public: row.section != "non_public",
        })
    }
}

fn schema_for(doc: &Value) -> Result<&'static str, ApiError> {
    match doc.get("registration_type") {
        None => Err(ApiError::field(
            "/registration_type",
            "required",
            "registration_type is required: annex_viii_c or national_use",
        )),
        Some(Value::String(t)) if t == "annex_viii_c" => Ok("deployment-annex-viii-c"),
        Some(Value::String(t)) if t == "national_use" => Ok("deployment-national-use"),
        Some(_) => Err(ApiError::field(
            "/registration_type",
            "enum",
            "registration_type must be annex_viii_c or national_use",
        )),
    }
}

/// Whether a document is a deployment registration (by its type).
pub fn is_deployment(doc: &Value) -> bool {
    matches!(
        doc.get("registration_type").and_then(Value::as_str),
        Some("annex_viii_c" | "national_use")
    )
}

/// Schema and the rules a schema cannot say: exactly one of `system_id` and
/// `system_url`; `facts.deployer_type`, if given, equal to `deployer.type`;
/// a period that does not end before it starts.
pub fn validate(schemas: &Schemas, doc: &Value) -> Result<(), ApiError> {
    let schema = schema_for(doc)?;
    schemas
        .validate(schema, doc)
        .map_err(ApiError::Validation)?;
    let mut errors = Vec::new();
    match (doc.get("system_id"), doc.get("system_url")) {
        (None, None) => errors.push(FieldError::new(
            "/system_id",
            "required",
            "name the system used: system_id (registry id) or system_url",
        )),
        (Some(_), Some(_)) => errors.push(FieldError::new(
            "/system_url",
            "oneOf",
            "give system_id or system_url, not both",
        )),
        _ => {}
    }
    if let Some(stated) = doc["facts"].get("deployer_type") {
        if *stated != doc["deployer"]["type"] {
            errors.push(FieldError::new(
                "/facts/deployer_type",
                "const",
                "facts.deployer_type must equal deployer.type (or be left out)",
            ));
        }
    }
    if let (Some(start), Some(end)) = (
        doc["period"]["start"].as_str(),
        doc["period"]["end"].as_str(),
    ) {
        if end < start {
            errors.push(FieldError::new(
                "/period/end",
                "minimum",
                "the period ends before it starts",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Classifies a validated deployment document; `linked` is the registered
/// system it names, when known.
pub fn prepare(
    doc: &Value,
    linked: Option<&LinkedSystem>,
) -> Result<(RecordWrite, Value), ApiError> {
    let deployment: DeploymentDocument = typed(doc)?;
    let mut facts = deployment.facts;
    facts.deployer_type = Some(deployment.deployer.kind);
    let declared = linked
        .map(|s| s.declared_annex_iii.as_slice())
        .unwrap_or_default();
    let mut classification = serde_json::to_value(classify::classify(
        &facts,
        &Subject::Deployment(DeploymentContext {
            registration_type: deployment.registration_type,
            legal_basis: Some(deployment.legal_basis.ground),
            consent_alternative_offered: doc["consent"]["alternative_offered"].as_bool(),
            employment_relationship: doc["employment_relationship"].as_bool(),
            dpia_performed: doc["dpia"]["performed"].as_bool(),
            fria_performed: doc["fria_performed"].as_bool(),
            system_declared_annex_iii: declared,
        }),
    ))
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut doc = doc.clone();
    non_public::apply(&mut doc, &mut classification);
    let doc = &doc;

    let document = doc.to_string();
    let write = RecordWrite {
        registration_type: deployment.registration_type.as_str().to_owned(),
        name: doc["deployer"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        unique_key: None,
        status: None,
        system_id: deployment.system_id.map(|id| id.to_string()),
        document_sha256: crate::store::sha256_hex(document.as_bytes()),
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
        facets: facet_values(&Source::new(KIND, doc, &classification)),
        search_text: deployment_search_text(doc, linked),
    };
    Ok((write, classification))
}

/// The words a deployment is found by: its own, and the names of the system
/// it uses while that system is public (nobody should find a use of a
/// non-public system by that system's name).
pub fn deployment_search_text(doc: &Value, linked: Option<&LinkedSystem>) -> String {
    let (trade_name, provider) = linked
        .filter(|s| s.public)
        .map_or((Value::Null, Value::Null), |s| {
            (json!(s.trade_name), json!(s.provider))
        });
    // A natural person is not found by name or address.
    let person = is_natural_person(doc.get("deployer"));
    search_text(&[
        if person {
            &Value::Null
        } else {
            &doc["deployer"]["name"]
        },
        if person {
            &Value::Null
        } else {
            &doc["location"]["site"]
        },
        &doc["location"]["municipality"],
        &doc["location"]["region"],
        &doc["legal_basis"]["reference"],
        &doc["system_url"],
        &trade_name,
        &provider,
    ])
}

/// After a write of a system, in its transaction: the search text of the
/// uses that name it, which holds the system's names only while it is
/// public, is brought in line with the system as it now is. A derived
/// column, not a new version of the uses.
pub fn refresh_uses_of(conn: &mut DbConnection, system: &RecordRow) -> Result<(), StoreError> {
    let stored = |text: &str| {
        serde_json::from_str::<Value>(text)
            .map_err(|e| StoreError::Internal(format!("stored JSON: {e}")))
    };
    let linked = LinkedSystem::of(system)?;
    let mut changes = Vec::new();
    for (use_id, document, current) in db::documents_using(conn, &system.id)? {
        let text = deployment_search_text(&stored(&document)?, Some(&linked));
        if text != current {
            changes.push((use_id, text));
        }
    }
    db::set_search_texts(conn, &changes)
}

/// The registered system a document names by `system_id`, which must exist
/// and be visible to `caller` (422 with the pointer otherwise).
pub async fn linked_system(
    store: &Store,
    caller: &Caller,
    doc: &Value,
) -> Result<Option<LinkedSystem>, ApiError> {
    let Some(id) = doc["system_id"].as_str() else {
        return Ok(None);
    };
    // The canonical form, as ids are stored: an upper-case id is the same id.
    let id = &Uuid::parse_str(id).map_or_else(|_| id.to_owned(), |u| u.to_string());
    let missing = || ApiError::field("/system_id", "exists", "no registered system with this id");
    let row = match records::load_visible(store, RecordKind::System, id, caller).await {
        Ok(row) => row,
        Err(ApiError::NotFound(_)) => return Err(missing()),
        Err(e) => return Err(e),
    };
    Ok(Some(LinkedSystem::of(&row)?))
}

/// Validation, the linked system and classification: a write, ready.
async fn prepare_write(
    schemas: &Schemas,
    store: &Store,
    caller: &Caller,
    doc: &Value,
) -> Result<RecordWrite, ApiError> {
    validate(schemas, doc)?;
    let linked = linked_system(store, caller, doc).await?;
    Ok(prepare(doc, linked.as_ref())?.0)
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
    let write = prepare_write(&schemas, &store, &caller, &doc).await?;
    records::create(&store, KIND, &caller, write).await
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
    let write = prepare_write(&schemas, &store, &caller, &doc).await?;
    records::update(&store, KIND, &caller, &current, Revision::update(), write).await
}

/// Checks a deployment for `/v1/classify`; with a store, the linked system's
/// declared points are taken into account.
pub async fn classify_document(
    schemas: &Schemas,
    store: Option<&Store>,
    caller: &Caller,
    doc: &Value,
) -> Result<Value, ApiError> {
    validate(schemas, doc)?;
    let linked = match store {
        Some(store) => linked_system(store, caller, doc).await?,
        None => None,
    };
    Ok(prepare(doc, linked.as_ref())?.1)
}
