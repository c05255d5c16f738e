//! The facet index: a column-oriented, in-memory copy of every record's facet
//! values, from which search facets, totals and the overview are counted.
//!
//! Why in memory: the overview answers any combination of filters over a
//! million records within milliseconds. Counting that on the fly in SQL takes
//! seconds, and pre-aggregating every combination of filters is impossible;
//! a scan over a few compact columns is neither. The database stays the
//! source of truth: each record stores its facet values (`records.facets`),
//! the index loads them at start-up and follows the audit chain to pick up
//! every write since, also those of other replicas (see [`FacetService`]).
//!
//! Each dimension is a column: a value id per record for single-valued
//! dimensions, a bit set for multi-valued ones (at most 64 values).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use serde_json::Value;

use crate::classify::Section;
use crate::domain::RecordKind;
use crate::store::records::FacetRow;
use crate::store::{audit, records, Store, StoreError};

/// A dimension records can be filtered and counted by.
#[derive(Debug)]
pub struct DimDef {
    /// Its name: the query parameter, the facet name, the code list.
    pub name: &'static str,
    /// Whether a record can have several values.
    pub multi: bool,
    /// Whether systems have it.
    pub system: bool,
    /// Whether deployments have it.
    pub deployment: bool,
    /// Whether it is a search and overview filter (the others are counted only).
    pub filter: bool,
}

const fn dim(
    name: &'static str,
    multi: bool,
    system: bool,
    deployment: bool,
    filter: bool,
) -> DimDef {
    DimDef {
        name,
        multi,
        system,
        deployment,
        filter,
    }
}

/// Every dimension. The facet values a record stores are a JSON object with
/// these names as keys and lists of codes as values.
pub const DIMS: &[DimDef] = &[
    dim("annex_iii", true, true, true, true),
    dim("outcome", false, true, true, true),
    dim("status", false, true, false, true),
    dim("member_state", true, true, true, true),
    dim("function", true, true, true, true),
    dim("modality", true, true, true, true),
    dim("provider", false, true, false, true),
    dim("space", true, true, true, true),
    dim("purpose", true, true, true, true),
    dim("deployer_type", false, true, true, true),
    dim("legal_basis", false, false, true, true),
    dim("region", false, false, true, true),
    dim("municipality", false, false, true, true),
    dim("system_id", false, false, true, true),
    dim("timing", false, true, true, true),
    dim("registration_type", false, true, true, true),
    dim("section", false, true, true, false),
    dim("finding", true, true, true, false),
    dim("deployer", false, false, true, false),
    dim("dpia", false, false, true, false),
    dim("prior_consultation", false, false, true, false),
    dim("fria", false, false, true, false),
    dim("consent_alternative", false, false, true, false),
];

/// The definition of the dimension called `name`.
pub fn dim_def(name: &str) -> Option<&'static DimDef> {
    DIMS.iter().find(|d| d.name == name)
}

impl DimDef {
    /// Whether records of `kind` have this dimension.
    pub fn applies_to(&self, kind: RecordKind) -> bool {
        match kind {
            RecordKind::System => self.system,
            RecordKind::Deployment => self.deployment,
        }
    }
}

pub use crate::access::Visibility;

/// Interned strings of one dimension.
#[derive(Debug, Default, Clone)]
struct Dict {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Dict {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }
}

#[derive(Debug, Clone)]
enum Col {
    /// Value id + 1 per record; 0 means no value.
    Single(Narrow),
    /// Bit `id` set for each value (at most 32 values: every multi-valued
    /// vocabulary has fewer).
    Multi(Vec<u32>),
}

/// A column of small integers in the narrowest type that holds them: most
/// vocabularies fit a byte, so a scan reads a quarter of the memory.
#[derive(Debug, Clone)]
enum Narrow {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Narrow {
    fn default() -> Self {
        Narrow::U8(Vec::new())
    }
}

impl Narrow {
    fn get(&self, i: usize) -> u32 {
        match self {
            Narrow::U8(v) => u32::from(v[i]),
            Narrow::U16(v) => u32::from(v[i]),
            Narrow::U32(v) => v[i],
        }
    }

    /// Widens the column so that it can hold `value`.
    fn widen_for(&mut self, value: u32) {
        let widened = match self {
            Narrow::U8(v) if value > u32::from(u8::MAX) => {
                if value > u32::from(u16::MAX) {
                    Narrow::U32(v.iter().map(|x| u32::from(*x)).collect())
                } else {
                    Narrow::U16(v.iter().map(|x| u16::from(*x)).collect())
                }
            }
            Narrow::U16(v) if value > u32::from(u16::MAX) => {
                Narrow::U32(v.iter().map(|x| u32::from(*x)).collect())
            }
            _ => return,
        };
        *self = widened;
    }

