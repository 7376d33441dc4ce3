//! SQL for reminders: the indicators whose values are due, and who hears of it.

use diesel::prelude::*;
use diesel::sql_types::{Array, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;

use super::Duty;
use crate::db::PgConn;
use crate::domain::{Language, OrganizationId, UserId};
use crate::error::ApiError;

/// Every measured indicator of a plan that is not closed, with its owner
/// while they write in the plan's organization.
const DUTIES: &str = "\
SELECT i.id AS indicator_id, i.name AS indicator_name, p.id AS plan_id, p.title AS plan_title,
       p.organization_id, i.frequency, i.grace_days,
       COALESCE(i.baseline_date, p.period_start) AS start, p.period_end AS plan_end,
       (SELECT max(m.period_end) FROM measurements m WHERE m.indicator_id = i.id) AS latest,
       u.id AS owner_id, u.email AS owner_email, u.display_name AS owner_name,
       u.language AS owner_language
FROM indicators i
JOIN plans p ON p.id = i.plan_id
LEFT JOIN users u ON u.id = i.owner_id AND EXISTS (
    SELECT 1 FROM memberships ms
    WHERE ms.user_id = u.id AND ms.organization_id = p.organization_id
      AND ms.role IN ('editor', 'consultant'))
WHERE p.status <> 'closed' AND i.frequency <> 'ad_hoc'";

/// Every indicator whose values are due, for the reminders.
pub(super) async fn all_duties(conn: &mut PgConn) -> Result<Vec<Duty>, ApiError> {
    Ok(diesel::sql_query(format!("{DUTIES} ORDER BY p.id, i.id"))
        .load(conn)
        .await?)
}

/// The indicators `user` owns and may still write.
pub(super) async fn duties_of(conn: &mut PgConn, user: UserId) -> Result<Vec<Duty>, ApiError> {
    Ok(
        diesel::sql_query(format!("{DUTIES} AND u.id = $1 ORDER BY p.id, i.id"))
            .bind::<SqlUuid, _>(user.0)
            .load(conn)
            .await?,
    )
}

/// An editor who receives a plan's weekly digest.
#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Editor {
    #[diesel(sql_type = SqlUuid)]
    pub organization_id: OrganizationId,
    #[diesel(sql_type = SqlUuid)]
    pub user_id: UserId,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub display_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub language: Language,
}

/// The editors of `organizations`.
pub(super) async fn editors(
    conn: &mut PgConn,
    organizations: &[OrganizationId],
) -> Result<Vec<Editor>, ApiError> {
    let ids: Vec<uuid::Uuid> = organizations.iter().map(|o| o.0).collect();
    Ok(diesel::sql_query(
        "SELECT ms.organization_id, u.id AS user_id, u.email, u.display_name, u.language \
         FROM memberships ms JOIN users u ON u.id = ms.user_id \
         WHERE ms.role = 'editor' AND ms.organization_id = ANY($1) ORDER BY u.id",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)
    .await?)
}
