//! Which browser origins may call the API, and a refusal that is a problem
//! document like every other error (actix-cors alone answers in plain text).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::ApiError;

/// CORS for the configured frontend origins only; without any, browsers on other origins are refused.
pub fn policy(origins: &[String]) -> actix_cors::Cors {
    let cors = origins
        .iter()
        .fold(actix_cors::Cors::default(), |cors, origin| {
            cors.allowed_origin(origin)
        });
    cors.allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::IF_MATCH,
            actix_web::http::header::IF_NONE_MATCH,
            crate::idempotency::IDEMPOTENCY_KEY,
        ])
        // What a browser app on another origin may read: without
        // Content-Disposition it cannot learn an export's file name.
        .expose_headers([
            actix_web::http::header::ETAG,
            actix_web::http::header::LOCATION,
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::CONTENT_DISPOSITION,
            actix_web::http::header::WWW_AUTHENTICATE,
            crate::request_log::REQUEST_ID,
            crate::idempotency::REPLAYED,
        ])
        .max_age(600)
}

/// Rewrites a CORS refusal (unknown origin, method or header) as a 400 problem.
pub async fn refusals_as_problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let refusal = response
        .response()
        .error()
        .and_then(|error| error.as_error::<actix_cors::CorsError>())
        .map(ToString::to_string);
    let Some(refusal) = refusal else {
        return Ok(response);
    };
    let problem = ApiError::BadRequest(format!("Cross-origin request refused: {refusal}."));
    let (request, _) = response.into_parts();
    Ok(ServiceResponse::new(
        request,
        actix_web::ResponseError::error_response(&problem),
    ))
}
