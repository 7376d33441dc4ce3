//! Loading what a plan's progress is computed from: a fixed number of statements.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::PgConn;
use crate::db::schema::{focus_areas, indicators, initiatives, measurements, recommendations};
use crate::domain::{PlanId, RecommendationId, Theme};
use crate::error::ApiError;
use crate::focus_areas::FocusArea;
use crate::indicators::Indicator;
use crate::initiatives::Initiative;
use crate::measurements::Measurement;
use crate::plans::{Plan, find};

/// A plan with everything its progress depends on.
#[derive(Debug, Clone)]
pub struct PlanData {
    /// The plan.
    pub plan: Plan,
    /// Its focus areas in position order.
    pub focus_areas: Vec<FocusArea>,
    /// Its initiatives.
    pub initiatives: Vec<Initiative>,
    /// Its indicators.
    pub indicators: Vec<Indicator>,
    /// Every value of its indicators.
    pub measurements: Vec<Measurement>,
    /// The recommendations of its analysis, in number order.
    pub recommendations: Vec<RecommendationOutline>,
}

/// A recommendation as progress sees it; what answers it is on the
/// initiatives' and indicators' `recommendation_ids`.
#[derive(Debug, Clone, diesel::prelude::Queryable)]
pub struct RecommendationOutline {
    /// Its id.
    pub id: RecommendationId,
    /// Its number in the analysis.
    pub number: i32,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub theme: Theme,
}

impl PlanData {
    /// Whether an initiative or indicator of the plan answers `recommendation`.
    pub fn is_answered(&self, recommendation: RecommendationId) -> bool {
        self.initiatives
            .iter()
            .any(|i| i.recommendation_ids.contains(&recommendation))
            || self
                .indicators
                .iter()
                .any(|i| i.recommendation_ids.contains(&recommendation))
    }
}

/// Loads the plan's data in six statements, whatever its size.
pub async fn load_plan_data(conn: &mut PgConn, plan_id: PlanId) -> Result<PlanData, ApiError> {
    let plan = find(conn, plan_id).await?;
    let focus_areas = focus_areas::table
        .filter(focus_areas::plan_id.eq(plan_id))
        .order(focus_areas::position)
        .select(FocusArea::as_select())
        .load(conn)
        .await?;
    let initiatives = initiatives::table
        .filter(initiatives::plan_id.eq(plan_id))
        .order(initiatives::id)
        .select(Initiative::as_select())
        .load(conn)
        .await?;
    let indicators = indicators::table
        .filter(indicators::plan_id.eq(plan_id))
        .order(indicators::id)
        .select(Indicator::as_select())
        .load(conn)
        .await?;
    let measurements = measurements::table
        .inner_join(indicators::table)
        .filter(indicators::plan_id.eq(plan_id))
        .order(measurements::period_end)
        .select(Measurement::as_select())
        .load(conn)
        .await?;
    let recommendations = recommendations::table
        .filter(recommendations::plan_id.eq(plan_id))
        .order(recommendations::number)
        .select((
            recommendations::id,
            recommendations::number,
            recommendations::title,
            recommendations::theme,
        ))
        .load(conn)
        .await?;
    Ok(PlanData {
        plan,
        focus_areas,
        initiatives,
        indicators,
        measurements,
        recommendations,
    })
}
