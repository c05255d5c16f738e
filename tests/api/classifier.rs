//! The classifier, one named case per legal boundary. Facts are written as
//! JSON, the way registrations carry them.

use ai_registry::classify::{
    classify, Art63Reason, Classification, DeploymentContext, FindingCode, Outcome,
    RegistrationBasis, Section, Severity, Subject, SystemContext, TransparencyObligation,
    FINDING_CODES, RULES_VERSION,
};
use ai_registry::domain::annex::AnnexIiiPoint;
use ai_registry::domain::facts::Facts;
use ai_registry::domain::registration::{
    DeploymentRegistrationType, LegalGround, RegistrationType,
};
use serde_json::{json, Value};

// ---------------------------------------------------------------- helpers

fn facts(v: Value) -> Facts {
    serde_json::from_value(v).expect("facts must deserialize")
}

/// Classifies bare facts, as `POST /v1/classify` with `{"facts": ...}` does.
fn run(v: Value) -> Classification {
    classify(&facts(v), &Subject::Facts)
}

fn points(codes: &[Value]) -> Vec<AnnexIiiPoint> {
    codes
        .iter()
        .map(|c| AnnexIiiPoint::from_code(c.as_str().unwrap()).expect("known point"))
        .collect()
}

/// Classifies a system registration document as the registry would.
fn run_system(doc: Value) -> Classification {
    let registration_type =
        RegistrationType::from_code(doc["registration_type"].as_str().unwrap()).unwrap();
    let declared = points(
        doc["declared_annex_iii"]
            .as_array()
            .map_or(&[][..], |a| a.as_slice()),
    );
    let subject = Subject::System(SystemContext {
        registration_type,
        declared_annex_iii: &declared,
    });
    classify(&facts(doc["facts"].clone()), &subject)
}

/// Classifies a deployment registration document as the registry would:
/// `deployer.type` goes into `facts.deployer_type`. `system_declared_annex_iii`
/// stands for what the registry looks up from the system's entry.
fn run_deployment(doc: Value) -> Classification {
    let mut f = facts(doc["facts"].clone());
    if let Some(t) = doc["deployer"]["type"].as_str() {
        f.deployer_type = serde_json::from_value(json!(t)).unwrap();
    }
    let declared = points(
        doc["system_declared_annex_iii"]
            .as_array()
            .map_or(&[][..], |a| a.as_slice()),
    );
    let subject = Subject::Deployment(DeploymentContext {
        registration_type: DeploymentRegistrationType::from_code(
            doc["registration_type"].as_str().unwrap(),
        )
        .unwrap(),
        legal_basis: doc["legal_basis"]["ground"]
            .as_str()
            .map(|g| LegalGround::from_code(g).unwrap()),
        consent_alternative_offered: doc["consent"]["alternative_offered"].as_bool(),
        employment_relationship: doc["employment_relationship"].as_bool(),
        dpia_performed: doc["dpia"]["performed"].as_bool(),
        fria_performed: doc["fria_performed"].as_bool(),
        system_declared_annex_iii: &declared,
    });
    classify(&f, &subject)
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture JSON")
}

fn point_codes(c: &Classification) -> Vec<&'static str> {
    c.annex_iii_points.iter().map(|p| p.as_str()).collect()
}

fn practice_codes(c: &Classification) -> Vec<&'static str> {
    c.prohibited_practices.iter().map(|p| p.as_str()).collect()
}

fn finding_codes(c: &Classification) -> Vec<&'static str> {
    c.findings.iter().map(|f| f.code.as_str()).collect()
}

fn has_art_50_3(c: &Classification) -> bool {
    c.transparency_obligations
        .contains(&TransparencyObligation::Art50_3)
}

#[track_caller]
fn assert_result(
    c: &Classification,
    outcome: Outcome,
    expected_points: &[&str],
    practices: &[&str],
) {
    assert_eq!(c.outcome, outcome, "outcome; rationale: {:#?}", c.rationale);
    assert_eq!(point_codes(c), expected_points, "Annex III points");
    assert_eq!(practice_codes(c), practices, "prohibited practices");
}

#[track_caller]
fn assert_fired(c: &Classification, rule: &str) {
    assert!(
        c.rule_fired(rule),
        "rule {rule} did not fire; fired: {:?}",
        c.rationale
            .iter()
            .map(|r| r.rule.as_ref())
            .collect::<Vec<_>>()
    );
}

#[track_caller]
fn assert_not_fired(c: &Classification, rule: &str) {
    assert!(!c.rule_fired(rule), "rule {rule} fired: {:#?}", c.rationale);
}

#[track_caller]
fn assert_finding(c: &Classification, code: FindingCode, severity: Severity) {
    assert!(
        c.findings
            .iter()
            .any(|f| f.code == code && f.severity == severity),
        "no {code} finding of severity {severity}; findings: {:#?}",
        c.findings
    );
}

#[track_caller]
fn assert_no_finding(c: &Classification, code: FindingCode) {
    assert!(!c.has_finding(code), "unexpected {code}: {:#?}", c.findings);
}

#[track_caller]
fn assert_missing_fact(c: &Classification, path: &str) {
    assert!(
        c.findings.iter().any(|f| f.code == FindingCode::MissingFact
            && f.severity == Severity::Warning
            && f.message.starts_with(path)),
        "no missing_fact for {path}; findings: {:#?}",
        c.findings
    );
}

#[track_caller]
fn assert_registration(c: &Classification, section: Section, basis: RegistrationBasis) {
    assert_eq!(
        (c.registration.section, c.registration.basis),
        (section, basis)
    );
}

// Fact sets that recur.

fn live_face_identification() -> Value {
    json!({
        "uses_biometric_data": true,
        "modalities": ["face"],
        "functions": ["identification"],
        "comparison": "one_to_many",
        "reference_database": "watchlist",
        "active_involvement": false,
        "timing": "real_time"
    })
}

fn police_live_rbi(law_enforcement: Value) -> Value {
    json!({
        "biometric": live_face_identification(),
        "spaces": ["publicly_accessible"],
        "subjects": ["general_public"],
        "purposes": ["law_enforcement"],
        "deployer_type": "law_enforcement_authority",
        "law_enforcement": law_enforcement
    })
}

fn emotion(spaces: Value, subjects: Value) -> Value {
    json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["emotion_recognition"]},
        "spaces": spaces,
        "subjects": subjects
    })
}

fn categorisation(attributes: Value) -> Value {
    json!({
        "biometric": {
            "uses_biometric_data": true,
            "modalities": ["face"],
            "functions": ["categorisation"],
            "inferred_attributes": attributes
        },
        "spaces": ["publicly_accessible"],
        "subjects": ["general_public"],
        "purposes": ["analytics"],
        "deployer_type": "private_company"
    })
}

fn consent_deployment(employment: Value, alternative: Value) -> Value {
    json!({
        "registration_type": "national_use",
        "deployer": {"type": "employer"},
        "legal_basis": {"ground": "gdpr_9_2_a_explicit_consent"},
        "consent": {"alternative_offered": alternative},
        "employment_relationship": employment,
        "dpia": {"performed": true},
        "facts": {
            "biometric": {
                "uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                "comparison": "one_to_one", "reference_database": "enrolled_persons", "active_involvement": true,
                "timing": "real_time"
            },
            "spaces": ["workplace"],
            "subjects": ["employees"],
            "purposes": ["access_control"]
        }
    })
}

// ------------------------------------------------------- Art. 2: scope

