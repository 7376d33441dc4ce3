//! Turning the feed into deliveries and making them: `fan_out` queues each
//! new event for the subscriptions that asked for it, `deliver_due` POSTs
//! what is due, signed, and records the answer.

use std::time::Duration;

use chrono::Utc;
use diesel_async::AsyncConnection;
use serde_json::json;

use super::queries::{self, Attempt, NewDelivery, Subscriber};
use super::signing::Secret;
use super::target::TargetPolicy;
use crate::audit::{self, Actor, Change};
use crate::db::{Database, PgConn};
use crate::domain::{DeliveryId, WebhookId};
use crate::error::ApiError;
use crate::events::{self, FeedPosition};
use crate::resource::Entity;

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct DeliveryRules {
    /// Which targets are allowed.
    pub targets: TargetPolicy,
    /// The first retry's delay; each further one doubles it (at most 12 hours).
    pub first_retry: Duration,
    /// Attempts before a delivery is given up.
    pub max_attempts: i32,
    /// Failed attempts in a row (across deliveries) that disable a subscription…
    pub failure_limit: i32,
    /// …once the run has lasted this long, so a short outage does not.
    pub failing_for: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
}

impl Default for DeliveryRules {
    fn default() -> Self {
        Self {
            targets: TargetPolicy::default(),
            first_retry: Duration::from_secs(30),
            max_attempts: 12,
            failure_limit: 20,
            failing_for: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(10),
        }
    }
}

impl DeliveryRules {
    /// Whether a run of `run` failed attempts since `since` disables the subscription at `now`.
    fn gives_up(&self, run: i32, since: chrono::DateTime<Utc>, now: chrono::DateTime<Utc>) -> bool {
        let lasted = (now - since).to_std().unwrap_or_default();
        run >= self.failure_limit && lasted >= self.failing_for
    }
}

/// Events read per subscription and round.
const FAN_OUT_BATCH: i64 = 500;
/// Deliveries made per round.
const DELIVERY_BATCH: i64 = 20;
/// How long a claimed delivery is held before another instance may take it.
const HOLD: Duration = Duration::from_secs(120);

/// Queues the new events of every enabled subscription; returns how many.
pub async fn fan_out(database: &Database) -> Result<usize, ApiError> {
    let mut conn = database.conn().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let mut queued = 0;
        for subscriber in queries::lock_subscribers(conn).await? {
            queued += fan_out_to(conn, subscriber).await?;
        }
        Ok(queued)
    })
    .await
}

async fn fan_out_to(conn: &mut PgConn, subscriber: Subscriber) -> Result<usize, ApiError> {
    let after = FeedPosition::new(subscriber.cursor_txid, subscriber.cursor_seq);
    let (events, next) =
        events::of_organization(conn, subscriber.organization_id, after, FAN_OUT_BATCH).await?;
    if next == after {
        return Ok(0);
    }
    let deliveries = events
        .into_iter()
        .filter(|(_, event)| {
            subscriber
                .event_types
                .iter()
                .any(|kind| kind.as_str() == event.entity_type)
        })
        .map(|(_, event)| {
            let event_type = format!("{}.{}", event.entity_type, event.action.as_str());
            NewDelivery {
                id: DeliveryId::new(),
                webhook_id: subscriber.id,
                event_id: event.id,
                payload: json!({
                    "type": event_type,
                    "timestamp": event.occurred_at,
                    "data": event,
                }),
                event_type,
            }
        })
        .collect();
    queries::queue(conn, subscriber.id, deliveries, next).await
}

/// What the receiver made of one attempt.
enum Outcome {
    Accepted(u16),
    Refused(Option<u16>, String),
}

/// Makes the due deliveries; returns how many were accepted.
pub async fn deliver_due(
    database: &Database,
    client: &awc::Client,
    rules: &DeliveryRules,
) -> Result<usize, ApiError> {
    let mut conn = database.conn().await?;
    let attempts = queries::claim(&mut conn, DELIVERY_BATCH, Utc::now() + HOLD).await?;
    let outcomes =
        futures_util::future::join_all(attempts.iter().map(|a| attempt(client, rules, a))).await;
    let mut accepted = 0;
    for (attempt, outcome) in attempts.iter().zip(outcomes) {
        let delivery = &attempt.delivery;
        match outcome {
            Outcome::Accepted(status) => {
                queries::delivered(&mut conn, delivery, status).await?;
                accepted += 1;
            }
            Outcome::Refused(status, error) => {
                let retry_at = (delivery.attempts < rules.max_attempts)
                    .then(|| Utc::now() + backoff(rules.first_retry, delivery.attempts));
                let (run, since) =
                    queries::failed(&mut conn, delivery, status, &error, retry_at).await?;
                if rules.gives_up(run, since, Utc::now()) {
                    disable(&mut conn, delivery.webhook_id, run, since).await?;
                }
            }
        }
    }
    Ok(accepted)
}

