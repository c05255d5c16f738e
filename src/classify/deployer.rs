//! Deployer duties that decide findings: Art. 26(10) authorisation of post
//! remote identification in criminal investigations, and Art. 27 fundamental
//! rights impact assessment. Both bind the use, so they are decided for
//! deployments and bare facts, never for a provider's system.

use std::borrow::Cow;
use std::fmt::Write;

use crate::domain::annex::AnnexIiiPoint;
use crate::domain::facts::{Authorisation, DeployerType, LawEnforcementObjective, Space, Timing};
use crate::domain::registration::DeploymentRegistrationType;

use super::result::{FindingCode, Severity};
use super::rule::{ai_act, code_or_unknown, flag, Because, Ctx, Derivation, Rule};
use super::subject::Subject;

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "art_26_10_post_rbi_authorisation",
        citation: ai_act!("Art. 26(10)"),
        apply: post_rbi_authorisation,
    },
    Rule {
        name: "art_27_fria_before_first_use",
        citation: ai_act!("Art. 27(1)"),
        apply: fria_before_first_use,
    },
];

/// Post remote identification by or for law enforcement. Unknown timing
/// outside publicly accessible spaces is read as post: Art. 5(1)(h) cannot
/// reach it there, and reading it as post keeps the authorisation duty.
fn post_le_rbi(ctx: &Ctx<'_>) -> Option<bool> {
    if !ctx.is_use || !ctx.rbi || !ctx.le_context {
        return None;
    }
    match ctx.bio.timing {
        Some(Timing::Post) => Some(false),
        None if !ctx.facts.spaces.is_empty() && !ctx.has_space(Space::PubliclyAccessible) => {
            Some(true)
        }
        _ => None,
    }
}

fn post_rbi_authorisation(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let timing_unknown = post_le_rbi(ctx)?;
    if timing_unknown {
        d.missing(
            "facts.biometric.timing",
            rule.citation,
            "identification by or for law enforcement outside publicly accessible spaces read as post, so \
             Art. 26(10) applies",
        );
    }
    let mut because = String::with_capacity(200);
    let _ = write!(
        because,
        "post remote identification by or for law enforcement; objective {}; authorisation {}",
        code_or_unknown(ctx.le.objective),
        code_or_unknown(ctx.le.authorisation),
    );
    if ctx.le.objective == Some(LawEnforcementObjective::InitialIdentification) {
        because.push_str(": initial identification of a potential suspect on objective facts needs no authorisation");
        return Some(Cow::Owned(because));
    }
    let message = "post remote biometric identification in a targeted search for a suspect or convicted person \
                   needs prior judicial or binding administrative authorisation, or a request within 48 hours";
    match ctx.le.authorisation {
        Some(Authorisation::Granted | Authorisation::RequestedWithinDeadline) => {
            because.push_str(": authorised as Art. 26(10) requires");
        }
        Some(Authorisation::Refused | Authorisation::None) => {
            d.finding(
                FindingCode::Art26_10AuthorisationMissing,
                Severity::Violation,
                rule.citation,
                message,
            );
            because.push_str(": used without the authorisation Art. 26(10) requires");
        }
        Some(Authorisation::Unknown) | None => {
            d.finding(
                FindingCode::Art26_10AuthorisationMissing,
                Severity::Warning,
                rule.citation,
                message,
            );
            d.missing(
                "facts.law_enforcement.authorisation",
                rule.citation,
                "read as not authorised, the stricter reading",
            );
            if ctx.le.objective.is_none() {
                d.missing(
                    "facts.law_enforcement.objective",
                    rule.citation,
                    "read as a targeted search needing authorisation, not an initial identification",
                );
            }
            because.push_str(": authorisation not shown, read as missing");
        }
    }
    Some(Cow::Owned(because))
}

/// Art. 27(1): public bodies (and private deployers of 5(b) and 5(c)
/// systems) assess fundamental rights before first use of an Annex III
/// high-risk system, point 2 excepted. A Section C registration is by
/// definition a public authority's.
fn fria_before_first_use(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let Subject::Deployment(dc) = ctx.subject else {
        return None;
    };
    if !d.practices.is_empty()
        || d.art_6_3.available
        || !d.points.iter().any(|p| *p != AnnexIiiPoint::P2)
        || d.has_finding(FindingCode::FriaMissing)
    {
        return None;
    }
    let public_body = dc.registration_type == DeploymentRegistrationType::AnnexViiiC
        || matches!(
            ctx.facts.deployer_type,
            Some(
                DeployerType::PublicAuthority
                    | DeployerType::LawEnforcementAuthority
                    | DeployerType::MigrationAuthority
            )
        );
    let credit_or_insurance = d.has_point(AnnexIiiPoint::P5B) || d.has_point(AnnexIiiPoint::P5C);
    if !public_body && !credit_or_insurance {
        return None;
    }
    let message = "a fundamental rights impact assessment is required before the first use of this high-risk system";
    match dc.fria_performed {
        Some(true) => {}
        Some(false) => d.finding(
            FindingCode::FriaMissing,
            Severity::Violation,
            rule.citation,
            message,
        ),
        None => {
            d.finding(
                FindingCode::FriaMissing,
                Severity::Warning,
                rule.citation,
                message,
            );
            d.missing(
                "fria_performed",
                rule.citation,
                "read as not performed, the stricter reading",
            );
        }
    }
    let mut because = String::from(if public_body {
        "a public body deploys an Annex III high-risk system"
    } else {
        "a deployer of an Annex III 5(b) or 5(c) system"
    });
    let _ = write!(because, "; fria_performed {}", flag(dc.fria_performed));
    Some(Cow::Owned(because))
}
