//! HTTP handlers for /users (administrators) and /users/me (everyone).

use actix_web::{HttpResponse, get, post, put, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{NewUser, User, UserInput, queries};
use crate::audit::{Actor, Change};
use crate::auth::{Issuer, Principal};
use crate::concurrency::{created, ok};
use crate::db::{Database, PgConn};
use crate::domain::{Language, OrganizationId, Role, UserId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::resource::{self, Entity, Recorded};

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(get_current_user)
        .service(get_my_preferences)
        .service(set_my_preferences)
        .service(list_users)
        .service(create_user)
        .service(get_user);
}

/// A role in one organization, and what it lets you do there.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationRole {
    /// The organization.
    pub organization_id: OrganizationId,
    /// The role there.
    pub role: Role,
    /// What the role lets you do there, so a UI need not know the rules.
    pub permissions: Permissions,
}

/// What a caller may do in one organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Permissions {
    /// Read its plans, reports and exports (every role).
    pub read: bool,
    /// Change its plans and write status reports (editors and consultants).
    pub write: bool,
    /// Approve its plans and write the Task Force's recommendations, case
    /// reviews and assessments (consultants).
    pub approve: bool,
    /// Manage its organization and memberships (administrators).
    pub administer: bool,
}

impl Permissions {
    fn of(role: Role, is_admin: bool) -> Self {
        Self {
            read: true,
            write: role.may_write(),
            approve: role == Role::Consultant,
            administer: is_admin,
        }
    }
}

/// Who you are and what you may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Your user id.
    pub user_id: UserId,
    /// Your display name.
    pub display_name: String,
    /// System-wide administrator.
    pub is_admin: bool,
    /// Your roles, with what each lets you do. Administrators may also read
    /// and administer every organization, members or not.
    pub memberships: Vec<OrganizationRole>,
}

/// Who the token belongs to, with their roles.
///
/// For any signed-in user: your id, name, whether you are an administrator, and each
/// organization you hold a role in with what that role lets you do there (`permissions`), so a
/// UI need not know the rules.
#[utoipa::path(tag = "users", security(("bearer" = [])), responses(
    (status = 200, description = "You", body = Me),
    (status = 401, response = r::Unauthorized),
))]
#[get("/users/me")]
async fn get_current_user(principal: Principal) -> HttpResponse {
    let memberships = principal
        .memberships
        .iter()
        .map(|(organization_id, role)| OrganizationRole {
            organization_id: *organization_id,
            role: *role,
            permissions: Permissions::of(*role, principal.is_admin),
        })
        .collect();
    HttpResponse::Ok().json(Me {
        user_id: principal.user_id,
        display_name: principal.name,
        is_admin: principal.is_admin,
        memberships,
    })
}

/// Your settings.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// The language of the e-mails planspor sends you (reminders, digests).
    pub language: Language,
}

/// Your settings.
///
/// For any signed-in user: the language planspor writes to you in.
#[utoipa::path(tag = "users", security(("bearer" = [])), responses(
    (status = 200, description = "Your settings", body = Preferences),
    (status = 401, response = r::Unauthorized),
))]
#[get("/users/me/preferences")]
async fn get_my_preferences(
    principal: Principal,
    db: web::Data<Database>,
) -> Result<HttpResponse, ApiError> {
    let user = queries::find(&mut *db.conn().await?, principal.user_id).await?;
    Ok(HttpResponse::Ok().json(Preferences {
        language: user.language,
    }))
}

/// Change your settings.
///
/// For any signed-in user, for themselves only: `language` (`da` or `en`) is the language of the
/// reminders and digests planspor e-mails you from now on. Recorded in the audit trail.
#[utoipa::path(tag = "users", request_body = Preferences, security(("bearer" = [])), responses(
    (status = 200, description = "Your settings, as stored", body = Preferences),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 413, response = r::PayloadTooLarge),
    (status = 415, response = r::UnsupportedMediaType),
    (status = 422, response = r::Invalid),
))]
#[put("/users/me/preferences")]
async fn set_my_preferences(
    principal: Principal,
    db: web::Data<Database>,
    body: ApiJson<Preferences>,
) -> Result<HttpResponse, ApiError> {
    let language = body.0.language;
    let user_id = principal.user_id;
    let user = resource::in_transaction(
        &mut *db.conn().await?,
        &Actor::from(&principal),
        move |conn| {
            Box::pin(async move {
                let before = queries::find(conn, user_id).await?;
                let after = queries::set_language(conn, user_id, language).await?;
                let change = Change::updated(Entity::USER.name(), user_id.0, None, &before, &after);
                Ok(Recorded::new(after, change))
            })
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(Preferences {
        language: user.language,
    }))
}

/// List users (administrators only).
///
/// Anyone but an administrator gets 403. Returns a page (`items`, `next_cursor`); continue with
/// `cursor`.
#[utoipa::path(tag = "users", params(PageParams), security(("bearer" = [])), responses(
    (status = 200, description = "One page of users", body = Paginated<User>),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 403, response = r::Forbidden),
))]
#[get("/users")]
async fn list_users(
    principal: Principal,
    db: web::Data<Database>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    let page = params.parse()?;
    let rows = queries::list(&mut *db.conn().await?, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |u| u.id.0, |u| u)))
}

/// Register a user (administrators only).
///
/// Without `subject` the user signs in with planspor's own tokens; with it, as that subject of the
/// configured identity provider. Anyone but an administrator gets 403; an `email` or subject
/// already registered answers 409. Roles are granted separately, with `POST /memberships`.
#[utoipa::path(tag = "users", request_body = UserInput, security(("bearer" = [])), responses(
    (status = 201, description = "Created", body = User, headers(("Location" = String), ("ETag" = String))),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 403, response = r::Forbidden),
    (status = 409, response = r::Conflict),
    (status = 415, response = r::UnsupportedMediaType),
    (status = 422, response = r::Invalid),
))]
#[post("/users")]
async fn create_user(
    principal: Principal,
    db: web::Data<Database>,
    issuer: web::Data<Issuer>,
    body: ApiJson<UserInput>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    let user = body.0.parse(&issuer.0)?;
    let user = create(&mut *db.conn().await?, &Actor::from(&principal), user).await?;
    Ok(created(Entity::USER.location(user.id), &user))
}

/// Registers a user with its audit event: shared by the API and `planspor admin`.
pub async fn create(conn: &mut PgConn, actor: &Actor, user: NewUser) -> Result<User, ApiError> {
    resource::in_transaction(conn, actor, |conn| {
        Box::pin(async move {
            let user = queries::insert(conn, user).await?;
            let change = Change::created(Entity::USER.name(), user.id.0, None, &user);
            Ok(Recorded::new(user, change))
        })
    })
    .await
}

/// Get one user (administrators only).
///
/// Anyone but an administrator gets 403, whether or not the user exists.
#[utoipa::path(tag = "users", params(("user_id" = UserId, Path, description = "User id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "The user", body = User, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
    ))]
#[get("/users/{user_id}")]
async fn get_user(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    principal.ensure_admin()?;
    Ok(ok(&queries::find(&mut *db.conn().await?, *id).await?))
}
