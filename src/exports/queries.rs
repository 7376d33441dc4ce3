//! SQL for exports.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::PgConn;
use crate::db::schema::{plan_transitions as t, status_reports as sr};
use crate::domain::{PlanId, PlanStatus, StatusReportId};
use crate::error::ApiError;
use crate::workflow::PlanTransition;

/// The plan's adoption by its committee (the latest move to `adopted`),
/// if it was recorded by `recorded_by` (any time when `None`).
pub async fn adoption(
    conn: &mut PgConn,
    plan_id: PlanId,
    recorded_by: Option<DateTime<Utc>>,
) -> Result<Option<PlanTransition>, ApiError> {
    let mut query = t::table
        .filter(t::plan_id.eq(plan_id))
        .filter(t::to_status.eq(PlanStatus::Adopted))
        .order(t::id.desc())
        .select(PlanTransition::as_select())
        .into_boxed();
    if let Some(at) = recorded_by {
        query = query.filter(t::created_at.le(at));
    }
    Ok(query.first(conn).await.optional()?)
}

/// The stored snapshots of `ids`, in one statement.
pub async fn snapshots(
    conn: &mut PgConn,
    ids: &[StatusReportId],
) -> Result<Vec<(StatusReportId, Option<serde_json::Value>)>, ApiError> {
    Ok(sr::table
        .filter(sr::id.eq_any(ids))
        .select((sr::id, sr::snapshot))
        .load(conn)
        .await?)
}
