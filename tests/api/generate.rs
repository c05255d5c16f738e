//! The synthetic dataset generator: valid, varied, deterministic documents.

use std::collections::{BTreeMap, BTreeSet};

use ai_registry::classify::{classify, Outcome, Subject};
use ai_registry::domain::facts::{
    BiometricFunction, DataSubject, DeployerType, Facts, InferredAttribute, Modality, Purpose,
    ReferenceDatabase, Space, Timing,
};
use ai_registry::domain::registration::LegalGround;
use ai_registry::generate::{Generator, PROVINCES};
use ai_registry::validate::Schemas;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use serde_json::Value;
use uuid::Uuid;

/// `n` systems and `m` deployments of them, each deployment using a system
/// spread over the whole list.
fn dataset(seed: u64, n: u64, m: u64) -> (Vec<Value>, Vec<Value>) {
    let mut g = Generator::new(seed);
    let systems: Vec<Value> = (0..n).map(|i| g.system(i)).collect();
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
    let deployments = (0..m)
        .map(|j| {
            let k = (j * 7919 % n) as usize;
            g.deployment(j, (&ids[k], &systems[k]))
        })
        .collect();
    (systems, deployments)
}

fn schema_of(doc: &Value) -> &'static str {
    match doc["registration_type"].as_str() {
        Some("annex_viii_a") => "system-annex-viii-a",
        Some("annex_viii_b") => "system-annex-viii-b",
        Some("annex_viii_c") => "deployment-annex-viii-c",
        Some("national_use") => "deployment-national-use",
        other => panic!("unexpected registration_type {other:?}"),
    }
}

