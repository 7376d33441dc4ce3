//! SQL for plan transitions.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{PlanTransition, TransitionDetails};
use crate::audit::Actor;
use crate::db::PgConn;
use crate::db::schema::{plan_transitions as t, plans, status_reports};
use crate::domain::{PlanId, PlanStatus, ReportState};
use crate::error::ApiError;
use crate::plans::Plan;

/// The plan's transitions, oldest first.
pub(super) async fn list(
    conn: &mut PgConn,
    plan_id: PlanId,
) -> Result<Vec<PlanTransition>, ApiError> {
    Ok(t::table
        .filter(t::plan_id.eq(plan_id))
        .order(t::id)
        .select(PlanTransition::as_select())
        .load(conn)
        .await?)
}

/// Whether the plan has a published final status report.
pub(super) async fn has_published_final_report(
    conn: &mut PgConn,
    plan_id: PlanId,
) -> Result<bool, ApiError> {
    let count: i64 = status_reports::table
        .filter(status_reports::plan_id.eq(plan_id))
        .filter(status_reports::is_final.eq(true))
        .filter(status_reports::state.eq(ReportState::Published))
        .count()
        .get_result(conn)
        .await?;
    Ok(count > 0)
}

/// Moves the plan from `plan.status` to `to`; `None` when its status changed meanwhile.
pub(super) async fn move_plan(
    conn: &mut PgConn,
    plan: &Plan,
    to: PlanStatus,
) -> Result<Option<Plan>, ApiError> {
    Ok(diesel::update(
        plans::table
            .find(plan.id)
            .filter(plans::status.eq(plan.status)),
    )
    .set(plans::status.eq(to))
    .returning(Plan::as_returning())
    .get_result(conn)
    .await
    .optional()?)
}

/// Records the transition.
pub(super) async fn insert(
    conn: &mut PgConn,
    plan: &Plan,
    to: PlanStatus,
    actor: &Actor,
    details: TransitionDetails,
) -> Result<PlanTransition, ApiError> {
    Ok(diesel::insert_into(t::table)
        .values((
            t::id.eq(uuid::Uuid::now_v7()),
            t::plan_id.eq(plan.id),
            t::from_status.eq(plan.status),
            t::to_status.eq(to),
            t::actor_id.eq(actor.user_id),
            t::actor_name.eq(&actor.name),
            details,
        ))
        .returning(PlanTransition::as_returning())
        .get_result(conn)
        .await?)
}
