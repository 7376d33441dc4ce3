//! The outbox of e-mails planspor sends (reminders and digests): written in
//! PostgreSQL before anything is sent, each row once by its `dedupe_key`, and
//! sent by whichever instance claims it first (`FOR UPDATE SKIP LOCKED` and a
//! lock that expires, so a process that dies mid-send leaves the row to the
//! next). Without an SMTP relay (`PLANSPOR_SMTP_URL`) rows stay `pending` and
//! readable by administrators: nothing is lost.

mod handlers;
pub mod mail;
pub(crate) mod queries;

pub use handlers::routes;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::notifications;
use crate::domain::{
    IndicatorId, Language, NotificationId, NotificationKind, NotificationStatus, OrganizationId,
    PlanId, UserId,
};

/// An e-mail in the outbox.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = notifications, check_for_backend(diesel::pg::Pg))]
pub struct Notification {
    /// Id; also the e-mail's `Message-ID`, so a resent copy can be recognised.
    pub id: NotificationId,
    /// What it is about.
    pub kind: NotificationKind,
    /// The key it is written once under, e.g. `overdue:<indicator>:2026-09-30:<user>`.
    pub dedupe_key: String,
    /// The user it is for (`null` once deleted).
    pub recipient_id: Option<UserId>,
    /// Their address when it was written; `null`: the user has none, and it is `undeliverable`.
    pub recipient_email: Option<String>,
    /// The organization it concerns.
    pub organization_id: OrganizationId,
    /// The plan it concerns.
    pub plan_id: Option<PlanId>,
    /// The indicator it concerns (`null` for a digest).
    pub indicator_id: Option<IndicatorId>,
    /// The period whose value is due (`null` for a digest).
    pub period_end: Option<NaiveDate>,
    /// The day that value is due.
    pub due_on: Option<NaiveDate>,
    /// The language it is written in.
    pub language: Language,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// Where it stands.
    pub status: NotificationStatus,
    /// Sending attempts so far.
    pub attempts: i32,
    /// When it is tried next while `pending`.
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When the relay accepted it.
    pub sent_at: Option<DateTime<Utc>>,
}

/// A notification to write to the outbox.
#[derive(Debug, Clone, diesel::prelude::Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification {
    /// Id (time-ordered).
    pub id: NotificationId,
    /// What it is about.
    pub kind: NotificationKind,
    /// The key it is written once under.
    pub dedupe_key: String,
    /// The user it is for.
    pub recipient_id: Option<UserId>,
    /// Their address.
    pub recipient_email: Option<String>,
    /// The organization it concerns.
    pub organization_id: OrganizationId,
    /// The plan it concerns.
    pub plan_id: Option<PlanId>,
    /// The indicator it concerns.
    pub indicator_id: Option<IndicatorId>,
    /// The period whose value is due.
    pub period_end: Option<NaiveDate>,
    /// The day that value is due.
    pub due_on: Option<NaiveDate>,
    /// Its language.
    pub language: Language,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
}
