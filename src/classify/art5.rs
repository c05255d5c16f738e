//! Art. 5(1)(e)-(h): the prohibited practices the facts can show, with their
//! exceptions, and for (h) the conditions of Art. 5(2)-(5).
//!
//! Points (a)-(d), (ba) and (bb) need facts the vocabulary does not carry
//! (manipulation, exploitation, social scoring, crime prediction, deepfakes,
//! abuse material); they are never derived.
//!
//! A prohibited practice is recorded and flagged, not refused: oversight
//! needs to see it (`docs/legal-readings.md`, "Prohibited practices
//! (Art. 5)").

use std::borrow::Cow;
use std::fmt::Write;

use crate::domain::annex::ProhibitedPractice;
use crate::domain::facts::{Authorisation, LawEnforcementObjective, Modality, Space, Timing};

use super::result::{FindingCode, Severity};
use super::rule::{
    ai_act, code_or_unknown, flag, identification_because, push_codes, Because, Ctx, Derivation,
    Rule, WORK_OR_EDUCATION_SUBJECTS,
};
use super::subject::Subject;

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "art_5_1_e_untargeted_scraping",
        citation: ai_act!("Art. 5(1)(e)"),
        apply: untargeted_scraping,
    },
    Rule {
        name: "art_5_1_f_emotion_recognition_work_education",
        citation: ai_act!("Art. 5(1)(f)"),
        apply: emotion_recognition_work_education,
    },
    Rule {
        name: "art_5_1_f_medical_or_safety_exception",
        citation: ai_act!("Art. 5(1)(f)"),
        apply: medical_or_safety_exception,
    },
    Rule {
        name: "art_5_1_g_sensitive_biometric_categorisation",
        citation: ai_act!("Art. 5(1)(g)"),
        apply: sensitive_biometric_categorisation,
    },
    Rule {
        name: "art_5_1_g_labelling_or_law_enforcement_exception",
        citation: ai_act!("Art. 5(1)(g)"),
        apply: labelling_or_law_enforcement_exception,
    },
    Rule {
        name: "art_3_44_not_a_publicly_accessible_space",
        citation: ai_act!("Art. 3(44), recital 19; Art. 5(1)(h)"),
        apply: not_a_publicly_accessible_space,
    },
    Rule {
        name: "art_5_1_h_stricter_reading_of_unknown_timing_or_space",
        citation: ai_act!("Art. 5(1)(h), Art. 3(42) and 3(44)"),
        apply: stricter_reading_of_unknown_timing_or_space,
    },
    Rule {
        name: "art_5_1_h_realtime_rbi_law_enforcement",
        citation: ai_act!("Art. 5(1)(h) and 5(2)-(5)"),
        apply: realtime_rbi_law_enforcement,
    },
    Rule {
        name: "art_5_2_realtime_rbi_exception_applies",
        citation: ai_act!("Art. 5(1)(h)(i)-(iii) and 5(2)-(5)"),
        apply: realtime_rbi_exception_applies,
    },
    Rule {
        name: "art_5_1_h_conditions_decided_per_use",
        citation: ai_act!("Art. 5(1)(h) and 5(2)-(5)"),
        apply: conditions_decided_per_use,
    },
];

const E_MESSAGE: &str = "Art. 5(1)(e): creating or expanding a facial recognition database by untargeted \
                         scraping of facial images from the internet or CCTV footage is prohibited, without exception";
const F_MESSAGE: &str =
    "Art. 5(1)(f): inferring emotions of persons in the workplace or in education is \
                         prohibited unless intended for medical or safety reasons";
const G_MESSAGE: &str = "Art. 5(1)(g): biometric categorisation deducing race, political opinions, trade union \
                         membership, religious or philosophical beliefs, sex life or sexual orientation is prohibited";
const H_MESSAGE: &str = "Art. 5(1)(h): real-time remote biometric identification in a publicly accessible space for \
                         law enforcement is prohibited unless an objective of (h)(i)-(iii) holds with prior \
                         authorisation (5(3)), a national opt-in law (5(5)) and a completed FRIA (5(2))";

/// The prohibition names facial images. The fact is defined as building a
/// face database, so it fires unless the modalities are stated and face is
/// not among them.
fn untargeted_scraping(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    let b = ctx.bio;
    if b.untargeted_scraping != Some(true)
        || !(b.modalities.is_empty() || b.modalities.contains(&Modality::Face))
    {
        return None;
    }
    d.prohibit(ProhibitedPractice::Art5_1E, rule.citation, E_MESSAGE);
    let mut because = String::from("untargeted_scraping true");
    if !b.modalities.is_empty() {
        because.push_str("; modalities ");
        push_codes(&mut because, &b.modalities);
    }
    if !b.functions.is_empty() {
        because.push_str("; functions ");
        push_codes(&mut because, &b.functions);
    }
    because.push_str(
        ": a face database built or grown from the internet or CCTV footage; no exception exists",
    );
    Some(Cow::Owned(because))
}

