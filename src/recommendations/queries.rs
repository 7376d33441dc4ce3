//! Storing recommendations and the focus areas they concern (what answers
//! them is written with the initiatives and indicators).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{RecommendationFields, RecommendationRow};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::{plans, recommendation_focus_areas as rf, recommendations as r};
use crate::domain::{FocusAreaId, OrganizationId, PlanId, RecommendationId};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::Entity;

/// The focus areas each of one plan's recommendations concerns.
#[derive(Debug, Default)]
pub struct FocusAreaLinks(Vec<(RecommendationId, FocusAreaId)>);

impl FocusAreaLinks {
    /// The focus areas `recommendation` concerns.
    pub fn of(&self, recommendation: RecommendationId) -> Vec<FocusAreaId> {
        self.0
            .iter()
            .filter(|(r, _)| *r == recommendation)
            .map(|(_, area)| *area)
            .collect()
    }
}

/// The focus areas of every recommendation of the plan, in one statement.
pub async fn focus_areas_of_plan(
    conn: &mut PgConn,
    plan_id: PlanId,
) -> Result<FocusAreaLinks, ApiError> {
    Ok(FocusAreaLinks(
        rf::table
            .filter(rf::plan_id.eq(plan_id))
            .order((rf::recommendation_id, rf::focus_area_id))
            .select((rf::recommendation_id, rf::focus_area_id))
            .load(conn)
            .await?,
    ))
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
    if let Some(since) = page.updated_since {
        query = query.filter(r::updated_at.ge(since));
    }
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
