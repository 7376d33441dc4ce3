//! SQL for plans.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{Plan, PlanFields, PlanFilter};
use crate::auth::Visible;
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::plans::dsl as p;
use crate::domain::{OrganizationId, PlanId};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The plan with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: PlanId) -> Result<Plan, ApiError> {
    p::plans
        .find(id)
        .select(Plan::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::PLAN.label()))
}

/// The plan with `id` and its organization, or 404.
pub async fn find_scoped(conn: &mut PgConn, id: PlanId) -> Result<Scoped<Plan>, ApiError> {
    let plan = find(conn, id).await?;
    let organization = plan.organization_id;
    Ok(Scoped::new(Entity::PLAN, plan, organization))
}

pub(super) async fn list(
    conn: &mut PgConn,
    filter: &PlanFilter,
    visible: &Visible,
    page: Page,
) -> Result<Vec<Plan>, ApiError> {
    let mut query = p::plans
        .select(Plan::as_select())
        .order(p::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Visible::Only(organizations) = visible {
        query = query.filter(p::organization_id.eq_any(organizations.clone()));
    }
    if let Some(organization_id) = filter.organization_id {
        query = query.filter(p::organization_id.eq(organization_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(p::status.eq(status));
    }
    if let Some(since) = page.updated_since {
        query = query.filter(p::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(p::id.gt(PlanId(after)));
    }
    Ok(query.load(conn).await?)
}

pub(super) async fn insert(
    conn: &mut PgConn,
    organization_id: OrganizationId,
    fields: PlanFields,
) -> Result<Plan, ApiError> {
    Ok(diesel::insert_into(p::plans)
        .values((
            p::id.eq(PlanId::new()),
            p::organization_id.eq(organization_id),
            fields,
        ))
        .returning(Plan::as_returning())
        .get_result(conn)
        .await?)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: PlanId,
    version: i32,
    fields: PlanFields,
) -> Result<Plan, ApiError> {
    diesel::update(p::plans.find(id).filter(p::version.eq(version)))
        .set(fields)
        .returning(Plan::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

pub(super) async fn delete(conn: &mut PgConn, id: PlanId, version: i32) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(p::plans.find(id).filter(p::version.eq(version)))
            .execute(conn)
            .await?,
    )
}
