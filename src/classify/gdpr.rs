//! The GDPR and Dutch layer a deployment is checked against: the legal ground
//! for processing biometric data (GDPR Art. 9, UAVG art. 29), consent that is
//! not free, the household exemption, and the DPIA.
//!
//! Only a deployment carries these facts (`legal_basis`, `consent`,
//! `employment_relationship`, `dpia`); systems and bare facts skip them.
//! Police work under the Law Enforcement Directive is outside the GDPR's
//! consent rules but still needs a DPIA (Directive (EU) 2016/680 Art. 27).

use std::borrow::Cow;
use std::fmt::Write;

use crate::domain::facts::{DataSubject, DeployerType, Purpose, Space};
use crate::domain::registration::LegalGround;

use super::result::{FindingCode, Severity};
use super::rule::{code_or_unknown, flag, gdpr, push_codes, Because, Ctx, Derivation, Rule};
use super::subject::{DeploymentContext, Subject};

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "gdpr_9_legal_ground_missing",
        citation: gdpr!("Art. 9(1)-(2)"),
        apply: legal_ground_missing,
    },
    Rule {
        name: "gdpr_2_2_c_household_exemption_not_personal",
        citation: gdpr!("Art. 2(2)(c), recital 18; CJEU C-212/13 Ryneš"),
        apply: household_exemption_not_personal,
    },
    Rule {
        name: "gdpr_9_2_a_consent_in_employment",
        citation: gdpr!("Art. 9(2)(a), Art. 4(11) and 7(4), recital 43"),
        apply: consent_in_employment,
    },
    Rule {
        name: "gdpr_9_2_a_consent_without_alternative",
        citation: gdpr!("Art. 9(2)(a), Art. 4(11) and 7(4), recital 42"),
        apply: consent_without_alternative,
    },
    Rule {
        name: "uavg_29_authentication_or_security_only",
        citation: "Uitvoeringswet AVG art. 29 (on Regulation (EU) 2016/679 Art. 9(2)(g)); \
                   https://wetten.overheid.nl/BWBR0040940",
        apply: uavg_29_authentication_or_security_only,
    },
    Rule {
        name: "gdpr_35_dpia_biometric_processing",
        citation: "Regulation (EU) 2016/679 Art. 35(1) and 35(3)(b)-(c), \
                   http://data.europa.eu/eli/reg/2016/679/oj; Directive (EU) 2016/680 Art. 27, \
                   http://data.europa.eu/eli/dir/2016/680/oj",
        apply: dpia_biometric_processing,
    },
];

/// Purposes UAVG art. 29 can carry: biometrics necessary for authentication
/// or security. Read narrowly, as the Dutch DPA does: not loss prevention (a
/// shop protecting its stock), not marketing, not worker management.
const UAVG_29_PURPOSES: &[Purpose] = &[
    Purpose::AccessControl,
    Purpose::Security,
    Purpose::DeviceUnlock,
];

fn deployment<'a>(ctx: &Ctx<'a>) -> Option<&'a DeploymentContext<'a>> {
    match ctx.subject {
        Subject::Deployment(dc) => Some(dc),
        _ => None,
    }
}

/// Biometric data processed to identify or verify a person uniquely, or to
/// infer a special category: GDPR Art. 9(1). The Dutch DPA reads verification
/// by face as unique identification too.
fn special_category(ctx: &Ctx<'_>) -> bool {
    ctx.identifies || ctx.verifies || (ctx.categorisation_system && ctx.sensitive)
}

fn legal_ground_missing(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let dc = deployment(ctx)?;
    if dc.legal_basis.is_some() || !special_category(ctx) {
        return None;
    }
    d.missing(
        "legal_basis.ground",
        rule.citation,
        "no ground of Art. 9(2) is shown for processing biometric data, which Art. 9(1) forbids without one",
    );
    Some(Cow::Borrowed(
        "biometric data processed for unique identification or a special category, and legal_basis.ground unknown",
    ))
}

fn household_exemption_not_personal(
    rule: &Rule,
    ctx: &Ctx<'_>,
    d: &mut Derivation,
) -> Option<Because> {
    let dc = deployment(ctx)?;
    if dc.legal_basis != Some(LegalGround::HouseholdExemption) {
        return None;
    }
    let organisation =
        matches!(ctx.facts.deployer_type, Some(t) if t != DeployerType::NaturalPerson);
    let public_space = ctx.has_space(Space::PubliclyAccessible);
    if !organisation && !public_space {
        return None;
    }
    let message = if organisation {
        "the household exemption covers only a natural person's purely personal or household activity, not an \
         organisation"
    } else {
        "a camera covering a publicly accessible space is not a purely personal or household activity"
    };
    d.finding(
        FindingCode::HouseholdExemptionNotPersonal,
        Severity::Violation,
        rule.citation,
        message,
    );
    let mut because = String::from("legal_basis.ground household_exemption; deployer_type ");
    because.push_str(code_or_unknown(ctx.facts.deployer_type));
    if public_space {
        because.push_str("; spaces include publicly_accessible");
    }
    Some(Cow::Owned(because))
}