/// Whether emotion recognition reaches persons at work or in education, and
/// whether that reading rests on unknown subjects.
///
/// The subjects decide: emotion recognition of customers in a call centre or
/// of patients in a hospital workplace is not (f) (Commission guidelines on
/// prohibited practices); of employees, contractors, job candidates or
/// students it is, wherever they are. A workplace or education space with no
/// subjects named is read as reaching its workers or students.
fn emotion_in_work_or_education(ctx: &Ctx<'_>) -> Option<bool> {
    if !ctx.emotion_recognition {
        return None;
    }
    let f = ctx.facts;
    if f.subjects
        .iter()
        .any(|s| WORK_OR_EDUCATION_SUBJECTS.contains(s))
    {
        return Some(false);
    }
    if f.subjects.is_empty() && (ctx.has_space(Space::Workplace) || ctx.has_space(Space::Education))
    {
        return Some(true);
    }
    None
}

fn emotion_because(ctx: &Ctx<'_>) -> String {
    let f = ctx.facts;
    let mut because = String::from("functions include emotion_recognition; spaces ");
    push_codes(&mut because, &f.spaces);
    because.push_str("; subjects ");
    if f.subjects.is_empty() {
        because.push_str("unknown");
    } else {
        push_codes(&mut because, &f.subjects);
    }
    because.push_str("; exceptions_claimed ");
    if f.exceptions_claimed.is_empty() {
        because.push_str("none");
    } else {
        push_codes(&mut because, &f.exceptions_claimed);
    }
    because
}

fn emotion_recognition_work_education(
    rule: &Rule,
    ctx: &Ctx<'_>,
    d: &mut Derivation,
) -> Option<Because> {
    let subjects_unknown = emotion_in_work_or_education(ctx)?;
    if !ctx.facts.exceptions_claimed.is_empty() {
        return None;
    }
    if subjects_unknown {
        d.missing(
            "facts.subjects",
            rule.citation,
            "emotion recognition in a workplace or education space read as reaching workers or students, \
             the stricter reading",
        );
    }
    d.prohibit(ProhibitedPractice::Art5_1F, rule.citation, F_MESSAGE);
    Some(Cow::Owned(emotion_because(ctx)))
}

fn medical_or_safety_exception(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    emotion_in_work_or_education(ctx)?;
    if ctx.facts.exceptions_claimed.is_empty() {
        return None;
    }
    let mut because = emotion_because(ctx);
    because.push_str(
        ": intended for medical or safety reasons, so not prohibited; it stays Annex III 1(c)",
    );
    Some(Cow::Owned(because))
}

fn categorisation_because(ctx: &Ctx<'_>) -> String {
    let mut because = String::from("biometric categorisation inferring ");
    push_codes(&mut because, &ctx.bio.inferred_attributes);
    because
}

fn g_exception(ctx: &Ctx<'_>) -> bool {
    ctx.bio.dataset_labelling == Some(true) || ctx.le_context
}

fn sensitive_biometric_categorisation(
    rule: &Rule,
    ctx: &Ctx<'_>,
    d: &mut Derivation,
) -> Option<Because> {
    if !ctx.categorisation_system || !ctx.art_5_1_g_attribute || g_exception(ctx) {
        return None;
    }
    d.prohibit(ProhibitedPractice::Art5_1G, rule.citation, G_MESSAGE);
    Some(Cow::Owned(categorisation_because(ctx)))
}

fn labelling_or_law_enforcement_exception(
    _: &Rule,
    ctx: &Ctx<'_>,
    _: &mut Derivation,
) -> Option<Because> {
    if !ctx.categorisation_system || !ctx.art_5_1_g_attribute || !g_exception(ctx) {
        return None;
    }
    let mut because = categorisation_because(ctx);
    if ctx.bio.dataset_labelling == Some(true) {
        because.push_str(
            "; dataset_labelling true: labelling or filtering lawfully acquired biometric datasets",
        );
    } else {
        ctx.context_because(&mut because);
        because.push_str(": categorising biometric data in the area of law enforcement");
    }
    because.push_str(" is excepted from the prohibition; it stays Annex III 1(b)");
    Some(Cow::Owned(because))
}

/// How the space of a real-time law-enforcement identification reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SpaceReading {
    Public,
    Unknown,
    NotPublic,
}

