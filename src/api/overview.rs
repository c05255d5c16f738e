//! `GET /v1/overview`: the answer to the mapping request. Where is facial
//! recognition (and other biometric AI) used, by whom, for what, on which
//! legal basis, how risky; for any filters, over the records the caller may
//! see. JSON by default, CSV with `Accept: text/csv` or `format=csv`.
//!
//! Filters that only systems have (status, provider) restrict deployments to
//! uses of the matching systems; filters that only deployments have (region,
//! legal basis…) restrict systems to those used by the matching deployments.
//!
//! Callers who do not see the non-public section (Art. 49(4)) get one figure
//! per Annex III point and Member State for it: the number of registrations
//! there, or `"<5"` when it is under five, so that no figure singles out a
//! record. Only the `member_state` and `annex_iii` filters narrow that
//! figure: combining others would let differences of figures do so.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::error::ApiError;
use super::query::{self, unknown};
use super::records::visibility;
use super::search::full_text_keys;
use crate::domain::annex::AnnexIiiPoint;
use crate::domain::RecordKind;
use crate::index::{
    dim_def, Counts, FacetIndex, FacetService, Filter, Selection, Table, Tally, Visibility,
};
use crate::labels::Lang;
use crate::store::Store;

/// The smallest non-public figure shown as a number.
pub const NON_PUBLIC_THRESHOLD: u64 = 5;

const SYSTEM_BREAKDOWNS: &[&str] = &["outcome", "annex_iii", "function", "modality", "status"];
const DEPLOYMENT_BREAKDOWNS: &[&str] = &[
    "space",
    "purpose",
    "deployer_type",
    "legal_basis",
    "region",
    "municipality",
    "outcome",
    "timing",
    "annex_iii",
    "function",
    "modality",
];
const SAFEGUARDS: &[(&str, &str)] = &[
    ("dpia", "dpia"),
    ("prior_consultation", "prior_consultation"),
    ("fria", "fria"),
    ("alternative_offered_where_consent", "consent_alternative"),
];

/// One cell of a breakdown, for JSON and CSV alike.
struct Cell {
    group: &'static str,
    breakdown: String,
    value: String,
    label: Option<&'static str>,
    count: Value,
}

fn cells_of(
    group: &'static str,
    breakdown: &str,
    dim: &str,
    counts: Vec<(String, u64)>,
    lang: Lang,
) -> Vec<Cell> {
    counts
        .into_iter()
        .map(|(value, n)| Cell {
            group,
            breakdown: breakdown.to_owned(),
            label: dim_def(dim).and_then(|d| d.label(&value, lang)),
            value,
            count: json!(n),
        })
        .collect()
}

fn select_both(
    index: &FacetIndex,
    vis: &Visibility,
    filters: &[Filter],
    sel: &Selection<'_>,
    keys: Option<&[i64]>,
) -> (Tally, Tally) {
    let org = index.org_id(vis);
    let sys_only = filters
        .iter()
        .any(|f| !f.dim.applies_to(RecordKind::Deployment));
    let dep_only = filters
        .iter()
        .any(|f| !f.dim.applies_to(RecordKind::System));
    let mut systems = index.systems.tally(
        vis,
        org,
        &Selection {
            keys,
            ..sel.clone()
        },
    );
    let mut deployments = index.deployments.tally(
        vis,
        org,
        &Selection {
            keys,
            ..sel.clone()
        },
    );
    if dep_only {
        let mut used = index
            .deployments
            .values(&deployments.positions, "system_id");
        used.sort();
        index.systems.retain_ids(&mut systems, &used);
    }
    if sys_only {
        let mut ids: Vec<String> = systems
            .positions
            .iter()
            .map(|p| index.systems.id(*p).to_owned())
            .collect();
        ids.sort();
        index
            .deployments
            .retain_values(&mut deployments, "system_id", &ids);
    }
    (systems, deployments)
}

fn distinct(table: &Table, tally: &Tally, dim: &str) -> usize {
    table.distinct(tally, dim)
}

