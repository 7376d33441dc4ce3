//! HTTP handlers for initiatives.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Initiative, InitiativeInput, InitiativePatch, queries};
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
use crate::resource::{self, Resource};

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
///
/// For anyone who may read the plan; another municipality's focus area answers 404, as one that
/// does not exist. Returns a page (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "initiatives", params(("focus_area_id" = FocusAreaId, Path, description = "Focus area id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of initiatives", body = Paginated<Initiative>),
        r::ListErrors,
    ))]
#[get("/focus-areas/{focus_area_id}/initiatives")]
async fn list_initiatives(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    focus_areas::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |row| row.id.0, |row| row)))
}

/// Create an initiative under a focus area.
///
/// Editors and consultants of the plan's municipality (and administrators) may add one; viewers
/// get 403. `recommendation_ids` must name recommendations of the same plan (422 otherwise).
/// Adding an initiative to an approved (or later) plan records a new plan revision.
#[utoipa::path(tag = "initiatives", request_body = InitiativeInput,
    params(("focus_area_id" = FocusAreaId, Path, description = "Focus area id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Initiative, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/focus-areas/{focus_area_id}/initiatives")]
async fn create_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<FocusAreaId>,
    body: ApiJson<InitiativeInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let parent = focus_areas::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    let fields = body.0.parse()?;
    let organization = parent.organization;
    let row = resource::create(&mut conn, &principal, organization, move |conn| {
        Box::pin(async move { queries::insert(conn, &parent.row, fields).await })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Get one initiative.
///
/// For anyone who may read its plan; another municipality's initiative answers 404, as one that
/// does not exist. The ETag is the one to send in `If-Match` when you change or delete it.
#[utoipa::path(tag = "initiatives", params(("initiative_id" = InitiativeId, Path, description = "Initiative id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The initiative", body = Initiative, headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/initiatives/{initiative_id}")]
async fn get_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
) -> Result<HttpResponse, ApiError> {
    let row = queries::find_scoped(&mut *db.conn().await?, *id).await?;
    Ok(ok(&row.readable_by(&principal)?))
}

/// Change an initiative.
///
/// Changes only the fields you send (title, dates, status, the recommendations it answers …); it
/// stays under its focus area. Editors and consultants (and administrators); viewers get 403.
/// Send the ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "initiatives", request_body = InitiativePatch,
    params(("initiative_id" = InitiativeId, Path, description = "Initiative id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Initiative, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/initiatives/{initiative_id}")]
async fn update_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
    if_match: IfMatch,
    body: ApiJson<InitiativePatch>,
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

/// Delete an initiative.
///
/// Its progress notes go with it; indicators tied to it stay, no longer tied to it. Editors and
/// consultants (and administrators); viewers get 403. Send the ETag you read in `If-Match` (428
/// without it, 412 when stale). On an approved (or later) plan this records a new plan revision.
#[utoipa::path(tag = "initiatives",
    params(("initiative_id" = InitiativeId, Path, description = "Initiative id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/initiatives/{initiative_id}")]
async fn delete_initiative(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
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
