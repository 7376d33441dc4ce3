//! SQL for the outbox.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{NewNotification, Notification};
use crate::db::PgConn;
use crate::db::schema::notifications::dsl as n;
use crate::domain::{NotificationId, NotificationStatus};
use crate::error::ApiError;
use crate::pagination::Page;

/// Writes the notifications not yet in the outbox (by `dedupe_key`); returns how many were new.
pub async fn insert_new(
    conn: &mut PgConn,
    notifications: &[NewNotification],
) -> Result<usize, ApiError> {
    let mut written = 0;
    // Bounded statements: PostgreSQL takes at most 65,535 parameters.
    for chunk in notifications.chunks(1000) {
        written += diesel::insert_into(n::notifications)
            .values(chunk)
            .on_conflict(n::dedupe_key)
            .do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(written)
}

/// Reminders whose value came in before they were sent are not sent.
pub async fn cancel_answered(conn: &mut PgConn) -> Result<usize, ApiError> {
    Ok(diesel::sql_query(
        "UPDATE notifications o SET status = 'cancelled', locked_until = NULL \
         WHERE o.status = 'pending' AND o.indicator_id IS NOT NULL AND EXISTS ( \
             SELECT 1 FROM measurements m \
             WHERE m.indicator_id = o.indicator_id AND m.period_end = o.period_end)",
    )
    .execute(conn)
    .await?)
}

/// Takes up to `limit` pending notifications that are due and not held by
/// another instance, and holds them until `hold_until`.
pub async fn claim(
    conn: &mut PgConn,
    limit: i64,
    hold_until: DateTime<Utc>,
) -> Result<Vec<Notification>, ApiError> {
    let ids: Vec<Claimed> = diesel::sql_query(
        "UPDATE notifications SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN ( \
             SELECT id FROM notifications \
             WHERE status = 'pending' AND next_attempt_at <= now() \
               AND (locked_until IS NULL OR locked_until < now()) \
             ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) \
         RETURNING id",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(hold_until)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await?;
    Ok(n::notifications
        .filter(n::id.eq_any(ids.into_iter().map(|c| NotificationId(c.id))))
        .select(Notification::as_select())
        .order(n::id)
        .load(conn)
        .await?)
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
}

/// The relay accepted it.
pub async fn mark_sent(conn: &mut PgConn, id: NotificationId) -> Result<(), ApiError> {
    diesel::update(n::notifications.find(id))
        .set((
            n::status.eq(NotificationStatus::Sent),
            n::sent_at.eq(Utc::now()),
            n::locked_until.eq(None::<DateTime<Utc>>),
            n::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The attempt failed: try again at `retry_at`, or never (`None`: undeliverable).
pub async fn mark_failed(
    conn: &mut PgConn,
    id: NotificationId,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    let status = match retry_at {
        Some(_) => NotificationStatus::Pending,
        None => NotificationStatus::Undeliverable,
    };
    diesel::update(n::notifications.find(id))
        .set((
            n::status.eq(status),
            n::next_attempt_at.eq(retry_at.unwrap_or_else(Utc::now)),
            n::locked_until.eq(None::<DateTime<Utc>>),
            n::last_error.eq(error),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The outbox, oldest first.
pub(super) async fn list(conn: &mut PgConn, page: Page) -> Result<Vec<Notification>, ApiError> {
    let mut query = n::notifications
        .select(Notification::as_select())
        .order(n::id)
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(since) = page.updated_since {
        query = query.filter(n::created_at.ge(since));
    }
    if let Some(after) = page.after {
        query = query.filter(n::id.gt(NotificationId(after)));
    }
    Ok(query.load(conn).await?)
}
