//! The dimensions records are filtered, counted and broken down by, each
//! defined once, in one entry of [`DIMS`]: its name, its shape, which
//! records have it, its vocabulary (what a filter accepts and where labels
//! come from), how the overview shows it, and how its values are read from
//! a record. The query parser, the search facets, the overview and the
//! values each record stores ([`facet_values`]) all read this table, so a
//! new dimension is one entry here plus, for a closed one, its code list.

use serde_json::Value;
use uuid::Uuid;

use crate::domain::registration::LegalGround;
use crate::domain::{canonical_id, RecordKind};
use crate::labels::{code_list, label, Lang};

/// Which kinds of record something applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kinds {
    /// Systems only.
    Systems,
    /// Deployments only.
    Deployments,
    /// Systems and deployments.
    Both,
}

impl Kinds {
    /// Whether records of `kind` are among these.
    pub fn includes(self, kind: RecordKind) -> bool {
        matches!(
            (self, kind),
            (Kinds::Both, _)
                | (Kinds::Systems, RecordKind::System)
                | (Kinds::Deployments, RecordKind::Deployment)
        )
    }
}

/// The values a dimension takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// Codes of the named code lists (see [`crate::labels`]), and the
    /// `extra` codes beyond them (a value the registry writes where a
    /// document states none). Labels come from the lists, first list first.
    Codes {
        /// The code lists.
        lists: &'static [&'static str],
        /// Codes accepted beyond the lists.
        extra: &'static [&'static str],
    },
    /// Registry ids (UUIDs), in their canonical lower-case form.
    Ids,
    /// Names registrants give (providers, places, deployers): any text.
    Names,
}

/// The longest name a filter accepts.
pub const MAX_NAME_LEN: usize = 500;

/// The dimension that links a deployment to the system it uses.
pub const SYSTEM_ID: &str = "system_id";

/// What a record states where a document leaves a fact or an answer open.
pub const UNKNOWN: &str = "unknown";

impl Vocabulary {
    /// Whether `value` is one of this vocabulary's values.
    pub fn accepts(&self, value: &str) -> bool {
        match self {
            Vocabulary::Codes { lists, extra } => {
                extra.contains(&value)
                    || lists
                        .iter()
                        .filter_map(|l| code_list(l))
                        .any(|l| l.codes.iter().any(|(c, _)| *c == value))
            }
            Vocabulary::Ids => Uuid::parse_str(value).is_ok(),
            Vocabulary::Names => !value.trim().is_empty() && value.len() <= MAX_NAME_LEN,
        }
    }

    /// The label of `value` in `lang`, for a code of a code list.
    pub fn label(&self, value: &str, lang: Lang) -> Option<&'static str> {
        match self {
            Vocabulary::Codes { lists, .. } => lists.iter().find_map(|l| label(l, value, lang)),
            Vocabulary::Ids | Vocabulary::Names => None,
        }
    }

    /// The values one query parameter gives, or the first value that is not
    /// one of this vocabulary's.
    ///
    /// Codes never hold a comma, so a closed vocabulary takes `a,b`; names
    /// may, so a filter by names repeats the parameter instead. Ids are kept
    /// in their canonical form, so that an id matches however it is written.
    pub fn parse(&self, raw: &str) -> Result<Vec<String>, String> {
        let values: Vec<String> = match self {
            Vocabulary::Codes { .. } => raw.split(',').map(|v| v.trim().to_owned()).collect(),
            Vocabulary::Ids => {
                vec![canonical_id(raw)]
            }
            Vocabulary::Names => vec![raw.trim().to_owned()],
        };
        match values.iter().find(|v| !self.accepts(v)) {
            Some(bad) => Err(bad.clone()),
            None => Ok(values),
        }
    }
}

/// What the overview shows of a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Nothing of its own (it may still filter).
    No,
    /// A breakdown `by_{name}` of the records of these kinds.
    Breakdown(Kinds),
    /// A total under this name: how many distinct values the records of the
    /// kind that has the dimension hold.
    Distinct(&'static str),
    /// A safeguard of deployments under this name: its answers and the
    /// share of "yes" among them.
    Safeguard(&'static str),
    /// The findings of systems and of deployments.
    Findings,
}

/// Where a record's facet values are read from: its final document (after
/// any reduction for the non-public section) and its classification.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The kind of record.
    pub kind: RecordKind,
    /// The document as stored.
    pub document: &'a Value,
    /// Its classification as stored.
    pub classification: &'a Value,
}

