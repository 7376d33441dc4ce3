//! Recording a set of values of one plan in one request: a quarter's figures
//! for every indicator at once, all or nothing. A value that is already
//! stored as sent is left alone, so sending the same set twice changes
//! nothing the second time.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Measurement, MeasurementFields, MeasurementInput, queries};
use crate::audit::Change;
use crate::db::PgConn;
use crate::domain::{IndicatorId, OrganizationId, PlanId, Unit, UserId};
use crate::error::{ApiError, FieldCode, FieldError, Refusal};
use crate::resource::{Entity, Recorded};

/// The most values one request records.
pub const MAX_ITEMS: usize = 2000;

/// The body of POST /plans/{plan_id}/measurements.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementBatch {
    /// The values, at most 2,000, each for an indicator of the plan; one per
    /// indicator and period.
    #[schema(min_items = 1, max_items = 2000)]
    pub measurements: Vec<BatchItem>,
}

/// One value of a batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// The indicator, of the plan in the path.
    pub indicator_id: IndicatorId,
    /// The last day of the period the value covers.
    #[schema(example = "2025-03-31")]
    #[serde(deserialize_with = "crate::domain::strict_date")]
    pub period_end: NaiveDate,
    /// The value (0–100 for percent, never negative).
    #[schema(example = 87.5, minimum = 0, maximum = 1_000_000_000)]
    pub value: f64,
    /// A note, up to 20,000 characters; absent is an empty note.
    #[schema(max_length = 20000)]
    pub note: Option<String>,
}

/// What a batch did, item by item in the order sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    /// Values recorded for a period that had none.
    pub created: usize,
    /// Values that replaced a different one.
    pub updated: usize,
    /// Values already stored exactly as sent.
    pub unchanged: usize,
    /// Every value as stored now, in the order sent.
    pub measurements: Vec<Measurement>,
}

/// A parsed batch item, ready to store.
#[derive(Debug)]
pub struct BatchValue {
    /// Its indicator.
    pub indicator_id: IndicatorId,
    /// Its fields.
    pub fields: MeasurementFields,
}

impl MeasurementBatch {
    /// Parses every item against the plan's indicators (`units`); every
    /// offending item is named in one 422 (`measurements[3].value`).
    pub fn parse(
        self,
        units: &[(IndicatorId, Unit)],
        recorded_by: UserId,
    ) -> Result<Vec<BatchValue>, ApiError> {
        if self.measurements.is_empty() || self.measurements.len() > MAX_ITEMS {
            return Err(ApiError::invalid(
                "measurements",
                crate::error::FieldCode::TooMany,
                format!("must hold 1 to {MAX_ITEMS} values"),
            ));
        }
        let mut errors = Vec::new();
        let mut values = Vec::with_capacity(self.measurements.len());
        let mut seen: Vec<(IndicatorId, NaiveDate)> = Vec::with_capacity(values.capacity());
        for (n, item) in self.measurements.into_iter().enumerate() {
            let at = |field: &str| format!("measurements[{n}].{field}");
            let key = (item.indicator_id, item.period_end);
            if let Some(first) = seen.iter().position(|k| *k == key) {
                errors.push(FieldError::new(
                    format!("measurements[{n}]"),
                    Refusal::new(
                        FieldCode::Duplicate,
                        format!("the same indicator and period as measurements[{first}]"),
                    ),
                ));
            }
            seen.push(key);
            let Some(unit) = units
                .iter()
                .find(|(id, _)| *id == item.indicator_id)
                .map(|u| u.1)
            else {
                errors.push(FieldError::new(
                    at("indicator_id"),
                    Refusal::new(FieldCode::NoSuchRecord, "is not an indicator of this plan"),
                ));
                continue;
            };
            let input = MeasurementInput {
                period_end: item.period_end,
                value: item.value,
                note: item.note,
            };
            match input.parse(unit, recorded_by) {
                Ok(fields) => values.push(BatchValue {
                    indicator_id: item.indicator_id,
                    fields,
                }),
                Err(ApiError::Validation(found)) => {
                    errors.extend(found.into_iter().map(|e| FieldError {
                        field: at(&e.field),
                        ..e
                    }))
                }
                Err(other) => return Err(other),
            }
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// The units of the plan's indicators, which a batch is parsed against.
pub async fn units_of_plan(
    conn: &mut PgConn,
    plan_id: PlanId,
) -> Result<Vec<(IndicatorId, Unit)>, ApiError> {
    queries::units_of_plan(conn, plan_id).await
}

/// What storing a value did (or, in a preview, would do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A value for a period that had none.
    Created,
    /// A different value replaced.
    Updated,
    /// The value was already stored exactly so.
    Unchanged,
}

/// What storing `values` would do to each, in order, without writing.
pub async fn preview<'v>(
    conn: &mut PgConn,
    values: impl Iterator<Item = &'v BatchValue> + Clone,
) -> Result<Vec<Outcome>, ApiError> {
    let ids: Vec<IndicatorId> = values.clone().map(|v| v.indicator_id).collect();
    let stored = stored_values(conn, &ids).await?;
    Ok(values
        .map(|value| match stored_for(&stored, value) {
            Some(current) if value.fields.matches(current) => Outcome::Unchanged,
            Some(_) => Outcome::Updated,
            None => Outcome::Created,
        })
        .collect())
}

/// Gives each value marked in `keep` the note already stored for its period:
/// an import whose note cell is empty leaves a stored note alone (planspor's
/// own export carries no notes, so exporting and importing back changes nothing).
pub async fn keep_stored_notes(
    conn: &mut PgConn,
    values: &mut [BatchValue],
    keep: &[bool],
) -> Result<(), ApiError> {
    let ids: Vec<IndicatorId> = values.iter().map(|v| v.indicator_id).collect();
    let stored = stored_values(conn, &ids).await?;
    for (value, keep) in values.iter_mut().zip(keep) {
        if let Some(current) = stored_for(&stored, value).filter(|_| *keep) {
            value.fields.note = current.note.clone();
        }
    }
    Ok(())
}

/// Stored values by indicator and period: an import of 50,000 rows looks each up once.
type Stored = HashMap<(IndicatorId, NaiveDate), Measurement>;

async fn stored_values(conn: &mut PgConn, ids: &[IndicatorId]) -> Result<Stored, ApiError> {
    Ok(queries::of_indicators(conn, ids)
        .await?
        .into_iter()
        .map(|m| ((m.indicator_id, m.period_end), m))
        .collect())
}

fn stored_for<'s>(stored: &'s Stored, value: &BatchValue) -> Option<&'s Measurement> {
    stored.get(&(value.indicator_id, value.fields.period_end()))
}

