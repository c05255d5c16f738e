//! The integration tests, linked as one binary: one compile and one link for
//! the whole suite instead of one per file.
//!
//! `cargo test --test api MODULE::` runs one file's tests, e.g.
//! `cargo test --test api non_public::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking; the no-panic rule is for the service"
)]

mod common;

mod access;
mod api_classify;
mod api_deployments;
mod api_edges;
mod api_systems;
mod classifier;
mod classifier_props;
mod cli;
mod exports;
mod generate;
mod labels;
mod layers;
mod migrations;
mod non_public;
mod openapi;
mod page;
mod process;
mod search_overview;
