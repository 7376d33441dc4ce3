//! Case-review criteria: versioned sets in data files under
//! `templates/case_review_criteria/` (not code), compiled into the binary. A
//! set grows by editing its file; a changed meaning is a new version, so
//! rounds reviewed against different versions are never compared as if alike.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{ReviewKind, Theme};

/// A versioned set of criteria.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    /// The set's key, e.g. `task_force`.
    #[schema(example = "task_force")]
    pub key: String,
    /// Its version; a round names the version it was reviewed against.
    #[schema(example = 1)]
    pub version: i32,
    /// Name.
    pub name: String,
    /// What it is for and where it comes from.
    pub description: String,
    /// From when it applies.
    pub valid_from: NaiveDate,
    /// The criteria, in position order.
    pub criteria: Vec<Criterion>,
}

/// One thing a reviewer judges in each case: met, not met or not relevant.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable key, e.g. `investigation_within_4_months`.
    #[schema(example = "investigation_within_4_months")]
    pub key: String,
    /// Its number in the set.
    pub position: i32,
    /// Title in Danish, phrased as what is met.
    pub title: String,
    /// Title in English.
    pub title_en: String,
    /// How a reviewer judges it, and when it is not relevant.
    pub description: String,
    /// What it is about.
    pub theme: Theme,
    /// The kinds of review that use it.
    pub kinds: Vec<ReviewKind>,
    /// The legal basis, where a public source states it.
    pub legal_basis: Option<String>,
    /// Where the requirement is stated.
    pub source: String,
}

const SOURCES: &[&str] = &[include_str!(
    "../../templates/case_review_criteria/task_force_2024.json"
)];

static SETS: LazyLock<Vec<CriteriaSet>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .filter_map(|source| match serde_json::from_str(source) {
            Ok(set) => Some(set),
            Err(error) => {
                log::error!(
                    "a criteria set in templates/case_review_criteria/ is invalid and is left out: {error}"
                );
                None
            }
        })
        .collect()
});

/// Every criteria set.
pub fn all() -> &'static [CriteriaSet] {
    &SETS
}

/// The set `key` at `version`.
pub fn find(key: &str, version: i32) -> Option<&'static CriteriaSet> {
    SETS.iter()
        .find(|set| set.key == key && set.version == version)
}

/// The newest version of the set `key`.
pub fn latest(key: &str) -> Option<&'static CriteriaSet> {
    SETS.iter()
        .filter(|set| set.key == key)
        .max_by_key(|set| set.version)
}

impl CriteriaSet {
    /// The criterion `key`.
    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_task_force_set_loads_with_unique_keys_in_order() {
        let set = latest("task_force").expect("the task_force criteria load");
        assert!(set.criteria.len() >= 10);
        let mut keys: Vec<&str> = set.criteria.iter().map(|c| c.key.as_str()).collect();
        let positions: Vec<i32> = set.criteria.iter().map(|c| c.position).collect();
        assert_eq!(
            positions,
            (1..=set.criteria.len() as i32).collect::<Vec<_>>()
        );
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), set.criteria.len());
        assert!(set.criteria.iter().all(|c| !c.kinds.is_empty()));
        assert!(find("task_force", set.version).is_some());
    }
}
