//! HTTP handlers for status reports.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{StatusReport, StatusReportInput, StatusReportPatch, queries};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, IfNoneMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{PlanId, StatusReportId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::plans;
use crate::query::ApiQuery;
use crate::resource::{self, Owned, Resource};

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_status_reports)
        .service(create_status_report)
        .service(get_status_report)
        .service(update_status_report)
        .service(delete_status_report);
}

/// List a plan's status reports.
///
/// Drafts and published reports, oldest first, for anyone who may read the plan; another
/// municipality's plan answers 404, as one that does not exist. Returns a page (`items`,
/// `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "status_reports", params(("plan_id" = PlanId, Path, description = "Plan id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of status reports", body = Paginated<StatusReport>),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/status-reports")]
async fn list_status_reports(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    plans::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |row| row.id.0, |row| row)))
}

/// Create a status report under a plan.
///
/// It starts as a draft: write its sections, then publish it. Editors and consultants of the
/// plan's municipality (and administrators) may create one; viewers get 403.
#[utoipa::path(tag = "status_reports", request_body = StatusReportInput,
    params(("plan_id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = StatusReport, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/plans/{plan_id}/status-reports")]
async fn create_status_report(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<StatusReportInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: parent,
        organization,
    } = plans::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    let fields = body.0.parse()?;
    let created_by = principal.user_id;
    let row = resource::create(&mut conn, &principal, organization, move |conn| {
        Box::pin(async move { queries::insert(conn, &parent, fields, created_by).await })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Get one status report.
///
/// For anyone who may read its plan; another municipality's report answers 404, as one that does
/// not exist. Answers 304 when `If-None-Match` holds the current ETag.
#[utoipa::path(tag = "status_reports", params(("status_report_id" = StatusReportId, Path, description = "Status report id"), r::IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The status report", body = StatusReport, headers(("ETag" = String))),
        (status = 304, description = "Not modified: you have this version (If-None-Match)", headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/status-reports/{status_report_id}")]
async fn get_status_report(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
    cached: IfNoneMatch,
) -> Result<HttpResponse, ApiError> {
    let row = queries::find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(cached.ok(&row))
}

/// Change a draft status report.
///
/// Changes only the fields you send; publish it with
/// `POST /status-reports/{status_report_id}/publish`. A published report is frozen (409): write
/// a new report or an erratum to correct it. Editors and consultants (and administrators);
/// viewers get 403. Send the ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "status_reports", request_body = StatusReportPatch,
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = StatusReport, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/status-reports/{status_report_id}")]
async fn update_status_report(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
    if_match: IfMatch,
    body: ApiJson<StatusReportPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    let fields = body.0.parse_onto(&current.row)?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&row))
}

/// Delete a draft status report; a published one is kept (409).
///
/// What politicians were shown is never deleted. Editors and consultants of the plan's
/// municipality (and administrators); viewers get 403. Send the ETag you read in `If-Match`
/// (428 without it, 412 when stale).
#[utoipa::path(tag = "status_reports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/status-reports/{status_report_id}")]
async fn delete_status_report(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    current.row.ensure_draft()?;
    resource::delete(&mut conn, &principal, current, |conn, row| {
        Box::pin(queries::delete(conn, row.id, row.version))
    })
    .await?;
    Ok(no_content())
}
