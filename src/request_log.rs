//! One log line per request (method, path, status, duration, request id) and
//! the `X-Request-Id` response header.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The request id header, in and out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id, stored in the request's extensions for handlers and the audit trail.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// A caller's id is kept when it is short and printable; otherwise we make one.
fn request_id(req: &ServiceRequest) -> HeaderValue {
    req.headers()
        .get(&REQUEST_ID)
        .filter(|value| {
            value.len() <= 64
                && value
                    .as_bytes()
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        })
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
                .unwrap_or(HeaderValue::from_static("-"))
        })
}

/// The middleware: wraps every request.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().clone();
    let path = req.path().to_owned();
    actix_web::HttpMessage::extensions_mut(&req)
        .insert(RequestId(id.to_str().unwrap_or("-").to_owned()));
    let result = next.call(req).await;
    let status = match &result {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    log::info!(
        target: "planspor::request",
        "{method} {path} {} {:.1}ms request_id={}",
        status.as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
        id.to_str().unwrap_or("-")
    );
    result.map(|mut response| {
        response.headers_mut().insert(REQUEST_ID, id);
        response
    })
}
