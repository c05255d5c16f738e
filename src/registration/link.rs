//! The registered system a use names, as the use was prepared against it.

use serde_json::Value;

use crate::classify::Section;
use crate::domain::annex::AnnexIiiPoint;
use crate::store::records::RecordRow;
use crate::store::StoreError;

/// The registered system a deployment names, as far as the deployment needs it.
#[derive(Debug, Clone, Default)]
pub struct LinkedSystem {
    /// Its registry id.
    pub id: String,
    /// The version this was read from.
    pub version: i64,
    /// Its declared Annex III points.
    pub declared_annex_iii: Vec<AnnexIiiPoint>,
    /// Its trade name, for full-text search of its uses.
    pub trade_name: String,
    /// The provider's name.
    pub provider: String,
    /// Whether it is in the public section: only then do its names go into
    /// the deployment's search text, so that nobody finds a use of a
    /// non-public system by that system's name.
    pub public: bool,
}

impl LinkedSystem {
    /// What a use is found by of its system: its names, while it is public.
    pub fn found_by(&self) -> Option<(&str, &str)> {
        self.public
            .then_some((self.trade_name.as_str(), self.provider.as_str()))
    }

    /// What a deployment needs of the stored system `row`.
    pub fn of(row: &RecordRow) -> Result<LinkedSystem, StoreError> {
        let system = crate::store::parse_json(&row.document)?;
        Ok(LinkedSystem {
            id: row.id.clone(),
            version: row.version,
            declared_annex_iii: serde_json::from_value(system["declared_annex_iii"].clone())
                .unwrap_or_default(),
            trade_name: row.name.clone(),
            provider: system["provider"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            public: row.section != Section::NonPublic,
        })
    }
}

/// A use of a registered system, as prepared: the system as read then, and
/// the document as registered (before any reduction), to prepare it again.
#[derive(Debug, Clone)]
pub struct Link {
    /// The system as it was read when the use was prepared.
    pub system: LinkedSystem,
    /// The document as registered.
    pub document: Value,
}
