//! Reading and recording a plan's revisions.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::{Revision, StructureItem, is_revised};
use crate::audit::Actor;
use crate::db::PgConn;
use crate::db::schema::{
    focus_areas, indicators, initiatives, plan_revisions as rev, plans, recommendations,
};
use crate::domain::{PlanId, PlanStatus};
use crate::error::ApiError;
use crate::resource::Entity;

/// The plan's revisions, oldest first.
pub(super) async fn list(conn: &mut PgConn, plan_id: PlanId) -> Result<Vec<Revision>, ApiError> {
    Ok(rev::table
        .filter(rev::plan_id.eq(plan_id))
        .order(rev::number)
        .select(Revision::as_select())
        .load(conn)
        .await?)
}

/// The structure stored with revision `number` of the plan, or 404.
pub(super) async fn stored_structure(
    conn: &mut PgConn,
    plan_id: PlanId,
    number: i32,
) -> Result<Vec<StructureItem>, ApiError> {
    let structure: serde_json::Value = rev::table
        .filter(rev::plan_id.eq(plan_id).and(rev::number.eq(number)))
        .select(rev::structure)
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound("revision"))?;
    serde_json::from_value(structure)
        .map_err(|e| ApiError::Internal(format!("a stored revision does not parse: {e}")))
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

/// The plan's current structure, in four statements.
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
    let recommendation_rows: Vec<(Uuid, i32, String, String)> = recommendations::table
        .filter(recommendations::plan_id.eq(plan_id))
        .order(recommendations::number)
        .select((
            recommendations::id,
            recommendations::number,
            recommendations::title,
            recommendations::theme,
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
                Entity::FOCUS_AREA.name(),
                id,
                title,
                serde_json::json!({"position": position, "legal_reference": legal}),
            )
        })
        .collect();
    items.extend(initiative_rows.into_iter().map(|(id, area, title)| {
        item(
            Entity::INITIATIVE.name(),
            id,
            title,
            serde_json::json!({"focus_area_id": area}),
        )
    }));
    items.extend(indicator_rows.into_iter().map(|(id, name, area, initiative, unit, target)| {
        item(
            Entity::INDICATOR.name(),
            id,
            name,
            serde_json::json!({"focus_area_id": area, "initiative_id": initiative, "unit": unit, "target_value": target}),
        )
    }));
    items.extend(
        recommendation_rows
            .into_iter()
            .map(|(id, number, title, theme)| {
                item(
                    Entity::RECOMMENDATION.name(),
                    id,
                    title,
                    serde_json::json!({"number": number, "theme": theme}),
                )
            }),
    );
    Ok(items)
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
