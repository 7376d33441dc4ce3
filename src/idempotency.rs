//! `Idempotency-Key` on POST: a client that retries a create with the same key
//! and the same body gets the first response again, and nothing is written
//! twice. The same key with a different body is a 422; a request still in
//! flight under the key is a 409. Keys live in PostgreSQL (so this holds
//! across instances), scoped per caller (token issuer and subject), for 24 hours.

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::auth::tokens::TokenVerifier;
use crate::auth::{Access, AccessTrail, load_principal};
use crate::db::schema::idempotency_keys as k;
use crate::db::{Database, PgConn};
use crate::error::ApiError;
use crate::json::BodyLimit;

/// The request header.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on a replayed response.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

#[derive(Queryable)]
struct Stored {
    request_hash: String,
    status: Option<i32>,
    content_type: Option<String>,
    location: Option<String>,
    etag: Option<String>,
    body: Option<Vec<u8>>,
    access: serde_json::Value,
    expired: bool,
}

fn parse_key(value: &HeaderValue) -> Result<String, ApiError> {
    let key = value.to_str().ok().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::BadRequest(
            "Header `Idempotency-Key` must be 1–255 visible ASCII characters.".into(),
        ));
    }
    Ok(key.to_owned())
}

/// The caller as the auth layer sees them (issuer, subject), if their token is valid.
fn caller_of(req: &ServiceRequest) -> Option<(String, String)> {
    let verifier = req.app_data::<web::Data<TokenVerifier>>()?;
    crate::auth::verified_caller(req.headers(), verifier)
}

/// The middleware: only POSTs with the header and a valid token are handled here.
pub async fn idempotent_posts(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(value) = req.headers().get(&IDEMPOTENCY_KEY).cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if req.method() != Method::POST {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let key = match parse_key(&value) {
        Ok(key) => key,
        Err(error) => return Ok(req.into_response(error.error_response())),
    };
    let (Some(caller), Some(database)) = (
        caller_of(&req),
        req.app_data::<web::Data<Database>>().cloned(),
    ) else {
        // No valid token: the handler answers 401 as usual.
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let scope = format!("{}\u{1f}{}", caller.0, caller.1);
    let limit = req
        .app_data::<web::Data<BodyLimit>>()
        .map_or(1 << 20, |limit| limit.0);
    let body = match read_body(&mut req, limit).await {
        Ok(body) => body,
        Err(error) => return Ok(req.into_response(error.error_response())),
    };
    let hash = request_hash(req.method(), req.path(), &body);
    let mut conn = match database.conn().await {
        Ok(conn) => conn,
        Err(error) => return Ok(req.into_response(error.error_response())),
    };
    match claim(&mut conn, &caller, &key, &hash).await {
        Ok(None) => {}
        Ok(Some(replay)) => return Ok(req.into_response(replay)),
        Err(error) => return Ok(req.into_response(error.error_response())),
    }
    drop(conn);
    req.set_payload(actix_web::dev::Payload::from(web::Bytes::from(body)));
    let trail = AccessTrail::default();
    req.extensions_mut().insert(trail.clone());
    let response = next.call(req).await?.map_into_boxed_body();
    remember(&database, &scope, &key, &trail, response).await
}

/// The fingerprint of a request: method, path and body.
pub fn request_hash(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut payload = req.take_payload();
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("The body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Claims the key for this request (`None`), or answers for it: the stored
/// response, 409 while the first request is in flight, 422 for a different body.
async fn claim(
    conn: &mut PgConn,
    (issuer, subject): &(String, String),
    key: &str,
    hash: &str,
) -> Result<Option<HttpResponse>, ApiError> {
    let scope = format!("{issuer}\u{1f}{subject}");
    let scope = scope.as_str();
    for _ in 0..2 {
        let inserted = diesel::insert_into(k::table)
            .values((k::scope.eq(scope), k::key.eq(key), k::request_hash.eq(hash)))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if inserted == 1 {
            return Ok(None);
        }
        let stored: Option<Stored> = k::table
            .find((scope, key))
            .select((
                k::request_hash,
                k::status,
                k::content_type,
                k::location,
                k::etag,
                k::body,
                k::access,
                diesel::dsl::sql::<diesel::sql_types::Bool>(
                    "created_at < now() - interval '24 hours'",
                ),
            ))
            .first(conn)
            .await
            .optional()?;
        let Some(stored) = stored else { continue };
        if stored.expired {
            diesel::delete(k::table.find((scope, key)))
                .execute(conn)
                .await?;
            continue;
        }
        if stored.request_hash != hash {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                crate::error::FieldCode::Duplicate,
                "was already used with a different request; use a new key for a new request",
            ));
        }
        let Some(status) = stored.status else {
            return Err(ApiError::Conflict(
                "A request with this Idempotency-Key is still being processed.".into(),
            ));
        };
        recheck_access(conn, issuer, subject, &stored.access).await?;
        return Ok(Some(replay(status, stored)));
    }
    Err(ApiError::Conflict(
        "The Idempotency-Key could not be claimed; retry.".into(),
    ))
}

/// 401/403/404, as the handler would answer now, unless the caller still has
/// every permission the first request was granted.
async fn recheck_access(
    conn: &mut PgConn,
    issuer: &str,
    subject: &str,
    access: &serde_json::Value,
) -> Result<(), ApiError> {
    let principal = load_principal(conn, issuer, subject)
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized(Some("no user is registered for this token".into()))
        })?;
    let granted: Vec<Access> = serde_json::from_value(access.clone())
        .map_err(|e| ApiError::Internal(format!("a stored idempotency access list: {e}")))?;
    granted
        .into_iter()
        .try_for_each(|access| access.recheck(&principal))
}

