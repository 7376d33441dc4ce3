//! Revisions of an approved plan. Revision 1 is the structure as approved;
//! afterwards every focus area, initiative or indicator added or removed makes
//! a new numbered revision holding the whole structure, so any two revisions
//! can be compared: what was added, removed and changed.

mod handlers;

pub use handlers::routes;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::Actor;
use crate::db::PgConn;
use crate::db::schema::{focus_areas, indicators, initiatives, plan_revisions as rev, plans};
use crate::domain::{PlanId, PlanStatus, UserId};
use crate::error::ApiError;

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

/// An indicator's id, name, focus area, initiative, unit and target.
type IndicatorRow = (
    Uuid,
    String,
    Option<Uuid>,
    Option<Uuid>,
    String,
    Option<f64>,
);

/// The plan's current structure, in three statements.
pub async fn structure(conn: &mut PgConn, plan_id: PlanId) -> Result<Vec<StructureItem>, ApiError> {
    let areas: Vec<(Uuid, i32, String, Option<String>)> = focus_areas::table
        .filter(focus_areas::plan_id.eq(plan_id))
        .order(focus_areas::position)
        .select((
            focus_areas::id,
            focus_areas::position,
            focus_areas::title,
            focus_areas::legal_reference,
        ))
        .load(conn)
        .await?;
    let initiative_rows: Vec<(Uuid, Uuid, String)> = initiatives::table
        .filter(initiatives::plan_id.eq(plan_id))
        .order(initiatives::id)
        .select((
            initiatives::id,
            initiatives::focus_area_id,
            initiatives::title,
        ))
        .load(conn)
        .await?;
    let indicator_rows: Vec<IndicatorRow> = indicators::table
        .filter(indicators::plan_id.eq(plan_id))
        .order(indicators::id)
        .select((
            indicators::id,
            indicators::name,
            indicators::focus_area_id,
            indicators::initiative_id,
            indicators::unit,
            indicators::target_value,
        ))
        .load(conn)
        .await?;
    let item = |entity_type: &str, id, title, details| StructureItem {
        entity_type: entity_type.into(),
        id,
        title,
        details,
    };
    let mut items: Vec<StructureItem> = areas
        .into_iter()
        .map(|(id, position, title, legal)| {
            item(
                "focus_area",
                id,
                title,
                serde_json::json!({"position": position, "legal_reference": legal}),
            )
        })
        .collect();
    items.extend(initiative_rows.into_iter().map(|(id, area, title)| {
        item(
            "initiative",
            id,
            title,
            serde_json::json!({"focus_area_id": area}),
        )
    }));
    items.extend(indicator_rows.into_iter().map(|(id, name, area, initiative, unit, target)| {
        item(
            "indicator",
            id,
            name,
            serde_json::json!({"focus_area_id": area, "initiative_id": initiative, "unit": unit, "target_value": target}),
        )
    }));
    Ok(items)
}

/// Whether a plan in `status` keeps revisions (approved or later).
pub fn is_revised(status: PlanStatus) -> bool {
    !matches!(status, PlanStatus::Draft | PlanStatus::Submitted)
}

/// Records the plan's structure as its next revision. Call inside the
/// transaction of the change, after it.
pub async fn record(
    conn: &mut PgConn,
    plan_id: PlanId,
    actor: &Actor,
    reason: String,
) -> Result<Revision, ApiError> {
    let last: Option<i32> = rev::table
        .filter(rev::plan_id.eq(plan_id))
        .select(diesel::dsl::max(rev::number))
        .first(conn)
        .await?;
    let items = structure(conn, plan_id).await?;
    let structure =
        serde_json::to_value(items).map_err(|e| ApiError::Internal(format!("structure: {e}")))?;
    Ok(diesel::insert_into(rev::table)
        .values((
            rev::id.eq(Uuid::now_v7()),
            rev::plan_id.eq(plan_id),
            rev::number.eq(last.unwrap_or(0) + 1),
            rev::reason.eq(reason.chars().take(500).collect::<String>()),
            rev::actor_id.eq(actor.user_id),
            rev::actor_name.eq(&actor.name),
            rev::structure.eq(structure),
        ))
        .returning(Revision::as_returning())
        .get_result(conn)
        .await?)
}

/// After a structural change: records a revision if the plan is approved or later.
pub async fn after_structural_change(
    conn: &mut PgConn,
    plan_id: PlanId,
    actor: &Actor,
    reason: String,
) -> Result<(), ApiError> {
    // The lock orders structural changes of one plan (and its approval): two
    // writers never number the same revision, and a change that commits next to
    // an approval sees the approved status.
    let status: PlanStatus = plans::table
        .find(plan_id)
        .select(plans::status)
        .for_no_key_update()
        .first(conn)
        .await?;
    if is_revised(status) {
        record(conn, plan_id, actor, reason).await?;
    }
    Ok(())
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
