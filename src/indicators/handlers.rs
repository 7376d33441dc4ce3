//! HTTP handlers for indicators.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Indicator, IndicatorInput, IndicatorPatch, queries};
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
use crate::resource::{self, Owned, Resource};

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
///
/// Every indicator of the plan, whether tied to a focus area, an initiative or neither. For
/// anyone who may read the plan; another municipality's plan answers 404, as one that does not
/// exist. Returns a page (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "indicators", params(("plan_id" = PlanId, Path, description = "Plan id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of indicators", body = Paginated<Indicator>),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/indicators")]
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
///
/// Editors and consultants of the plan's municipality (and administrators); viewers get 403. Its
/// `focus_area_id`, `initiative_id` and `recommendation_ids` must belong to the same plan, and an
/// initiative to the indicator's focus area (422 otherwise). On an approved (or later) plan this
/// records a new plan revision.
#[utoipa::path(tag = "indicators", request_body = IndicatorInput,
    params(("plan_id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Indicator, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/plans/{plan_id}/indicators")]
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
    let row = resource::create(&mut conn, &principal, organization, move |conn| {
        Box::pin(async move { queries::insert(conn, parent.id, fields).await })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Get one indicator.
///
/// For anyone who may read its plan; another municipality's indicator answers 404, as one that
/// does not exist. The ETag is the one to send in `If-Match` when you change or delete it.
#[utoipa::path(tag = "indicators", params(("indicator_id" = IndicatorId, Path, description = "Indicator id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The indicator", body = Indicator, headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/indicators/{indicator_id}")]
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
///
/// Changes only the fields you send; the same-plan rules of creation apply (422). Editors and
/// consultants (and administrators); viewers get 403. Send the ETag you read in `If-Match` (428
/// without it, 412 when stale).
#[utoipa::path(tag = "indicators", request_body = IndicatorPatch,
    params(("indicator_id" = IndicatorId, Path, description = "Indicator id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Indicator, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/indicators/{indicator_id}")]
async fn update_indicator(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    if_match: IfMatch,
    body: ApiJson<IndicatorPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    let fields = body.0.apply_to(&current.row).parse()?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&row))
}

/// Delete an indicator.
///
/// Its measurements go with it. Editors and consultants (and administrators); viewers get 403.
/// Send the ETag you read in `If-Match` (428 without it, 412 when stale). On an approved (or
/// later) plan this records a new plan revision.
#[utoipa::path(tag = "indicators",
    params(("indicator_id" = IndicatorId, Path, description = "Indicator id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/indicators/{indicator_id}")]
async fn delete_indicator(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
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
