//! The frozen snapshot of a published status report: the whole plan as of the
//! report's date, built once at publishing and stored as it was shown.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StatusReport;
use super::assessment::Assessment;
use super::sections::Section;
use crate::case_reviews::{CaseReview, ReviewCourse, courses};
use crate::domain::{
    FocusAreaId, Health, IndicatorId, InitiativeId, InitiativeStatus, OrganizationId, PlanId,
    PlanStatus, RecommendationId, RecommendationStatus, StatusReportId, Theme,
};
use crate::organizations::Organization;
use crate::progress::{
    Context, IndicatorProgress, PlanData, Thresholds, is_overdue, plan_progress,
};
use crate::recommendations::{Answers, FocusAreaLinks};

/// What a published report showed, frozen.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportSnapshot {
    /// The report.
    pub report: SnapshotReport,
    /// The municipality.
    pub organization: SnapshotOrganization,
    /// The plan.
    pub plan: SnapshotPlan,
    /// The plan's rolled-up status as of the report's date.
    pub status: Health,
    /// Per focus area, in position order.
    pub focus_areas: Vec<SnapshotFocusArea>,
    /// Indicators tied to no focus area.
    pub indicators: Vec<IndicatorProgress>,
    /// The Task Force's assessment, apart from the municipality's account
    /// (absent in reports published before assessments were recorded).
    #[serde(default)]
    pub assessment: Option<Assessment>,
    /// The recommendations of the Task Force's analysis, in number order, with
    /// what answers them and their status as of the report's date.
    #[serde(default)]
    pub recommendations: Vec<SnapshotRecommendation>,
    /// Per kind of case review, the plan's first round against its latest
    /// (every round recorded when the report was published).
    #[serde(default)]
    pub case_reviews: Vec<ReviewCourse>,
}

/// What the Task Force measures a plan by, read beside the plan's data.
#[derive(Debug, Default)]
pub struct TaskForceRecord {
    /// The focus areas each recommendation concerns.
    pub recommendation_areas: FocusAreaLinks,
    /// Every case-review round of the plan, in review order.
    pub case_reviews: Vec<CaseReview>,
    /// The Task Force's assessment of the report, once written.
    pub assessment: Option<Assessment>,
}

/// A recommendation as the report showed it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotRecommendation {
    /// Id.
    pub id: RecommendationId,
    /// Its number in the analysis.
    pub number: i32,
    /// Title.
    pub title: String,
    /// What it is about.
    pub theme: Theme,
    /// The focus areas it concerns.
    pub focus_area_ids: Vec<FocusAreaId>,
    /// The initiatives that answer it.
    pub initiative_ids: Vec<InitiativeId>,
    /// The indicators that answer it.
    pub indicator_ids: Vec<IndicatorId>,
    /// Rolled up from what answers it as of the report's date, or `unaddressed`.
    pub status: RecommendationStatus,
}

/// The Task Force's analysis that the plan answers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotAnalysis {
    /// When it was finished.
    pub date: Option<NaiveDate>,
    /// Its title.
    pub title: Option<String>,
    /// Where it is published.
    pub url: Option<String>,
}

/// The report's own fields.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotReport {
    /// Id.
    pub id: StatusReportId,
    /// Title.
    pub title: String,
    /// The date it describes.
    pub as_of: NaiveDate,
    /// Summary.
    pub summary: String,
    /// Whether it is the final report.
    pub is_final: bool,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// Who published it.
    pub published_by: String,
}

/// The municipality.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotOrganization {
    /// Id.
    pub id: OrganizationId,
    /// Name.
    pub name: String,
    /// Municipality code.
    pub municipality_code: Option<String>,
}

/// The plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotPlan {
    /// Id.
    pub id: PlanId,
    /// Title.
    pub title: String,
    /// Its status when the report was published.
    pub status: PlanStatus,
    /// First day.
    pub period_start: NaiveDate,
    /// Last day.
    pub period_end: NaiveDate,
    /// The analysis it answers, when recorded.
    #[serde(default)]
    pub analysis: Option<SnapshotAnalysis>,
    /// The status thresholds the report was judged by (absent in reports
    /// published before they were recorded).
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
}

/// A focus area as the report showed it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotFocusArea {
    /// Id.
    pub id: FocusAreaId,
    /// Number.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Purpose.
    pub objective: String,
    /// Legal basis.
    pub legal_reference: Option<String>,
    /// Computed status.
    pub suggested_status: Health,
    /// The status the report gave.
    pub status: Health,
    /// Why it differs from the suggestion.
    pub status_reason: Option<String>,
    /// Narrative.
    pub narrative: String,
    /// Highlights.
    pub highlights: String,
    /// Risks.
    pub risks: String,
    /// Next steps.
    pub next_steps: String,
    /// Its initiatives.
    pub initiatives: Vec<SnapshotInitiative>,
    /// Its indicators with value, progress and status at the date.
    pub indicators: Vec<IndicatorProgress>,
}

