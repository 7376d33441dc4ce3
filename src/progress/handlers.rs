//! HTTP handlers for computed progress and the attention list.

use actix_web::{HttpResponse, get, web};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{
    Context, Health, IndicatorProgress, PlanData, PlanProgress, is_overdue, load_plan_data,
    plan_progress,
};
use crate::auth::Principal;
use crate::db::Database;
use crate::domain::{FocusAreaId, IndicatorId, PlanId};
use crate::error::ApiError;
use crate::indicators;
use crate::openapi::responses as r;
use crate::pagination::Paginated;
use crate::query::ApiQuery;
use crate::resource::Entity;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(get_plan_progress)
        .service(get_indicator_progress)
        .service(get_attention);
}

/// The date to compute for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// Compute as of this date (YYYY-MM-DD); today when absent. Values after it are ignored.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub as_of: Option<NaiveDate>,
}

/// The computation context of a plan as of `as_of` (today when absent).
pub fn context(data: &PlanData, as_of: Option<NaiveDate>) -> Context {
    Context::of(data, as_of.unwrap_or_else(|| Utc::now().date_naive()))
}

/// Every indicator's progress and status, rolled up per focus area and for the plan.
///
/// Computed as of `as_of` (today when absent) against the plan's green and amber thresholds;
/// values after that date are ignored. For anyone who may read the plan; another municipality's
/// plan answers 404, as one that does not exist.
#[utoipa::path(tag = "progress", params(("plan_id" = PlanId, Path, description = "Plan id"), AsOf), security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan's progress", body = PlanProgress),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/progress")]
async fn get_plan_progress(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    as_of: ApiQuery<AsOf>,
) -> Result<HttpResponse, ApiError> {
    let data = load_plan_data(&mut *db.conn().await?, *id).await?;
    principal.ensure_read(data.plan.organization_id, Entity::PLAN.label())?;
    Ok(HttpResponse::Ok().json(plan_progress(&data, context(&data, as_of.as_of))))
}

/// One indicator's series, progress toward its target and status.
///
/// Computed as of `as_of` (today when absent); values after that date are ignored. For anyone
/// who may read the plan; another municipality's indicator answers 404, as one that does not
/// exist.
#[utoipa::path(tag = "progress", params(("indicator_id" = IndicatorId, Path, description = "Indicator id"), AsOf),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The indicator's progress", body = IndicatorProgress),
        r::ListErrors,
    ))]
#[get("/indicators/{indicator_id}/progress")]
async fn get_indicator_progress(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<IndicatorId>,
    as_of: ApiQuery<AsOf>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let indicator = indicators::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let data = load_plan_data(&mut conn, indicator.plan_id).await?;
    let values: Vec<_> = data
        .measurements
        .iter()
        .filter(|m| m.indicator_id == indicator.id)
        .collect();
    Ok(HttpResponse::Ok().json(super::indicator_progress(
        &indicator,
        &values,
        context(&data, as_of.as_of),
    )))
}

/// Why something needs action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttentionKind {
    /// An indicator with a period that ended without a value.
    StaleIndicator,
    /// An indicator well behind its expected progress.
    RedIndicator,
    /// An initiative past its due date and not done.
    OverdueInitiative,
    /// A recommendation of the analysis that no initiative or indicator answers.
    UnaddressedRecommendation,
}

/// One thing that needs action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttentionItem {
    /// What kind.
    pub kind: AttentionKind,
    /// The indicator's or initiative's id.
    pub id: Uuid,
    /// Its name or title.
    pub title: String,
    /// Its focus area, if any.
    pub focus_area_id: Option<FocusAreaId>,
    /// Why it needs action.
    pub why: String,
}

/// What needs action in the plan.
///
/// Stale and red indicators, overdue initiatives and recommendations nothing answers, most
/// urgent kinds first, as of `as_of` (today when absent); every item in one page. For anyone who
/// may read the plan; another municipality's plan answers 404, as one that does not exist.
#[utoipa::path(tag = "progress", params(("plan_id" = PlanId, Path, description = "Plan id"), AsOf), security(("bearer" = [])),
    responses(
        (status = 200, description = "What needs action, most urgent kinds first", body = Paginated<AttentionItem>),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/attention")]
async fn get_attention(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    as_of: ApiQuery<AsOf>,
) -> Result<HttpResponse, ApiError> {
    let data = load_plan_data(&mut *db.conn().await?, *id).await?;
    principal.ensure_read(data.plan.organization_id, Entity::PLAN.label())?;
    let context = context(&data, as_of.as_of);
    Ok(HttpResponse::Ok().json(Paginated::complete(attention(
        &data,
        &plan_progress(&data, context),
        context.as_of,
    ))))
}

fn attention(data: &PlanData, progress: &PlanProgress, as_of: NaiveDate) -> Vec<AttentionItem> {
    let indicators = progress
        .focus_areas
        .iter()
        .flat_map(|area| {
            area.indicators
                .iter()
                .map(move |i| (Some(area.focus_area_id), i))
        })
        .chain(progress.indicators.iter().map(|i| (None, i)));
    let mut items: Vec<AttentionItem> = indicators
        .filter_map(|(focus_area_id, indicator)| {
            let kind = match indicator.status {
                Health::Stale => AttentionKind::StaleIndicator,
                Health::Red => AttentionKind::RedIndicator,
                _ => return None,
            };
            Some(AttentionItem {
                kind,
                id: indicator.indicator_id.0,
                title: indicator.name.clone(),
                focus_area_id,
                why: indicator.reason.clone(),
            })
        })
        .collect();
    items.extend(
        data.initiatives
            .iter()
            .filter(|i| is_overdue(i, as_of))
            .map(|initiative| AttentionItem {
                kind: AttentionKind::OverdueInitiative,
                id: initiative.id.0,
                title: initiative.title.clone(),
                focus_area_id: Some(initiative.focus_area_id),
                why: format!(
                    "Due {} and still {}.",
                    initiative
                        .due_date
                        .map_or_else(String::new, |d| d.to_string()),
                    initiative.status.as_str().replace('_', " ")
                ),
            }),
    );
    items.extend(
        data.recommendations
            .iter()
            .filter(|r| !data.is_answered(r.id))
            .map(|recommendation| AttentionItem {
                kind: AttentionKind::UnaddressedRecommendation,
                id: recommendation.id.0,
                title: format!(
                    "Anbefaling {}: {}",
                    recommendation.number, recommendation.title
                ),
                focus_area_id: None,
                why: "No initiative or indicator answers this recommendation.".into(),
            }),
    );
    items.sort_by_key(|item| match item.kind {
        AttentionKind::StaleIndicator => 0,
        AttentionKind::RedIndicator => 1,
        AttentionKind::OverdueInitiative => 2,
        AttentionKind::UnaddressedRecommendation => 3,
    });
    items
}
