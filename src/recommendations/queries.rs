//! Storing recommendations and the links that say what answers them.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{RecommendationFields, RecommendationRow};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::{
    indicator_recommendations as ir, initiative_recommendations as inr, plans,
    recommendation_focus_areas as rf, recommendations as r,
};
use crate::domain::{
    FocusAreaId, IndicatorId, InitiativeId, OrganizationId, PlanId, RecommendationId,
};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::Entity;

/// Every link of one plan's recommendations, loaded in three statements.
#[derive(Debug, Default)]
pub struct Links {
    focus_areas: Vec<(RecommendationId, FocusAreaId)>,
    initiatives: Vec<(RecommendationId, InitiativeId)>,
    indicators: Vec<(RecommendationId, IndicatorId)>,
}

impl Links {
    /// The focus areas `recommendation` concerns.
    pub fn focus_areas_of(&self, recommendation: RecommendationId) -> Vec<FocusAreaId> {
        of(&self.focus_areas, recommendation)
    }

    /// The initiatives that answer `recommendation`.
    pub fn initiatives_of(&self, recommendation: RecommendationId) -> Vec<InitiativeId> {
        of(&self.initiatives, recommendation)
    }

    /// The indicators that answer `recommendation`.
    pub fn indicators_of(&self, recommendation: RecommendationId) -> Vec<IndicatorId> {
        of(&self.indicators, recommendation)
    }
}

fn of<T: Copy>(links: &[(RecommendationId, T)], recommendation: RecommendationId) -> Vec<T> {
    links
        .iter()
        .filter(|(r, _)| *r == recommendation)
        .map(|(_, target)| *target)
        .collect()
}

/// The links of every recommendation of the plan.
pub async fn links_of_plan(conn: &mut PgConn, plan_id: PlanId) -> Result<Links, ApiError> {
    Ok(Links {
        focus_areas: rf::table
            .filter(rf::plan_id.eq(plan_id))
            .order((rf::recommendation_id, rf::focus_area_id))
            .select((rf::recommendation_id, rf::focus_area_id))
            .load(conn)
            .await?,
        initiatives: inr::table
            .filter(inr::plan_id.eq(plan_id))
            .order((inr::recommendation_id, inr::initiative_id))
            .select((inr::recommendation_id, inr::initiative_id))
            .load(conn)
            .await?,
        indicators: ir::table
            .filter(ir::plan_id.eq(plan_id))
            .order((ir::recommendation_id, ir::indicator_id))
            .select((ir::recommendation_id, ir::indicator_id))
            .load(conn)
            .await?,
    })
}

/// The recommendation with `id` and the organization that owns its plan, or
/// 404; for `handlers::find_scoped`, which completes it behind its access check.
pub(super) async fn find(
    conn: &mut PgConn,
    id: RecommendationId,
) -> Result<(RecommendationRow, OrganizationId), ApiError> {
    r::table
        .inner_join(plans::table)
        .filter(r::id.eq(id))
        .select((RecommendationRow::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::RECOMMENDATION.label()))
}

/// A plan's recommendations in number order; the cursor is the last id seen.
pub(super) async fn list(
    conn: &mut PgConn,
    plan_id: PlanId,
    page: Page,
) -> Result<Vec<RecommendationRow>, ApiError> {
    let mut query = r::table
        .filter(r::plan_id.eq(plan_id))
        .select(RecommendationRow::as_select())
        .order(r::number)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(after) = page.after {
        let cursor_row = diesel::alias!(crate::db::schema::recommendations as cursor_row);
        let after_number = cursor_row
            .find(RecommendationId(after))
            .select(cursor_row.field(r::number))
            .single_value();
        query = query.filter(r::number.nullable().gt(after_number));
    }
    Ok(query.load(conn).await?)
}

pub(super) async fn insert(
    conn: &mut PgConn,
    plan_id: PlanId,
    fields: RecommendationFields,
) -> Result<RecommendationRow, ApiError> {
    let row: RecommendationRow = diesel::insert_into(r::table)
        .values((
            r::id.eq(RecommendationId::new()),
            r::plan_id.eq(plan_id),
            &fields,
        ))
        .returning(RecommendationRow::as_returning())
        .get_result(conn)
        .await?;
    set_focus_areas(conn, row.id, plan_id, &fields.focus_area_ids).await?;
    Ok(row)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: RecommendationId,
    plan_id: PlanId,
    version: i32,
    fields: RecommendationFields,
) -> Result<RecommendationRow, ApiError> {
    let row = diesel::update(r::table.find(id).filter(r::version.eq(version)))
        .set(&fields)
        .returning(RecommendationRow::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)?;
    set_focus_areas(conn, id, plan_id, &fields.focus_area_ids).await?;
    Ok(row)
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: RecommendationId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(r::table.find(id).filter(r::version.eq(version)))
            .execute(conn)
            .await?,
    )
}

async fn set_focus_areas(
    conn: &mut PgConn,
    recommendation: RecommendationId,
    plan_id: PlanId,
    focus_areas: &[FocusAreaId],
) -> Result<(), ApiError> {
    diesel::delete(rf::table.filter(rf::recommendation_id.eq(recommendation)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = focus_areas
        .iter()
        .map(|area| {
            (
                rf::recommendation_id.eq(recommendation),
                rf::focus_area_id.eq(*area),
                rf::plan_id.eq(plan_id),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    diesel::insert_into(rf::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}
