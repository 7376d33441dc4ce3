//! Revisions of an approved plan. Revision 1 is the structure as approved;
//! afterwards every focus area, initiative or indicator added or removed makes
//! a new numbered revision holding the whole structure, so any two revisions
//! can be compared: what was added, removed and changed.

mod handlers;
mod queries;

pub use handlers::routes;
pub use queries::{after_structural_change, record, structure};

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::plan_revisions as rev;
use crate::domain::{PlanId, PlanStatus, UserId};

/// One element of a plan's structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StructureItem {
    /// `focus_area`, `initiative` or `indicator`.
    pub entity_type: String,
    /// Its id.
    pub id: Uuid,
    /// Its title or name.
    pub title: String,
    /// What else defines it (position, parent, unit, target …), for "changed".
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// A numbered revision.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = rev, check_for_backend(diesel::pg::Pg))]
pub struct Revision {
    /// Id.
    pub id: Uuid,
    /// The plan.
    pub plan_id: PlanId,
    /// 1 for the approved structure, then 2, 3, …
    pub number: i32,
    /// What made it, e.g. "indicator added: Andel …".
    pub reason: String,
    /// Who.
    pub actor_id: Option<UserId>,
    /// Their name.
    pub actor_name: String,
    /// The structure after the change.
    #[schema(value_type = Vec<StructureItem>)]
    pub structure: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What differs between two revisions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionDiff {
    /// The older revision.
    pub from: i32,
    /// The newer revision.
    pub to: i32,
    /// In `to` but not in `from`.
    pub added: Vec<StructureItem>,
    /// In `from` but not in `to`.
    pub removed: Vec<StructureItem>,
    /// In both, with a different title or details (shown as in `to`).
    pub changed: Vec<StructureItem>,
}

/// Compares two structures.
pub fn diff(
    from_number: i32,
    from: &[StructureItem],
    to_number: i32,
    to: &[StructureItem],
) -> RevisionDiff {
    let before: BTreeMap<Uuid, &StructureItem> = from.iter().map(|item| (item.id, item)).collect();
    let after: BTreeMap<Uuid, &StructureItem> = to.iter().map(|item| (item.id, item)).collect();
    RevisionDiff {
        from: from_number,
        to: to_number,
        added: to
            .iter()
            .filter(|item| !before.contains_key(&item.id))
            .cloned()
            .collect(),
        removed: from
            .iter()
            .filter(|item| !after.contains_key(&item.id))
            .cloned()
            .collect(),
        changed: to
            .iter()
            .filter(|item| before.get(&item.id).is_some_and(|old| *old != *item))
            .cloned()
            .collect(),
    }
}

/// Whether a plan in `status` keeps revisions (approved or later).
pub fn is_revised(status: PlanStatus) -> bool {
    !matches!(status, PlanStatus::Draft | PlanStatus::Submitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: Uuid, title: &str) -> StructureItem {
        StructureItem {
            entity_type: "indicator".into(),
            id,
            title: title.into(),
            details: serde_json::json!({}),
        }
    }

    #[test]
    fn a_diff_names_what_was_added_removed_and_changed() {
        let (kept, renamed, dropped, new) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let from = [item(kept, "A"), item(renamed, "B"), item(dropped, "C")];
        let to = [item(kept, "A"), item(renamed, "B2"), item(new, "D")];
        let diff = diff(1, &from, 2, &to);
        assert_eq!(diff.added.iter().map(|i| i.id).collect::<Vec<_>>(), [new]);
        assert_eq!(
            diff.removed.iter().map(|i| i.id).collect::<Vec<_>>(),
            [dropped]
        );
        assert_eq!(
            diff.changed
                .iter()
                .map(|i| i.title.as_str())
                .collect::<Vec<_>>(),
            ["B2"]
        );
    }
}
