//! Webhooks: an organization's administrators subscribe another system (its
//! ESDH, a dashboard, a data warehouse) to the organization's events. Every
//! event of the feed the subscription asks for becomes a delivery, signed in
//! the Standard Webhooks shape ([`signing`]), retried with exponential backoff
//! and recorded; a run of failures disables the subscription, with an audit
//! event. Targets are checked against SSRF ([`target`]).
//!
//! Deliveries are rows in PostgreSQL, one per subscription and event (a unique
//! key), claimed with `FOR UPDATE SKIP LOCKED` and a lock that expires, so two
//! instances never deliver the same attempt and a process that dies mid-send
//! leaves it to the next (a receiver may then see it twice: `webhook-id` says
//! it is the same).

pub mod dispatch;
mod handlers;
pub(crate) mod queries;
pub mod signing;
pub mod target;

pub use handlers::routes;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::concurrency::Versioned;
use crate::db::schema::{webhook_deliveries, webhooks};
use crate::domain::{
    AuditEventId, DeliveryId, DeliveryStatus, EventType, OrganizationId, Title, WebhookId,
};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;
use crate::resource::{Entity, Resource};
use signing::Secret;
use target::TargetPolicy;

/// A subscription (its secret is shown only when created or rotated).
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = webhooks, check_for_backend(diesel::pg::Pg))]
pub struct Webhook {
    /// Id.
    pub id: WebhookId,
    /// The organization whose events it receives.
    pub organization_id: OrganizationId,
    /// Where deliveries are POSTed.
    #[schema(example = "https://esdh.slagelse.dk/hooks/planspor")]
    pub url: String,
    /// What it is for.
    #[schema(example = "ESDH: journalisering af statusrapporter")]
    pub description: String,
    /// The kinds of record whose changes it receives.
    pub event_types: Vec<EventType>,
    /// Whether deliveries are made; `false` after a run of failures (see
    /// `disabled_reason`) or when an administrator paused it.
    pub enabled: bool,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// After a rotation: until when the previous secret signs too.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Resource for Webhook {
    const ENTITY: Entity = Entity::WEBHOOK;

    fn audit_id(&self) -> uuid::Uuid {
        self.id.0
    }
}

impl Versioned for Webhook {
    fn version(&self) -> i32 {
        self.version
    }
}

/// A subscription with its signing secret: the one time it is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    /// The subscription.
    #[serde(flatten)]
    pub webhook: Webhook,
    /// Verify deliveries with it: `whsec_` and the base64 key, as Standard
    /// Webhooks libraries take it. Store it now; it is not shown again.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

/// The body that registers a subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// An https:// URL of a public host.
    #[schema(example = "https://esdh.slagelse.dk/hooks/planspor", max_length = 2000)]
    pub url: String,
    /// The kinds of record whose changes it receives, 1–50.
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Vec<EventType>,
    /// What it is for, up to 200 characters.
    #[schema(max_length = 200)]
    pub description: Option<String>,
    /// A secret of your own (`whsec_` and 24–64 bytes in base64); generated when absent.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: Option<String>,
}

/// Changes to a subscription; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    /// New URL.
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    /// New kinds of record.
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Option<Vec<EventType>>,
    /// New description.
    #[schema(max_length = 200)]
    pub description: Option<String>,
    /// `true` resumes deliveries (and forgets the run of failures), `false` pauses them.
    pub enabled: Option<bool>,
}

/// The body of a secret rotation.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotationInput {
    /// Hours the previous secret keeps signing, so receivers can switch, 0–168; 24 when absent.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(minimum = 0, maximum = 168, default = 24)]
    pub overlap_hours: Option<i32>,
}

/// Validated subscription fields.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = webhooks)]
pub struct WebhookFields {
    url: String,
    description: String,
    event_types: Vec<EventType>,
    enabled: bool,
    #[diesel(treat_none_as_null = true)]
    disabled_reason: Option<String>,
}

