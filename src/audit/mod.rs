//! The append-only audit trail: every write appends one event in the same
//! transaction, with who, when, what and the row before and after. The
//! database refuses to update or delete events.

mod handlers;
mod queries;

pub use handlers::{HistoryEntity, routes};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Principal;
use crate::db::PgConn;
use crate::db::schema::audit_events;
use crate::domain::{AuditAction, AuditEventId, OrganizationId, UserId};
use crate::error::ApiError;

/// One recorded write.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = audit_events, check_for_backend(diesel::pg::Pg))]
pub struct AuditEvent {
    /// Id (time-ordered).
    pub id: AuditEventId,
    /// When the write happened.
    pub occurred_at: DateTime<Utc>,
    /// Who wrote, if a user (`null` for the command-line administration).
    pub actor_id: Option<UserId>,
    /// Their display name at the time.
    pub actor_name: String,
    /// The organization the row belongs to, if any.
    pub organization_id: Option<OrganizationId>,
    /// What kind of row, e.g. `plan`.
    #[schema(example = "plan")]
    pub entity_type: String,
    /// The row's id.
    pub entity_id: Uuid,
    /// What happened.
    pub action: AuditAction,
    /// The request that did it.
    pub request_id: Option<String>,
    /// The row before (`null` for a create).
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    /// The row after (`null` for a delete).
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

/// Filters for the audit trail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only events of this organization.
    pub organization_id: Option<OrganizationId>,
    /// Only events on this kind of row, e.g. `plan`.
    pub entity_type: Option<String>,
    /// Only events on this row.
    pub entity_id: Option<Uuid>,
    /// Only events by this user.
    pub actor_id: Option<UserId>,
    /// Only events at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only events before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// Who is writing.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user, if any.
    pub user_id: Option<UserId>,
    /// Display name.
    pub name: String,
    /// The request, if any.
    pub request_id: Option<String>,
}

impl From<&Principal> for Actor {
    fn from(principal: &Principal) -> Self {
        Self {
            user_id: Some(principal.user_id),
            name: principal.name.clone(),
            request_id: principal.request_id.clone(),
        }
    }
}

impl Actor {
    /// planspor itself, acting on its own (a background job).
    pub fn service(name: &str) -> Self {
        Self {
            user_id: None,
            name: name.to_owned(),
            request_id: None,
        }
    }

    /// The command-line administration (`planspor admin …`).
    pub fn command_line() -> Self {
        Self {
            user_id: None,
            name: "planspor admin (command line)".into(),
            request_id: None,
        }
    }
}

/// One write to record.
#[derive(Debug)]
pub struct Change {
    entity_type: &'static str,
    entity_id: Uuid,
    organization_id: Option<OrganizationId>,
    action: AuditAction,
    before: Option<Value>,
    after: Option<Value>,
}

fn snapshot<T: Serialize>(row: &T) -> Option<Value> {
    serde_json::to_value(row).ok()
}

impl Change {
    /// `row` was created.
    pub fn created<T: Serialize>(
        entity_type: &'static str,
        id: Uuid,
        organization: Option<OrganizationId>,
        row: &T,
    ) -> Self {
        Self::new(
            entity_type,
            id,
            organization,
            AuditAction::Create,
            None,
            snapshot(row),
        )
    }

    /// `before` became `after`.
    pub fn updated<T: Serialize>(
        entity_type: &'static str,
        id: Uuid,
        organization: Option<OrganizationId>,
        before: &T,
        after: &T,
    ) -> Self {
        Self::new(
            entity_type,
            id,
            organization,
            AuditAction::Update,
            snapshot(before),
            snapshot(after),
        )
    }

    /// `row` was created or replaced by an upsert.
    pub fn upserted<T: Serialize>(
        entity_type: &'static str,
        id: Uuid,
        organization: Option<OrganizationId>,
        before: Option<&T>,
        after: &T,
    ) -> Self {
        Self::new(
            entity_type,
            id,
            organization,
            AuditAction::Upsert,
            before.and_then(snapshot),
            snapshot(after),
        )
    }

    /// A workflow transition turned `before` into `after`.
    pub fn transitioned<T: Serialize>(
        entity_type: &'static str,
        id: Uuid,
        organization: Option<OrganizationId>,
        before: &T,
        after: &T,
    ) -> Self {
        Self::new(
            entity_type,
            id,
            organization,
            AuditAction::Transition,
            snapshot(before),
            snapshot(after),
        )
    }

    /// `row` was deleted.
    pub fn deleted<T: Serialize>(
        entity_type: &'static str,
        id: Uuid,
        organization: Option<OrganizationId>,
        row: &T,
    ) -> Self {
        Self::new(
            entity_type,
            id,
            organization,
            AuditAction::Delete,
            snapshot(row),
            None,
        )
    }

    fn new(
        entity_type: &'static str,
        entity_id: Uuid,
        organization_id: Option<OrganizationId>,
        action: AuditAction,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Self {
        Self {
            entity_type,
            entity_id,
            organization_id,
            action,
            before,
            after,
        }
    }
}

/// Appends the event for `change`. Call it inside the write's transaction, so
/// there is never a write without its event nor an event without its write.
pub async fn record(conn: &mut PgConn, actor: &Actor, change: Change) -> Result<(), ApiError> {
    record_all(conn, actor, vec![change]).await
}

/// Appends the events for `changes`, in order, a thousand to a statement (an
/// import of 50,000 values is 50 statements, not 50,000 round trips). As
/// [`record`], inside the write's transaction.
pub async fn record_all(
    conn: &mut PgConn,
    actor: &Actor,
    changes: Vec<Change>,
) -> Result<(), ApiError> {
    let mut changes = changes.into_iter().peekable();
    while changes.peek().is_some() {
        let rows: Vec<_> = changes
            .by_ref()
            .take(1000)
            .map(|change| {
                (
                    audit_events::id.eq(AuditEventId::new()),
                    audit_events::actor_id.eq(actor.user_id),
                    audit_events::actor_name.eq(actor.name.clone()),
                    audit_events::organization_id.eq(change.organization_id),
                    audit_events::entity_type.eq(change.entity_type),
                    audit_events::entity_id.eq(change.entity_id),
                    audit_events::action.eq(change.action),
                    audit_events::request_id.eq(actor.request_id.clone()),
                    audit_events::before.eq(change.before),
                    audit_events::after.eq(change.after),
                )
            })
            .collect();
        diesel::insert_into(audit_events::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}
