//! The whole plan in one response, loaded with a fixed number of statements
//! (plan, focus areas, initiatives, indicators, latest measurements) and
//! assembled in memory, so its cost does not grow with the plan.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::PgConn;
use crate::db::schema::{focus_areas, indicators, initiatives};
use crate::domain::{FocusAreaId, IndicatorId, InitiativeId, PlanId};
use crate::error::ApiError;
use crate::focus_areas::FocusArea;
use crate::indicators::Indicator;
use crate::initiatives::Initiative;
use crate::measurements::{Measurement, latest_for_plan};
use crate::plans::{Plan, find};

/// A plan with everything under it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanTree {
    /// The plan.
    #[serde(flatten)]
    pub plan: Plan,
    /// Its focus areas in position order.
    pub focus_areas: Vec<FocusAreaNode>,
    /// Indicators tied to neither a focus area nor an initiative.
    pub indicators: Vec<IndicatorNode>,
}

/// A focus area with its initiatives and indicators.
#[derive(Debug, Serialize, ToSchema)]
pub struct FocusAreaNode {
    /// The focus area.
    #[serde(flatten)]
    pub focus_area: FocusArea,
    /// Its initiatives in creation order.
    pub initiatives: Vec<InitiativeNode>,
    /// Indicators tied to the focus area but to none of its initiatives.
    pub indicators: Vec<IndicatorNode>,
}

/// An initiative with its indicators.
#[derive(Debug, Serialize, ToSchema)]
pub struct InitiativeNode {
    /// The initiative.
    #[serde(flatten)]
    pub initiative: Initiative,
    /// Indicators tied to the initiative.
    pub indicators: Vec<IndicatorNode>,
}

/// An indicator with its most recent value.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorNode {
    /// The indicator.
    #[serde(flatten)]
    pub indicator: Indicator,
    /// The value with the latest `period_end`, if any.
    pub latest_measurement: Option<Measurement>,
}

/// Loads the tree of plan `id`: five statements, whatever its size.
pub async fn load(conn: &mut PgConn, id: PlanId) -> Result<PlanTree, ApiError> {
    let plan = find(conn, id).await?;
    let focus_area_rows: Vec<FocusArea> = focus_areas::table
        .filter(focus_areas::plan_id.eq(id))
        .order(focus_areas::position)
        .select(FocusArea::as_select())
        .load(conn)
        .await?;
    let initiative_rows: Vec<Initiative> = initiatives::table
        .filter(initiatives::plan_id.eq(id))
        .order(initiatives::id)
        .select(Initiative::as_select())
        .load(conn)
        .await?;
    let indicator_rows: Vec<Indicator> = indicators::table
        .filter(indicators::plan_id.eq(id))
        .order(indicators::id)
        .select(Indicator::as_select())
        .load(conn)
        .await?;
    let latest = latest_for_plan(conn, id).await?;
    Ok(assemble(
        plan,
        focus_area_rows,
        initiative_rows,
        indicator_rows,
        latest,
    ))
}

/// Hangs each indicator under its initiative, else its focus area, else the plan.
fn assemble(
    plan: Plan,
    focus_area_rows: Vec<FocusArea>,
    initiative_rows: Vec<Initiative>,
    indicator_rows: Vec<Indicator>,
    latest: Vec<Measurement>,
) -> PlanTree {
    let mut latest: HashMap<IndicatorId, Measurement> =
        latest.into_iter().map(|m| (m.indicator_id, m)).collect();
    let mut by_initiative: HashMap<InitiativeId, Vec<IndicatorNode>> = HashMap::new();
    let mut by_focus_area: HashMap<FocusAreaId, Vec<IndicatorNode>> = HashMap::new();
    let mut plan_level = Vec::new();
    for indicator in indicator_rows {
        let node = IndicatorNode {
            latest_measurement: latest.remove(&indicator.id),
            indicator,
        };
        match (node.indicator.initiative_id, node.indicator.focus_area_id) {
            (Some(initiative), _) => by_initiative.entry(initiative).or_default().push(node),
            (None, Some(focus_area)) => by_focus_area.entry(focus_area).or_default().push(node),
            (None, None) => plan_level.push(node),
        }
    }
    let mut initiatives_by_focus_area: HashMap<FocusAreaId, Vec<InitiativeNode>> = HashMap::new();
    for initiative in initiative_rows {
        let indicators = by_initiative.remove(&initiative.id).unwrap_or_default();
        initiatives_by_focus_area
            .entry(initiative.focus_area_id)
            .or_default()
            .push(InitiativeNode {
                initiative,
                indicators,
            });
    }
    let focus_areas = focus_area_rows
        .into_iter()
        .map(|focus_area| FocusAreaNode {
            initiatives: initiatives_by_focus_area
                .remove(&focus_area.id)
                .unwrap_or_default(),
            indicators: by_focus_area.remove(&focus_area.id).unwrap_or_default(),
            focus_area,
        })
        .collect();
    PlanTree {
        plan,
        focus_areas,
        indicators: plan_level,
    }
}
