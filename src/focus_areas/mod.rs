//! Focus areas: the numbered development points of a plan (Slagelse's seven
//! are the template), each with its objective and legal reference.

mod handlers;
pub(crate) mod queries;

pub use handlers::routes;
pub use queries::{find, find_scoped};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::focus_areas;
use crate::domain::{FocusAreaId, LongText, PlanId, Title};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;
use crate::resource::{Entity, Resource};

/// A development point of a plan.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = focus_areas, check_for_backend(diesel::pg::Pg))]
pub struct FocusArea {
    /// Id.
    pub id: FocusAreaId,
    /// The plan it belongs to.
    pub plan_id: PlanId,
    /// Its number in the plan, 1..n, unique within the plan.
    #[schema(example = 4, minimum = 1)]
    pub position: i32,
    /// Title.
    #[schema(example = "Forebyggelse")]
    pub title: String,
    /// The purpose ("At …").
    #[schema(example = "At styrke den tidlige forebyggende indsats")]
    pub objective: String,
    /// The legal basis, e.g. "Barnets Lov § 30".
    #[schema(example = "Barnets Lov § 30")]
    pub legal_reference: Option<String>,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Resource for FocusArea {
    const ENTITY: Entity = Entity::FOCUS_AREA;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }

    fn in_structure(&self) -> Option<(PlanId, &str)> {
        Some((self.plan_id, &self.title))
    }
}

impl Versioned for FocusArea {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that creates a focus area.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusAreaInput {
    /// Its number in the plan (1–999); the next free number when absent.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(example = 4, minimum = 1, maximum = 999)]
    pub position: Option<i32>,
    /// Title, 1–200 characters.
    #[schema(example = "Forebyggelse", min_length = 1, max_length = 200)]
    pub title: String,
    /// The purpose, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub objective: Option<String>,
    /// The legal basis, 1–200 characters.
    #[schema(example = "Barnets Lov § 30", min_length = 1, max_length = 200)]
    pub legal_reference: Option<String>,
}

/// Changes to a focus area; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusAreaPatch {
    /// New position (1–999).
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(minimum = 1, maximum = 999)]
    pub position: Option<i32>,
    /// New title.
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// New objective.
    #[schema(max_length = 20000)]
    pub objective: Option<String>,
    /// New legal reference; `null` clears it.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub legal_reference: Option<Option<String>>,
}

/// Validated focus area fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = focus_areas, treat_none_as_null = true)]
pub struct FocusAreaFields {
    position: i32,
    title: String,
    objective: String,
    legal_reference: Option<String>,
}

/// Highest position: a plan has a handful of focus areas (Slagelse's has seven).
pub const MAX_POSITION: i32 = 999;

fn parse_position(position: i32) -> Result<i32, Refusal> {
    if (1..=MAX_POSITION).contains(&position) {
        Ok(position)
    } else {
        Err(Refusal::new(
            FieldCode::OutOfRange,
            format!("must be between 1 and {MAX_POSITION}"),
        ))
    }
}

impl FocusAreaInput {
    /// Parses the body; `next_position` is used when no position is given.
    pub fn parse(self, next_position: i32) -> Result<FocusAreaFields, ApiError> {
        let (position, title, objective, legal_reference) = parse_fields! {
            position: parse_position(self.position.unwrap_or(next_position)),
            title: Title::parse(self.title),
            objective: LongText::parse(self.objective),
            legal_reference: Title::parse_optional(self.legal_reference),
        }?;
        Ok(FocusAreaFields {
            position,
            title: title.into_inner(),
            objective: objective.into_inner(),
            legal_reference: legal_reference.map(Title::into_inner),
        })
    }
}

impl FocusAreaFields {
    /// The same fields at `position` (the next free one, read under the plan's lock).
    pub fn at_position(self, position: i32) -> Result<Self, ApiError> {
        let position =
            parse_position(position).map_err(|refusal| ApiError::refused("position", refusal))?;
        Ok(Self { position, ..self })
    }
}

impl FocusAreaPatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &FocusArea) -> FocusAreaInput {
        FocusAreaInput {
            position: Some(self.position.unwrap_or(current.position)),
            title: self.title.unwrap_or_else(|| current.title.clone()),
            objective: Some(self.objective.unwrap_or_else(|| current.objective.clone())),
            legal_reference: self
                .legal_reference
                .unwrap_or_else(|| current.legal_reference.clone()),
        }
    }
}
