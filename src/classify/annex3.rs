//! Annex III: every point the facts can reach, and the declared points they
//! cannot.
//!
//! The vocabulary reaches 1(a)-(c), 3(b), 3(d), 4(a), 4(b), 6(b), 6(d), 6(e)
//! and 7(a)-(d). Points 2, 3(a), 3(c), 5(a)-(d), 6(a), 6(c) and 8 need facts
//! the vocabulary does not carry; a provider's declaration of one of them is
//! accepted as it stands (the stricter reading: it can only make a system
//! high-risk), and never reported as a mismatch.

use std::borrow::Cow;

use crate::domain::annex::AnnexIiiPoint;
use crate::domain::facts::{BiometricFunction, DataSubject, Purpose, ReferenceDatabase};

use super::result::{FindingCode, Severity};
use super::rule::{ai_act, identification_because, push_codes, Because, Ctx, Derivation, Rule};
use super::subject::Subject;

use AnnexIiiPoint as P;

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "annex_iii_1_a_remote_biometric_identification",
        citation: ai_act!("Art. 6(2), Annex III point 1(a)"),
        apply: remote_biometric_identification,
    },
    Rule {
        name: "annex_iii_1_b_sensitive_categorisation",
        citation: ai_act!("Art. 6(2), Annex III point 1(b)"),
        apply: sensitive_categorisation,
    },
    Rule {
        name: "annex_iii_1_b_attributes_not_sensitive",
        citation: ai_act!("Annex III point 1(b)"),
        apply: attributes_not_sensitive,
    },
    Rule {
        name: "annex_iii_1_c_emotion_recognition",
        citation: ai_act!("Art. 6(2), Annex III point 1(c)"),
        apply: emotion_recognition,
    },
    Rule {
        name: "annex_iii_3_b_learning_outcomes",
        citation: ai_act!("Art. 6(2), Annex III point 3(b)"),
        apply: learning_outcomes,
    },
    Rule {
        name: "annex_iii_3_d_exam_proctoring",
        citation: ai_act!("Art. 6(2), Annex III point 3(d)"),
        apply: exam_proctoring,
    },
    Rule {
        name: "annex_iii_3_d_identity_check_is_not_monitoring",
        citation: ai_act!("Annex III point 3(d), Art. 3(36)"),
        apply: identity_check_is_not_monitoring,
    },
    Rule {
        name: "annex_iii_4_a_recruitment",
        citation: ai_act!("Art. 6(2), Annex III point 4(a)"),
        apply: recruitment,
    },
    Rule {
        name: "annex_iii_4_b_worker_management",
        citation: ai_act!("Art. 6(2), Annex III point 4(b)"),
        apply: worker_management,
    },
    Rule {
        name: "annex_iii_6_b_polygraph_law_enforcement",
        citation: ai_act!("Art. 6(2), Annex III point 6(b)"),
        apply: polygraph_law_enforcement,
    },
    Rule {
        name: "annex_iii_6_d_offending_risk_law_enforcement",
        citation: ai_act!("Art. 6(2), Annex III point 6(d)"),
        apply: offending_risk_law_enforcement,
    },
    Rule {
        name: "annex_iii_6_e_profiling_law_enforcement",
        citation: ai_act!("Art. 6(2), Annex III point 6(e)"),
        apply: profiling_law_enforcement,
    },
    Rule {
        name: "annex_iii_7_a_polygraph_migration",
        citation: ai_act!("Art. 6(2), Annex III point 7(a)"),
        apply: polygraph_migration,
    },
    Rule {
        name: "annex_iii_7_b_migration_risk",
        citation: ai_act!("Art. 6(2), Annex III point 7(b)"),
        apply: migration_risk,
    },
    Rule {
        name: "annex_iii_7_d_identification_migration",
        citation: ai_act!("Art. 6(2), Annex III point 7(d)"),
        apply: identification_migration,
    },
    Rule {
        name: "annex_iii_7_d_travel_document_verification_excepted",
        citation: ai_act!("Annex III point 7(d)"),
        apply: travel_document_verification_excepted,
    },
    Rule {
        name: "annex_iii_7_c_application_examination",
        citation: ai_act!("Art. 6(2), Annex III point 7(c)"),
        apply: application_examination,
    },
    Rule {
        name: "annex_iii_declared_point_beyond_facts",
        citation: ai_act!("Art. 6(2), Annex III"),
        apply: declared_point_beyond_facts,
    },
    Rule {
        name: "annex_iii_declared_points_differ",
        citation: ai_act!("Art. 6(2), Annex III; Annex VIII Section A point 5"),
        apply: declared_points_differ,
    },
];

