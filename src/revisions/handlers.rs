//! HTTP handlers for /plans/{id}/revisions.

use actix_web::{HttpResponse, get, web};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Revision, RevisionDiff, StructureItem, diff};
use crate::auth::Principal;
use crate::db::Database;
use crate::db::schema::plan_revisions as rev;
use crate::domain::PlanId;
use crate::error::ApiError;
use crate::openapi::responses as r;
use crate::plans;
use crate::query::ApiQuery;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_revisions).service(diff_revisions);
}

/// The plan's revisions since approval, oldest first.
#[utoipa::path(tag = "plans", params(("id" = PlanId, Path, description = "Plan id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "Every revision", body = Vec<Revision>),
        r::ReadErrors,
    ))]
#[get("/plans/{id}/revisions")]
async fn list_revisions(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let plan = plans::find(&mut conn, *id).await?;
    principal.ensure_read(plan.organization_id, "plan")?;
    let revisions: Vec<Revision> = rev::table
        .filter(rev::plan_id.eq(plan.id))
        .order(rev::number)
        .select(Revision::as_select())
        .load(&mut conn)
        .await?;
    Ok(HttpResponse::Ok().json(revisions))
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
#[utoipa::path(tag = "plans", params(("id" = PlanId, Path, description = "Plan id"), DiffParams), security(("bearer" = [])),
    responses(
        (status = 200, description = "The differences", body = RevisionDiff),
        r::ListErrors,
    ))]
#[get("/plans/{id}/revisions/diff")]
async fn diff_revisions(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    params: ApiQuery<DiffParams>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let plan = plans::find(&mut conn, *id).await?;
    principal.ensure_read(plan.organization_id, "plan")?;
    let mut load = async |number: i32| -> Result<Vec<StructureItem>, ApiError> {
        let structure: serde_json::Value = rev::table
            .filter(rev::plan_id.eq(plan.id).and(rev::number.eq(number)))
            .select(rev::structure)
            .first(&mut conn)
            .await
            .optional()?
            .ok_or(ApiError::NotFound("revision"))?;
        serde_json::from_value(structure)
            .map_err(|e| ApiError::Internal(format!("a stored revision does not parse: {e}")))
    };
    let from = load(params.from).await?;
    let to = load(params.to).await?;
    Ok(HttpResponse::Ok().json(diff(params.from, &from, params.to, &to)))
}
