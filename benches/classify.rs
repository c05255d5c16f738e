//! Classifier throughput on one thread over a realistic mix of facts.
//!
//! Run with `cargo bench --bench classify`. Uses only `std::time`: the
//! classifier is pure and fast enough that a plain timed loop over a fixed
//! mix measures it well.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark stops at the first surprise; the no-panic rule is for the service"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use ai_registry::classify::{classify, DeploymentContext, Subject, SystemContext};
use ai_registry::domain::annex::AnnexIiiPoint;
use ai_registry::domain::facts::Facts;
use ai_registry::domain::registration::{
    DeploymentRegistrationType, LegalGround, RegistrationType,
};
use serde_json::{json, Value};

const RUN_FOR: Duration = Duration::from_secs(3);

fn facts(v: Value) -> Facts {
    serde_json::from_value(v).expect("bench facts deserialize")
}

fn face_id(timing: &str, active: bool) -> Value {
    json!({
        "uses_biometric_data": true, "modalities": ["face"], "functions": ["identification"],
        "comparison": "one_to_many", "reference_database": "watchlist", "active_involvement": active, "timing": timing
    })
}

/// The worked scenarios plus variations on what the registry will mostly see.
fn mix() -> Vec<Facts> {
    let scenarios: Value = serde_json::from_str(include_str!("../tests/fixtures/scenarios.json"))
        .expect("scenarios JSON");
    let mut out: Vec<Facts> = scenarios
        .as_array()
        .expect("scenario list")
        .iter()
        .map(|s| facts(s["facts"].clone()))
        .collect();
    for doc in [
        include_str!("../tests/fixtures/examples/system-annex-viii-a.json"),
        include_str!("../tests/fixtures/examples/system-annex-viii-b.json"),
        include_str!("../tests/fixtures/examples/deployment-annex-viii-c.json"),
        include_str!("../tests/fixtures/examples/deployment-national-use.json"),
    ] {
        let v: Value = serde_json::from_str(doc).expect("example JSON");
        out.push(facts(v["facts"].clone()));
    }
    let variations = [
        // Police post identification, with and without authorisation.
        json!({"biometric": face_id("post", false), "spaces": ["publicly_accessible"], "subjects": ["suspects"],
               "purposes": ["law_enforcement"], "deployer_type": "law_enforcement_authority",
               "law_enforcement": {"objective": "serious_crime_suspect", "authorisation": "granted"}}),
        json!({"biometric": face_id("post", false), "spaces": ["private_premises"], "subjects": ["suspects"],
               "purposes": ["law_enforcement", "incident_investigation"], "deployer_type": "law_enforcement_authority"}),
        json!({"biometric": face_id("post", false), "spaces": ["prison_or_custody"], "subjects": ["inmates"],
               "deployer_type": "law_enforcement_authority",
               "law_enforcement": {"objective": "initial_identification"}}),
        // Live police identification: unknown conditions, unlisted objective, urgency.
        json!({"biometric": face_id("real_time", false), "spaces": ["publicly_accessible"],
               "deployer_type": "law_enforcement_authority"}),
        json!({"biometric": face_id("real_time", false), "spaces": ["publicly_accessible"],
               "purposes": ["law_enforcement"],
               "law_enforcement": {"objective": "other", "authorisation": "granted", "national_law_permits": true}}),
        json!({"biometric": face_id("real_time", false), "spaces": ["publicly_accessible"],
               "on_behalf_of_law_enforcement": true,
               "law_enforcement": {"objective": "imminent_threat", "authorisation": "requested_within_deadline",
                                   "national_law_permits": true}}),
        // Festival and stadium gates.
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["identification"],
                             "comparison": "one_to_many", "reference_database": "enrolled_persons",
                             "active_involvement": true, "timing": "real_time"},
               "spaces": ["publicly_accessible"], "subjects": ["visitors"], "purposes": ["access_control"],
               "deployer_type": "private_company"}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                             "comparison": "one_to_one", "reference_database": "enrolled_persons",
                             "watchlist_check": true, "active_involvement": true, "timing": "real_time"},
               "spaces": ["publicly_accessible"], "subjects": ["visitors"], "purposes": ["access_control", "security"],
               "deployer_type": "private_company"}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "comparison": "one_to_many"},
               "spaces": ["publicly_accessible"], "subjects": ["visitors"], "purposes": ["access_control"]}),
        // Staff turnstile and an energy plant's iris access.
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["identification"],
                             "comparison": "one_to_many", "reference_database": "enrolled_persons",
                             "active_involvement": true},
               "spaces": ["workplace"], "subjects": ["employees"], "purposes": ["access_control"],
               "deployer_type": "employer"}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["iris"], "functions": ["verification"],
                             "comparison": "one_to_one", "reference_database": "enrolled_persons",
                             "active_involvement": true},
               "spaces": ["workplace"], "subjects": ["employees", "contractors"], "purposes": ["security"]}),
        // Emotion recognition in call centres, shops, schools, cars.
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["voice"], "functions": ["emotion_recognition"]},
               "spaces": ["workplace"], "subjects": ["customers"], "purposes": ["customer_service"],
               "deployer_type": "private_company"}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["voice"], "functions": ["emotion_recognition"]},
               "spaces": ["workplace"], "subjects": ["employees"], "purposes": ["worker_management"],
               "deployer_type": "employer", "profiling": true}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["emotion_recognition"]},
               "spaces": ["education"], "subjects": ["students"], "purposes": ["wellbeing"]}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"],
                             "functions": ["emotion_recognition", "physical_state_detection"]},
               "spaces": ["vehicle", "workplace"], "subjects": ["employees"], "purposes": ["safety"],
               "exceptions_claimed": ["safety"]}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["emotion_recognition"]},
               "spaces": ["publicly_accessible"], "subjects": ["customers"], "purposes": ["marketing"],
               "art_6_3_conditions": ["preparatory_task"], "profiling": false}),
        // Age and gender estimation, try-on filters.
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                             "inferred_attributes": ["age", "gender"]},
               "spaces": ["publicly_accessible"], "subjects": ["customers"], "purposes": ["advertising"]}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                             "inferred_attributes": ["age"]},
               "spaces": ["online"], "subjects": ["users"], "purposes": ["age_assurance"]}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                             "inferred_attributes": ["other"], "ancillary_feature": true},
               "spaces": ["online"], "subjects": ["customers"], "purposes": ["product_preview"]}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                             "inferred_attributes": ["ethnic_origin", "health"]},
               "spaces": ["publicly_accessible"], "purposes": ["analytics"]}),
        // Verification at e-gates and in apps.
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                             "comparison": "one_to_one", "reference_database": "travel_document",
                             "active_involvement": true, "timing": "real_time"},
               "spaces": ["border_control_area"], "subjects": ["travellers"], "purposes": ["border_control"],
               "deployer_type": "migration_authority"}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["verification"],
                             "comparison": "one_to_one", "reference_database": "travel_document",
                             "watchlist_check": true, "active_involvement": true, "timing": "real_time"},
               "spaces": ["border_control_area"], "subjects": ["travellers"], "purposes": ["border_control"],
               "deployer_type": "migration_authority"}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["fingerprint"], "functions": ["verification"],
                             "comparison": "one_to_one", "reference_database": "on_device", "active_involvement": true},
               "subjects": ["users"], "purposes": ["device_unlock"]}),
        // Scraping and categorisation by forbidden attributes.
        json!({"biometric": {"modalities": ["face"], "functions": ["database_creation"], "untargeted_scraping": true},
               "spaces": ["online"], "purposes": ["other"]}),
        json!({"biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["categorisation"],
                             "inferred_attributes": ["religious_beliefs"], "dataset_labelling": true},
               "purposes": ["dataset_curation"], "subjects": ["dataset_subjects"]}),
        // Education, employment, migration without biometrics.
        json!({"spaces": ["online"], "subjects": ["students"], "purposes": ["exam_proctoring"]}),
        json!({"subjects": ["job_candidates"], "purposes": ["recruitment"], "profiling": false,
               "art_6_3_conditions": ["narrow_procedural_task"]}),
        json!({"subjects": ["asylum_seekers"], "purposes": ["asylum_visa_residence", "risk_assessment"],
               "deployer_type": "migration_authority", "profiling": true}),
        json!({"subjects": ["suspects"], "purposes": ["credibility_assessment", "law_enforcement"],
               "deployer_type": "law_enforcement_authority"}),
        // Out of scope.
        json!({"scope_exclusion": "scientific_research_only", "biometric": face_id("post", false),
               "purposes": ["research"]}),
        json!({"scope_exclusion": "personal_non_professional", "deployer_type": "natural_person",
               "purposes": ["device_unlock"]}),
        json!({"scope_exclusion": "pre_market_research", "biometric": face_id("real_time", false)}),
    ];
    out.extend(variations.into_iter().map(facts));
    out
}

