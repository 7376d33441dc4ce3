//! Reading the audit trail.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::{AuditEvent, AuditFilter};
use crate::auth::Visible;
use crate::db::PgConn;
use crate::db::schema::audit_events::dsl as a;
use crate::domain::AuditEventId;
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::Entity;

/// One page of the events `visible` to the caller that match `filter`.
pub(super) async fn list(
    conn: &mut PgConn,
    visible: &Visible,
    filter: &AuditFilter,
    page: Page,
) -> Result<Vec<AuditEvent>, ApiError> {
    let mut query = a::audit_events
        .select(AuditEvent::as_select())
        .order(a::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Visible::Only(organizations) = visible {
        query = query.filter(a::organization_id.eq_any(organizations.clone()));
    }
    if let Some(organization_id) = filter.organization_id {
        query = query.filter(a::organization_id.eq(organization_id));
    }
    if let Some(entity_type) = &filter.entity_type {
        query = query.filter(a::entity_type.eq(entity_type.clone()));
    }
    if let Some(entity_id) = filter.entity_id {
        query = query.filter(a::entity_id.eq(entity_id));
    }
    if let Some(actor_id) = filter.actor_id {
        query = query.filter(a::actor_id.eq(actor_id));
    }
    if let Some(from) = filter.from {
        query = query.filter(a::occurred_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(a::occurred_at.lt(to));
    }
    if let Some(since) = page.updated_since {
        query = query.filter(a::occurred_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(a::id.gt(AuditEventId(after)));
    }
    Ok(query.load(conn).await?)
}

/// Every event `visible` to the caller on the record `id` of `entity`, oldest first.
pub(super) async fn history(
    conn: &mut PgConn,
    visible: &Visible,
    entity: Entity,
    id: Uuid,
) -> Result<Vec<AuditEvent>, ApiError> {
    let mut query = a::audit_events
        .filter(a::entity_type.eq(entity.name()).and(a::entity_id.eq(id)))
        .select(AuditEvent::as_select())
        .order(a::id)
        .into_boxed();
    if let Visible::Only(organizations) = visible {
        query = query.filter(a::organization_id.eq_any(organizations.clone()));
    }
    Ok(query.load(conn).await?)
}