/// Points the facts vocabulary cannot decide.
const BEYOND_FACTS: &[AnnexIiiPoint] = &[
    P::P2,
    P::P3A,
    P::P3C,
    P::P5A,
    P::P5B,
    P::P5C,
    P::P5D,
    P::P6A,
    P::P6C,
    P::P8A,
    P::P8B,
];

fn remote_biometric_identification(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.rbi {
        return None;
    }
    d.point(P::P1A);
    let mut because = String::with_capacity(200);
    identification_because(ctx, &mut because);
    because.push_str(if ctx.bio.watchlist_check == Some(true) {
        ": the check searches a watchlist, identifying persons who did not present for it"
    } else {
        ": identifies persons without their active involvement, in real time or afterwards, in any space"
    });
    Some(Cow::Owned(because))
}

fn sensitive_categorisation(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.categorisation_system || !ctx.sensitive {
        return None;
    }
    d.point(P::P1B);
    let mut because = String::from("biometric categorisation inferring ");
    push_codes(&mut because, &ctx.bio.inferred_attributes);
    because.push_str(": a sensitive or protected attribute");
    Some(Cow::Owned(because))
}

fn attributes_not_sensitive(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    if !ctx.categorisation_system || ctx.sensitive {
        return None;
    }
    let mut because = String::from("biometric categorisation inferring ");
    if ctx.bio.inferred_attributes.is_empty() {
        because.push_str("no named attribute");
    } else {
        push_codes(&mut because, &ctx.bio.inferred_attributes);
    }
    because.push_str(
        ": no sensitive or protected attribute (age and gender estimation are not), so not 1(b)",
    );
    Some(Cow::Owned(because))
}

fn emotion_recognition(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.emotion_recognition {
        return None;
    }
    d.point(P::P1C);
    Some(Cow::Borrowed(
        "functions include emotion_recognition on biometric data: an emotion recognition system",
    ))
}

fn learning_outcomes(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.has_purpose(Purpose::EducationAssessment) {
        return None;
    }
    d.point(P::P3B);
    Some(Cow::Borrowed(
        "purposes include education_assessment: evaluating learning outcomes (read as 3(b); admission 3(a) \
         and level 3(c) cannot be told apart by the facts and may be declared)",
    ))
}

/// A biometric check that only confirms who sits the exam: verification or
/// identification with the candidate's active involvement, nothing else.
///
/// Annex III 3(d) covers "monitoring and detecting prohibited behaviour of
/// students during tests". A one-off identity check at the start monitors no
/// behaviour during the test; it is the verification Annex III 1(a) itself
/// leaves out (Art. 3(36)). So it is not 3(d), even when sold for proctoring.
fn identity_check_only(ctx: &Ctx<'_>) -> bool {
    (ctx.verifies || ctx.identifies)
        && !ctx.rbi
        && ctx.bio.functions.iter().all(|f| {
            matches!(
                f,
                BiometricFunction::Verification | BiometricFunction::Identification
            )
        })
}

fn exam_proctoring(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.has_purpose(Purpose::ExamProctoring) || identity_check_only(ctx) {
        return None;
    }
    d.point(P::P3D);
    let mut because = String::from("purposes include exam_proctoring; functions ");
    if ctx.bio.functions.is_empty() {
        because.push_str("none named");
    } else {
        push_codes(&mut because, &ctx.bio.functions);
    }
    because.push_str(": monitoring and detecting prohibited behaviour of students during tests");
    Some(Cow::Owned(because))
}

