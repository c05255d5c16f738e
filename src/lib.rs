//! ai-registry: a register of high-risk AI systems under the EU AI Act
//! (Regulation (EU) 2024/1689, Art. 49 and 71, Annex VIII), with the depth
//! Dutch policy asks for on biometric systems.
//!
//! Dependencies point one way, from the ways in down to the vocabularies
//! (`tests/api/layers.rs` holds every module to it):
//!
//! ```text
//! cli, api (HTTP), startup       parse, authorise, map errors, render
//! registration, import, load,    document -> validated, classified,
//!   export                         redacted write; bulk in and out
//! index                          the in-memory facet index
//! access                         who may see what: one rule
//! store                          the only SQL, both backends
//! classify, validate, labels,    pure: facts in, decisions out
//!   domain
//! ```
//!
//! Only [`cli`], [`startup`] and [`api`] itself use [`api`]; no two files
//! use each other. The design and the legal readings the code relies on
//! are in `docs/architecture.md` and `docs/legal-readings.md`.

pub mod access;
pub mod api;
pub mod classify;
pub mod cli;
pub mod config;
pub mod domain;
pub mod export;
pub mod generate;
pub mod import;
pub mod index;
pub mod labels;
pub mod load;
pub mod registration;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod validate;