    // The casts below cannot truncate: `widen_for` ran first.
    fn set(&mut self, i: usize, value: u32) {
        self.widen_for(value);
        match self {
            Narrow::U8(v) => v[i] = value as u8,
            Narrow::U16(v) => v[i] = value as u16,
            Narrow::U32(v) => v[i] = value,
        }
    }

    fn insert(&mut self, i: usize, value: u32) {
        self.widen_for(value);
        match self {
            Narrow::U8(v) => v.insert(i, value as u8),
            Narrow::U16(v) => v.insert(i, value as u16),
            Narrow::U32(v) => v.insert(i, value),
        }
    }

    /// Adds `sign` to `into[value]` for the value at each position.
    fn count_into(&self, positions: &[u32], into: &mut [i64], sign: i64) {
        fn go<T: Copy + Into<u32>>(v: &[T], positions: &[u32], into: &mut [i64], sign: i64) {
            for pos in positions {
                let value: u32 = v[*pos as usize].into();
                into[value as usize] += sign;
            }
        }
        match self {
            Narrow::U8(v) => go(v, positions, into, sign),
            Narrow::U16(v) => go(v, positions, into, sign),
            Narrow::U32(v) => go(v, positions, into, sign),
        }
    }
}

#[derive(Debug, Clone)]
struct Column {
    def: &'static DimDef,
    dict: Dict,
    col: Col,
}

/// The records of one kind, column by column, in row-key order.
#[derive(Debug, Clone)]
pub struct Table {
    kind: RecordKind,
    keys: Vec<i64>,
    ids: Vec<String>,
    owners: Vec<u32>,
    public: Vec<bool>,
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
            let mut bump = |slot: usize| {
                if counts.len() <= slot {
                    counts.resize(slot + 1, 0);
                }
                counts[slot] += sign;
            };
            match &c.col {
                Col::Single(v) => bump(v.get(pos) as usize),
                Col::Multi(v) => {
                    let mut bits = v[pos];
                    while bits != 0 {
                        bump(bits.trailing_zeros() as usize + 1);
                        bits &= bits - 1;
                    }
                }
            }
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
}

/// A compiled filter over one column.
enum Pred<'a> {
    Single(Vec<bool>, &'a Narrow),
    Multi(u32, &'a [u32]),
}

impl Pred<'_> {
    fn test(&self, i: usize) -> bool {
        match self {
            Pred::Single(accept, col) => accept[col.get(i) as usize],
            Pred::Multi(mask, col) => col[i] & mask != 0,
        }
    }
}

/// A filter on one dimension: a record matches when it has any of `values`.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The dimension.
    pub dim: &'static DimDef,
    /// Accepted codes.
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

impl Table {
    fn new(kind: RecordKind) -> Table {
        Table {
            kind,
            keys: Vec::new(),
            ids: Vec::new(),
            owners: Vec::new(),
            public: Vec::new(),
            days: Vec::new(),
            months: Vec::new(),
            columns: DIMS
                .iter()
                .filter(|d| d.applies_to(kind))
                .map(|def| Column {
                    def,
                    dict: Dict::default(),
                    col: if def.multi {
                        Col::Multi(Vec::new())
                    } else {
                        Col::Single(Narrow::default())
                    },
                })
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
        if self.public[pos] {
            self.base_public
                .add(&self.columns, pos, self.months[pos], sign);
        }
    }

    /// Whether `vis` (with its organisation's id `org_id`) may see the
    /// record at `pos`.
    fn visible_at(&self, vis: &Visibility, org_id: Option<u32>, pos: usize) -> bool {
        match vis {
            Visibility::All => true,
            Visibility::Public => self.public[pos],
            Visibility::Org(_) => self.public[pos] || Some(self.owners[pos]) == org_id,
        }
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

    /// The row key at position `pos`.
    pub fn key(&self, pos: u32) -> i64 {
        self.keys[pos as usize]
    }

    fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.def.name == name)
    }

