//! The classification: what `classify` returns and the registry stores with
//! every version (`docs/legal-readings.md`, "What a classification
//! records").
//!
//! Every type reads back what it writes, so a stored result can be loaded and
//! compared; text fields are `Cow<'static, str>` so that fresh results borrow
//! the rule tables and only stored ones own their text.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::domain::annex::{AnnexIiiPoint, ProhibitedPractice};
use crate::domain::code_enum;

code_enum! {
    /// The most serious result that applies.
    pub enum Outcome {
        /// At least one Art. 5(1) practice applies.
        Prohibited = "prohibited",
        /// Annex III (not lifted by Art. 6(3)) or an Annex I product (Art. 6(1)).
        HighRisk = "high_risk",
        /// Neither prohibited nor high-risk, and no Art. 50(3) duty.
        NotHighRisk = "not_high_risk",
        /// Not high-risk, but Art. 50(3) applies.
        TransparencyOnly = "transparency_only",
        /// Excluded by Art. 2: nothing else is decided.
        OutOfScope = "out_of_scope",
    }
}

impl Outcome {
    /// Severity rank for comparing outcomes: out_of_scope 0, not_high_risk 1,
    /// transparency_only 2, high_risk 3, prohibited 4.
    ///
    /// Out of scope ranks lowest because it decides nothing; it is not a
    /// judgement that the system is harmless.
    pub fn rank(&self) -> u8 {
        match self {
            Outcome::OutOfScope => 0,
            Outcome::NotHighRisk => 1,
            Outcome::TransparencyOnly => 2,
            Outcome::HighRisk => 3,
            Outcome::Prohibited => 4,
        }
    }
}

code_enum! {
    /// How serious a finding is.
    pub enum Severity {
        /// For the record; nothing to do.
        Info = "info",
        /// Needs a look: a missing fact, a doubtful claim.
        Warning = "warning",
        /// The facts as given break a rule.
        Violation = "violation",
    }
}

code_enum! {
    /// The part of the database a record belongs in.
    pub enum Section {
        /// Secure non-public section (Art. 49(4)).
        NonPublic = "non_public",
        /// Public section (Art. 71(4)).
        Public = "public",
        /// National registration (Art. 49(5)), not the EU database.
        National = "national",
    }
}

code_enum! {
    /// The provision that places a record in its section.
    pub enum RegistrationBasis {
        /// Art. 49(1): provider of an Annex III high-risk system, Section A.
        Art49_1 = "art_49_1",
        /// Art. 49(2): provider relying on Art. 6(3), Section B.
        Art49_2 = "art_49_2",
        /// Art. 49(3): public-authority deployer, Section C.
        Art49_3 = "art_49_3",
        /// Art. 49(4): Annex III points 1, 6, 7 in law enforcement, migration,
        /// asylum or border control: non-public section.
        Art49_4 = "art_49_4",
        /// Art. 49(5): Annex III point 2, national registration.
        Art49_5 = "art_49_5",
        /// Art. 71(4): no Art. 49 duty; kept in the public section as part of
        /// the national mapping.
        Art71 = "art_71",
        /// Art. 2(3): outside the Act for national security or defence; kept
        /// out of the public section.
        Art2_3 = "art_2_3",
    }
}

code_enum! {
    /// A transparency obligation that applies.
    pub enum TransparencyObligation {
        /// Art. 50(3): inform persons exposed to emotion recognition or
        /// biometric categorisation.
        Art50_3 = "art_50_3",
    }
}

code_enum! {
    /// Why the Art. 6(3) derogation is or is not available.
    pub enum Art63Reason {
        /// The provider does not rely on Art. 6(3).
        NotClaimed = "not_claimed",
        /// Art. 2 excludes the system; nothing is decided.
        OutOfScope = "out_of_scope",
        /// No Annex III point applies: the derogation is not needed (the claim
        /// stands).
        NoAnnexIiiPoint = "no_annex_iii_point",
        /// An Art. 5 practice applies: no derogation lifts a prohibition.
        ProhibitedPractice = "prohibited_practice",
        /// High-risk under Art. 6(1), which Art. 6(3) does not touch.
        AnnexIProduct = "annex_i_product",
        /// Art. 6(3), third subparagraph: never available with profiling.
        Profiling = "profiling",
        /// Whether the system profiles is not given (the stricter reading).
        ProfilingNotStated = "profiling_not_stated",
        /// Annex III 1(a), 1(b) or 1(c): the function itself is the risk.
        ListedBiometricFunction = "listed_biometric_function",
        /// No condition of Art. 6(3)(a)-(d) is stated.
        NoConditionStated = "no_condition_stated",
    }
}

/// The Art. 6(3) assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Art63Assessment {
    /// The provider relies on Art. 6(3) (conditions stated, or Section B).
    pub claimed: bool,
    /// The system is not high-risk by the derogation (or needs none).
    pub available: bool,
    /// Why; `null` when a claimed derogation simply applies.
    pub reason: Option<Art63Reason>,
}

/// Where the record is registered, and on what basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The section.
    pub section: Section,
    /// The provision that places it there.
    pub basis: RegistrationBasis,
}