/// Everything the overview shows, as cells.
fn compute(
    index: &FacetIndex,
    vis: &Visibility,
    filters: &[Filter],
    sel: &Selection<'_>,
    keys: Option<&[i64]>,
    lang: Lang,
) -> (Vec<Cell>, Value) {
    let (systems, deployments) = select_both(index, vis, filters, sel, keys);
    let s = &index.systems;
    let d = &index.deployments;
    let mut cells = Vec::new();
    let totals = [
        ("systems", systems.len()),
        ("deployments", deployments.len()),
        ("providers", distinct(s, &systems, "provider")),
        ("deployers", distinct(d, &deployments, "deployer")),
    ];
    for (name, n) in totals {
        cells.push(Cell {
            group: "totals",
            breakdown: "total".into(),
            value: name.into(),
            label: None,
            count: json!(n),
        });
    }
    for dim in SYSTEM_BREAKDOWNS {
        cells.extend(cells_of(
            "systems",
            &format!("by_{dim}"),
            dim,
            s.counts(&systems, dim),
            lang,
        ));
    }
    for dim in DEPLOYMENT_BREAKDOWNS {
        cells.extend(cells_of(
            "deployments",
            &format!("by_{dim}"),
            dim,
            d.counts(&deployments, dim),
            lang,
        ));
    }
    // Counted once: the cells and the shares both come from these.
    let safeguards: Vec<(&str, Counts)> = SAFEGUARDS
        .iter()
        .map(|(name, dim)| (*name, d.counts(&deployments, dim)))
        .collect();
    for ((name, counts), (_, dim)) in safeguards.iter().zip(SAFEGUARDS) {
        cells.extend(cells_of("safeguards", name, dim, counts.clone(), lang));
    }
    cells.extend(cells_of(
        "findings",
        "systems",
        "finding",
        s.counts(&systems, "finding"),
        lang,
    ));
    cells.extend(cells_of(
        "findings",
        "deployments",
        "finding",
        d.counts(&deployments, "finding"),
        lang,
    ));
    for (month, n) in s.per_month(&systems) {
        cells.push(Cell {
            group: "registrations_per_month",
            breakdown: "systems".into(),
            value: month,
            label: None,
            count: json!(n),
        });
    }
    for (month, n) in d.per_month(&deployments) {
        cells.push(Cell {
            group: "registrations_per_month",
            breakdown: "deployments".into(),
            value: month,
            label: None,
            count: json!(n),
        });
    }
    if *vis != Visibility::All {
        cells.extend(non_public(index, filters, lang));
    }
    let shares = safeguard_shares(&safeguards);
    (cells, shares)
}

/// The share of "yes" among the deployments each safeguard applies to.
fn safeguard_shares(safeguards: &[(&str, Counts)]) -> Value {
    let mut out = Map::new();
    for (name, counts) in safeguards {
        let of: u64 = counts.iter().map(|(_, n)| n).sum();
        let yes = counts
            .iter()
            .find(|(v, _)| v == "yes")
            .map_or(0, |(_, n)| *n);
        let share = if of == 0 {
            Value::Null
        } else {
            json!((yes as f64 / of as f64 * 1000.0).round() / 1000.0)
        };
        out.insert(
            (*name).to_owned(),
            json!({ "yes": yes, "of": of, "share": share }),
        );
    }
    Value::Object(out)
}