fn identity_check_is_not_monitoring(
    _: &Rule,
    ctx: &Ctx<'_>,
    _: &mut Derivation,
) -> Option<Because> {
    if !ctx.has_purpose(Purpose::ExamProctoring) || !identity_check_only(ctx) {
        return None;
    }
    let mut because =
        String::from("purposes include exam_proctoring but the biometric check is only ");
    if ctx.bio.functions.is_empty() {
        because.push_str("a one-to-one comparison");
    } else {
        push_codes(&mut because, &ctx.bio.functions);
    }
    because.push_str(
        " with the candidate presenting: confirming who sits the exam monitors no behaviour during the test, \
         so not 3(d)",
    );
    Some(Cow::Owned(because))
}

fn recruitment(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.has_purpose(Purpose::Recruitment) {
        return None;
    }
    d.point(P::P4A);
    Some(Cow::Borrowed(
        "purposes include recruitment: recruitment or selection of natural persons",
    ))
}

/// 4(b) also covers monitoring the behaviour of persons in a work
/// relationship, so behaviour monitoring of employees or contractors reaches
/// it whatever purpose is named.
fn worker_management(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let managed = ctx.has_purpose(Purpose::WorkerManagement);
    let monitored = ctx.has_function(BiometricFunction::BehaviourMonitoring)
        && (ctx.has_subject(DataSubject::Employees) || ctx.has_subject(DataSubject::Contractors));
    if !managed && !monitored {
        return None;
    }
    d.point(P::P4B);
    Some(Cow::Borrowed(if managed {
        "purposes include worker_management: decisions on work relationships, task allocation or monitoring \
         of workers"
    } else {
        "functions include behaviour_monitoring of employees or contractors: monitoring the behaviour of \
         persons in a work relationship"
    }))
}

fn context_line(ctx: &Ctx<'_>, lead: &str, tail: &str) -> Because {
    let mut because = String::with_capacity(lead.len() + tail.len() + 64);
    because.push_str(lead);
    ctx.context_because(&mut because);
    because.push_str(": ");
    because.push_str(tail);
    Cow::Owned(because)
}

fn polygraph_law_enforcement(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.le_context || !ctx.has_purpose(Purpose::CredibilityAssessment) {
        return None;
    }
    d.point(P::P6B);
    Some(context_line(
        ctx,
        "purposes include credibility_assessment",
        "a polygraph or similar tool by or for law enforcement",
    ))
}

/// Risk assessment of a person in law enforcement is 6(a) (risk of becoming a
/// victim) or 6(d) (risk of offending); the facts cannot tell them apart.
/// It is read as 6(d) unless the provider declared 6(a).
fn offending_risk_law_enforcement(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.le_context
        || !ctx.has_purpose(Purpose::RiskAssessment)
        || ctx.declared_points().contains(&P::P6A)
    {
        return None;
    }
    d.point(P::P6D);
    Some(context_line(
        ctx,
        "purposes include risk_assessment",
        "assessing a person's risk by or for law enforcement, read as the risk of offending (6(d)); declare \
         6(a) for the risk of becoming a victim",
    ))
}

fn profiling_law_enforcement(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.le_context || ctx.facts.profiling != Some(true) {
        return None;
    }
    d.point(P::P6E);
    Some(context_line(
        ctx,
        "profiling true",
        "profiling of natural persons in the detection, investigation or prosecution of criminal offences",
    ))
}

fn polygraph_migration(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.migration_context || !ctx.has_purpose(Purpose::CredibilityAssessment) {
        return None;
    }
    d.point(P::P7A);
    Some(context_line(
        ctx,
        "purposes include credibility_assessment",
        "a polygraph or similar tool in migration, asylum or border control",
    ))
}

fn migration_risk(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.migration_context || !ctx.has_purpose(Purpose::RiskAssessment) {
        return None;
    }
    d.point(P::P7B);
    Some(context_line(
        ctx,
        "purposes include risk_assessment",
        "assessing a security, irregular-migration or health risk posed by a person entering",
    ))
}

/// Only verification of travel documents is excepted from 7(d); every other
/// detection, recognition or identification of persons in migration is in,
/// verification against another reference included.
fn travel_document_check(ctx: &Ctx<'_>) -> bool {
    ctx.verifies
        && !ctx.identifies
        && ctx.bio.reference_database == Some(ReferenceDatabase::TravelDocument)
}

