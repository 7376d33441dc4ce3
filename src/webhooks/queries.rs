//! SQL for webhooks and their deliveries.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::signing::Secret;
use super::{Delivery, Webhook, WebhookFields};
use crate::db::PgConn;
use crate::db::schema::webhook_deliveries::dsl as d;
use crate::db::schema::webhook_progress::dsl as p;
use crate::db::schema::webhooks::dsl as w;
use crate::domain::{DeliveryStatus, OrganizationId, WebhookId};
use crate::error::ApiError;
use crate::events::FeedPosition;
use crate::pagination::Page;
use crate::resource::{Entity, Scoped};

/// The subscription with `id` and its organization, or 404.
pub async fn find_scoped(conn: &mut PgConn, id: WebhookId) -> Result<Scoped<Webhook>, ApiError> {
    let row = find(conn, id).await?;
    let organization = row.organization_id;
    Ok(Scoped::new(Entity::WEBHOOK, row, organization))
}

/// The subscription with `id`, or 404.
pub async fn find(conn: &mut PgConn, id: WebhookId) -> Result<Webhook, ApiError> {
    w::webhooks
        .find(id)
        .select(Webhook::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::WEBHOOK.label()))
}

pub(super) async fn list(
    conn: &mut PgConn,
    organization: OrganizationId,
    page: Page,
) -> Result<Vec<Webhook>, ApiError> {
    let mut query = w::webhooks
        .filter(w::organization_id.eq(organization))
        .select(Webhook::as_select())
        .order(w::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(w::updated_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(w::id.gt(WebhookId(after)));
    }
    Ok(query.load(conn).await?)
}

/// Registers a subscription. It receives the events of transactions from now
/// on: its place in the feed starts before every transaction still running.
pub(super) async fn insert(
    conn: &mut PgConn,
    organization: OrganizationId,
    fields: WebhookFields,
    secret: &Secret,
) -> Result<Webhook, ApiError> {
    let id = WebhookId::new();
    let row = diesel::insert_into(w::webhooks)
        .values((
            w::id.eq(id),
            w::organization_id.eq(organization),
            w::secret.eq(secret.expose()),
            &fields,
        ))
        .returning(Webhook::as_returning())
        .get_result(conn)
        .await?;
    diesel::sql_query(
        "INSERT INTO webhook_progress (webhook_id, cursor_txid, cursor_seq) \
         VALUES ($1, pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1, 9223372036854775807)",
    )
    .bind::<diesel::sql_types::Uuid, _>(id.0)
    .execute(conn)
    .await?;
    Ok(row)
}

pub(super) async fn update(
    conn: &mut PgConn,
    id: WebhookId,
    version: i32,
    fields: WebhookFields,
) -> Result<Webhook, ApiError> {
    let enabled = fields.enabled;
    let row = diesel::update(w::webhooks.find(id).filter(w::version.eq(version)))
        .set(&fields)
        .returning(Webhook::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)?;
    if enabled {
        // Resumed: the run of failures that disabled it is forgiven.
        forgive_failures(conn, id).await?;
    }
    Ok(row)
}

pub(super) async fn delete(conn: &mut PgConn, id: WebhookId, version: i32) -> Result<(), ApiError> {
    crate::concurrency::matched_version(
        diesel::delete(w::webhooks.find(id).filter(w::version.eq(version)))
            .execute(conn)
            .await?,
    )
}

/// A new secret; the current one keeps signing until `previous_until`.
pub(super) async fn rotate(
    conn: &mut PgConn,
    id: WebhookId,
    version: i32,
    secret: &Secret,
    previous_until: DateTime<Utc>,
) -> Result<Webhook, ApiError> {
    diesel::update(w::webhooks.find(id).filter(w::version.eq(version)))
        .set((
            w::previous_secret.eq(w::secret.nullable()),
            w::previous_secret_expires_at.eq(previous_until),
            w::secret.eq(secret.expose()),
        ))
        .returning(Webhook::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .ok_or(ApiError::PreconditionFailed)
}

pub(super) async fn deliveries(
    conn: &mut PgConn,
    webhook: WebhookId,
    page: Page,
) -> Result<Vec<Delivery>, ApiError> {
    let mut query = d::webhook_deliveries
        .filter(d::webhook_id.eq(webhook))
        .select(Delivery::as_select())
        .order(d::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(d::created_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(d::id.gt(crate::domain::DeliveryId(after)));
    }
    Ok(query.load(conn).await?)
}

/// An enabled subscription's place in the feed, held by this transaction.
#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Subscriber {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: WebhookId,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub organization_id: OrganizationId,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    pub event_types: Vec<crate::domain::EventType>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub cursor_txid: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub cursor_seq: i64,
}

/// The enabled subscriptions no other instance is fanning out to right now.
pub(super) async fn lock_subscribers(conn: &mut PgConn) -> Result<Vec<Subscriber>, ApiError> {
    Ok(diesel::sql_query(
        "SELECT w.id, w.organization_id, w.event_types, p.cursor_txid, p.cursor_seq \
         FROM webhook_progress p JOIN webhooks w ON w.id = p.webhook_id \
         WHERE w.enabled ORDER BY w.id FOR UPDATE OF p SKIP LOCKED",
    )
    .load(conn)
    .await?)
}

/// A delivery to queue.
#[derive(Debug, Insertable)]
#[diesel(table_name = crate::db::schema::webhook_deliveries)]
pub(super) struct NewDelivery {
    pub id: crate::domain::DeliveryId,
    pub webhook_id: WebhookId,
    pub event_id: crate::domain::AuditEventId,
    pub event_type: String,
    pub payload: serde_json::Value,
}

/// Queues `deliveries` (each event once per subscription) and moves the
/// subscription's place in the feed to `position`.
pub(super) async fn queue(
    conn: &mut PgConn,
    webhook: WebhookId,
    deliveries: Vec<NewDelivery>,
    position: FeedPosition,
) -> Result<usize, ApiError> {
    let queued = if deliveries.is_empty() {
        0
    } else {
        diesel::insert_into(d::webhook_deliveries)
            .values(deliveries)
            .on_conflict((d::webhook_id, d::event_id))
            .do_nothing()
            .execute(conn)
            .await?
    };
    diesel::update(p::webhook_progress.find(webhook))
        .set((
            p::cursor_txid.eq(position.txid()),
            p::cursor_seq.eq(position.seq()),
        ))
        .execute(conn)
        .await?;
    Ok(queued)
}

/// A claimed delivery with what sending it needs.
#[derive(Debug, Clone, Queryable)]
pub(super) struct Attempt {
    pub delivery: Delivery,
    pub url: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
}

/// Takes up to `limit` due deliveries of enabled subscriptions that no other
/// instance holds, and holds them until `hold_until`.
pub(super) async fn claim(
    conn: &mut PgConn,
    limit: i64,
    hold_until: DateTime<Utc>,
) -> Result<Vec<Attempt>, ApiError> {
    let ids: Vec<Claimed> = diesel::sql_query(
        "UPDATE webhook_deliveries SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN ( \
             SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             WHERE w.enabled AND d.status = 'pending' AND d.next_attempt_at <= now() \
               AND (d.locked_until IS NULL OR d.locked_until < now()) \
             ORDER BY d.next_attempt_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED) \
         RETURNING id",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(hold_until)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await?;
    let ids: Vec<uuid::Uuid> = ids.into_iter().map(|c| c.id).collect();
    Ok(d::webhook_deliveries
        .inner_join(w::webhooks)
        .filter(d::id.eq_any(ids))
        .select((
            Delivery::as_select(),
            w::url,
            w::secret,
            w::previous_secret,
            w::previous_secret_expires_at,
        ))
        .load(conn)
        .await?)
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
}

/// The receiver accepted the delivery: its subscription's run of failures ends.
pub(super) async fn delivered(
    conn: &mut PgConn,
    delivery: &Delivery,
    status_code: u16,
) -> Result<(), ApiError> {
    diesel::update(d::webhook_deliveries.find(delivery.id))
        .set((
            d::status.eq(DeliveryStatus::Delivered),
            d::delivered_at.eq(Utc::now()),
            d::locked_until.eq(None::<DateTime<Utc>>),
            d::last_status_code.eq(Some(i32::from(status_code))),
            d::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .await?;
    forgive_failures(conn, delivery.webhook_id).await
}

/// The subscription's run of failures is over.
async fn forgive_failures(conn: &mut PgConn, webhook: WebhookId) -> Result<(), ApiError> {
    diesel::update(p::webhook_progress.find(webhook))
        .set((
            p::consecutive_failures.eq(0),
            p::failing_since.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The attempt failed: retried at `retry_at`, or never (`None`). Returns the
/// subscription's run of failed attempts so far and when the run began.
pub(super) async fn failed(
    conn: &mut PgConn,
    delivery: &Delivery,
    status_code: Option<u16>,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(i32, DateTime<Utc>), ApiError> {
    let status = match retry_at {
        Some(_) => DeliveryStatus::Pending,
        None => DeliveryStatus::Failed,
    };
    diesel::update(d::webhook_deliveries.find(delivery.id))
        .set((
            d::status.eq(status),
            d::next_attempt_at.eq(retry_at.unwrap_or_else(Utc::now)),
            d::locked_until.eq(None::<DateTime<Utc>>),
            d::last_status_code.eq(status_code.map(i32::from)),
            d::last_error.eq(error),
        ))
        .execute(conn)
        .await?;
    let (run, since): (i32, Option<DateTime<Utc>>) =
        diesel::update(p::webhook_progress.find(delivery.webhook_id))
            .set((
                p::consecutive_failures.eq(p::consecutive_failures + 1),
                p::failing_since.eq(diesel::dsl::sql::<
                    diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
                >("COALESCE(failing_since, now())")),
            ))
            .returning((p::consecutive_failures, p::failing_since))
            .get_result(conn)
            .await?;
    Ok((run, since.unwrap_or_else(Utc::now)))
}

/// Disables a subscription, unless it already is; returns it before and after.
pub(super) async fn disable(
    conn: &mut PgConn,
    id: WebhookId,
    reason: &str,
) -> Result<Option<(Webhook, Webhook)>, ApiError> {
    let before = find(conn, id).await?;
    if !before.enabled {
        return Ok(None);
    }
    let after = diesel::update(w::webhooks.find(id).filter(w::enabled.eq(true)))
        .set((w::enabled.eq(false), w::disabled_reason.eq(reason)))
        .returning(Webhook::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    Ok(after.map(|after| (before, after)))
}
