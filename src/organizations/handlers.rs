//! HTTP handlers for /organizations. Everyone sees the organizations they
//! belong to; only administrators create, change or delete them.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Organization, OrganizationInput, OrganizationPatch, queries};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, IfNoneMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::OrganizationId;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::resource::{self, Recorded, Resource};

const ENTITY: &str = Organization::ENTITY.name();

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_organizations)
        .service(create_organization)
        .service(get_organization)
        .service(update_organization)
        .service(delete_organization);
}

/// List the organizations you belong to (administrators: all).
///
/// Everyone sees the municipalities (and the Task Force) they hold a role in, whatever the role;
/// administrators see every organization. Returns a page (`items`, `next_cursor`); continue
/// with `cursor`.
#[utoipa::path(tag = "organizations", params(PageParams), security(("bearer" = [])), responses(
    (status = 200, description = "One page of organizations", body = Paginated<Organization>),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
))]
#[get("/organizations")]
async fn list_organizations(
    principal: Principal,
    db: web::Data<Database>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let rows = queries::list(&mut *db.conn().await?, &principal.visible(), page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |o| o.id.0, |o| o)))
}

/// Create an organization (administrators only).
///
/// A municipality needs its three-digit `municipality_code`; the Task Force has none. Anyone but
/// an administrator gets 403, and a `municipality_code` already in use answers 409.
#[utoipa::path(tag = "organizations", request_body = OrganizationInput, security(("bearer" = [])), responses(
    (status = 201, description = "Created", body = Organization, headers(("Location" = String), ("ETag" = String))),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 403, response = r::Forbidden),
    (status = 409, response = r::Conflict),
    (status = 413, response = r::PayloadTooLarge),
    (status = 415, response = r::UnsupportedMediaType),
    (status = 422, response = r::Invalid),
))]
#[post("/organizations")]
async fn create_organization(
    principal: Principal,
    db: web::Data<Database>,
    body: ApiJson<OrganizationInput>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    let fields = body.0.parse()?;
    let organization = create(&mut *db.conn().await?, &Actor::from(&principal), fields).await?;
    Ok(created(organization.location(), &organization))
}

/// Creates an organization with its audit event: shared by the API and `planspor admin`.
pub async fn create(
    conn: &mut crate::db::PgConn,
    actor: &Actor,
    fields: super::OrganizationFields,
) -> Result<Organization, ApiError> {
    resource::in_transaction(conn, actor, |conn| {
        Box::pin(async move {
            let organization = queries::insert(conn, fields).await?;
            let change = Change::created(
                ENTITY,
                organization.id.0,
                Some(organization.id),
                &organization,
            );
            Ok(Recorded::new(organization, change))
        })
    })
    .await
}

/// Get one organization.
///
/// For its members (consultants, editors and viewers) and administrators; an organization you
/// hold no role in answers 404, as one that does not exist. Answers 304 when `If-None-Match`
/// holds the current ETag.
#[utoipa::path(tag = "organizations", params(("organization_id" = OrganizationId, Path, description = "Organization id"), r::IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organization", body = Organization, headers(("ETag" = String))),
        (status = 304, description = "Not modified: you have this version (If-None-Match)", headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/organizations/{organization_id}")]
async fn get_organization(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    cached: IfNoneMatch,
) -> Result<HttpResponse, ApiError> {
    let row = queries::find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(cached.ok(&row))
}

/// Change an organization (administrators only).
///
/// Changes only the fields you send. A member who is not an administrator gets 403, anyone else
/// 404; a `municipality_code` already in use answers 409. Send the ETag you read in `If-Match`
/// (428 without it, 412 when stale).
#[utoipa::path(tag = "organizations", request_body = OrganizationPatch,
    params(("organization_id" = OrganizationId, Path, description = "Organization id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Organization, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/organizations/{organization_id}")]
async fn update_organization(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    if_match: IfMatch,
    body: ApiJson<OrganizationPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .administrable_by(&principal, if_match)?;
    let fields = body.0.apply_to(&current.row).parse()?;
    let organization = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&organization))
}

/// Delete an organization that has no plans (administrators only).
///
/// Refused with 409 while the organization still has plans; delete or move them first. A member
/// who is not an administrator gets 403. Send the ETag you read in `If-Match` (428 without it,
/// 412 when stale).
#[utoipa::path(tag = "organizations",
    params(("organization_id" = OrganizationId, Path, description = "Organization id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/organizations/{organization_id}")]
async fn delete_organization(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .administrable_by(&principal, if_match)?;
    resource::delete(&mut conn, &principal, current, |conn, row| {
        Box::pin(queries::delete(conn, row.id, row.version))
    })
    .await?;
    Ok(no_content())
}
