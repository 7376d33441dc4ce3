//! HTTP handlers for initiatives.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use diesel_async::AsyncConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Initiative, InitiativeInput, InitiativePatch, queries};
use crate::audit::{self, Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{FocusAreaId, InitiativeId};
use crate::error::ApiError;
use crate::focus_areas;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::revisions;

const ENTITY: &str = "initiative";

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
#[utoipa::path(tag = "initiatives", params(("id" = FocusAreaId, Path, description = "Focus area id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of initiatives", body = Paginated<Initiative>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ))]
#[get("/focus-areas/{id}/initiatives")]
async fn list_initiatives(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    let (_, organization) = focus_areas::find_scoped(&mut conn, *id).await?;
    principal.ensure_read(organization, "focus area")?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |row| row.id.0, |row| row)))
}

/// Create an initiative under a focus area.
#[utoipa::path(tag = "initiatives", request_body = InitiativeInput,
    params(("id" = FocusAreaId, Path, description = "Focus area id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Initiative, headers(("Location" = String), ("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 413, response = r::PayloadTooLarge),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/focus-areas/{id}/initiatives")]
async fn create_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    body: ApiJson<InitiativeInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let (parent, organization) = focus_areas::find_scoped(&mut conn, *id).await?;
    principal.ensure_write(organization, "focus area")?;
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
            let reason = format!("{} added: {}", ENTITY.replace('_', " "), row.title);
            revisions::after_structural_change(conn, parent.plan_id, &actor, reason).await?;
            Ok(row)
        })
        .await?;
    Ok(created(format!("/api/v1/initiatives/{}", row.id), &row))
}

/// Get one initiative.
#[utoipa::path(tag = "initiatives", params(("id" = InitiativeId, Path, description = "Initiative id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The initiative", body = Initiative, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
    ))]
#[get("/initiatives/{id}")]
async fn get_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
) -> Result<HttpResponse, ApiError> {
    let (row, organization) = queries::find_scoped(&mut *db.conn().await?, *id).await?;
    principal.ensure_read(organization, "initiative")?;
    Ok(ok(&row))
}

/// Change an initiative.
#[utoipa::path(tag = "initiatives", request_body = InitiativePatch,
    params(("id" = InitiativeId, Path, description = "Initiative id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Initiative, headers(("ETag" = String))),
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
#[patch("/initiatives/{id}")]
async fn update_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
    if_match: IfMatch,
    body: ApiJson<InitiativePatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let (current, organization) = queries::find_scoped(&mut conn, *id).await?;
    principal.ensure_write(organization, "initiative")?;
    if_match.check(current.version)?;
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

/// Delete an initiative.
#[utoipa::path(tag = "initiatives",
    params(("id" = InitiativeId, Path, description = "Initiative id"), r::IfMatchHeader),
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
#[delete("/initiatives/{id}")]
async fn delete_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let (current, organization) = queries::find_scoped(&mut conn, *id).await?;
    principal.ensure_write(organization, "initiative")?;
    if_match.check(current.version)?;
    let actor = Actor::from(&principal);
    conn.transaction::<_, ApiError, _>(async move |conn| {
        queries::delete(conn, current.id, current.version).await?;
        audit::record(
            conn,
            &actor,
            Change::deleted(ENTITY, current.id.0, Some(organization), &current),
        )
        .await?;
        let reason = format!("{} removed: {}", ENTITY.replace('_', " "), current.title);
        revisions::after_structural_change(conn, current.plan_id, &actor, reason).await
    })
    .await?;
    Ok(no_content())
}
