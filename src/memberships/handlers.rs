//! HTTP handlers for /memberships (administrators only).

use actix_web::{HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Membership, MembershipFilter, MembershipInput, queries};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, created, no_content};
use crate::db::{Database, PgConn};
use crate::domain::MembershipId;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::resource::{self, Entity, Recorded};
use crate::{organizations, users};

const ENTITY: Entity = Entity::MEMBERSHIP;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_memberships)
        .service(grant_membership)
        .service(revoke_membership);
}

/// List memberships (administrators only).
///
/// Filter by user or organization. Anyone but an administrator gets 403. Returns a page
/// (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "users", params(MembershipFilter, PageParams), security(("bearer" = [])), responses(
    (status = 200, description = "One page of memberships", body = Paginated<Membership>),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 403, response = r::Forbidden),
))]
#[get("/memberships")]
async fn list_memberships(
    principal: Principal,
    db: web::Data<Database>,
    filter: ApiQuery<MembershipFilter>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    let page = params.parse()?;
    let rows = queries::list(&mut *db.conn().await?, &filter, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |m| m.id.0, |m| m)))
}

/// Grant a user a role in an organization (administrators only).
///
/// Replaces an earlier role there; the change takes effect at the user's next request, without
/// a new token. An unknown `user_id` or `organization_id` is a 422 naming the field. Anyone but
/// an administrator gets 403.
#[utoipa::path(tag = "users", request_body = MembershipInput, security(("bearer" = [])), responses(
    (status = 201, description = "Granted", body = Membership, headers(("Location" = String), ("ETag" = String))),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 403, response = r::Forbidden),
    (status = 415, response = r::UnsupportedMediaType),
    (status = 422, response = r::Invalid),
))]
#[post("/memberships")]
async fn grant_membership(
    principal: Principal,
    db: web::Data<Database>,
    body: ApiJson<MembershipInput>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    let membership = grant(&mut *db.conn().await?, &Actor::from(&principal), body.0).await?;
    Ok(created(ENTITY.location(membership.id), &membership))
}

/// Grants the role with its audit event: shared by the API and `planspor admin`.
/// An unknown user or organization is a 422 naming the field.
pub async fn grant(
    conn: &mut PgConn,
    actor: &Actor,
    input: MembershipInput,
) -> Result<Membership, ApiError> {
    users::queries::find(conn, input.user_id)
        .await
        .map_err(|_| {
            ApiError::invalid(
                "user_id",
                crate::error::FieldCode::NoSuchRecord,
                "no such user",
            )
        })?;
    organizations::find(conn, input.organization_id)
        .await
        .map_err(|_| {
            ApiError::invalid(
                "organization_id",
                crate::error::FieldCode::NoSuchRecord,
                "no such organization",
            )
        })?;
    resource::in_transaction(conn, actor, |conn| {
        Box::pin(async move {
            let before = queries::find_for(conn, input.user_id, input.organization_id).await?;
            let membership = queries::upsert(conn, input).await?;
            let change = Change::upserted(
                ENTITY.name(),
                membership.id.0,
                Some(membership.organization_id),
                before.as_ref(),
                &membership,
            );
            Ok(Recorded::new(membership, change))
        })
    })
    .await
}

/// Revoke a membership (administrators only).
///
/// The user loses the role at their next request. Anyone but an administrator gets 403. Send the
/// ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "users", params(("membership_id" = MembershipId, Path, description = "Membership id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 412, response = r::PreconditionFailed),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[delete("/memberships/{membership_id}")]
async fn revoke_membership(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<MembershipId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    let mut conn = db.conn().await?;
    let membership = queries::find(&mut conn, *id).await?;
    if_match.check(membership.version)?;
    revoke(&mut conn, &Actor::from(&principal), membership).await?;
    Ok(no_content())
}

/// Revokes the membership with its audit event: shared by the API and `planspor admin`.
pub async fn revoke(
    conn: &mut PgConn,
    actor: &Actor,
    membership: Membership,
) -> Result<(), ApiError> {
    resource::in_transaction(conn, actor, |conn| {
        Box::pin(async move {
            queries::delete(conn, membership.id, membership.version).await?;
            let change = Change::deleted(
                ENTITY.name(),
                membership.id.0,
                Some(membership.organization_id),
                &membership,
            );
            Ok(Recorded::new((), change))
        })
    })
    .await
}
