//! The whole index: both tables and the audit position they reflect.

use std::collections::{HashMap, HashSet};

use super::columns::Dict;
use super::dims::SYSTEM_ID;
use super::table::{Filter, Table};
use crate::access::{self, Visibility};
use crate::domain::RecordKind;
use crate::store::records::FacetRow;

/// Both tables and the audit position they reflect.
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
        for filter in filters.iter_mut().filter(|f| f.dim.name == SYSTEM_ID) {
            filter.values.retain(|id| self.systems.sees(vis, org, id));
        }
    }

    /// The systems named by the deployments at `positions` that `vis` may
    /// not see: their links are left out of what `vis` reads.
    pub fn unseen_links(&self, vis: &Visibility, positions: &[u32]) -> HashSet<String> {
        if vis.sees_non_public() {
            return HashSet::new();
        }
        let org = self.org_id(vis);
        positions
            .iter()
            .flat_map(|pos| self.deployments.values_at(*pos, SYSTEM_ID))
            .filter(|id| !self.systems.sees(vis, org, id))
            .map(str::to_owned)
            .collect()
    }

    /// Adds or replaces records.
    pub fn apply(&mut self, rows: &[FacetRow]) {
        for row in rows {
            if access::may_see(&Visibility::Public, row.section, false)
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
