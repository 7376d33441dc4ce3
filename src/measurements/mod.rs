//! Measurements: an indicator's value for one period. One value per
//! indicator and period; recording again for a period is an explicit upsert
//! (PUT …/measurements/{period_end}), never a silent duplicate.

pub mod batch;
mod handlers;
mod queries;

pub use handlers::routes;
pub use queries::latest_for_plan;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::measurements;
use crate::domain::{IndicatorId, LongText, MeasurementId, Unit, UserId};
use crate::error::ApiError;
use crate::parse_fields;
use crate::resource::{Entity, Resource};

/// One value of an indicator.
#[derive(
    Debug,
    Clone,
    Serialize,
    ToSchema,
    diesel::prelude::Queryable,
    diesel::prelude::QueryableByName,
    diesel::prelude::Selectable,
)]
#[diesel(table_name = measurements, check_for_backend(diesel::pg::Pg))]
pub struct Measurement {
    /// Id.
    pub id: MeasurementId,
    /// The indicator it measures.
    pub indicator_id: IndicatorId,
    /// The last day of the period the value covers.
    #[schema(example = "2025-03-31")]
    pub period_end: NaiveDate,
    /// The value, exactly as entered.
    #[schema(example = 87.5)]
    #[serde(serialize_with = "crate::json::number")]
    pub value: f64,
    /// A note on the value; may be empty.
    pub note: String,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was first recorded.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The user who last recorded it.
    pub recorded_by: Option<UserId>,
}

impl Resource for Measurement {
    const ENTITY: Entity = Entity::MEASUREMENT;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }
}

impl Versioned for Measurement {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that records a value for a new period.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementInput {
    /// The last day of the period the value covers.
    #[schema(example = "2025-03-31")]
    #[serde(deserialize_with = "crate::domain::strict_date")]
    pub period_end: NaiveDate,
    /// The value (0–100 for percent, never negative).
    #[schema(example = 87.5, minimum = 0, maximum = 1_000_000_000)]
    pub value: f64,
    /// A note, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub note: Option<String>,
}

/// The body of PUT …/measurements/{period_end}: the value for that period.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementValue {
    /// The value (0–100 for percent, never negative).
    #[schema(example = 87.5, minimum = 0, maximum = 1_000_000_000)]
    pub value: f64,
    /// A note, up to 20,000 characters.
    #[schema(max_length = 20000)]
    pub note: Option<String>,
}

/// Changes to a measurement; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementPatch {
    /// New period end (must still be free for the indicator).
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub period_end: Option<NaiveDate>,
    /// New value.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub value: Option<f64>,
    /// New note.
    #[schema(max_length = 20000)]
    pub note: Option<String>,
}

/// Validated measurement fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = measurements)]
pub struct MeasurementFields {
    period_end: NaiveDate,
    value: f64,
    note: String,
    recorded_by: UserId,
}

impl MeasurementFields {
    /// The period the value covers.
    pub fn period_end(&self) -> NaiveDate {
        self.period_end
    }

    /// The value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// Whether `stored` already holds exactly these fields (who recorded it aside).
    pub fn matches(&self, stored: &Measurement) -> bool {
        stored.period_end == self.period_end
            && stored.value.to_bits() == self.value.to_bits()
            && stored.note == self.note
    }
}

impl MeasurementInput {
    /// Parses the body, recorded by `recorded_by`; the value must suit the indicator's `unit`.
    pub fn parse(self, unit: Unit, recorded_by: UserId) -> Result<MeasurementFields, ApiError> {
        let ((), note) = parse_fields! {
            value: unit.check_value(self.value),
            note: LongText::parse(self.note),
        }?;
        Ok(MeasurementFields {
            period_end: self.period_end,
            value: self.value,
            note: note.into_inner(),
            recorded_by,
        })
    }
}

impl MeasurementValue {
    /// The full input for `period_end`.
    pub fn for_period(self, period_end: NaiveDate) -> MeasurementInput {
        MeasurementInput {
            period_end,
            value: self.value,
            note: self.note,
        }
    }
}

impl MeasurementPatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &Measurement) -> MeasurementInput {
        MeasurementInput {
            period_end: self.period_end.unwrap_or(current.period_end),
            value: self.value.unwrap_or(current.value),
            note: Some(self.note.unwrap_or_else(|| current.note.clone())),
        }
    }
}

/// A `period_end` path segment: an ISO date, or 422.
pub fn parse_period_end(raw: &str) -> Result<NaiveDate, ApiError> {
    crate::domain::parse_date(raw).map_err(|refusal| ApiError::refused("period_end", refusal))
}
