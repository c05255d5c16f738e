//! The records of one kind, column by column, and how a query selects and
//! counts them.

use std::collections::HashMap;

use rayon::prelude::*;

use super::columns::{Bits, Col, Column, Mask, Narrow};
use super::dims::{DimDef, DIMS};
use crate::access::{self, Visibility};
use crate::classify::Section;
use crate::domain::RecordKind;
use crate::store::records::FacetRow;

/// The records of one kind, column by column, in row-key order.
#[derive(Debug, Clone)]
pub struct Table {
    kind: RecordKind,
    keys: Vec<i64>,
    ids: Vec<String>,
    owners: Vec<u32>,
    sections: Vec<Section>,
    days: Vec<u32>,
    months: Vec<u32>,
    columns: Vec<Column>,
    by_key: HashMap<i64, u32>,
    by_id: HashMap<String, u32>,
    /// Counts over every public record, kept current on every change.
    base_public: Tallies,
    /// Counts over every record.
    base_all: Tallies,
}

/// Counts per value slot of every column (slot `id + 1` for value `id`),
/// and per month (`yyyymm`).
#[derive(Debug, Clone, Default)]
struct Tallies {
    cols: Vec<Vec<i64>>,
    months: HashMap<u32, i64>,
}

impl Tallies {
    fn add(&mut self, columns: &[Column], pos: usize, month: u32, sign: i64) {
        if self.cols.len() < columns.len() {
            self.cols.resize(columns.len(), Vec::new());
        }
        for (c, counts) in columns.iter().zip(&mut self.cols) {
            c.col.for_each_slot(pos, |slot| {
                if counts.len() <= slot {
                    counts.resize(slot + 1, 0);
                }
                counts[slot] += sign;
            });
        }
        *self.months.entry(month).or_default() += sign;
    }
}

/// The records a query selected, and how to count them: directly, or, when
/// they are most of what the caller may see, as the maintained base counts
/// minus what was left out (plus the caller's own non-public records).
#[derive(Debug, Clone)]
pub struct Tally {
    /// The selected positions, in row-key order.
    pub positions: Vec<u32>,
    complement: Option<Complement>,
}

#[derive(Debug, Clone)]
struct Complement {
    /// Base records (public, or all) not selected.
    excluded: Vec<u32>,
    /// Selected records outside the base (an organisation's own non-public ones).
    extra: Vec<u32>,
    /// Whether the base is the public records (else all records).
    public_base: bool,
}

impl Tally {
    /// How many records are selected.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Keeps only the positions `keep` accepts; counts directly from then on.
    pub fn retain(&mut self, keep: impl FnMut(&u32) -> bool) {
        self.positions.retain(keep);
        self.complement = None;
    }

    /// Whether the selection is counted from the base counts.
    #[cfg(test)]
    pub(super) fn uses_complement(&self) -> bool {
        self.complement.is_some()
    }
}

/// A compiled filter over one column.
enum Pred<'a> {
    Single(Vec<bool>, &'a Narrow),
    Multi(Mask, &'a Bits),
}

impl Pred<'_> {
    fn test(&self, i: usize) -> bool {
        match self {
            Pred::Single(accept, col) => accept[col.get(i) as usize],
            Pred::Multi(mask, col) => col.any(i, mask),
        }
    }
}

/// A filter on one dimension: a record matches when it has any of `values`.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The dimension.
    pub dim: &'static DimDef,
    /// Accepted values.
    pub values: Vec<String>,
}

/// What to select.
#[derive(Debug, Clone, Default)]
pub struct Selection<'a> {
    /// Every filter must match.
    pub filters: &'a [Filter],
    /// Registered on or after this day (`yyyymmdd`).
    pub from_day: Option<u32>,
    /// Registered on or before this day (`yyyymmdd`).
    pub to_day: Option<u32>,
    /// Only these row keys (a full-text result), ascending.
    pub keys: Option<&'a [i64]>,
}

/// A count per value of one dimension, largest first.
pub type Counts = Vec<(String, u64)>;

/// Below this many records a scan runs on the calling thread: splitting it
/// would cost more than it saves.
const PARALLEL_FROM: usize = 100_000;
/// The fewest records one task of a parallel scan takes.
const MIN_CHUNK: usize = 16_384;

/// The positions in `0..n` that `keep` accepts, ascending. Large tables are
/// scanned on the shared worker pool (no thread is started per query).
fn scan(n: usize, keep: impl Fn(usize) -> bool + Sync) -> Vec<u32> {
    let n = n as u32;
    if (n as usize) < PARALLEL_FROM {
        return (0..n).filter(|i| keep(*i as usize)).collect();
    }
    (0..n)
        .into_par_iter()
        .with_min_len(MIN_CHUNK)
        .filter(|i| keep(*i as usize))
        .collect()
}

