//! HTTP handlers for recommendations.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{
    Answers, Recommendation, RecommendationInput, RecommendationPatch, RecommendationRow, queries,
};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, created, no_content, ok};
use crate::db::{Database, PgConn};
use crate::domain::{PlanId, RecommendationId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::plans;
use crate::progress::load_plan_data;
use crate::query::ApiQuery;
use crate::resource::{self, Resource, Scoped};

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_recommendations)
        .service(create_recommendation)
        .service(get_recommendation)
        .service(update_recommendation)
        .service(delete_recommendation);
}

/// The recommendations `rows` of `plan`, with what answers them and their status as of today.
async fn completed(
    conn: &mut PgConn,
    plan: PlanId,
    rows: Vec<RecommendationRow>,
) -> Result<Vec<Recommendation>, ApiError> {
    let data = load_plan_data(conn, plan).await?;
    let focus_areas = queries::focus_areas_of_plan(conn, plan).await?;
    let answers = Answers::of(&data, Utc::now().date_naive());
    Ok(rows
        .into_iter()
        .map(|row| Recommendation::new(row, &focus_areas, &answers))
        .collect())
}

/// One recommendation as it is now, with what answers it and its status.
async fn complete(conn: &mut PgConn, row: RecommendationRow) -> Result<Recommendation, ApiError> {
    let plan = row.plan_id;
    completed(conn, plan, vec![row])
        .await?
        .pop()
        .ok_or(ApiError::NotFound(Recommendation::ENTITY.label()))
}

/// The recommendation with `id`, complete, behind its access check.
async fn find_scoped(
    conn: &mut PgConn,
    id: RecommendationId,
) -> Result<Scoped<Recommendation>, ApiError> {
    let (row, organization) = queries::find(conn, id).await?;
    let recommendation = complete(conn, row).await?;
    Ok(Scoped::new(
        Recommendation::ENTITY,
        recommendation,
        organization,
    ))
}

/// List a plan's recommendations in number order.
///
/// Each with the focus areas it concerns, the initiatives and indicators that answer it and its
/// status as of today. For anyone who may read the plan; another municipality's plan answers 404,
/// as one that does not exist. Returns a page (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "recommendations", params(("plan_id" = PlanId, Path, description = "Plan id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of recommendations", body = Paginated<Recommendation>),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/recommendations")]
async fn list_recommendations(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let mut conn = db.conn().await?;
    plans::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let rows = queries::list(&mut conn, *id, page).await?;
    let items = completed(&mut conn, *id, rows).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(items, page, |r| r.id.0, |r| r)))
}

/// Add a recommendation of the Task Force's analysis to a plan.
///
/// Consultants assigned to the plan's municipality and administrators only; editors and viewers
/// get 403. A `number` the plan already has answers 409, and `focus_area_ids` must be focus
/// areas of the same plan (422). After approval this makes a plan revision.
#[utoipa::path(tag = "recommendations", request_body = RecommendationInput,
    params(("plan_id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Recommendation, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/plans/{plan_id}/recommendations")]
async fn create_recommendation(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<RecommendationInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let parent = plans::find_scoped(&mut conn, *id)
        .await?
        .writable_by_task_force(&principal)?;
    let fields = body.0.parse()?;
    let plan = parent.row.id;
    let row = resource::create(&mut conn, &principal, parent.organization, move |conn| {
        Box::pin(async move {
            let row = queries::insert(conn, plan, fields).await?;
            complete(conn, row).await
        })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Get one recommendation.
///
/// With what answers it and its status, computed from the plan's initiatives, indicators and
/// measurements as of today. For anyone who may read the plan; another municipality's
/// recommendation answers 404, as one that does not exist. The ETag is for `If-Match` only: it
/// does not cover the computed status, so this never answers 304.
#[utoipa::path(tag = "recommendations", params(("recommendation_id" = RecommendationId, Path, description = "Recommendation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The recommendation", body = Recommendation, headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/recommendations/{recommendation_id}")]
async fn get_recommendation(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<RecommendationId>,
) -> Result<HttpResponse, ApiError> {
    let row = find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(ok(&row))
}

/// Change a recommendation (consultants and administrators only).
///
/// Changes only the fields you send; its status is computed, not set. Consultants assigned to
/// the plan's municipality and administrators; editors and viewers get 403, and a `number` the
/// plan already has answers 409. Send the ETag you read in `If-Match` (428 without it, 412 when
/// stale).
#[utoipa::path(tag = "recommendations", request_body = RecommendationPatch,
    params(("recommendation_id" = RecommendationId, Path, description = "Recommendation id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Recommendation, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/recommendations/{recommendation_id}")]
async fn update_recommendation(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<RecommendationId>,
    if_match: IfMatch,
    body: ApiJson<RecommendationPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = find_scoped(&mut conn, *id)
        .await?
        .changeable_by_task_force(&principal, if_match)?;
    let fields = body.0.apply_to(&current.row).parse()?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(async move {
            let row =
                queries::update(conn, before.id, before.plan_id, before.version, fields).await?;
            complete(conn, row).await
        })
    })
    .await?;
    Ok(ok(&row))
}

/// Delete a recommendation (consultants and administrators only).
///
/// The initiatives and indicators that answered it stay, no longer linked to it. After approval
/// this makes a plan revision. Editors and viewers get 403. Send the ETag you read in `If-Match`
/// (428 without it, 412 when stale).
#[utoipa::path(tag = "recommendations",
    params(("recommendation_id" = RecommendationId, Path, description = "Recommendation id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/recommendations/{recommendation_id}")]
async fn delete_recommendation(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<RecommendationId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current = find_scoped(&mut conn, *id)
        .await?
        .changeable_by_task_force(&principal, if_match)?;
    resource::delete(&mut conn, &principal, current, |conn, row| {
        Box::pin(queries::delete(conn, row.id, row.version))
    })
    .await?;
    Ok(no_content())
}
