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
//! there, or only that it is under [`NON_PUBLIC_THRESHOLD`] (`"<5"`), so
//! that no figure singles out a record. Only the `member_state` and `annex_iii` filters narrow that
//! figure: combining others would let differences of figures do so.

use std::collections::HashMap;
use std::fmt;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Serialize, Serializer};

use super::auth::Caller;
use super::error::ApiError;
use super::query::{self, unknown};
use super::search::full_text_keys;
use crate::access::visibility;
use crate::classify::Section;
use crate::domain::annex::AnnexIiiPoint;
use crate::domain::RecordKind;
use crate::index::{
    dim_def, Counts, DimDef, FacetIndex, FacetService, Filter, Selection, Shown, Tally, Visibility,
    DIMS, SYSTEM_ID,
};
use crate::labels::Lang;
use crate::store::Store;

/// The smallest non-public figure shown as a number.
pub const NON_PUBLIC_THRESHOLD: u64 = 5;

/// A figure of the non-public grid: the number when it is at least
/// [`NON_PUBLIC_THRESHOLD`], else only that it is under it (`"<5"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// At least the threshold.
    Exact(u64),
    /// Under the threshold, zero included.
    Under,
}

impl Count {
    /// The figure shown for `n` registrations.
    pub fn of(n: u64) -> Count {
        if n >= NON_PUBLIC_THRESHOLD {
            Count::Exact(n)
        } else {
            Count::Under
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Count::Exact(n) => write!(f, "{n}"),
            Count::Under => write!(f, "<{NON_PUBLIC_THRESHOLD}"),
        }
    }
}

/// A number in JSON, or the text `"<5"`.
impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Exact(n) => s.serialize_u64(*n),
            Count::Under => s.collect_str(self),
        }
    }
}

/// Parts by name. In JSON an object whose keys come in name order; the CSV
/// lists them in the order they are held here (the overview's order).
#[derive(Debug)]
struct Named<T>(Vec<(String, T)>);

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut parts: Vec<&(String, T)> = self.0.iter().collect();
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        s.collect_map(parts.into_iter().map(|(name, part)| (name, part)))
    }
}

/// One value of a breakdown and how many records have it.
#[derive(Debug, Serialize)]
struct Entry {
    count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'static str>,
    value: String,
}

/// A safeguard: the answers of the deployments it applies to, and the
/// share of "yes" among them (`null` when none applies).
#[derive(Debug, Serialize)]
struct Safeguard {
    counts: Vec<Entry>,
    of: u64,
    share: Option<f64>,
    yes: u64,
}

/// The findings' codes, counted over systems and deployments.
#[derive(Debug, Default, Serialize)]
struct Findings {
    deployments: Vec<Entry>,
    systems: Vec<Entry>,
}

/// Registrations in one month (`YYYY-MM`).
#[derive(Debug, Serialize)]
struct Month {
    deployments: u64,
    month: String,
    systems: u64,
}

/// One cell of the non-public grid.
#[derive(Debug, Serialize)]
struct NonPublicCell {
    annex_iii: &'static str,
    count: Count,
    label: Option<&'static str>,
    member_state: &'static str,
}

/// Everything the overview shows. Fields (and every object's keys) come in
/// name order in JSON; the CSV is written from the same values, in the
/// overview's order.
#[derive(Debug, Serialize)]
struct Overview {
    data_timestamp: Option<String>,
    deployments: Named<Vec<Entry>>,
    filters: Named<Vec<String>>,
    findings: Findings,
    lang: &'static str,
    non_public: Vec<NonPublicCell>,
    registrations_per_month: Vec<Month>,
    safeguards: Named<Safeguard>,
    systems: Named<Vec<Entry>>,
    totals: Named<u64>,
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
        let mut used = index.deployments.values(&deployments.positions, SYSTEM_ID);
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
            .retain_values(&mut deployments, SYSTEM_ID, &ids);
    }
    (systems, deployments)
}

fn entries(dim: &DimDef, counts: Counts, lang: Lang) -> Vec<Entry> {
    counts
        .into_iter()
        .map(|(value, count)| Entry {
            count,
            label: dim.label(&value, lang),
            value,
        })
        .collect()
}

/// The share of "yes" among the answers.
fn safeguard(counts: Vec<Entry>) -> Safeguard {
    let of: u64 = counts.iter().map(|e| e.count).sum();
    let yes = counts
        .iter()
        .find(|e| e.value == "yes")
        .map_or(0, |e| e.count);
    Safeguard {
        share: (of > 0).then(|| (yes as f64 / of as f64 * 1000.0).round() / 1000.0),
        counts,
        of,
        yes,
    }
}

