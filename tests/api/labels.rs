//! The code lists: complete, labelled in both languages, and in step with
//! the enums and the JSON Schemas.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use ai_registry::classify::{
    Art63Reason, FindingCode, Outcome, RegistrationBasis, Section, Severity,
    TransparencyObligation, FINDING_CODES,
};
use ai_registry::domain::annex::{AnnexIiiPoint, ProhibitedPractice};
use ai_registry::domain::facts::{
    Art63Condition, Authorisation, BiometricFunction, ClaimedException, Comparison, DataSubject,
    DeployerType, InferredAttribute, LawEnforcementObjective, Modality, Purpose, ReferenceDatabase,
    ScopeExclusion, Space, Timing,
};
use ai_registry::domain::registration::{
    DeploymentRegistrationType, LegalGround, RegistrationType,
};
use ai_registry::domain::{Code, Role, SystemStatus};
use ai_registry::labels::{code_list, code_lists, label, CodeList, Lang};
use serde_json::Value;

/// Every list the API serves, in the order `code_lists` gives them.
const NAMES: &[&str] = &[
    "scope_exclusion",
    "modality",
    "function",
    "comparison",
    "reference_database",
    "timing",
    "inferred_attribute",
    "space",
    "subject",
    "purpose",
    "deployer_type",
    "law_enforcement_objective",
    "authorisation",
    "claimed_exception",
    "art_6_3_condition",
    "annex_iii",
    "prohibited_practice",
    "registration_type",
    "deployment_registration_type",
    "legal_ground",
    "status",
    "role",
    "outcome",
    "severity",
    "section",
    "registration_basis",
    "transparency_obligation",
    "art_6_3_reason",
    "finding",
    "member_state",
    "answer",
    "record_kind",
];

fn list(name: &str) -> &'static CodeList {
    code_list(name).unwrap_or_else(|| panic!("no code list {name:?}"))
}

fn codes(name: &str) -> Vec<&'static str> {
    list(name).codes.iter().map(|(c, _)| *c).collect()
}

fn enum_codes<T: Code>() -> Vec<&'static str> {
    T::ALL.iter().map(|v| v.code()).collect()
}

fn assert_built_from<T: Code>(name: &str) {
    assert_eq!(
        codes(name),
        enum_codes::<T>(),
        "{name}: codes differ from the enum's ALL"
    );
}

#[test]
fn list_names_are_unique_and_the_documented_ones() {
    let names: Vec<&str> = code_lists().iter().map(|l| l.name).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(
        unique.len(),
        names.len(),
        "duplicate list name in {names:?}"
    );
    assert_eq!(names, NAMES);
}

#[test]
fn every_code_and_title_has_both_labels() {
    for list in code_lists() {
        for (what, label) in
            std::iter::once(("title", &list.title)).chain(list.codes.iter().map(|(c, l)| (*c, l)))
        {
            for text in [label.en, label.nl] {
                assert!(
                    !text.trim().is_empty() && text.trim() == text,
                    "{}/{what}: empty or padded label {text:?}",
                    list.name
                );
            }
        }
        let unique: HashSet<&str> = list.codes.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            unique.len(),
            list.codes.len(),
            "{}: duplicate code",
            list.name
        );
        assert!(!list.codes.is_empty(), "{}: empty list", list.name);
    }
}

#[test]
fn labels_within_a_list_are_distinct_in_each_language() {
    for list in code_lists() {
        for lang in [Lang::En, Lang::Nl] {
            let mut seen = HashSet::new();
            for (code, label) in &list.codes {
                assert!(
                    seen.insert(label.get(lang)),
                    "{}/{code}: label {:?} used twice",
                    list.name,
                    label.get(lang)
                );
            }
        }
    }
}