/// `first` doubled for every attempt after the first, at most 12 hours.
fn backoff(first: Duration, attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let delay = first
        .saturating_mul(1_u32 << exponent)
        .min(Duration::from_secs(12 * 3600));
    chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(12))
}

/// The signatures of a delivery: by the current secret, and by the previous
/// one while a rotation's overlap lasts.
fn signatures(attempt: &Attempt, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut signatures = vec![Secret::stored(attempt.secret.clone()).sign(id, timestamp, body)];
    if let (Some(previous), Some(until)) =
        (&attempt.previous_secret, attempt.previous_secret_expires_at)
        && until > Utc::now()
    {
        signatures.push(Secret::stored(previous.clone()).sign(id, timestamp, body));
    }
    signatures.join(" ")
}

async fn attempt(client: &awc::Client, rules: &DeliveryRules, attempt: &Attempt) -> Outcome {
    let refused = |error: String| Outcome::Refused(None, error);
    let url = match url::Url::parse(&attempt.url) {
        Ok(url) => url,
        Err(error) => return refused(format!("the URL no longer parses: {error}")),
    };
    if let Err(error) = rules.targets.check_resolved(&url).await {
        return refused(error);
    }
    let body = match serde_json::to_vec(&attempt.delivery.payload) {
        Ok(body) => body,
        Err(error) => return refused(error.to_string()),
    };
    let id = attempt.delivery.id.to_string();
    let timestamp = Utc::now().timestamp();
    let sent = client
        .post(url.as_str())
        .timeout(rules.timeout)
        .insert_header(("content-type", "application/json"))
        .insert_header(("user-agent", "planspor-webhooks"))
        .insert_header(("webhook-id", id.as_str()))
        .insert_header(("webhook-timestamp", timestamp.to_string()))
        .insert_header((
            "webhook-signature",
            signatures(attempt, &id, timestamp, &body),
        ))
        .send_body(body)
        .await;
    match sent {
        Ok(response) if response.status().is_success() => {
            Outcome::Accepted(response.status().as_u16())
        }
        Ok(response) => Outcome::Refused(
            Some(response.status().as_u16()),
            format!("the receiver answered {}", response.status()),
        ),
        Err(error) => refused(format!("no answer: {error}")),
    }
}

/// A run of `run` failed attempts disables the subscription, on the record.
async fn disable(
    conn: &mut PgConn,
    id: WebhookId,
    run: i32,
    since: chrono::DateTime<Utc>,
) -> Result<(), ApiError> {
    let reason = format!(
        "disabled after {run} failed delivery attempts in a row since {}",
        since.format("%Y-%m-%d %H:%M UTC")
    );
    conn.transaction::<_, ApiError, _>(async |conn| {
        if let Some((before, after)) = queries::disable(conn, id, &reason).await? {
            log::warn!("webhook {id} {reason}");
            let change = Change::updated(
                Entity::WEBHOOK.name(),
                id.0,
                Some(after.organization_id),
                &before,
                &after,
            );
            audit::record(conn, &Actor::service("planspor webhook deliveries"), change).await?;
        }
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscription_is_given_up_after_many_failures_over_a_day_not_a_short_outage() {
        let rules = DeliveryRules::default();
        let start = Utc::now();
        let later = |hours| start + chrono::Duration::hours(hours);
        assert!(
            !rules.gives_up(500, start, later(1)),
            "many failures in an hour"
        );
        assert!(
            !rules.gives_up(19, start, later(30)),
            "few failures over a day"
        );
        assert!(rules.gives_up(20, start, later(24)));
    }

    #[test]
    fn retries_back_off_exponentially_up_to_twelve_hours() {
        let first = Duration::from_secs(30);
        assert_eq!(backoff(first, 1), chrono::Duration::seconds(30));
        assert_eq!(backoff(first, 3), chrono::Duration::seconds(120));
        assert_eq!(backoff(first, 20), chrono::Duration::hours(12));
    }
}
