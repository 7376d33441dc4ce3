//! SQL for memberships.

use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;

use super::{Membership, MembershipFilter, MembershipInput};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::memberships::dsl as m;
use crate::domain::{MembershipId, OrganizationId, UserId};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::Entity;

/// The membership with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: MembershipId) -> Result<Membership, ApiError> {
    m::memberships
        .find(id)
        .select(Membership::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::MEMBERSHIP.label()))
}

/// The user's membership in the organization, if any.
pub async fn find_for(
    conn: &mut PgConn,
    user_id: UserId,
    organization_id: OrganizationId,
) -> Result<Option<Membership>, ApiError> {
    Ok(m::memberships
        .filter(
            m::user_id
                .eq(user_id)
                .and(m::organization_id.eq(organization_id)),
        )
        .select(Membership::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Memberships in id order.
pub async fn list(
    conn: &mut PgConn,
    filter: &MembershipFilter,
    page: Page,
) -> Result<Vec<Membership>, ApiError> {
    let mut query = m::memberships
        .select(Membership::as_select())
        .order(m::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(user_id) = filter.user_id {
        query = query.filter(m::user_id.eq(user_id));
    }
    if let Some(organization_id) = filter.organization_id {
        query = query.filter(m::organization_id.eq(organization_id));
    }
    if let Some(since) = page.updated_since {
        query = query.filter(m::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(m::id.gt(MembershipId(after)));
    }
    Ok(query.load(conn).await?)
}

/// Grants the role, replacing the user's earlier role in that organization.
pub async fn upsert(conn: &mut PgConn, input: MembershipInput) -> Result<Membership, ApiError> {
    Ok(diesel::insert_into(m::memberships)
        .values((m::id.eq(MembershipId::new()), input))
        .on_conflict((m::user_id, m::organization_id))
        .do_update()
        .set(m::role.eq(excluded(m::role)))
        .returning(Membership::as_returning())
        .get_result(conn)
        .await?)
}

/// Deletes the membership.
/// Deletes the membership if it is still at `version`; 412 otherwise.
pub async fn delete(conn: &mut PgConn, id: MembershipId, version: i32) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(m::memberships.find(id).filter(m::version.eq(version)))
            .execute(conn)
            .await?,
    )
}
