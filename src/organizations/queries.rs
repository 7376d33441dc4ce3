//! SQL for organizations.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{Organization, OrganizationFields};
use crate::auth::Visible;
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::organizations::dsl as o;
use crate::domain::OrganizationId;
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The organization with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: OrganizationId) -> Result<Organization, ApiError> {
    o::organizations
        .find(id)
        .select(Organization::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::ORGANIZATION.label()))
}

/// The organization with `id`, owned by itself, or 404.
pub async fn find_scoped(
    conn: &mut PgConn,
    id: OrganizationId,
) -> Result<Scoped<Organization>, ApiError> {
    let row = find(conn, id).await?;
    Ok(Scoped::new(Entity::ORGANIZATION, row, id))
}

/// The municipality with this three-digit code, or 404.
pub async fn find_by_code(conn: &mut PgConn, code: &str) -> Result<Organization, ApiError> {
    o::organizations
        .filter(o::municipality_code.eq(code))
        .select(Organization::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::ORGANIZATION.label()))
}

pub(super) async fn list(
    conn: &mut PgConn,
    visible: &Visible,
    page: Page,
) -> Result<Vec<Organization>, ApiError> {
    let mut query = o::organizations
        .select(Organization::as_select())
        .order(o::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Visible::Only(organizations) = visible {
        query = query.filter(o::id.eq_any(organizations.clone()));
    }
    if let Some(since) = page.updated_since {
        query = query.filter(o::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(o::id.gt(OrganizationId(after)));
    }
    Ok(query.load(conn).await?)
}

pub async fn insert(
    conn: &mut PgConn,
    fields: OrganizationFields,
) -> Result<Organization, ApiError> {
    Ok(diesel::insert_into(o::organizations)
        .values((o::id.eq(OrganizationId::new()), fields))
        .returning(Organization::as_returning())
        .get_result(conn)
        .await?)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: OrganizationId,
    version: i32,
    fields: OrganizationFields,
) -> Result<Organization, ApiError> {
    diesel::update(o::organizations.find(id).filter(o::version.eq(version)))
        .set(fields)
        .returning(Organization::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: OrganizationId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(o::organizations.find(id).filter(o::version.eq(version)))
            .execute(conn)
            .await?,
    )
}
