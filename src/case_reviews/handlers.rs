//! HTTP handlers for case-review rounds and their criteria.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::criteria::{self, CriteriaSet};
use super::{CaseReview, CaseReviewInput, CaseReviewPatch, ReviewComparison, compare, queries};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, IfNoneMatch, created, no_content, ok};
use crate::db::{Database, PgConn};
use crate::domain::{CaseReviewId, PlanId, ReviewKind};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::plans::{self, Plan};
use crate::query::ApiQuery;
use crate::resource::{self, Owned, Resource, Scoped};

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_case_review_criteria)
        .service(list_case_reviews)
        .service(compare_case_reviews)
        .service(create_case_review)
        .service(get_case_review)
        .service(update_case_review)
        .service(delete_case_review);
}

/// The criteria sets rounds are reviewed against, each version.
///
/// Every set in one page (`next_cursor` is `null`), for any signed-in user. A round names the
/// set and the version it was reviewed against.
#[utoipa::path(tag = "case_reviews", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every criteria set", body = Paginated<CriteriaSet>),
        (status = 401, response = r::Unauthorized),
    ))]
#[get("/case-review-criteria")]
async fn list_case_review_criteria(_principal: Principal) -> HttpResponse {
    HttpResponse::Ok().json(Paginated::complete(criteria::all().to_vec()))
}

/// The plan, writable by whoever records rounds of `kind`: the Task Force's
/// own reviews by its consultants, the municipality's by editors and consultants.
fn writable_for(
    plan: Scoped<Plan>,
    kind: ReviewKind,
    principal: &Principal,
) -> Result<Owned<Plan>, ApiError> {
    if kind.is_task_force() {
        plan.writable_by_task_force(principal)
    } else {
        plan.writable_by(principal)
    }
}

/// The round with `id` behind its access check.
async fn find_scoped(conn: &mut PgConn, id: CaseReviewId) -> Result<Scoped<CaseReview>, ApiError> {
    queries::find_scoped(conn, id)
        .await?
        .try_map(|row| row.into_review())
}

/// List a plan's case-review rounds, oldest review first.
///
/// The Task Force's legal and social-work reviews and the municipality's own samples, by review
/// date. For anyone who may read the plan; another municipality's plan answers 404, as one that
/// does not exist. Returns a page (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "case_reviews", params(("plan_id" = PlanId, Path, description = "Plan id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of rounds", body = Paginated<CaseReview>),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/case-reviews")]
async fn list_case_reviews(
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
    let reviews = rows
        .into_iter()
        .map(super::CaseReviewRow::into_review)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(reviews, page, |r| r.id.0, |r| r)))
}

/// The two rounds to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonParams {
    /// The older round.
    pub from: CaseReviewId,
    /// The newer round.
    pub to: CaseReviewId,
}

/// Compare two case-review rounds of the plan side by side.
///
/// Per criterion both shares and the change in percentage points, or why a share is not
/// comparable. `from` and `to` must be rounds of this plan (404 otherwise). For anyone who may
/// read the plan; another municipality's plan answers 404, as one that does not exist.
#[utoipa::path(tag = "case_reviews", params(("plan_id" = PlanId, Path, description = "Plan id"), ComparisonParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The comparison", body = ReviewComparison),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/case-reviews/comparison")]
async fn compare_case_reviews(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    params: ApiQuery<ComparisonParams>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    plans::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let from = queries::find_in_plan(&mut conn, *id, params.from)
        .await?
        .into_review()?;
    let to = queries::find_in_plan(&mut conn, *id, params.to)
        .await?
        .into_review()?;
    Ok(HttpResponse::Ok().json(compare(&from, &to)))
}

/// Record a case-review round of a plan.
///
/// Per criterion how many cases met it, did not, or where it did not apply (aggregates only,
/// never a case). The Task Force's own reviews (`legal`, `social_work`) are recorded only by
/// consultants assigned to the municipality and administrators (editors get 403); a
/// `self_review` also by the municipality's editors. Viewers get 403.
#[utoipa::path(tag = "case_reviews", request_body = CaseReviewInput,
    params(("plan_id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = CaseReview, headers(("Location" = String), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/plans/{plan_id}/case-reviews")]
async fn create_case_review(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<CaseReviewInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let plan = plans::find_scoped(&mut conn, *id).await?;
    let parent = writable_for(plan, body.0.kind, &principal)?;
    let fields = body.0.parse()?;
    let plan_id = parent.row.id;
    let row = resource::create(&mut conn, &principal, parent.organization, move |conn| {
        Box::pin(async move { queries::insert(conn, plan_id, fields).await?.into_review() })
    })
    .await?;
    Ok(created(row.location(), &row))
}

/// Get one round.
///
/// For anyone who may read its plan; another municipality's round answers 404, as one that does
/// not exist. Answers 304 when `If-None-Match` holds the current ETag.
#[utoipa::path(tag = "case_reviews", params(("case_review_id" = CaseReviewId, Path, description = "Case-review round id"), r::IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The round", body = CaseReview, headers(("ETag" = String))),
        (status = 304, description = "Not modified: you have this version (If-None-Match)", headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/case-reviews/{case_review_id}")]
async fn get_case_review(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<CaseReviewId>,
    cached: IfNoneMatch,
) -> Result<HttpResponse, ApiError> {
    let row = find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(cached.ok(&row))
}

/// Change a round; its kind and criteria set stay.
///
/// Changes only the fields you send. A `legal` or `social_work` round is the Task Force's: only
/// consultants assigned to the municipality and administrators change it (editors get 403); a
/// `self_review` also its editors. Viewers get 403. Send the ETag you read in `If-Match` (428
/// without it, 412 when stale).
#[utoipa::path(tag = "case_reviews", request_body = CaseReviewPatch,
    params(("case_review_id" = CaseReviewId, Path, description = "Case-review round id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = CaseReview, headers(("ETag" = String))),
        r::ChangeErrors,
    ))]
#[patch("/case-reviews/{case_review_id}")]
async fn update_case_review(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<CaseReviewId>,
    if_match: IfMatch,
    body: ApiJson<CaseReviewPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current =
        find_scoped(&mut conn, *id)
            .await?
            .changeable_by_writer_of(&principal, if_match, |r| r.kind.is_task_force())?;
    let fields = body.0.apply_to(&current.row).parse()?;
    let row = resource::update(&mut conn, &principal, current, |conn, before| {
        Box::pin(async move {
            queries::update(conn, before.id, before.version, fields)
                .await?
                .into_review()
        })
    })
    .await?;
    Ok(ok(&row))
}

/// Delete a round.
///
/// A `legal` or `social_work` round only by consultants assigned to the municipality and
/// administrators (editors get 403); a `self_review` also by its editors. Viewers get 403. Send
/// the ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "case_reviews",
    params(("case_review_id" = CaseReviewId, Path, description = "Case-review round id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        r::DeleteErrors,
    ))]
#[delete("/case-reviews/{case_review_id}")]
async fn delete_case_review(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<CaseReviewId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let current =
        find_scoped(&mut conn, *id)
            .await?
            .changeable_by_writer_of(&principal, if_match, |r| r.kind.is_task_force())?;
    resource::delete(&mut conn, &principal, current, |conn, row| {
        Box::pin(queries::delete(conn, row.id, row.version))
    })
    .await?;
    Ok(no_content())
}