#[test]
fn national_security_use_is_out_of_scope_and_kept_out_of_the_public_section() {
    let c = run(json!({
        "scope_exclusion": "military_defence_national_security",
        "biometric": live_face_identification(),
        "purposes": ["military"],
        "deployer_type": "public_authority"
    }));
    assert_result(&c, Outcome::OutOfScope, &[], &[]);
    assert_fired(&c, "art_2_3_military_defence_national_security");
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art2_3);
    assert_eq!(c.art_6_3.reason, Some(Art63Reason::OutOfScope));
}

#[test]
fn military_exclusion_needs_exclusively_military_use() {
    let c = run(json!({
        "scope_exclusion": "military_defence_national_security",
        "biometric": live_face_identification(),
        "spaces": ["prison_or_custody"],
        "purposes": ["military", "law_enforcement"]
    }));
    assert_eq!(c.outcome, Outcome::HighRisk);
    assert_finding(&c, FindingCode::ScopeExclusionRejected, Severity::Warning);
}

#[test]
fn scientific_research_only_is_out_of_scope() {
    let c = run(json!({
        "scope_exclusion": "scientific_research_only",
        "biometric": {"uses_biometric_data": true, "functions": ["emotion_recognition"]},
        "subjects": ["research_participants"],
        "purposes": ["research"]
    }));
    assert_result(&c, Outcome::OutOfScope, &[], &[]);
    assert_fired(&c, "art_2_6_scientific_research_only");
    assert_registration(&c, Section::Public, RegistrationBasis::Art71);
}

#[test]
fn research_exclusion_is_rejected_for_a_marketing_purpose() {
    let c = run(json!({
        "scope_exclusion": "scientific_research_only",
        "biometric": {"uses_biometric_data": true, "functions": ["emotion_recognition"]},
        "spaces": ["publicly_accessible"],
        "subjects": ["customers"],
        "purposes": ["research", "marketing"]
    }));
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
    assert_finding(&c, FindingCode::ScopeExclusionRejected, Severity::Warning);
}

#[test]
fn pre_market_research_is_out_of_scope() {
    let c = run(json!({
        "scope_exclusion": "pre_market_research",
        "biometric": {"uses_biometric_data": true, "functions": ["categorisation"], "inferred_attributes": ["race"]}
    }));
    assert_result(&c, Outcome::OutOfScope, &[], &[]);
    assert_fired(&c, "art_2_8_pre_market_research");
}

#[test]
fn personal_use_by_a_natural_person_is_out_of_scope() {
    let c = run(json!({
        "scope_exclusion": "personal_non_professional",
        "biometric": {"uses_biometric_data": true, "functions": ["verification"], "comparison": "one_to_one",
                      "reference_database": "on_device", "active_involvement": true},
        "purposes": ["device_unlock"],
        "deployer_type": "natural_person"
    }));
    assert_result(&c, Outcome::OutOfScope, &[], &[]);
    assert_fired(&c, "art_2_10_personal_non_professional");
}

#[test]
fn personal_use_exclusion_does_not_relieve_the_provider() {
    let c = run_system(json!({
        "registration_type": "annex_viii_a",
        "declared_annex_iii": ["1_c"],
        "facts": {
            "scope_exclusion": "personal_non_professional",
            "biometric": {"uses_biometric_data": true, "functions": ["emotion_recognition"]},
            "subjects": ["users"]
        }
    }));
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
    assert_finding(&c, FindingCode::ScopeExclusionRejected, Severity::Info);
}

#[test]
fn personal_use_exclusion_is_rejected_for_a_company() {
    let c = run(json!({
        "scope_exclusion": "personal_non_professional",
        "biometric": live_face_identification(),
        "spaces": ["publicly_accessible"],
        "deployer_type": "private_company"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_finding(&c, FindingCode::ScopeExclusionRejected, Severity::Warning);
}

#[test]
fn out_of_scope_decides_nothing_but_the_rationale() {
    let c = run(json!({
        "scope_exclusion": "pre_market_research",
        "biometric": {"untargeted_scraping": true, "modalities": ["face"], "functions": ["database_creation"]},
        "art_6_3_conditions": ["preparatory_task"]
    }));
    assert_result(&c, Outcome::OutOfScope, &[], &[]);
    assert!(c.findings.is_empty());
    assert!(c.transparency_obligations.is_empty());
    assert!(!c.rationale.is_empty());
}

// ------------------------------------------------- Art. 5(1)(e): scraping

#[test]
fn untargeted_scraping_of_faces_is_prohibited_without_exception() {
    let c = run(json!({
        "biometric": {
            "uses_biometric_data": true, "modalities": ["face"], "functions": ["database_creation", "identification"],
            "comparison": "one_to_many", "reference_database": "open_collection", "untargeted_scraping": true,
            "active_involvement": false
        },
        "spaces": ["online"],
        "deployer_type": "private_company"
    }));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_e"]);
    assert_fired(&c, "art_5_1_e_untargeted_scraping");
    assert_finding(&c, FindingCode::ProhibitedPractice, Severity::Violation);
}

#[test]
fn untargeted_scraping_is_prohibited_for_the_police_too() {
    let c = run(json!({
        "biometric": {"modalities": ["face"], "functions": ["database_creation"], "untargeted_scraping": true},
        "deployer_type": "law_enforcement_authority",
        "purposes": ["law_enforcement"]
    }));
    assert_result(&c, Outcome::Prohibited, &[], &["art_5_1_e"]);
}

#[test]
fn scraping_voices_only_is_not_the_face_database_prohibition() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["voice"], "functions": ["database_creation"],
                      "untargeted_scraping": true}
    }));
    assert!(c.prohibited_practices.is_empty());
}

// ------------------------------------------- Art. 5(1)(f): emotion at work

#[test]
fn emotion_recognition_of_employees_is_prohibited() {
    let mut f = emotion(json!(["workplace"]), json!(["employees"]));
    f["purposes"] = json!(["worker_management"]);
    f["deployer_type"] = json!("employer");
    let c = run(f);
    assert_result(&c, Outcome::Prohibited, &["1_c", "4_b"], &["art_5_1_f"]);
    assert_fired(&c, "art_5_1_f_emotion_recognition_work_education");
}

#[test]
fn emotion_recognition_of_job_candidates_is_prohibited() {
    let mut f = emotion(json!(["online"]), json!(["job_candidates"]));
    f["purposes"] = json!(["recruitment"]);
    let c = run(f);
    assert_result(&c, Outcome::Prohibited, &["1_c", "4_a"], &["art_5_1_f"]);
}

#[test]
fn emotion_recognition_of_students_is_prohibited() {
    let c = run(emotion(json!(["education"]), json!(["students"])));
    assert_result(&c, Outcome::Prohibited, &["1_c"], &["art_5_1_f"]);
    assert!(
        c.transparency_obligations.is_empty(),
        "the duty to inform is moot when prohibited"
    );
    assert_fired(&c, "art_50_3_moot_when_prohibited");
}