/// What one query of the overview asks for.
struct Query<'a> {
    vis: &'a Visibility,
    /// The filters as given, shown in the answer.
    given: &'a [Filter],
    /// The filters applied (without systems the caller may not see).
    filters: &'a [Filter],
    sel: Selection<'a>,
    keys: Option<&'a [i64]>,
    lang: Lang,
}

/// Everything the overview shows.
fn compute(index: &FacetIndex, q: &Query<'_>) -> Overview {
    let (systems, deployments) = select_both(index, q.vis, q.filters, &q.sel, q.keys);
    let (s, d) = (&index.systems, &index.deployments);
    let lang = q.lang;
    let mut totals = vec![
        ("systems".to_owned(), systems.len() as u64),
        ("deployments".to_owned(), deployments.len() as u64),
    ];
    let mut by_system = Vec::new();
    let mut by_deployment = Vec::new();
    let mut safeguards = Vec::new();
    let mut findings = Findings::default();
    for dim in DIMS {
        match dim.shown {
            Shown::No => {}
            Shown::Breakdown(kinds) => {
                let name = format!("by_{}", dim.name);
                if kinds.includes(RecordKind::System) {
                    let counts = s.counts(&systems, dim.name);
                    by_system.push((name.clone(), entries(dim, counts, lang)));
                }
                if kinds.includes(RecordKind::Deployment) {
                    let counts = d.counts(&deployments, dim.name);
                    by_deployment.push((name, entries(dim, counts, lang)));
                }
            }
            Shown::Distinct(name) => {
                let n = if dim.applies_to(RecordKind::System) {
                    s.distinct(&systems, dim.name)
                } else {
                    d.distinct(&deployments, dim.name)
                };
                totals.push((name.to_owned(), n as u64));
            }
            Shown::Safeguard(name) => {
                let counts = d.counts(&deployments, dim.name);
                safeguards.push((name.to_owned(), safeguard(entries(dim, counts, lang))));
            }
            Shown::Findings => {
                findings = Findings {
                    systems: entries(dim, s.counts(&systems, dim.name), lang),
                    deployments: entries(dim, d.counts(&deployments, dim.name), lang),
                };
            }
        }
    }
    let mut months: std::collections::BTreeMap<String, Month> = Default::default();
    for (of_systems, counts) in [
        (true, s.per_month(&systems)),
        (false, d.per_month(&deployments)),
    ] {
        for (month, n) in counts {
            let entry = months.entry(month.clone()).or_insert(Month {
                deployments: 0,
                month,
                systems: 0,
            });
            if of_systems {
                entry.systems = n;
            } else {
                entry.deployments = n;
            }
        }
    }
    let non_public = if q.vis.sees_non_public() {
        Vec::new()
    } else {
        non_public(index, q.given, lang)
    };
    let data_timestamp = if q.vis.sees_non_public() {
        index.data_timestamp.clone()
    } else {
        index.public_data_timestamp.clone()
    };
    Overview {
        data_timestamp,
        deployments: Named(by_deployment),
        filters: Named(
            q.given
                .iter()
                .map(|f| (f.dim.name.to_owned(), f.values.clone()))
                .collect(),
        ),
        findings,
        lang: lang.as_str(),
        non_public,
        registrations_per_month: months.into_values().collect(),
        safeguards: Named(safeguards),
        systems: Named(by_system),
        totals: Named(totals),
    }
}

