//! HTTP handlers for /templates.

use actix_web::{HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Template, all};
use crate::auth::Principal;
use crate::openapi::responses as r;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_templates);
}

/// The plan templates; create a plan with `"template": "<key>"` to use one.
#[utoipa::path(tag = "plans", security(("bearer" = [])), responses(
    (status = 200, description = "Every template", body = Vec<Template>),
    (status = 401, response = r::Unauthorized),
))]
#[get("/templates")]
async fn list_templates(_principal: Principal) -> HttpResponse {
    HttpResponse::Ok().json(all())
}