impl Table {
    pub(super) fn new(kind: RecordKind) -> Table {
        Table {
            kind,
            keys: Vec::new(),
            ids: Vec::new(),
            owners: Vec::new(),
            sections: Vec::new(),
            days: Vec::new(),
            months: Vec::new(),
            columns: DIMS
                .iter()
                .filter(|d| d.applies_to(kind))
                .map(Column::new)
                .collect(),
            by_key: HashMap::new(),
            by_id: HashMap::new(),
            base_public: Tallies::default(),
            base_all: Tallies::default(),
        }
    }

    fn contribute(&mut self, pos: usize, sign: i64) {
        self.base_all
            .add(&self.columns, pos, self.months[pos], sign);
        if self.publicly_visible(pos) {
            self.base_public
                .add(&self.columns, pos, self.months[pos], sign);
        }
    }

    /// Whether the public sees the record at `pos`: the base of the
    /// maintained public counts.
    fn publicly_visible(&self, pos: usize) -> bool {
        access::may_see(&Visibility::Public, self.sections[pos], false)
    }

    /// Whether `vis` (with its organisation's id `org_id`) may see the
    /// record at `pos`: the access rule, on the index's columns.
    fn visible_at(&self, vis: &Visibility, org_id: Option<u32>, pos: usize) -> bool {
        let owned = org_id.is_some() && Some(self.owners[pos]) == org_id;
        access::may_see(vis, self.sections[pos], owned)
    }

    /// Whether `vis` may see the record `id`; `false` for an id the table
    /// does not hold.
    pub fn sees(&self, vis: &Visibility, org_id: Option<u32>, id: &str) -> bool {
        self.by_id
            .get(id)
            .is_some_and(|pos| self.visible_at(vis, org_id, *pos as usize))
    }

    /// How many records the table holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The record id at position `pos`.
    pub fn id(&self, pos: u32) -> &str {
        &self.ids[pos as usize]
    }

    /// The row key of the record `id`, if the table holds it.
    pub fn key_of(&self, id: &str) -> Option<i64> {
        self.by_id.get(id).map(|pos| self.keys[*pos as usize])
    }

    /// The row key at position `pos`.
    pub fn key(&self, pos: u32) -> i64 {
        self.keys[pos as usize]
    }

    fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.def.name == name)
    }

    /// Adds the record of `row`, or replaces it, with its facet values
    /// (dimension name to values) and its owner's interned id.
    pub(super) fn upsert(
        &mut self,
        row: &FacetRow,
        owner: u32,
        facets: &HashMap<String, Vec<String>>,
    ) {
        let day = day_number(&row.created_at);
        let month = day / 100;
        let section = row.section;
        let pos = match self.by_key.get(&row.row_key) {
            Some(pos) => {
                let pos = *pos as usize;
                self.contribute(pos, -1);
                pos
            }
            None => {
                // Row keys grow with every creation, so appending keeps order;
                // a late arrival (never expected) is inserted in place.
                let pos = self.keys.partition_point(|k| *k < row.row_key);
                self.keys.insert(pos, row.row_key);
                self.ids.insert(pos, row.id.clone());
                self.owners.insert(pos, owner);
                self.sections.insert(pos, section);
                self.days.insert(pos, day);
                self.months.insert(pos, month);
                for c in &mut self.columns {
                    c.col.insert_empty(pos);
                }
                if pos + 1 != self.keys.len() {
                    self.reindex();
                } else {
                    self.by_key.insert(row.row_key, pos as u32);
                    self.by_id.insert(row.id.clone(), pos as u32);
                }
                pos
            }
        };
        self.owners[pos] = owner;
        self.sections[pos] = section;
        self.days[pos] = day;
        self.months[pos] = month;
        for c in &mut self.columns {
            let values = facets
                .get(c.def.name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            c.set(pos, values);
        }
        self.contribute(pos, 1);
    }

    fn reindex(&mut self) {
        self.by_key = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        self.by_id = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect();
    }

    /// Positions of the records that `vis` may see and `sel` selects, in
    /// row-key order.
    pub fn select(&self, vis: &Visibility, org_id: Option<u32>, sel: &Selection<'_>) -> Vec<u32> {
        self.tally(vis, org_id, sel).positions
    }

    /// Selects like [`Table::select`], and prepares the cheaper way to count
    /// the selection (see [`Tally`]).
    ///
    /// Filters run one after another over a shrinking list of positions,
    /// the most selective first (estimated from the maintained counts), so a
    /// narrow combination costs one pass over the table and little more.
    pub fn tally(&self, vis: &Visibility, org_id: Option<u32>, sel: &Selection<'_>) -> Tally {
        let mut preds: Vec<(i64, Pred<'_>)> = Vec::new();
        for f in sel.filters.iter().filter(|f| f.dim.applies_to(self.kind)) {
            let Some((index, c)) = self
                .columns
                .iter()
                .enumerate()
                .find(|(_, c)| c.def.name == f.dim.name)
            else {
                continue;
            };
            let base = self.base_all.cols.get(index);
            let ids: Vec<u32> = f
                .values
                .iter()
                .filter_map(|value| c.dict.ids.get(value).copied())
                .collect();
            let estimate = ids
                .iter()
                .map(|id| {
                    base.and_then(|b| b.get(*id as usize + 1))
                        .copied()
                        .unwrap_or(0)
                })
                .sum();
            let pred = match &c.col {
                Col::Single(v) => {
                    let mut accept = vec![false; c.dict.names.len() + 1];
                    for id in &ids {
                        accept[*id as usize + 1] = true;
                    }
                    Pred::Single(accept, v)
                }
                Col::Multi(v) => Pred::Multi(v.mask(ids), v),
            };
            preds.push((estimate, pred));
        }
        preds.sort_by_key(|(estimate, _)| *estimate);
        let visible = |i: usize| self.visible_at(vis, org_id, i);
        let in_period = |i: usize| {
            sel.from_day.is_none_or(|d| self.days[i] >= d)
                && sel.to_day.is_none_or(|d| self.days[i] <= d)
        };
        let mut positions: Vec<u32> = match (sel.keys, preds.first()) {
            (Some(keys), _) => keys
                .iter()
                .filter_map(|k| self.by_key.get(k).copied())
                .collect(),
            (None, Some((_, first))) => scan(self.keys.len(), |i| first.test(i)),
            (None, None) => (0..self.keys.len() as u32).collect(),
        };
        let rest = if sel.keys.is_some() {
            &preds[..]
        } else {
            preds.get(1..).unwrap_or_default()
        };
        for (_, pred) in rest {
            positions.retain(|i| pred.test(*i as usize));
        }
        if !vis.sees_non_public() || sel.from_day.is_some() || sel.to_day.is_some() {
            positions.retain(|i| visible(*i as usize) && in_period(*i as usize));
        }
        if sel.keys.is_some() {
            // A full-text result: few records, counted directly.
            return Tally {
                positions,
                complement: None,
            };
        }
        // Most of the base selected: count the base minus what was left out.
        let public_base = !vis.sees_non_public();
        let base_len = if public_base {
            self.base_public.months.values().sum::<i64>()
        } else {
            self.keys.len() as i64
        };
        let complement = (positions.len() as i64 * 2 > base_len).then(|| {
            let in_base = |i: usize| !public_base || self.publicly_visible(i);
            let mut excluded = Vec::new();
            let mut extra = Vec::new();
            let mut next = positions.iter().peekable();
            for i in 0..self.keys.len() as u32 {
                let selected = next.peek() == Some(&&i);
                if selected {
                    next.next();
                }
                match (selected, in_base(i as usize)) {
                    (true, false) => extra.push(i),
                    (false, true) => excluded.push(i),
                    _ => {}
                }
            }
            Complement {
                excluded,
                extra,
                public_base,
            }
        });
        Tally {
            positions,
            complement,
        }
    }

    /// How many distinct values of dimension `name` the selection has.
    pub fn distinct(&self, tally: &Tally, name: &str) -> usize {
        self.slot_counts(tally, name)
            .map_or(0, |(_, n)| n.iter().skip(1).filter(|n| **n > 0).count())
    }

    /// Counts per value slot of column `c` over `positions`.
    fn raw_counts(c: &Column, positions: &[u32], into: &mut Vec<i64>, sign: i64) {
        if into.len() < c.dict.names.len() + 1 {
            into.resize(c.dict.names.len() + 1, 0);
        }
        c.col.count_into(positions, into, sign);
    }

    /// The column called `name` and the counts per value slot of it over
    /// the selection.
    fn slot_counts(&self, tally: &Tally, name: &str) -> Option<(&Column, Vec<i64>)> {
        let (index, c) = self
            .columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.def.name == name)?;
        let mut n = Vec::new();
        match &tally.complement {
            None => Self::raw_counts(c, &tally.positions, &mut n, 1),
            Some(comp) => {
                let base = if comp.public_base {
                    &self.base_public
                } else {
                    &self.base_all
                };
                n = base.cols.get(index).cloned().unwrap_or_default();
                Self::raw_counts(c, &comp.excluded, &mut n, -1);
                Self::raw_counts(c, &comp.extra, &mut n, 1);
            }
        }
        Some((c, n))
    }

    /// Counts of each value of dimension `name` over the selection, largest
    /// first, then by value; records without a value are not counted.
    pub fn counts(&self, tally: &Tally, name: &str) -> Counts {
        let Some((c, n)) = self.slot_counts(tally, name) else {
            return Vec::new();
        };
        let mut counts: Counts = n
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, n)| **n > 0)
            .map(|(slot, n)| (c.dict.names[slot - 1].clone(), *n as u64))
            .collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    /// Registrations per month (`YYYY-MM`) over the selection, in month order.
    pub fn per_month(&self, tally: &Tally) -> Counts {
        let add = |months: &mut HashMap<u32, i64>, positions: &[u32], sign: i64| {
            for pos in positions {
                *months.entry(self.months[*pos as usize]).or_default() += sign;
            }
        };
        let mut months: HashMap<u32, i64> = HashMap::new();
        match &tally.complement {
            None => add(&mut months, &tally.positions, 1),
            Some(comp) => {
                let base = if comp.public_base {
                    &self.base_public
                } else {
                    &self.base_all
                };
                months.clone_from(&base.months);
                add(&mut months, &comp.excluded, -1);
                add(&mut months, &comp.extra, 1);
            }
        }
        let mut out: Vec<(u32, i64)> = months.into_iter().filter(|(_, n)| *n > 0).collect();
        out.sort_unstable();
        out.into_iter()
            .map(|(m, n)| (format!("{:04}-{:02}", m / 100, m % 100), n as u64))
            .collect()
    }

    /// The values of a single-valued dimension at `positions` (e.g. the
    /// system ids that deployments use).
    pub fn values(&self, positions: &[u32], name: &str) -> Vec<String> {
        let Some(Column {
            dict,
            col: Col::Single(v),
            ..
        }) = self.column(name)
        else {
            return Vec::new();
        };
        let mut seen = vec![false; dict.names.len() + 1];
        for pos in positions {
            seen[v.get(*pos as usize) as usize] = true;
        }
        seen.iter()
            .enumerate()
            .skip(1)
            .filter(|(_, s)| **s)
            .map(|(i, _)| dict.names[i - 1].clone())
            .collect()
    }

    /// The values of dimension `name` of the record at `pos`.
    pub fn values_at(&self, pos: u32, name: &str) -> Vec<&str> {
        self.column(name)
            .map(|c| c.values_at(pos as usize))
            .unwrap_or_default()
    }

    /// Counts of each pair of values of dimensions `a` and `b` over `positions`.
    pub fn cross_counts(&self, positions: &[u32], a: &str, b: &str) -> Vec<(String, String, u64)> {
        let mut counts: HashMap<(&str, &str), u64> = HashMap::new();
        for pos in positions {
            for x in self.values_at(*pos, a) {
                for y in self.values_at(*pos, b) {
                    *counts.entry((x, y)).or_default() += 1;
                }
            }
        }
        let mut out: Vec<_> = counts
            .into_iter()
            .map(|((x, y), n)| (x.to_owned(), y.to_owned(), n))
            .collect();
        out.sort();
        out
    }

    /// Keeps the selected records whose id is in `ids` (sorted).
    pub fn retain_ids(&self, tally: &mut Tally, ids: &[String]) {
        tally.retain(|pos| ids.binary_search(&self.ids[*pos as usize]).is_ok());
    }

    /// Keeps the selected records whose single value of `name` is in
    /// `values` (sorted).
    pub fn retain_values(&self, tally: &mut Tally, name: &str, values: &[String]) {
        let Some(Column {
            dict,
            col: Col::Single(v),
            ..
        }) = self.column(name)
        else {
            tally.retain(|_| false);
            return;
        };
        let mut accept = vec![false; dict.names.len() + 1];
        for (i, n) in dict.names.iter().enumerate() {
            accept[i + 1] = values.binary_search(n).is_ok();
        }
        tally.retain(|pos| accept[v.get(*pos as usize) as usize]);
    }
}

/// `yyyymmdd` of an RFC 3339 time; 0 when it cannot be read.
pub fn day_number(time: &str) -> u32 {
    let digits: String = time.chars().take(10).filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}
