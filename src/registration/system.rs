//! Systems: a provider's registration (Annex VIII Section A or B), checked,
//! classified and made ready to store; and a change of its status.

use serde::Deserialize;
use serde_json::Value;

use super::non_public;
use super::prepared::{
    check_schema, schema_for, search_text, to_json, typed, Prepared, RegistrationError,
};
use crate::classify::{self, Outcome, Section, Subject, SystemContext};
use crate::domain::annex::AnnexIiiPoint;
use crate::domain::facts::Facts;
use crate::domain::registration::RegistrationType;
use crate::domain::{RecordKind, SystemStatus};
use crate::index::{facet_values, Source};
use crate::store::records::{RecordRow, RecordWrite};
use crate::validate::Schemas;

/// The fields of a system document the registry itself reads; the rest is
/// kept as registered.
#[derive(Debug, Deserialize)]
struct SystemDocument {
    registration_type: RegistrationType,
    trade_name: String,
    reference: String,
    status: SystemStatus,
    #[serde(default)]
    declared_annex_iii: Vec<AnnexIiiPoint>,
    facts: Facts,
}

/// What makes two systems of one organisation the same registration: a
/// digest of trade name and reference (a long name and reference would not
/// fit a PostgreSQL index entry).
pub fn duplicate_key(trade_name: &str, reference: &str) -> String {
    crate::store::sha256_hex(format!("{trade_name}\u{1f}{reference}").as_bytes())
}

/// Validates a system document and classifies it: everything a write needs.
pub fn prepare(schemas: &Schemas, doc: &Value) -> Result<Prepared, RegistrationError> {
    check_schema(
        schemas,
        schema_for(
            doc,
            &[
                ("annex_viii_a", "system-annex-viii-a"),
                ("annex_viii_b", "system-annex-viii-b"),
            ],
        )?,
        doc,
    )?;
    prepare_valid(doc.clone(), None)
}

/// A classification kept from a stored version instead of classifying again.
struct Kept {
    classification: Value,
    outcome: Outcome,
    section: Section,
}

/// Classifies a document that has passed its schema. A document routed to
/// the non-public section loses the items Art. 49(4) does not let it keep.
///
/// `kept` is the classification of a stored non-public document whose
/// status alone changes: such a document no longer holds every item its
/// classification rested on (B.6 is gone), so it is not classified again;
/// its facts have not changed.
fn prepare_valid(mut doc: Value, kept: Option<Kept>) -> Result<Prepared, RegistrationError> {
    let system: SystemDocument = typed(&doc)?;
    let form = system.registration_type.into();
    let Kept {
        classification,
        outcome,
        section,
    } = match kept {
        Some(kept) => kept,
        None => {
            let fresh = classify::classify(
                &system.facts,
                &Subject::System(SystemContext {
                    registration_type: system.registration_type,
                    declared_annex_iii: &system.declared_annex_iii,
                }),
            );
            let (outcome, section) = (fresh.outcome, fresh.registration.section);
            let mut classification = to_json(&fresh)?;
            non_public::apply(&mut doc, form, section, &mut classification);
            Kept {
                classification,
                outcome,
                section,
            }
        }
    };
    let doc = &doc;

    let document = doc.to_string();
    let write = RecordWrite {
        registration_type: form,
        name: system.trade_name.clone(),
        unique_key: Some(duplicate_key(&system.trade_name, &system.reference)),
        status: Some(system.status),
        system_id: None,
        document_sha256: crate::store::sha256_hex(document.as_bytes()),
        document,
        outcome,
        section,
        classification: classification.to_string(),
        rules_version: classification["rules_version"]
            .as_str()
            .unwrap_or(classify::RULES_VERSION)
            .to_owned(),
        facets: facet_values(&Source::new(RecordKind::System, doc, &classification)),
        search_text: search_text(&[
            &doc["trade_name"],
            &doc["reference"],
            &doc["provider"]["name"],
            &doc["intended_purpose"],
        ]),
    };
    Ok(Prepared {
        kind: RecordKind::System,
        write,
        classification,
        link: None,
    })
}

/// The body of a status change.
#[derive(Debug, Deserialize)]
pub struct StatusChange {
    /// The new status.
    pub status: SystemStatus,
    /// Why.
    pub reason: String,
}

/// Checks a status change of the stored system `current`: the body against
/// its schema, and that the status does change.
pub fn status_change(
    schemas: &Schemas,
    current: &RecordRow,
    body: &Value,
) -> Result<StatusChange, RegistrationError> {
    check_schema(schemas, "status-change", body)?;
    let change: StatusChange = typed(body)?;
    if current.status == Some(change.status) {
        return Err(RegistrationError::field(
            "/status",
            "transition",
            format!("the system's status is already {}", change.status),
        ));
    }
    Ok(change)
}

/// The next version of `current` with the status of `change`. A non-public
/// system keeps its stored classification (see [`prepare_valid`]).
pub fn prepare_status(
    current: &RecordRow,
    change: &StatusChange,
) -> Result<Prepared, RegistrationError> {
    let mut doc = stored_json(&current.document)?;
    doc["status"] = Value::String(change.status.as_str().to_owned());
    let kept = if current.section == Section::NonPublic {
        Some(Kept {
            classification: stored_json(&current.classification)?,
            outcome: current.outcome,
            section: current.section,
        })
    } else {
        None
    };
    prepare_valid(doc, kept)
}

/// Parses JSON the store wrote.
fn stored_json(text: &str) -> Result<Value, RegistrationError> {
    Ok(crate::store::parse_json(text)?)
}
