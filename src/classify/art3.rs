//! Art. 3: the definitions that decide a classification.
//!
//! The definitions themselves are worked out once in [`Ctx::new`]; these
//! rules put the boundaries they draw into the rationale (why a phone unlock
//! is not remote identification, why drowsiness is not an emotion) and raise
//! the findings the definitions call for.

use std::borrow::Cow;
use std::fmt::Write;

use crate::domain::facts::BiometricFunction;

use super::result::{FindingCode, Severity};
use super::rule::{
    ai_act, code_or_unknown, identification_because, push_codes, Because, Ctx, Derivation, Rule,
};

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "art_3_34_no_biometric_data",
        citation: ai_act!("Art. 3(34)"),
        apply: no_biometric_data,
    },
    Rule {
        name: "art_3_41_watchlist_check_is_identification",
        citation: ai_act!("Art. 3(35) and 3(41), recital 17"),
        apply: watchlist_check_is_identification,
    },
    Rule {
        name: "art_3_41_active_involvement_unknown",
        citation: ai_act!("Art. 3(41)"),
        apply: active_involvement_unknown,
    },
    Rule {
        name: "art_3_41_active_presentation_is_not_remote",
        citation: ai_act!("Art. 3(41), recital 17"),
        apply: active_presentation_is_not_remote,
    },
    Rule {
        name: "art_3_36_verification_is_not_identification",
        citation: ai_act!("Art. 3(36), recital 15; Annex III point 1(a)"),
        apply: verification_is_not_identification,
    },
    Rule {
        name: "art_3_39_physical_state_is_not_emotion",
        citation: ai_act!("Art. 3(39), recital 18"),
        apply: physical_state_is_not_emotion,
    },
    Rule {
        name: "art_3_40_ancillary_feature_excluded",
        citation: ai_act!("Art. 3(40), recital 16"),
        apply: ancillary_feature_excluded,
    },
    Rule {
        name: "art_3_40_ancillary_feature_rejected",
        citation: ai_act!("Art. 3(40), recital 16"),
        apply: ancillary_feature_rejected,
    },
];

fn no_biometric_data(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    if ctx.bio.uses_biometric_data != Some(false) || ctx.bio.functions.is_empty() {
        return None;
    }
    let mut because = String::from("uses_biometric_data false with functions ");
    push_codes(&mut because, &ctx.bio.functions);
    because.push_str(
        ": without biometric data none of the biometric systems of Art. 3(35)-(41) arises, so no biometric \
         rule applies",
    );
    Some(Cow::Owned(because))
}

fn watchlist_check_is_identification(
    _: &Rule,
    ctx: &Ctx<'_>,
    _: &mut Derivation,
) -> Option<Because> {
    if !ctx.biometric || ctx.bio.watchlist_check != Some(true) {
        return None;
    }
    Some(Cow::Borrowed(
        "watchlist_check true: besides confirming a claimed identity the check searches a watchlist or \
         another database; the person presents to be verified, not to be searched for, so the search is \
         remote identification whatever the person's involvement",
    ))
}

fn active_involvement_unknown(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.identifies
        || ctx.bio.watchlist_check == Some(true)
        || ctx.bio.active_involvement.is_some()
    {
        return None;
    }
    d.missing(
        "facts.biometric.active_involvement",
        rule.citation,
        "identification read as remote (without the person's active involvement), the stricter reading",
    );
    let mut because = String::with_capacity(160);
    identification_because(ctx, &mut because);
    because.push_str(": identification whose active involvement is unknown is read as remote");
    Some(Cow::Owned(because))
}

fn active_presentation_is_not_remote(
    _: &Rule,
    ctx: &Ctx<'_>,
    _: &mut Derivation,
) -> Option<Because> {
    if !ctx.identifies || ctx.rbi {
        return None;
    }
    let mut because = String::with_capacity(200);
    identification_because(ctx, &mut because);
    because.push_str(
        ": the person consciously presents to a sensor set up for it (a face lane, a turnstile, an \
         e-gate); identification with active involvement is not remote biometric identification",
    );
    Some(Cow::Owned(because))
}

fn verification_is_not_identification(
    _: &Rule,
    ctx: &Ctx<'_>,
    _: &mut Derivation,
) -> Option<Because> {
    if !ctx.verifies || ctx.identifies {
        return None;
    }
    let mut because = String::with_capacity(160);
    let _ = write!(
        because,
        "comparison {}, reference_database {}, no watchlist search: one-to-one verification confirms a \
         claimed identity and is not identification",
        code_or_unknown(ctx.bio.comparison),
        code_or_unknown(ctx.bio.reference_database),
    );
    Some(Cow::Owned(because))
}

fn physical_state_is_not_emotion(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    if !ctx.biometric
        || ctx.emotion_recognition
        || !ctx.has_function(BiometricFunction::PhysicalStateDetection)
    {
        return None;
    }
    Some(Cow::Borrowed(
        "functions include physical_state_detection and not emotion_recognition: fatigue, drowsiness or \
         pain are physical states, not emotions or intentions",
    ))
}

fn ancillary_feature_excluded(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    if !ctx.biometric || !ctx.ancillary_accepted {
        return None;
    }
    let mut because = String::from("ancillary_feature true, inferred_attributes ");
    if ctx.bio.inferred_attributes.is_empty() {
        because.push_str("none");
    } else {
        push_codes(&mut because, &ctx.bio.inferred_attributes);
    }
    because.push_str(
        ": strictly ancillary to another service (a filter, a try-on) and inferring no sensitive attribute, \
         so not a biometric categorisation system",
    );
    Some(Cow::Owned(because))
}

/// Art. 3(40) excludes a feature that is ancillary to another commercial
/// service and strictly necessary for objective technical reasons. Deducing a
/// sensitive attribute is never technically necessary to preview a product
/// or modify a picture (recital 16), so the claim is not accepted there.
fn ancillary_feature_rejected(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if !ctx.biometric || !ctx.ancillary_rejected {
        return None;
    }
    let mut message = String::from("ancillary_feature true, but inferred_attributes ");
    push_codes(&mut message, &ctx.bio.inferred_attributes);
    message.push_str(
        " include a sensitive attribute, which no ancillary service strictly needs; classified as a \
         biometric categorisation system",
    );
    d.finding(
        FindingCode::AncillaryFeatureRejected,
        Severity::Warning,
        rule.citation,
        message.clone(),
    );
    Some(Cow::Owned(message))
}
