//! HTTP handlers for webhook subscriptions and their deliveries (administrators).

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::target::TargetPolicy;
use super::{
    Delivery, RotationInput, Webhook, WebhookInput, WebhookPatch, WebhookWithSecret, queries,
};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{OrganizationId, WebhookId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::organizations;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::resource::{self, Owned, Resource};

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(rotate_webhook_secret)
        .service(list_webhook_deliveries);
}

/// The subscription, for an administrator (404 unreadable, 403 otherwise).
async fn administered(
    db: &Database,
    principal: &Principal,
    id: WebhookId,
) -> Result<Webhook, ApiError> {
    let webhook = queries::find_scoped(&mut *db.conn().await?, id)
        .await?
        .readable_by(principal)?;
    principal.ensure_admin()?;
    Ok(webhook)
}

/// List an organization's webhooks (administrators only).
///
/// Returns a page (`items`, `next_cursor`); continue with `cursor`. Secrets are never listed.
#[utoipa::path(tag = "webhooks",
    params(("organization_id" = OrganizationId, Path, description = "Organization id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of webhooks", body = Paginated<Webhook>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ))]
#[get("/organizations/{organization_id}/webhooks")]
async fn list_webhooks(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<OrganizationId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    organizations::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    principal.ensure_admin()?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |w| w.id.0, |w| w)))
}

/// Subscribe a system to an organization's events (administrators only).
///
/// Every change of the kinds in `event_types` to the organization's records is POSTed to `url`
/// as JSON (`type`, e.g. `measurement.upsert`; `timestamp`; the event feed's event as `data`),
/// signed as Standard Webhooks prescribes: headers `webhook-id` (the same on every retry),
/// `webhook-timestamp` and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body` under the secret's key). Any 2xx answer within 10 s accepts it; anything
/// else is retried with exponential backoff, and a long run of failures disables the
/// subscription. The URL must be https and not a loopback, link-local or private address unless
/// the operator allows its host (422). The answer holds the `secret`: the only time it is shown.
#[utoipa::path(tag = "webhooks", request_body = WebhookInput,
    params(("organization_id" = OrganizationId, Path, description = "Organization id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Subscribed", body = WebhookWithSecret, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/organizations/{organization_id}/webhooks")]
async fn create_webhook(
    principal: Principal,
    db: web::Data<Database>,
    policy: web::Data<TargetPolicy>,
    id: web::Path<OrganizationId>,
    body: ApiJson<WebhookInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let organization = organizations::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    principal.ensure_admin()?;
    let (fields, secret) = body.0.parse(&policy)?;
    let stored = secret.clone();
    let webhook = resource::create(&mut conn, &principal, organization.id, move |conn| {
        Box::pin(async move { queries::insert(conn, organization.id, fields, &stored).await })
    })
    .await?;
    let location = webhook.location();
    let answer = WebhookWithSecret {
        webhook,
        secret: secret.expose().to_owned(),
    };
    Ok(created(location, &answer))
}

/// Get one webhook (administrators only).
///
/// Its secret is never shown again; rotate it to get a new one.
#[utoipa::path(tag = "webhooks", params(("webhook_id" = WebhookId, Path, description = "Webhook id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The webhook", body = Webhook, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ))]
#[get("/webhooks/{webhook_id}")]
async fn get_webhook(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok(&administered(&db, &principal, *id).await?))
}

/// Change a webhook (administrators only).
///
/// Changes only the fields you send. `enabled: true` resumes a subscription that a run of
/// failures disabled (its pending deliveries are then retried); `false` pauses it. Send the ETag
/// you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "webhooks", request_body = WebhookPatch,
    params(("webhook_id" = WebhookId, Path, description = "Webhook id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Webhook, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/webhooks/{webhook_id}")]
async fn update_webhook(
    principal: Principal,
    db: web::Data<Database>,
    policy: web::Data<TargetPolicy>,
    id: web::Path<WebhookId>,
    if_match: IfMatch,
    body: ApiJson<WebhookPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .administrable_by(&principal, if_match)?;
    let fields = body.0.apply_to(&current.row, &policy)?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&row))
}

/// Delete a webhook (administrators only).
///
/// Its deliveries go with it. Send the ETag you read in `If-Match` (428 without it, 412 when
/// stale).
#[utoipa::path(tag = "webhooks",
    params(("webhook_id" = WebhookId, Path, description = "Webhook id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/webhooks/{webhook_id}")]
async fn delete_webhook(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<WebhookId>,
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

/// Rotate a webhook's secret (administrators only).
///
/// Returns a new secret, shown this once. For `overlap_hours` (24 by default) deliveries carry
/// two signatures in `webhook-signature`, by the new secret and the previous one, so the
/// receiver can switch without missing a delivery. Send the ETag you read in `If-Match`.
#[utoipa::path(tag = "webhooks", request_body = RotationInput,
    params(("webhook_id" = WebhookId, Path, description = "Webhook id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rotated", body = WebhookWithSecret, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[post("/webhooks/{webhook_id}/rotate-secret")]
async fn rotate_webhook_secret(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<WebhookId>,
    if_match: IfMatch,
    body: ApiJson<RotationInput>,
) -> Result<HttpResponse, ApiError> {
    let overlap = body.0.overlap()?;
    let mut conn = db.conn().await?;
    let current: Owned<Webhook> = queries::find_scoped(&mut conn, *id)
        .await?
        .administrable_by(&principal, if_match)?;
    let secret = super::signing::Secret::generate().map_err(ApiError::Internal)?;
    let stored = secret.clone();
    let webhook = resource::update(&mut conn, &principal, current, move |conn, before| {
        let (id, version) = (before.id, before.version);
        Box::pin(async move {
            queries::rotate(conn, id, version, &stored, chrono::Utc::now() + overlap).await
        })
    })
    .await?;
    Ok(ok(&WebhookWithSecret {
        webhook,
        secret: secret.expose().to_owned(),
    }))
}

/// List a webhook's deliveries (administrators only).
///
/// Oldest first, each with its status (`pending`, `delivered`, `failed`), attempts, the
/// receiver's last answer and the body sent. Returns a page (`items`, `next_cursor`).
#[utoipa::path(tag = "webhooks",
    params(("webhook_id" = WebhookId, Path, description = "Webhook id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of deliveries", body = Paginated<Delivery>),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ))]
#[get("/webhooks/{webhook_id}/deliveries")]
async fn list_webhook_deliveries(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<WebhookId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let webhook = administered(&db, &principal, *id).await?;
    let rows = queries::deliveries(&mut *db.conn().await?, webhook.id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |d| d.id.0, |d| d)))
}