#[test]
fn dutch_is_not_english() {
    let (mut total, mut differ) = (0, 0);
    let mut same = Vec::new();
    for list in code_lists() {
        if matches!(list.name, "member_state" | "annex_iii") {
            continue;
        }
        for (code, label) in &list.codes {
            total += 1;
            if label.nl == label.en {
                same.push(format!("{}/{code}: {}", list.name, label.en));
            } else {
                differ += 1;
            }
        }
    }
    assert!(
        differ * 100 >= total * 80,
        "only {differ} of {total} Dutch labels differ from the English; same: {same:#?}"
    );
}

#[test]
fn enum_lists_hold_exactly_the_enum_codes_in_order() {
    assert_built_from::<ScopeExclusion>("scope_exclusion");
    assert_built_from::<Modality>("modality");
    assert_built_from::<BiometricFunction>("function");
    assert_built_from::<Comparison>("comparison");
    assert_built_from::<ReferenceDatabase>("reference_database");
    assert_built_from::<Timing>("timing");
    assert_built_from::<InferredAttribute>("inferred_attribute");
    assert_built_from::<Space>("space");
    assert_built_from::<DataSubject>("subject");
    assert_built_from::<Purpose>("purpose");
    assert_built_from::<DeployerType>("deployer_type");
    assert_built_from::<LawEnforcementObjective>("law_enforcement_objective");
    assert_built_from::<Authorisation>("authorisation");
    assert_built_from::<ClaimedException>("claimed_exception");
    assert_built_from::<Art63Condition>("art_6_3_condition");
    assert_built_from::<AnnexIiiPoint>("annex_iii");
    assert_built_from::<ProhibitedPractice>("prohibited_practice");
    assert_built_from::<RegistrationType>("registration_type");
    assert_built_from::<DeploymentRegistrationType>("deployment_registration_type");
    assert_built_from::<LegalGround>("legal_ground");
    assert_built_from::<SystemStatus>("status");
    assert_built_from::<Role>("role");
    assert_built_from::<Outcome>("outcome");
    assert_built_from::<Severity>("severity");
    assert_built_from::<Section>("section");
    assert_built_from::<RegistrationBasis>("registration_basis");
    assert_built_from::<TransparencyObligation>("transparency_obligation");
    assert_built_from::<Art63Reason>("art_6_3_reason");
    assert_built_from::<FindingCode>("finding");
    // The overview's own order of finding codes is the list's order too.
    assert_eq!(codes("finding"), FINDING_CODES);
}

#[test]
fn annex_iii_labels_start_with_their_point() {
    for (code, label) in &list("annex_iii").codes {
        let point = match code.split_once('_') {
            Some((area, letter)) => format!("{area}({letter}) "),
            None => format!("{code} "),
        };
        assert!(label.en.starts_with(&point), "{code}: {:?}", label.en);
        assert!(label.nl.starts_with(&point), "{code}: {:?}", label.nl);
    }
    assert_eq!(
        label("annex_iii", "1_a", Lang::Nl),
        Some("1(a) Biometrische identificatie op afstand")
    );
}

#[test]
fn member_states_are_the_27() {
    assert_eq!(list("member_state").codes.len(), 27);
    assert_eq!(label("member_state", "NL", Lang::Nl), Some("Nederland"));
    assert_eq!(label("member_state", "NL", Lang::En), Some("Netherlands"));
    assert_eq!(label("member_state", "DE", Lang::Nl), Some("Duitsland"));
    assert_eq!(label("member_state", "GR", Lang::Nl), Some("Griekenland"));
    assert_eq!(label("member_state", "GB", Lang::En), None);
}

#[test]
fn label_looks_up_list_code_and_language() {
    assert_eq!(
        label("space", "publicly_accessible", Lang::Nl),
        Some("Openbaar toegankelijke ruimte")
    );
    assert_eq!(
        label("space", "publicly_accessible", Lang::En),
        Some("Publicly accessible space")
    );
    assert_eq!(label("outcome", "high_risk", Lang::Nl), Some("Hoog risico"));
    assert_eq!(label("space", "nope", Lang::En), None);
    assert_eq!(label("nope", "publicly_accessible", Lang::En), None);
    // A code is looked up in its own list only.
    assert_eq!(label("space", "high_risk", Lang::En), None);
}