#[test]
fn emotion_recognition_at_work_for_safety_is_high_risk_1c() {
    let mut f = emotion(json!(["workplace", "vehicle"]), json!(["employees"]));
    f["exceptions_claimed"] = json!(["safety"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
    assert_fired(&c, "art_5_1_f_medical_or_safety_exception");
    assert!(has_art_50_3(&c));
}

#[test]
fn emotion_recognition_of_students_for_medical_reasons_is_not_prohibited() {
    let mut f = emotion(json!(["education"]), json!(["students"]));
    f["exceptions_claimed"] = json!(["medical"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
}

#[test]
fn emotion_recognition_of_customers_is_annex_iii_1c() {
    let mut f = emotion(
        json!(["publicly_accessible"]),
        json!(["customers", "general_public"]),
    );
    f["purposes"] = json!(["advertising"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
    assert!(has_art_50_3(&c));
    assert_fired(&c, "annex_iii_1_c_emotion_recognition");
    assert_fired(&c, "art_50_3_inform_persons_exposed");
}

#[test]
fn emotion_recognition_of_customers_in_a_call_centre_is_not_prohibited() {
    let mut f = emotion(json!(["workplace"]), json!(["customers"]));
    f["biometric"]["modalities"] = json!(["voice"]);
    f["purposes"] = json!(["customer_service"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
}

#[test]
fn emotion_recognition_of_patients_is_annex_iii_1c() {
    let c = run(emotion(json!(["healthcare"]), json!(["patients"])));
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
}

#[test]
fn emotion_recognition_of_travellers_is_annex_iii_1c() {
    let c = run(emotion(
        json!(["publicly_accessible"]),
        json!(["travellers"]),
    ));
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
}

#[test]
fn emotion_recognition_in_a_workplace_with_unknown_subjects_is_read_as_prohibited() {
    let c = run(emotion(json!(["workplace"]), json!([])));
    assert_result(&c, Outcome::Prohibited, &["1_c"], &["art_5_1_f"]);
    assert_missing_fact(&c, "facts.subjects");
}

#[test]
fn fatigue_detection_is_not_emotion_recognition() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["physical_state_detection"]},
        "spaces": ["workplace"],
        "subjects": ["employees"],
        "purposes": ["safety"],
        "deployer_type": "employer"
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert!(!has_art_50_3(&c));
    assert_fired(&c, "art_3_39_physical_state_is_not_emotion");
}

#[test]
fn sentiment_analysis_without_biometric_data_is_not_emotion_recognition() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": false, "functions": ["emotion_recognition"]},
        "spaces": ["workplace"],
        "subjects": ["employees"]
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert_fired(&c, "art_3_34_no_biometric_data");
}

// ------------------------------------- Art. 5(1)(g) and 1(b): categorisation

#[test]
fn categorisation_by_political_opinion_is_prohibited() {
    let c = run(categorisation(json!(["political_opinions"])));
    assert_result(&c, Outcome::Prohibited, &["1_b"], &["art_5_1_g"]);
    assert!(c.transparency_obligations.is_empty());
    assert_fired(&c, "art_5_1_g_sensitive_biometric_categorisation");
}

#[test]
fn categorisation_by_sexual_orientation_is_prohibited() {
    let c = run(categorisation(json!(["sexual_orientation", "age"])));
    assert_result(&c, Outcome::Prohibited, &["1_b"], &["art_5_1_g"]);
}

#[test]
fn ethnic_origin_categorisation_is_1b_not_prohibited() {
    let c = run(categorisation(json!(["ethnic_origin"])));
    assert_result(&c, Outcome::HighRisk, &["1_b"], &[]);
    assert!(has_art_50_3(&c));
}

#[test]
fn health_categorisation_is_1b_not_prohibited() {
    let c = run(categorisation(json!(["health"])));
    assert_result(&c, Outcome::HighRisk, &["1_b"], &[]);
}

#[test]
fn labelling_lawfully_acquired_datasets_is_excepted_from_5_1_g_but_stays_1b() {
    let mut f = categorisation(json!(["race"]));
    f["biometric"]["dataset_labelling"] = json!(true);
    f["purposes"] = json!(["dataset_curation"]);
    f["subjects"] = json!(["dataset_subjects"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_b"], &[]);
    assert_fired(&c, "art_5_1_g_labelling_or_law_enforcement_exception");
}

#[test]
fn categorising_biometric_data_in_law_enforcement_is_excepted_from_5_1_g() {
    let mut f = categorisation(json!(["religious_beliefs"]));
    f["deployer_type"] = json!("law_enforcement_authority");
    f["purposes"] = json!(["law_enforcement"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_b"], &[]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn age_estimation_is_not_1b_but_triggers_art_50_3() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                      "inferred_attributes": ["age"]},
        "spaces": ["publicly_accessible"],
        "subjects": ["customers"],
        "purposes": ["age_assurance"],
        "deployer_type": "private_company"
    }));
    assert_result(&c, Outcome::TransparencyOnly, &[], &[]);
    assert!(has_art_50_3(&c));
    assert_fired(&c, "annex_iii_1_b_attributes_not_sensitive");
}

#[test]
fn gender_estimation_is_not_1b_but_triggers_art_50_3() {
    let c = run(categorisation(json!(["gender"])));
    assert_result(&c, Outcome::TransparencyOnly, &[], &[]);
}

#[test]
fn ancillary_try_on_filter_is_not_a_categorisation_system() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                      "inferred_attributes": ["age"], "ancillary_feature": true},
        "spaces": ["online"],
        "subjects": ["users"],
        "purposes": ["product_preview"]
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert!(!has_art_50_3(&c));
    assert_fired(&c, "art_3_40_ancillary_feature_excluded");
}

#[test]
fn ancillary_claim_is_rejected_when_a_sensitive_attribute_is_inferred() {
    let mut f = categorisation(json!(["race"]));
    f["biometric"]["ancillary_feature"] = json!(true);
    let c = run(f);
    assert_result(&c, Outcome::Prohibited, &["1_b"], &["art_5_1_g"]);
    assert_finding(&c, FindingCode::AncillaryFeatureRejected, Severity::Warning);
}

#[test]
fn attributes_inferred_without_the_function_named_are_still_categorisation() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "inferred_attributes": ["ethnic_origin"]}
    }));
    assert_result(&c, Outcome::HighRisk, &["1_b"], &[]);
}

// ------------------------- Art. 5(1)(h): real-time identification by police

