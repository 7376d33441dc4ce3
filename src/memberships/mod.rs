//! Memberships: a user's one role in one organization. Granted and revoked by
//! administrators; they take effect on the next request, without new tokens.

mod handlers;
pub mod queries;

pub use handlers::{grant, revoke, routes};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::memberships;
use crate::domain::{MembershipId, OrganizationId, Role, UserId};

/// A user's role in an organization.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = memberships, check_for_backend(diesel::pg::Pg))]
pub struct Membership {
    /// Id.
    pub id: MembershipId,
    /// The user.
    pub user_id: UserId,
    /// The organization.
    pub organization_id: OrganizationId,
    /// The role there.
    pub role: Role,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was granted.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl crate::concurrency::Versioned for Membership {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that grants a role. Granting again replaces the user's role there.
#[derive(Debug, Clone, Deserialize, ToSchema, diesel::prelude::Insertable)]
#[diesel(table_name = memberships)]
#[serde(deny_unknown_fields)]
pub struct MembershipInput {
    /// The user.
    pub user_id: UserId,
    /// The organization.
    pub organization_id: OrganizationId,
    /// The role.
    pub role: Role,
}

/// Filters for the list of memberships.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembershipFilter {
    /// Only this user's memberships.
    pub user_id: Option<UserId>,
    /// Only this organization's memberships.
    pub organization_id: Option<OrganizationId>,
}
