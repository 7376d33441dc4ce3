//! Status reports: what the political committee is shown about a plan. A
//! published report is frozen: it can no longer be changed or deleted.

pub mod assessment;
pub mod changes;
pub mod errata;
mod handlers;
mod published;
mod queries;
pub mod sections;
pub mod snapshot;

pub use handlers::routes;
pub(crate) use published::parse_snapshot;
pub use published::routes as published_routes;
pub use published::task_force_record;
pub use queries::{find_scoped, previous_published};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::status_reports;
use crate::domain::{LongText, PlanId, ReportState, StatusReportId, Title, UserId};
use crate::error::ApiError;
use crate::parse_fields;
use crate::resource::{Entity, Resource};

/// A status report on a plan.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = status_reports, check_for_backend(diesel::pg::Pg))]
pub struct StatusReport {
    /// Id.
    pub id: StatusReportId,
    /// The plan it reports on.
    pub plan_id: PlanId,
    /// Title.
    #[schema(example = "Status på udviklingsplanen, 1. kvartal 2025")]
    pub title: String,
    /// The date the report describes.
    #[schema(example = "2025-03-31")]
    pub as_of: NaiveDate,
    /// Overall summary; may be empty.
    pub summary: String,
    /// `draft` while it may change; `published` once shown to politicians.
    pub state: ReportState,
    /// The final status report of the plan's process; once published, the plan may close.
    pub is_final: bool,
    /// When it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// Who published it.
    pub published_by: Option<UserId>,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The user who started it.
    pub created_by: Option<UserId>,
}

impl Resource for StatusReport {
    const ENTITY: Entity = Entity::STATUS_REPORT;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }
}

impl Versioned for StatusReport {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that starts a status report. It starts as a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusReportInput {
    /// Title, 1–200 characters.
    #[schema(
        example = "Status på udviklingsplanen, 1. kvartal 2025",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    /// The date the report describes.
    #[schema(example = "2025-03-31")]
    #[serde(deserialize_with = "crate::domain::strict_date")]
    pub as_of: NaiveDate,
    /// Overall summary, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub summary: Option<String>,
    /// Whether this is the final status report; `false` when absent.
    pub is_final: Option<bool>,
}

/// Changes to a draft report; absent fields stay as they are. Publish with
/// POST /status-reports/{status_report_id}/publish.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusReportPatch {
    /// New title.
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// New as-of date.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub as_of: Option<NaiveDate>,
    /// New summary.
    #[schema(max_length = 20000)]
    pub summary: Option<String>,
    /// Whether this is the final status report.
    pub is_final: Option<bool>,
}

/// Validated report fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = status_reports)]
pub struct StatusReportFields {
    title: String,
    as_of: NaiveDate,
    summary: String,
    is_final: bool,
}

impl StatusReportInput {
    /// Parses the body into the fields of a draft report.
    pub fn parse(self) -> Result<StatusReportFields, ApiError> {
        let (title, summary) = parse_fields! {
            title: Title::parse(self.title),
            summary: LongText::parse(self.summary),
        }?;
        Ok(StatusReportFields {
            title: title.into_inner(),
            as_of: self.as_of,
            summary: summary.into_inner(),
            is_final: self.is_final.unwrap_or(false),
        })
    }
}

impl StatusReport {
    /// 409 once the report is published: what politicians were shown never changes.
    pub fn ensure_draft(&self) -> Result<(), ApiError> {
        match self.state {
            ReportState::Draft => Ok(()),
            ReportState::Published => Err(ApiError::Conflict(
                "The status report is published and frozen; write a new report to correct it."
                    .into(),
            )),
        }
    }
}

impl StatusReportPatch {
    /// Parses the patch applied to the draft `current` into storable fields.
    pub fn parse_onto(self, current: &StatusReport) -> Result<StatusReportFields, ApiError> {
        current.ensure_draft()?;
        StatusReportInput {
            title: self.title.unwrap_or_else(|| current.title.clone()),
            as_of: self.as_of.unwrap_or(current.as_of),
            summary: Some(self.summary.unwrap_or_else(|| current.summary.clone())),
            is_final: Some(self.is_final.unwrap_or(current.is_final)),
        }
        .parse()
    }
}