#[test]
fn realtime_police_rbi_for_a_missing_child_with_authorisation_and_law_is_high_risk_1a() {
    let c = run(police_live_rbi(json!({
        "objective": "victims_or_missing_persons", "authorisation": "granted", "national_law_permits": true
    })));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_fired(&c, "art_5_2_realtime_rbi_exception_applies");
    assert!(!has_art_50_3(&c));
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn realtime_police_rbi_without_national_law_is_prohibited() {
    let c = run(police_live_rbi(json!({
        "objective": "victims_or_missing_persons", "authorisation": "granted", "national_law_permits": false
    })));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_finding(
        &c,
        FindingCode::Art5_5NationalLawMissing,
        Severity::Violation,
    );
    assert_eq!(
        finding_codes(&c),
        ["art_5_5_national_law_missing", "prohibited_practice"]
    );
    assert_fired(&c, "art_5_1_h_realtime_rbi_law_enforcement");
}

#[test]
fn realtime_police_rbi_with_refused_authorisation_is_prohibited() {
    let c = run(police_live_rbi(json!({
        "objective": "imminent_threat", "authorisation": "refused", "national_law_permits": true
    })));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_finding(
        &c,
        FindingCode::Art5_3AuthorisationMissing,
        Severity::Violation,
    );
}

#[test]
fn realtime_police_rbi_for_an_unlisted_objective_is_prohibited() {
    let c = run(police_live_rbi(json!({
        "objective": "other", "authorisation": "granted", "national_law_permits": true
    })));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_finding(
        &c,
        FindingCode::Art5_1HObjectiveNotListed,
        Severity::Violation,
    );
}

#[test]
fn realtime_police_rbi_with_unknown_conditions_is_prohibited_and_names_the_missing_facts() {
    let mut f = police_live_rbi(json!({}));
    f.as_object_mut().unwrap().remove("law_enforcement");
    let c = run(f);
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_missing_fact(&c, "facts.law_enforcement.objective");
    assert_missing_fact(&c, "facts.law_enforcement.authorisation");
    assert_missing_fact(&c, "facts.law_enforcement.national_law_permits");
    assert_finding(
        &c,
        FindingCode::Art5_3AuthorisationMissing,
        Severity::Warning,
    );
    assert_finding(&c, FindingCode::Art5_5NationalLawMissing, Severity::Warning);
}

#[test]
fn urgent_realtime_use_with_authorisation_requested_within_deadline_is_not_prohibited() {
    let c = run(police_live_rbi(json!({
        "objective": "imminent_threat", "authorisation": "requested_within_deadline", "national_law_permits": true
    })));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
}

#[test]
fn realtime_rbi_on_behalf_of_the_police_is_prohibited() {
    let c = run(json!({
        "biometric": live_face_identification(),
        "spaces": ["publicly_accessible"],
        "deployer_type": "private_company",
        "on_behalf_of_law_enforcement": true,
        "law_enforcement": {"objective": "serious_crime_suspect", "authorisation": "granted", "national_law_permits": false}
    }));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn realtime_rbi_for_a_law_enforcement_purpose_is_prohibited_whoever_deploys_it() {
    let c = run(json!({
        "biometric": live_face_identification(),
        "spaces": ["publicly_accessible"],
        "purposes": ["law_enforcement"],
        "deployer_type": "public_authority",
        "law_enforcement": {"objective": "serious_crime_suspect", "authorisation": "none", "national_law_permits": true}
    }));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
}

#[test]
fn prison_is_not_a_publicly_accessible_space() {
    let mut f = police_live_rbi(json!({"national_law_permits": false}));
    f["spaces"] = json!(["prison_or_custody"]);
    f["subjects"] = json!(["inmates"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_fired(&c, "art_3_44_not_a_publicly_accessible_space");
}

#[test]
fn border_control_area_is_not_a_publicly_accessible_space() {
    let mut f = police_live_rbi(json!({"national_law_permits": false}));
    f["spaces"] = json!(["border_control_area"]);
    f["subjects"] = json!(["travellers"]);
    f["purposes"] = json!(["law_enforcement", "border_control"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_a", "7_d"], &[]);
}

#[test]
fn online_space_is_not_a_publicly_accessible_space() {
    let mut f = police_live_rbi(json!({}));
    f["spaces"] = json!(["online"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
}

#[test]
fn casino_watchlist_identification_is_1a_but_not_law_enforcement() {
    let c = run(json!({
        "biometric": live_face_identification(),
        "spaces": ["publicly_accessible"],
        "subjects": ["visitors"],
        "purposes": ["access_control", "security"],
        "deployer_type": "private_company"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_not_fired(&c, "art_5_1_h_realtime_rbi_law_enforcement");
    assert_registration(&c, Section::Public, RegistrationBasis::Art49_1);
}

#[test]
fn police_identification_with_unknown_timing_is_read_as_realtime() {
    let mut f =
        police_live_rbi(json!({"objective": "serious_crime_suspect", "authorisation": "granted"}));
    f["biometric"].as_object_mut().unwrap().remove("timing");
    let c = run(f);
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_missing_fact(&c, "facts.biometric.timing");
    assert_fired(&c, "art_5_1_h_stricter_reading_of_unknown_timing_or_space");
}

#[test]
fn police_identification_with_unknown_spaces_is_read_as_publicly_accessible() {
    let mut f = police_live_rbi(
        json!({"objective": "serious_crime_suspect", "authorisation": "granted",
                                       "national_law_permits": false}),
    );
    f.as_object_mut().unwrap().remove("spaces");
    let c = run(f);
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_missing_fact(&c, "facts.spaces");
}

#[test]
fn provider_of_realtime_police_rbi_is_high_risk_and_leaves_conditions_to_each_use() {
    let c = run_system(json!({
        "registration_type": "annex_viii_a",
        "declared_annex_iii": ["1_a"],
        "facts": police_live_rbi(json!({}))
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_finding(&c, FindingCode::Art5_1HConditionsPerUse, Severity::Info);
    assert_no_finding(&c, FindingCode::MissingFact);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn provider_system_intended_for_use_without_national_law_is_prohibited() {
    let c = run_system(json!({
        "registration_type": "annex_viii_a",
        "declared_annex_iii": ["1_a"],
        "facts": police_live_rbi(json!({"national_law_permits": false}))
    }));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
}

#[test]
fn realtime_police_deployment_without_fria_is_prohibited() {
    let c = run_deployment(json!({
        "registration_type": "annex_viii_c",
        "deployer": {"type": "law_enforcement_authority"},
        "legal_basis": {"ground": "law_enforcement_directive"},
        "dpia": {"performed": true},
        "fria_performed": false,
        "facts": police_live_rbi(json!({
            "objective": "victims_or_missing_persons", "authorisation": "granted", "national_law_permits": true
        }))
    }));
    assert_result(&c, Outcome::Prohibited, &["1_a"], &["art_5_1_h"]);
    assert_finding(&c, FindingCode::FriaMissing, Severity::Violation);
}

#[test]
fn realtime_police_deployment_meeting_every_condition_is_high_risk() {
    let c = run_deployment(json!({
        "registration_type": "annex_viii_c",
        "deployer": {"type": "law_enforcement_authority"},
        "legal_basis": {"ground": "law_enforcement_directive"},
        "dpia": {"performed": true},
        "fria_performed": true,
        "facts": police_live_rbi(json!({
            "objective": "victims_or_missing_persons", "authorisation": "granted", "national_law_permits": true
        }))
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert!(c.findings.is_empty(), "{:#?}", c.findings);
}

// ------------------------------------- Annex III 1(a): remote identification

#[test]
fn phone_unlock_is_not_remote_biometric_identification() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                      "comparison": "one_to_one", "reference_database": "on_device", "active_involvement": true},
        "subjects": ["users"],
        "purposes": ["device_unlock"]
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert_fired(&c, "art_3_36_verification_is_not_identification");
}

#[test]
fn e_gate_verification_against_the_passport_chip_is_neither_1a_nor_7d() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                      "comparison": "one_to_one", "reference_database": "travel_document", "active_involvement": true,
                      "timing": "real_time"},
        "spaces": ["border_control_area"],
        "subjects": ["travellers"],
        "purposes": ["border_control"],
        "deployer_type": "migration_authority"
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert_fired(&c, "annex_iii_7_d_travel_document_verification_excepted");
}

#[test]
fn staff_turnstile_where_employees_present_their_face_is_not_rbi() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["identification"],
                      "comparison": "one_to_many", "reference_database": "enrolled_persons", "active_involvement": true,
                      "timing": "real_time"},
        "spaces": ["workplace"],
        "subjects": ["employees"],
        "purposes": ["access_control"],
        "deployer_type": "employer"
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert_fired(&c, "art_3_41_active_presentation_is_not_remote");
}

#[test]
fn watchlist_check_makes_one_to_one_remote_identification() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                      "comparison": "one_to_one", "reference_database": "enrolled_persons", "watchlist_check": true,
                      "active_involvement": true, "timing": "real_time"},
        "spaces": ["publicly_accessible"],
        "subjects": ["visitors"],
        "purposes": ["access_control"],
        "deployer_type": "private_company"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_fired(&c, "art_3_41_watchlist_check_is_identification");
}

#[test]
fn e_gate_that_also_searches_a_watchlist_is_1a_and_7d_in_the_non_public_section() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                      "comparison": "one_to_one", "reference_database": "travel_document", "watchlist_check": true,
                      "active_involvement": true, "timing": "real_time"},
        "spaces": ["border_control_area"],
        "purposes": ["border_control"],
        "deployer_type": "migration_authority"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a", "7_d"], &[]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn post_identification_on_cctv_footage_is_1a_wherever_it_happens() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["identification"],
                      "comparison": "one_to_many", "reference_database": "watchlist", "active_involvement": false,
                      "timing": "post"},
        "spaces": ["private_premises"],
        "subjects": ["customers"],
        "purposes": ["loss_prevention", "incident_investigation"],
        "deployer_type": "private_company"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_registration(&c, Section::Public, RegistrationBasis::Art49_1);
}

#[test]
fn identification_with_unknown_active_involvement_is_read_as_remote() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "comparison": "one_to_many",
                      "reference_database": "enrolled_persons"},
        "spaces": ["publicly_accessible"],
        "purposes": ["access_control"]
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_missing_fact(&c, "facts.biometric.active_involvement");
}

#[test]
fn identifying_students_from_ceiling_cameras_is_1a() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["identification"],
                      "comparison": "one_to_many", "active_involvement": false, "timing": "real_time",
                      "reference_database": "enrolled_persons"},
        "spaces": ["education"],
        "subjects": ["students"],
        "purposes": ["other"],
        "deployer_type": "education_institution"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
}

#[test]
fn bank_selfie_against_the_passport_chip_is_not_high_risk() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                      "comparison": "one_to_one", "reference_database": "travel_document", "active_involvement": true,
                      "timing": "real_time"},
        "spaces": ["online"],
        "subjects": ["customers"],
        "purposes": ["access_control"],
        "deployer_type": "private_company"
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert_registration(&c, Section::Public, RegistrationBasis::Art71);
}

// -------------------------------------------------- Annex III 3 and 4

#[test]
fn exam_proctoring_that_monitors_behaviour_is_3d() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face", "gaze"],
                      "functions": ["verification", "behaviour_monitoring"]},
        "spaces": ["education", "online"],
        "subjects": ["students"],
        "purposes": ["exam_proctoring"]
    }));
    assert_result(&c, Outcome::HighRisk, &["3_d"], &[]);
    assert_fired(&c, "annex_iii_3_d_exam_proctoring");
}