    fn upsert(&mut self, row: &FacetRow, owner: u32, facets: &HashMap<String, Vec<String>>) {
        let day = day_number(&row.created_at);
        let month = day / 100;
        let public = row.section != Section::NonPublic;
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
                self.public.insert(pos, public);
                self.days.insert(pos, day);
                self.months.insert(pos, month);
                for c in &mut self.columns {
                    match &mut c.col {
                        Col::Single(v) => v.insert(pos, 0),
                        Col::Multi(v) => v.insert(pos, 0),
                    }
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
        self.public[pos] = public;
        self.days[pos] = day;
        self.months[pos] = month;
        for c in &mut self.columns {
            let values = facets
                .get(c.def.name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            match &mut c.col {
                Col::Single(v) => {
                    v.set(
                        pos,
                        values.first().map_or(0, |name| c.dict.intern(name) + 1),
                    );
                }
                Col::Multi(v) => {
                    let mut bits = 0u32;
                    for name in values {
                        let id = c.dict.intern(name);
                        if id < 32 {
                            bits |= 1 << id;
                        }
                    }
                    v[pos] = bits;
                }
            }
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
            let mut estimate = 0;
            let ids = f.values.iter().filter_map(|value| c.dict.ids.get(value));
            match &c.col {
                Col::Single(v) => {
                    let mut accept = vec![false; c.dict.names.len() + 1];
                    for id in ids {
                        accept[*id as usize + 1] = true;
                        estimate += base
                            .and_then(|b| b.get(*id as usize + 1))
                            .copied()
                            .unwrap_or(0);
                    }
                    preds.push((estimate, Pred::Single(accept, v)));
                }
                Col::Multi(v) => {
                    let mut mask = 0u32;
                    for id in ids.filter(|id| **id < 32) {
                        mask |= 1 << id;
                        estimate += base
                            .and_then(|b| b.get(*id as usize + 1))
                            .copied()
                            .unwrap_or(0);
                    }
                    preds.push((estimate, Pred::Multi(mask, v)));
                }
            }
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
            (None, Some((_, first))) => parallel_ranges(self.keys.len(), |range| {
                range
                    .filter(|i| first.test(*i as usize))
                    .collect::<Vec<u32>>()
            })
            .concat(),
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
        if !matches!(vis, Visibility::All) || sel.from_day.is_some() || sel.to_day.is_some() {
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
        let public_base = *vis != Visibility::All;
        let base_len = if public_base {
            self.base_public.months.values().sum::<i64>()
        } else {
            self.keys.len() as i64
        };
        let complement = (positions.len() as i64 * 2 > base_len).then(|| {
            let in_base = |i: usize| !public_base || self.public[i];
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
    fn raw_counts(&self, c: &Column, positions: &[u32], into: &mut Vec<i64>, sign: i64) {
        if into.len() < c.dict.names.len() + 1 {
            into.resize(c.dict.names.len() + 1, 0);
        }
        match &c.col {
            Col::Single(v) => v.count_into(positions, into, sign),
            Col::Multi(v) => {
                for pos in positions {
                    let mut bits = v[*pos as usize];
                    while bits != 0 {
                        into[bits.trailing_zeros() as usize + 1] += sign;
                        bits &= bits - 1;
                    }
                }
            }
        }
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
            None => self.raw_counts(c, &tally.positions, &mut n, 1),
            Some(comp) => {
                let base = if comp.public_base {
                    &self.base_public
                } else {
                    &self.base_all
                };
                n = base.cols.get(index).cloned().unwrap_or_default();
                self.raw_counts(c, &comp.excluded, &mut n, -1);
                self.raw_counts(c, &comp.extra, &mut n, 1);
            }
        }
        Some((c, n))
    }

    /// Counts of each value of dimension `name` over the selection, largest
    /// first, then by code; records without a value are not counted.
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

    /// The codes of dimension `name` of the record at `pos`.
    pub fn values_at(&self, pos: u32, name: &str) -> Vec<&str> {
        let Some(c) = self.column(name) else {
            return Vec::new();
        };
        match &c.col {
            Col::Single(v) => match v.get(pos as usize) {
                0 => Vec::new(),
                id => vec![c.dict.names[id as usize - 1].as_str()],
            },
            Col::Multi(v) => {
                let mut bits = v[pos as usize];
                let mut out = Vec::new();
                while bits != 0 {
                    out.push(c.dict.names[bits.trailing_zeros() as usize].as_str());
                    bits &= bits - 1;
                }
                out
            }
        }
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

/// How many threads a scan is split over.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs `f` over `0..n` split into one contiguous range per core, in
/// parallel; the results come back in range order.
#[expect(clippy::expect_used, reason = "a scan thread panics only on a bug")]
fn parallel_ranges<T: Send>(n: usize, f: impl Fn(std::ops::Range<u32>) -> T + Sync) -> Vec<T> {
    let threads = if n < 100_000 { 1 } else { cores() };
    let chunk = n.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let start = (t * chunk).min(n) as u32;
                let end = ((t + 1) * chunk).min(n) as u32;
                scope.spawn(move || f(start..end))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a scan thread panicked"))
            .collect()
    })
}

/// `yyyymmdd` of an RFC 3339 time; 0 when it cannot be read.
pub fn day_number(time: &str) -> u32 {
    let digits: String = time.chars().take(10).filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

/// The whole index: both tables and the audit position they reflect.
#[derive(Debug)]
pub struct FacetIndex {
    /// The audit sequence number of the last write reflected.
    pub seq: i64,
    /// The time of the last registration written up to `seq`.
    pub data_timestamp: Option<String>,
    /// The last write of a record in the public section, for callers who
    /// do not see the non-public one (the time of a non-public write is
    /// itself something they may not learn).
    pub public_data_timestamp: Option<String>,
    /// Systems.
    pub systems: Table,
    /// Deployments.
    pub deployments: Table,
    orgs: Dict,
}

impl Default for FacetIndex {
    fn default() -> Self {
        FacetIndex {
            seq: 0,
            data_timestamp: None,
            public_data_timestamp: None,
            systems: Table::new(RecordKind::System),
            deployments: Table::new(RecordKind::Deployment),
            orgs: Dict::default(),
        }
    }
}

impl FacetIndex {
    /// The table of `kind`.
    pub fn table(&self, kind: RecordKind) -> &Table {
        match kind {
            RecordKind::System => &self.systems,
            RecordKind::Deployment => &self.deployments,
        }
    }

    /// The interned id of an organisation, if it owns anything.
    pub fn org_id(&self, vis: &Visibility) -> Option<u32> {
        match vis {
            Visibility::Org(org) => self.orgs.ids.get(org).copied(),
            _ => None,
        }
    }

    /// Takes the systems `vis` may not see out of any `system_id` filter, so
    /// that they match nothing: filtering uses by such a system would tell
    /// that it exists and which uses name it.
    pub fn drop_unseen_systems(&self, vis: &Visibility, filters: &mut [Filter]) {
        let org = self.org_id(vis);
        for filter in filters.iter_mut().filter(|f| f.dim.name == "system_id") {
            filter.values.retain(|id| self.systems.sees(vis, org, id));
        }
    }

    /// The systems named by the deployments at `positions` that `vis` may
    /// not see: their links are left out of what `vis` reads.
    pub fn unseen_links(&self, vis: &Visibility, positions: &[u32]) -> HashSet<String> {
        if *vis == Visibility::All {
            return HashSet::new();
        }
        let org = self.org_id(vis);
        positions
            .iter()
            .flat_map(|pos| self.deployments.values_at(*pos, "system_id"))
            .filter(|id| !self.systems.sees(vis, org, id))
            .map(str::to_owned)
            .collect()
    }

    /// Adds or replaces records.
    pub fn apply(&mut self, rows: &[FacetRow]) {
        for row in rows {
            if row.section != Section::NonPublic
                && self.public_data_timestamp.as_deref() < Some(row.updated_at.as_str())
            {
                self.public_data_timestamp = Some(row.updated_at.clone());
            }
            let facets: HashMap<String, Vec<String>> =
                serde_json::from_str(&row.facets).unwrap_or_default();
            let owner = self.orgs.intern(&row.owner_org);
            match row.kind {
                RecordKind::System => self.systems.upsert(row, owner, &facets),
                RecordKind::Deployment => self.deployments.upsert(row, owner, &facets),
            }
        }
    }
}

/// The facet values of a record as stored: code lists by dimension name.
pub fn facets_json(values: &[(&str, Vec<String>)]) -> String {
    let map: serde_json::Map<String, Value> = values
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| ((*k).to_owned(), Value::from(v.clone())))
        .collect();
    Value::Object(map).to_string()
}

/// Keeps the index in step with the database.
pub struct FacetService {
    index: Arc<RwLock<FacetIndex>>,
    refresh: tokio::sync::Mutex<()>,
}

/// How many audit entries a refresh follows one by one before it reloads
/// everything instead.
const INCREMENTAL_LIMIT: i64 = 20_000;
/// Rows per page when loading everything.
const LOAD_PAGE: i64 = 20_000;

/// What a refresh read from the database, applied under the write lock.
enum Changes {
    Rows(Vec<FacetRow>, i64, Option<String>),
    Reload(Box<FacetIndex>),
}

impl FacetService {
    /// Loads the whole index from the store (blocking; at start-up).
    pub fn load(store: &Store) -> Result<FacetService, StoreError> {
        let index = store.read_blocking(load_all)?;
        tracing::info!(
            systems = index.systems.len(),
            deployments = index.deployments.len(),
            seq = index.seq,
            "facet index loaded"
        );
        Ok(FacetService {
            index: Arc::new(RwLock::new(index)),
            refresh: tokio::sync::Mutex::new(()),
        })
    }

    fn seq(&self) -> i64 {
        self.index
            .read()
            .map_or_else(|e| e.into_inner().seq, |i| i.seq)
    }

    /// Brings the index up to the latest write in the database. Rows are
    /// read without holding the index; the write lock is held only while
    /// they are applied.
    async fn catch_up(&self, store: &Store) -> Result<(), StoreError> {
        let (head, _) = store.read(audit::latest).await?;
        if self.seq() >= head {
            return Ok(());
        }
        let _guard = self.refresh.lock().await;
        let from = self.seq();
        if from >= head {
            return Ok(());
        }
        let changes = store.read(move |conn| changes_after(conn, from)).await?;
        let index = self.index.clone();
        actix_web::rt::task::spawn_blocking(move || {
            let mut index = index.write().unwrap_or_else(|e| e.into_inner());
            match changes {
                Changes::Rows(rows, seq, at) => {
                    index.apply(&rows);
                    index.seq = seq;
                    index.data_timestamp = at;
                }
                Changes::Reload(fresh) => *index = *fresh,
            }
        })
        .await
        .map_err(|e| StoreError::Internal(format!("facet refresh failed: {e}")))
    }

    /// Runs `f` over the index as of the latest write, on a blocking thread
    /// (a scan over a million records is CPU work, not for the async workers).
    pub async fn query<T, F>(&self, store: &Store, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&FacetIndex) -> T + Send + 'static,
        T: Send + 'static,
    {
        self.catch_up(store).await?;
        let index = self.index.clone();
        let span = tracing::Span::current();
        actix_web::rt::task::spawn_blocking(move || {
            let _entered = span.enter();
            let guard = index.read().unwrap_or_else(|e| e.into_inner());
            f(&guard)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("facet query failed: {e}")))
    }
}

fn load_all(conn: &mut crate::store::DbConnection) -> Result<FacetIndex, StoreError> {
    let (seq, _) = audit::latest(conn)?;
    let at = audit::last_record_write(conn)?;
    let mut index = FacetIndex::default();
    let mut after = 0;
    loop {
        let rows = records::facet_rows_after(conn, after, LOAD_PAGE)?;
        let Some(last) = rows.last() else { break };
        after = last.row_key;
        index.apply(&rows);
    }
    index.seq = seq;
    index.data_timestamp = at;
    Ok(index)
}

fn changes_after(conn: &mut crate::store::DbConnection, from: i64) -> Result<Changes, StoreError> {
    // The head first: rows read after it may be newer, which is harmless
    // (applying a row twice is idempotent); never older.
    let (seq, _) = audit::latest(conn)?;
    let at = audit::last_record_write(conn)?;
    match audit::records_written_after(conn, from, INCREMENTAL_LIMIT)? {
        Some(ids) => {
            let mut rows = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                rows.extend(records::facet_rows(conn, chunk)?);
            }
            Ok(Changes::Rows(rows, seq, at))
        }
        None => Ok(Changes::Reload(Box::new(load_all(conn)?))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: i64, org: &str, section: &str, month: u32, facets: &str) -> FacetRow {
        FacetRow {
            id: format!("id-{key}"),
            kind: RecordKind::Deployment,
            row_key: key,
            owner_org: org.into(),
            section: Section::from_code(section).unwrap(),
            created_at: format!("2026-{month:02}-15T10:00:00.000000Z"),
            updated_at: format!("2026-{month:02}-16T10:00:00.000000Z"),
            facets: facets.into(),
        }
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

    fn filter(name: &str, values: &[&str]) -> Filter {
        Filter {
            dim: dim_def(name).unwrap(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
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
                complement_used += usize::from(tally.complement.is_some());
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
}
