//! SQL for focus areas.

use diesel::dsl::max;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{FocusArea, FocusAreaFields};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::focus_areas::dsl as f;
use crate::db::schema::plans;
use crate::domain::{FocusAreaId, PlanId};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The focus area with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: FocusAreaId) -> Result<FocusArea, ApiError> {
    f::focus_areas
        .find(id)
        .select(FocusArea::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::FOCUS_AREA.label()))
}

/// The focus area with `id` and the organization that owns its plan, or 404.
pub async fn find_scoped(
    conn: &mut PgConn,
    id: FocusAreaId,
) -> Result<Scoped<FocusArea>, ApiError> {
    f::focus_areas
        .inner_join(plans::table)
        .filter(crate::db::schema::focus_areas::id.eq(id))
        .select((FocusArea::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::FOCUS_AREA.label()))
        .map(|(row, organization)| Scoped::new(Entity::FOCUS_AREA, row, organization))
}

/// A plan's focus areas in position order; the cursor is the last id seen.
pub(super) async fn list(
    conn: &mut PgConn,
    plan_id: PlanId,
    page: Page,
) -> Result<Vec<FocusArea>, ApiError> {
    let mut query = f::focus_areas
        .filter(f::plan_id.eq(plan_id))
        .select(FocusArea::as_select())
        .order(f::position)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(f::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        let cursor_row = diesel::alias!(crate::db::schema::focus_areas as cursor_row);
        let after_position = cursor_row
            .find(FocusAreaId(after))
            .select(cursor_row.field(f::position))
            .single_value();
        query = query.filter(f::position.nullable().gt(after_position));
    }
    Ok(query.load(conn).await?)
}

/// Holds the plan's numbering until the transaction ends, so concurrent
/// creates without a position take the next free one in turn instead of
/// colliding on the same one.
pub(super) async fn lock_numbering(conn: &mut PgConn, plan_id: PlanId) -> Result<(), ApiError> {
    plans::table
        .find(plan_id)
        .select(plans::id)
        .for_no_key_update()
        .first::<PlanId>(conn)
        .await?;
    Ok(())
}

/// The position after the plan's last focus area.
pub(super) async fn next_position(conn: &mut PgConn, plan_id: PlanId) -> Result<i32, ApiError> {
    let last: Option<i32> = f::focus_areas
        .filter(f::plan_id.eq(plan_id))
        .select(max(f::position))
        .first(conn)
        .await?;
    // Saturating: a plan at the last position gets a 422 from parsing, not an overflow.
    Ok(last.unwrap_or(0).saturating_add(1))
}

pub(crate) async fn insert(
    conn: &mut PgConn,
    plan_id: PlanId,
    fields: FocusAreaFields,
) -> Result<FocusArea, ApiError> {
    Ok(diesel::insert_into(f::focus_areas)
        .values((f::id.eq(FocusAreaId::new()), f::plan_id.eq(plan_id), fields))
        .returning(FocusArea::as_returning())
        .get_result(conn)
        .await?)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: FocusAreaId,
    version: i32,
    fields: FocusAreaFields,
) -> Result<FocusArea, ApiError> {
    diesel::update(f::focus_areas.find(id).filter(f::version.eq(version)))
        .set(fields)
        .returning(FocusArea::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: FocusAreaId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(f::focus_areas.find(id).filter(f::version.eq(version)))
            .execute(conn)
            .await?,
    )
}
