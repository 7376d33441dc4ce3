//! HTTP handlers for /plans/{plan_id}/revisions.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Revision, RevisionDiff, diff, queries};
use crate::auth::Principal;
use crate::db::Database;
use crate::domain::PlanId;
use crate::error::ApiError;
use crate::openapi::responses as r;
use crate::pagination::Paginated;
use crate::plans;
use crate::query::ApiQuery;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_revisions).service(diff_revisions);
}

/// The plan's revisions since approval, oldest first.
///
/// Revision 1 is the structure as approved; each focus area, initiative, indicator or
/// recommendation added or removed since makes the next one. Every revision in one page; empty
/// before approval. For anyone who may read the plan; another municipality's plan answers 404,
/// as one that does not exist.
#[utoipa::path(tag = "plans", params(("plan_id" = PlanId, Path, description = "Plan id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "Every revision", body = Paginated<Revision>),
        r::ReadErrors,
    ))]
#[get("/plans/{plan_id}/revisions")]
async fn list_revisions(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let plan = plans::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let revisions = queries::list(&mut conn, plan.id).await?;
    Ok(HttpResponse::Ok().json(Paginated::complete(revisions)))
}

/// The two revisions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The older revision's number.
    pub from: i32,
    /// The newer revision's number.
    pub to: i32,
}

/// What was added, removed and changed between two revisions.
///
/// `from` and `to` are revision numbers of this plan; one it does not have answers 404. For
/// anyone who may read the plan; another municipality's plan answers 404, as one that does not
/// exist.
#[utoipa::path(tag = "plans", params(("plan_id" = PlanId, Path, description = "Plan id"), DiffParams), security(("bearer" = [])),
    responses(
        (status = 200, description = "The differences", body = RevisionDiff),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/revisions/diff")]
async fn diff_revisions(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    params: ApiQuery<DiffParams>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let plan = plans::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let from = queries::stored_structure(&mut conn, plan.id, params.from).await?;
    let to = queries::stored_structure(&mut conn, plan.id, params.to).await?;
    Ok(HttpResponse::Ok().json(diff(params.from, &from, params.to, &to)))
}
