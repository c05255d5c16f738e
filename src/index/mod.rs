//! The facet index: a column-oriented, in-memory copy of every record's facet
//! values, from which search facets, totals and the overview are counted.
//!
//! Why in memory: the overview answers any combination of filters over a
//! million records within milliseconds. Counting that on the fly in SQL takes
//! seconds, and pre-aggregating every combination of filters is impossible;
//! a scan over a few compact columns is neither. The database stays the
//! source of truth: each record stores its facet values (`records.facets`,
//! written by [`facet_values`]), the index loads them at start-up and follows
//! the audit chain to pick up every write since, also those of other
//! replicas (see [`FacetService`]).
//!
//! - [`dims`]: the dimensions, each defined once;
//! - `columns`: how one dimension is held (dictionary and column);
//! - `table`: the records of one kind, selecting and counting;
//! - `facet_index`: both tables and the audit position they reflect;
//! - `refresh`: keeping the index in step with the database.

pub mod dims;

mod columns;
mod facet_index;
mod refresh;
mod table;

pub use dims::{
    dim_def, facet_values, DimDef, Kinds, Shown, Source, Vocabulary, DIMS, MAX_NAME_LEN, SYSTEM_ID,
    UNKNOWN,
};
pub use refresh::FacetService;
pub use table::{day_number, Counts, Filter, Selection, Table, Tally};

pub use crate::access::Visibility;
pub use facet_index::FacetIndex;

