//! The dimensions records are filtered and counted by.

use crate::domain::RecordKind;

/// A dimension records can be filtered and counted by.
#[derive(Debug)]
pub struct DimDef {
    /// Its name: the query parameter, the facet name, the code list.
    pub name: &'static str,
    /// Whether a record can have several values.
    pub multi: bool,
    /// Whether systems have it.
    pub system: bool,
    /// Whether deployments have it.
    pub deployment: bool,
    /// Whether it is a search and overview filter (the others are counted only).
    pub filter: bool,
}

const fn dim(
    name: &'static str,
    multi: bool,
    system: bool,
    deployment: bool,
    filter: bool,
) -> DimDef {
    DimDef {
        name,
        multi,
        system,
        deployment,
        filter,
    }
}

/// Every dimension. The facet values a record stores are a JSON object with
/// these names as keys and lists of codes as values.
pub const DIMS: &[DimDef] = &[
    dim("annex_iii", true, true, true, true),
    dim("outcome", false, true, true, true),
    dim("status", false, true, false, true),
    dim("member_state", true, true, true, true),
    dim("function", true, true, true, true),
    dim("modality", true, true, true, true),
    dim("provider", false, true, false, true),
    dim("space", true, true, true, true),
    dim("purpose", true, true, true, true),
    dim("deployer_type", false, true, true, true),
    dim("legal_basis", false, false, true, true),
    dim("region", false, false, true, true),
    dim("municipality", false, false, true, true),
    dim("system_id", false, false, true, true),
    dim("timing", false, true, true, true),
    dim("registration_type", false, true, true, true),
    dim("section", false, true, true, false),
    dim("finding", true, true, true, false),
    dim("deployer", false, false, true, false),
    dim("dpia", false, false, true, false),
    dim("prior_consultation", false, false, true, false),
    dim("fria", false, false, true, false),
    dim("consent_alternative", false, false, true, false),
];

/// The definition of the dimension called `name`.
pub fn dim_def(name: &str) -> Option<&'static DimDef> {
    DIMS.iter().find(|d| d.name == name)
}

impl DimDef {
    /// Whether records of `kind` have this dimension.
    pub fn applies_to(&self, kind: RecordKind) -> bool {
        match kind {
            RecordKind::System => self.system,
            RecordKind::Deployment => self.deployment,
        }
    }
}