#[test]
fn generated_documents_validate_against_their_schemas() {
    let schemas = Schemas::load().expect("schemas");
    let (systems, deployments) = dataset(7, 3_000, 5_000);
    let mut per_type = BTreeMap::new();
    for doc in systems.iter().chain(&deployments) {
        let name = schema_of(doc);
        *per_type.entry(name).or_insert(0) += 1;
        if let Err(errors) = schemas.validate(name, doc) {
            panic!(
                "{name}: {} at {:?}: {}\n{}",
                errors[0].keyword,
                errors[0].pointer,
                errors[0].message,
                serde_json::to_string_pretty(doc).unwrap()
            );
        }
    }
    let b = per_type["system-annex-viii-b"];
    assert!(
        (300..=600).contains(&b),
        "Section B share off: {per_type:?}"
    );
    assert!(per_type["deployment-annex-viii-c"] > 500, "{per_type:?}");
    assert!(per_type["deployment-national-use"] > 1_500, "{per_type:?}");
    let by_url = deployments
        .iter()
        .filter(|d| d.get("system_url").is_some())
        .count();
    assert!((300..=700).contains(&by_url), "{by_url} by system_url");
    for d in &deployments {
        assert!(d.get("system_id").is_some() != d.get("system_url").is_some());
        assert!(d["facts"].get("deployer_type").is_none());
    }
    let pairs: BTreeSet<(&str, &str)> = systems
        .iter()
        .map(|s| {
            (
                s["trade_name"].as_str().unwrap(),
                s["reference"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs.len(),
        systems.len(),
        "trade_name and reference unique"
    );
}

fn codes<'a>(
    doc: &'a Value,
    path: &str,
    out: &mut BTreeMap<&'static str, BTreeSet<&'a str>>,
    key: &'static str,
) {
    match doc.pointer(path) {
        Some(Value::Array(xs)) => out
            .entry(key)
            .or_default()
            .extend(xs.iter().filter_map(Value::as_str)),
        Some(Value::String(x)) => {
            out.entry(key).or_default().insert(x);
        }
        _ => {}
    }
}

#[test]
fn generator_covers_every_vocabulary_value_and_outcome() {
    let (systems, deployments) = dataset(11, 3_000, 5_000);
    let mut seen: BTreeMap<&'static str, BTreeSet<&str>> = BTreeMap::new();
    for doc in systems.iter().chain(&deployments) {
        codes(doc, "/facts/spaces", &mut seen, "space");
        codes(doc, "/facts/subjects", &mut seen, "subject");
        codes(doc, "/facts/purposes", &mut seen, "purpose");
        codes(doc, "/facts/biometric/modalities", &mut seen, "modality");
        codes(doc, "/facts/biometric/functions", &mut seen, "function");
        codes(
            doc,
            "/facts/biometric/inferred_attributes",
            &mut seen,
            "inferred",
        );
        codes(
            doc,
            "/facts/biometric/reference_database",
            &mut seen,
            "reference_database",
        );
        codes(doc, "/facts/biometric/timing", &mut seen, "timing");
        codes(doc, "/deployer/type", &mut seen, "deployer_type");
        codes(doc, "/legal_basis/ground", &mut seen, "legal_ground");
    }
    let expected: [(&str, Vec<&str>); 10] = [
        ("space", Space::ALL.iter().map(|c| c.as_str()).collect()),
        (
            "subject",
            DataSubject::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        ("purpose", Purpose::ALL.iter().map(|c| c.as_str()).collect()),
        (
            "modality",
            Modality::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        (
            "function",
            BiometricFunction::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        (
            "inferred",
            InferredAttribute::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        (
            "reference_database",
            ReferenceDatabase::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        ("timing", Timing::ALL.iter().map(|c| c.as_str()).collect()),
        (
            "deployer_type",
            DeployerType::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        (
            "legal_ground",
            LegalGround::ALL.iter().map(|c| c.as_str()).collect(),
        ),
    ];
    for (vocabulary, all) in expected {
        let got = seen.get(vocabulary).cloned().unwrap_or_default();
        let missing: Vec<&str> = all.into_iter().filter(|c| !got.contains(c)).collect();
        assert!(
            missing.is_empty(),
            "{vocabulary}: never generated {missing:?}"
        );
    }

    let mut municipalities: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut abroad = 0;
    for d in &deployments {
        let location = &d["location"];
        if location["member_state"] == "NL" {
            let region = location["region"].as_str().unwrap();
            let m = location["municipality"].as_str().unwrap();
            municipalities.entry(region).or_default().insert(m);
        } else {
            abroad += 1;
        }
    }
    assert!(
        (50..=600).contains(&abroad),
        "{abroad} deployments outside NL"
    );
    for (province, list) in PROVINCES {
        let got = municipalities.get(province).map_or(0, BTreeSet::len);
        // Flevoland has only six municipalities.
        assert!(got >= 8.min(list.len()), "{province}: {got} municipalities");
    }
    assert_eq!(municipalities.len(), 12, "{:?}", municipalities.keys());

    let mut outcomes = BTreeMap::new();
    for s in &systems {
        let facts: Facts = serde_json::from_value(s["facts"].clone()).expect("facts");
        *outcomes
            .entry(classify(&facts, &Subject::Facts).outcome.as_str())
            .or_insert(0) += 1;
    }
    println!("outcomes of {} systems: {outcomes:?}", systems.len());
    for outcome in Outcome::ALL {
        assert!(
            outcomes.contains_key(outcome.as_str()),
            "no {outcome} system: {outcomes:?}"
        );
    }
}

#[test]
fn same_seed_same_data() {
    let (a_systems, _) = dataset(42, 200, 0);
    let (b_systems, _) = dataset(42, 200, 0);
    assert_eq!(a_systems, b_systems);
    let (c_systems, _) = dataset(43, 200, 0);
    assert_ne!(a_systems, c_systems);

    let id = Uuid::from_u128(1);
    let mut g = Generator::new(42);
    let mut h = Generator::new(42);
    let end = Utc.with_ymd_and_hms(2027, 9, 1, 0, 0, 0).unwrap();
    for i in (0..200).rev() {
        let system = &a_systems[i as usize];
        assert_eq!(
            g.deployment(i, (&id, system)),
            h.deployment(i, (&id, system))
        );
        assert_eq!(g.registered_at(i, 200, end), h.registered_at(i, 200, end));
    }
    // Order-independent: the i-th document is the same however it is reached.
    assert_eq!(Generator::new(42).system(150), a_systems[150]);
}

#[test]
fn registration_times_spread_over_months_and_never_in_the_future() {
    let end: DateTime<Utc> = Utc.with_ymd_and_hms(2027, 9, 1, 12, 0, 0).unwrap();
    let mut g = Generator::new(5);
    let n = 5_000;
    let times: Vec<DateTime<Utc>> = (0..n).map(|i| g.registered_at(i, n, end)).collect();
    assert!(times.iter().all(|t| *t <= end), "a registration after end");
    let months: BTreeMap<(i32, u32), usize> = times.iter().fold(BTreeMap::new(), |mut m, t| {
        *m.entry((t.year(), t.month())).or_insert(0) += 1;
        m
    });
    assert!(months.len() >= 15, "{} months: {months:?}", months.len());
    assert!(times.iter().all(|t| (end - *t).num_days() <= 550));
    // Denser towards the end.
    let first_half = times
        .iter()
        .filter(|t| (end - **t).num_days() > 274)
        .count();
    assert!(
        first_half < (n as usize) / 2,
        "{first_half} in the older half"
    );
}

/// The free text of a generated use agrees with its facts: a DPIA summary
/// says the regulator was consulted only where `prior_consultation_dpa`
/// says so (and no consultation follows a DPIA that was not made), and the
/// alternative to consent fits the deployer (no job interview at a vending
/// machine).
#[test]
fn generated_free_text_agrees_with_the_facts() {
    let (_, deployments) = dataset(11, 2_000, 30_000);
    let (mut consulted, mut interviews, mut alternatives) = (0, 0, 0);
    for d in &deployments {
        let summary = d["dpia_summary"].as_str().unwrap_or_default();
        if summary.contains(ai_registry::generate::CONSULTED) {
            consulted += 1;
            assert_eq!(d["prior_consultation_dpa"], true, "{d}");
        }
        if d["prior_consultation_dpa"] == true {
            // Made, or not stated; never a consultation after no DPIA.
            assert_ne!(d["dpia"]["performed"], false, "{d}");
        }
        if let Some(alternative) = d["consent"]["alternative_description"].as_str() {
            alternatives += 1;
            if alternative.contains("interview") {
                interviews += 1;
                assert_eq!(d["deployer"]["type"], "employer", "{d}");
            }
            if alternative.contains("age check") {
                let site = d["location"]["site"].as_str().unwrap_or_default();
                assert_ne!(d["deployer"]["type"], "employer", "{site}: {d}");
            }
        }
    }
    assert!(consulted > 0, "the consulted summary still occurs");
    assert!(
        alternatives > 100 && interviews > 0,
        "{alternatives} {interviews}"
    );
}
