//! SQL for users.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{NewUser, User};
use crate::db::PgConn;
use crate::db::schema::users::dsl as u;
use crate::domain::UserId;
use crate::error::ApiError;
use crate::pagination::Page;
use crate::resource::Entity;

/// The user with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: UserId) -> Result<User, ApiError> {
    u::users
        .find(id)
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::USER.label()))
}

/// The user with this id or e-mail address, or 404.
pub async fn find_by_id_or_email(conn: &mut PgConn, key: &str) -> Result<User, ApiError> {
    if let Ok(id) = uuid::Uuid::parse_str(key) {
        return find(conn, UserId(id)).await;
    }
    u::users
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = lower(")
                .bind::<diesel::sql_types::Text, _>(key)
                .sql(")"),
        )
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::USER.label()))
}

/// Users in id order.
pub async fn list(conn: &mut PgConn, page: Page) -> Result<Vec<User>, ApiError> {
    let mut query = u::users
        .select(User::as_select())
        .order(u::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(u::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(u::id.gt(UserId(after)));
    }
    Ok(query.load(conn).await?)
}

/// Inserts a user.
pub async fn insert(conn: &mut PgConn, user: NewUser) -> Result<User, ApiError> {
    Ok(diesel::insert_into(u::users)
        .values(user)
        .returning(User::as_returning())
        .get_result(conn)
        .await?)
}

/// Sets the language of the user's e-mails.
pub async fn set_language(
    conn: &mut PgConn,
    id: UserId,
    language: crate::domain::Language,
) -> Result<User, ApiError> {
    Ok(diesel::update(u::users.find(id))
        .set(u::language.eq(language))
        .returning(User::as_returning())
        .get_result(conn)
        .await?)
}
