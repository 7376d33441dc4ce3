//! GET /api/v1/events.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{EventPage, EventParams, queries};
use crate::auth::Principal;
use crate::db::Database;
use crate::error::ApiError;
use crate::openapi::responses as r;
use crate::query::ApiQuery;

/// How often a waiting request looks for new events. Each look takes a
/// pooled connection only for its one statement.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_events);
}

/// Every change you may read, oldest first, to stay in sync.
///
/// Each event names the record, its plan and organization, the action and the new version (read
/// the record itself for its contents). Viewers see the changes of their municipality's plans
/// too; changes outside any organization (users) only administrators. Continue with `after` set
/// to the last `next_cursor`; with `wait` (up to 30 seconds) an empty answer waits for the next
/// change instead of returning at once. A change appears once its transaction, and every
/// transaction that began before it, has finished: never out of order, never skipped.
#[utoipa::path(tag = "events", params(EventParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the feed", body = EventPage),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
    ))]
#[get("/events")]
async fn list_events(
    principal: Principal,
    db: web::Data<Database>,
    params: ApiQuery<EventParams>,
) -> Result<HttpResponse, ApiError> {
    let query = params.parse()?;
    let visible = principal.visible();
    let deadline = tokio::time::Instant::now() + query.wait;
    loop {
        let rows = queries::page(&mut *db.conn().await?, &visible, query).await?;
        if !rows.is_empty() || tokio::time::Instant::now() + POLL_INTERVAL > deadline {
            return Ok(HttpResponse::Ok().json(EventPage::new(rows, query)));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}
