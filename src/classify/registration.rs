//! Art. 49 and 71: which section of the database a record belongs in. The
//! routes are tried in order and the first that fires decides.
//!
//! Records no Art. 49 duty requires (a system that is not high-risk, a
//! private deployer's use, an Annex I product registered under its own
//! legislation, an out-of-scope research system) still sit in the registry as
//! the national mapping; they go to the public section on the basis of
//! Art. 71(4), which makes the database public by default. National security
//! uses outside the Act (Art. 2(3)) are kept out of the public section: the
//! public part must never reveal them.

use std::borrow::Cow;

use crate::domain::annex::AnnexIiiPoint;
use crate::domain::facts::DeployerType;
use crate::domain::registration::DeploymentRegistrationType;

use super::result::{Registration, RegistrationBasis, Section};
use super::rule::{ai_act, Because, Ctx, Derivation, Rule};
use super::subject::Subject;

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "art_2_3_kept_out_of_public_section",
        citation: ai_act!("Art. 2(3), Art. 71(4)"),
        apply: national_security,
    },
    Rule {
        name: "art_71_out_of_scope_public_section",
        citation: ai_act!("Art. 2, Art. 71(4)"),
        apply: out_of_scope,
    },
    Rule {
        name: "art_49_4_non_public_section",
        citation: ai_act!("Art. 49(4)"),
        apply: non_public_section,
    },
    Rule {
        name: "art_49_5_national_registration",
        citation: ai_act!("Art. 49(5)"),
        apply: national_registration,
    },
    Rule {
        name: "art_49_2_section_b",
        citation: ai_act!("Art. 49(2), Art. 6(4), Annex VIII Section B"),
        apply: section_b,
    },
    Rule {
        name: "art_49_1_section_a",
        citation: ai_act!("Art. 49(1), Annex VIII Section A"),
        apply: section_a,
    },
    Rule {
        name: "art_49_3_section_c",
        citation: ai_act!("Art. 49(3), Annex VIII Section C"),
        apply: section_c,
    },
    Rule {
        name: "art_71_public_no_registration_duty",
        citation: ai_act!("Art. 71(4)"),
        apply: public_no_registration_duty,
    },
];

fn route(
    d: &mut Derivation,
    section: Section,
    basis: RegistrationBasis,
    because: &'static str,
) -> Option<Because> {
    d.registration = Some(Registration { section, basis });
    Some(Cow::Borrowed(because))
}

fn national_security(_: &Rule, _: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if d.registration.is_some() || !d.out_of_scope || !d.national_security {
        return None;
    }
    route(
        d,
        Section::NonPublic,
        RegistrationBasis::Art2_3,
        "out of scope as military, defence or national security use: kept out of the public section",
    )
}

fn out_of_scope(_: &Rule, _: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if d.registration.is_some() || !d.out_of_scope {
        return None;
    }
    route(
        d,
        Section::Public,
        RegistrationBasis::Art71,
        "out of scope under Art. 2: no registration duty; public as part of the national mapping",
    )
}

fn non_public_section(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if d.registration.is_some()
        || !(ctx.le_context || ctx.migration_context)
        || !d.points.iter().any(|p| matches!(p.area(), 1 | 6 | 7))
    {
        return None;
    }
    route(
        d,
        Section::NonPublic,
        RegistrationBasis::Art49_4,
        "an Annex III point of area 1, 6 or 7 in law enforcement, migration, asylum or border control",
    )
}

fn national_registration(_: &Rule, _: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if d.registration.is_some() || !d.has_point(AnnexIiiPoint::P2) {
        return None;
    }
    route(
        d,
        Section::National,
        RegistrationBasis::Art49_5,
        "Annex III point 2 (critical infrastructure): registered nationally, not in the EU database",
    )
}

fn section_b(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if d.registration.is_some()
        || matches!(ctx.subject, Subject::Deployment(_))
        || !d.art_6_3.claimed
        || !d.art_6_3.available
        || d.high_risk()
        || !d.practices.is_empty()
    {
        return None;
    }
    route(
        d,
        Section::Public,
        RegistrationBasis::Art49_2,
        "the provider relies on Art. 6(3) and the derogation holds (or is not needed): Section B",
    )
}

fn annex_iii_high_risk(d: &Derivation) -> bool {
    !d.points.is_empty() && !d.art_6_3.available
}

fn section_a(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if d.registration.is_some()
        || matches!(ctx.subject, Subject::Deployment(_))
        || !annex_iii_high_risk(d)
    {
        return None;
    }
    route(
        d,
        Section::Public,
        RegistrationBasis::Art49_1,
        "an Annex III high-risk system placed on the market: Section A",
    )
}

fn section_c(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let Subject::Deployment(dc) = ctx.subject else {
        return None;
    };
    let public_body = dc.registration_type == DeploymentRegistrationType::AnnexViiiC
        || matches!(
            ctx.facts.deployer_type,
            Some(
                DeployerType::PublicAuthority
                    | DeployerType::LawEnforcementAuthority
                    | DeployerType::MigrationAuthority
            )
        );
    if d.registration.is_some() || !public_body || !annex_iii_high_risk(d) {
        return None;
    }
    route(
        d,
        Section::Public,
        RegistrationBasis::Art49_3,
        "a public authority deploys an Annex III high-risk system: Section C",
    )
}

fn public_no_registration_duty(_: &Rule, _: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if d.registration.is_some() {
        return None;
    }
    route(
        d,
        Section::Public,
        RegistrationBasis::Art71,
        "no Art. 49 duty applies: public as part of the national mapping",
    )
}
