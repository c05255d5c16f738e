//! Art. 50(3): deployers of emotion recognition or biometric categorisation
//! inform the persons exposed, on top of any high-risk duty, unless the
//! system is permitted by law to detect, prevent or investigate crime.
//!
//! A categorisation feature excluded as ancillary (Art. 3(40)) is no
//! categorisation system, so it carries no duty. For a prohibited system the
//! duty is moot: it may not be used at all.

use std::borrow::Cow;

use super::rule::{ai_act, Because, Ctx, Derivation, Rule};

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "art_50_3_inform_persons_exposed",
        citation: ai_act!("Art. 50(3)"),
        apply: inform_persons_exposed,
    },
    Rule {
        name: "art_50_3_crime_detection_exception",
        citation: ai_act!("Art. 50(3)"),
        apply: crime_detection_exception,
    },
    Rule {
        name: "art_50_3_moot_when_prohibited",
        citation: ai_act!("Art. 50(3), Art. 5(1)"),
        apply: moot_when_prohibited,
    },
];

fn what(ctx: &Ctx<'_>) -> Option<&'static str> {
    match (ctx.emotion_recognition, ctx.categorisation_system) {
        (true, true) => Some("an emotion recognition and biometric categorisation system"),
        (true, false) => Some("an emotion recognition system"),
        (false, true) => Some("a biometric categorisation system"),
        (false, false) => None,
    }
}

fn exempt(ctx: &Ctx<'_>) -> bool {
    ctx.le.crime_detection_permitted_by_law == Some(true)
}

fn inform_persons_exposed(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let what = what(ctx)?;
    if exempt(ctx) || !d.practices.is_empty() {
        return None;
    }
    d.art_50_3 = true;
    let mut because = String::from(what);
    because.push_str(": the persons exposed must be informed of its operation");
    Some(Cow::Owned(because))
}

fn crime_detection_exception(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    let what = what(ctx)?;
    if !exempt(ctx) {
        return None;
    }
    let mut because = String::from(what);
    because.push_str(
        "; law_enforcement.crime_detection_permitted_by_law true: permitted by law to detect, prevent or \
         investigate criminal offences, so no duty to inform",
    );
    Some(Cow::Owned(because))
}

fn moot_when_prohibited(_: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let what = what(ctx)?;
    if exempt(ctx) || d.practices.is_empty() {
        return None;
    }
    let mut because = String::from(what);
    because.push_str(": the duty to inform is moot, a prohibited practice applies and the system may not be used");
    Some(Cow::Owned(because))
}