fn main() {
    let mix = mix();
    let declared = [AnnexIiiPoint::P1A];
    let subjects = [
        Subject::Facts,
        Subject::System(SystemContext {
            registration_type: RegistrationType::AnnexViiiA,
            declared_annex_iii: &declared,
        }),
        Subject::Deployment(DeploymentContext {
            registration_type: DeploymentRegistrationType::NationalUse,
            legal_basis: Some(LegalGround::Gdpr9_2AExplicitConsent),
            consent_alternative_offered: Some(true),
            employment_relationship: Some(false),
            dpia_performed: Some(true),
            fria_performed: None,
            system_declared_annex_iii: &declared,
        }),
    ];
    // Each facts object with each subject, so every rule table runs.
    let cases: Vec<(&Facts, &Subject)> = mix
        .iter()
        .flat_map(|f| subjects.iter().map(move |s| (f, s)))
        .collect();

    for (f, s) in &cases {
        black_box(classify(f, s));
    }

    let mut count: u64 = 0;
    let mut outcome_checksum: u64 = 0;
    let start = Instant::now();
    while start.elapsed() < RUN_FOR {
        for (f, s) in &cases {
            let c = classify(black_box(f), black_box(s));
            outcome_checksum = outcome_checksum.wrapping_add(u64::from(c.outcome.rank()));
            black_box(c);
        }
        count += cases.len() as u64;
    }
    let elapsed = start.elapsed();
    black_box(outcome_checksum);
    let per_second = count as f64 / elapsed.as_secs_f64();
    let ns = elapsed.as_nanos() as f64 / count as f64;
    println!(
        "classify: {count} classifications in {:.2} s over {} facts objects x {} subjects on one thread: \
         {per_second:.0} classifications/s, {ns:.0} ns per classification",
        elapsed.as_secs_f64(),
        mix.len(),
        subjects.len(),
    );
}
