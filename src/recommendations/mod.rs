//! The Task Force's recommendations (anbefalinger): the numbered findings of
//! its analysis that a development plan answers. Each concerns focus areas;
//! initiatives and indicators name the recommendations they answer, and a
//! recommendation's status is rolled up from them like a focus area's, or is
//! `unaddressed` when nothing answers it. They are the Task Force's words:
//! only consultants (and administrators) write them.

mod handlers;
mod queries;

pub use handlers::routes;
pub use queries::{FocusAreaLinks, focus_areas_of_plan};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::recommendations;
use crate::domain::{
    FocusAreaId, IndicatorId, InitiativeId, LongText, PlanId, RecommendationId,
    RecommendationStatus, Theme, Title, distinct_ids,
};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;
use crate::progress::{Context, PlanData, PlanProgress, initiative_health, plan_progress, roll_up};
use crate::resource::{Entity, Resource};

/// A recommendation as stored.
#[derive(Debug, Clone, Serialize, diesel::prelude::Queryable, diesel::prelude::Selectable)]
#[diesel(table_name = recommendations, check_for_backend(diesel::pg::Pg))]
pub struct RecommendationRow {
    id: RecommendationId,
    plan_id: PlanId,
    number: i32,
    title: String,
    body: String,
    theme: Theme,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A recommendation of the Task Force's analysis, with what answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    /// Id.
    pub id: RecommendationId,
    /// The plan that answers it.
    pub plan_id: PlanId,
    /// Its number in the analysis, unique in the plan ("Anbefaling 3").
    #[schema(example = 3)]
    pub number: i32,
    /// Title.
    #[schema(example = "Systematisk brug af børnesamtaler")]
    pub title: String,
    /// The recommendation as the analysis words it; may be empty.
    pub body: String,
    /// What it is about.
    pub theme: Theme,
    /// The focus areas it concerns.
    pub focus_area_ids: Vec<FocusAreaId>,
    /// The initiatives that answer it.
    pub initiative_ids: Vec<InitiativeId>,
    /// The indicators that answer it.
    pub indicator_ids: Vec<IndicatorId>,
    /// Rolled up from its indicators and initiatives as of today, or
    /// `unaddressed` when none answers it.
    pub status: RecommendationStatus,
    /// Increases on every change of its own fields; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Resource for Recommendation {
    const ENTITY: Entity = Entity::RECOMMENDATION;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }

    fn in_structure(&self) -> Option<(PlanId, &str)> {
        Some((self.plan_id, &self.title))
    }
}

impl Versioned for Recommendation {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Recommendation {
    /// The stored row with the focus areas it concerns and what answers it.
    pub fn new(row: RecommendationRow, focus_areas: &FocusAreaLinks, answers: &Answers) -> Self {
        let Answer {
            initiative_ids,
            indicator_ids,
            status,
        } = answers.answer(row.id);
        Self {
            id: row.id,
            plan_id: row.plan_id,
            number: row.number,
            title: row.title,
            body: row.body,
            theme: row.theme,
            focus_area_ids: focus_areas.of(row.id),
            initiative_ids,
            indicator_ids,
            status,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What answers one recommendation, and how that is doing.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The initiatives that answer it.
    pub initiative_ids: Vec<InitiativeId>,
    /// The indicators that answer it.
    pub indicator_ids: Vec<IndicatorId>,
    /// Their roll-up, or `unaddressed`.
    pub status: RecommendationStatus,
}

/// What answers a plan's recommendations (its initiatives' and indicators'
/// `recommendation_ids`) and how that is doing, computed once for all of them.
pub struct Answers<'a> {
    plan: &'a PlanData,
    progress: PlanProgress,
    as_of: NaiveDate,
}

impl<'a> Answers<'a> {
    /// The plan's progress as of `as_of`.
    pub fn of(plan: &'a PlanData, as_of: NaiveDate) -> Self {
        Self {
            progress: plan_progress(plan, Context::of(plan, as_of)),
            plan,
            as_of,
        }
    }

    /// What answers `recommendation` and its status.
    pub fn answer(&self, recommendation: RecommendationId) -> Answer {
        let initiative_ids = self.initiatives(recommendation);
        let indicator_ids = self.indicators(recommendation);
        let status = self.status(&initiative_ids, &indicator_ids);
        Answer {
            initiative_ids,
            indicator_ids,
            status,
        }
    }

