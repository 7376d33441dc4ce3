//! GET /comparisons/indicators.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, Row};
use super::{Shown, SmallCountThreshold, anonymous_median, shown};
use crate::auth::Principal;
use crate::db::Database;
use crate::domain::{Health, IndicatorId, OrganizationId, PlanId, Role, Unit};
use crate::error::ApiError;
use crate::measurements::Measurement;
use crate::openapi::responses as r;
use crate::progress::{Context, Thresholds, indicator_progress};
use crate::query::ApiQuery;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(compare_indicator);
}

/// Which template indicator to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonParams {
    /// The template indicator's key, e.g. `notifications_assessed_24h`.
    pub template_key: String,
}

/// One municipality's latest value (consultants' view).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MunicipalityValue {
    /// The municipality.
    pub organization_id: OrganizationId,
    /// Its name.
    pub organization_name: String,
    /// The plan the value comes from (the municipality's newest plan with the indicator).
    pub plan_id: PlanId,
    /// The indicator there.
    pub indicator_id: IndicatorId,
    /// The latest value.
    pub latest: Shown,
    /// Its status.
    pub status: Health,
}

/// A municipality's own value against the others (editors' and viewers' view).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnComparison {
    /// Your municipality's value.
    pub own: MunicipalityValue,
    /// How many other municipalities have a value.
    pub others_with_a_value: usize,
    /// The median of their latest values (`null` when fewer than 3, to keep them anonymous).
    pub others_median: Shown,
}

/// The comparison, in the view the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorComparison {
    /// The template indicator.
    pub template_key: String,
    /// Counts below this are not shown.
    pub small_count_threshold: u32,
    /// For consultants (and administrators): each municipality assigned to them.
    pub municipalities: Vec<MunicipalityValue>,
    /// For editors and viewers: their own municipality against the others.
    pub own: Vec<OwnComparison>,
}

/// One value per municipality: from its newest plan with the indicator.
fn latest_per_municipality(
    rows: Vec<Row>,
    values: &[Measurement],
    threshold: u32,
) -> Vec<(MunicipalityValue, Option<f64>, Unit)> {
    let today = Utc::now().date_naive();
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (indicator, plan, name) in rows {
        if seen.insert(plan.organization_id, ()).is_some() {
            continue;
        }
        let own_values: Vec<&Measurement> = values
            .iter()
            .filter(|m| m.indicator_id == indicator.id)
            .collect();
        let context = Context {
            as_of: today,
            plan_start: plan.period_start,
            plan_end: plan.period_end,
            thresholds: Thresholds {
                green: plan.green_threshold,
                amber: plan.amber_threshold,
            },
        };
        let progress = indicator_progress(&indicator, &own_values, context);
        let raw = progress.latest.as_ref().map(|l| l.value);
        out.push((
            MunicipalityValue {
                organization_id: plan.organization_id,
                organization_name: name,
                plan_id: plan.id,
                indicator_id: indicator.id,
                latest: shown(raw, indicator.unit, threshold),
                status: progress.status,
            },
            raw,
            indicator.unit,
        ));
    }
    out
}

/// One template indicator across municipalities.
///
/// Consultants see each of their municipalities (administrators: every municipality); editors
/// and viewers their own value against the anonymised median of the others, given only when at
/// least three others have a value. Counts below the small-count threshold are not shown. Each
/// municipality's value comes from its newest plan with the indicator.
#[utoipa::path(tag = "progress", params(ComparisonParams), security(("bearer" = [])), responses(
    (status = 200, description = "The comparison", body = IndicatorComparison),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
))]
#[get("/comparisons/indicators")]
async fn compare_indicator(
    principal: Principal,
    db: web::Data<Database>,
    threshold: web::Data<SmallCountThreshold>,
    params: ApiQuery<ComparisonParams>,
) -> Result<HttpResponse, ApiError> {
    let (rows, values) = queries::load(&mut *db.conn().await?, &params.template_key).await?;
    let all = latest_per_municipality(rows, &values, threshold.0);
    let consults = |organization: OrganizationId| {
        principal.is_admin || principal.role_in(organization) == Some(Role::Consultant)
    };
    let municipalities = all
        .iter()
        .filter(|(v, _, _)| consults(v.organization_id))
        .map(|(v, _, _)| v.clone())
        .collect();
    let own = all
        .iter()
        .filter(|(v, _, _)| {
            !consults(v.organization_id) && principal.role_in(v.organization_id).is_some()
        })
        .map(|(own, _, unit)| {
            let others: Vec<f64> = all
                .iter()
                .filter(|(v, _, _)| v.organization_id != own.organization_id)
                .filter_map(|(_, raw, _)| *raw)
                .collect();
            OwnComparison {
                own: own.clone(),
                others_with_a_value: others.len(),
                others_median: shown(anonymous_median(others.clone()), *unit, threshold.0),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(IndicatorComparison {
        template_key: params.template_key.clone(),
        small_count_threshold: threshold.0,
        municipalities,
        own,
    }))
}
