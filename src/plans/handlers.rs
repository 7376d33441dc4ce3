//! HTTP handlers for plans.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::tree::{self, PlanTree};
use super::{Plan, PlanFilter, PlanInput, PlanPatch, queries};
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{OrganizationId, PlanId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::organizations;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_plans)
        .service(list_organization_plans)
        .service(create_plan)
        .service(get_plan)
        .service(update_plan)
        .service(delete_plan)
        .service(get_plan_tree);
}

/// List plans, optionally filtered by organization and status.
#[utoipa::path(tag = "plans", params(PlanFilter, PageParams), responses(
    (status = 200, description = "One page of plans", body = Paginated<Plan>),
    (status = 400, response = r::BadRequest),
))]
#[get("/plans")]
async fn list_plans(
    db: web::Data<Database>,
    filter: ApiQuery<PlanFilter>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let rows = queries::list(&mut *db.conn().await?, &filter, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |p| p.id.0, |p| p)))
}

/// List an organization's plans.
#[utoipa::path(tag = "plans", params(("id" = OrganizationId, Path, description = "Organization id"), PageParams), responses(
    (status = 200, description = "One page of plans", body = Paginated<Plan>),
    (status = 400, response = r::BadRequest),
    (status = 404, response = r::NotFound),
))]
#[get("/organizations/{id}/plans")]
async fn list_organization_plans(
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    organizations::find(&mut conn, *id).await?;
    let filter = PlanFilter {
        organization_id: Some(*id),
        status: None,
    };
    let rows = queries::list(&mut conn, &filter, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |p| p.id.0, |p| p)))
}

/// Create a plan for an organization. It starts as a draft.
#[utoipa::path(tag = "plans", request_body = PlanInput,
    params(("id" = OrganizationId, Path, description = "Organization id")),
    responses(
        (status = 201, description = "Created", body = Plan, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 413, response = r::PayloadTooLarge),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/organizations/{id}/plans")]
async fn create_plan(
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    body: ApiJson<PlanInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    organizations::find(&mut conn, *id).await?;
    let fields = body.0.parse()?;
    let plan = queries::insert(&mut conn, *id, fields).await?;
    Ok(created(format!("/api/v1/plans/{}", plan.id), &plan))
}

/// Get one plan.
#[utoipa::path(tag = "plans", params(("id" = PlanId, Path, description = "Plan id")), responses(
    (status = 200, description = "The plan", body = Plan, headers(("ETag" = String))),
    (status = 404, response = r::NotFound),
))]
#[get("/plans/{id}")]
async fn get_plan(
    db: web::Data<Database>,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok(&queries::find(&mut *db.conn().await?, *id).await?))
}

/// Change a plan.
#[utoipa::path(tag = "plans", request_body = PlanPatch,
    params(("id" = PlanId, Path, description = "Plan id"), r::IfMatchHeader),
    responses(
        (status = 200, description = "Changed", body = Plan, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[patch("/plans/{id}")]
async fn update_plan(
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    if_match: IfMatch,
    body: ApiJson<PlanPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find(&mut conn, *id).await?;
    if_match.check(current.version)?;
    let fields = body.0.apply_to(&current).parse()?;
    Ok(ok(&queries::update(
        &mut conn,
        *id,
        current.version,
        fields,
    )
    .await?))
}

/// Delete a plan with everything under it. Refused while it has status reports.
#[utoipa::path(tag = "plans",
    params(("id" = PlanId, Path, description = "Plan id"), r::IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[delete("/plans/{id}")]
async fn delete_plan(
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find(&mut conn, *id).await?;
    if_match.check(current.version)?;
    queries::delete(&mut conn, *id, current.version).await?;
    Ok(no_content())
}

/// The whole plan in one response: focus areas → initiatives → indicators,
/// each indicator with its latest measurement. Always five SQL statements,
/// whatever the plan's size.
#[utoipa::path(tag = "plans", params(("id" = PlanId, Path, description = "Plan id")), responses(
    (status = 200, description = "The plan's tree", body = PlanTree),
    (status = 404, response = r::NotFound),
))]
#[get("/plans/{id}/tree")]
async fn get_plan_tree(
    db: web::Data<Database>,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let tree = tree::load(&mut *db.conn().await?, *id).await?;
    Ok(HttpResponse::Ok().json(tree))
}
