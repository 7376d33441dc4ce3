//! Who is calling and what they may do. The token says who you are; the
//! database (users and memberships) says what you may do, so access changes
//! take effect without new tokens.

pub mod tokens;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};

use crate::db::schema::{memberships, users};
use crate::db::{Database, PgConn};
use crate::domain::{OrganizationId, Role, UserId};
use crate::error::ApiError;
use crate::request_log::RequestId;
use tokens::TokenVerifier;

/// The authenticated caller of a request: a handler that takes one requires a valid token.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user.
    pub user_id: UserId,
    /// Their display name, recorded as author and in the audit trail.
    pub name: String,
    /// System-wide administrator.
    pub is_admin: bool,
    /// Their role in each organization they belong to.
    pub memberships: Vec<(OrganizationId, Role)>,
    /// The request's id, for the audit trail.
    pub request_id: Option<String>,
    /// What this request has been allowed so far (see [`AccessTrail`]).
    pub trail: AccessTrail,
}

/// One permission a handler checked and the caller had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "access", rename_all = "snake_case")]
pub enum Access {
    /// Read the resources of an organization.
    Read {
        /// The organization.
        organization: OrganizationId,
    },
    /// Change the resources of an organization.
    Write {
        /// The organization.
        organization: OrganizationId,
    },
    /// Administer the service.
    Admin,
}

impl Access {
    /// Whether `principal` still has this permission: 404/403 as the handler would answer.
    pub fn recheck(self, principal: &Principal) -> Result<(), ApiError> {
        match self {
            Self::Read { organization } => principal.ensure_read(organization, "resource"),
            Self::Write { organization } => principal.ensure_write(organization, "resource"),
            Self::Admin => principal.ensure_admin(),
        }
    }
}

/// The permissions a request's handler checked, in order. The idempotency
/// layer stores them with the response and checks them again before replaying
/// it, so a replay never answers for a caller who has lost access since.
#[derive(Debug, Clone, Default)]
pub struct AccessTrail(Arc<Mutex<Vec<Access>>>);

impl AccessTrail {
    fn note(&self, access: Access) {
        if let Ok(mut trail) = self.0.lock() {
            trail.push(access);
        }
    }

    /// Everything noted so far.
    pub fn accesses(&self) -> Vec<Access> {
        self.0.lock().map(|trail| trail.clone()).unwrap_or_default()
    }
}

/// Which organizations a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visible {
    /// Every organization (administrators).
    All,
    /// Only these.
    Only(Vec<OrganizationId>),
}

impl Principal {
    /// The caller's role in `organization`, if any.
    pub fn role_in(&self, organization: OrganizationId) -> Option<Role> {
        self.memberships
            .iter()
            .find(|(id, _)| *id == organization)
            .map(|(_, role)| *role)
    }

    /// The organizations whose plans the caller may read.
    pub fn visible(&self) -> Visible {
        if self.is_admin {
            Visible::All
        } else {
            Visible::Only(self.memberships.iter().map(|(id, _)| *id).collect())
        }
    }

    /// The organizations whose audit trail the caller may read: not viewers'.
    pub fn audit_visible(&self) -> Visible {
        if self.is_admin {
            Visible::All
        } else {
            Visible::Only(
                self.memberships
                    .iter()
                    .filter(|(_, role)| role.may_write())
                    .map(|(id, _)| *id)
                    .collect(),
            )
        }
    }

    /// 404 — exactly as for a missing id — unless the caller may read `organization`'s resources.
    pub fn ensure_read(
        &self,
        organization: OrganizationId,
        what: &'static str,
    ) -> Result<(), ApiError> {
        if self.is_admin || self.role_in(organization).is_some() {
            self.trail.note(Access::Read { organization });
            Ok(())
        } else {
            Err(ApiError::NotFound(what))
        }
    }

    /// 404 unless readable; 403 unless the caller may also change it.
    pub fn ensure_write(
        &self,
        organization: OrganizationId,
        what: &'static str,
    ) -> Result<(), ApiError> {
        self.ensure_read(organization, what)?;
        if self.is_admin || self.role_in(organization).is_some_and(Role::may_write) {
            self.trail.note(Access::Write { organization });
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "Your role lets you read this {what}, not change it."
            )))
        }
    }

    /// 404 unless readable; 403 unless the caller speaks for the Task Force
    /// here: a consultant assigned to `organization`, or an administrator.
    pub fn ensure_task_force(
        &self,
        organization: OrganizationId,
        what: &'static str,
    ) -> Result<(), ApiError> {
        self.ensure_read(organization, what)?;
        if self.is_admin || self.role_in(organization) == Some(Role::Consultant) {
            self.trail.note(Access::Write { organization });
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "Only the Task Force (a consultant assigned to the municipality) changes this {what}."
            )))
        }
    }

    /// 403 unless the caller is an administrator.
    pub fn ensure_admin(&self) -> Result<(), ApiError> {
        if self.is_admin {
            self.trail.note(Access::Admin);
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "Only administrators may do this.".into(),
            ))
        }
    }
}

