//! The event feed: every change a caller may read, in commit order, so a UI or
//! another system stays in sync without re-reading everything. It is the audit
//! trail read in an order that is safe against transactions committing out of
//! order (see the migration `add_event_feed`), without the rows' contents:
//! fetch what changed by its id.

mod handlers;
mod queries;

pub use handlers::routes;

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::{AuditAction, AuditEventId, OrganizationId, PlanId};
use crate::error::ApiError;

/// Events per page by default.
const DEFAULT_LIMIT: u32 = 100;
/// Most events per page.
const MAX_LIMIT: u32 = 500;
/// The longest a request waits for new events.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// A position in the feed: the transaction and sequence number of an event.
/// Written as `e1-<transaction>-<sequence>`; opaque to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedPosition {
    txid: i64,
    seq: i64,
}

impl FeedPosition {
    /// The position of the event in transaction `txid` with sequence number `seq`.
    pub fn new(txid: i64, seq: i64) -> Self {
        Self { txid, seq }
    }

    /// The transaction.
    pub fn txid(self) -> i64 {
        self.txid
    }

    /// The sequence number within the feed.
    pub fn seq(self) -> i64 {
        self.seq
    }

    fn parse(cursor: &str) -> Option<Self> {
        let mut parts = cursor.strip_prefix("e1-")?.splitn(2, '-');
        let txid = parts.next()?.parse().ok()?;
        let seq = parts.next()?.parse().ok()?;
        (txid >= 0 && seq >= 0).then_some(Self { txid, seq })
    }

    fn cursor(self) -> String {
        format!("e1-{}-{}", self.txid, self.seq)
    }
}

/// One change, as the feed tells it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    /// Where the feed continues after this event (send it as `after`).
    #[schema(example = "e1-7345-1290")]
    pub cursor: String,
    /// The audit event (GET /api/v1/audit-events?entity_id=… has its contents,
    /// for those who may read the audit trail).
    pub id: AuditEventId,
    /// When the change was made.
    pub occurred_at: DateTime<Utc>,
    /// What kind of record changed, e.g. `plan`, `measurement`.
    #[schema(example = "measurement")]
    pub entity_type: String,
    /// The record's id.
    pub entity_id: Uuid,
    /// What happened to it.
    pub action: AuditAction,
    /// The organization it belongs to (`null` for users and other records
    /// outside any organization).
    pub organization_id: Option<OrganizationId>,
    /// The plan it belongs to, if any.
    pub plan_id: Option<PlanId>,
    /// The record's version after the change (its ETag); `null` after a
    /// delete and for records without versions.
    pub version: Option<i32>,
}

/// One page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// The events, oldest first.
    pub items: Vec<Event>,
    /// Where to continue: the last event's cursor, or the `after` you sent when
    /// there is nothing new (`null` only while the feed is empty).
    pub next_cursor: Option<String>,
    /// Whether more events are ready now (ask again without waiting).
    pub has_more: bool,
}

/// The query of GET /events.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// The `next_cursor` (or an event's `cursor`) to continue after; from the
    /// beginning when absent. Opaque: send back what the feed gave you.
    #[param(pattern = "^e1-[0-9]{1,18}-[0-9]{1,18}$")]
    pub after: Option<String>,
    /// Events per page, 1–500.
    #[param(minimum = 1, maximum = 500, default = 100)]
    pub limit: Option<u32>,
    /// Seconds to wait for an event when there is none yet, 0–30: a long poll.
    #[param(minimum = 0, maximum = 30, default = 0)]
    pub wait: Option<u32>,
}

/// The feed query, parsed.
#[derive(Debug, Clone, Copy)]
pub struct EventQuery {
    /// Continue after this position.
    pub after: Option<FeedPosition>,
    /// Events per page.
    pub limit: i64,
    /// How long to wait for a first event.
    pub wait: Duration,
}

