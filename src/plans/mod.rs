//! Development plans: one organization's plan with its period and status,
//! and the whole plan as one tree.

mod from_template;
mod handlers;
pub mod lifecycle;
mod queries;
pub mod tree;

pub use handlers::routes;
pub use queries::{find, find_scoped};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Principal;
use crate::concurrency::Versioned;
use crate::db::schema::plans;
use crate::domain::{LongText, OrganizationId, PlanId, PlanStatus, Title, web_address};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;
use crate::resource::{Entity, Resource};
use crate::validation::not_before;

/// A development plan (udviklingsplan).
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = plans, check_for_backend(diesel::pg::Pg))]
pub struct Plan {
    /// Id.
    pub id: PlanId,
    /// The municipality that owns the plan.
    pub organization_id: OrganizationId,
    /// Title.
    #[schema(example = "Udviklingsplan for myndighedsområdet, børn og unge")]
    pub title: String,
    /// Description; may be empty.
    pub description: String,
    /// First day of the plan's period.
    #[schema(example = "2021-03-01")]
    pub period_start: NaiveDate,
    /// Last day of the plan's period.
    #[schema(example = "2023-03-01")]
    pub period_end: NaiveDate,
    /// Where the plan is in the Task Force process.
    pub status: PlanStatus,
    /// An indicator is green at this share of the progress expected by the date (default 0.9).
    #[schema(example = 0.9)]
    pub green_threshold: f64,
    /// An indicator is amber at this share, red below it (default 0.7).
    #[schema(example = 0.7)]
    pub amber_threshold: f64,
    /// When the Task Force's analysis, which the plan answers, was finished.
    #[schema(example = "2020-11-30")]
    pub analysis_date: Option<NaiveDate>,
    /// The analysis report's title.
    #[schema(example = "Task Force-analyse af myndighedsområdet")]
    pub analysis_title: Option<String>,
    /// Where the analysis report is published.
    pub analysis_url: Option<String>,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A plan as its caller sees it: the plan, and the moves the caller may make
/// with it, so a UI shows only the buttons that work.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    /// The plan.
    #[serde(flatten)]
    pub plan: Plan,
    /// The statuses you may move the plan to now (POST
    /// /plans/{plan_id}/transitions); closing also needs a published final status report.
    #[schema(example = json!(["approved", "draft"]))]
    pub allowed_transitions: Vec<PlanStatus>,
}

impl PlanView {
    /// `plan` as `principal` sees it.
    pub fn for_caller(plan: Plan, principal: &Principal) -> Self {
        let allowed_transitions = lifecycle::allowed_for(
            plan.status,
            principal.role_in(plan.organization_id),
            principal.is_admin,
        );
        Self {
            plan,
            allowed_transitions,
        }
    }
}

impl Versioned for PlanView {
    fn version(&self) -> i32 {
        self.plan.version
    }
}

impl Resource for Plan {
    const ENTITY: Entity = Entity::PLAN;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }
}

impl Versioned for Plan {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that creates a plan. A new plan is a `draft`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// Title, 1–200 characters.
    #[schema(example = "Udviklingsplan 2021–2023", min_length = 1, max_length = 200)]
    pub title: String,
    /// Description, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// First day of the period.
    #[schema(example = "2021-03-01")]
    #[serde(deserialize_with = "crate::domain::strict_date")]
    pub period_start: NaiveDate,
    /// Last day of the period; not before `period_start`.
    #[schema(example = "2023-03-01")]
    #[serde(deserialize_with = "crate::domain::strict_date")]
    pub period_end: NaiveDate,
    /// Green threshold, a share of the expected progress (0–1, above the amber one); 0.9 when absent.
    #[schema(exclusive_minimum = 0, maximum = 1, example = 0.9)]
    pub green_threshold: Option<f64>,
    /// Amber threshold (0–1, below the green one); 0.7 when absent.
    #[schema(exclusive_minimum = 0, exclusive_maximum = 1, example = 0.7)]
    pub amber_threshold: Option<f64>,
    /// When the Task Force's analysis was finished.
    #[schema(example = "2020-11-30")]
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub analysis_date: Option<NaiveDate>,
    /// The analysis report's title, 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub analysis_title: Option<String>,
    /// Where the analysis report is published: an http(s) address.
    #[schema(
        max_length = 2000,
        pattern = "^https?://",
        example = "https://www.sm.dk/"
    )]
    pub analysis_url: Option<String>,
    /// Fill the new plan from this template (see GET /api/v1/templates), e.g. `task_force`.
    #[schema(example = "task_force")]
    pub template: Option<String>,
}

