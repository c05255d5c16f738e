//! Art. 6 beyond the Annex III listing: the Annex I route of Art. 6(1) and
//! the Art. 6(3) derogation, with the Section B check that follows from it.
//!
//! Art. 6(3) is assessed only when claimed (conditions stated, or a Section B
//! registration). It is never available:
//! - with profiling (Art. 6(3), third subparagraph);
//! - for Annex III 1(a), 1(b) or 1(c). The text does not carve them out, but
//!   6(3) needs a system that poses no significant risk and does not
//!   materially influence decisions. Identifying a person, sorting a person
//!   by a sensitive attribute or reading a person's emotions is itself the
//!   output that bears on the person, and it evaluates personal aspects
//!   (behaviour, location, health), which is profiling within Art. 3(52) and
//!   GDPR Art. 4(4). The registry names "a listed biometric function" as a
//!   reason the derogation is unavailable (`docs/legal-readings.md`, "The
//!   Art. 6(3) derogation");
//! - against a prohibition, which no derogation lifts, nor for an Annex I
//!   product, which Art. 6(3) does not concern.

use std::borrow::Cow;
use std::fmt::Write;

use crate::domain::annex::AnnexIiiPoint;
use crate::domain::registration::RegistrationType;

use super::result::{Art63Assessment, Art63Reason, FindingCode, Outcome, Severity};
use super::rule::{ai_act, flag, push_codes, Because, Ctx, Derivation, Rule};

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "art_6_1_annex_i_product",
        citation: ai_act!("Art. 6(1), Annex I"),
        apply: annex_i_product,
    },
    Rule {
        name: "art_6_3_derogation_applies",
        citation: ai_act!("Art. 6(3)-(4)"),
        apply: derogation_applies,
    },
    Rule {
        name: "art_6_3_not_needed",
        citation: ai_act!("Art. 6(2)-(3)"),
        apply: not_needed,
    },
    Rule {
        name: "art_6_3_derogation_unavailable",
        citation: ai_act!("Art. 6(3)"),
        apply: derogation_unavailable,
    },
    Rule {
        name: "art_49_2_section_b_but_high_risk",
        citation: ai_act!("Art. 6(3)-(4), Art. 49(2), Art. 80"),
        apply: section_b_but_high_risk,
    },
];

fn annex_i_product(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if ctx.facts.annex_i_product != Some(true) {
        return None;
    }
    d.annex_i = true;
    Some(Cow::Borrowed(
        "annex_i_product true: a safety component of, or itself, a product under Annex I legislation \
         (high-risk where that legislation requires third-party conformity assessment; read as such)",
    ))
}

fn claimed(ctx: &Ctx<'_>) -> bool {
    !ctx.facts.art_6_3_conditions.is_empty()
        || ctx.registration_type() == Some(RegistrationType::AnnexViiiB)
}

fn assess(ctx: &Ctx<'_>, d: &Derivation) -> Art63Assessment {
    let claimed = claimed(ctx);
    let verdict = |available: bool, reason: Option<Art63Reason>| Art63Assessment {
        claimed,
        available,
        reason,
    };
    if !claimed {
        return verdict(false, Some(Art63Reason::NotClaimed));
    }
    if !d.practices.is_empty() {
        return verdict(false, Some(Art63Reason::ProhibitedPractice));
    }
    if d.annex_i {
        return verdict(false, Some(Art63Reason::AnnexIProduct));
    }
    if d.points.is_empty() {
        return verdict(true, Some(Art63Reason::NoAnnexIiiPoint));
    }
    if ctx.facts.profiling == Some(true) {
        return verdict(false, Some(Art63Reason::Profiling));
    }
    if d.points.iter().any(|p| p.area() == 1) {
        return verdict(false, Some(Art63Reason::ListedBiometricFunction));
    }
    if ctx.facts.art_6_3_conditions.is_empty() {
        return verdict(false, Some(Art63Reason::NoConditionStated));
    }
    if ctx.facts.profiling.is_none() {
        return verdict(false, Some(Art63Reason::ProfilingNotStated));
    }
    verdict(true, None)
}