    fn initiatives(&self, recommendation: RecommendationId) -> Vec<InitiativeId> {
        self.plan
            .initiatives
            .iter()
            .filter(|i| i.recommendation_ids.contains(&recommendation))
            .map(|i| i.id)
            .collect()
    }

    fn indicators(&self, recommendation: RecommendationId) -> Vec<IndicatorId> {
        self.plan
            .indicators
            .iter()
            .filter(|i| i.recommendation_ids.contains(&recommendation))
            .map(|i| i.id)
            .collect()
    }

    /// The roll-up of a focus area over what answers a recommendation.
    fn status(
        &self,
        initiatives: &[InitiativeId],
        indicators: &[IndicatorId],
    ) -> RecommendationStatus {
        if initiatives.is_empty() && indicators.is_empty() {
            return RecommendationStatus::Unaddressed;
        }
        let indicator_statuses = self
            .progress
            .focus_areas
            .iter()
            .flat_map(|area| area.indicators.iter())
            .chain(self.progress.indicators.iter())
            .filter(|i| indicators.contains(&i.indicator_id))
            .map(|i| i.status);
        let initiative_statuses = self
            .plan
            .initiatives
            .iter()
            .filter(|i| initiatives.contains(&i.id))
            .filter_map(|i| initiative_health(i, self.as_of));
        roll_up(indicator_statuses.chain(initiative_statuses)).into()
    }
}

/// The body that adds a recommendation to a plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationInput {
    /// Its number in the analysis (1–999), unique in the plan.
    #[schema(minimum = 1, maximum = 999, example = 3)]
    #[serde(deserialize_with = "crate::json::integer")]
    pub number: i32,
    /// Title, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Systematisk brug af børnesamtaler"
    )]
    pub title: String,
    /// The recommendation's text, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub body: Option<String>,
    /// What it is about.
    pub theme: Theme,
    /// The focus areas of the same plan it concerns (at most 100).
    #[schema(max_items = 100)]
    pub focus_area_ids: Option<Vec<FocusAreaId>>,
}

/// Changes to a recommendation; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationPatch {
    /// New number.
    #[schema(minimum = 1, maximum = 999)]
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    pub number: Option<i32>,
    /// New title.
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// New text.
    #[schema(max_length = 20000)]
    pub body: Option<String>,
    /// New theme.
    pub theme: Option<Theme>,
    /// The focus areas it concerns, replacing the current ones.
    #[schema(max_items = 100)]
    pub focus_area_ids: Option<Vec<FocusAreaId>>,
}

/// Validated recommendation fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = recommendations)]
pub struct RecommendationFields {
    number: i32,
    title: String,
    body: String,
    theme: Theme,
    #[diesel(skip_insertion, skip_update)]
    focus_area_ids: Vec<FocusAreaId>,
}

impl RecommendationInput {
    /// Parses the body into storable fields.
    pub fn parse(self) -> Result<RecommendationFields, ApiError> {
        let (number, title, body, focus_area_ids) = parse_fields! {
            number: parse_number(self.number),
            title: Title::parse(self.title),
            body: LongText::parse(self.body),
            focus_area_ids: distinct_ids(self.focus_area_ids.unwrap_or_default()),
        }?;
        Ok(RecommendationFields {
            number,
            title: title.into_inner(),
            body: body.into_inner(),
            theme: self.theme,
            focus_area_ids,
        })
    }
}

impl RecommendationPatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &Recommendation) -> RecommendationInput {
        RecommendationInput {
            number: self.number.unwrap_or(current.number),
            title: self.title.unwrap_or_else(|| current.title.clone()),
            body: Some(self.body.unwrap_or_else(|| current.body.clone())),
            theme: self.theme.unwrap_or(current.theme),
            focus_area_ids: Some(
                self.focus_area_ids
                    .unwrap_or_else(|| current.focus_area_ids.clone()),
            ),
        }
    }
}

fn parse_number(number: i32) -> Result<i32, Refusal> {
    if (1..=999).contains(&number) {
        Ok(number)
    } else {
        Err(Refusal::new(
            FieldCode::OutOfRange,
            "must be between 1 and 999",
        ))
    }
}