impl<'a> Source<'a> {
    /// The source of a record of `kind`.
    pub fn new(kind: RecordKind, document: &'a Value, classification: &'a Value) -> Source<'a> {
        Source {
            kind,
            document,
            classification,
        }
    }
}

/// A dimension records can be filtered and counted by.
#[derive(Debug)]
pub struct DimDef {
    /// Its name: the query parameter and the facet name.
    pub name: &'static str,
    /// Whether a record can have several values.
    pub multi: bool,
    /// Which records have it.
    pub kinds: Kinds,
    /// Whether it is a search and overview filter (the others are counted only).
    pub filter: bool,
    /// Its values.
    pub vocabulary: Vocabulary,
    /// What the overview shows of it.
    pub shown: Shown,
    /// Its values in a record of a kind that has it; none for a record that
    /// states none.
    pub extract: fn(&Source<'_>) -> Vec<String>,
}

impl DimDef {
    /// Whether records of `kind` have this dimension.
    pub fn applies_to(&self, kind: RecordKind) -> bool {
        self.kinds.includes(kind)
    }

    /// Whether search lists counts of its values: every filter but those by
    /// record id (a count per system would only list the systems).
    pub fn is_facet(&self) -> bool {
        self.filter && self.vocabulary != Vocabulary::Ids
    }

    /// The label of `value` in `lang`, when the vocabulary has one.
    pub fn label(&self, value: &str, lang: Lang) -> Option<&'static str> {
        self.vocabulary.label(value, lang)
    }
}

const fn codes(lists: &'static [&'static str]) -> Vocabulary {
    Vocabulary::Codes { lists, extra: &[] }
}

const SINGLE: bool = false;
const MULTI: bool = true;
const FILTER: bool = true;
const COUNTED: bool = false;