code_enum! {
    /// A finding's code: stable, counted per code by the overview.
    pub enum FindingCode {
        /// A prohibited practice applies (one finding per practice).
        ProhibitedPractice = "prohibited_practice",
        /// A fact that decides the outcome is absent; the stricter reading was
        /// taken. The message starts with the fact's path.
        MissingFact = "missing_fact",
        /// Declared Annex III points differ from the derived ones.
        DeclaredAnnexIiiMismatch = "declared_annex_iii_mismatch",
        /// Art. 6(3) is claimed but not available.
        Art63Unavailable = "art_6_3_unavailable",
        /// Registered under Section B, but the system is high-risk.
        SectionBButHighRisk = "section_b_but_high_risk",
        /// An Art. 2 exclusion is relied on but does not apply.
        ScopeExclusionRejected = "scope_exclusion_rejected",
        /// An ancillary-feature claim (Art. 3(40)) is not accepted.
        AncillaryFeatureRejected = "ancillary_feature_rejected",
        /// Art. 5(1)(h): the objective is none of (i)-(iii).
        Art5_1HObjectiveNotListed = "art_5_1_h_objective_not_listed",
        /// Art. 5(3): no prior judicial or independent authorisation.
        Art5_3AuthorisationMissing = "art_5_3_authorisation_missing",
        /// Art. 5(5): no national law opts in to real-time identification.
        Art5_5NationalLawMissing = "art_5_5_national_law_missing",
        /// Art. 5(1)(h) conditions are decided per use, not per system.
        Art5_1HConditionsPerUse = "art_5_1_h_conditions_per_use",
        /// Art. 26(10): post identification in a targeted search without
        /// authorisation.
        Art26_10AuthorisationMissing = "art_26_10_authorisation_missing",
        /// Art. 27 (and Art. 5(2)): no fundamental rights impact assessment.
        FriaMissing = "fria_missing",
        /// Explicit consent as the ground inside an employment relationship.
        ConsentInEmployment = "consent_in_employment",
        /// Explicit consent as the ground without a real alternative.
        ConsentWithoutAlternative = "consent_without_alternative",
        /// UAVG art. 29 relied on for a purpose beyond authentication or security.
        Uavg29Purpose = "uavg_29_purpose",
        /// The household exemption relied on where it cannot apply.
        HouseholdExemptionNotPersonal = "household_exemption_not_personal",
        /// Biometric processing without a DPIA.
        DpiaMissing = "dpia_missing",
        /// Items of a non-public registration that Art. 49(4) does not let
        /// the registry keep were dropped before the write.
        NonPublicItemsDropped = "non_public_items_dropped",
    }
}

/// Every finding code, in the order the overview lists them.
pub const FINDING_CODES: &[&str] = &[
    "prohibited_practice",
    "missing_fact",
    "declared_annex_iii_mismatch",
    "art_6_3_unavailable",
    "section_b_but_high_risk",
    "scope_exclusion_rejected",
    "ancillary_feature_rejected",
    "art_5_1_h_objective_not_listed",
    "art_5_3_authorisation_missing",
    "art_5_5_national_law_missing",
    "art_5_1_h_conditions_per_use",
    "art_26_10_authorisation_missing",
    "fria_missing",
    "consent_in_employment",
    "consent_without_alternative",
    "uavg_29_purpose",
    "household_exemption_not_personal",
    "dpia_missing",
    "non_public_items_dropped",
];

/// Something the registry should show next to the classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable code, one of [`FINDING_CODES`].
    pub code: FindingCode,
    /// How serious it is.
    pub severity: Severity,
    /// The provision it rests on.
    pub citation: Cow<'static, str>,
    /// What was found, in plain words.
    pub message: Cow<'static, str>,
    /// The JSON pointers of the document fields it concerns, where it
    /// concerns particular fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pointers: Vec<String>,
}

/// One rule that fired, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RationaleLine {
    /// The rule's stable name.
    pub rule: Cow<'static, str>,
    /// The provision it applies.
    pub citation: Cow<'static, str>,
    /// The facts that made it fire.
    pub because: Cow<'static, str>,
}

/// The result of classifying facts (`docs/legal-readings.md`, "What a
/// classification records").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// The rules that produced this result ([`super::RULES_VERSION`] when fresh).
    pub rules_version: Cow<'static, str>,
    /// The most serious outcome that applies.
    pub outcome: Outcome,
    /// Prohibited practices, in article order.
    pub prohibited_practices: Vec<ProhibitedPractice>,
    /// Annex III points, in annex order; listed even when prohibited.
    pub annex_iii_points: Vec<AnnexIiiPoint>,
    /// The Art. 6(3) assessment.
    pub art_6_3: Art63Assessment,
    /// Transparency duties; empty when prohibited (the duty is moot).
    pub transparency_obligations: Vec<TransparencyObligation>,
    /// Where the record belongs.
    pub registration: Registration,
    /// Findings, in the order the rules ran.
    pub findings: Vec<Finding>,
    /// The rules that fired, in the order they ran.
    pub rationale: Vec<RationaleLine>,
}

impl Classification {
    /// Whether a finding with this code is present.
    pub fn has_finding(&self, code: FindingCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// Whether the rule of this name fired.
    pub fn rule_fired(&self, rule: &str) -> bool {
        self.rationale.iter().any(|r| r.rule == rule)
    }
}
