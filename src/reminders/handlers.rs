//! HTTP handlers for what the caller owns that is due.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{DueList, DueParams, queries};
use crate::auth::Principal;
use crate::db::Database;
use crate::error::ApiError;
use crate::openapi::responses as r;
use crate::query::ApiQuery;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_my_due_values);
}

/// List the values you owe: due soon or late.
///
/// For every indicator you own (its `owner_id`) in a plan that is not closed, across every
/// organization where you are an editor or consultant: each period without a value whose due
/// date (period end + the indicator's `grace_days`) has passed (`late`) or falls within
/// `within_days` days (`due_soon`), oldest first. Record a value under its `period_end`.
#[utoipa::path(tag = "users", params(DueParams), security(("bearer" = [])), responses(
    (status = 200, description = "What you owe", body = DueList),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
))]
#[get("/users/me/due")]
async fn list_my_due_values(
    principal: Principal,
    db: web::Data<Database>,
    params: ApiQuery<DueParams>,
) -> Result<HttpResponse, ApiError> {
    let window = params.window()?;
    let duties = queries::duties_of(&mut *db.conn().await?, principal.user_id).await?;
    let today = chrono::Utc::now().date_naive();
    Ok(HttpResponse::Ok().json(DueList::new(&duties, today, window)))
}
