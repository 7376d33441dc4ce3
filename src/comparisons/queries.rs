//! Reading a template indicator across municipalities.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::PgConn;
use crate::db::schema::{indicators, measurements, organizations, plans};
use crate::domain::IndicatorId;
use crate::error::ApiError;
use crate::indicators::Indicator;
use crate::measurements::Measurement;
use crate::plans::Plan;

/// A template indicator in one plan, with the plan and its organization's name.
pub(super) type Row = (Indicator, Plan, String);

/// Every plan's indicator made from the template indicator `key` (newest plan
/// first), and their values.
pub(super) async fn load(
    conn: &mut PgConn,
    key: &str,
) -> Result<(Vec<Row>, Vec<Measurement>), ApiError> {
    let rows: Vec<Row> = indicators::table
        .inner_join(plans::table.inner_join(organizations::table))
        .filter(indicators::template_key.eq(key))
        .order(plans::id.desc())
        .select((
            Indicator::as_select(),
            Plan::as_select(),
            organizations::name,
        ))
        .load(conn)
        .await?;
    let ids: Vec<IndicatorId> = rows.iter().map(|(i, _, _)| i.id).collect();
    let values = measurements::table
        .filter(measurements::indicator_id.eq_any(ids))
        .select(Measurement::as_select())
        .load(conn)
        .await?;
    Ok((rows, values))
}