#[test]
fn exam_proctoring_without_biometrics_is_3d() {
    let c = run(
        json!({"spaces": ["online"], "subjects": ["students"], "purposes": ["exam_proctoring"]}),
    );
    assert_result(&c, Outcome::HighRisk, &["3_d"], &[]);
}

#[test]
fn identity_check_at_exam_start_is_not_3d() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                      "comparison": "one_to_one", "reference_database": "enrolled_persons", "active_involvement": true},
        "spaces": ["education", "online"],
        "subjects": ["students"],
        "purposes": ["exam_proctoring"]
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert_fired(&c, "annex_iii_3_d_identity_check_is_not_monitoring");
}

#[test]
fn education_assessment_is_3b() {
    let c = run(json!({"subjects": ["students"], "purposes": ["education_assessment"]}));
    assert_result(&c, Outcome::HighRisk, &["3_b"], &[]);
}

#[test]
fn recruitment_is_4a() {
    let c = run(
        json!({"subjects": ["job_candidates"], "purposes": ["recruitment"], "profiling": true}),
    );
    assert_result(&c, Outcome::HighRisk, &["4_a"], &[]);
    assert_fired(&c, "annex_iii_4_a_recruitment");
}

#[test]
fn behaviour_monitoring_of_employees_is_4b() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["behaviour_monitoring"]},
        "spaces": ["workplace"],
        "subjects": ["employees"],
        "purposes": ["security"]
    }));
    assert_result(&c, Outcome::HighRisk, &["4_b"], &[]);
}

#[test]
fn worker_management_is_4b() {
    let c = run(json!({"subjects": ["employees"], "purposes": ["worker_management"]}));
    assert_result(&c, Outcome::HighRisk, &["4_b"], &[]);
}

// -------------------------------------------------- Annex III 6 and 7

#[test]
fn police_credibility_tool_is_6b() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["voice"], "functions": ["emotion_recognition"]},
        "subjects": ["suspects"],
        "purposes": ["credibility_assessment", "law_enforcement"],
        "deployer_type": "law_enforcement_authority"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_c", "6_b"], &[]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn police_profiling_is_6e() {
    let c =
        run(json!({"subjects": ["suspects"], "purposes": ["law_enforcement"], "profiling": true}));
    assert_result(&c, Outcome::HighRisk, &["6_e"], &[]);
}

#[test]
fn police_risk_assessment_is_6d_unless_the_provider_declares_6a() {
    let f =
        json!({"subjects": ["general_public"], "purposes": ["risk_assessment", "law_enforcement"]});
    assert_result(&run(f.clone()), Outcome::HighRisk, &["6_d"], &[]);
    let c = run_system(
        json!({"registration_type": "annex_viii_a", "declared_annex_iii": ["6_a"], "facts": f}),
    );
    assert_result(&c, Outcome::HighRisk, &["6_a"], &[]);
    assert_no_finding(&c, FindingCode::DeclaredAnnexIiiMismatch);
}

#[test]
fn migration_voice_stress_credibility_test_is_7a_and_1c_not_7c() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["voice"], "functions": ["emotion_recognition"]},
        "spaces": ["border_control_area"],
        "subjects": ["travellers"],
        "purposes": ["credibility_assessment", "asylum_visa_residence"],
        "deployer_type": "migration_authority",
        "profiling": true
    }));
    assert_result(&c, Outcome::HighRisk, &["1_c", "7_a"], &[]);
    assert!(has_art_50_3(&c));
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn migration_risk_assessment_is_7b() {
    let c =
        run(json!({"subjects": ["travellers"], "purposes": ["risk_assessment", "border_control"]}));
    assert_result(&c, Outcome::HighRisk, &["7_b"], &[]);
}

#[test]
fn assisting_the_examination_of_asylum_applications_is_7c() {
    let c = run(
        json!({"subjects": ["asylum_seekers"], "purposes": ["asylum_visa_residence"],
                       "deployer_type": "migration_authority"}),
    );
    assert_result(&c, Outcome::HighRisk, &["7_c"], &[]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

#[test]
fn fingerprint_identification_at_asylum_registration_is_7d_not_1a() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["fingerprint"], "functions": ["identification"],
                      "comparison": "one_to_many", "reference_database": "enrolled_persons", "active_involvement": true},
        "subjects": ["asylum_seekers"],
        "purposes": ["asylum_visa_residence"],
        "deployer_type": "migration_authority"
    }));
    assert_result(&c, Outcome::HighRisk, &["7_d"], &[]);
}

#[test]
fn verification_in_migration_with_unknown_reference_is_read_as_7d() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                      "comparison": "one_to_one", "active_involvement": true},
        "purposes": ["border_control"]
    }));
    assert_result(&c, Outcome::HighRisk, &["7_d"], &[]);
    assert_missing_fact(&c, "facts.biometric.reference_database");
}

#[test]
fn person_detection_at_the_border_is_7d() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": false, "functions": ["person_detection_or_tracking"]},
        "spaces": ["border_control_area"],
        "purposes": ["border_control"]
    }));
    assert_result(&c, Outcome::HighRisk, &["7_d"], &[]);
}

// ------------------------------------------------- Art. 6(1) and 6(3)