/// For remote identification by or for law enforcement that is (or, timing
/// unknown, is read as) real-time: how its space reads. `None` otherwise.
///
/// Unknown timing is read as real-time and unknown spaces as publicly
/// accessible: the stricter readings. Online spaces are not physical places
/// and, like prisons and border-control areas, not publicly accessible
/// (recital 19).
fn realtime_le_rbi(ctx: &Ctx<'_>) -> Option<SpaceReading> {
    if !ctx.rbi || !ctx.le_context || ctx.bio.timing == Some(Timing::Post) {
        return None;
    }
    Some(if ctx.has_space(Space::PubliclyAccessible) {
        SpaceReading::Public
    } else if ctx.facts.spaces.is_empty() {
        SpaceReading::Unknown
    } else {
        SpaceReading::NotPublic
    })
}

/// Whether a condition of Art. 5(2)-(5) is met, refuted or unknown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Condition {
    Met,
    Refuted,
    Unknown,
}

/// The conditions under which real-time identification for law enforcement
/// may be used in a publicly accessible space.
struct Conditions {
    objective: Condition,
    authorisation: Condition,
    national_law: Condition,
    /// Art. 5(2): a completed FRIA. Known only for a deployment; for other
    /// subjects it is not a fact of the registration and counts as met.
    fria: Condition,
}

fn known(v: Option<bool>) -> Condition {
    match v {
        Some(true) => Condition::Met,
        Some(false) => Condition::Refuted,
        None => Condition::Unknown,
    }
}

impl Conditions {
    fn read(ctx: &Ctx<'_>) -> Self {
        use LawEnforcementObjective as O;
        let objective = match ctx.le.objective {
            Some(O::VictimsOrMissingPersons | O::ImminentThreat | O::SeriousCrimeSuspect) => {
                Condition::Met
            }
            Some(O::InitialIdentification | O::Other) => Condition::Refuted,
            None => Condition::Unknown,
        };
        let authorisation = match ctx.le.authorisation {
            Some(Authorisation::Granted | Authorisation::RequestedWithinDeadline) => Condition::Met,
            Some(Authorisation::Refused | Authorisation::None) => Condition::Refuted,
            Some(Authorisation::Unknown) | None => Condition::Unknown,
        };
        let fria = match ctx.subject {
            Subject::Deployment(dc) => known(dc.fria_performed),
            _ => Condition::Met,
        };
        Conditions {
            objective,
            authorisation,
            national_law: known(ctx.le.national_law_permits),
            fria,
        }
    }

    fn all(&self) -> [Condition; 4] {
        [
            self.objective,
            self.authorisation,
            self.national_law,
            self.fria,
        ]
    }

    fn all_met(&self) -> bool {
        self.all().iter().all(|c| *c == Condition::Met)
    }

    fn any_refuted(&self) -> bool {
        self.all().contains(&Condition::Refuted)
    }
}

fn conditions_because(ctx: &Ctx<'_>, out: &mut String) {
    let _ = write!(
        out,
        "; objective {}; authorisation {}; national_law_permits {}",
        code_or_unknown(ctx.le.objective),
        code_or_unknown(ctx.le.authorisation),
        flag(ctx.le.national_law_permits),
    );
    if let Subject::Deployment(dc) = ctx.subject {
        let _ = write!(out, "; fria_performed {}", flag(dc.fria_performed));
    }
}

fn realtime_because(ctx: &Ctx<'_>) -> String {
    let mut because = String::with_capacity(320);
    identification_because(ctx, &mut because);
    because.push_str("; spaces ");
    if ctx.facts.spaces.is_empty() {
        because.push_str("unknown");
    } else {
        push_codes(&mut because, &ctx.facts.spaces);
    }
    ctx.context_because(&mut because);
    conditions_because(ctx, &mut because);
    because
}

fn not_a_publicly_accessible_space(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    if realtime_le_rbi(ctx)? != SpaceReading::NotPublic {
        return None;
    }
    let mut because = String::from("real-time remote identification for law enforcement, spaces ");
    push_codes(&mut because, &ctx.facts.spaces);
    because.push_str(
        ": none is publicly accessible (a prison, a border-control area or an online space is not), so \
         Art. 5(1)(h) does not apply; it stays Annex III 1(a)",
    );
    Some(Cow::Owned(because))
}

