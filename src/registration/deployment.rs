//! Deployments: a deployer's registration of a use (Annex VIII Section C for
//! public authorities, the national mapping extension for everyone else),
//! checked, linked to the registered system it names, classified and made
//! ready to store.

use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

pub use super::link::{Link, LinkedSystem};
use super::non_public;
use super::prepared::{
    check_schema, schema_for, search_text, to_json, typed, Prepared, RegistrationError,
};
use crate::access::{self, Visibility};
use crate::classify::{self, DeploymentContext, Section, Subject};
use crate::domain::facts::{DeployerType, Facts};
use crate::domain::registration::{DeploymentRegistrationType, LegalGround};
use crate::domain::{canonical_id, RecordKind};
use crate::index::{facet_values, Source};
use crate::store::records::{self as db, RecordWrite};
use crate::store::{DbConnection, StoreError};
use crate::validate::{FieldError, Schemas};

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

/// Schema and the rules a schema cannot say: exactly one of `system_id` and
/// `system_url`; `facts.deployer_type`, if given, equal to `deployer.type`;
/// a period that does not end before it starts.
pub fn validate(schemas: &Schemas, doc: &Value) -> Result<(), RegistrationError> {
    check_schema(
        schemas,
        schema_for(
            doc,
            &[
                ("annex_viii_c", "deployment-annex-viii-c"),
                ("national_use", "deployment-national-use"),
            ],
        )?,
        doc,
    )?;
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
        Err(RegistrationError::Invalid(errors))
    }
}

/// The canonical form of the `system_id` a document names, as ids are
/// stored: an upper-case id is the same id.
pub fn named_system(doc: &Value) -> Option<String> {
    let id = doc["system_id"].as_str()?;
    Some(canonical_id(id))
}

/// The refusal of a `system_id` that names no system the registrant may see.
pub fn unknown_system() -> RegistrationError {
    RegistrationError::field("/system_id", "exists", "no registered system with this id")
}

/// The registered system `id` (as [`named_system`] gives it), which must
/// exist and be visible to `vis` (a 422 with the pointer otherwise, the
/// same for a system that does not exist and one `vis` may not see).
pub fn find_linked(
    conn: &mut DbConnection,
    vis: &Visibility,
    id: &str,
) -> Result<LinkedSystem, RegistrationError> {
    let row = db::find(conn, RecordKind::System, id)?
        .filter(|row| access::may_see_record(vis, row.section, &row.owner_org))
        .ok_or_else(unknown_system)?;
    Ok(LinkedSystem::of(&row)?)
}

/// Validates a deployment document, links the system it names (when a
/// connection is given; offline, it is not looked up) and classifies it.
pub fn prepare(
    schemas: &Schemas,
    conn: Option<&mut DbConnection>,
    vis: &Visibility,
    doc: Value,
) -> Result<Prepared, RegistrationError> {
    validate(schemas, &doc)?;
    let linked = match (conn, named_system(&doc)) {
        (Some(conn), Some(id)) => Some(find_linked(conn, vis, &id)?),
        _ => None,
    };
    prepare_valid(doc, linked)
}

/// Classifies a validated deployment document; `linked` is the registered
/// system it names, when known.
pub fn prepare_valid(
    doc: Value,
    linked: Option<LinkedSystem>,
) -> Result<Prepared, RegistrationError> {
    let deployment: DeploymentDocument = typed(&doc)?;
    let form = deployment.registration_type.into();
    let mut facts = deployment.facts;
    facts.deployer_type = Some(deployment.deployer.kind);
    let declared = linked
        .as_ref()
        .map(|s| s.declared_annex_iii.as_slice())
        .unwrap_or_default();
    let classified = classify::classify(
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
    );
    let (outcome, section) = (classified.outcome, classified.registration.section);
    let mut classification = to_json(&classified)?;
    // Only a non-public record is reduced: the others are stored as given.
    let mut kept = None;
    if section == Section::NonPublic {
        let mut copy = doc.clone();
        non_public::apply(&mut copy, form, section, &mut classification);
        kept = Some(copy);
    }
    let reduced = kept.as_ref().unwrap_or(&doc);

    let document = reduced.to_string();
    let write = RecordWrite {
        registration_type: form,
        name: reduced["deployer"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        unique_key: None,
        status: None,
        system_id: deployment.system_id.map(|id| id.to_string()),
        document_sha256: crate::store::sha256_hex(document.as_bytes()),
        document,
        outcome,
        section,
        classification: classification.to_string(),
        rules_version: classify::RULES_VERSION.to_owned(),
        facets: facet_values(&Source::new(
            RecordKind::Deployment,
            reduced,
            &classification,
        )),
        search_text: deployment_search_text(reduced, linked.as_ref()),
    };
    Ok(Prepared {
        kind: RecordKind::Deployment,
        write,
        classification,
        link: linked.map(|system| Link {
            system,
            document: doc,
        }),
    })
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
    let person = access::is_natural_person(doc.get("deployer"));
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
pub fn refresh_uses_of(conn: &mut DbConnection, linked: &LinkedSystem) -> Result<(), StoreError> {
    let mut changes = Vec::new();
    for (use_id, document, current) in db::documents_using(conn, &linked.id)? {
        let document = crate::store::parse_json(&document)?;
        let text = deployment_search_text(&document, Some(linked));
        if text != current {
            changes.push((use_id, text));
        }
    }
    db::set_search_texts(conn, &changes)
}
