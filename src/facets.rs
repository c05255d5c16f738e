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

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::Value;

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

/// Which records a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// The public section only.
    Public,
    /// The public section and the organisation's own records.
    Org(String),
    /// Everything, the non-public section included (Art. 49(4) readers).
    All,
}

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
    Single(Vec<u32>),
    /// Bit `id` set for each value.
    Multi(Vec<u64>),
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
                        Col::Single(Vec::new())
                    },
                })
                .collect(),
            by_key: HashMap::new(),
            by_id: HashMap::new(),
        }
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
        let public = row.section != "non_public";
        let pos = match self.by_key.get(&row.row_key) {
            Some(pos) => *pos as usize,
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
                    v[pos] = values.first().map_or(0, |name| c.dict.intern(name) + 1);
                }
                Col::Multi(v) => {
                    let mut bits = 0u64;
                    for name in values {
                        let id = c.dict.intern(name);
                        if id < 64 {
                            bits |= 1 << id;
                        }
                    }
                    v[pos] = bits;
                }
            }
        }
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
        enum Pred<'a> {
            Single(Vec<bool>, &'a [u32]),
            Multi(u64, &'a [u64]),
        }
        let mut preds = Vec::new();
        for f in sel.filters.iter().filter(|f| f.dim.applies_to(self.kind)) {
            let Some(c) = self.column(f.dim.name) else {
                continue;
            };
            match &c.col {
                Col::Single(v) => {
                    let mut accept = vec![false; c.dict.names.len() + 1];
                    for value in &f.values {
                        if let Some(id) = c.dict.ids.get(value) {
                            accept[*id as usize + 1] = true;
                        }
                    }
                    preds.push(Pred::Single(accept, v));
                }
                Col::Multi(v) => {
                    let mask = f
                        .values
                        .iter()
                        .filter_map(|value| c.dict.ids.get(value))
                        .filter(|id| **id < 64)
                        .fold(0u64, |m, id| m | (1 << id));
                    preds.push(Pred::Multi(mask, v));
                }
            }
        }
        let matches = |i: usize| -> bool {
            let visible = match vis {
                Visibility::All => true,
                Visibility::Public => self.public[i],
                Visibility::Org(_) => self.public[i] || Some(self.owners[i]) == org_id,
            };
            visible
                && sel.from_day.is_none_or(|d| self.days[i] >= d)
                && sel.to_day.is_none_or(|d| self.days[i] <= d)
                && preds.iter().all(|p| match p {
                    Pred::Single(accept, col) => accept[col[i] as usize],
                    Pred::Multi(mask, col) => col[i] & mask != 0,
                })
        };
        match sel.keys {
            Some(keys) => keys
                .iter()
                .filter_map(|k| self.by_key.get(k).copied())
                .filter(|pos| matches(*pos as usize))
                .collect(),
            None => (0..self.keys.len() as u32)
                .filter(|pos| matches(*pos as usize))
                .collect(),
        }
    }

    /// Counts of each value of dimension `name` over `positions`, largest
    /// first, then by code; records without a value are not counted.
    pub fn counts(&self, positions: &[u32], name: &str) -> Counts {
        let Some(c) = self.column(name) else {
            return Vec::new();
        };
        let mut n = vec![0u64; c.dict.names.len() + 1];
        match &c.col {
            Col::Single(v) => {
                for pos in positions {
                    n[v[*pos as usize] as usize] += 1;
                }
                n.remove(0);
            }
            Col::Multi(v) => {
                for pos in positions {
                    let mut bits = v[*pos as usize];
                    while bits != 0 {
                        n[bits.trailing_zeros() as usize] += 1;
                        bits &= bits - 1;
                    }
                }
                n.pop();
            }
        }
        let mut counts: Counts = c
            .dict
            .names
            .iter()
            .zip(n)
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| (name.clone(), n))
            .collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    /// Registrations per month (`YYYY-MM`) over `positions`, in month order.
    pub fn per_month(&self, positions: &[u32]) -> Counts {
        let mut months: HashMap<u32, u64> = HashMap::new();
        for pos in positions {
            *months.entry(self.months[*pos as usize]).or_default() += 1;
        }
        let mut out: Vec<(u32, u64)> = months.into_iter().collect();
        out.sort_unstable();
        out.into_iter()
            .map(|(m, n)| (format!("{:04}-{:02}", m / 100, m % 100), n))
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
            seen[v[*pos as usize] as usize] = true;
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
            Col::Single(v) => match v[pos as usize] {
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

    /// Keeps the positions whose record id is in `ids` (sorted).
    pub fn retain_ids(&self, positions: &mut Vec<u32>, ids: &[String]) {
        positions.retain(|pos| ids.binary_search(&self.ids[*pos as usize]).is_ok());
    }

    /// Keeps the positions whose single value of `name` is in `values` (sorted).
    pub fn retain_values(&self, positions: &mut Vec<u32>, name: &str, values: &[String]) {
        let Some(Column {
            dict,
            col: Col::Single(v),
            ..
        }) = self.column(name)
        else {
            positions.clear();
            return;
        };
        let mut accept = vec![false; dict.names.len() + 1];
        for (i, n) in dict.names.iter().enumerate() {
            accept[i + 1] = values.binary_search(n).is_ok();
        }
        positions.retain(|pos| accept[v[*pos as usize] as usize]);
    }
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

    /// Adds or replaces records.
    pub fn apply(&mut self, rows: &[FacetRow]) {
        for row in rows {
            let facets: HashMap<String, Vec<String>> =
                serde_json::from_str(&row.facets).unwrap_or_default();
            let owner = self.orgs.intern(&row.owner_org);
            match RecordKind::from_code(&row.kind) {
                Some(RecordKind::System) => self.systems.upsert(row, owner, &facets),
                Some(RecordKind::Deployment) => self.deployments.upsert(row, owner, &facets),
                None => tracing::warn!(kind = %row.kind, "unknown record kind in the store"),
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
        let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
        match changes {
            Changes::Rows(rows, seq, at) => {
                index.apply(&rows);
                index.seq = seq;
                index.data_timestamp = at;
            }
            Changes::Reload(fresh) => *index = *fresh,
        }
        Ok(())
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