#[test]
fn profiling_blocks_art_6_3() {
    let c = run(json!({
        "subjects": ["job_candidates"],
        "purposes": ["recruitment"],
        "profiling": true,
        "art_6_3_conditions": ["narrow_procedural_task"]
    }));
    assert_result(&c, Outcome::HighRisk, &["4_a"], &[]);
    assert!(c.art_6_3.claimed && !c.art_6_3.available);
    assert_eq!(c.art_6_3.reason, Some(Art63Reason::Profiling));
    assert_finding(&c, FindingCode::Art63Unavailable, Severity::Warning);
    assert_fired(&c, "art_6_3_derogation_unavailable");
}

#[test]
fn narrow_procedural_task_without_profiling_lifts_a_recruitment_tool() {
    let c = run(json!({
        "subjects": ["job_candidates"],
        "purposes": ["recruitment"],
        "profiling": false,
        "art_6_3_conditions": ["narrow_procedural_task"]
    }));
    assert_eq!(c.outcome, Outcome::NotHighRisk);
    assert_eq!(point_codes(&c), ["4_a"], "the point stays listed");
    assert!(c.art_6_3.claimed && c.art_6_3.available);
    assert_eq!(c.art_6_3.reason, None);
    assert_registration(&c, Section::Public, RegistrationBasis::Art49_2);
    assert_fired(&c, "art_6_3_derogation_applies");
}

#[test]
fn art_6_3_is_never_available_for_a_listed_biometric_function() {
    let mut f = emotion(json!(["publicly_accessible"]), json!(["customers"]));
    f["profiling"] = json!(false);
    f["art_6_3_conditions"] = json!(["preparatory_task"]);
    let c = run(f);
    assert_result(&c, Outcome::HighRisk, &["1_c"], &[]);
    assert_eq!(c.art_6_3.reason, Some(Art63Reason::ListedBiometricFunction));
    assert_finding(&c, FindingCode::Art63Unavailable, Severity::Warning);
}

#[test]
fn art_6_3_with_unstated_profiling_takes_the_stricter_reading() {
    let c = run(
        json!({"purposes": ["worker_management"], "art_6_3_conditions": ["detects_decision_patterns"]}),
    );
    assert_result(&c, Outcome::HighRisk, &["4_b"], &[]);
    assert_eq!(c.art_6_3.reason, Some(Art63Reason::ProfilingNotStated));
    assert_missing_fact(&c, "facts.profiling");
}

#[test]
fn section_b_registration_of_a_remote_identification_system_is_flagged() {
    let c = run_system(json!({
        "registration_type": "annex_viii_b",
        "declared_annex_iii": ["1_a"],
        "facts": {
            "biometric": live_face_identification(),
            "spaces": ["publicly_accessible"],
            "profiling": false,
            "art_6_3_conditions": ["preparatory_task"]
        }
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_finding(&c, FindingCode::SectionBButHighRisk, Severity::Violation);
    assert_finding(&c, FindingCode::Art63Unavailable, Severity::Warning);
    assert_registration(&c, Section::Public, RegistrationBasis::Art49_1);
}

#[test]
fn section_b_without_any_condition_stated_is_flagged() {
    let c = run_system(json!({
        "registration_type": "annex_viii_b",
        "declared_annex_iii": ["4_a"],
        "facts": {"purposes": ["recruitment"], "profiling": false}
    }));
    assert_eq!(c.art_6_3.reason, Some(Art63Reason::NoConditionStated));
    assert_finding(&c, FindingCode::SectionBButHighRisk, Severity::Violation);
}

#[test]
fn annex_i_product_is_high_risk_under_art_6_1() {
    let c = run(json!({"annex_i_product": true, "purposes": ["safety"]}));
    assert_result(&c, Outcome::HighRisk, &[], &[]);
    assert_fired(&c, "art_6_1_annex_i_product");
    assert_registration(&c, Section::Public, RegistrationBasis::Art71);
}

#[test]
fn declared_point_the_facts_cannot_decide_stands() {
    let c = run_system(json!({
        "registration_type": "annex_viii_a",
        "declared_annex_iii": ["5_b"],
        "facts": {"subjects": ["customers"], "profiling": true}
    }));
    assert_result(&c, Outcome::HighRisk, &["5_b"], &[]);
    assert_fired(&c, "annex_iii_declared_point_beyond_facts");
    assert_no_finding(&c, FindingCode::DeclaredAnnexIiiMismatch);
}

#[test]
fn critical_infrastructure_routes_to_national_registration() {
    let c = run_system(json!({
        "registration_type": "annex_viii_a",
        "declared_annex_iii": ["2"],
        "facts": {"purposes": ["safety"]}
    }));
    assert_result(&c, Outcome::HighRisk, &["2"], &[]);
    assert_registration(&c, Section::National, RegistrationBasis::Art49_5);
}

#[test]
fn declared_points_that_differ_from_the_facts_are_named() {
    let c = run_system(json!({
        "registration_type": "annex_viii_a",
        "declared_annex_iii": ["1_b", "4_a"],
        "facts": {"biometric": live_face_identification(), "spaces": ["publicly_accessible"], "purposes": ["recruitment"]}
    }));
    let finding = c
        .findings
        .iter()
        .find(|f| f.code == FindingCode::DeclaredAnnexIiiMismatch)
        .expect("mismatch finding");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding.message.contains("declared but not derived 1_b"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("derived but not declared 1_a"),
        "{}",
        finding.message
    );
}

// ------------------------------------------------------- Art. 50(3)

#[test]
fn prohibited_outcome_still_lists_annex_iii_points() {
    let mut f = emotion(json!(["workplace"]), json!(["employees", "customers"]));
    f["purposes"] = json!(["worker_management"]);
    let c = run(f);
    assert_result(&c, Outcome::Prohibited, &["1_c", "4_b"], &["art_5_1_f"]);
    assert!(c.transparency_obligations.is_empty());
    assert_finding(&c, FindingCode::ProhibitedPractice, Severity::Violation);
}

#[test]
fn crime_detection_permitted_by_law_lifts_art_50_3() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                      "inferred_attributes": ["age", "gender"]},
        "spaces": ["publicly_accessible"],
        "purposes": ["law_enforcement"],
        "deployer_type": "law_enforcement_authority",
        "law_enforcement": {"crime_detection_permitted_by_law": true}
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert!(!has_art_50_3(&c));
    assert_fired(&c, "art_50_3_crime_detection_exception");
}

#[test]
fn two_prohibitions_are_both_listed_with_one_finding_each() {
    let c = run(json!({
        "biometric": {"uses_biometric_data": true, "modalities": ["face"],
                      "functions": ["emotion_recognition", "categorisation"],
                      "inferred_attributes": ["trade_union_membership"]},
        "spaces": ["workplace"],
        "subjects": ["employees"]
    }));
    assert_result(
        &c,
        Outcome::Prohibited,
        &["1_b", "1_c"],
        &["art_5_1_f", "art_5_1_g"],
    );
    let prohibited = c
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::ProhibitedPractice)
        .count();
    assert_eq!(prohibited, 2);
}

// ------------------------------------------------------ Registration

#[test]
fn police_post_identification_routes_to_non_public_section() {
    let c = run_system(fixture("system-annex-viii-a.json"));
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
    assert_fired(&c, "art_49_4_non_public_section");
}

