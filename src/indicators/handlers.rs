//! HTTP handlers for indicators.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Indicator, IndicatorInput, IndicatorPatch, queries};
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{IndicatorId, PlanId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::plans;
use crate::query::ApiQuery;

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
#[utoipa::path(tag = "indicators", params(("id" = PlanId, Path, description = "Plan id"), PageParams), responses(
    (status = 200, description = "One page of indicators", body = Paginated<Indicator>),
    (status = 400, response = r::BadRequest),
    (status = 404, response = r::NotFound),
))]
#[get("/plans/{id}/indicators")]
async fn list_indicators(
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    plans::find(&mut conn, *id).await?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |row| row.id.0, |row| row)))
}

/// Create a indicator under a plan.
#[utoipa::path(tag = "indicators", request_body = IndicatorInput,
    params(("id" = PlanId, Path, description = "Plan id")),
    responses(
        (status = 201, description = "Created", body = Indicator, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 413, response = r::PayloadTooLarge),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/plans/{id}/indicators")]
async fn create_indicator(
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<IndicatorInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let parent = plans::find(&mut conn, *id).await?;
    let fields = body.0.parse()?;
    let created_row = queries::insert(&mut conn, &parent, fields).await?;
    Ok(created(
        format!("/api/v1/indicators/{}", created_row.id),
        &created_row,
    ))
}

/// Get one indicator.
#[utoipa::path(tag = "indicators", params(("id" = IndicatorId, Path, description = "Indicator id")), responses(
    (status = 200, description = "The indicator", body = Indicator, headers(("ETag" = String))),
    (status = 404, response = r::NotFound),
))]
#[get("/indicators/{id}")]
async fn get_indicator(
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok(&queries::find(&mut *db.conn().await?, *id).await?))
}

/// Change a indicator.
#[utoipa::path(tag = "indicators", request_body = IndicatorPatch,
    params(("id" = IndicatorId, Path, description = "Indicator id"), r::IfMatchHeader),
    responses(
        (status = 200, description = "Changed", body = Indicator, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[patch("/indicators/{id}")]
async fn update_indicator(
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    if_match: IfMatch,
    body: ApiJson<IndicatorPatch>,
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

/// Delete a indicator.
#[utoipa::path(tag = "indicators",
    params(("id" = IndicatorId, Path, description = "Indicator id"), r::IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[delete("/indicators/{id}")]
async fn delete_indicator(
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find(&mut conn, *id).await?;
    if_match.check(current.version)?;
    queries::delete(&mut conn, *id, current.version).await?;
    Ok(no_content())
}
