//! HTTP handlers for progress notes.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ProgressNote, ProgressNoteInput, ProgressNotePatch, queries};
use crate::audit::Actor;
use crate::auth::Principal;
use crate::concurrency::{IfMatch, IfNoneMatch, created, no_content, ok};
use crate::db::Database;
use crate::domain::{InitiativeId, ProgressNoteId};
use crate::error::ApiError;
use crate::initiatives;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::resource::{self, Owned, Resource};

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_progress_notes)
        .service(create_progress_note)
        .service(get_progress_note)
        .service(update_progress_note)
        .service(delete_progress_note);
}

/// List an initiative's progress notes.
///
/// Oldest first, for anyone who may read the plan; another municipality's initiative answers
/// 404, as one that does not exist. Returns a page (`items`, `next_cursor`); continue with
/// `cursor`.
#[utoipa::path(tag = "progress_notes", params(("initiative_id" = InitiativeId, Path, description = "Initiative id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of progress notes", body = Paginated<ProgressNote>),
        r::ListErrors,
    ))]
#[get("/initiatives/{initiative_id}/progress-notes")]
async fn list_progress_notes(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    initiatives::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let rows = queries::list(&mut conn, *id, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |row| row.id.0, |row| row)))
}

/// Create a progress note under an initiative.
///
/// The signed-in user is recorded as its author. Editors and consultants of the plan's
/// municipality (and administrators) may write one; viewers get 403.
#[utoipa::path(tag = "progress_notes", request_body = ProgressNoteInput,
    params(("initiative_id" = InitiativeId, Path, description = "Initiative id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ProgressNote, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/initiatives/{initiative_id}/progress-notes")]
async fn create_progress_note(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<InitiativeId>,
    body: ApiJson<ProgressNoteInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: parent,
        organization,
    } = initiatives::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    let fields = body.0.parse()?;
    let author = Actor::from(&principal);
    let row = resource::create(&mut conn, &principal, organization, move |conn| {
        Box::pin(async move { queries::insert(conn, &parent, fields, &author).await })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Get one progress note.
///
/// For anyone who may read its plan; another municipality's progress note answers 404, as one
/// that does not exist. Answers 304 when `If-None-Match` holds the current ETag.
#[utoipa::path(tag = "progress_notes", params(("progress_note_id" = ProgressNoteId, Path, description = "Progress note id"), r::IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The progress note", body = ProgressNote, headers(("ETag" = String))),
        (status = 304, description = "Not modified: you have this version (If-None-Match)", headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/progress-notes/{progress_note_id}")]
async fn get_progress_note(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<ProgressNoteId>,
    cached: IfNoneMatch,
) -> Result<HttpResponse, ApiError> {
    let row = queries::find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(cached.ok(&row))
}

/// Change a progress note.
///
/// Only its author (or an administrator) may change it: a note is its author's words, so another
/// editor or consultant gets 403, as does a viewer. Send the ETag you read in `If-Match` (428
/// without it, 412 when stale).
#[utoipa::path(tag = "progress_notes", request_body = ProgressNotePatch,
    params(("progress_note_id" = ProgressNoteId, Path, description = "Progress note id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = ProgressNote, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/progress-notes/{progress_note_id}")]
async fn update_progress_note(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<ProgressNoteId>,
    if_match: IfMatch,
    body: ApiJson<ProgressNotePatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    current.row.ensure_author(&principal)?;
    if_match.check(current.row.version)?;
    let fields = body.0.apply_to(&current.row).parse()?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(queries::update(conn, before.id, before.version, fields))
    })
    .await?;
    Ok(ok(&row))
}

/// Delete a progress note.
///
/// Only its author (or an administrator) may delete it; another editor or consultant gets 403,
/// as does a viewer. Send the ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "progress_notes",
    params(("progress_note_id" = ProgressNoteId, Path, description = "Progress note id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/progress-notes/{progress_note_id}")]
async fn delete_progress_note(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<ProgressNoteId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = queries::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    current.row.ensure_author(&principal)?;
    if_match.check(current.row.version)?;
    resource::delete(&mut conn, &principal, current, |conn, row| {
        Box::pin(queries::delete(conn, row.id, row.version))
    })
    .await?;
    Ok(no_content())
}
