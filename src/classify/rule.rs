//! The machinery every legal source shares: a rule, the facts as the rules
//! read them (with the Art. 3 definitions worked out once), and the
//! derivation the rules write into.

use std::borrow::Cow;
use std::fmt::Write;

use crate::domain::annex::{AnnexIiiPoint, ProhibitedPractice};
use crate::domain::facts::{
    Biometric, BiometricFunction, Comparison, DataSubject, DeployerType, Facts, InferredAttribute,
    LawEnforcement, Purpose, Space,
};
use crate::domain::registration::RegistrationType;
use crate::domain::Code;

use super::result::{
    Art63Assessment, Art63Reason, Finding, FindingCode, Outcome, RationaleLine, Registration,
    Severity,
};
use super::subject::Subject;

/// A citation of the AI Act, with its ELI.
macro_rules! ai_act {
    ($provision:literal) => {
        concat!(
            "Regulation (EU) 2024/1689 ",
            $provision,
            "; http://data.europa.eu/eli/reg/2024/1689/oj"
        )
    };
}
pub(crate) use ai_act;

/// A citation of the GDPR, with its ELI.
macro_rules! gdpr {
    ($provision:literal) => {
        concat!(
            "Regulation (EU) 2016/679 ",
            $provision,
            "; http://data.europa.eu/eli/reg/2016/679/oj"
        )
    };
}
pub(crate) use gdpr;

/// Why a rule fired: the facts that made it fire.
pub(crate) type Because = Cow<'static, str>;

