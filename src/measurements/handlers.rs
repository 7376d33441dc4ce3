//! HTTP handlers for measurements.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::batch::{self, BatchResult, MeasurementBatch};
use super::{
    Measurement, MeasurementInput, MeasurementPatch, MeasurementValue, parse_period_end, queries,
};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, IfNoneMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{IndicatorId, MeasurementId, PlanId};
use crate::error::ApiError;
use crate::indicators;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::plans;
use crate::query::ApiQuery;
use crate::resource::{self, Entity, Owned, Recorded, Resource};

const ENTITY: Entity = Entity::MEASUREMENT;

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_measurements)
        .service(create_measurement)
        .service(record_measurement)
        .service(get_measurement)
        .service(update_measurement)
        .service(delete_measurement)
        .service(record_measurements);
}

/// Record a set of values for the plan's indicators in one request.
///
/// For example a quarter's figures for every indicator (1 to 2000 values): all or nothing. Each
/// value creates or replaces the indicator's value for its period; one already stored as sent is
/// left unchanged, so sending the same set again changes nothing. Editors and consultants of the
/// plan's municipality (and administrators); viewers get 403. Every offending item (an indicator of
/// another plan, the same indicator and period twice, a value out of range) is named in one 422
/// (`measurements[3].value`), and then nothing is stored.
#[utoipa::path(tag = "measurements", request_body = MeasurementBatch,
    params(("plan_id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Recorded: counts and every value as stored now", body = BatchResult),
        r::CreateErrors,
    ))]
#[post("/plans/{plan_id}/measurements")]
async fn record_measurements(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<MeasurementBatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: plan,
        organization,
    } = plans::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    let units = batch::units_of_plan(&mut conn, plan.id).await?;
    let values = body.0.parse(&units, principal.user_id)?;
    let result = resource::in_transaction(&mut conn, &Actor::from(&principal), move |conn| {
        Box::pin(async move { batch::record(conn, organization, values).await })
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// List an indicator's measurements.
///
/// Oldest period first, for anyone who may read the plan; another municipality's indicator
/// answers 404, as one that does not exist. Returns a page (`items`, `next_cursor`); continue
/// with `cursor`.
#[utoipa::path(tag = "measurements", params(("indicator_id" = IndicatorId, Path, description = "Indicator id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of measurements", body = Paginated<Measurement>),
        r::ListErrors,
    ))]
#[get("/indicators/{indicator_id}/measurements")]
async fn list_measurements(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    indicators::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |row| row.id.0, |row| row)))
}

/// Create a measurement under an indicator.
///
/// Editors and consultants of the plan's municipality (and administrators); viewers get 403. The
/// value must fit the indicator's unit (never negative, at most 100 for `percent`; 422). A value
/// already stored for the same `period_end` answers 409: replace it with
/// `PUT /indicators/{indicator_id}/measurements/{period_end}`.
#[utoipa::path(tag = "measurements", request_body = MeasurementInput,
    params(("indicator_id" = IndicatorId, Path, description = "Indicator id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Measurement, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/indicators/{indicator_id}/measurements")]
