//! ETags and `If-Match`: optimistic concurrency on versioned records.
//!
//! The ETag of a record is its version number, quoted: `"3"`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::HttpRequest;

use super::error::ApiError;

/// The ETag of `version`.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// What an `If-Match` header asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// No `If-Match` header.
    Absent,
    /// `If-Match: *`: any current version.
    Any,
    /// `If-Match: "n"` or a list of ETags: one of these versions must be
    /// current. ETags that are not ours are left out, so a list of only
    /// foreign ETags matches nothing.
    Versions(Vec<i64>),
}

impl Precondition {
    /// True when a record whose current version is `current` satisfies it.
    pub fn allows(&self, current: i64) -> bool {
        match self {
            Precondition::Absent | Precondition::Any => true,
            Precondition::Versions(versions) => versions.contains(&current),
        }
    }
}

/// Reads `If-Match` (RFC 9110 13.1.1).
pub fn if_match(req: &HttpRequest) -> Result<Precondition, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(Precondition::Absent);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::InvalidParameter("If-Match is not readable text".into()))?
        .trim();
    if value == "*" {
        return Ok(Precondition::Any);
    }
    let versions = value
        .split(',')
        .filter_map(|tag| {
            // Strong comparison (RFC 9110 13.1.1): a weak tag never matches.
            tag.trim()
                .strip_prefix('"')?
                .strip_suffix('"')?
                .parse::<i64>()
                .ok()
        })
        .collect();
    Ok(Precondition::Versions(versions))
}
