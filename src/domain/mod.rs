//! The registry's vocabularies: classifier facts, Annex III points and
//! prohibited practices, registration types, legal grounds, roles and
//! statuses. Free of HTTP and SQL.
//!
//! Every closed vocabulary is a [`Code`] enum: its wire code (what serde reads
//! and writes, what the JSON Schemas enumerate, what the overview counts) is
//! written once, in the `code_enum!` declaration, so `as_str`, `ALL` and serde cannot drift
//! apart.

/// A closed vocabulary whose values travel as fixed snake_case codes.
///
/// Lets generic code (schema tests, code lists, property-test strategies)
/// walk any vocabulary without knowing which one it is.
pub trait Code: Copy + Eq + 'static {
    /// Every value, in declaration order (the order code lists are shown in).
    const ALL: &'static [Self];

    /// The wire code of this value.
    fn code(&self) -> &'static str;

    /// The value whose wire code is `code`, if any.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares a [`Code`] enum.
///
/// Each variant names its wire code explicitly (`Variant = "code"`) instead of
/// relying on `#[serde(rename_all = "snake_case")]`: several codes ("1_a",
/// "art_5_1_ba", "art_49_4") are not what snake-casing a Rust identifier
/// yields, and one literal per variant feeds serde, `as_str` and `ALL` alike.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire code of this value.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            /// The value whose wire code is `code`, if any.
            pub fn from_code(code: &str) -> Option<Self> {
                <Self as $crate::domain::Code>::from_code(code)
            }
        }

        impl $crate::domain::Code for $name {
            const ALL: &'static [Self] = $name::ALL;

            fn code(&self) -> &'static str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use code_enum;

pub mod annex;
pub mod facts;
mod kind;
pub mod registration;
mod role;
mod status;

pub use kind::{Action, RecordKind};
pub use role::Role;
pub use status::SystemStatus;

/// The canonical form of a registry id, as ids are stored: a UUID in
/// lower-case hyphenated form, so that an upper-case id is the same id.
/// Anything that is not a UUID is returned as it is (it matches nothing).
pub fn canonical_id(id: &str) -> String {
    uuid::Uuid::parse_str(id.trim()).map_or_else(|_| id.to_owned(), |u| u.to_string())
}