fn replay(status: i32, stored: Stored) -> HttpResponse {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((REPLAYED, "true"));
    for (name, value) in [
        (header::CONTENT_TYPE, stored.content_type),
        (header::LOCATION, stored.location),
        (header::ETAG, stored.etag),
    ] {
        if let Some(value) = value {
            response.insert_header((name, value));
        }
    }
    response.body(stored.body.unwrap_or_default())
}

/// Stores the response for replays; a server error frees the key for a retry.
async fn remember(
    database: &Database,
    scope: &str,
    key: &str,
    trail: &AccessTrail,
    response: ServiceResponse<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (request, response) = response.into_parts();
    let status = response.status();
    let header_text = |name: header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (content_type, location, etag) = (
        header_text(header::CONTENT_TYPE),
        header_text(header::LOCATION),
        header_text(header::ETAG),
    );
    let mut rebuilt = HttpResponse::build(status);
    for (name, value) in response.headers() {
        rebuilt.append_header((name.clone(), value.clone()));
    }
    let body = to_bytes(response.into_body())
        .await
        .map_err(|_| ApiError::Internal("reading a response body".into()))?;
    let access = serde_json::to_value(trail.accesses())
        .map_err(|e| ApiError::Internal(format!("serializing an access list: {e}")))?;
    let mut conn = database.conn().await?;
    let target = k::table.find((scope, key));
    if status.is_server_error() {
        diesel::delete(target)
            .execute(&mut *conn)
            .await
            .map_err(ApiError::from)?;
    } else {
        diesel::update(target)
            .set((
                k::status.eq(i32::from(status.as_u16())),
                k::content_type.eq(content_type),
                k::location.eq(location),
                k::etag.eq(etag),
                k::body.eq(body.to_vec()),
                k::access.eq(access),
            ))
            .execute(&mut *conn)
            .await
            .map_err(ApiError::from)?;
    }
    Ok(ServiceResponse::new(request, rebuilt.body(body)))
}

/// Deletes keys older than 24 hours; run periodically.
pub async fn purge_expired(conn: &mut PgConn) -> Result<usize, ApiError> {
    Ok(
        diesel::delete(k::table.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "created_at < now() - interval '24 hours'",
        )))
        .execute(conn)
        .await?,
    )
}
