//! SQL for progress notes.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{ProgressNote, ProgressNoteFields};
use crate::audit::Actor;
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::initiatives;
use crate::db::schema::plans;
use crate::db::schema::progress_notes::dsl as i;
use crate::domain::{InitiativeId, ProgressNoteId};
use crate::error::ApiError;
use crate::initiatives::Initiative;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The progress note with `id` and the organization that owns its plan, or 404.
pub async fn find_scoped(
    conn: &mut PgConn,
    id: ProgressNoteId,
) -> Result<Scoped<ProgressNote>, ApiError> {
    i::progress_notes
        .inner_join(initiatives::table.inner_join(plans::table))
        .filter(crate::db::schema::progress_notes::id.eq(id))
        .select((ProgressNote::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::PROGRESS_NOTE.label()))
        .map(|(row, organization)| Scoped::new(Entity::PROGRESS_NOTE, row, organization))
}

pub(super) async fn list(
    conn: &mut PgConn,
    initiative_id: InitiativeId,
    page: Page,
) -> Result<Vec<ProgressNote>, ApiError> {
    let mut query = i::progress_notes
        .filter(i::initiative_id.eq(initiative_id))
        .select(ProgressNote::as_select())
        .order(i::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(i::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(i::id.gt(ProgressNoteId(after)));
    }
    Ok(query.load(conn).await?)
}

pub(super) async fn insert(
    conn: &mut PgConn,
    initiative: &Initiative,
    fields: ProgressNoteFields,
    author: &Actor,
) -> Result<ProgressNote, ApiError> {
    Ok(diesel::insert_into(i::progress_notes)
        .values((
            i::id.eq(ProgressNoteId::new()),
            i::initiative_id.eq(initiative.id),
            i::author.eq(&author.name),
            i::author_id.eq(author.user_id),
            fields,
        ))
        .returning(ProgressNote::as_returning())
        .get_result(conn)
        .await?)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: ProgressNoteId,
    version: i32,
    fields: ProgressNoteFields,
) -> Result<ProgressNote, ApiError> {
    diesel::update(i::progress_notes.find(id).filter(i::version.eq(version)))
        .set(fields)
        .returning(ProgressNote::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: ProgressNoteId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(i::progress_notes.find(id).filter(i::version.eq(version)))
            .execute(conn)
            .await?,
    )
}
