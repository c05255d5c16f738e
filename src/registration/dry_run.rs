//! The dry run of a registration (`POST /v1/classify`, `ai-registry
//! classify`): the classification a document would get, and the errors.

use serde_json::Value;

use super::deployment;
use super::prepared::{check_schema, kind_of, to_json, typed, RegistrationError};
use super::system;
use crate::access::Visibility;
use crate::classify::{self, Subject};
use crate::domain::facts::Facts;
use crate::domain::RecordKind;
use crate::validate::Schemas;

/// Classifies a document without registering it: a system or deployment
/// registration when it has a `registration_type`, bare `{"facts": …}`
/// otherwise. Errors are those a registration of the same document would
/// get. It reads no register: a use's `system_id` is not looked up (the
/// API's dry run of a use looks it up itself, as a registration would).
pub fn classify_document(schemas: &Schemas, doc: &Value) -> Result<Value, RegistrationError> {
    match kind_of(doc) {
        Some(RecordKind::Deployment) => {
            let offline = None;
            let vis = Visibility::Public;
            Ok(deployment::prepare(schemas, offline, &vis, doc.clone())?.classification)
        }
        Some(RecordKind::System) => Ok(system::prepare(schemas, doc)?.classification),
        None => {
            check_schema(schemas, "classify-request", doc)?;
            let facts: Facts = typed(&doc["facts"])?;
            to_json(&classify::classify(&facts, &Subject::Facts))
        }
    }
}
