//! Who may see what. Every read of a record (one record, its versions,
//! search, facets, the overview, exports, metrics, pages) asks this module,
//! and [`may_see`] is the one rule for whether a record is visible at all.
//!
//! The rule (Art. 49(4) and Art. 71(5) AI Act; `docs/legal-readings.md`,
//! "The non-public section"):
//!
//! - The Commission, the Art. 74(8) authorities and auditors see everything.
//! - A provider or deployer sees the public section and its own
//!   organisation's records.
//! - The public sees the public section.
//! - An admin runs the registry and reads it as the public does: Art. 49(4)
//!   names who may read the non-public section, and operators are not among
//!   them.
//!
//! Personal data inside a visible record (the person who submitted it, the
//! identity of a deployer who is a natural person) is shown only to the
//! record's own organisation and to those who see everything.

use serde_json::Value;

use crate::classify::Section;
use crate::domain::Role;

/// The caller of a request or a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No token.
    Public,
    /// A valid token.
    Token {
        /// The token's role.
        role: Role,
        /// The organisation the token acts for.
        org: String,
    },
}

impl Caller {
    /// The role, or `None` for the public.
    pub fn role(&self) -> Option<Role> {
        match self {
            Caller::Public => None,
            Caller::Token { role, .. } => Some(*role),
        }
    }

    /// The organisation the caller acts for, if any.
    pub fn org(&self) -> Option<&str> {
        match self {
            Caller::Public => None,
            Caller::Token { org, .. } => Some(org),
        }
    }
}

/// Which records a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// The public section only.
    Public,
    /// The public section and the organisation's own records.
    Org(String),
    /// Everything, the non-public section included (Art. 49(4) readers).
    All,
}

impl Visibility {
    /// Whether this caller sees the non-public section as a whole: the
    /// Art. 74(8) readers. Everyone else may learn of it only what the
    /// overview publishes as thresholded figures.
    pub fn sees_non_public(&self) -> bool {
        *self == Visibility::All
    }

    /// Whether the caller acts for `owner`.
    pub fn is_owner(&self, owner: &str) -> bool {
        matches!(self, Visibility::Org(org) if org == owner)
    }
}

/// The visibility of `caller`.
pub fn visibility(caller: &Caller) -> Visibility {
    match caller {
        Caller::Public => Visibility::Public,
        Caller::Token { role, org } => match role {
            Role::Authority | Role::Auditor => Visibility::All,
            Role::Provider | Role::Deployer => Visibility::Org(org.clone()),
            Role::Admin => Visibility::Public,
        },
    }
}

/// Whether a caller of visibility `vis` may see a record in `section`,
/// given whether the caller's organisation owns it. The one rule: every
/// other check in the registry comes down to this function.
pub fn may_see(vis: &Visibility, section: Section, owned: bool) -> bool {
    match vis {
        Visibility::All => true,
        Visibility::Org(_) => section != Section::NonPublic || owned,
        Visibility::Public => section != Section::NonPublic,
    }
}

/// [`may_see`] for a record owned by `owner`.
pub fn may_see_record(vis: &Visibility, section: Section, owner: &str) -> bool {
    may_see(vis, section, vis.is_owner(owner))
}

/// Whether `vis` sees the personal data in a record owned by `owner`: the
/// person who submitted it (Art. 71(5): never the public) and a natural
/// person deployer's identity.
pub fn sees_personal_data(vis: &Visibility, owner: &str) -> bool {
    match vis {
        Visibility::All => true,
        Visibility::Org(org) => org == owner,
        Visibility::Public => false,
    }
}

/// Whether a deployer party is a natural person, whose name, address and
/// contact are personal data.
pub fn is_natural_person(deployer: Option<&Value>) -> bool {
    deployer.and_then(|d| d.get("type")).and_then(Value::as_str) == Some("natural_person")
}

/// The document as `vis` may read it: without the person who submitted it,
/// and without the identity of a deployer who is a natural person, for
/// anyone but its organisation and the Art. 74(8) readers.
pub fn redact(vis: &Visibility, owner: &str, mut doc: Value) -> Value {
    if sees_personal_data(vis, owner) {
        return doc;
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.remove("submitted_by");
        let person = is_natural_person(obj.get("deployer"));
        if let Some(deployer) = obj.get_mut("deployer").and_then(Value::as_object_mut) {
            if person {
                deployer.retain(|field, _| field == "type" || field == "country");
            }
        }
        if person {
            if let Some(location) = obj.get_mut("location").and_then(Value::as_object_mut) {
                location.remove("site");
            }
        }
    }
    doc
}

/// Whether the organisation a record belongs to is hidden from `vis`: when
/// the deployer is a natural person, the organisation of the record may
/// well be that person's name.
pub fn hides_organisation(vis: &Visibility, owner: &str, document: &Value) -> bool {
    is_natural_person(document.get("deployer")) && !sees_personal_data(vis, owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_in_full() {
        let org = Visibility::Org("a".into());
        for (vis, section, owned, seen) in [
            (&Visibility::Public, Section::Public, false, true),
            (&Visibility::Public, Section::National, false, true),
            (&Visibility::Public, Section::NonPublic, false, false),
            (&org, Section::NonPublic, false, false),
            (&org, Section::NonPublic, true, true),
            (&org, Section::Public, false, true),
            (&Visibility::All, Section::NonPublic, false, true),
        ] {
            assert_eq!(
                may_see(vis, section, owned),
                seen,
                "{vis:?} {section:?} {owned}"
            );
        }
        let admin = Caller::Token {
            role: Role::Admin,
            org: "ops".into(),
        };
        assert_eq!(visibility(&admin), Visibility::Public);
        assert!(!visibility(&admin).sees_non_public());
    }
}
