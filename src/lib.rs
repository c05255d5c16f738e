//! ai-registry: a register of high-risk AI systems under the EU AI Act.
//!
//! `domain` holds the vocabularies (facts, Annex III points, registration
//! types); `classify` turns facts into a classification, purely.

pub mod classify;
pub mod domain;
