//! The background work of an instance: writing the day's reminders to the
//! outbox, sending the outbox, fanning the event feed out to webhooks and
//! delivering to them. Every instance runs it; the database decides who does
//! what (unique keys and `SKIP LOCKED`, see `notifications` and `webhooks`),
//! so two instances neither double nor drop work.

use std::time::Duration;

use crate::db::Database;
use crate::notifications::mail::{self, Mailer};
use crate::reminders::{ReminderRules, schedule};
use crate::webhooks::dispatch::{self, DeliveryRules};

/// What the background work needs.
#[derive(Clone)]
pub struct Jobs {
    /// The database.
    pub database: Database,
    /// The SMTP relay; without one the outbox is written but not sent.
    pub mailer: Option<Mailer>,
    /// When reminders go out.
    pub reminders: ReminderRules,
    /// How often the reminders due today are written to the outbox.
    pub reminder_interval: Duration,
    /// How webhook deliveries are made.
    pub deliveries: DeliveryRules,
    /// How often the outbox and the deliveries are looked at.
    pub poll_interval: Duration,
}

impl Jobs {
    /// Runs until the process stops.
    pub async fn run(self) {
        let client = awc::Client::builder()
            .disable_redirects()
            .timeout(self.deliveries.timeout)
            .finish();
        let mut poll = actix_web::rt::time::interval(self.poll_interval);
        let mut last_reminders: Option<std::time::Instant> = None;
        loop {
            poll.tick().await;
            if last_reminders.is_none_or(|at| at.elapsed() >= self.reminder_interval) {
                last_reminders = Some(std::time::Instant::now());
                self.write_reminders().await;
            }
            self.send_outbox().await;
            self.deliver_webhooks(&client).await;
        }
    }

    async fn write_reminders(&self) {
        let today = chrono::Utc::now().date_naive();
        let written = match self.database.conn().await {
            Ok(mut conn) => schedule::write_reminders(&mut conn, self.reminders, today).await,
            Err(error) => Err(error),
        };
        match written {
            Ok(0) => {}
            Ok(count) => log::info!("{count} reminders written to the outbox"),
            Err(error) => log::warn!("writing reminders: {error}"),
        }
    }

    async fn send_outbox(&self) {
        // With or without a relay: a reminder whose value came in is not sent.
        let cancelled = match self.database.conn().await {
            Ok(mut conn) => crate::notifications::queries::cancel_answered(&mut conn).await,
            Err(error) => Err(error),
        };
        if let Err(error) = cancelled {
            log::warn!("cancelling answered reminders: {error}");
        }
        let Some(mailer) = &self.mailer else { return };
        match mail::send_pending(&self.database, mailer).await {
            Ok(0) => {}
            Ok(count) => log::info!("{count} e-mails sent"),
            Err(error) => log::warn!("sending the outbox: {error}"),
        }
    }

    async fn deliver_webhooks(&self, client: &awc::Client) {
        if let Err(error) = dispatch::fan_out(&self.database).await {
            log::warn!("queueing webhook deliveries: {error}");
        }
        match dispatch::deliver_due(&self.database, client, &self.deliveries).await {
            Ok(0) => {}
            Ok(count) => log::info!("{count} webhook deliveries accepted"),
            Err(error) => log::warn!("delivering webhooks: {error}"),
        }
    }
}