#[test]
fn public_authority_deploying_a_high_risk_system_registers_in_section_c() {
    let c = run_deployment(json!({
        "registration_type": "annex_viii_c",
        "deployer": {"type": "public_authority"},
        "legal_basis": {"ground": "gdpr_9_2_g_substantial_public_interest"},
        "dpia": {"performed": true},
        "fria_performed": true,
        "facts": {"subjects": ["general_public"], "purposes": ["education_assessment"]}
    }));
    assert_result(&c, Outcome::HighRisk, &["3_b"], &[]);
    assert_registration(&c, Section::Public, RegistrationBasis::Art49_3);
}

#[test]
fn private_deployment_of_a_high_risk_system_is_public_without_an_art_49_duty() {
    let c = run_deployment(json!({
        "registration_type": "national_use",
        "deployer": {"type": "private_company"},
        "legal_basis": {"ground": "gdpr_9_2_a_explicit_consent"},
        "consent": {"alternative_offered": true},
        "employment_relationship": false,
        "dpia": {"performed": true},
        "facts": {"biometric": live_face_identification(), "spaces": ["publicly_accessible"],
                  "subjects": ["visitors"], "purposes": ["security"]}
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_registration(&c, Section::Public, RegistrationBasis::Art71);
}

#[test]
fn migration_authority_identification_routes_to_non_public_section() {
    let c = run(json!({
        "biometric": live_face_identification(),
        "spaces": ["border_control_area"],
        "deployer_type": "migration_authority"
    }));
    assert_result(&c, Outcome::HighRisk, &["1_a", "7_d"], &[]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
}

// ----------------------------------------------- Deployer duties and GDPR

#[test]
fn police_post_identification_without_authorisation_violates_art_26_10() {
    let mut doc = fixture("deployment-annex-viii-c.json");
    doc["facts"]["law_enforcement"]["authorisation"] = json!("none");
    let c = run_deployment(doc);
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_finding(
        &c,
        FindingCode::Art26_10AuthorisationMissing,
        Severity::Violation,
    );
    assert_eq!(finding_codes(&c), ["art_26_10_authorisation_missing"]);
}

#[test]
fn initial_identification_of_a_potential_suspect_needs_no_art_26_10_authorisation() {
    let mut doc = fixture("deployment-annex-viii-c.json");
    doc["facts"]["law_enforcement"] =
        json!({"objective": "initial_identification", "authorisation": "none"});
    let c = run_deployment(doc);
    assert_no_finding(&c, FindingCode::Art26_10AuthorisationMissing);
    assert_fired(&c, "art_26_10_post_rbi_authorisation");
}

#[test]
fn post_identification_with_unknown_authorisation_names_the_missing_fact() {
    let mut doc = fixture("deployment-annex-viii-c.json");
    doc["facts"]
        .as_object_mut()
        .unwrap()
        .remove("law_enforcement");
    let c = run_deployment(doc);
    assert_finding(
        &c,
        FindingCode::Art26_10AuthorisationMissing,
        Severity::Warning,
    );
    assert_missing_fact(&c, "facts.law_enforcement.authorisation");
    assert_missing_fact(&c, "facts.law_enforcement.objective");
}

#[test]
fn police_identification_in_custody_with_unknown_timing_is_read_as_post() {
    let mut doc = fixture("deployment-annex-viii-c.json");
    doc["facts"]["biometric"]
        .as_object_mut()
        .unwrap()
        .remove("timing");
    doc["facts"]["spaces"] = json!(["prison_or_custody"]);
    doc["facts"]["law_enforcement"]["authorisation"] = json!("refused");
    let c = run_deployment(doc);
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_missing_fact(&c, "facts.biometric.timing");
    assert_finding(
        &c,
        FindingCode::Art26_10AuthorisationMissing,
        Severity::Violation,
    );
}

#[test]
fn public_authority_high_risk_deployment_without_fria_is_flagged() {
    let mut doc = fixture("deployment-annex-viii-c.json");
    doc["fria_performed"] = json!(false);
    let c = run_deployment(doc);
    assert_finding(&c, FindingCode::FriaMissing, Severity::Violation);
}

#[test]
fn consent_in_employment_is_flagged() {
    let c = run_deployment(consent_deployment(json!(true), json!(true)));
    assert_finding(&c, FindingCode::ConsentInEmployment, Severity::Warning);
    assert_no_finding(&c, FindingCode::ConsentWithoutAlternative);
    assert_fired(&c, "gdpr_9_2_a_consent_in_employment");
}

#[test]
fn consent_from_employees_with_unknown_relationship_is_read_as_employment() {
    let c = run_deployment(consent_deployment(Value::Null, json!(true)));
    assert_finding(&c, FindingCode::ConsentInEmployment, Severity::Warning);
    assert_missing_fact(&c, "employment_relationship");
}

#[test]
fn consent_without_an_alternative_is_a_violation() {
    let c = run_deployment(consent_deployment(json!(false), json!(false)));
    assert_finding(
        &c,
        FindingCode::ConsentWithoutAlternative,
        Severity::Violation,
    );
    assert_no_finding(&c, FindingCode::ConsentInEmployment);
}

#[test]
fn consent_with_an_unknown_alternative_is_a_warning_naming_the_fact() {
    let c = run_deployment(consent_deployment(json!(false), Value::Null));
    assert_finding(
        &c,
        FindingCode::ConsentWithoutAlternative,
        Severity::Warning,
    );
    assert_missing_fact(&c, "consent.alternative_offered");
}

#[test]
fn uavg_29_relied_on_for_loss_prevention_is_flagged() {
    let c = run_deployment(json!({
        "registration_type": "national_use",
        "deployer": {"type": "private_company"},
        "legal_basis": {"ground": "uavg_29_authentication_security"},
        "dpia": {"performed": true},
        "facts": {"biometric": live_face_identification(), "spaces": ["publicly_accessible"],
                  "subjects": ["customers"], "purposes": ["security", "loss_prevention"]}
    }));
    assert_finding(&c, FindingCode::Uavg29Purpose, Severity::Violation);
    assert!(c
        .findings
        .iter()
        .any(|f| f.message.contains("loss_prevention")));
}

#[test]
fn uavg_29_for_access_control_at_an_energy_plant_is_accepted() {
    let c = run_deployment(json!({
        "registration_type": "national_use",
        "deployer": {"type": "employer"},
        "legal_basis": {"ground": "uavg_29_authentication_security"},
        "employment_relationship": true,
        "dpia": {"performed": true},
        "facts": {
            "biometric": {"uses_biometric_data": true, "modalities": ["iris"], "functions": ["verification"],
                          "comparison": "one_to_one", "reference_database": "enrolled_persons",
                          "active_involvement": true},
            "spaces": ["workplace"], "subjects": ["employees"], "purposes": ["access_control", "security"]
        }
    }));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert!(c.findings.is_empty(), "{:#?}", c.findings);
    assert_fired(&c, "uavg_29_authentication_or_security_only");
}

#[test]
fn biometric_identification_without_a_dpia_is_flagged() {
    let mut doc = fixture("deployment-national-use.json");
    doc["dpia"]["performed"] = json!(false);
    let c = run_deployment(doc);
    assert_finding(&c, FindingCode::DpiaMissing, Severity::Violation);
}

#[test]
fn biometric_identification_with_unknown_dpia_names_the_fact() {
    let mut doc = fixture("deployment-national-use.json");
    doc.as_object_mut().unwrap().remove("dpia");
    let c = run_deployment(doc);
    assert_finding(&c, FindingCode::DpiaMissing, Severity::Warning);
    assert_missing_fact(&c, "dpia.performed");
}

#[test]
fn household_exemption_claimed_by_a_company_is_flagged() {
    let c = run_deployment(json!({
        "registration_type": "national_use",
        "deployer": {"type": "private_company"},
        "legal_basis": {"ground": "household_exemption"},
        "facts": {"biometric": live_face_identification(), "spaces": ["private_premises"]}
    }));
    assert_finding(
        &c,
        FindingCode::HouseholdExemptionNotPersonal,
        Severity::Violation,
    );
}

#[test]
fn biometric_deployment_without_a_legal_ground_names_the_fact() {
    let c = run_deployment(json!({
        "registration_type": "national_use",
        "deployer": {"type": "private_company"},
        "dpia": {"performed": true},
        "facts": {"biometric": live_face_identification(), "spaces": ["publicly_accessible"]}
    }));
    assert_missing_fact(&c, "legal_basis.ground");
}

// ---------------------------------------------- the shared examples

#[test]
fn example_system_annex_viii_a_is_police_post_identification_1a() {
    let c = run_system(fixture("system-annex-viii-a.json"));
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
    assert!(
        c.findings.is_empty(),
        "provider registration: no deployer findings: {:#?}",
        c.findings
    );
    assert!(!c.art_6_3.claimed);
}

#[test]
fn example_system_annex_viii_b_exam_identity_check_is_not_1a_nor_3d() {
    let c = run_system(fixture("system-annex-viii-b.json"));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert!(c.art_6_3.claimed && c.art_6_3.available);
    assert_eq!(c.art_6_3.reason, Some(Art63Reason::NoAnnexIiiPoint));
    assert_finding(&c, FindingCode::DeclaredAnnexIiiMismatch, Severity::Warning);
    assert_no_finding(&c, FindingCode::SectionBButHighRisk);
    assert_registration(&c, Section::Public, RegistrationBasis::Art49_2);
}

#[test]
fn example_deployment_annex_viii_c_is_lawful_police_post_identification() {
    let mut doc = fixture("deployment-annex-viii-c.json");
    doc["system_declared_annex_iii"] = json!(["1_a"]);
    let c = run_deployment(doc);
    assert_result(&c, Outcome::HighRisk, &["1_a"], &[]);
    assert_registration(&c, Section::NonPublic, RegistrationBasis::Art49_4);
    assert!(c.findings.is_empty(), "{:#?}", c.findings);
}

/// The festival's face lanes compare visitors with the ticket holders who
/// enrolled (one-to-many), but every visitor walks up to the lane and
/// presents, with a staffed lane as a real alternative: active involvement,
/// so not remote identification (Art. 3(41), recital 17; the festival face
/// lane is one of the readings in `docs/legal-readings.md`, "Definitions
/// (Art. 3)"). GDPR Art. 9 still applies, and its safeguards are in place.
#[test]
fn example_deployment_festival_face_lane_is_not_rbi() {
    let c = run_deployment(fixture("deployment-national-use.json"));
    assert_result(&c, Outcome::NotHighRisk, &[], &[]);
    assert_registration(&c, Section::Public, RegistrationBasis::Art71);
    assert!(c.findings.is_empty(), "{:#?}", c.findings);
    assert_fired(&c, "art_3_41_active_presentation_is_not_remote");
    assert_fired(&c, "gdpr_35_dpia_biometric_processing");
}

#[test]
fn worked_scenarios_classify_as_expected() {
    let path = format!(
        "{}/tests/fixtures/scenarios.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let scenarios: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("scenarios"))
            .expect("scenarios JSON");
    let mut failures = Vec::new();
    for s in scenarios.as_array().expect("a list of scenarios") {
        let id = s["id"].as_str().unwrap();
        let c = run(s["facts"].clone());
        let e = &s["expected"];
        let outcome = Outcome::from_code(e["outcome"].as_str().unwrap()).unwrap();
        let mut want_points: Vec<&str> = e["annex_iii_points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        want_points.sort_by_key(|p| AnnexIiiPoint::from_code(p).unwrap());
        let mut want_practices: Vec<&str> = e["prohibited_practices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        want_practices.sort_unstable();
        let want_50_3 = e["art_50_3"].as_bool().unwrap_or(false);
        if c.outcome != outcome {
            failures.push(format!("{id}: outcome {} != {}", c.outcome, outcome));
        }
        if point_codes(&c) != want_points {
            failures.push(format!(
                "{id}: points {:?} != {:?}",
                point_codes(&c),
                want_points
            ));
        }
        if practice_codes(&c) != want_practices {
            failures.push(format!(
                "{id}: practices {:?} != {:?}",
                practice_codes(&c),
                want_practices
            ));
        }
        if has_art_50_3(&c) != want_50_3 {
            failures.push(format!(
                "{id}: art_50_3 {} != {}",
                has_art_50_3(&c),
                want_50_3
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------- the contract

#[test]
fn classification_serializes_to_the_design_contract_and_reads_back() {
    let c = run_system(fixture("system-annex-viii-b.json"));
    let v = serde_json::to_value(&c).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "rules_version",
        "outcome",
        "prohibited_practices",
        "annex_iii_points",
        "art_6_3",
        "transparency_obligations",
        "registration",
        "findings",
        "rationale",
    ] {
        assert!(keys.contains(&key), "missing {key}");
    }
    assert_eq!(v["rules_version"], RULES_VERSION);
    assert_eq!(
        v["art_6_3"],
        json!({"claimed": true, "available": true, "reason": "no_annex_iii_point"})
    );
    assert_eq!(
        v["registration"],
        json!({"section": "public", "basis": "art_49_2"})
    );
    let back: Classification = serde_json::from_value(v).unwrap();
    assert_eq!(back, c);
}

#[test]
fn a_derogation_that_simply_applies_has_a_null_reason() {
    let c = run(
        json!({"purposes": ["recruitment"], "profiling": false, "art_6_3_conditions": ["preparatory_task"]}),
    );
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(
        v["art_6_3"],
        json!({"claimed": true, "available": true, "reason": null})
    );
}

#[test]
fn every_rationale_line_of_an_ai_act_rule_carries_the_eli() {
    let c = run(police_live_rbi(json!({"national_law_permits": false})));
    for line in &c.rationale {
        assert!(!line.because.is_empty(), "{} has no because", line.rule);
        if line.citation.starts_with("Regulation (EU) 2024/1689") {
            assert!(line
                .citation
                .contains("http://data.europa.eu/eli/reg/2024/1689/oj"));
        }
    }
}

#[test]
fn facts_reject_unknown_fields() {
    assert!(serde_json::from_value::<Facts>(json!({"biometric": {"modality": ["face"]}})).is_err());
    assert!(serde_json::from_value::<Facts>(json!({"space": ["online"]})).is_err());
    assert!(serde_json::from_value::<Facts>(json!({"spaces": ["outer_space"]})).is_err());
}

#[test]
fn facts_round_trip_and_leave_out_what_is_absent() {
    let v = fixture("system-annex-viii-a.json")["facts"].clone();
    let f = facts(v.clone());
    assert_eq!(serde_json::to_value(&f).unwrap(), v);
    assert_eq!(serde_json::to_value(Facts::default()).unwrap(), json!({}));
}

#[test]
fn finding_codes_are_stable_snake_case() {
    for code in FINDING_CODES {
        assert!(
            code.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{code}"
        );
        assert!(FindingCode::from_code(code).is_some(), "{code}");
    }
}

#[test]
fn classification_is_deterministic() {
    let f = police_live_rbi(json!({}));
    let a = serde_json::to_string(&run(f.clone())).unwrap();
    let b = serde_json::to_string(&run(f)).unwrap();
    assert_eq!(a, b);
}