/// Counts of non-public registrations per Annex III point and Member State.
///
/// A fixed grid (every point of areas 1, 6 and 7, the ones Art. 49(4) sends
/// there, times every Member State), counted over every non-public record,
/// shown as a [`Count`]: under [`NON_PUBLIC_THRESHOLD`], zero included, only
/// as under it, so that neither whether a cell appears nor how filters
/// narrow it can tell one registration apart. The `annex_iii` and
/// `member_state` filters choose the cells shown; no filter changes what is
/// counted.
fn non_public(index: &FacetIndex, filters: &[Filter], lang: Lang) -> Vec<NonPublicCell> {
    let mut counts: HashMap<(String, String), u64> = HashMap::new();
    if let Some(section) = dim_def("section") {
        let in_section = [Filter {
            dim: section,
            values: vec![Section::NonPublic.as_str().to_owned()],
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
    let annex_iii = dim_def("annex_iii");
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
            cells.push(NonPublicCell {
                annex_iii: point.as_str(),
                count: Count::of(n),
                label: annex_iii.and_then(|d| d.label(point.as_str(), lang)),
                member_state: ms,
            });
        }
    }
    cells
}

/// The overview as CSV: one row per figure, `group,breakdown,value,label,
/// count,data_timestamp`.
fn to_csv(o: &Overview) -> Result<String, ApiError> {
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
    let at = o.data_timestamp.as_deref().unwrap_or("");
    let mut row = |group: &str, breakdown: &str, value: &str, label: Option<&str>, count: &str| {
        w.write_record([
            group,
            breakdown,
            &spreadsheet_safe(value),
            label.unwrap_or(""),
            count,
            at,
        ])
        .map_err(internal)
    };
    for (name, n) in &o.totals.0 {
        row("totals", "total", name, None, &n.to_string())?;
    }
    // Breakdowns, safeguards and findings: (group, breakdown, entries).
    let mut lists: Vec<(&str, &str, &[Entry])> = Vec::new();
    for (group, named) in [("systems", &o.systems), ("deployments", &o.deployments)] {
        lists.extend(
            named
                .0
                .iter()
                .map(|(name, l)| (group, name.as_str(), &l[..])),
        );
    }
    lists.extend(
        o.safeguards
            .0
            .iter()
            .map(|(name, s)| ("safeguards", name.as_str(), &s.counts[..])),
    );
    lists.push(("findings", "systems", &o.findings.systems));
    lists.push(("findings", "deployments", &o.findings.deployments));
    for (group, breakdown, list) in lists {
        for e in list {
            row(group, breakdown, &e.value, e.label, &e.count.to_string())?;
        }
    }
    // A month without registrations of a kind has no row of that kind.
    for breakdown in ["systems", "deployments"] {
        for m in &o.registrations_per_month {
            let n = if breakdown == "systems" {
                m.systems
            } else {
                m.deployments
            };
            if n > 0 {
                row(
                    "registrations_per_month",
                    breakdown,
                    &m.month,
                    None,
                    &n.to_string(),
                )?;
            }
        }
    }
    for c in &o.non_public {
        row(
            Section::NonPublic.as_str(),
            &format!("annex_iii={}", c.annex_iii),
            c.member_state,
            c.label,
            &c.count.to_string(),
        )?;
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
    let given = params.filters;
    let (from_day, to_day) = (params.from_day, params.to_day);
    let overview = facets
        .query(&store, move |index| {
            let mut filters = given.clone();
            index.drop_unseen_systems(&vis, &mut filters);
            compute(
                index,
                &Query {
                    vis: &vis,
                    given: &given,
                    filters: &filters,
                    sel: Selection {
                        filters: &filters,
                        from_day,
                        to_day,
                        keys: None,
                    },
                    keys: keys.as_deref(),
                    lang,
                },
            )
        })
        .await?;
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"overview.csv\"",
            ))
            .body(to_csv(&overview)?));
    }
    Ok(HttpResponse::Ok().json(overview))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::fixtures::{facet_row, filter};
    use crate::store::records::FacetRow;

    fn row(id: &str, kind: &str, key: i64, org: &str, section: &str, facets: &str) -> FacetRow {
        // Two records in March, two in April, three in May.
        let month = [3, 3, 4, 4, 5, 5, 5][(key - 1) as usize];
        facet_row(id, kind, key, org, section, month, facets)
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
            let overview = compute(
                &index,
                &Query {
                    vis: &vis,
                    given: &filters,
                    filters: &filters,
                    sel: Selection {
                        filters: &filters,
                        ..Selection::default()
                    },
                    keys: None,
                    lang,
                },
            );
            let json = serde_json::to_string(&overview).unwrap();
            let csv = to_csv(&overview).unwrap();
            out.push_str(&format!("== {vis:?}\n{json}\n{csv}\n"));
        }
        let expected = include_str!("../../tests/fixtures/overview.txt");
        for (n, (got, want)) in out.lines().zip(expected.lines()).enumerate() {
            assert_eq!(got, want, "line {}", n + 1);
        }
        assert_eq!(out.lines().count(), expected.lines().count());
    }

    #[test]
    fn under_the_threshold_a_figure_is_text() {
        assert_eq!(
            serde_json::to_string(&Count::of(NON_PUBLIC_THRESHOLD)).unwrap(),
            NON_PUBLIC_THRESHOLD.to_string()
        );
        assert_eq!(serde_json::to_string(&Count::of(0)).unwrap(), "\"<5\"");
        assert_eq!(
            Count::of(NON_PUBLIC_THRESHOLD - 1).to_string(),
            format!("<{NON_PUBLIC_THRESHOLD}")
        );
    }
}
