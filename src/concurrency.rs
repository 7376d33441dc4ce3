//! Optimistic concurrency: every row has a `version`; responses carry it as a
//! strong ETag and changes must send it back in `If-Match`.

use std::future::{Ready, ready};

use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload};
use serde::Serialize;

use crate::error::ApiError;

/// The version a client last saw, taken from a required `If-Match` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub i32);

/// The strong ETag for a row version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

fn parse_tag(value: &HeaderValue) -> Option<i32> {
    let text = value.to_str().ok()?.trim();
    text.strip_prefix('"')?.strip_suffix('"')?.parse().ok()
}

impl IfMatch {
    /// The `If-Match` of `req`, if any: `Ok(None)` when absent, a version that
    /// matches nothing when it is not one of our tags (so it answers 412).
    pub fn from_headers(req: &HttpRequest) -> Option<Self> {
        req.headers()
            .get(header::IF_MATCH)
            .map(|value| IfMatch(parse_tag(value).unwrap_or(i32::MIN)))
    }

    /// 412 unless `current` is the version the client sent.
    pub fn check(self, current: i32) -> Result<(), ApiError> {
        if self.0 == current {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed)
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::from_headers(req).ok_or(ApiError::PreconditionRequired))
    }
}

/// Something with a version, so its response can carry an ETag.
pub trait Versioned {
    /// The row version.
    fn version(&self) -> i32;
}

/// The rows a conditional write (`… WHERE id = $1 AND version = $2`)
/// touched: none means the row changed or went since the caller read it.
pub fn matched_version(rows: usize) -> Result<(), ApiError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

/// 200 with the body and its ETag.
pub fn ok<T: Serialize + Versioned>(body: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(body.version())))
        .json(body)
}

/// The ETags a client already has copies of, from `If-None-Match`.
#[derive(Debug, Clone, Default)]
pub struct IfNoneMatch(Vec<String>);

impl IfNoneMatch {
    /// The `If-None-Match` tags of `req` (none when the header is absent).
    pub fn from_headers(req: &HttpRequest) -> Self {
        let tags = req
            .headers()
            .get_all(header::IF_NONE_MATCH)
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|tag| tag.trim().to_owned())
            .collect();
        Self(tags)
    }

    /// Whether the client has the representation tagged `etag` (or sent `*`).
    /// If-None-Match compares weakly (RFC 9110 13.1.2).
    pub fn has(&self, etag: &str) -> bool {
        self.0
            .iter()
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    }

    /// 304 with the ETag when the client has this version of `body`, else 200
    /// with it: for resources whose body is their row, so the version covers it.
    pub fn ok<T: Serialize + Versioned>(&self, body: &T) -> HttpResponse {
        let etag = etag(body.version());
        if self.has(&etag) {
            HttpResponse::NotModified()
                .insert_header((header::ETAG, etag))
                .finish()
        } else {
            ok(body)
        }
    }
}

impl FromRequest for IfNoneMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::from_headers(req)))
    }
}

/// 201 with the body, its ETag and the Location of the new resource.
pub fn created<T: Serialize + Versioned>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::ETAG, etag(body.version())))
        .json(body)
}

/// 204 after a delete.
pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_star_matches_anything() {
        let tags = |list: &[&str]| IfNoneMatch(list.iter().map(|t| (*t).to_owned()).collect());
        assert!(tags(&["\"2\"", "\"3\""]).has("\"3\""));
        assert!(tags(&["W/\"3\""]).has("\"3\""));
        assert!(tags(&["*"]).has("\"9\""));
        assert!(!tags(&["\"2\""]).has("\"3\""));
        assert!(!tags(&[]).has("\"3\""));
    }

    #[test]
    fn only_our_own_tags_parse() {
        assert_eq!(parse_tag(&HeaderValue::from_static("\"7\"")), Some(7));
        assert_eq!(parse_tag(&HeaderValue::from_static("W/\"7\"")), None);
        assert_eq!(parse_tag(&HeaderValue::from_static("*")), None);
        assert_eq!(parse_tag(&HeaderValue::from_static("7")), None);
    }
}
