//! Indicators: what a plan measures, how, in which unit and direction, from
//! which baseline towards which target, and under which law.

mod handlers;
pub(crate) mod queries;

pub use handlers::routes;
pub use queries::{find, find_scoped};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::indicators;
use crate::domain::{
    Direction, FocusAreaId, Frequency, IndicatorId, InitiativeId, LegalRegime, LongText, PlanId,
    RecommendationId, Title, Unit, UserId, distinct_ids,
};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;
use crate::resource::{Entity, Resource};

/// An indicator of a plan.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = indicators, check_for_backend(diesel::pg::Pg))]
pub struct Indicator {
    /// Id.
    pub id: IndicatorId,
    /// The plan it belongs to.
    pub plan_id: PlanId,
    /// The focus area it follows, if any (of the same plan).
    pub focus_area_id: Option<FocusAreaId>,
    /// The initiative it follows, if any (of the same plan and focus area).
    pub initiative_id: Option<InitiativeId>,
    /// Name.
    #[schema(example = "Andel underretninger vurderet inden for 24 timer")]
    pub name: String,
    /// How it is measured.
    pub definition: String,
    /// Unit of its values.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Value at the start.
    #[schema(example = 62.5)]
    #[serde(serialize_with = "crate::json::optional_number")]
    pub baseline_value: Option<f64>,
    /// Date of the baseline value.
    pub baseline_date: Option<NaiveDate>,
    /// Value to reach.
    #[schema(example = 95)]
    #[serde(serialize_with = "crate::json::optional_number")]
    pub target_value: Option<f64>,
    /// When the target should be reached.
    pub target_date: Option<NaiveDate>,
    /// How often it is measured.
    pub frequency: Frequency,
    /// Which law its series follows, if it matters.
    pub legal_regime: Option<LegalRegime>,
    /// How its unit reads in committee documents when `unit` alone says too
    /// little, e.g. `sager pr. rådgiver` for a ratio; `null`: the unit's own word.
    #[schema(example = "sager pr. rådgiver")]
    pub display_unit: Option<String>,
    /// The template indicator it was created from, e.g. `notifications_assessed_24h`:
    /// the same measure in every municipality, so values can be compared.
    pub template_key: Option<String>,
    /// Who enters its values and is reminded when one is due (an editor or
    /// consultant of the plan's organization); `null`: nobody is reminded.
    pub owner_id: Option<UserId>,
    /// Days after a period's end within which its value is due (0–365).
    #[schema(example = 14)]
    pub grace_days: i32,
    /// The recommendations of the plan's analysis it answers.
    #[diesel(select_expression = answered_by_indicator())]
    #[diesel(select_expression_type = crate::db::IdArray)]
    pub recommendation_ids: Vec<RecommendationId>,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The recommendations a `indicators` row answers, read with it.
fn answered_by_indicator() -> crate::db::IdArray {
    diesel::dsl::sql(
        "ARRAY(SELECT l.recommendation_id FROM indicator_recommendations l \
         WHERE l.indicator_id = indicators.id ORDER BY l.recommendation_id)",
    )
}

impl Resource for Indicator {
    const ENTITY: Entity = Entity::INDICATOR;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }

    fn in_structure(&self) -> Option<(PlanId, &str)> {
        Some((self.plan_id, &self.name))
    }
}

impl Versioned for Indicator {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that creates an indicator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    /// A focus area of the same plan.
    pub focus_area_id: Option<FocusAreaId>,
    /// An initiative of the same plan (and of `focus_area_id`, when both are given).
    pub initiative_id: Option<InitiativeId>,
    /// Name, 1–200 characters.
    #[schema(
        example = "Andel underretninger vurderet inden for 24 timer",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    /// How it is measured, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub definition: Option<String>,
    /// Unit of its values.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Value at the start (0–100 for percent, never negative).
    #[schema(example = 62.5, minimum = 0, maximum = 1_000_000_000)]
    pub baseline_value: Option<f64>,
    /// Date of the baseline value.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub baseline_date: Option<NaiveDate>,
    /// Value to reach (0–100 for percent, never negative).
    #[schema(example = 95, minimum = 0, maximum = 1_000_000_000)]
    pub target_value: Option<f64>,
    /// When the target should be reached.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub target_date: Option<NaiveDate>,
    /// How often it is measured.
    pub frequency: Frequency,
    /// Which law its series follows.
    pub legal_regime: Option<LegalRegime>,
    /// How its unit reads in committee documents (the chart's axis, the
    /// caption), 1–200 characters, e.g. `sager pr. rådgiver`.
    #[schema(example = "sager pr. rådgiver", min_length = 1, max_length = 200)]
    pub display_unit: Option<String>,
    /// The recommendations of the same plan it answers (at most 100).
    #[schema(max_items = 100)]
    pub recommendation_ids: Option<Vec<RecommendationId>>,
    /// Who enters its values and is reminded (an editor or consultant of the
    /// plan's organization, 422 otherwise).
    pub owner_id: Option<UserId>,
    /// Days after a period's end within which its value is due, 0–365; 0 when absent.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(example = 14, minimum = 0, maximum = 365)]
    pub grace_days: Option<i32>,
}

