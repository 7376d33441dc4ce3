//! HTTP handlers for indicators.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use diesel_async::AsyncConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Indicator, IndicatorInput, IndicatorPatch, queries};
use crate::audit::{self, Actor, Change};
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
use crate::resource::Owned;
use crate::revisions;

const ENTITY: &str = "indicator";

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
    let actor = Actor::from(&principal);
    let row = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let row = queries::insert(conn, &parent, fields).await?;
            audit::record(
                conn,
                &actor,
                Change::created(ENTITY, row.id.0, Some(organization), &row),
            )
            .await?;
            let reason = format!("{} added: {}", ENTITY.replace('_', " "), row.name);
            revisions::after_structural_change(conn, parent.id, &actor, reason).await?;
            Ok(row)
        })
        .await?;
    Ok(created(format!("/api/v1/indicators/{}", row.id), &row))
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
    let actor = Actor::from(&principal);
    let row = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let row = queries::update(conn, current.id, current.version, fields).await?;
            audit::record(
                conn,
                &actor,
                Change::updated(ENTITY, row.id.0, Some(organization), &current, &row),
            )
            .await?;
            Ok(row)
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
    let actor = Actor::from(&principal);
    conn.transaction::<_, ApiError, _>(async move |conn| {
        queries::delete(conn, current.id, current.version).await?;
        audit::record(
            conn,
            &actor,
            Change::deleted(ENTITY, current.id.0, Some(organization), &current),
        )
        .await?;
        let reason = format!("{} removed: {}", ENTITY.replace('_', " "), current.name);
        revisions::after_structural_change(conn, current.plan_id, &actor, reason).await
    })
    .await?;
    Ok(no_content())
}