/// Rows and filters for the unit tests of the index and what counts from it.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{dim_def, Filter};
    use crate::classify::Section;
    use crate::domain::RecordKind;
    use crate::store::records::FacetRow;

    /// A stored record's facet row, registered on the 15th of `month` of
    /// 2026 and last written the day after.
    pub fn facet_row(
        id: &str,
        kind: &str,
        key: i64,
        org: &str,
        section: &str,
        month: u32,
        facets: &str,
    ) -> FacetRow {
        FacetRow {
            id: id.into(),
            kind: RecordKind::from_code(kind).unwrap(),
            row_key: key,
            owner_org: org.into(),
            section: Section::from_code(section).unwrap(),
            created_at: format!("2026-{month:02}-15T10:00:00.000000Z"),
            updated_at: format!("2026-{month:02}-16T10:00:00.000000Z"),
            facets: facets.into(),
        }
    }

    /// A filter on the dimension `name`.
    pub fn filter(name: &str, values: &[&str]) -> Filter {
        Filter {
            dim: dim_def(name).unwrap(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{facet_row, filter};
    use super::*;
    use crate::store::records::FacetRow;
    use std::collections::HashMap;

    fn row(key: i64, org: &str, section: &str, month: u32, facets: &str) -> FacetRow {
        facet_row(
            &format!("id-{key}"),
            "deployment",
            key,
            org,
            section,
            month,
            facets,
        )
    }

    /// A small pseudo-random dataset: sections, owners, months and facet
    /// values vary with the key.
    fn rows(n: i64, salt: i64) -> Vec<FacetRow> {
        (1..=n)
            .map(|k| {
                let h = (k * 7919 + salt * 104_729) % 1000;
                let section = if h % 7 == 0 { "non_public" } else { "public" };
                let org = ["a", "b", "c"][(h % 3) as usize];
                let space = ["workplace", "online", "publicly_accessible"][(h % 3) as usize];
                let spaces = if h % 5 == 0 {
                    format!("[\"{space}\",\"education\"]")
                } else {
                    format!("[\"{space}\"]")
                };
                let facets = format!(
                    "{{\"member_state\":[\"{}\"],\"space\":{spaces},\"outcome\":[\"{}\"],\"municipality\":[\"m{}\"]}}",
                    if h % 10 == 0 { "BE" } else { "NL" },
                    ["high_risk", "prohibited", "not_high_risk"][(h % 4 % 3) as usize],
                    h % 13
                );
                row(k, org, section, (h % 12 + 1) as u32, &facets)
            })
            .collect()
    }

    #[test]
    fn complement_counting_equals_direct_counting_also_after_updates() {
        let mut index = FacetIndex::default();
        index.apply(&rows(500, 0));
        // Rewrite a third of the rows with other values and sections.
        let changed: Vec<FacetRow> = rows(500, 1)
            .into_iter()
            .filter(|r| r.row_key % 3 == 0)
            .collect();
        index.apply(&changed);
        let table = &index.deployments;
        let filter_sets = [
            vec![],
            vec![filter("member_state", &["NL"])],
            vec![
                filter("member_state", &["NL"]),
                filter("space", &["online", "workplace"]),
            ],
            vec![filter("outcome", &["prohibited"])],
        ];
        let visibilities = [
            Visibility::Public,
            Visibility::All,
            Visibility::Org("b".into()),
        ];
        let mut complement_used = 0;
        for vis in &visibilities {
            for filters in &filter_sets {
                let org = index.org_id(vis);
                let sel = Selection {
                    filters,
                    ..Selection::default()
                };
                let tally = table.tally(vis, org, &sel);
                complement_used += usize::from(tally.uses_complement());
                let mut direct = tally.clone();
                direct.retain(|_| true);
                for dim in ["member_state", "space", "outcome", "municipality"] {
                    assert_eq!(
                        table.counts(&tally, dim),
                        table.counts(&direct, dim),
                        "{vis:?} {filters:?} {dim}"
                    );
                }
                assert_eq!(table.per_month(&tally), table.per_month(&direct));
            }
        }
        assert!(complement_used >= 3, "the complement path was exercised");
    }

    #[test]
    fn visibility_limits_the_selection() {
        let mut index = FacetIndex::default();
        index.apply(&[
            row(1, "a", "public", 1, "{}"),
            row(2, "a", "non_public", 1, "{}"),
            row(3, "b", "non_public", 1, "{}"),
        ]);
        let t = &index.deployments;
        let sel = Selection::default();
        assert_eq!(t.select(&Visibility::Public, None, &sel), vec![0]);
        assert_eq!(t.select(&Visibility::All, None, &sel), vec![0, 1, 2]);
        let a = Visibility::Org("a".into());
        assert_eq!(t.select(&a, index.org_id(&a), &sel), vec![0, 1]);
    }

    #[test]
    fn a_multi_valued_dimension_holds_any_number_of_values() {
        // Purposes p0..p44: ids up to 44, beyond the first word of a bit set.
        let purposes = |k: i64| -> Vec<String> {
            if k % 3 == 0 {
                vec![format!("p{}", k % 44), "p44".to_owned()]
            } else {
                vec![format!("p{}", k % 45)]
            }
        };
        let public = |k: i64| k % 10 != 0;
        let rows: Vec<FacetRow> = (1..=300)
            .map(|k| {
                let section = if public(k) { "public" } else { "non_public" };
                let facets = serde_json::json!({ "purpose": purposes(k) }).to_string();
                row(k, "a", section, 1, &facets)
            })
            .collect();
        let mut index = FacetIndex::default();
        index.apply(&rows);
        let table = &index.deployments;
        // The counts of records `vis` sees that hold any of `wanted`.
        let expected = |vis: &Visibility, wanted: &[&str]| -> Counts {
            let mut counts: HashMap<String, u64> = HashMap::new();
            for k in (1..=300).filter(|k| *vis == Visibility::All || public(*k)) {
                let values = purposes(k);
                if wanted.is_empty() || values.iter().any(|v| wanted.contains(&v.as_str())) {
                    for v in values {
                        *counts.entry(v).or_default() += 1;
                    }
                }
            }
            let mut counts: Counts = counts.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts
        };
        let most: Vec<String> = (0..40).map(|i| format!("p{i}")).collect();
        let most: Vec<&str> = most.iter().map(String::as_str).collect();
        for vis in [Visibility::Public, Visibility::All] {
            for (wanted, complement) in [(&[][..], true), (&["p44"][..], false), (&most[..], true)]
            {
                let filters = if wanted.is_empty() {
                    Vec::new()
                } else {
                    vec![filter("purpose", wanted)]
                };
                let sel = Selection {
                    filters: &filters,
                    ..Selection::default()
                };
                let tally = table.tally(&vis, None, &sel);
                assert_eq!(tally.uses_complement(), complement, "{vis:?} {wanted:?}");
                let mut direct = tally.clone();
                direct.retain(|_| true);
                let want = expected(&vis, wanted);
                assert!(want.iter().any(|(v, _)| v == "p44"));
                for t in [&tally, &direct] {
                    assert_eq!(table.counts(t, "purpose"), want, "{vis:?} {wanted:?}");
                    assert_eq!(table.distinct(t, "purpose"), want.len());
                }
                if wanted == ["p44"] {
                    let p44 = want.iter().find(|(v, _)| v == "p44").map(|(_, n)| *n);
                    assert_eq!(Some(tally.len() as u64), p44, "{vis:?}");
                }
            }
        }
    }
}
