//! HTTP handlers for initiatives.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Initiative, InitiativeInput, InitiativePatch, queries};
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{FocusAreaId, InitiativeId};
use crate::error::ApiError;
use crate::focus_areas;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_initiatives)
        .service(create_initiative)
        .service(get_initiative)
        .service(update_initiative)
        .service(delete_initiative);
}

/// List a focus area's initiatives.
#[utoipa::path(tag = "initiatives", params(("id" = FocusAreaId, Path, description = "Focus area id"), PageParams), responses(
    (status = 200, description = "One page of initiatives", body = Paginated<Initiative>),
    (status = 400, response = r::BadRequest),
    (status = 404, response = r::NotFound),
))]
#[get("/focus-areas/{id}/initiatives")]
async fn list_initiatives(
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    focus_areas::find(&mut conn, *id).await?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |row| row.id.0, |row| row)))
}

/// Create a initiative under a focus area.
#[utoipa::path(tag = "initiatives", request_body = InitiativeInput,
    params(("id" = FocusAreaId, Path, description = "Focus area id")),
    responses(
        (status = 201, description = "Created", body = Initiative, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 413, response = r::PayloadTooLarge),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/focus-areas/{id}/initiatives")]
async fn create_initiative(
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    body: ApiJson<InitiativeInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let parent = focus_areas::find(&mut conn, *id).await?;
    let fields = body.0.parse()?;
    let created_row = queries::insert(&mut conn, &parent, fields).await?;
    Ok(created(
        format!("/api/v1/initiatives/{}", created_row.id),
        &created_row,
    ))
}

/// Get one initiative.
#[utoipa::path(tag = "initiatives", params(("id" = InitiativeId, Path, description = "Initiative id")), responses(
    (status = 200, description = "The initiative", body = Initiative, headers(("ETag" = String))),
    (status = 404, response = r::NotFound),
))]
#[get("/initiatives/{id}")]
async fn get_initiative(
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok(&queries::find(&mut *db.conn().await?, *id).await?))
}

/// Change a initiative.
#[utoipa::path(tag = "initiatives", request_body = InitiativePatch,
    params(("id" = InitiativeId, Path, description = "Initiative id"), r::IfMatchHeader),
    responses(
        (status = 200, description = "Changed", body = Initiative, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[patch("/initiatives/{id}")]
async fn update_initiative(
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
    if_match: IfMatch,
    body: ApiJson<InitiativePatch>,
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

/// Delete a initiative.
#[utoipa::path(tag = "initiatives",
    params(("id" = InitiativeId, Path, description = "Initiative id"), r::IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[delete("/initiatives/{id}")]
async fn delete_initiative(
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find(&mut conn, *id).await?;
    if_match.check(current.version)?;
    queries::delete(&mut conn, *id, current.version).await?;
    Ok(no_content())
}