fn identification_migration(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.migration_context {
        return None;
    }
    let detects = ctx.has_function(BiometricFunction::PersonDetectionOrTracking);
    if !(ctx.identifies || detects || (ctx.verifies && !travel_document_check(ctx))) {
        return None;
    }
    if ctx.verifies && !ctx.identifies && !detects && ctx.bio.reference_database.is_none() {
        d.missing(
            "facts.biometric.reference_database",
            rule.citation,
            "verification in migration read as not a verification of travel documents, the stricter reading",
        );
    }
    d.point(P::P7D);
    let mut because = String::with_capacity(240);
    identification_because(ctx, &mut because);
    ctx.context_because(&mut because);
    because.push_str(
        ": detecting, recognising or identifying persons in migration, asylum or border control",
    );
    Some(Cow::Owned(because))
}

fn travel_document_verification_excepted(
    _: &Rule,
    ctx: &Ctx<'_>,
    _: &mut Derivation,
) -> Option<Because> {
    if !ctx.migration_context
        || !travel_document_check(ctx)
        || ctx.has_function(BiometricFunction::PersonDetectionOrTracking)
    {
        return None;
    }
    Some(Cow::Borrowed(
        "one-to-one verification against the travel document, no watchlist search: the verification of travel \
         documents is excepted from 7(d)",
    ))
}

/// 7(c) covers systems assisting the examination of asylum, visa and
/// residence applications. A tool the facts already place under the more
/// specific 7(a), 7(b) or 7(d) during that procedure is classified there
/// (a voice-stress credibility test in a visa interview is 7(a), not 7(c)).
fn application_examination(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.has_purpose(Purpose::AsylumVisaResidence)
        || [P::P7A, P::P7B, P::P7D].iter().any(|p| d.has_point(*p))
    {
        return None;
    }
    d.point(P::P7C);
    Some(Cow::Borrowed(
        "purposes include asylum_visa_residence and no more specific point of area 7 applies: assisting the \
         examination of asylum, visa or residence applications",
    ))
}

fn declared_point_beyond_facts(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let accepted: Vec<AnnexIiiPoint> = ctx
        .declared_points()
        .iter()
        .copied()
        .filter(|p| BEYOND_FACTS.contains(p))
        .collect();
    if accepted.is_empty() {
        return None;
    }
    let mut because = String::from("declared Annex III points ");
    for p in &accepted {
        d.point(*p);
    }
    push_codes(&mut because, &accepted);
    because.push_str(": the facts cannot decide them, so the declaration stands");
    Some(Cow::Owned(because))
}

fn declared_points_differ(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let declared = ctx.declared_points();
    // A system's declaration is its provider's claim, even when empty; a
    // deployment only carries one when the system's entry is known.
    if matches!(ctx.subject, Subject::Facts)
        || (matches!(ctx.subject, Subject::Deployment(_)) && declared.is_empty())
    {
        return None;
    }
    let mut not_derived: Vec<AnnexIiiPoint> = declared
        .iter()
        .copied()
        .filter(|p| !d.has_point(*p))
        .collect();
    let mut not_declared: Vec<AnnexIiiPoint> = d
        .points
        .iter()
        .copied()
        .filter(|p| !declared.contains(p))
        .collect();
    if not_derived.is_empty() && not_declared.is_empty() {
        return None;
    }
    not_derived.sort_unstable();
    not_derived.dedup();
    not_declared.sort_unstable();
    let mut message = String::from("declared Annex III points differ from the facts:");
    if !not_derived.is_empty() {
        message.push_str(" declared but not derived ");
        push_codes(&mut message, &not_derived);
        message.push(';');
    }
    if !not_declared.is_empty() {
        message.push_str(" derived but not declared ");
        push_codes(&mut message, &not_declared);
        message.push(';');
    }
    message.pop();
    d.finding(
        FindingCode::DeclaredAnnexIiiMismatch,
        Severity::Warning,
        rule.citation,
        message.clone(),
    );
    Some(Cow::Owned(message))
}
