//! HTTP handlers for /organizations.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Organization, OrganizationInput, OrganizationPatch, queries};
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::OrganizationId;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_organizations)
        .service(create_organization)
        .service(get_organization)
        .service(update_organization)
        .service(delete_organization);
}

/// List organizations.
#[utoipa::path(tag = "organizations", params(PageParams), responses(
    (status = 200, description = "One page of organizations", body = Paginated<Organization>),
    (status = 400, response = r::BadRequest),
))]
#[get("/organizations")]
async fn list_organizations(
    db: web::Data<Database>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let rows = queries::list(&mut *db.conn().await?, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |o| o.id.0, |o| o)))
}

/// Create an organization.
#[utoipa::path(tag = "organizations", request_body = OrganizationInput, responses(
    (status = 201, description = "Created", body = Organization, headers(("Location" = String), ("ETag" = String))),
    (status = 400, response = r::BadRequest),
    (status = 409, response = r::Conflict),
    (status = 413, response = r::PayloadTooLarge),
    (status = 415, response = r::UnsupportedMediaType),
    (status = 422, response = r::Invalid),
))]
#[post("/organizations")]
async fn create_organization(
    db: web::Data<Database>,
    body: ApiJson<OrganizationInput>,
) -> Result<HttpResponse, ApiError> {
    let fields = body.0.parse()?;
    let organization = queries::insert(&mut *db.conn().await?, fields).await?;
    Ok(created(
        format!("/api/v1/organizations/{}", organization.id),
        &organization,
    ))
}

/// Get one organization.
#[utoipa::path(tag = "organizations", params(("id" = OrganizationId, Path, description = "Organization id")), responses(
    (status = 200, description = "The organization", body = Organization, headers(("ETag" = String))),
    (status = 404, response = r::NotFound),
))]
#[get("/organizations/{id}")]
async fn get_organization(
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
) -> Result<HttpResponse, ApiError> {
    let organization = queries::find(&mut *db.conn().await?, *id).await?;
    Ok(ok(&organization))
}

/// Change an organization.
#[utoipa::path(tag = "organizations", request_body = OrganizationPatch,
    params(("id" = OrganizationId, Path, description = "Organization id"), r::IfMatchHeader),
    responses(
        (status = 200, description = "Changed", body = Organization, headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[patch("/organizations/{id}")]
async fn update_organization(
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    if_match: IfMatch,
    body: ApiJson<OrganizationPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find(&mut conn, *id).await?;
    if_match.check(current.version)?;
    let fields = body.0.apply_to(&current).parse()?;
    let organization = queries::update(&mut conn, *id, current.version, fields).await?;
    Ok(ok(&organization))
}

/// Delete an organization that has no plans.
#[utoipa::path(tag = "organizations",
    params(("id" = OrganizationId, Path, description = "Organization id"), r::IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[delete("/organizations/{id}")]
async fn delete_organization(
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find(&mut conn, *id).await?;
    if_match.check(current.version)?;
    queries::delete(&mut conn, *id, current.version).await?;
    Ok(no_content())
}
