//! What changed between two published status reports of a plan: compared from
//! their frozen snapshots, so it is what the committee was shown each time.

use serde::Serialize;
use utoipa::ToSchema;

use super::snapshot::{ReportSnapshot, SnapshotFocusArea};
use crate::domain::{
    FocusAreaId, Health, IndicatorId, InitiativeId, InitiativeStatus, RecommendationId,
    RecommendationStatus, StatusReportId,
};
use crate::progress::IndicatorProgress;

/// The differences between a report and the previous published one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportChanges {
    /// This report.
    pub report_id: StatusReportId,
    /// The previous published report of the plan (`null`: this is the first).
    pub previous_report_id: Option<StatusReportId>,
    /// Focus areas whose status changed (or are new).
    pub focus_areas: Vec<StatusChange>,
    /// Indicators whose latest value or status changed (or are new).
    pub indicators: Vec<IndicatorMovement>,
    /// Initiatives done now but not before.
    pub initiatives_completed: Vec<InitiativeChange>,
    /// Initiatives overdue now but not before.
    pub initiatives_newly_overdue: Vec<InitiativeChange>,
    /// Recommendations that became addressed or changed status (or are new).
    pub recommendations: Vec<RecommendationChange>,
}

/// A recommendation's status then and now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecommendationChange {
    /// The recommendation.
    pub recommendation_id: RecommendationId,
    /// Its number in the analysis.
    pub number: i32,
    /// Its title now.
    pub title: String,
    /// Status in the previous report (`unaddressed` before anything answered it).
    pub from: Option<RecommendationStatus>,
    /// Status in this report.
    pub to: RecommendationStatus,
}

/// A focus area's status then and now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusChange {
    /// The focus area.
    pub focus_area_id: FocusAreaId,
    /// Its title now.
    pub title: String,
    /// Status in the previous report.
    pub from: Option<Health>,
    /// Status in this report.
    pub to: Health,
}

/// An indicator then and now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorMovement {
    /// The indicator.
    pub indicator_id: IndicatorId,
    /// Its name now.
    pub name: String,
    /// Latest value in the previous report.
    #[serde(serialize_with = "crate::json::optional_number")]
    pub from_value: Option<f64>,
    /// Latest value in this report.
    #[serde(serialize_with = "crate::json::optional_number")]
    pub to_value: Option<f64>,
    /// Status in the previous report.
    pub from_status: Option<Health>,
    /// Status in this report.
    pub to_status: Health,
}

/// An initiative that changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InitiativeChange {
    /// The initiative.
    pub initiative_id: InitiativeId,
    /// Its title.
    pub title: String,
}

fn all_indicators(snapshot: &ReportSnapshot) -> impl Iterator<Item = &IndicatorProgress> {
    snapshot
        .focus_areas
        .iter()
        .flat_map(|f| f.indicators.iter())
        .chain(snapshot.indicators.iter())
}

fn find_area(snapshot: Option<&ReportSnapshot>, id: FocusAreaId) -> Option<&SnapshotFocusArea> {
    snapshot?.focus_areas.iter().find(|f| f.id == id)
}

/// Compares `current` with `previous` (none for a plan's first report).
pub fn compare(current: &ReportSnapshot, previous: Option<&ReportSnapshot>) -> ReportChanges {
    let focus_areas = current
        .focus_areas
        .iter()
        .filter_map(|area| {
            let from = find_area(previous, area.id).map(|f| f.status);
            (from != Some(area.status)).then(|| StatusChange {
                focus_area_id: area.id,
                title: area.title.clone(),
                from,
                to: area.status,
            })
        })
        .collect();
    let indicators = all_indicators(current)
        .filter_map(|now| {
            let before = previous
                .and_then(|p| all_indicators(p).find(|i| i.indicator_id == now.indicator_id));
            let from_value = before.and_then(|b| b.latest.as_ref().map(|l| l.value));
            let to_value = now.latest.as_ref().map(|l| l.value);
            let from_status = before.map(|b| b.status);
            (from_value != to_value || from_status != Some(now.status)).then(|| IndicatorMovement {
                indicator_id: now.indicator_id,
                name: now.name.clone(),
                from_value,
                to_value,
                from_status,
                to_status: now.status,
            })
        })
        .collect();
    let mut completed = Vec::new();
    let mut newly_overdue = Vec::new();
    for area in &current.focus_areas {
        for initiative in &area.initiatives {
            let before = find_area(previous, area.id)
                .and_then(|f| f.initiatives.iter().find(|i| i.id == initiative.id));
            let change = || InitiativeChange {
                initiative_id: initiative.id,
                title: initiative.title.clone(),
            };
            if initiative.status == InitiativeStatus::Done
                && before.is_none_or(|b| b.status != InitiativeStatus::Done)
            {
                completed.push(change());
            }
            if initiative.overdue && before.is_none_or(|b| !b.overdue) {
                newly_overdue.push(change());
            }
        }
    }
    ReportChanges {
        report_id: current.report.id,
        previous_report_id: previous.map(|p| p.report.id),
        focus_areas,
        indicators,
        initiatives_completed: completed,
        initiatives_newly_overdue: newly_overdue,
        recommendations: recommendation_changes(current, previous),
    }
}

fn recommendation_changes(
    current: &ReportSnapshot,
    previous: Option<&ReportSnapshot>,
) -> Vec<RecommendationChange> {
    current
        .recommendations
        .iter()
        .filter_map(|now| {
            let from = previous
                .and_then(|p| p.recommendations.iter().find(|r| r.id == now.id))
                .map(|r| r.status);
            (from != Some(now.status)).then(|| RecommendationChange {
                recommendation_id: now.id,
                number: now.number,
                title: now.title.clone(),
                from,
                to: now.status,
            })
        })
        .collect()
}