impl EventParams {
    /// Parses the query; anything out of range is a 400 naming the parameter.
    pub fn parse(&self) -> Result<EventQuery, ApiError> {
        let after = match self.after.as_deref() {
            None => None,
            Some(cursor) => Some(FeedPosition::parse(cursor).ok_or_else(|| {
                ApiError::BadRequest("Query parameter `after` is not a cursor of this feed.".into())
            })?),
        };
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::BadRequest(format!(
                "Query parameter `limit` must be between 1 and {MAX_LIMIT}."
            )));
        }
        let wait = u64::from(self.wait.unwrap_or(0));
        if wait > MAX_WAIT.as_secs() {
            return Err(ApiError::BadRequest(format!(
                "Query parameter `wait` must be between 0 and {} seconds.",
                MAX_WAIT.as_secs()
            )));
        }
        Ok(EventQuery {
            after,
            limit: i64::from(limit),
            wait: Duration::from_secs(wait),
        })
    }
}

/// A stored event with its feed position.
#[derive(Debug, Clone, diesel::prelude::Queryable)]
pub struct FeedRow {
    id: AuditEventId,
    occurred_at: DateTime<Utc>,
    entity_type: String,
    entity_id: Uuid,
    action: AuditAction,
    organization_id: Option<OrganizationId>,
    plan_id: Option<PlanId>,
    version: Option<i32>,
    txid: i64,
    seq: i64,
}

impl FeedRow {
    fn position(&self) -> FeedPosition {
        FeedPosition::new(self.txid, self.seq)
    }

    fn into_event(self) -> Event {
        Event {
            cursor: self.position().cursor(),
            id: self.id,
            occurred_at: self.occurred_at,
            entity_type: self.entity_type,
            entity_id: self.entity_id,
            action: self.action,
            organization_id: self.organization_id,
            plan_id: self.plan_id,
            version: self.version,
        }
    }
}

impl EventPage {
    /// A page from up to `limit + 1` rows (the extra one says there is more).
    pub fn new(mut rows: Vec<FeedRow>, query: EventQuery) -> Self {
        let has_more = rows.len() as i64 > query.limit;
        rows.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
        let next_cursor = rows
            .last()
            .map(FeedRow::position)
            .or(query.after)
            .map(FeedPosition::cursor);
        Self {
            items: rows.into_iter().map(FeedRow::into_event).collect(),
            next_cursor,
            has_more,
        }
    }
}

/// The settled events of `organization` after `after`, oldest first, at most
/// `limit`, each with its position: what a webhook of the organization receives.
/// With none, the position to continue from, past every settled transaction,
/// so the next read does not walk the same stretch of the feed again.
pub async fn of_organization(
    conn: &mut crate::db::PgConn,
    organization: OrganizationId,
    after: FeedPosition,
    limit: i64,
) -> Result<(Vec<(FeedPosition, Event)>, FeedPosition), ApiError> {
    // Taken before the read: every transaction below it has settled by then.
    let horizon = queries::settled_horizon(conn).await?;
    let query = EventQuery {
        after: Some(after),
        limit,
        wait: Duration::ZERO,
    };
    let rows = queries::page(conn, &crate::auth::Visible::Only(vec![organization]), query).await?;
    let events: Vec<(FeedPosition, Event)> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|row| (row.position(), row.into_event()))
        .collect();
    let next = match events.last() {
        Some((last, _)) => *last,
        // Nothing of this organization in any transaction below the horizon.
        None => after.max(FeedPosition::new(horizon - 1, i64::MAX)),
    };
    Ok((events, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_position_it_was_written_from() {
        let position = FeedPosition::new(7345, 1290);
        assert_eq!(FeedPosition::parse(&position.cursor()), Some(position));
        for bad in [
            "", "e1-", "e1-1", "e1-1-", "e2-1-2", "e1--1-2", "e1-1-x", "c1abc",
        ] {
            assert_eq!(FeedPosition::parse(bad), None, "{bad:?}");
        }
        assert!(FeedPosition::new(2, 1) > FeedPosition::new(1, 900));
    }
}
