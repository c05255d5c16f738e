//! ai-registry: a register of high-risk AI systems under the EU AI Act
//! (Regulation (EU) 2024/1689, Art. 49 and 71, Annex VIII), with the depth
//! Dutch policy asks for on biometric systems.
//!
//! Dependencies point one way: [`domain`] <- [`classify`] <- [`store`] <-
//! [`index`] <- [`api`] <- [`cli`], the commands of the `ai-registry`
//! binary.

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
