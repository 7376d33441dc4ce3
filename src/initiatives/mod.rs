//! Initiatives: what is done under a focus area, by whom and by when.

mod handlers;
mod queries;

pub use handlers::routes;
pub use queries::{find, find_scoped};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::initiatives;
use crate::domain::{
    FocusAreaId, InitiativeId, InitiativeStatus, LongText, PlanId, RecommendationId, Title,
    distinct_ids,
};
use crate::error::ApiError;
use crate::parse_fields;
use crate::resource::{Entity, Resource};
use crate::validation::not_before;

/// An initiative under a focus area.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = initiatives, check_for_backend(diesel::pg::Pg))]
pub struct Initiative {
    /// Id.
    pub id: InitiativeId,
    /// The focus area it belongs to.
    pub focus_area_id: FocusAreaId,
    /// The plan of that focus area.
    pub plan_id: PlanId,
    /// Title.
    #[schema(example = "Fast struktur for børnesamtaler")]
    pub title: String,
    /// Description; may be empty.
    pub description: String,
    /// The unit or role responsible (never a person's case data).
    #[schema(example = "Myndighedsafdelingen, teamleder")]
    pub owner: Option<String>,
    /// When it starts.
    pub start_date: Option<NaiveDate>,
    /// When it is due; not before `start_date`.
    pub due_date: Option<NaiveDate>,
    /// Where it stands.
    pub status: InitiativeStatus,
    /// The recommendations of the plan's analysis it answers.
    #[diesel(select_expression = answered_by_initiative())]
    #[diesel(select_expression_type = crate::db::IdArray)]
    pub recommendation_ids: Vec<RecommendationId>,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The recommendations a `initiatives` row answers, read with it.
fn answered_by_initiative() -> crate::db::IdArray {
    diesel::dsl::sql(
        "ARRAY(SELECT l.recommendation_id FROM initiative_recommendations l \
         WHERE l.initiative_id = initiatives.id ORDER BY l.recommendation_id)",
    )
}

impl Resource for Initiative {
    const ENTITY: Entity = Entity::INITIATIVE;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }

    fn in_structure(&self) -> Option<(PlanId, &str)> {
        Some((self.plan_id, &self.title))
    }
}

impl Versioned for Initiative {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that creates an initiative.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativeInput {
    /// Title, 1–200 characters.
    #[schema(
        example = "Fast struktur for børnesamtaler",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    /// Description, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// The unit or role responsible, 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub owner: Option<String>,
    /// When it starts.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub start_date: Option<NaiveDate>,
    /// When it is due; not before `start_date`.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub due_date: Option<NaiveDate>,
    /// Where it stands; `planned` when absent.
    pub status: Option<InitiativeStatus>,
    /// The recommendations of the same plan it answers (at most 100).
    #[schema(max_items = 100)]
    pub recommendation_ids: Option<Vec<RecommendationId>>,
}

/// Changes to an initiative; absent fields stay as they are, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativePatch {
    /// New title.
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// New description.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// New owner.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub owner: Option<Option<String>>,
    /// New start date.
    #[serde(default, deserialize_with = "crate::domain::strict_patch_date")]
    #[schema(value_type = Option<NaiveDate>)]
    pub start_date: Option<Option<NaiveDate>>,
    /// New due date.
    #[serde(default, deserialize_with = "crate::domain::strict_patch_date")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_date: Option<Option<NaiveDate>>,
    /// New status.
    pub status: Option<InitiativeStatus>,
    /// The recommendations it answers, replacing the current ones.
    #[schema(max_items = 100)]
    pub recommendation_ids: Option<Vec<RecommendationId>>,
}

/// Validated initiative fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = initiatives, treat_none_as_null = true)]
pub struct InitiativeFields {
    title: String,
    description: String,
    owner: Option<String>,
    start_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    status: InitiativeStatus,
    #[diesel(skip_insertion, skip_update)]
    recommendation_ids: Vec<RecommendationId>,
}

impl InitiativeInput {
    /// Parses the body into storable fields.
    pub fn parse(self) -> Result<InitiativeFields, ApiError> {
        let (title, description, owner, (), recommendation_ids) = parse_fields! {
            title: Title::parse(self.title),
            description: LongText::parse(self.description),
            owner: Title::parse_optional(self.owner),
            due_date: not_before(self.start_date, self.due_date, "start_date"),
            recommendation_ids: distinct_ids(self.recommendation_ids.unwrap_or_default()),
        }?;
        Ok(InitiativeFields {
            title: title.into_inner(),
            description: description.into_inner(),
            owner: owner.map(Title::into_inner),
            start_date: self.start_date,
            due_date: self.due_date,
            status: self.status.unwrap_or(InitiativeStatus::Planned),
            recommendation_ids,
        })
    }
}

impl InitiativePatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &Initiative) -> InitiativeInput {
        InitiativeInput {
            title: self.title.unwrap_or_else(|| current.title.clone()),
            description: Some(
                self.description
                    .unwrap_or_else(|| current.description.clone()),
            ),
            owner: self.owner.unwrap_or_else(|| current.owner.clone()),
            start_date: self.start_date.unwrap_or(current.start_date),
            due_date: self.due_date.unwrap_or(current.due_date),
            status: Some(self.status.unwrap_or(current.status)),
            recommendation_ids: Some(
                self.recommendation_ids
                    .unwrap_or_else(|| current.recommendation_ids.clone()),
            ),
        }
    }
}
