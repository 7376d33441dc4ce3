//! Operations endpoints: liveness and readiness.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Database;
use crate::error::ApiError;
use crate::openapi::responses as r;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(check_liveness).service(check_readiness);
}

/// A health answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ServiceHealth)]
pub struct Health {
    /// `ok` when healthy.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: the process answers.
///
/// Needs no token and does not touch the database; 200 whenever the server runs.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = Health)))]
#[get("/healthz")]
async fn check_liveness() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Readiness: the database answers and all migrations are applied.
///
/// Needs no token. Answers 503 while the database is unreachable or the latest migration is not
/// applied.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "Ready", body = Health),
    (status = 503, response = r::Unavailable),
))]
#[get("/readyz")]
async fn check_readiness(db: web::Data<Database>) -> Result<HttpResponse, ApiError> {
    db.is_ready().await?;
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}
