//! One log line per request (method, path, status, duration, request id) and
//! the `X-Request-Id` response header.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

use crate::domain::{contains_cpr, redact_cpr};

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
                && value.to_str().is_ok_and(|id| !contains_cpr(id))
        })
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
                .unwrap_or(HeaderValue::from_static("-"))
        })
}

/// The path as it may be written to the log: a CPR number typed into a URL,
/// plainly or percent-encoded, is replaced, never logged.
fn loggable_path(path: &str) -> String {
    let decoded: String = form_urlencoded::parse(path.replace(['&', '=', '+'], "_").as_bytes())
        .map(|(key, _)| key.into_owned())
        .collect();
    if contains_cpr(path) || contains_cpr(&decoded) {
        redact_cpr(&decoded).into_owned()
    } else {
        path.to_owned()
    }
}

/// The middleware: wraps every request.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().clone();
    let path = loggable_path(req.path());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpr_numbers_in_paths_are_not_logged_even_percent_encoded() {
        assert_eq!(
            loggable_path("/api/v1/plans/0102031234"),
            "/api/v1/plans/[CPR?]"
        );
        assert_eq!(
            loggable_path("/api/v1/plans/%30102031234"),
            "/api/v1/plans/[CPR?]"
        );
        assert_eq!(
            loggable_path("/api/v1/plans/010203%2D1234/x"),
            "/api/v1/plans/[CPR?]/x"
        );
        let ordinary =
            "/api/v1/indicators/0193a4c2-7d1e-7b3a-9f2e-1a2b3c4d5e6f/measurements/2021-06-30";
        assert_eq!(loggable_path(ordinary), ordinary);
    }
}
