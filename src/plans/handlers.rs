//! HTTP handlers for plans.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use diesel_async::AsyncConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use super::from_template;
use super::tree::{self, PlanTree};
use super::{PlanFilter, PlanInput, PlanPatch, PlanView, queries};
use crate::audit::{self, Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{OrganizationId, PlanId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::organizations;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::resource::{self, Entity};

const ENTITY: Entity = Entity::PLAN;

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

/// List the plans you may read, optionally filtered by organization and status.
///
/// The plans of every organization you hold a role in (administrators: all), each with
/// `allowed_transitions`, the statuses you may move it to now. Returns a page (`items`,
/// `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "plans", params(PlanFilter, PageParams), security(("bearer" = [])), responses(
    (status = 200, description = "One page of plans", body = Paginated<PlanView>),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
))]
#[get("/plans")]
async fn list_plans(
    principal: Principal,
    db: web::Data<Database>,
    filter: ApiQuery<PlanFilter>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let rows = queries::list(&mut *db.conn().await?, &filter, &principal.visible(), page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page,
        |p| p.id.0,
        |p| PlanView::for_caller(p, &principal),
    )))
}

/// List an organization's plans.
///
/// For its members and administrators, each plan with the `allowed_transitions` you may make; an
/// organization you hold no role in answers 404, as one that does not exist. Returns a page
/// (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "plans", params(("organization_id" = OrganizationId, Path, description = "Organization id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of plans", body = Paginated<PlanView>),
        r::ListErrors,
    ))]
#[get("/organizations/{organization_id}/plans")]
async fn list_organization_plans(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    principal.ensure_read(*id, Entity::ORGANIZATION.label())?;
    let mut conn = db.conn().await?;
    organizations::find(&mut conn, *id).await?;
    let filter = PlanFilter {
        organization_id: Some(*id),
        status: None,
    };
    let rows = queries::list(&mut conn, &filter, &principal.visible(), page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page,
        |p| p.id.0,
        |p| PlanView::for_caller(p, &principal),
    )))
}

/// Create a plan for an organization.
///
/// It starts as a draft; with `template` it is filled with the template's focus areas and
/// indicators (an unknown template is a 422). Editors and consultants of the organization (and
/// administrators) may create one; viewers get 403, and an organization you hold no role in
/// answers 404.
#[utoipa::path(tag = "plans", request_body = PlanInput,
    params(("organization_id" = OrganizationId, Path, description = "Organization id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = PlanView, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 413, response = r::PayloadTooLarge),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/organizations/{organization_id}/plans")]
async fn create_plan(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    body: ApiJson<PlanInput>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_write(*id, Entity::ORGANIZATION.label())?;
    let mut conn = db.conn().await?;
    let organization = organizations::find(&mut conn, *id).await?;
    let template = body.0.template()?;
    let fields = body.0.parse()?;
    let actor = Actor::from(&principal);
    // Its own transaction rather than resource::in_transaction: the plan's
    // audit event comes before the events of what its template adds.
    let plan = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let plan = queries::insert(conn, organization.id, fields).await?;
            audit::record(
                conn,
                &actor,
                Change::created(ENTITY.name(), plan.id.0, Some(organization.id), &plan),
            )
            .await?;
            if let Some(template) = template {
                from_template::apply(conn, &actor, &plan, template).await?;
            }
            Ok(plan)
        })
        .await?;
    Ok(created(
        ENTITY.location(plan.id),
        &PlanView::for_caller(plan, &principal),
    ))
}

/// Get one plan.
///
/// With `allowed_transitions`, the statuses you may move it to now. For anyone who may read it
/// (members of its municipality, its consultants and administrators); another municipality's
/// plan answers 404, as one that does not exist. The ETag is the one to send in `If-Match`.
#[utoipa::path(tag = "plans", params(("plan_id" = PlanId, Path, description = "Plan id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan", body = PlanView, headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/plans/{plan_id}")]
async fn get_plan(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let plan = queries::find_scoped(&mut *db.conn().await?, *id).await?;
    let plan = plan.readable_by(&principal)?;
    Ok(ok(&PlanView::for_caller(plan, &principal)))
}

/// Change a plan.
///
/// Changes only the fields you send; the status changes through
/// `POST /plans/{plan_id}/transitions`, not here, and the thresholds must keep
/// `0 < amber_threshold < green_threshold <= 1` (422). Editors and consultants (and
/// administrators); viewers get 403. Send the ETag you read in `If-Match` (428 without it, 412
/// when stale).
#[utoipa::path(tag = "plans", request_body = PlanPatch,
    params(("plan_id" = PlanId, Path, description = "Plan id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = PlanView, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[patch("/plans/{plan_id}")]
async fn update_plan(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    if_match: IfMatch,
    body: ApiJson<PlanPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    let fields = body.0.apply_to(&current.row).parse()?;
    let plan = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&PlanView::for_caller(plan, &principal)))
}

/// Delete a plan with everything under it.
///
/// Refused with 409 while it has status reports, which are kept as the record of what
/// politicians were shown. Editors and consultants of the plan's municipality (and
/// administrators); viewers get 403. Send the ETag you read in `If-Match` (428 without it, 412
/// when stale).
#[utoipa::path(tag = "plans",
    params(("plan_id" = PlanId, Path, description = "Plan id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/plans/{plan_id}")]
async fn delete_plan(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    resource::delete(&mut conn, &principal, current, |conn, row| {
        Box::pin(queries::delete(conn, row.id, row.version))
    })
    .await?;
    Ok(no_content())
}

/// The whole plan in one response: focus areas, initiatives and indicators.
///
/// Focus areas → initiatives → indicators, each indicator with its latest measurement. Always
/// five SQL statements, whatever the plan's size. For anyone who may read the plan; another
/// municipality's plan answers 404, as one that does not exist.
#[utoipa::path(tag = "plans", params(("plan_id" = PlanId, Path, description = "Plan id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan's tree", body = PlanTree),
        r::ReadErrors,
    ))]
#[get("/plans/{plan_id}/tree")]
async fn get_plan_tree(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let tree = tree::load(&mut *db.conn().await?, *id).await?;
    principal.ensure_read(tree.plan.organization_id, Entity::PLAN.label())?;
    Ok(HttpResponse::Ok().json(tree))
}
