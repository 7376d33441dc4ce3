//! SQL for status reports.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use chrono::{DateTime, Utc};

use super::{StatusReport, StatusReportFields};
use crate::concurrency::matched_version;
use crate::db::schema::plans;
use crate::db::schema::status_reports::dsl as i;
use crate::db::{PgConn, SerializedJsonb};
use crate::domain::{PlanId, ReportState, StatusReportId, UserId};
use crate::error::ApiError;
use crate::pagination::Page;
use crate::plans::Plan;
use crate::resource::{Entity, Scoped};

/// The status report with `id` and the organization that owns its plan, or 404.
pub async fn find_scoped(
    conn: &mut PgConn,
    id: StatusReportId,
) -> Result<Scoped<StatusReport>, ApiError> {
    i::status_reports
        .inner_join(plans::table)
        .filter(crate::db::schema::status_reports::id.eq(id))
        .select((StatusReport::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::STATUS_REPORT.label()))
        .map(|(row, organization)| Scoped::new(Entity::STATUS_REPORT, row, organization))
}

/// How a transaction holds a report row until it commits.
#[derive(Debug, Clone, Copy)]
pub(super) enum ReportLock {
    /// Section writers: many at once, but never while the report is being published.
    Shared,
    /// Publishing: waits for every section writer holding the report, then keeps new ones out.
    Exclusive,
}

/// Re-reads the report inside a transaction and locks it. Together the two
/// locks order every section write strictly before or after the publish, so
/// the snapshot holds exactly what was acknowledged before it.
pub(super) async fn lock(
    conn: &mut PgConn,
    id: StatusReportId,
    mode: ReportLock,
) -> Result<StatusReport, ApiError> {
    let query = i::status_reports.find(id).select(StatusReport::as_select());
    let row = match mode {
        ReportLock::Shared => query.for_share().first(conn).await,
        ReportLock::Exclusive => query.for_update().first(conn).await,
    };
    row.optional()?
        .ok_or(ApiError::NotFound(Entity::STATUS_REPORT.label()))
}

pub(super) async fn list(
    conn: &mut PgConn,
    plan_id: PlanId,
    page: Page,
) -> Result<Vec<StatusReport>, ApiError> {
    let mut query = i::status_reports
        .filter(i::plan_id.eq(plan_id))
        .select(StatusReport::as_select())
        .order(i::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(i::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(i::id.gt(StatusReportId(after)));
    }
    Ok(query.load(conn).await?)
}

pub(super) async fn insert(
    conn: &mut PgConn,
    plan: &Plan,
    fields: StatusReportFields,
    created_by: UserId,
) -> Result<StatusReport, ApiError> {
    Ok(diesel::insert_into(i::status_reports)
        .values((
            i::id.eq(StatusReportId::new()),
            i::plan_id.eq(plan.id),
            i::created_by.eq(created_by),
            fields,
        ))
        .returning(StatusReport::as_returning())
        .get_result(conn)
        .await?)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: StatusReportId,
    version: i32,
    fields: StatusReportFields,
) -> Result<StatusReport, ApiError> {
    diesel::update(i::status_reports.find(id).filter(i::version.eq(version)))
        .set(fields)
        .returning(StatusReport::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

/// Freezes the draft `report` (at the version read under its lock) with its snapshot.
pub(super) async fn mark_published<S>(
    conn: &mut PgConn,
    report: &StatusReport,
    frozen: SerializedJsonb<S>,
    published_at: DateTime<Utc>,
    published_by: Option<UserId>,
) -> Result<StatusReport, ApiError>
where
    S: serde::Serialize + std::fmt::Debug + Send + 'static,
{
    diesel::update(
        i::status_reports
            .find(report.id)
            .filter(i::version.eq(report.version)),
    )
    .set((
        i::state.eq(ReportState::Published),
        i::snapshot.eq(frozen),
        i::published_at.eq(published_at),
        i::published_by.eq(published_by),
    ))
    .returning(StatusReport::as_returning())
    .get_result(conn)
    .await
    .optional()?
    .ok_or(ApiError::PreconditionFailed)
}

/// The stored snapshot of the report (`None` while it is a draft).
pub(super) async fn snapshot(
    conn: &mut PgConn,
    id: StatusReportId,
) -> Result<Option<serde_json::Value>, ApiError> {
    Ok(i::status_reports
        .find(id)
        .select(i::snapshot)
        .first(conn)
        .await?)
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: StatusReportId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(i::status_reports.find(id).filter(i::version.eq(version)))
            .execute(conn)
            .await?,
    )
}

/// The plan's published report before `report` (by date, then publishing time).
pub async fn previous_published(
    conn: &mut PgConn,
    report: &StatusReport,
) -> Result<Option<StatusReport>, ApiError> {
    let published_at = report.published_at.unwrap_or_else(chrono::Utc::now);
    Ok(i::status_reports
        .filter(i::plan_id.eq(report.plan_id))
        .filter(i::state.eq(ReportState::Published))
        .filter(i::id.ne(report.id))
        .filter(
            i::as_of.lt(report.as_of).or(i::as_of
                .eq(report.as_of)
                .and(i::published_at.lt(published_at))),
        )
        .order((i::as_of.desc(), i::published_at.desc()))
        .select(StatusReport::as_select())
        .first(conn)
        .await
        .optional()?)
}
