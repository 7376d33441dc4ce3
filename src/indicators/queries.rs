//! SQL for indicators.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{Indicator, IndicatorFields};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::indicator_recommendations as ir;
use crate::db::schema::indicators::dsl as i;
use crate::db::schema::plans;
use crate::domain::{IndicatorId, PlanId, RecommendationId};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The indicator with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: IndicatorId) -> Result<Indicator, ApiError> {
    i::indicators
        .find(id)
        .select(Indicator::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::INDICATOR.label()))
}

/// The indicator with `id` and the organization that owns its plan, or 404.
pub async fn find_scoped(
    conn: &mut PgConn,
    id: IndicatorId,
) -> Result<Scoped<Indicator>, ApiError> {
    i::indicators
        .inner_join(plans::table)
        .filter(crate::db::schema::indicators::id.eq(id))
        .select((Indicator::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::INDICATOR.label()))
        .map(|(row, organization)| Scoped::new(Entity::INDICATOR, row, organization))
}

pub(super) async fn list(
    conn: &mut PgConn,
    plan_id: PlanId,
    page: Page,
) -> Result<Vec<Indicator>, ApiError> {
    let mut query = i::indicators
        .filter(i::plan_id.eq(plan_id))
        .select(Indicator::as_select())
        .order(i::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(i::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(i::id.gt(IndicatorId(after)));
    }
    Ok(query.load(conn).await?)
}

pub(crate) async fn insert(
    conn: &mut PgConn,
    plan_id: PlanId,
    fields: IndicatorFields,
) -> Result<Indicator, ApiError> {
    let id = IndicatorId::new();
    diesel::insert_into(i::indicators)
        .values((i::id.eq(id), i::plan_id.eq(plan_id), &fields))
        .execute(conn)
        .await?;
    answers(conn, id, plan_id, &fields).await
}

/// Links the indicator to the recommendations it answers, and reads it back with them.
async fn answers(
    conn: &mut PgConn,
    id: IndicatorId,
    plan_id: PlanId,
    fields: &IndicatorFields,
) -> Result<Indicator, ApiError> {
    link_indicator(conn, id, plan_id, &fields.recommendation_ids).await?;
    find(conn, id).await
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: IndicatorId,
    version: i32,
    fields: IndicatorFields,
) -> Result<Indicator, ApiError> {
    let plan_id = diesel::update(i::indicators.find(id).filter(i::version.eq(version)))
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
    id: IndicatorId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(i::indicators.find(id).filter(i::version.eq(version)))
            .execute(conn)
            .await?,
    )
}

/// Sets the template key of a just-created indicator (only templates create one).
pub(crate) async fn set_template_key(
    conn: &mut PgConn,
    id: IndicatorId,
    key: &str,
) -> Result<Indicator, ApiError> {
    Ok(diesel::update(i::indicators.find(id))
        .set(i::template_key.eq(key))
        .returning(Indicator::as_returning())
        .get_result(conn)
        .await?)
}

/// Replaces the recommendations `indicator` answers (all of its plan).
pub(super) async fn link_indicator(
    conn: &mut PgConn,
    indicator: IndicatorId,
    plan_id: PlanId,
    recommendations: &[RecommendationId],
) -> Result<(), ApiError> {
    diesel::delete(ir::table.filter(ir::indicator_id.eq(indicator)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = recommendations
        .iter()
        .map(|recommendation| {
            (
                ir::indicator_id.eq(indicator),
                ir::recommendation_id.eq(*recommendation),
                ir::plan_id.eq(plan_id),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    diesel::insert_into(ir::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}