/// A named legal rule: its name and citation are what the rationale shows.
///
/// `apply` decides whether the rule fires; when it does, it records its
/// effect (points, practices, findings) in the derivation and returns the
/// facts that made it fire, which become one rationale line.
pub(crate) struct Rule {
    pub name: &'static str,
    pub citation: &'static str,
    pub apply: fn(&Rule, &Ctx<'_>, &mut Derivation) -> Option<Because>,
}

/// Runs rules in order, adding one rationale line for each that fires.
pub(crate) fn run(rules: &[Rule], ctx: &Ctx<'_>, d: &mut Derivation) {
    for rule in rules {
        if let Some(because) = (rule.apply)(rule, ctx, d) {
            d.rationale.push(RationaleLine {
                rule: Cow::Borrowed(rule.name),
                citation: Cow::Borrowed(rule.citation),
                because,
            });
        }
    }
}

/// Subjects who are in the workplace or in education: Art. 5(1)(f) protects
/// them, job candidates included (recital 44 speaks of the imbalance of power
/// in work and education, which starts at recruitment).
pub(crate) const WORK_OR_EDUCATION_SUBJECTS: &[DataSubject] = &[
    DataSubject::Employees,
    DataSubject::Contractors,
    DataSubject::JobCandidates,
    DataSubject::Students,
];

/// Attributes Art. 5(1)(g) forbids deducing by biometric categorisation.
pub(crate) const ART_5_1_G_ATTRIBUTES: &[InferredAttribute] = &[
    InferredAttribute::Race,
    InferredAttribute::PoliticalOpinions,
    InferredAttribute::TradeUnionMembership,
    InferredAttribute::ReligiousBeliefs,
    InferredAttribute::SexLife,
    InferredAttribute::SexualOrientation,
];

/// Sensitive or protected attributes of Annex III 1(b): the Art. 5(1)(g)
/// list plus the other special categories of GDPR Art. 9(1).
///
/// Age and gender are left out, following the Commission's draft
/// guidelines: estimating them is not categorisation "according to
/// sensitive or protected attributes". This is contestable (Charter Art. 21
/// names sex and age among protected grounds) and is recorded as a decided
/// reading (`docs/legal-readings.md`, "High-risk: Annex III and Art. 6").
pub(crate) const SENSITIVE_ATTRIBUTES: &[InferredAttribute] = &[
    InferredAttribute::Race,
    InferredAttribute::EthnicOrigin,
    InferredAttribute::PoliticalOpinions,
    InferredAttribute::TradeUnionMembership,
    InferredAttribute::ReligiousBeliefs,
    InferredAttribute::SexLife,
    InferredAttribute::SexualOrientation,
    InferredAttribute::Health,
    InferredAttribute::Genetic,
];

/// The facts as the rules read them.
///
/// The Art. 3 definitions several sources share (identification, remote,
/// categorisation system, emotion recognition system, law-enforcement and
/// migration context) are worked out here once, so every rule reads them the
/// same way; `art3` explains them in the rationale.
pub(crate) struct Ctx<'a> {
    pub facts: &'a Facts,
    pub bio: &'a Biometric,
    pub le: &'a LawEnforcement,
    pub subject: &'a Subject<'a>,
    /// Art. 3(34): biometric data is processed. Unknown counts as yes when a
    /// function, modality, comparison or inferred attribute is named: each
    /// presupposes the data.
    pub biometric: bool,
    /// Art. 3(35): one-to-many, an identification function, or a watchlist
    /// search behind a check.
    pub identifies: bool,
    /// Art. 3(36): one-to-one or a verification function.
    pub verifies: bool,
    /// Art. 3(41): identification without the person's active involvement,
    /// or a check that also searches a watchlist (the person presents to be
    /// verified, not to be searched for). Unknown involvement counts as
    /// remote: the stricter reading.
    pub rbi: bool,
    /// A sensitive or protected attribute (Annex III 1(b)) is inferred.
    pub sensitive: bool,
    /// An Art. 5(1)(g) attribute is inferred.
    pub art_5_1_g_attribute: bool,
    /// Art. 3(40) ancillary exclusion claimed and accepted.
    pub ancillary_accepted: bool,
    /// Art. 3(40) ancillary exclusion claimed but rejected (see `art3`).
    pub ancillary_rejected: bool,
    /// A biometric categorisation system within Art. 3(40).
    pub categorisation_system: bool,
    /// An emotion recognition system within Art. 3(39).
    pub emotion_recognition: bool,
    /// Used by or for law enforcement (Art. 3(45), 3(46)).
    pub le_context: bool,
    /// Used by or for migration, asylum or border-control authorities.
    pub migration_context: bool,
    /// The facts describe a use (a deployment or a bare dry run), not the
    /// intended purpose of a system placed on the market. Deployer duties and
    /// per-use conditions are only decided for uses.
    pub is_use: bool,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(facts: &'a Facts, subject: &'a Subject<'a>) -> Self {
        let bio = facts.biometric();
        let has = |f: BiometricFunction| bio.functions.contains(&f);
        let biometric = match bio.uses_biometric_data {
            Some(b) => b,
            None => {
                !bio.functions.is_empty()
                    || !bio.modalities.is_empty()
                    || bio.comparison.is_some()
                    || !bio.inferred_attributes.is_empty()
            }
        };
        let identifies = biometric
            && (has(BiometricFunction::Identification)
                || bio.comparison == Some(Comparison::OneToMany)
                || bio.watchlist_check == Some(true));
        let verifies = biometric
            && (has(BiometricFunction::Verification)
                || bio.comparison == Some(Comparison::OneToOne));
        let rbi = identifies
            && (bio.watchlist_check == Some(true) || bio.active_involvement != Some(true));
        // Inferring an attribute assigns the person to a category, whether or
        // not the categorisation function is named.
        let categorises =
            has(BiometricFunction::Categorisation) || !bio.inferred_attributes.is_empty();
        let infers =
            |list: &[InferredAttribute]| bio.inferred_attributes.iter().any(|a| list.contains(a));
        let sensitive = infers(SENSITIVE_ATTRIBUTES);
        let art_5_1_g_attribute = infers(ART_5_1_G_ATTRIBUTES);
        let ancillary = categorises && bio.ancillary_feature == Some(true);
        let ancillary_rejected = ancillary && sensitive;
        let ancillary_accepted = ancillary && !sensitive;
        let categorisation_system = biometric && categorises && !ancillary_accepted;
        let emotion_recognition = biometric && has(BiometricFunction::EmotionRecognition);
        let purpose = |p: Purpose| facts.purposes.contains(&p);
        let le_context = facts.deployer_type == Some(DeployerType::LawEnforcementAuthority)
            || facts.on_behalf_of_law_enforcement == Some(true)
            || purpose(Purpose::LawEnforcement);
        let migration_context = facts.deployer_type == Some(DeployerType::MigrationAuthority)
            || purpose(Purpose::BorderControl)
            || purpose(Purpose::AsylumVisaResidence);
        let is_use = !matches!(subject, Subject::System(_));
        Ctx {
            facts,
            bio,
            le: facts.law_enforcement(),
            subject,
            biometric,
            identifies,
            verifies,
            rbi,
            sensitive,
            art_5_1_g_attribute,
            ancillary_accepted,
            ancillary_rejected,
            categorisation_system,
            emotion_recognition,
            le_context,
            migration_context,
            is_use,
        }
    }

    pub(crate) fn has_function(&self, f: BiometricFunction) -> bool {
        self.bio.functions.contains(&f)
    }

    pub(crate) fn has_purpose(&self, p: Purpose) -> bool {
        self.facts.purposes.contains(&p)
    }

    pub(crate) fn has_space(&self, s: Space) -> bool {
        self.facts.spaces.contains(&s)
    }

    pub(crate) fn has_subject(&self, s: DataSubject) -> bool {
        self.facts.subjects.contains(&s)
    }

    pub(crate) fn registration_type(&self) -> Option<RegistrationType> {
        match self.subject {
            Subject::System(s) => Some(s.registration_type),
            _ => None,
        }
    }

    /// The Annex III points the registrant declared (the provider's own
    /// claim; for a deployment, the system's). Empty when none.
    pub(crate) fn declared_points(&self) -> &'a [AnnexIiiPoint] {
        match self.subject {
            Subject::System(s) => s.declared_annex_iii,
            Subject::Deployment(d) => d.system_declared_annex_iii,
            Subject::Facts => &[],
        }
    }

    /// Appends the facts that place the use in a law-enforcement or
    /// migration context, each as "; name value", for the rationale.
    pub(crate) fn context_because(&self, out: &mut String) {
        let f = self.facts;
        if let Some(t) = f.deployer_type {
            let _ = write!(out, "; deployer_type {t}");
        }
        if f.on_behalf_of_law_enforcement == Some(true) {
            out.push_str("; on_behalf_of_law_enforcement true");
        }
        if !f.purposes.is_empty() {
            out.push_str("; purposes ");
            push_codes(out, &f.purposes);
        }
    }
}

