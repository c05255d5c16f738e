//! What the classifier is asked about: the facts' subject and the
//! registration context the rules need.

use crate::domain::annex::AnnexIiiPoint;
use crate::domain::registration::{DeploymentRegistrationType, LegalGround, RegistrationType};

/// What the facts describe, with the registration context the rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    /// Facts alone (`POST /v1/classify` with `{"facts": ...}`): read as a use,
    /// so per-use conditions are decided.
    Facts,
    /// A provider's system registration (Annex VIII Section A or B): the facts
    /// are its intended purpose.
    System(SystemContext<'a>),
    /// A deployer's registration of a use (Section C or the national mapping).
    Deployment(DeploymentContext<'a>),
}

/// The registration context of a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemContext<'a> {
    /// Section A or B.
    pub registration_type: RegistrationType,
    /// The provider's own Annex III claim (`declared_annex_iii`).
    pub declared_annex_iii: &'a [AnnexIiiPoint],
}

/// The registration context of a deployment. The registry copies
/// `deployer.type` into `facts.deployer_type` before classifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeploymentContext<'a> {
    /// Section C or the national mapping.
    pub registration_type: DeploymentRegistrationType,
    /// `legal_basis.ground`.
    pub legal_basis: Option<LegalGround>,
    /// `consent.alternative_offered`.
    pub consent_alternative_offered: Option<bool>,
    /// `employment_relationship`.
    pub employment_relationship: Option<bool>,
    /// `dpia.performed`.
    pub dpia_performed: Option<bool>,
    /// `fria_performed`.
    pub fria_performed: Option<bool>,
    /// The deployed system's declared Annex III points; may be empty.
    pub system_declared_annex_iii: &'a [AnnexIiiPoint],
}