fn assessment_because(ctx: &Ctx<'_>, d: &Derivation) -> String {
    let mut because = String::from("art_6_3_conditions ");
    if ctx.facts.art_6_3_conditions.is_empty() {
        because.push_str("none");
    } else {
        push_codes(&mut because, &ctx.facts.art_6_3_conditions);
    }
    if let Some(t) = ctx.registration_type() {
        let _ = write!(because, "; registration_type {t}");
    }
    let _ = write!(
        because,
        "; profiling {}; annex_iii_points ",
        flag(ctx.facts.profiling)
    );
    if d.points.is_empty() {
        because.push_str("none");
    } else {
        let mut points: Vec<AnnexIiiPoint> = d.points.clone();
        points.sort_unstable();
        push_codes(&mut because, &points);
    }
    because
}

fn derogation_applies(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let a = assess(ctx, d);
    if !(a.available && a.reason.is_none()) {
        return None;
    }
    let mut because = assessment_because(ctx, d);
    because.push_str(
        ": a condition of Art. 6(3)(a)-(d) holds without profiling, so not high-risk (Section B)",
    );
    d.art_6_3 = a;
    Some(Cow::Owned(because))
}

fn not_needed(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let a = assess(ctx, d);
    if a.reason != Some(Art63Reason::NoAnnexIiiPoint) {
        return None;
    }
    let mut because = assessment_because(ctx, d);
    because.push_str(": no Annex III point applies, so the derogation is not needed");
    d.art_6_3 = a;
    Some(Cow::Owned(because))
}

fn derogation_unavailable(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let a = assess(ctx, d);
    if !a.claimed || a.available {
        return None;
    }
    if a.reason == Some(Art63Reason::ProfilingNotStated) {
        d.missing(
            "facts.profiling",
            rule.citation,
            "read as profiling, the stricter reading",
        );
    }
    let mut because = assessment_because(ctx, d);
    because.push_str(": not available, reason ");
    because.push_str(a.reason.map_or("", |r| r.as_str()));
    let mut message = String::from("Art. 6(3) is claimed but not available: ");
    message.push_str(match a.reason {
        Some(Art63Reason::ProhibitedPractice) => "a prohibited practice applies, which no derogation lifts",
        Some(Art63Reason::AnnexIProduct) => "high-risk as an Annex I product under Art. 6(1), which 6(3) does not touch",
        Some(Art63Reason::Profiling) => "the system profiles natural persons",
        Some(Art63Reason::ProfilingNotStated) => "whether the system profiles natural persons is not stated",
        Some(Art63Reason::ListedBiometricFunction) => {
            "remote identification, sensitive categorisation or emotion recognition is itself the significant risk"
        }
        _ => "no condition of Art. 6(3)(a)-(d) is stated",
    });
    d.finding(
        FindingCode::Art63Unavailable,
        Severity::Warning,
        rule.citation,
        message,
    );
    d.art_6_3 = a;
    Some(Cow::Owned(because))
}

fn section_b_but_high_risk(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let outcome = d.outcome();
    if ctx.registration_type() != Some(RegistrationType::AnnexViiiB)
        || !matches!(outcome, Outcome::HighRisk | Outcome::Prohibited)
    {
        return None;
    }
    let message = "registered under Annex VIII Section B (Art. 6(3)), but the facts make the system high-risk: it \
                   belongs in Section A (Art. 49(1)) with a conformity assessment";
    d.finding(
        FindingCode::SectionBButHighRisk,
        Severity::Violation,
        rule.citation,
        message,
    );
    let mut because = String::from("registration_type annex_viii_b; outcome ");
    because.push_str(outcome.as_str());
    Some(Cow::Owned(because))
}