/// Changes to an indicator; absent fields stay as they are, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorPatch {
    /// New focus area.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<FocusAreaId>)]
    pub focus_area_id: Option<Option<FocusAreaId>>,
    /// New initiative.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<InitiativeId>)]
    pub initiative_id: Option<Option<InitiativeId>>,
    /// New name.
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// New definition.
    #[schema(max_length = 20000)]
    pub definition: Option<String>,
    /// New unit.
    pub unit: Option<Unit>,
    /// New direction.
    pub direction: Option<Direction>,
    /// New baseline value.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 1_000_000_000)]
    pub baseline_value: Option<Option<f64>>,
    /// New baseline date.
    #[serde(default, deserialize_with = "crate::domain::strict_patch_date")]
    #[schema(value_type = Option<NaiveDate>)]
    pub baseline_date: Option<Option<NaiveDate>>,
    /// New target value.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 1_000_000_000)]
    pub target_value: Option<Option<f64>>,
    /// New target date.
    #[serde(default, deserialize_with = "crate::domain::strict_patch_date")]
    #[schema(value_type = Option<NaiveDate>)]
    pub target_date: Option<Option<NaiveDate>>,
    /// New frequency.
    pub frequency: Option<Frequency>,
    /// New legal regime.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<LegalRegime>)]
    pub legal_regime: Option<Option<LegalRegime>>,
    /// New display unit; `null` goes back to the unit's own word.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub display_unit: Option<Option<String>>,
    /// The recommendations it answers, replacing the current ones.
    #[schema(max_items = 100)]
    pub recommendation_ids: Option<Vec<RecommendationId>>,
    /// New owner; `null`: nobody is reminded.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<UserId>)]
    pub owner_id: Option<Option<UserId>>,
    /// New grace period in days, 0–365.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(minimum = 0, maximum = 365)]
    pub grace_days: Option<i32>,
}

/// Validated indicator fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = indicators, treat_none_as_null = true)]
pub struct IndicatorFields {
    focus_area_id: Option<FocusAreaId>,
    initiative_id: Option<InitiativeId>,
    name: String,
    definition: String,
    unit: Unit,
    direction: Direction,
    baseline_value: Option<f64>,
    baseline_date: Option<NaiveDate>,
    target_value: Option<f64>,
    target_date: Option<NaiveDate>,
    frequency: Frequency,
    legal_regime: Option<LegalRegime>,
    display_unit: Option<String>,
    owner_id: Option<UserId>,
    grace_days: i32,
    #[diesel(skip_insertion, skip_update)]
    recommendation_ids: Vec<RecommendationId>,
}

/// The most days after a period's end a value may be due.
pub const MAX_GRACE_DAYS: i32 = 365;

fn grace_days(days: Option<i32>) -> Result<i32, Refusal> {
    match days.unwrap_or(0) {
        days @ 0..=MAX_GRACE_DAYS => Ok(days),
        _ => Err(Refusal::new(
            FieldCode::OutOfRange,
            format!("must be from 0 to {MAX_GRACE_DAYS} days"),
        )),
    }
}

fn optional_value(unit: Unit, value: Option<f64>) -> Result<Option<f64>, Refusal> {
    value
        .map(|value| unit.check_value(value).map(|()| value))
        .transpose()
}

impl IndicatorInput {
    /// Parses the body into storable fields. That the focus area and
    /// initiative belong to the same plan is checked by the database.
    pub fn parse(self) -> Result<IndicatorFields, ApiError> {
        let (
            name,
            display_unit,
            definition,
            baseline_value,
            target_value,
            recommendation_ids,
            grace_days,
        ) = parse_fields! {
            name: Title::parse(self.name),
            display_unit: Title::parse_optional(self.display_unit),
            definition: LongText::parse(self.definition),
            baseline_value: optional_value(self.unit, self.baseline_value),
            target_value: optional_value(self.unit, self.target_value),
            recommendation_ids: distinct_ids(self.recommendation_ids.unwrap_or_default()),
            grace_days: grace_days(self.grace_days),
        }?;
        Ok(IndicatorFields {
            focus_area_id: self.focus_area_id,
            initiative_id: self.initiative_id,
            name: name.into_inner(),
            definition: definition.into_inner(),
            unit: self.unit,
            direction: self.direction,
            baseline_value,
            baseline_date: self.baseline_date,
            target_value,
            target_date: self.target_date,
            frequency: self.frequency,
            legal_regime: self.legal_regime,
            display_unit: display_unit.map(Title::into_inner),
            owner_id: self.owner_id,
            grace_days,
            recommendation_ids,
        })
    }
}

impl IndicatorPatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &Indicator) -> IndicatorInput {
        IndicatorInput {
            focus_area_id: self.focus_area_id.unwrap_or(current.focus_area_id),
            initiative_id: self.initiative_id.unwrap_or(current.initiative_id),
            name: self.name.unwrap_or_else(|| current.name.clone()),
            definition: Some(
                self.definition
                    .unwrap_or_else(|| current.definition.clone()),
            ),
            unit: self.unit.unwrap_or(current.unit),
            direction: self.direction.unwrap_or(current.direction),
            baseline_value: self.baseline_value.unwrap_or(current.baseline_value),
            baseline_date: self.baseline_date.unwrap_or(current.baseline_date),
            target_value: self.target_value.unwrap_or(current.target_value),
            target_date: self.target_date.unwrap_or(current.target_date),
            frequency: self.frequency.unwrap_or(current.frequency),
            legal_regime: self.legal_regime.unwrap_or(current.legal_regime),
            display_unit: self
                .display_unit
                .unwrap_or_else(|| current.display_unit.clone()),
            recommendation_ids: Some(
                self.recommendation_ids
                    .unwrap_or_else(|| current.recommendation_ids.clone()),
            ),
            owner_id: self.owner_id.unwrap_or(current.owner_id),
            grace_days: Some(self.grace_days.unwrap_or(current.grace_days)),
        }
    }
}
