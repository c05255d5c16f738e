//! The non-public section (Art. 49(4)): a registration of Annex III points
//! 1, 6 or 7 in law enforcement, migration, asylum or border control keeps
//! only a reduced set of Annex VIII items. The others are dropped before
//! the write, and a finding tells the registrant which, by JSON pointer.
//!
//! Kept (Art. 49(4)): Section A items 1–5, 7 and 10; Section B items 1–5 and
//! 8; Section C items 1–3. Besides the Annex VIII items a document carries
//! what the registry itself needs to classify it and to answer the mapping
//! request (`registration_type`, `declared_annex_iii`, `facts`, and for a
//! deployment where, when and on which legal basis): these are not Annex
//! VIII items, they stay, and like the rest of a non-public record they are
//! read only by its own organisation and the Art. 74(8) readers. The one
//! exception is Section B item 6, the Art. 6(3) conditions relied on, which
//! a document states in `facts.art_6_3_conditions`: it is an Annex VIII item
//! and goes.

use serde_json::Value;

use crate::classify::{Finding, FindingCode, Section, Severity};
use crate::domain::registration::RegistrationForm;

/// Where the items are written down.
const CITATION: &str = "Art. 49(4) AI Act; Annex VIII";

/// The items each registration type may not keep: pointer and item.
fn not_kept(form: RegistrationForm) -> &'static [(&'static str, &'static str)] {
    match form {
        RegistrationForm::AnnexViiiA => &[
            ("/data_and_logic", "A.6"),
            ("/certificate", "A.8 and A.9"),
            ("/declaration_of_conformity_url", "A.11"),
            ("/instructions_for_use_url", "A.12"),
            ("/more_info_url", "A.13"),
        ],
        RegistrationForm::AnnexViiiB => &[
            ("/facts/art_6_3_conditions", "B.6"),
            ("/art_6_3_grounds", "former B.7"),
            ("/member_states", "former B.9"),
            ("/more_info_url", "not a Section B item"),
        ],
        RegistrationForm::AnnexViiiC | RegistrationForm::NationalUse => {
            &[("/fria_summary", "C.4"), ("/dpia_summary", "C.5")]
        }
    }
}

/// Removes the value at a pointer of the form `/a` or `/a/b`.
fn remove(doc: &mut Value, pointer: &str) -> bool {
    let (parent, field) = match pointer.rsplit_once('/') {
        Some((parent, field)) => (parent, field),
        None => return false,
    };
    let target = if parent.is_empty() {
        Some(doc)
    } else {
        doc.pointer_mut(parent)
    };
    target
        .and_then(Value::as_object_mut)
        .and_then(|o| o.remove(field))
        .is_some()
}

/// Drops from `doc` what a non-public record may not keep and returns the
/// finding that lists it, or `None` when nothing had to go.
pub fn reduce(doc: &mut Value, form: RegistrationForm) -> Option<Finding> {
    let dropped: Vec<(&str, &str)> = not_kept(form)
        .iter()
        .copied()
        .filter(|(pointer, _)| remove(doc, pointer))
        .collect();
    if dropped.is_empty() {
        return None;
    }
    let listed: Vec<String> = dropped
        .iter()
        .map(|(pointer, item)| format!("{pointer} ({item})"))
        .collect();
    Some(Finding {
        code: FindingCode::NonPublicItemsDropped,
        severity: Severity::Info,
        citation: CITATION.into(),
        message: format!(
            "This registration belongs in the non-public section, which keeps only the items \
             Art. 49(4) allows; not stored: {}.",
            listed.join(", ")
        )
        .into(),
        pointers: dropped.iter().map(|(p, _)| (*p).to_owned()).collect(),
    })
}

/// For a registration routed to the non-public section: reduces `doc` and
/// adds the finding to `classification`. Anything else is left as it is.
pub fn apply(
    doc: &mut Value,
    form: RegistrationForm,
    section: Section,
    classification: &mut Value,
) {
    if section != Section::NonPublic {
        return;
    }
    if let Some(finding) = reduce(doc, form) {
        if let (Some(findings), Ok(finding)) = (
            classification["findings"].as_array_mut(),
            serde_json::to_value(finding),
        ) {
            findings.push(finding);
        }
    }
}
