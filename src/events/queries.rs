//! Reading the feed from the audit trail.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable};
use diesel_async::RunQueryDsl;

use super::{EventQuery, FeedRow};
use crate::auth::Visible;
use crate::db::PgConn;
use crate::db::schema::audit_events::dsl as a;
use crate::error::ApiError;

/// The events after `query.after` that `visible` may read, up to
/// `query.limit + 1`, of transactions that can no longer be overtaken: older
/// than every transaction still running.
pub(super) async fn page(
    conn: &mut PgConn,
    visible: &Visible,
    query: EventQuery,
) -> Result<Vec<FeedRow>, ApiError> {
    let settled = sql::<BigInt>("pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
    let version = sql::<Nullable<Integer>>("(after->>'version')::integer");
    let mut rows = a::audit_events
        .filter(a::feed_txid.lt(settled))
        .select((
            a::id,
            a::occurred_at,
            a::entity_type,
            a::entity_id,
            a::action,
            a::organization_id,
            a::plan_id,
            version,
            a::feed_txid,
            a::feed_seq,
        ))
        .order((a::feed_txid, a::feed_seq))
        .limit(query.limit + 1)
        .into_boxed();
    if let Visible::Only(organizations) = visible {
        rows = rows.filter(a::organization_id.eq_any(organizations.clone()));
    }
    if let Some(after) = query.after {
        rows = rows.filter(
            a::feed_txid
                .gt(after.txid)
                .or(a::feed_txid.eq(after.txid).and(a::feed_seq.gt(after.seq))),
        );
    }
    Ok(rows.load(conn).await?)
}

/// The oldest transaction still running: every event of an older one is settled.
pub(super) async fn settled_horizon(conn: &mut PgConn) -> Result<i64, ApiError> {
    Ok(diesel::select(sql::<BigInt>(
        "pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
    ))
    .get_result(conn)
    .await?)
}