/// Changes to a plan; absent fields stay as they are. The status changes
/// through the plan's workflow, not here.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanPatch {
    /// New title.
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// New description.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// New first day.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub period_start: Option<NaiveDate>,
    /// New last day.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub period_end: Option<NaiveDate>,
    /// New green threshold.
    #[schema(exclusive_minimum = 0, maximum = 1, example = 0.9)]
    pub green_threshold: Option<f64>,
    /// New amber threshold.
    #[schema(exclusive_minimum = 0, exclusive_maximum = 1, example = 0.7)]
    pub amber_threshold: Option<f64>,
    /// New date of the Task Force's analysis.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub analysis_date: Option<NaiveDate>,
    /// New title of the analysis report.
    #[schema(min_length = 1, max_length = 200)]
    pub analysis_title: Option<String>,
    /// New address of the analysis report: an http(s) address.
    #[schema(max_length = 2000, pattern = "^https?://")]
    pub analysis_url: Option<String>,
}

/// Validated plan fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = plans)]
pub struct PlanFields {
    title: String,
    description: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    green_threshold: f64,
    amber_threshold: f64,
    analysis_date: Option<NaiveDate>,
    analysis_title: Option<String>,
    analysis_url: Option<String>,
}

impl PlanInput {
    /// The template the body asks for, if any; an unknown one is a 422.
    pub fn template(&self) -> Result<Option<&'static crate::templates::Template>, ApiError> {
        self.template
            .as_deref()
            .map(|key| {
                crate::templates::find(key).ok_or_else(|| {
                    ApiError::invalid(
                        "template",
                        crate::error::FieldCode::UnknownValue,
                        format!("unknown template `{key}`; see GET /api/v1/templates"),
                    )
                })
            })
            .transpose()
    }

    /// Parses the body into storable fields.
    pub fn parse(self) -> Result<PlanFields, ApiError> {
        let (
            title,
            description,
            (),
            (green_threshold, amber_threshold),
            analysis_title,
            analysis_url,
        ) = parse_fields! {
            title: Title::parse(self.title),
            description: LongText::parse(self.description),
            period_end: not_before(Some(self.period_start), Some(self.period_end), "period_start"),
            amber_threshold: parse_thresholds(self.green_threshold.unwrap_or(0.9), self.amber_threshold.unwrap_or(0.7)),
            analysis_title: Title::parse_optional(self.analysis_title),
            analysis_url: web_address(self.analysis_url),
        }?;
        Ok(PlanFields {
            title: title.into_inner(),
            description: description.into_inner(),
            period_start: self.period_start,
            period_end: self.period_end,
            green_threshold,
            amber_threshold,
            analysis_date: self.analysis_date,
            analysis_title: analysis_title.map(Title::into_inner),
            analysis_url,
        })
    }
}

impl PlanPatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &Plan) -> PlanInput {
        PlanInput {
            title: self.title.unwrap_or_else(|| current.title.clone()),
            description: Some(
                self.description
                    .unwrap_or_else(|| current.description.clone()),
            ),
            period_start: self.period_start.unwrap_or(current.period_start),
            period_end: self.period_end.unwrap_or(current.period_end),
            green_threshold: Some(self.green_threshold.unwrap_or(current.green_threshold)),
            amber_threshold: Some(self.amber_threshold.unwrap_or(current.amber_threshold)),
            analysis_date: self.analysis_date.or(current.analysis_date),
            analysis_title: self
                .analysis_title
                .or_else(|| current.analysis_title.clone()),
            analysis_url: self.analysis_url.or_else(|| current.analysis_url.clone()),
            template: None,
        }
    }
}

fn parse_thresholds(green: f64, amber: f64) -> Result<(f64, f64), Refusal> {
    if 0.0 < amber && amber < green && green <= 1.0 {
        Ok((green, amber))
    } else {
        Err(Refusal::new(
            FieldCode::Inconsistent,
            "thresholds must satisfy 0 < amber_threshold < green_threshold <= 1",
        ))
    }
}

/// Filters for the list of all plans.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanFilter {
    /// Only plans of this organization.
    pub organization_id: Option<OrganizationId>,
    /// Only plans in this status.
    pub status: Option<PlanStatus>,
}