/// Counts of non-public registrations per Annex III point and Member State.
///
/// A fixed grid (every point of areas 1, 6 and 7, the ones Art. 49(4) sends
/// there, times every Member State), counted over every non-public record,
/// with `"<5"` for anything under five, zero included: neither whether a
/// cell appears nor how filters narrow it can tell one registration apart.
/// The `annex_iii` and `member_state` filters choose the cells shown; no
/// filter changes what is counted.
fn non_public(index: &FacetIndex, filters: &[Filter], lang: Lang) -> Vec<Cell> {
    let mut counts: std::collections::HashMap<(String, String), u64> = Default::default();
    if let Some(section) = dim_def("section") {
        let in_section = [Filter {
            dim: section,
            values: vec!["non_public".to_owned()],
        }];
        for table in [&index.systems, &index.deployments] {
            let restricted = table.select(
                &Visibility::All,
                None,
                &Selection {
                    filters: &in_section,
                    ..Selection::default()
                },
            );
            for (point, ms, n) in table.cross_counts(&restricted, "annex_iii", "member_state") {
                *counts.entry((point, ms)).or_default() += n;
            }
        }
    }
    let shown = |dim: &str, value: &str| {
        filters
            .iter()
            .filter(|f| f.dim.name == dim)
            .all(|f| f.values.iter().any(|v| v == value))
    };
    let member_states = crate::labels::code_list("member_state")
        .map(|l| l.codes.iter().map(|(code, _)| *code).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut cells = Vec::new();
    for point in AnnexIiiPoint::ALL
        .iter()
        .filter(|p| matches!(p.area(), 1 | 6 | 7))
    {
        if !shown("annex_iii", point.as_str()) {
            continue;
        }
        for ms in member_states.iter().filter(|ms| shown("member_state", ms)) {
            let n = counts
                .get(&(point.as_str().to_owned(), (*ms).to_owned()))
                .copied()
                .unwrap_or(0);
            cells.push(Cell {
                group: "non_public",
                breakdown: format!("annex_iii={}", point.as_str()),
                label: dim_def("annex_iii").and_then(|d| d.label(point.as_str(), lang)),
                value: (*ms).to_owned(),
                count: if n >= NON_PUBLIC_THRESHOLD {
                    json!(n)
                } else {
                    json!("<5")
                },
            });
        }
    }
    cells
}

fn to_json(
    cells: Vec<Cell>,
    shares: Value,
    data_timestamp: Option<String>,
    lang: Lang,
    filters: &[Filter],
) -> Value {
    let mut out = Map::new();
    out.insert("data_timestamp".into(), json!(data_timestamp));
    out.insert("lang".into(), json!(lang.as_str()));
    out.insert(
        "filters".into(),
        Value::Object(
            filters
                .iter()
                .map(|f| (f.dim.name.to_owned(), json!(f.values)))
                .collect(),
        ),
    );
    let mut totals = Map::new();
    // Every breakdown is present, empty or not, so a reader can rely on the shape.
    let mut groups: Map<String, Value> = Map::new();
    let empty = |dims: &[&str]| -> Value {
        Value::Object(
            dims.iter()
                .map(|d| (format!("by_{d}"), json!([])))
                .collect(),
        )
    };
    groups.insert("systems".into(), empty(SYSTEM_BREAKDOWNS));
    groups.insert("deployments".into(), empty(DEPLOYMENT_BREAKDOWNS));
    groups.insert(
        "findings".into(),
        json!({ "systems": [], "deployments": [] }),
    );
    let mut months: std::collections::BTreeMap<String, Map<String, Value>> = Default::default();
    let mut non_public = Vec::new();
    for cell in cells {
        match cell.group {
            "totals" => {
                totals.insert(cell.value, cell.count);
            }
            "registrations_per_month" => {
                months
                    .entry(cell.value)
                    .or_default()
                    .insert(cell.breakdown, cell.count);
            }
            "non_public" => {
                let point = cell.breakdown.trim_start_matches("annex_iii=").to_owned();
                non_public.push(json!({ "annex_iii": point, "label": cell.label, "member_state": cell.value, "count": cell.count }));
            }
            group => {
                let g = groups.entry(group.to_owned()).or_insert_with(|| json!({}));
                let list = g
                    .as_object_mut()
                    .map(|g| g.entry(cell.breakdown).or_insert_with(|| json!([])));
                if let Some(Value::Array(list)) = list {
                    let mut v = json!({ "value": cell.value, "count": cell.count });
                    if let Some(l) = cell.label {
                        v["label"] = json!(l);
                    }
                    list.push(v);
                }
            }
        }
    }
    out.insert("totals".into(), Value::Object(totals));
    for name in ["systems", "deployments", "findings"] {
        out.insert(
            name.into(),
            groups.remove(name).unwrap_or_else(|| json!({})),
        );
    }
    let mut safeguards = groups.remove("safeguards").unwrap_or_else(|| json!({}));
    if let (Some(sg), Some(shares)) = (safeguards.as_object_mut(), shares.as_object()) {
        for (name, share) in shares {
            let counts = sg.remove(name).unwrap_or_else(|| json!([]));
            let mut entry = share.clone();
            entry["counts"] = counts;
            sg.insert(name.clone(), entry);
        }
    }
    out.insert("safeguards".into(), safeguards);
    out.insert(
        "registrations_per_month".into(),
        Value::Array(
            months
                .into_iter()
                .map(|(month, counts)| {
                    json!({
                        "month": month,
                        "systems": counts.get("systems").cloned().unwrap_or(json!(0)),
                        "deployments": counts.get("deployments").cloned().unwrap_or(json!(0)),
                    })
                })
                .collect(),
        ),
    );
    out.insert("non_public".into(), Value::Array(non_public));
    Value::Object(out)
}

fn to_csv(cells: &[Cell], data_timestamp: Option<&str>) -> Result<String, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| ApiError::Internal(e.to_string());
    w.write_record([
        "group",
        "breakdown",
        "value",
        "label",
        "count",
        "data_timestamp",
    ])
    .map_err(internal)?;
    for c in cells {
        let value = spreadsheet_safe(&c.value);
        let count = match &c.count {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        w.write_record([
            c.group,
            &c.breakdown,
            &value,
            c.label.unwrap_or(""),
            &count,
            data_timestamp.unwrap_or(""),
        ])
        .map_err(internal)?;
    }
    String::from_utf8(
        w.into_inner()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    )
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// A cell a spreadsheet shows as text: names come from registrants, and one
/// that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return)
/// would run as one in the ministry's spreadsheet (CSV injection).
fn spreadsheet_safe(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

fn wants_csv(req: &HttpRequest, format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        Some("csv") => return Ok(true),
        Some("json") => return Ok(false),
        Some(_) => {
            return Err(ApiError::InvalidParameter(
                "format must be json or csv".into(),
            ))
        }
        None => {}
    }
    Ok(req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv")))
}

/// `GET /v1/overview`.
pub async fn overview(
    req: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    facets: web::Data<FacetService>,
) -> Result<HttpResponse, ApiError> {
    let params = query::parse(&req, &[RecordKind::System, RecordKind::Deployment])?;
    let mut format = None;
    for (name, value) in &params.rest {
        match name.as_str() {
            "format" => format = Some(value.as_str()),
            other => return Err(unknown(other)),
        }
    }
    let csv = wants_csv(&req, format)?;
    let keys = full_text_keys(
        &store,
        &[RecordKind::System, RecordKind::Deployment],
        params.words.as_ref(),
    )
    .await?;
    let vis = visibility(&caller);
    let lang = params.lang;
    let mut filters = params.filters.clone();
    let (from_day, to_day) = (params.from_day, params.to_day);
    let (cells, shares, data_timestamp) = facets
        .query(&store, move |index| {
            index.drop_unseen_systems(&vis, &mut filters);
            let sel = Selection {
                filters: &filters,
                from_day,
                to_day,
                keys: None,
            };
            let (cells, shares) = compute(index, &vis, &filters, &sel, keys.as_deref(), lang);
            let data_timestamp = if vis == Visibility::All {
                index.data_timestamp.clone()
            } else {
                index.public_data_timestamp.clone()
            };
            (cells, shares, data_timestamp)
        })
        .await?;
    if csv {
        let body = to_csv(&cells, data_timestamp.as_deref())?;
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"overview.csv\"",
            ))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(to_json(
        cells,
        shares,
        data_timestamp,
        lang,
        &params.filters,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::records::FacetRow;

    fn row(id: &str, kind: &str, key: i64, org: &str, section: &str, facets: &str) -> FacetRow {
        // Two records in March, two in April, three in May.
        let month = [3, 3, 4, 4, 5, 5, 5][(key - 1) as usize];
        FacetRow {
            id: id.into(),
            kind: kind.into(),
            row_key: key,
            owner_org: org.into(),
            section: section.into(),
            created_at: format!("2026-{month:02}-15T10:00:00.000000Z"),
            updated_at: format!("2026-{month:02}-16T10:00:00.000000Z"),
            facets: facets.into(),
        }
    }

    /// Three systems and four uses, their facet values as registered.
    fn index() -> FacetIndex {
        let mut index = FacetIndex::default();
        index.apply(&[
            row("11111111-1111-4111-8111-111111111111", "system", 1, "Examenzeker", "public",
                r#"{"deployer_type":["education_institution"],"finding":["declared_annex_iii_mismatch"],"function":["verification"],"member_state":["NL"],"modality":["face"],"outcome":["not_high_risk"],"provider":["Examenzeker B.V."],"purpose":["exam_proctoring"],"registration_type":["annex_viii_b"],"section":["public"],"space":["education","online"],"status":["on_market"],"timing":["real_time"]}"#),
            row("22222222-2222-4222-8222-222222222222", "system", 2, "Noordlicht", "non_public",
                r#"{"annex_iii":["1_a"],"deployer_type":["law_enforcement_authority"],"finding":["non_public_items_dropped"],"function":["identification"],"member_state":["NL","BE","LU"],"modality":["face"],"outcome":["high_risk"],"provider":["Noordlicht Vision B.V."],"purpose":["law_enforcement"],"registration_type":["annex_viii_a"],"section":["non_public"],"space":["publicly_accessible"],"status":["on_market"],"timing":["post"]}"#),
            row("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "system", 3, "Noordlicht", "public",
                r#"{"annex_iii":["1_c"],"deployer_type":["private_company"],"function":["emotion_recognition"],"member_state":["NL"],"modality":["face"],"outcome":["high_risk"],"provider":["Noordlicht Vision B.V."],"purpose":["advertising"],"registration_type":["annex_viii_a"],"section":["public"],"space":["publicly_accessible"],"status":["on_market"],"timing":["unknown"]}"#),
            row("d1", "deployment", 4, "Zomerfeest", "public",
                r#"{"consent_alternative":["yes"],"deployer":["Zomerfeest Evenementen B.V."],"deployer_type":["private_company"],"dpia":["yes"],"finding":["declared_annex_iii_mismatch"],"fria":["no"],"function":["identification"],"legal_basis":["gdpr_9_2_a_explicit_consent"],"member_state":["NL"],"modality":["face"],"municipality":["Den Haag"],"outcome":["not_high_risk"],"prior_consultation":["no"],"purpose":["access_control"],"region":["Zuid-Holland"],"registration_type":["national_use"],"section":["public"],"space":["publicly_accessible"],"timing":["real_time"]}"#),
            row("d2", "deployment", 5, "Winkel", "public",
                r#"{"annex_iii":["1_c"],"deployer":["Zomerfeest Evenementen B.V."],"deployer_type":["private_company"],"dpia":["no"],"finding":["dpia_missing"],"fria":["no"],"function":["emotion_recognition"],"legal_basis":["other"],"member_state":["NL"],"modality":["face"],"municipality":["Den Haag"],"outcome":["high_risk"],"prior_consultation":["no"],"purpose":["advertising"],"region":["Zuid-Holland"],"registration_type":["national_use"],"section":["public"],"space":["publicly_accessible"],"system_id":["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],"timing":["unknown"]}"#),
            row("d3", "deployment", 6, "Zomerfeest", "public",
                r#"{"consent_alternative":["no"],"deployer":["Zomerfeest Evenementen B.V."],"deployer_type":["education_institution"],"dpia":["yes"],"finding":["consent_without_alternative","declared_annex_iii_mismatch"],"fria":["no"],"function":["identification"],"legal_basis":["gdpr_9_2_a_explicit_consent"],"member_state":["NL"],"modality":["face"],"municipality":["Den Haag"],"outcome":["not_high_risk"],"prior_consultation":["no"],"purpose":["access_control"],"region":["Zuid-Holland"],"registration_type":["national_use"],"section":["public"],"space":["publicly_accessible"],"timing":["real_time"]}"#),
            row("d4", "deployment", 7, "Politie", "non_public",
                r#"{"annex_iii":["1_a"],"deployer":["Politie Eenheid Rotterdam"],"deployer_type":["law_enforcement_authority"],"dpia":["yes"],"finding":["non_public_items_dropped"],"fria":["yes"],"function":["identification"],"legal_basis":["law_enforcement_directive"],"member_state":["NL"],"modality":["face"],"municipality":["Rotterdam"],"outcome":["high_risk"],"prior_consultation":["no"],"purpose":["law_enforcement","incident_investigation"],"region":["Zuid-Holland"],"registration_type":["annex_viii_c"],"section":["non_public"],"space":["publicly_accessible"],"timing":["post"]}"#),
        ]);
        index.data_timestamp = Some("2026-05-16T10:00:00.000000Z".into());
        index
    }

    fn filter(name: &str, values: &[&str]) -> Filter {
        Filter {
            dim: dim_def(name).unwrap(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    /// The JSON and the CSV of a few overviews, held against
    /// `tests/fixtures/overview.txt`: both formats are read by programs, so
    /// neither keys, their order, nor rows may change unnoticed.
    #[test]
    fn json_and_csv_keep_their_shape() {
        let index = index();
        let cases = [
            (
                Visibility::Public,
                vec![
                    filter("annex_iii", &["1_a", "1_c"]),
                    filter("member_state", &["NL", "BE"]),
                ],
                Lang::En,
            ),
            (Visibility::All, vec![], Lang::Nl),
            (
                Visibility::Org("Noordlicht".into()),
                vec![filter("member_state", &["LU"])],
                Lang::En,
            ),
            (
                Visibility::All,
                vec![filter("region", &["Zuid-Holland"])],
                Lang::En,
            ),
        ];
        let mut out = String::new();
        for (vis, filters, lang) in cases {
            let sel = Selection {
                filters: &filters,
                ..Selection::default()
            };
            let (cells, shares) = compute(&index, &vis, &filters, &sel, None, lang);
            let csv = to_csv(&cells, index.data_timestamp.as_deref()).unwrap();
            let json =
                to_json(cells, shares, index.data_timestamp.clone(), lang, &filters).to_string();
            out.push_str(&format!("== {vis:?}\n{json}\n{csv}\n"));
        }
        let expected = include_str!("../../tests/fixtures/overview.txt");
        for (n, (got, want)) in out.lines().zip(expected.lines()).enumerate() {
            assert_eq!(got, want, "line {}", n + 1);
        }
        assert_eq!(out.lines().count(), expected.lines().count());
    }
}