async fn create_measurement(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    body: ApiJson<MeasurementInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: parent,
        organization,
    } = indicators::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    let fields = body.0.parse(parent.unit, principal.user_id)?;
    let row = resource::create(&mut conn, &principal, organization, move |conn| {
        Box::pin(async move { queries::insert(conn, &parent, fields).await })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Record the value for one period: creates it (201) or replaces it (200).
///
/// Without conditional headers the value is replaced unconditionally. Send
/// `If-Match` with the ETag you read to replace only that version, or
/// `If-None-Match: *` to create only. Editors and consultants of the plan's
/// municipality (and administrators); viewers get 403.
#[utoipa::path(tag = "measurements", request_body = MeasurementValue,
    params(
        ("indicator_id" = IndicatorId, Path, description = "Indicator id"),
        ("period_end" = chrono::NaiveDate, Path, description = "Last day of the period, YYYY-MM-DD"),
        ("If-Match" = Option<String>, Header, description = "Replace only this version"),
        ("If-None-Match" = Option<String>, Header, description = "`*`: create only"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Replaced", body = Measurement, headers(("ETag" = String))),
        (status = 201, description = "Created", body = Measurement, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[put("/indicators/{indicator_id}/measurements/{period_end}")]
async fn record_measurement(
    principal: Principal,
    db: web::Data<Database>,
    path: web::Path<(IndicatorId, String)>,
    req: HttpRequest,
    body: ApiJson<MeasurementValue>,
) -> Result<HttpResponse, ApiError> {
    let (indicator_id, period_end) = path.into_inner();
    let mut conn = db.conn().await?;
    let Owned {
        row: indicator,
        organization,
    } = indicators::find_scoped(&mut conn, indicator_id)
        .await?
        .writable_by(&principal)?;
    let period_end = parse_period_end(&period_end)?;
    let fields = body
        .0
        .for_period(period_end)
        .parse(indicator.unit, principal.user_id)?;
    let existing = queries::find_for_period(&mut conn, indicator.id, period_end).await?;
    let create_only = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|value| value == "*");
    let if_match = IfMatch::from_headers(&req);
    match (&existing, if_match) {
        (Some(_), _) if create_only => return Err(ApiError::PreconditionFailed),
        (Some(current), Some(if_match)) => if_match.check(current.version)?,
        (None, Some(_)) => return Err(ApiError::PreconditionFailed),
        _ => {}
    }
    let measurement = resource::in_transaction(&mut conn, &Actor::from(&principal), |conn| {
        Box::pin(async move {
            let row = match (&existing, if_match) {
                (None, _) if create_only => queries::insert(conn, &indicator, fields).await?,
                (Some(current), Some(_)) => {
                    queries::update(conn, current.id, current.version, fields).await?
                }
                _ => queries::upsert(conn, indicator.id, fields).await?,
            };
            let change = Change::upserted(
                ENTITY.name(),
                row.id.0,
                Some(organization),
                existing.as_ref(),
                &row,
            );
            Ok(Recorded::new(row, change))
        })
    })
    .await?;
    if measurement.version == 1 {
        Ok(created(ENTITY.location(measurement.id), &measurement))
    } else {
        Ok(ok(&measurement))
    }
}

/// Get one measurement.
///
/// For anyone who may read its plan; another municipality's measurement answers 404, as one that
/// does not exist. Answers 304 when `If-None-Match` holds the current ETag.
#[utoipa::path(tag = "measurements", params(("measurement_id" = MeasurementId, Path, description = "Measurement id"), r::IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The measurement", body = Measurement, headers(("ETag" = String))),
        (status = 304, description = "Not modified: you have this version (If-None-Match)", headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/measurements/{measurement_id}")]
async fn get_measurement(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<MeasurementId>,
    cached: IfNoneMatch,
) -> Result<HttpResponse, ApiError> {
    let row = queries::find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(cached.ok(&row))
}

/// Change a measurement.
///
/// Changes only the fields you send; the value must fit the indicator's unit (422), and a
/// `period_end` that already has another value answers 409. Editors and consultants (and
/// administrators); viewers get 403. Send the ETag you read in `If-Match` (428 without it, 412
/// when stale).
#[utoipa::path(tag = "measurements", request_body = MeasurementPatch,
    params(("measurement_id" = MeasurementId, Path, description = "Measurement id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Measurement, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/measurements/{measurement_id}")]
async fn update_measurement(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<MeasurementId>,
    if_match: IfMatch,
    body: ApiJson<MeasurementPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    let unit = indicators::find(&mut conn, current.row.indicator_id)
        .await?
        .unit;
    let fields = body
        .0
        .apply_to(&current.row)
        .parse(unit, principal.user_id)?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&row))
}

/// Delete a measurement.
///
/// Editors and consultants of the plan's municipality (and administrators); viewers get 403.
/// Send the ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "measurements",
    params(("measurement_id" = MeasurementId, Path, description = "Measurement id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/measurements/{measurement_id}")]
async fn delete_measurement(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<MeasurementId>,
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