fn parse_url(policy: &TargetPolicy, url: &str) -> Result<String, Refusal> {
    if url.len() > 2000 {
        return Err(Refusal::new(
            FieldCode::TooLong,
            "must be at most 2000 characters",
        ));
    }
    crate::domain::refuse_cpr(url)?;
    policy.check(url).map(String::from)
}

fn parse_event_types(types: Vec<EventType>) -> Result<Vec<EventType>, Refusal> {
    let mut distinct: Vec<EventType> = Vec::new();
    for kind in types {
        if !distinct.contains(&kind) {
            distinct.push(kind);
        }
    }
    match distinct.len() {
        0 => Err(Refusal::new(
            FieldCode::Empty,
            "must name at least one event type",
        )),
        1..=50 => Ok(distinct),
        _ => Err(Refusal::new(
            FieldCode::TooMany,
            "must name at most 50 event types",
        )),
    }
}

fn parse_description(description: Option<String>) -> Result<String, Refusal> {
    Ok(Title::parse_optional(description)?
        .map(Title::into_inner)
        .unwrap_or_default())
}

impl WebhookInput {
    /// Parses the body under the operator's target rules; the secret is the caller's or new.
    pub fn parse(self, policy: &TargetPolicy) -> Result<(WebhookFields, Secret), ApiError> {
        let (url, event_types, description, secret) = parse_fields! {
            url: parse_url(policy, &self.url),
            event_types: parse_event_types(self.event_types),
            description: parse_description(self.description),
            secret: self.secret.map(Secret::parse).transpose(),
        }?;
        let secret = match secret {
            Some(secret) => secret,
            None => Secret::generate().map_err(ApiError::Internal)?,
        };
        let fields = WebhookFields {
            url,
            description,
            event_types,
            enabled: true,
            disabled_reason: None,
        };
        Ok((fields, secret))
    }
}

impl WebhookPatch {
    /// The subscription's fields after this patch.
    pub fn apply_to(
        self,
        current: &Webhook,
        policy: &TargetPolicy,
    ) -> Result<WebhookFields, ApiError> {
        let (url, event_types, description) = parse_fields! {
            url: match self.url {
                Some(url) => parse_url(policy, &url),
                None => Ok(current.url.clone()),
            },
            event_types: parse_event_types(self.event_types.unwrap_or_else(|| current.event_types.clone())),
            description: match self.description {
                Some(text) => parse_description(Some(text)),
                None => Ok(current.description.clone()),
            },
        }?;
        let enabled = self.enabled.unwrap_or(current.enabled);
        Ok(WebhookFields {
            url,
            description,
            event_types,
            enabled,
            disabled_reason: if enabled {
                None
            } else {
                current
                    .disabled_reason
                    .clone()
                    .or_else(|| Some("paused by an administrator".into()))
            },
        })
    }
}

impl RotationInput {
    /// The overlap; 422 beyond a week.
    pub fn overlap(&self) -> Result<chrono::Duration, ApiError> {
        match self.overlap_hours.unwrap_or(24) {
            hours @ 0..=168 => Ok(chrono::Duration::hours(i64::from(hours))),
            _ => Err(ApiError::invalid(
                "overlap_hours",
                FieldCode::OutOfRange,
                "must be from 0 to 168 hours",
            )),
        }
    }
}

/// One event's delivery to a subscription.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg))]
pub struct Delivery {
    /// Id; sent as `webhook-id`, the same on every attempt.
    pub id: DeliveryId,
    /// The subscription.
    pub webhook_id: WebhookId,
    /// The event (the audit event's id).
    pub event_id: AuditEventId,
    /// `<entity_type>.<action>`, e.g. `measurement.upsert`.
    #[schema(example = "measurement.upsert")]
    pub event_type: String,
    /// The body POSTed: `type`, `timestamp` and the event as `data`.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// When it is tried next while `pending`.
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's last HTTP status, if it answered.
    pub last_status_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the event was queued for it.
    pub created_at: DateTime<Utc>,
    /// When the receiver accepted it.
    pub delivered_at: Option<DateTime<Utc>>,
}

impl Versioned for WebhookWithSecret {
    fn version(&self) -> i32 {
        self.webhook.version
    }
}
