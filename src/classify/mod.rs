//! The classifier: facts in, classification out.
//!
//! Pure and deterministic: no I/O, no clock, no global state; the same input
//! always yields the same output, every list in a stable order. Each legal
//! source has its own file of named rules; [`classify`] runs them in the
//! order the law decides: Art. 2 scope first (an exclusion stops everything
//! but the rationale), then the Art. 3 definitions, Art. 5 prohibitions,
//! Annex III, Art. 6, Art. 50, the deployer duties of Art. 26 and 27, the
//! GDPR layer and finally the Art. 49 registration route.
//!
//! Where a fact that decides the outcome is absent, the rules take the
//! stricter reading and add a `missing_fact` finding naming the fact's path.

mod annex3;
mod art3;
mod art5;
mod art50;
mod art6_3;
mod deployer;
mod gdpr;
mod registration;
mod result;
mod rule;
mod scope;
mod subject;

use std::borrow::Cow;

pub use result::{
    Art63Assessment, Art63Reason, Classification, Finding, FindingCode, Outcome, RationaleLine,
    Registration, RegistrationBasis, Section, Severity, TransparencyObligation, FINDING_CODES,
};

use crate::domain::facts::Facts;
use rule::{Ctx, Derivation, Rule};
pub use subject::{DeploymentContext, Subject, SystemContext};

/// The version of the rules, stored with every classification so an auditor
/// can tell which rules produced it. Bump the suffix on any change of
/// outcome for the same facts.
pub const RULES_VERSION: &str = "2026.11-aiact-2024-1689+2026-1744-r1";

/// The rule tables after scope, in the order they run. Later tables read what
/// earlier ones derived (Art. 6(3) reads the points, registration reads the
/// outcome).
const PIPELINE: &[&[Rule]] = &[
    art3::RULES,
    art5::RULES,
    annex3::RULES,
    art6_3::RULES,
    art50::RULES,
    deployer::RULES,
    gdpr::RULES,
    registration::RULES,
];

/// Classifies `facts` as the `subject` describes them.
///
/// Never fails and never panics: every combination of facts has an answer,
/// with findings where facts are missing or contradict a claim.
pub fn classify(facts: &Facts, subject: &Subject) -> Classification {
    let ctx = Ctx::new(facts, subject);
    let mut d = Derivation::new();
    rule::run(scope::RULES, &ctx, &mut d);
    if d.out_of_scope {
        d.art_6_3.reason = Some(Art63Reason::OutOfScope);
        rule::run(registration::RULES, &ctx, &mut d);
    } else {
        for rules in PIPELINE {
            rule::run(rules, &ctx, &mut d);
        }
    }
    finish(d)
}

fn finish(mut d: Derivation) -> Classification {
    let outcome = d.outcome();
    d.points.sort_unstable();
    d.practices.sort_unstable();
    let transparency_obligations = if d.art_50_3 && outcome != Outcome::Prohibited {
        vec![TransparencyObligation::Art50_3]
    } else {
        Vec::new()
    };
    let registration = d.registration.unwrap_or(Registration {
        section: Section::Public,
        basis: RegistrationBasis::Art71,
    });
    Classification {
        rules_version: Cow::Borrowed(RULES_VERSION),
        outcome,
        prohibited_practices: d.practices,
        annex_iii_points: d.points,
        art_6_3: d.art_6_3,
        transparency_obligations,
        registration,
        findings: d.findings,
        rationale: d.rationale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Code;

    #[test]
    fn finding_codes_list_every_code_once() {
        let codes: Vec<&str> = FindingCode::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, FINDING_CODES);
    }

    #[test]
    fn rule_names_are_unique_snake_case_and_cited() {
        let mut names: Vec<&str> = Vec::new();
        for rules in std::iter::once(&scope::RULES).chain(PIPELINE.iter()) {
            for r in rules.iter() {
                assert!(!r.citation.is_empty(), "{} has no citation", r.name);
                assert!(
                    r.name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{} is not snake_case",
                    r.name
                );
                assert!(!names.contains(&r.name), "{} is defined twice", r.name);
                names.push(r.name);
            }
        }
    }
}