/// Every dimension. The facet values a record stores ([`facet_values`]) are
/// a JSON object with these names as keys and lists of values as values.
///
/// The order is the overview's: its breakdowns, totals and safeguards come
/// in this order in the CSV.
pub const DIMS: &[DimDef] = &[
    DimDef {
        name: "space",
        multi: MULTI,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["space"]),
        shown: Shown::Breakdown(Kinds::Deployments),
        extract: |s| strings(&s.document["facts"]["spaces"]),
    },
    DimDef {
        name: "purpose",
        multi: MULTI,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["purpose"]),
        shown: Shown::Breakdown(Kinds::Deployments),
        extract: |s| strings(&s.document["facts"]["purposes"]),
    },
    DimDef {
        name: "deployer_type",
        multi: SINGLE,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["deployer_type"]),
        shown: Shown::Breakdown(Kinds::Deployments),
        // A system states whom it is meant for; a deployment who its
        // deployer is.
        extract: |s| match s.kind {
            RecordKind::System => one(&s.document["facts"]["deployer_type"]),
            RecordKind::Deployment => one(&s.document["deployer"]["type"]),
        },
    },
    DimDef {
        name: "legal_basis",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: FILTER,
        vocabulary: codes(&["legal_ground"]),
        shown: Shown::Breakdown(Kinds::Deployments),
        extract: |s| one(&s.document["legal_basis"]["ground"]),
    },
    DimDef {
        name: "region",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: FILTER,
        vocabulary: Vocabulary::Names,
        shown: Shown::Breakdown(Kinds::Deployments),
        extract: |s| one(&s.document["location"]["region"]),
    },
    DimDef {
        name: "municipality",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: FILTER,
        vocabulary: Vocabulary::Names,
        shown: Shown::Breakdown(Kinds::Deployments),
        extract: |s| one(&s.document["location"]["municipality"]),
    },
    DimDef {
        name: "outcome",
        multi: SINGLE,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["outcome"]),
        shown: Shown::Breakdown(Kinds::Both),
        extract: |s| one(&s.classification["outcome"]),
    },
    DimDef {
        name: "timing",
        multi: SINGLE,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: Vocabulary::Codes {
            lists: &["timing"],
            extra: &[UNKNOWN],
        },
        shown: Shown::Breakdown(Kinds::Deployments),
        extract: |s| {
            vec![s.document["facts"]["biometric"]["timing"]
                .as_str()
                .unwrap_or(UNKNOWN)
                .to_owned()]
        },
    },
    DimDef {
        name: "annex_iii",
        multi: MULTI,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["annex_iii"]),
        shown: Shown::Breakdown(Kinds::Both),
        extract: |s| strings(&s.classification["annex_iii_points"]),
    },
    DimDef {
        name: "function",
        multi: MULTI,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["function"]),
        shown: Shown::Breakdown(Kinds::Both),
        extract: |s| strings(&s.document["facts"]["biometric"]["functions"]),
    },
    DimDef {
        name: "modality",
        multi: MULTI,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["modality"]),
        shown: Shown::Breakdown(Kinds::Both),
        extract: |s| strings(&s.document["facts"]["biometric"]["modalities"]),
    },
    DimDef {
        name: "status",
        multi: SINGLE,
        kinds: Kinds::Systems,
        filter: FILTER,
        vocabulary: codes(&["status"]),
        shown: Shown::Breakdown(Kinds::Systems),
        extract: |s| one(&s.document["status"]),
    },
    DimDef {
        name: "member_state",
        multi: MULTI,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["member_state"]),
        shown: Shown::No,
        // A system lists where it is placed on the market; a deployment
        // states where it is used.
        extract: |s| match s.kind {
            RecordKind::System => strings(&s.document["member_states"]),
            RecordKind::Deployment => one(&s.document["location"]["member_state"]),
        },
    },
    DimDef {
        name: "provider",
        multi: SINGLE,
        kinds: Kinds::Systems,
        filter: FILTER,
        vocabulary: Vocabulary::Names,
        shown: Shown::Distinct("providers"),
        extract: |s| one(&s.document["provider"]["name"]),
    },
    DimDef {
        name: SYSTEM_ID,
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: FILTER,
        vocabulary: Vocabulary::Ids,
        shown: Shown::No,
        extract: |s| {
            s.document["system_id"]
                .as_str()
                .and_then(|id| Uuid::parse_str(id).ok())
                .map(|id| vec![id.to_string()])
                .unwrap_or_default()
        },
    },
    DimDef {
        name: "registration_type",
        multi: SINGLE,
        kinds: Kinds::Both,
        filter: FILTER,
        vocabulary: codes(&["registration_type", "deployment_registration_type"]),
        shown: Shown::No,
        extract: |s| one(&s.document["registration_type"]),
    },
    DimDef {
        name: "section",
        multi: SINGLE,
        kinds: Kinds::Both,
        filter: COUNTED,
        vocabulary: codes(&["section"]),
        shown: Shown::No,
        extract: |s| one(&s.classification["registration"]["section"]),
    },
    DimDef {
        name: "finding",
        multi: MULTI,
        kinds: Kinds::Both,
        filter: COUNTED,
        vocabulary: codes(&["finding"]),
        shown: Shown::Findings,
        // A code once per record, however many findings carry it.
        extract: |s| {
            let mut codes: Vec<String> = s.classification["findings"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|f| f["code"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            codes.sort();
            codes.dedup();
            codes
        },
    },
    DimDef {
        name: "deployer",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: COUNTED,
        vocabulary: Vocabulary::Names,
        shown: Shown::Distinct("deployers"),
        extract: |s| one(&s.document["deployer"]["name"]),
    },
    DimDef {
        name: "dpia",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: COUNTED,
        vocabulary: codes(&["answer"]),
        shown: Shown::Safeguard("dpia"),
        extract: |s| yes_no(&s.document["dpia"]["performed"]),
    },
    DimDef {
        name: "prior_consultation",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: COUNTED,
        vocabulary: codes(&["answer"]),
        shown: Shown::Safeguard("prior_consultation"),
        extract: |s| yes_no(&s.document["prior_consultation_dpa"]),
    },
    DimDef {
        name: "fria",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: COUNTED,
        vocabulary: codes(&["answer"]),
        shown: Shown::Safeguard("fria"),
        extract: |s| yes_no(&s.document["fria_performed"]),
    },
    DimDef {
        name: "consent_alternative",
        multi: SINGLE,
        kinds: Kinds::Deployments,
        filter: COUNTED,
        vocabulary: codes(&["answer"]),
        shown: Shown::Safeguard("alternative_offered_where_consent"),
        // Asked only where explicit consent is the legal ground.
        extract: |s| {
            if s.document["legal_basis"]["ground"].as_str()
                == Some(LegalGround::Gdpr9_2AExplicitConsent.as_str())
            {
                yes_no(&s.document["consent"]["alternative_offered"])
            } else {
                Vec::new()
            }
        },
    },
];

/// The definition of the dimension called `name`.
pub fn dim_def(name: &str) -> Option<&'static DimDef> {
    DIMS.iter().find(|d| d.name == name)
}