fn stricter_reading_of_unknown_timing_or_space(
    rule: &Rule,
    ctx: &Ctx<'_>,
    d: &mut Derivation,
) -> Option<Because> {
    let space = realtime_le_rbi(ctx)?;
    let timing_unknown = ctx.bio.timing.is_none();
    let space_unknown = space == SpaceReading::Unknown;
    // For a system the reading only decides where its intended purpose
    // refutes a condition; otherwise each use settles timing and space.
    let decides = ctx.is_use || Conditions::read(ctx).any_refuted();
    if !decides || (!timing_unknown && !space_unknown) {
        return None;
    }
    let mut because = String::from("remote identification by or for law enforcement with");
    if timing_unknown {
        d.missing(
            "facts.biometric.timing",
            rule.citation,
            "identification by or for law enforcement read as real-time, the stricter reading",
        );
        because.push_str(" timing unknown (read as real_time)");
    }
    if space_unknown {
        d.missing(
            "facts.spaces",
            rule.citation,
            "identification by or for law enforcement read as in a publicly accessible space, the stricter reading",
        );
        if timing_unknown {
            because.push_str(" and");
        }
        because.push_str(" spaces unknown (read as publicly_accessible)");
    }
    Some(Cow::Owned(because))
}

/// Records the findings for each condition of Art. 5(2)-(5) that is not met:
/// a violation where the facts refute it, a warning plus a missing fact where
/// they are silent.
fn condition_findings(c: &Conditions, d: &mut Derivation) {
    let checks: [(Condition, FindingCode, &'static str, &'static str, &'static str); 4] = [
        (
            c.objective,
            FindingCode::Art5_1HObjectiveNotListed,
            ai_act!("Art. 5(1)(h)(i)-(iii)"),
            "facts.law_enforcement.objective",
            "the objective is not one of Art. 5(1)(h)(i)-(iii) (victims or missing persons, an imminent threat, \
             a suspect of a serious crime)",
        ),
        (
            c.authorisation,
            FindingCode::Art5_3AuthorisationMissing,
            ai_act!("Art. 5(3)"),
            "facts.law_enforcement.authorisation",
            "no prior authorisation by a judicial or independent administrative authority, nor a request \
             within 24 hours in urgency",
        ),
        (
            c.national_law,
            FindingCode::Art5_5NationalLawMissing,
            ai_act!("Art. 5(5)"),
            "facts.law_enforcement.national_law_permits",
            "no national law opts in to real-time remote biometric identification for law enforcement",
        ),
        (
            c.fria,
            FindingCode::FriaMissing,
            ai_act!("Art. 5(2) and Art. 27"),
            "fria_performed",
            "no completed fundamental rights impact assessment before the use",
        ),
    ];
    for (condition, code, citation, path, message) in checks {
        match condition {
            Condition::Met => {}
            Condition::Refuted => d.finding(code, Severity::Violation, citation, message),
            Condition::Unknown => {
                d.finding(code, Severity::Warning, citation, message);
                d.missing(
                    path,
                    citation,
                    "condition read as not met, the stricter reading",
                );
            }
        }
    }
}

fn realtime_rbi_law_enforcement(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if realtime_le_rbi(ctx)? == SpaceReading::NotPublic {
        return None;
    }
    let conditions = Conditions::read(ctx);
    if conditions.all_met() {
        return None;
    }
    // A provider places a system on the market; Art. 5(1)(h) prohibits its
    // use. The per-use conditions decide a system only where its intended
    // purpose itself refutes one of them.
    if !ctx.is_use && !conditions.any_refuted() {
        return None;
    }
    condition_findings(&conditions, d);
    d.prohibit(ProhibitedPractice::Art5_1H, rule.citation, H_MESSAGE);
    Some(Cow::Owned(realtime_because(ctx)))
}

fn realtime_rbi_exception_applies(_: &Rule, ctx: &Ctx<'_>, _: &mut Derivation) -> Option<Because> {
    if realtime_le_rbi(ctx)? == SpaceReading::NotPublic || !Conditions::read(ctx).all_met() {
        return None;
    }
    let mut because = realtime_because(ctx);
    because.push_str(
        ": an objective of (h)(i)-(iii) with authorisation and a national opt-in law lifts the prohibition; \
         it stays Annex III 1(a)",
    );
    Some(Cow::Owned(because))
}

fn conditions_decided_per_use(rule: &Rule, ctx: &Ctx<'_>, d: &mut Derivation) -> Option<Because> {
    if ctx.is_use || realtime_le_rbi(ctx)? == SpaceReading::NotPublic {
        return None;
    }
    let conditions = Conditions::read(ctx);
    if conditions.all_met() || conditions.any_refuted() {
        return None;
    }
    d.finding(
        FindingCode::Art5_1HConditionsPerUse,
        Severity::Info,
        rule.citation,
        "intended for real-time remote identification by or for law enforcement in publicly accessible \
         spaces: each use is prohibited unless it meets Art. 5(1)(h)(i)-(iii) and 5(2)-(5); the deployment \
         registration decides",
    );
    let mut because = realtime_because(ctx);
    because.push_str(
        ": a system's intended purpose leaves the per-use conditions open; high-risk 1(a)",
    );
    Some(Cow::Owned(because))
}
