//! HTTP handlers for /plans/{plan_id}/transitions.

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{PlanTransition, TransitionInput, queries};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::db::Database;
use crate::domain::{PlanId, PlanStatus};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::Paginated;
use crate::plans;
use crate::plans::lifecycle::{allowed_from, may_move_to};
use crate::resource::{self, Entity, Recorded};
use crate::revisions;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(list_transitions).service(transition_plan);
}

/// The plan's transitions so far, oldest first.
///
/// Each with who moved it and when, and the reason for a return to draft or the committee's
/// decision for an adoption. Every transition in one page. For anyone who may read the plan;
/// another municipality's plan answers 404, as one that does not exist.
#[utoipa::path(tag = "plans", params(("plan_id" = PlanId, Path, description = "Plan id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "Every transition of the plan", body = Paginated<PlanTransition>),
        r::ReadErrors,
    ))]
#[get("/plans/{plan_id}/transitions")]
async fn list_transitions(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let plan = plans::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    Ok(HttpResponse::Ok().json(Paginated::complete(
        queries::list(&mut conn, plan.id).await?,
    )))
}

/// Move the plan to its next status.
///
/// `submitted` (editor or consultant), `approved` (consultant only), `adopted` (with the
/// committee, meeting date and decision), `active`, `closed` (only with a published final status
/// report); or back to `draft` from `submitted`, with a reason. An illegal transition answers 409
/// listing the allowed ones. Only a consultant assigned to the municipality approves (an
/// administrator who is not one gets 403 too); viewers get 403 for every move, and another
/// municipality's plan answers 404. Approval records revision 1 of the plan.
#[utoipa::path(tag = "plans", request_body = TransitionInput,
    params(("plan_id" = PlanId, Path, description = "Plan id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Moved; the recorded transition", body = PlanTransition),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/plans/{plan_id}/transitions")]
async fn transition_plan(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    body: ApiJson<TransitionInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let plan = plans::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let (to, details) = body.0.parse()?;
    may_move_to(
        to,
        principal.role_in(plan.organization_id),
        principal.is_admin,
    )?;
    let allowed = allowed_from(plan.status);
    if !allowed.contains(&to) {
        return Err(ApiError::IllegalTransition {
            from: plan.status,
            to,
            allowed: allowed.to_vec(),
        });
    }
    if to == PlanStatus::Closed && !queries::has_published_final_report(&mut conn, plan.id).await? {
        return Err(ApiError::Conflict(
            "A plan closes only with a published final status report.".into(),
        ));
    }
    let actor = Actor::from(&principal);
    let transition = resource::in_transaction(&mut conn, &actor.clone(), move |conn| {
        Box::pin(async move {
            let moved = queries::move_plan(conn, &plan, to).await?.ok_or_else(|| {
                ApiError::Conflict("The plan's status changed meanwhile; read it again.".into())
            })?;
            let transition = queries::insert(conn, &plan, to, &actor, details).await?;
            if to == PlanStatus::Approved {
                // Revision 1 is the structure as approved.
                revisions::record(conn, plan.id, &actor, "approved".into()).await?;
            }
            let change = Change::transitioned(
                Entity::PLAN.name(),
                plan.id.0,
                Some(plan.organization_id),
                &plan,
                &moved,
            );
            Ok(Recorded::new(transition, change))
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(transition))
}