/// The facet values of a record, as stored in `records.facets`: a JSON
/// object from dimension name to its list of values, keys in name order,
/// dimensions without a value left out. The index loads these at start-up,
/// so for a given document the text must stay the same from release to
/// release, or stored records and new ones would disagree.
pub fn facet_values(source: &Source<'_>) -> String {
    let map: serde_json::Map<String, Value> = DIMS
        .iter()
        .filter(|d| d.applies_to(source.kind))
        .map(|d| (d.name, (d.extract)(source)))
        .filter(|(_, values)| !values.is_empty())
        .map(|(name, values)| (name.to_owned(), Value::from(values)))
        .collect();
    Value::Object(map).to_string()
}

/// The strings of a JSON array.
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON string as a list of zero or one.
fn one(v: &Value) -> Vec<String> {
    v.as_str().map(|s| vec![s.to_owned()]).unwrap_or_default()
}

/// `yes`, `no` or `unknown` for an optional boolean.
fn yes_no(v: &Value) -> Vec<String> {
    vec![match v.as_bool() {
        Some(true) => "yes",
        Some(false) => "no",
        None => UNKNOWN,
    }
    .to_owned()]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::classify::{classify, DeploymentContext, Subject, SystemContext};
    use crate::domain::annex::AnnexIiiPoint;
    use crate::domain::facts::Facts;

    fn example(name: &str) -> Value {
        let text = match name {
            "system-annex-viii-a" => {
                include_str!("../../tests/fixtures/examples/system-annex-viii-a.json")
            }
            "system-annex-viii-b" => {
                include_str!("../../tests/fixtures/examples/system-annex-viii-b.json")
            }
            "deployment-annex-viii-c" => {
                include_str!("../../tests/fixtures/examples/deployment-annex-viii-c.json")
            }
            "deployment-national-use" => {
                include_str!("../../tests/fixtures/examples/deployment-national-use.json")
            }
            other => panic!("no example {other}"),
        };
        serde_json::from_str(text).unwrap()
    }

    fn typed<T: serde::de::DeserializeOwned + Default>(v: &Value) -> T {
        serde_json::from_value(v.clone()).unwrap_or_default()
    }

    /// The classification of a document as the write path stores it (of a
    /// use without a registered system).
    fn classified(kind: RecordKind, doc: &Value) -> Value {
        let mut facts: Facts = serde_json::from_value(doc["facts"].clone()).unwrap();
        let declared: Vec<AnnexIiiPoint> = typed(&doc["declared_annex_iii"]);
        let subject = match kind {
            RecordKind::System => Subject::System(SystemContext {
                registration_type: serde_json::from_value(doc["registration_type"].clone())
                    .unwrap(),
                declared_annex_iii: &declared,
            }),
            RecordKind::Deployment => {
                facts.deployer_type =
                    Some(serde_json::from_value(doc["deployer"]["type"].clone()).unwrap());
                Subject::Deployment(DeploymentContext {
                    registration_type: serde_json::from_value(doc["registration_type"].clone())
                        .unwrap(),
                    legal_basis: serde_json::from_value(doc["legal_basis"]["ground"].clone()).ok(),
                    consent_alternative_offered: doc["consent"]["alternative_offered"].as_bool(),
                    employment_relationship: doc["employment_relationship"].as_bool(),
                    dpia_performed: doc["dpia"]["performed"].as_bool(),
                    fria_performed: doc["fria_performed"].as_bool(),
                    system_declared_annex_iii: &[],
                })
            }
        };
        let mut classification = serde_json::to_value(classify(&facts, &subject)).unwrap();
        if classification["registration"]["section"] == "non_public" {
            // The finding the write path adds when it reduces a document
            // for the non-public section.
            classification["findings"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "code": "non_public_items_dropped" }));
        }
        classification
    }

    fn values_of(kind: RecordKind, doc: &Value) -> String {
        facet_values(&Source::new(kind, doc, &classified(kind, doc)))
    }

    /// The stored facet values of the examples, as records registered
    /// before this table existed hold them: the index reads both alike.
    #[test]
    fn facet_values_are_those_stored_so_far() {
        let system = RecordKind::System;
        let deployment = RecordKind::Deployment;
        assert_eq!(
            values_of(system, &example("system-annex-viii-a")),
            r#"{"annex_iii":["1_a"],"deployer_type":["law_enforcement_authority"],"finding":["non_public_items_dropped"],"function":["identification"],"member_state":["NL","BE","LU"],"modality":["face"],"outcome":["high_risk"],"provider":["Noordlicht Vision B.V."],"purpose":["law_enforcement"],"registration_type":["annex_viii_a"],"section":["non_public"],"space":["publicly_accessible"],"status":["on_market"],"timing":["post"]}"#
        );
        assert_eq!(
            values_of(system, &example("system-annex-viii-b")),
            r#"{"deployer_type":["education_institution"],"finding":["declared_annex_iii_mismatch"],"function":["verification"],"modality":["face"],"outcome":["not_high_risk"],"provider":["Examenzeker B.V."],"purpose":["exam_proctoring"],"registration_type":["annex_viii_b"],"section":["public"],"space":["education","online"],"status":["on_market"],"timing":["real_time"]}"#
        );
        let mut untimed = example("system-annex-viii-b");
        untimed["facts"]["biometric"]
            .as_object_mut()
            .unwrap()
            .remove("timing");
        untimed["facts"]
            .as_object_mut()
            .unwrap()
            .remove("deployer_type");
        assert_eq!(
            values_of(system, &untimed),
            r#"{"finding":["declared_annex_iii_mismatch"],"function":["verification"],"modality":["face"],"outcome":["not_high_risk"],"provider":["Examenzeker B.V."],"purpose":["exam_proctoring"],"registration_type":["annex_viii_b"],"section":["public"],"space":["education","online"],"status":["on_market"],"timing":["unknown"]}"#
        );
        assert_eq!(
            values_of(deployment, &example("deployment-national-use")),
            r#"{"consent_alternative":["yes"],"deployer":["Zomerfeest Evenementen B.V."],"deployer_type":["private_company"],"dpia":["yes"],"fria":["no"],"function":["identification"],"legal_basis":["gdpr_9_2_a_explicit_consent"],"member_state":["NL"],"modality":["face"],"municipality":["Den Haag"],"outcome":["not_high_risk"],"prior_consultation":["no"],"purpose":["access_control"],"region":["Zuid-Holland"],"registration_type":["national_use"],"section":["public"],"space":["publicly_accessible"],"timing":["real_time"]}"#
        );
        assert_eq!(
            values_of(deployment, &example("deployment-annex-viii-c")),
            r#"{"annex_iii":["1_a"],"deployer":["Politie Eenheid Rotterdam"],"deployer_type":["law_enforcement_authority"],"dpia":["yes"],"finding":["non_public_items_dropped"],"fria":["yes"],"function":["identification"],"legal_basis":["law_enforcement_directive"],"member_state":["NL"],"modality":["face"],"municipality":["Rotterdam"],"outcome":["high_risk"],"prior_consultation":["no"],"purpose":["law_enforcement","incident_investigation"],"region":["Zuid-Holland"],"registration_type":["annex_viii_c"],"section":["non_public"],"space":["publicly_accessible"],"timing":["post"]}"#
        );
        // Another ground (no consent question), an id in capitals, no
        // timing, no DPIA.
        let mut mall = example("deployment-national-use");
        let obj = mall.as_object_mut().unwrap();
        obj.remove("system_url");
        obj.remove("consent");
        mall["system_id"] = json!("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D");
        mall["legal_basis"] = json!({"ground": "other"});
        mall["dpia"] = json!({"performed": false});
        mall["facts"] = json!({
            "biometric": {"uses_biometric_data": true, "modalities": ["face"], "functions": ["emotion_recognition"]},
            "spaces": ["publicly_accessible"], "subjects": ["customers"], "purposes": ["advertising"]
        });
        assert_eq!(
            values_of(deployment, &mall),
            r#"{"annex_iii":["1_c"],"deployer":["Zomerfeest Evenementen B.V."],"deployer_type":["private_company"],"dpia":["no"],"finding":["dpia_missing"],"fria":["no"],"function":["emotion_recognition"],"legal_basis":["other"],"member_state":["NL"],"modality":["face"],"municipality":["Den Haag"],"outcome":["high_risk"],"prior_consultation":["no"],"purpose":["advertising"],"region":["Zuid-Holland"],"registration_type":["national_use"],"section":["public"],"space":["publicly_accessible"],"system_id":["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],"timing":["unknown"]}"#
        );
        // Consent without a stated alternative, DPIA not stated.
        let mut open = example("deployment-national-use");
        open.as_object_mut().unwrap().remove("consent");
        open.as_object_mut().unwrap().remove("dpia");
        open["facts"]["biometric"]
            .as_object_mut()
            .unwrap()
            .remove("timing");
        assert_eq!(
            values_of(deployment, &open),
            r#"{"consent_alternative":["unknown"],"deployer":["Zomerfeest Evenementen B.V."],"deployer_type":["private_company"],"dpia":["unknown"],"finding":["consent_without_alternative","dpia_missing","missing_fact"],"fria":["no"],"function":["identification"],"legal_basis":["gdpr_9_2_a_explicit_consent"],"member_state":["NL"],"modality":["face"],"municipality":["Den Haag"],"outcome":["not_high_risk"],"prior_consultation":["no"],"purpose":["access_control"],"region":["Zuid-Holland"],"registration_type":["national_use"],"section":["public"],"space":["publicly_accessible"],"timing":["unknown"]}"#
        );
    }

    #[test]
    fn findings_are_sorted_and_counted_once_and_empty_lists_left_out() {
        let document = json!({ "facts": {} });
        let classification = json!({
            "outcome": "high_risk",
            "findings": [{"code": "missing_fact"}, {"code": "dpia_missing"}, {"code": "missing_fact"}],
        });
        assert_eq!(
            facet_values(&Source::new(RecordKind::System, &document, &classification)),
            r#"{"finding":["dpia_missing","missing_fact"],"outcome":["high_risk"],"timing":["unknown"]}"#
        );
    }

    #[test]
    fn every_vocabulary_is_known() {
        for dim in DIMS {
            if let Vocabulary::Codes { lists, .. } = dim.vocabulary {
                for list in lists {
                    assert!(
                        code_list(list).is_some(),
                        "{}: no code list {list}",
                        dim.name
                    );
                }
            }
            if let Shown::Distinct(_) = dim.shown {
                assert_ne!(dim.kinds, Kinds::Both, "{}: a total of one kind", dim.name);
            }
        }
        let names: std::collections::HashSet<&str> = DIMS.iter().map(|d| d.name).collect();
        assert_eq!(names.len(), DIMS.len(), "every name once");
    }

    #[test]
    fn filters_parse_by_vocabulary() {
        let parse = |dim: &str, raw: &str| dim_def(dim).unwrap().vocabulary.parse(raw);
        assert_eq!(
            parse("space", "online, workplace"),
            Ok(vec!["online".to_owned(), "workplace".to_owned()])
        );
        assert_eq!(parse("space", "online,"), Err(String::new()));
        assert_eq!(parse("legal_basis", "other"), Ok(vec!["other".to_owned()]));
        assert_eq!(
            parse("registration_type", "annex_viii_a,national_use").map(|v| v.len()),
            Ok(2)
        );
        assert_eq!(parse("timing", "unknown"), Ok(vec![UNKNOWN.to_owned()]));
        assert_eq!(parse("outcome", "unknown"), Err("unknown".to_owned()));
        assert_eq!(
            parse("municipality", " Utrecht, Den Haag "),
            Ok(vec!["Utrecht, Den Haag".to_owned()])
        );
        assert_eq!(parse("municipality", "  "), Err(String::new()));
        assert!(parse("region", &"x".repeat(MAX_NAME_LEN + 1)).is_err());
        assert_eq!(
            parse(SYSTEM_ID, " 0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"),
            Ok(vec!["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".to_owned()])
        );
        assert_eq!(parse(SYSTEM_ID, "nope"), Err("nope".to_owned()));
    }

    #[test]
    fn labels_come_from_the_vocabulary() {
        let label = |dim: &str, value: &str| dim_def(dim).unwrap().label(value, Lang::En);
        assert_eq!(label("legal_basis", "other"), Some("Other ground"));
        assert_eq!(label("dpia", "no"), Some("No"));
        assert!(label("registration_type", "national_use").is_some());
        assert!(label("registration_type", "annex_viii_a").is_some());
        assert_eq!(label("timing", UNKNOWN), None);
        assert_eq!(label("municipality", "Utrecht"), None);
    }
}
