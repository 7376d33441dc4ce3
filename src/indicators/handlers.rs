//! HTTP handlers for indicators.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Indicator, IndicatorInput, IndicatorPatch, queries};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{IndicatorId, PlanId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::plans;
use crate::query::ApiQuery;
use crate::resource::{self, Entity, Owned, Recorded};

const ENTITY: Entity = Entity::INDICATOR;

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_indicators)
        .service(create_indicator)
        .service(get_indicator)
        .service(update_indicator)
        .service(delete_indicator);
}

/// List a plan's indicators.
#[utoipa::path(tag = "indicators", params(("id" = PlanId, Path, description = "Plan id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of indicators", body = Paginated<Indicator>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ))]
#[get("/plans/{id}/indicators")]
async fn list_indicators(
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

/// Create an indicator under a plan.
#[utoipa::path(tag = "indicators", request_body = IndicatorInput,
    params(("id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Indicator, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 413, response = r::PayloadTooLarge),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/plans/{id}/indicators")]
async fn create_indicator(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<IndicatorInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: parent,
        organization,
    } = plans::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    let fields = body.0.parse()?;
    let row = resource::in_transaction(&mut conn, &Actor::from(&principal), |conn| {
        Box::pin(async move {
            let row = queries::insert(conn, parent.id, fields).await?;
            let change = Change::created(ENTITY.name(), row.id.0, Some(organization), &row);
            let reason = format!("{} added: {}", ENTITY.label(), row.name);
            Ok(Recorded::new(row, change).revising(parent.id, reason))
        })
    })
    .await?;
    Ok(created(ENTITY.location(row.id), &row))
}

/// Get one indicator.
#[utoipa::path(tag = "indicators", params(("id" = IndicatorId, Path, description = "Indicator id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The indicator", body = Indicator, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ))]
#[get("/indicators/{id}")]
async fn get_indicator(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
) -> Result<HttpResponse, ApiError> {
    let row = queries::find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(ok(&row))
}

/// Change an indicator.
#[utoipa::path(tag = "indicators", request_body = IndicatorPatch,
    params(("id" = IndicatorId, Path, description = "Indicator id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Indicator, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[patch("/indicators/{id}")]
async fn update_indicator(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    if_match: IfMatch,
    body: ApiJson<IndicatorPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: current,
        organization,
    } = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    let fields = body.0.apply_to(&current).parse()?;
    let row = resource::in_transaction(&mut conn, &Actor::from(&principal), |conn| {
        Box::pin(async move {
            let row = queries::update(conn, current.id, current.version, fields).await?;
            let change =
                Change::updated(ENTITY.name(), row.id.0, Some(organization), &current, &row);
            Ok(Recorded::new(row, change))
        })
    })
    .await?;
    Ok(ok(&row))
}

/// Delete an indicator.
#[utoipa::path(tag = "indicators",
    params(("id" = IndicatorId, Path, description = "Indicator id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[delete("/indicators/{id}")]
async fn delete_indicator(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: current,
        organization,
    } = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    resource::in_transaction(&mut conn, &Actor::from(&principal), |conn| {
        Box::pin(async move {
            queries::delete(conn, current.id, current.version).await?;
            let change = Change::deleted(ENTITY.name(), current.id.0, Some(organization), &current);
            let reason = format!("{} removed: {}", ENTITY.label(), current.name);
            Ok(Recorded::new((), change).revising(current.plan_id, reason))
        })
    })
    .await?;
    Ok(no_content())
}
