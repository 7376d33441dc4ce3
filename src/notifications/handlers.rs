//! HTTP handlers for the outbox (administrators).

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Notification, queries};
use crate::auth::Principal;
use crate::db::Database;
use crate::error::ApiError;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_notifications);
}

/// List the e-mail outbox (administrators only).
///
/// Every reminder and digest planspor has written, oldest first, with where it stands:
/// `pending` (waiting for its next attempt, or for an SMTP relay to be configured), `sent`,
/// `undeliverable` (no address, or refused for good) or `cancelled` (the value came in first).
/// `updated_since` lists those written since. Anyone but an administrator gets 403.
#[utoipa::path(tag = "notifications", params(PageParams), security(("bearer" = [])), responses(
    (status = 200, description = "One page of the outbox", body = Paginated<Notification>),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 403, response = r::Forbidden),
))]
#[get("/notifications")]
async fn list_notifications(
    principal: Principal,
    db: web::Data<Database>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    let page = params.parse()?;
    let rows = queries::list(&mut *db.conn().await?, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |n| n.id.0, |n| n)))
}
