//! A per-caller and per-IP request budget: a token bucket refilled at the
//! configured rate per minute, with bursts up to the same number. Beyond it a
//! 429 with `Retry-After`. The buckets live in this instance's memory, so with
//! several instances each enforces its own share (documented in the README).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use crate::auth::tokens::TokenVerifier;
use crate::error::{PROBLEM_JSON, Problem};

/// The shared buckets (app data).
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per caller and per IP.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s budget; `Err(seconds)` until one is available.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > 100_000 {
            // Forget full buckets rather than grow without bound under a flood of new keys.
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * per_second < capacity
            });
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let refilled = (bucket.tokens
            + now.duration_since(bucket.updated).as_secs_f64() * per_second)
            .min(capacity);
        if refilled >= 1.0 {
            *bucket = Bucket {
                tokens: refilled - 1.0,
                updated: now,
            };
            Ok(())
        } else {
            *bucket = Bucket {
                tokens: refilled,
                updated: now,
            };
            Err(((1.0 - refilled) / per_second).ceil().max(1.0) as u64)
        }
    }
}

fn caller(req: &ServiceRequest) -> Option<String> {
    let verifier = req.app_data::<web::Data<TokenVerifier>>()?;
    let (issuer, subject) = crate::auth::verified_caller(req.headers(), verifier)?;
    Some(format!("user:{issuer}\u{1f}{subject}"))
}

fn too_many(retry_after: u64) -> HttpResponse {
    HttpResponse::TooManyRequests()
        .content_type(PROBLEM_JSON)
        .insert_header((header::RETRY_AFTER, retry_after.to_string()))
        .json(Problem {
            r#type: crate::error::ProblemType::RateLimited,
            title: "Too many requests".into(),
            status: 429,
            detail: format!("Slow down; retry after {retry_after} seconds."),
            errors: Vec::new(),
            allowed_transitions: None,
        })
}

/// The middleware: /api requests spend from their IP's and their caller's budget.
pub async fn limit_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let (true, Some(limiter)) = (
        req.path().starts_with("/api/"),
        req.app_data::<web::Data<RateLimiter>>(),
    ) {
        let now = Instant::now();
        let ip = req
            .peer_addr()
            .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string());
        let mut keys = vec![format!("ip:{ip}")];
        keys.extend(caller(&req));
        for key in keys {
            if let Err(retry_after) = limiter.take(&key, now) {
                return Ok(req.into_response(too_many(retry_after)));
            }
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_over_time() {
        let limiter = RateLimiter::new(60);
        let start = Instant::now();
        for _ in 0..60 {
            assert!(limiter.take("ip:1", start).is_ok());
        }
        assert_eq!(limiter.take("ip:1", start), Err(1));
        assert!(
            limiter.take("ip:2", start).is_ok(),
            "another key has its own budget"
        );
        assert!(limiter.take("ip:1", start + Duration::from_secs(1)).is_ok());
    }
}
