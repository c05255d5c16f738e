//! Art. 2: what the AI Act does not cover. An accepted exclusion makes the
//! outcome `out_of_scope` and nothing else is decided; a claimed exclusion
//! the other facts contradict is rejected with a finding and classification
//! goes on (the stricter reading).

use std::borrow::Cow;

use crate::domain::facts::{DeployerType, Purpose, ScopeExclusion};

use super::result::{FindingCode, Severity};
use super::rule::{ai_act, push_codes, Because, Ctx, Derivation, Rule};
use super::subject::Subject;

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "art_2_3_military_defence_national_security",
        citation: ai_act!("Art. 2(3)"),
        apply: military_defence_national_security,
    },
    Rule {
        name: "art_2_6_scientific_research_only",
        citation: ai_act!("Art. 2(6)"),
        apply: scientific_research_only,
    },
    Rule {
        name: "art_2_8_pre_market_research",
        citation: ai_act!("Art. 2(8)"),
        apply: pre_market_research,
    },
    Rule {
        name: "art_2_10_personal_non_professional",
        citation: ai_act!("Art. 2(10)"),
        apply: personal_non_professional,
    },
];

/// Purposes compatible with an exclusively military, defence or national
/// security use: Art. 2(3) applies "exclusively", and a system also used for
/// civilian or law-enforcement ends is in scope for those.
const NATIONAL_SECURITY_PURPOSES: &[Purpose] =
    &[Purpose::Military, Purpose::Security, Purpose::Other];

/// Purposes compatible with "the sole purpose of scientific research and
/// development" (Art. 2(6)).
const RESEARCH_PURPOSES: &[Purpose] =
    &[Purpose::Research, Purpose::DatasetCuration, Purpose::Other];

fn military_defence_national_security(
    rule: &Rule,
    ctx: &Ctx<'_>,
    d: &mut Derivation,
) -> Option<Because> {
    if ctx.facts.scope_exclusion != Some(ScopeExclusion::MilitaryDefenceNationalSecurity) {
        return None;
    }
    let because = exclusive(
        rule,
        ctx,
        d,
        NATIONAL_SECURITY_PURPOSES,
        "exclusively military, defence or national security use",
    );
    d.national_security = d.out_of_scope;
    because
}

fn scientific_research_only(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if ctx.facts.scope_exclusion != Some(ScopeExclusion::ScientificResearchOnly) {
        return None;
    }
    exclusive(
        rule,
        ctx,
        d,
        RESEARCH_PURPOSES,
        "sole purpose of scientific research and development",
    )
}

/// Accepts the exclusion when every stated purpose fits it.
fn exclusive(
    rule: &Rule,
    ctx: &Ctx<'_>,
    d: &mut Derivation,
    allowed: &[Purpose],
    what: &'static str,
) -> Option<Because> {
    let foreign: Vec<Purpose> = ctx
        .facts
        .purposes
        .iter()
        .copied()
        .filter(|p| !allowed.contains(p))
        .collect();
    if foreign.is_empty() {
        d.out_of_scope = true;
        let mut because = String::from("scope_exclusion ");
        because.push_str(ctx.facts.scope_exclusion.map_or("", |s| s.as_str()));
        because.push_str(": ");
        because.push_str(what);
        if !ctx.facts.purposes.is_empty() {
            because.push_str("; purposes ");
            push_codes(&mut because, &ctx.facts.purposes);
        }
        return Some(Cow::Owned(because));
    }
    let mut message = String::from("the exclusion needs ");
    message.push_str(what);
    message.push_str(", but purposes include ");
    push_codes(&mut message, &foreign);
    message.push_str("; classified as in scope");
    d.finding(
        FindingCode::ScopeExclusionRejected,
        Severity::Warning,
        rule.citation,
        message.clone(),
    );
    Some(Cow::Owned(message))
}

fn pre_market_research(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if ctx.facts.scope_exclusion != Some(ScopeExclusion::PreMarketResearch) {
        return None;
    }
    d.out_of_scope = true;
    Some(Cow::Borrowed(
        "scope_exclusion pre_market_research: research, testing or development before placing on the \
         market or putting into service (testing in real-world conditions is not excluded)",
    ))
}

/// Art. 2(10) relieves deployers who are natural persons in a purely personal
/// activity. It does not relieve the provider of the system, nor a deployer
/// that is an organisation.
fn personal_non_professional(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if ctx.facts.scope_exclusion != Some(ScopeExclusion::PersonalNonProfessional) {
        return None;
    }
    if matches!(ctx.subject, Subject::System(_)) {
        let message = "scope_exclusion personal_non_professional: Art. 2(10) relieves only deployers who are \
                       natural persons; the provider placing the system on the market stays bound";
        d.finding(
            FindingCode::ScopeExclusionRejected,
            Severity::Info,
            rule.citation,
            message,
        );
        return Some(Cow::Borrowed(message));
    }
    match ctx.facts.deployer_type {
        Some(DeployerType::NaturalPerson) | None => {
            d.out_of_scope = true;
            Some(Cow::Borrowed(
                "scope_exclusion personal_non_professional: a natural person's purely personal, \
                 non-professional use",
            ))
        }
        Some(other) => {
            let message = format!(
                "scope_exclusion personal_non_professional, but deployer_type {other}: Art. 2(10) covers \
                 only natural persons; classified as in scope"
            );
            d.finding(
                FindingCode::ScopeExclusionRejected,
                Severity::Warning,
                rule.citation,
                message.clone(),
            );
            Some(Cow::Owned(message))
        }
    }
}
