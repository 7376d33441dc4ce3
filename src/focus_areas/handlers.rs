//! HTTP handlers for focus areas.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{FocusArea, FocusAreaInput, FocusAreaPatch, queries};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, IfNoneMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{FocusAreaId, PlanId};
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
        .service(list_focus_areas)
        .service(create_focus_area)
        .service(get_focus_area)
        .service(update_focus_area)
        .service(delete_focus_area);
}

/// List a plan's focus areas.
///
/// In position order, for anyone who may read the plan (members of its municipality, its
/// consultants and administrators); another municipality's plan answers 404, as one that does
/// not exist. Returns a page (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "focus_areas", params(("plan_id" = PlanId, Path, description = "Plan id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of focus areas", body = Paginated<FocusArea>),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/focus-areas")]
async fn list_focus_areas(
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

/// Create a focus area under a plan.
///
/// Editors and consultants of the plan's municipality (and administrators) may add one; viewers
/// get 403. Without `position` it goes after the plan's last focus area; a position already taken
/// answers 409. Adding a focus area to an approved (or later) plan records a new plan revision.
#[utoipa::path(tag = "focus_areas", request_body = FocusAreaInput,
    params(("plan_id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = FocusArea, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/plans/{plan_id}/focus-areas")]
async fn create_focus_area(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<FocusAreaInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: parent,
        organization,
    } = plans::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    let next_position = queries::next_position(&mut conn, parent.id).await?;
    let numbered = body.0.position.is_none();
    let fields = body.0.parse(next_position)?;
    let row = resource::create(&mut conn, &principal, organization, move |conn| {
        Box::pin(async move {
            let fields = if numbered {
                queries::lock_numbering(conn, parent.id).await?;
                fields.at_position(queries::next_position(conn, parent.id).await?)?
            } else {
                fields
            };
            queries::insert(conn, parent.id, fields).await
        })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Get one focus area.
///
/// For anyone who may read its plan; another municipality's focus area answers 404, as one that
/// does not exist. Answers 304 when `If-None-Match` holds the current ETag.
#[utoipa::path(tag = "focus_areas", params(("focus_area_id" = FocusAreaId, Path, description = "Focus area id"), r::IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The focus area", body = FocusArea, headers(("ETag" = String))),
        (status = 304, description = "Not modified: you have this version (If-None-Match)", headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/focus-areas/{focus_area_id}")]
async fn get_focus_area(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    cached: IfNoneMatch,
) -> Result<HttpResponse, ApiError> {
    let row = queries::find_scoped(&mut *db.conn().await?, *id).await?;
    Ok(cached.ok(&row.readable_by(&principal)?))
}

/// Change a focus area.
///
/// Changes only the fields you send. Editors and consultants of the plan's municipality (and
/// administrators); viewers get 403, and a `position` another focus area holds answers 409. Send
/// the ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "focus_areas", request_body = FocusAreaPatch,
    params(("focus_area_id" = FocusAreaId, Path, description = "Focus area id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = FocusArea, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/focus-areas/{focus_area_id}")]
async fn update_focus_area(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    if_match: IfMatch,
    body: ApiJson<FocusAreaPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .changeable_by(&principal, if_match)?;
    let fields = body.0.apply_to(&current.row).parse(current.row.position)?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&row))
}

/// Delete a focus area.
///
/// Its initiatives and their progress notes go with it; its indicators stay, no longer tied to
/// it. Editors and consultants (and administrators); viewers get 403. Send the ETag you read in
/// `If-Match` (428 without it, 412 when stale). On an approved (or later) plan this records a
/// new plan revision.
#[utoipa::path(tag = "focus_areas",
    params(("focus_area_id" = FocusAreaId, Path, description = "Focus area id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/focus-areas/{focus_area_id}")]
async fn delete_focus_area(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
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