/// What the rules have derived so far.
pub(crate) struct Derivation {
    pub out_of_scope: bool,
    pub national_security: bool,
    pub practices: Vec<ProhibitedPractice>,
    pub points: Vec<AnnexIiiPoint>,
    pub annex_i: bool,
    pub art_6_3: Art63Assessment,
    pub art_50_3: bool,
    pub registration: Option<Registration>,
    pub findings: Vec<Finding>,
    pub rationale: Vec<RationaleLine>,
    missing: Vec<&'static str>,
}

impl Derivation {
    pub(crate) fn new() -> Self {
        Derivation {
            out_of_scope: false,
            national_security: false,
            practices: Vec::new(),
            points: Vec::with_capacity(4),
            annex_i: false,
            art_6_3: Art63Assessment {
                claimed: false,
                available: false,
                reason: Some(Art63Reason::NotClaimed),
            },
            art_50_3: false,
            registration: None,
            findings: Vec::new(),
            rationale: Vec::with_capacity(8),
            missing: Vec::new(),
        }
    }

    /// Adds an Annex III point once.
    pub(crate) fn point(&mut self, p: AnnexIiiPoint) {
        if !self.points.contains(&p) {
            self.points.push(p);
        }
    }

    pub(crate) fn has_point(&self, p: AnnexIiiPoint) -> bool {
        self.points.contains(&p)
    }

    /// Records a prohibited practice and its violation finding.
    pub(crate) fn prohibit(
        &mut self,
        practice: ProhibitedPractice,
        citation: &'static str,
        message: &'static str,
    ) {
        if !self.practices.contains(&practice) {
            self.practices.push(practice);
            self.finding(
                FindingCode::ProhibitedPractice,
                Severity::Violation,
                citation,
                message,
            );
        }
    }

    pub(crate) fn finding(
        &mut self,
        code: FindingCode,
        severity: Severity,
        citation: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) {
        self.findings.push(Finding {
            code,
            severity,
            citation: Cow::Borrowed(citation),
            message: message.into(),
            pointers: Vec::new(),
        });
    }

    pub(crate) fn has_finding(&self, code: FindingCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// Records that the fact at `path` is absent and decided the outcome;
    /// `reading` says which reading was taken. Reported once per path.
    pub(crate) fn missing(&mut self, path: &'static str, citation: &'static str, reading: &str) {
        if self.missing.contains(&path) {
            return;
        }
        self.missing.push(path);
        let mut message = String::with_capacity(path.len() + reading.len() + 32);
        message.push_str(path);
        message.push_str(" is not given; ");
        message.push_str(reading);
        self.finding(
            FindingCode::MissingFact,
            Severity::Warning,
            citation,
            message,
        );
    }

    /// Whether the system is high-risk: an Annex I product (Art. 6(1)), or an
    /// Annex III point the Art. 6(3) derogation does not lift (Art. 6(2)).
    pub(crate) fn high_risk(&self) -> bool {
        self.annex_i || (!self.points.is_empty() && !self.art_6_3.available)
    }

    /// The most serious outcome that applies so far.
    pub(crate) fn outcome(&self) -> Outcome {
        if self.out_of_scope {
            Outcome::OutOfScope
        } else if !self.practices.is_empty() {
            Outcome::Prohibited
        } else if self.high_risk() {
            Outcome::HighRisk
        } else if self.art_50_3 {
            Outcome::TransparencyOnly
        } else {
            Outcome::NotHighRisk
        }
    }
}

/// Appends codes separated by commas.
pub(crate) fn push_codes<T: Code>(out: &mut String, codes: &[T]) {
    for (i, c) in codes.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(c.code());
    }
}

/// An optional code as text, "unknown" when absent.
pub(crate) fn code_or_unknown<T: Code>(v: Option<T>) -> &'static str {
    v.map_or("unknown", |c| c.code())
}

/// An optional flag as text, "unknown" when absent.
pub(crate) fn flag(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => "unknown",
    }
}

/// Describes the biometric facts that decide identification rules.
pub(crate) fn identification_because(ctx: &Ctx<'_>, out: &mut String) {
    let b = ctx.bio;
    out.push_str("functions ");
    if b.functions.is_empty() {
        out.push_str("none named");
    } else {
        push_codes(out, &b.functions);
    }
    let _ = write!(
        out,
        "; comparison {}; reference_database {}; watchlist_check {}; active_involvement {}; timing {}",
        code_or_unknown(b.comparison),
        code_or_unknown(b.reference_database),
        flag(b.watchlist_check),
        flag(b.active_involvement),
        code_or_unknown(b.timing),
    );
}