/// An initiative as the report showed it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotInitiative {
    /// Id.
    pub id: InitiativeId,
    /// Title.
    pub title: String,
    /// Owner.
    pub owner: Option<String>,
    /// Status when published.
    pub status: InitiativeStatus,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Past due and not done at the report's date.
    pub overdue: bool,
}

/// Builds the snapshot of `report` from the plan's current data, computed as of its date.
pub fn build(
    report: &StatusReport,
    organization: &Organization,
    data: &PlanData,
    sections: &[Section],
    task_force: TaskForceRecord,
    published_at: DateTime<Utc>,
    published_by: &str,
) -> ReportSnapshot {
    let context = Context {
        as_of: report.as_of,
        plan_start: data.plan.period_start,
        plan_end: data.plan.period_end,
        thresholds: Thresholds {
            green: data.plan.green_threshold,
            amber: data.plan.amber_threshold,
        },
    };
    let progress = plan_progress(data, context);
    let focus_areas = progress
        .focus_areas
        .into_iter()
        .filter_map(|computed| {
            let area = data
                .focus_areas
                .iter()
                .find(|f| f.id == computed.focus_area_id)?;
            let section = sections.iter().find(|s| s.focus_area_id == area.id);
            let initiatives = data
                .initiatives
                .iter()
                .filter(|i| i.focus_area_id == area.id)
                .map(|i| SnapshotInitiative {
                    id: i.id,
                    title: i.title.clone(),
                    owner: i.owner.clone(),
                    status: i.status,
                    due_date: i.due_date,
                    overdue: is_overdue(i, report.as_of),
                })
                .collect();
            let text =
                |pick: fn(&Section) -> &String| section.map(pick).cloned().unwrap_or_default();
            Some(SnapshotFocusArea {
                id: area.id,
                position: area.position,
                title: area.title.clone(),
                objective: area.objective.clone(),
                legal_reference: area.legal_reference.clone(),
                suggested_status: computed.status,
                status: section.and_then(|s| s.status).unwrap_or(computed.status),
                status_reason: section.and_then(|s| s.status_reason.clone()),
                narrative: text(|s| &s.narrative),
                highlights: text(|s| &s.highlights),
                risks: text(|s| &s.risks),
                next_steps: text(|s| &s.next_steps),
                initiatives,
                indicators: computed.indicators,
            })
        })
        .collect();
    ReportSnapshot {
        report: SnapshotReport {
            id: report.id,
            title: report.title.clone(),
            as_of: report.as_of,
            summary: report.summary.clone(),
            is_final: report.is_final,
            published_at,
            published_by: published_by.to_owned(),
        },
        organization: SnapshotOrganization {
            id: organization.id,
            name: organization.name.clone(),
            municipality_code: organization.municipality_code.clone(),
        },
        plan: SnapshotPlan {
            id: data.plan.id,
            title: data.plan.title.clone(),
            status: data.plan.status,
            period_start: data.plan.period_start,
            period_end: data.plan.period_end,
            analysis: analysis(data),
            thresholds: Some(context.thresholds),
        },
        status: progress.status,
        focus_areas,
        indicators: progress.indicators,
        recommendations: recommendations(data, report.as_of, &task_force.recommendation_areas),
        case_reviews: courses(&task_force.case_reviews),
        assessment: task_force.assessment,
    }
}

fn analysis(data: &PlanData) -> Option<SnapshotAnalysis> {
    let plan = &data.plan;
    (plan.analysis_date.is_some() || plan.analysis_title.is_some() || plan.analysis_url.is_some())
        .then(|| SnapshotAnalysis {
            date: plan.analysis_date,
            title: plan.analysis_title.clone(),
            url: plan.analysis_url.clone(),
        })
}

fn recommendations(
    data: &PlanData,
    as_of: NaiveDate,
    areas: &FocusAreaLinks,
) -> Vec<SnapshotRecommendation> {
    if data.recommendations.is_empty() {
        return Vec::new();
    }
    let answers = Answers::of(data, as_of);
    data.recommendations
        .iter()
        .map(|outline| {
            let answer = answers.answer(outline.id);
            SnapshotRecommendation {
                id: outline.id,
                number: outline.number,
                title: outline.title.clone(),
                theme: outline.theme,
                focus_area_ids: areas.of(outline.id),
                initiative_ids: answer.initiative_ids,
                indicator_ids: answer.indicator_ids,
                status: answer.status,
            }
        })
        .collect()
}
