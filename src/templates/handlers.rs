//! HTTP handlers for /templates.

use actix_web::{HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Template, all};
use crate::auth::Principal;
use crate::openapi::responses as r;
use crate::pagination::Paginated;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_templates);
}

/// The plan templates; create a plan with `"template": "<key>"` to use one.
///
/// Every template with its focus areas and indicators, in one page, for any signed-in user.
#[utoipa::path(tag = "plans", security(("bearer" = [])), responses(
    (status = 200, description = "Every template", body = Paginated<Template>),
    (status = 401, response = r::Unauthorized),
))]
#[get("/templates")]
async fn list_templates(_principal: Principal) -> HttpResponse {
    HttpResponse::Ok().json(Paginated::complete(all().to_vec()))
}