fn consent_in_employment(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let dc = deployment(ctx)?;
    if dc.legal_basis != Some(LegalGround::Gdpr9_2AExplicitConsent) {
        return None;
    }
    let workers =
        ctx.has_subject(DataSubject::Employees) || ctx.has_subject(DataSubject::Contractors);
    match dc.employment_relationship {
        Some(true) => {}
        None if workers => d.missing(
            "employment_relationship",
            rule.citation,
            "subjects include employees or contractors, so read as an employment relationship",
        ),
        _ => return None,
    }
    d.finding(
        FindingCode::ConsentInEmployment,
        Severity::Warning,
        rule.citation,
        "explicit consent is relied on inside an employment relationship, where it is rarely freely given; \
         compulsory biometric access for staff needs another ground (UAVG art. 29's double necessity)",
    );
    let mut because =
        String::from("legal_basis.ground gdpr_9_2_a_explicit_consent; employment_relationship ");
    because.push_str(flag(dc.employment_relationship));
    if workers {
        because.push_str("; subjects ");
        push_codes(&mut because, &ctx.facts.subjects);
    }
    Some(Cow::Owned(because))
}

fn consent_without_alternative(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let dc = deployment(ctx)?;
    if dc.legal_basis != Some(LegalGround::Gdpr9_2AExplicitConsent)
        || dc.consent_alternative_offered == Some(true)
    {
        return None;
    }
    let message = "explicit consent is relied on without a real alternative for those who refuse; consent given \
                   under disadvantage is not freely given";
    if dc.consent_alternative_offered == Some(false) {
        d.finding(
            FindingCode::ConsentWithoutAlternative,
            Severity::Violation,
            rule.citation,
            message,
        );
    } else {
        d.finding(
            FindingCode::ConsentWithoutAlternative,
            Severity::Warning,
            rule.citation,
            message,
        );
        d.missing(
            "consent.alternative_offered",
            rule.citation,
            "read as no alternative offered, the stricter reading",
        );
    }
    let mut because = String::from(
        "legal_basis.ground gdpr_9_2_a_explicit_consent; consent.alternative_offered ",
    );
    because.push_str(flag(dc.consent_alternative_offered));
    Some(Cow::Owned(because))
}

fn uavg_29_authentication_or_security_only(
    rule: &Rule,
    ctx: &Ctx<'_>,
    d: &mut Derivation,
) -> Option<Because> {
    let dc = deployment(ctx)?;
    if dc.legal_basis != Some(LegalGround::Uavg29AuthenticationSecurity) {
        return None;
    }
    let purposes = &ctx.facts.purposes;
    let foreign: Vec<Purpose> = purposes
        .iter()
        .copied()
        .filter(|p| !UAVG_29_PURPOSES.contains(p))
        .collect();
    let unique_identification = ctx.identifies || ctx.verifies;
    let mut because = String::from("legal_basis.ground uavg_29_authentication_security; purposes ");
    if purposes.is_empty() {
        because.push_str("unknown");
    } else {
        push_codes(&mut because, purposes);
    }
    let unstated = purposes.is_empty();
    let finding: Option<(Severity, Cow<'static, str>)> = if !foreign.is_empty() {
        let mut message = String::from(
            "UAVG art. 29 allows biometrics only where necessary for authentication or security \
             (access_control, security, device_unlock); not for ",
        );
        push_codes(&mut message, &foreign);
        Some((Severity::Violation, Cow::Owned(message)))
    } else if !unique_identification && ctx.biometric && !ctx.bio.functions.is_empty() {
        Some((
            Severity::Violation,
            Cow::Borrowed(
                "UAVG art. 29 covers biometric data processed to identify a person uniquely, not \
                 categorisation or emotion recognition",
            ),
        ))
    } else if unstated {
        Some((
            Severity::Warning,
            Cow::Borrowed("UAVG art. 29 is relied on but the purposes are not stated"),
        ))
    } else {
        None
    };
    match finding {
        Some((severity, message)) => {
            d.finding(FindingCode::Uavg29Purpose, severity, rule.citation, message);
            if unstated {
                d.missing(
                    "facts.purposes",
                    rule.citation,
                    "read as not limited to authentication or security",
                );
            }
        }
        None => because.push_str(
            ": within authentication or security (necessity and proportionality remain to be shown)",
        ),
    }
    Some(Cow::Owned(because))
}

/// A DPIA is needed for biometric data used to identify or verify persons
/// uniquely (on the Dutch DPA's list of processing that always needs one),
/// for any Annex III biometric use, and for biometric monitoring of a
/// publicly accessible space (Art. 35(3)(c)). The household exemption takes
/// the processing outside the GDPR altogether.
fn dpia_biometric_processing(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let dc = deployment(ctx)?;
    if !ctx.biometric || dc.legal_basis == Some(LegalGround::HouseholdExemption) {
        return None;
    }
    let required = ctx.identifies
        || ctx.verifies
        || d.points.iter().any(|p| p.area() == 1)
        || (ctx.has_space(Space::PubliclyAccessible) && !ctx.bio.functions.is_empty());
    if !required {
        return None;
    }
    let citation: &'static str = if dc.legal_basis == Some(LegalGround::LawEnforcementDirective) {
        "Directive (EU) 2016/680 Art. 27; http://data.europa.eu/eli/dir/2016/680/oj"
    } else {
        gdpr!("Art. 35(1) and 35(3)(b)-(c)")
    };
    let message = "biometric processing of this kind needs a data protection impact assessment before it starts";
    match dc.dpia_performed {
        Some(true) => {}
        Some(false) => d.finding(
            FindingCode::DpiaMissing,
            Severity::Violation,
            citation,
            message,
        ),
        None => {
            d.finding(
                FindingCode::DpiaMissing,
                Severity::Warning,
                citation,
                message,
            );
            d.missing(
                "dpia.performed",
                rule.citation,
                "read as not performed, the stricter reading",
            );
        }
    }
    let mut because = String::with_capacity(96);
    let _ = write!(
        because,
        "biometric identification, verification, an Annex III biometric use or monitoring of a publicly \
         accessible space; dpia.performed {}",
        flag(dc.dpia_performed)
    );
    Some(Cow::Owned(because))
}
