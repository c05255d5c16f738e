//! Registration: a document in, a validated, classified, redacted write
//! out, and that write stored.
//!
//! Everything that turns a registration document into a stored version
//! lives here, so the API, `import` and `generate` register alike:
//!
//! - [`system::prepare`] and [`deployment::prepare`] check a document
//!   against its schema and the rules a schema cannot say, link the system
//!   a use names, classify, drop what the non-public section may not keep
//!   ([`non_public`]) and build the search text and facet values;
//! - [`write`] stores a prepared registration: one path for a single
//!   request and for bulk loads, in the caller's transaction, with the link
//!   to a use's system checked again inside it;
//! - [`classify_document`] is the dry run of all of this.
//!
//! Within it, `link` and `prepared` are the leaves the other files use;
//! `write` uses `deployment`; `dry_run` uses both kinds.
//!
//! It knows nothing of HTTP: errors are [`RegistrationError`]s, which the
//! API maps to problem+json and the command line to messages.

pub mod deployment;
mod dry_run;
mod link;
pub mod non_public;
mod prepared;
pub mod system;
pub mod write;

pub use dry_run::classify_document;
pub use prepared::{kind_of, party_of, Prepared, RegistrationError, DUPLICATE};