#[test]
fn lang_parses_its_two_codes() {
    assert_eq!(Lang::parse("en"), Some(Lang::En));
    assert_eq!(Lang::parse("nl"), Some(Lang::Nl));
    for bad in ["", "de", "EN", "nl-NL", " nl"] {
        assert_eq!(Lang::parse(bad), None, "{bad:?}");
    }
    for lang in [Lang::En, Lang::Nl] {
        assert_eq!(Lang::parse(lang.as_str()), Some(lang));
    }
}

// ------------------------------------------------------- schema drift guard

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Every `enum` in `schema`, by the JSON pointer of the object holding it.
fn enums(schema: &Value) -> BTreeMap<String, Vec<String>> {
    fn walk(v: &Value, pointer: &str, out: &mut BTreeMap<String, Vec<String>>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(values)) = map.get("enum") {
                    let codes = values
                        .iter()
                        .map(|c| c.as_str().expect("string enum value").to_owned())
                        .collect();
                    out.insert(pointer.to_owned(), codes);
                }
                for (key, child) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    walk(child, &format!("{pointer}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{pointer}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(schema, "", &mut out);
    out
}

/// Every enum of the facts schema is some code list, with the same codes in
/// the same order: a vocabulary added to the schema, the enum or the labels
/// alone fails here.
#[test]
fn facts_schema_enums_are_the_code_lists() {
    let expected: BTreeMap<&str, &str> = [
        ("/properties/scope_exclusion", "scope_exclusion"),
        ("/$defs/modalities/items", "modality"),
        ("/$defs/functions/items", "function"),
        ("/properties/biometric/properties/comparison", "comparison"),
        (
            "/properties/biometric/properties/reference_database",
            "reference_database",
        ),
        ("/properties/biometric/properties/timing", "timing"),
        (
            "/properties/biometric/properties/inferred_attributes/items",
            "inferred_attribute",
        ),
        ("/properties/spaces/items", "space"),
        ("/properties/subjects/items", "subject"),
        ("/properties/purposes/items", "purpose"),
        ("/$defs/deployer_type", "deployer_type"),
        (
            "/properties/law_enforcement/properties/objective",
            "law_enforcement_objective",
        ),
        (
            "/properties/law_enforcement/properties/authorisation",
            "authorisation",
        ),
        ("/properties/exceptions_claimed/items", "claimed_exception"),
        ("/$defs/art_6_3_conditions/items", "art_6_3_condition"),
    ]
    .into_iter()
    .collect();

    let found = enums(&schema("facts.json"));
    let found_pointers: Vec<&str> = found.keys().map(String::as_str).collect();
    let expected_pointers: Vec<&str> = expected.keys().copied().collect();
    assert_eq!(
        found_pointers, expected_pointers,
        "facts.json enums and the table in this test differ"
    );
    for (pointer, name) in expected {
        assert_eq!(found[pointer], codes(name), "facts.json{pointer} vs {name}");
    }
}

/// The shared vocabularies outside the facts schema.
#[test]
fn other_schema_enums_are_the_code_lists() {
    let common = enums(&schema("common.json"));
    for (pointer, name) in [
        ("/$defs/member_state", "member_state"),
        ("/$defs/annex_iii_point", "annex_iii"),
        ("/$defs/system_status", "status"),
    ] {
        let schema_codes = common
            .get(pointer)
            .unwrap_or_else(|| panic!("common.json{pointer} has no enum"));
        assert_eq!(*schema_codes, codes(name), "common.json{pointer} vs {name}");
    }
    let system = enums(&schema("system.json"));
    assert_eq!(
        system["/properties/registration_type"],
        codes("registration_type")
    );
}