/// Stores `values` (inside the caller's transaction): each new or different
/// value is upserted and recorded as its own change; an identical one is left
/// as it is.
pub async fn record(
    conn: &mut PgConn,
    organization: OrganizationId,
    values: Vec<BatchValue>,
) -> Result<Recorded<BatchResult>, ApiError> {
    Ok(record_each(conn, organization, values)
        .await?
        .map(|(result, _)| result))
}

/// As [`record`], also saying what happened to each value, in order.
pub async fn record_each(
    conn: &mut PgConn,
    organization: OrganizationId,
    values: Vec<BatchValue>,
) -> Result<Recorded<(BatchResult, Vec<Outcome>)>, ApiError> {
    let ids: Vec<IndicatorId> = values.iter().map(|v| v.indicator_id).collect();
    let stored = stored_values(conn, &ids).await?;
    let mut result = BatchResult {
        created: 0,
        updated: 0,
        unchanged: 0,
        measurements: Vec::with_capacity(values.len()),
    };
    let mut outcomes = Vec::with_capacity(values.len());
    let mut changes = Vec::new();
    // Every new or different value goes in a few statements (keys are
    // distinct: a batch and an import refuse a second value for a period)…
    let mut plan = Vec::with_capacity(values.len());
    let mut writes = Vec::new();
    for value in values {
        let key = (value.indicator_id, value.fields.period_end());
        let unchanged = stored_for(&stored, &value).is_some_and(|c| value.fields.matches(c));
        plan.push((key, unchanged));
        if !unchanged {
            writes.push(value);
        }
    }
    let mut written = queries::upsert_all(conn, writes).await?;
    // …and each is told and audited in the order sent.
    for (key, unchanged) in plan {
        let current = stored.get(&key);
        if unchanged {
            result.unchanged += 1;
            outcomes.push(Outcome::Unchanged);
            result.measurements.extend(current.cloned());
            continue;
        }
        let row = written
            .remove(&key)
            .ok_or_else(|| ApiError::Internal("an upserted value was not returned".into()))?;
        if current.is_some() {
            result.updated += 1;
            outcomes.push(Outcome::Updated);
        } else {
            result.created += 1;
            outcomes.push(Outcome::Created);
        }
        changes.push(Change::upserted(
            Entity::MEASUREMENT.name(),
            row.id.0,
            Some(organization),
            current,
            &row,
        ));
        result.measurements.push(row);
    }
    Ok(Recorded::many((result, outcomes), changes))
}
