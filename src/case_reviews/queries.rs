//! Storing case-review rounds.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{CaseReview, CaseReviewFields, CaseReviewRow};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::{case_reviews as c, plans};
use crate::domain::{CaseReviewId, OrganizationId, PlanId};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The round with `id` and the organization that owns its plan, or 404.
pub(super) async fn find_scoped(
    conn: &mut PgConn,
    id: CaseReviewId,
) -> Result<Scoped<CaseReviewRow>, ApiError> {
    let (row, organization): (CaseReviewRow, OrganizationId) = c::table
        .inner_join(plans::table)
        .filter(c::id.eq(id))
        .select((CaseReviewRow::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::CASE_REVIEW.label()))?;
    Ok(Scoped::new(Entity::CASE_REVIEW, row, organization))
}

/// A plan's rounds, oldest review first; the cursor is the last id seen.
pub(super) async fn list(
    conn: &mut PgConn,
    plan_id: PlanId,
    page: Page,
) -> Result<Vec<CaseReviewRow>, ApiError> {
    let mut query = c::table
        .filter(c::plan_id.eq(plan_id))
        .select(CaseReviewRow::as_select())
        .order((c::reviewed_on, c::id))
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(c::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        let cursor_row = diesel::alias!(crate::db::schema::case_reviews as cursor_row);
        let after_date = cursor_row
            .find(CaseReviewId(after))
            .select(cursor_row.field(c::reviewed_on))
            .single_value();
        query = query.filter(
            c::reviewed_on.nullable().gt(after_date).or(c::reviewed_on
                .nullable()
                .eq(after_date)
                .and(c::id.gt(CaseReviewId(after)))),
        );
    }
    Ok(query.load(conn).await?)
}

/// Every round of a plan, in review order (a plan has a handful: one or two
/// per kind of review and phase).
pub async fn of_plan(conn: &mut PgConn, plan_id: PlanId) -> Result<Vec<CaseReview>, ApiError> {
    let rows: Vec<CaseReviewRow> = c::table
        .filter(c::plan_id.eq(plan_id))
        .select(CaseReviewRow::as_select())
        .order((c::reviewed_on, c::id))
        .load(conn)
        .await?;
    rows.into_iter().map(CaseReviewRow::into_review).collect()
}

/// The round `id` of `plan_id`, or 404.
pub(super) async fn find_in_plan(
    conn: &mut PgConn,
    plan_id: PlanId,
    id: CaseReviewId,
) -> Result<CaseReviewRow, ApiError> {
    c::table
        .filter(c::id.eq(id).and(c::plan_id.eq(plan_id)))
        .select(CaseReviewRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::CASE_REVIEW.label()))
}

pub(super) async fn insert(
    conn: &mut PgConn,
    plan_id: PlanId,
    fields: CaseReviewFields,
) -> Result<CaseReviewRow, ApiError> {
    Ok(diesel::insert_into(c::table)
        .values((
            c::id.eq(CaseReviewId::new()),
            c::plan_id.eq(plan_id),
            fields,
        ))
        .returning(CaseReviewRow::as_returning())
        .get_result(conn)
        .await?)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: CaseReviewId,
    version: i32,
    fields: CaseReviewFields,
) -> Result<CaseReviewRow, ApiError> {
    diesel::update(c::table.find(id).filter(c::version.eq(version)))
        .set(fields)
        .returning(CaseReviewRow::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: CaseReviewId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(c::table.find(id).filter(c::version.eq(version)))
            .execute(conn)
            .await?,
    )
}
