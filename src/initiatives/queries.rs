//! SQL for initiatives.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{Initiative, InitiativeFields};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::initiative_recommendations as inr;
use crate::db::schema::initiatives::dsl as i;
use crate::db::schema::plans;
use crate::domain::{FocusAreaId, InitiativeId, PlanId, RecommendationId};
use crate::error::ApiError;
use crate::focus_areas::FocusArea;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The initiative with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: InitiativeId) -> Result<Initiative, ApiError> {
    i::initiatives
        .find(id)
        .select(Initiative::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::INITIATIVE.label()))
}

/// The initiative with `id` and the organization that owns its plan, or 404.
pub async fn find_scoped(
    conn: &mut PgConn,
    id: InitiativeId,
) -> Result<Scoped<Initiative>, ApiError> {
    i::initiatives
        .inner_join(plans::table)
        .filter(crate::db::schema::initiatives::id.eq(id))
        .select((Initiative::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::INITIATIVE.label()))
        .map(|(row, organization)| Scoped::new(Entity::INITIATIVE, row, organization))
}

pub(super) async fn list(
    conn: &mut PgConn,
    focus_area_id: FocusAreaId,
    page: Page,
) -> Result<Vec<Initiative>, ApiError> {
    let mut query = i::initiatives
        .filter(i::focus_area_id.eq(focus_area_id))
        .select(Initiative::as_select())
        .order(i::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(i::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(i::id.gt(InitiativeId(after)));
    }
    Ok(query.load(conn).await?)
}

pub(super) async fn insert(
    conn: &mut PgConn,
    focus_area: &FocusArea,
    fields: InitiativeFields,
) -> Result<Initiative, ApiError> {
    let id = InitiativeId::new();
    diesel::insert_into(i::initiatives)
        .values((
            i::id.eq(id),
            i::focus_area_id.eq(focus_area.id),
            i::plan_id.eq(focus_area.plan_id),
            &fields,
        ))
        .execute(conn)
        .await?;
    answers(conn, id, focus_area.plan_id, &fields).await
}

/// Links the initiative to the recommendations it answers, and reads it back with them.
async fn answers(
    conn: &mut PgConn,
    id: InitiativeId,
    plan_id: PlanId,
    fields: &InitiativeFields,
) -> Result<Initiative, ApiError> {
    link_initiative(conn, id, plan_id, &fields.recommendation_ids).await?;
    find(conn, id).await
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: InitiativeId,
    version: i32,
    fields: InitiativeFields,
) -> Result<Initiative, ApiError> {
    let plan_id = diesel::update(i::initiatives.find(id).filter(i::version.eq(version)))
        .set(&fields)
        .returning(i::plan_id)
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)?;
    answers(conn, id, plan_id, &fields).await
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: InitiativeId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(i::initiatives.find(id).filter(i::version.eq(version)))
            .execute(conn)
            .await?,
    )
}

/// Replaces the recommendations `initiative` answers (all of its plan).
pub(super) async fn link_initiative(
    conn: &mut PgConn,
    initiative: InitiativeId,
    plan_id: PlanId,
    recommendations: &[RecommendationId],
) -> Result<(), ApiError> {
    diesel::delete(inr::table.filter(inr::initiative_id.eq(initiative)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = recommendations
        .iter()
        .map(|recommendation| {
            (
                inr::initiative_id.eq(initiative),
                inr::recommendation_id.eq(*recommendation),
                inr::plan_id.eq(plan_id),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    diesel::insert_into(inr::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}
