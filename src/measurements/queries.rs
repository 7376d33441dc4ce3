//! SQL for measurements.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;

use super::{Measurement, MeasurementFields};
use crate::concurrency::matched_version;
use crate::db::PgConn;
use crate::db::schema::indicators::dsl as ind;
use crate::db::schema::measurements::dsl as m;
use crate::db::schema::plans;
use crate::domain::{IndicatorId, MeasurementId, PlanId, Unit};
use crate::error::ApiError;
use crate::indicators::Indicator;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The indicator's value for `period_end`, if recorded.
/// The measurement with `id` and the organization that owns its plan, or 404.
pub async fn find_scoped(
    conn: &mut PgConn,
    id: MeasurementId,
) -> Result<Scoped<Measurement>, ApiError> {
    m::measurements
        .inner_join(ind::indicators.inner_join(plans::table))
        .filter(crate::db::schema::measurements::id.eq(id))
        .select((Measurement::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::MEASUREMENT.label()))
        .map(|(row, organization)| Scoped::new(Entity::MEASUREMENT, row, organization))
}

pub(super) async fn find_for_period(
    conn: &mut PgConn,
    indicator_id: IndicatorId,
    period_end: NaiveDate,
) -> Result<Option<Measurement>, ApiError> {
    Ok(m::measurements
        .filter(
            m::indicator_id
                .eq(indicator_id)
                .and(m::period_end.eq(period_end)),
        )
        .select(Measurement::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Every stored value of the indicators `ids`.
pub(super) async fn of_indicators(
    conn: &mut PgConn,
    ids: &[IndicatorId],
) -> Result<Vec<Measurement>, ApiError> {
    Ok(m::measurements
        .filter(m::indicator_id.eq_any(ids))
        .select(Measurement::as_select())
        .load(conn)
        .await?)
}

/// The unit of each of the plan's indicators.
pub(super) async fn units_of_plan(
    conn: &mut PgConn,
    plan_id: PlanId,
) -> Result<Vec<(IndicatorId, Unit)>, ApiError> {
    Ok(ind::indicators
        .filter(ind::plan_id.eq(plan_id))
        .select((ind::id, ind::unit))
        .load(conn)
        .await?)
}

/// An indicator's values in period order; the cursor is the last id seen.
pub(super) async fn list(
    conn: &mut PgConn,
    indicator_id: IndicatorId,
    page: Page,
) -> Result<Vec<Measurement>, ApiError> {
    let mut query = m::measurements
        .filter(m::indicator_id.eq(indicator_id))
        .select(Measurement::as_select())
        .order(m::period_end)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(m::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        let cursor_row = diesel::alias!(crate::db::schema::measurements as cursor_row);
        let after_period = cursor_row
            .find(MeasurementId(after))
            .select(cursor_row.field(m::period_end))
            .single_value();
        query = query.filter(m::period_end.nullable().gt(after_period));
    }
    Ok(query.load(conn).await?)
}

/// The latest value of every indicator of a plan, in one statement: one
/// backward probe of `measurements_indicator_period_key` per indicator
/// (LATERAL … LIMIT 1). `DISTINCT ON` over a join read and sorted every
/// measurement of the plan instead (480 ms for 210,000; BENCHMARKS.md). The
/// DSL has no LATERAL, hence SQL text.
pub async fn latest_for_plan(
    conn: &mut PgConn,
    plan_id: PlanId,
) -> Result<Vec<Measurement>, ApiError> {
    Ok(diesel::sql_query(
        "SELECT m.* FROM indicators i CROSS JOIN LATERAL \
         (SELECT * FROM measurements WHERE measurements.indicator_id = i.id \
          ORDER BY measurements.period_end DESC LIMIT 1) m \
         WHERE i.plan_id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(plan_id.0)
    .load(conn)
    .await?)
}

pub(super) async fn insert(
    conn: &mut PgConn,
    indicator: &Indicator,
    fields: MeasurementFields,
) -> Result<Measurement, ApiError> {
    Ok(diesel::insert_into(m::measurements)
        .values((
            m::id.eq(MeasurementId::new()),
            m::indicator_id.eq(indicator.id),
            fields,
        ))
        .returning(Measurement::as_returning())
        .get_result(conn)
        .await?)
}

/// Inserts or replaces the value for the fields' period in one statement.
pub(super) async fn upsert(
    conn: &mut PgConn,
    indicator_id: IndicatorId,
    fields: MeasurementFields,
) -> Result<Measurement, ApiError> {
    let value = super::batch::BatchValue {
        indicator_id,
        fields,
    };
    upsert_all(conn, vec![value])
        .await?
        .into_values()
        .next()
        .ok_or_else(|| ApiError::Internal("an upserted value was not returned".into()))
}

/// Upserts `values` (distinct indicators and periods) a thousand to a
/// statement; returns the stored rows by indicator and period.
pub(super) async fn upsert_all(
    conn: &mut PgConn,
    values: Vec<super::batch::BatchValue>,
) -> Result<std::collections::HashMap<(IndicatorId, NaiveDate), Measurement>, ApiError> {
    let mut stored = std::collections::HashMap::with_capacity(values.len());
    let mut values = values.into_iter().peekable();
    while values.peek().is_some() {
        let rows: Vec<_> = values
            .by_ref()
            .take(1000)
            .map(|value| {
                (
                    m::id.eq(MeasurementId::new()),
                    m::indicator_id.eq(value.indicator_id),
                    value.fields,
                )
            })
            .collect();
        let returned: Vec<Measurement> = diesel::insert_into(m::measurements)
            .values(rows)
            .on_conflict((m::indicator_id, m::period_end))
            .do_update()
            .set((
                m::value.eq(excluded(m::value)),
                m::note.eq(excluded(m::note)),
                m::recorded_by.eq(excluded(m::recorded_by)),
            ))
            .returning(Measurement::as_returning())
            .get_results(conn)
            .await?;
        stored.extend(
            returned
                .into_iter()
                .map(|m| ((m.indicator_id, m.period_end), m)),
        );
    }
    Ok(stored)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: MeasurementId,
    version: i32,
    fields: MeasurementFields,
) -> Result<Measurement, ApiError> {
    diesel::update(m::measurements.find(id).filter(m::version.eq(version)))
        .set(fields)
        .returning(Measurement::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

pub(super) async fn delete(
    conn: &mut PgConn,
    id: MeasurementId,
    version: i32,
) -> Result<(), ApiError> {
    matched_version(
        diesel::delete(m::measurements.find(id).filter(m::version.eq(version)))
            .execute(conn)
            .await?,
    )
}
