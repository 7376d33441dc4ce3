//! Typed ids: a plan id cannot be passed where a focus area id is expected.

use crate::error::{FieldCode, Refusal};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
                 diesel::expression::AsExpression, diesel::deserialize::FromSqlRow, utoipa::ToSchema)]
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered (v7) id, so keyset pages follow creation order.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <Uuid as diesel::serialize::ToSql<diesel::sql_types::Uuid, diesel::pg::Pg>>::to_sql(&self.0, out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                <Uuid as diesel::deserialize::FromSql<diesel::sql_types::Uuid, diesel::pg::Pg>>::from_sql(bytes).map(Self)
            }
        }
    )+};
}

id_type!(
    /// Id of an organization (a municipality or the Task Force).
    OrganizationId,
    /// Id of a development plan.
    PlanId,
    /// Id of a focus area of a plan.
    FocusAreaId,
    /// Id of an initiative under a focus area.
    InitiativeId,
    /// Id of an indicator of a plan.
    IndicatorId,
    /// Id of one measurement of an indicator.
    MeasurementId,
    /// Id of a progress note on an initiative.
    ProgressNoteId,
    /// Id of a status report on a plan.
    StatusReportId,
    /// Id of a user.
    UserId,
    /// Id of a membership (a user's role in an organization).
    MembershipId,
    /// Id of an audit event.
    AuditEventId,
    /// Id of a recommendation of the Task Force's analysis.
    RecommendationId,
    /// Id of a case-review round.
    CaseReviewId,
    /// Id of a committed import of measurements.
    ImportId,
    /// Id of a webhook subscription.
    WebhookId,
    /// Id of one delivery of an event to a webhook.
    DeliveryId,
    /// Id of an e-mail in the outbox.
    NotificationId,
);

/// How many focus areas, initiatives, indicators or recommendations one list
/// of ids in a body may name.
pub const MAX_LINKS: usize = 100;

/// The ids once each, in the order given; at most [`MAX_LINKS`].
pub fn distinct_ids<T: PartialEq + Copy>(ids: Vec<T>) -> Result<Vec<T>, Refusal> {
    if ids.len() > MAX_LINKS {
        return Err(Refusal::new(
            FieldCode::TooLong,
            format!("must name at most {MAX_LINKS}"),
        ));
    }
    let mut distinct = Vec::with_capacity(ids.len());
    for id in ids {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
    Ok(distinct)
}