/// The bearer token of a request: the one parser of the `Authorization`
/// header, shared by authentication, the rate limit and idempotency so they
/// always agree on who is calling. The scheme is case-insensitive (RFC 9110);
/// a second `Authorization` header is refused, so header order can never
/// decide a role.
pub fn bearer_token(headers: &header::HeaderMap) -> Result<String, ApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION);
    let value = values.next().ok_or(ApiError::Unauthorized(None))?;
    if values.next().is_some() {
        return Err(ApiError::BadRequest(
            "Send exactly one Authorization header.".into(),
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized(Some("malformed Authorization header".into())))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthorized(Some(
            "the Authorization header must be `Bearer <token>`".into(),
        ))),
    }
}

/// The verified caller of a request as `(issuer, subject)`, if its token is valid.
pub fn verified_caller(
    headers: &header::HeaderMap,
    verifier: &TokenVerifier,
) -> Option<(String, String)> {
    let verified = verifier.verify(&bearer_token(headers).ok()?).ok()?;
    Some((verified.issuer, verified.subject))
}

/// A user joined with one of their memberships (or none).
type PrincipalRow = (UserId, String, bool, Option<OrganizationId>, Option<Role>);

/// The user behind `(issuer, subject)` with their memberships, in one statement.
pub async fn load_principal(
    conn: &mut PgConn,
    issuer: &str,
    subject: &str,
) -> Result<Option<Principal>, ApiError> {
    let rows: Vec<PrincipalRow> = users::table
        .left_join(memberships::table)
        .filter(users::issuer.eq(issuer).and(users::subject.eq(subject)))
        .select((
            users::id,
            users::display_name,
            users::is_admin,
            memberships::organization_id.nullable(),
            memberships::role.nullable(),
        ))
        .load(conn)
        .await?;
    let Some((user_id, name, is_admin, _, _)) = <[_]>::first(&rows).cloned() else {
        return Ok(None);
    };
    let memberships = rows
        .into_iter()
        .filter_map(|(_, _, _, org, role)| Some((org?, role?)))
        .collect();
    Ok(Some(Principal {
        user_id,
        name,
        is_admin,
        memberships,
        request_id: None,
        trail: AccessTrail::default(),
    }))
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req.headers());
        let trail = req
            .extensions()
            .get::<AccessTrail>()
            .cloned()
            .unwrap_or_default();
        let verifier = req.app_data::<web::Data<TokenVerifier>>().cloned();
        let database = req.app_data::<web::Data<Database>>().cloned();
        let request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
        Box::pin(async move {
            let token = token?;
            let (Some(verifier), Some(database)) = (verifier, database) else {
                return Err(ApiError::Internal(
                    "token verifier or database missing from app data".into(),
                ));
            };
            let verified = verifier
                .verify_refreshing(&token)
                .await
                .map_err(|e| ApiError::Unauthorized(Some(e.to_string())))?;
            let mut conn = database.conn().await?;
            let principal = load_principal(&mut conn, &verified.issuer, &verified.subject)
                .await?
                .ok_or_else(|| {
                    ApiError::Unauthorized(Some("no user is registered for this token".into()))
                })?;
            Ok(Principal {
                request_id,
                trail,
                ..principal
            })
        })
    }
}

/// The issuer whose tokens planspor trusts for its own users (app data).
#[derive(Debug, Clone)]
pub struct Issuer(pub String);

/// The token settings of `config`.
pub fn token_settings(config: &crate::config::AuthConfig) -> tokens::TokenSettings {
    tokens::TokenSettings {
        issuer: config.issuer.clone(),
        audience: config.audience.clone(),
        leeway_seconds: config.leeway_seconds,
    }
}

/// Where planspor keeps its own signing key.
pub fn key_dir(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("keys")
}

/// The verifier for `config`: planspor's own key, or the external provider's keys.
pub fn verifier(config: &crate::config::Config) -> Result<TokenVerifier, String> {
    use crate::config::AuthMode;
    let trust = match &config.auth.mode {
        AuthMode::Standalone => tokens::TrustConfig::Standalone {
            key_dir: key_dir(&config.data_dir),
        },
        AuthMode::Oidc {
            issuer_url,
            user_claim,
        } => {
            // Read once before the server starts, on a runtime of its own;
            // refreshes later run on the workers'.
            let discovered = actix_web::rt::System::new().block_on(TokenVerifier::discover(
                issuer_url,
                token_settings(&config.auth),
                user_claim,
            ));
            return discovered.map_err(|e| format!("token keys: {e}"));
        }
        AuthMode::External {
            jwks_file,
            pem_keys,
        } => {
            let pem_keys = pem_keys
                .iter()
                .map(|(kid, algorithm, path)| {
                    let algorithm = algorithm.parse().map_err(|_| {
                        format!(
                            "PLANSPOR_JWT_PEM_KEYS: unknown algorithm {algorithm} for key {kid}"
                        )
                    })?;
                    Ok(tokens::PemKey {
                        kid: kid.clone(),
                        algorithm,
                        path: path.clone(),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            tokens::TrustConfig::External {
                jwks_file: jwks_file.clone(),
                pem_keys,
            }
        }
    };
    TokenVerifier::new(&trust, token_settings(&config.auth)).map_err(|e| format!("token keys: {e}"))
}
