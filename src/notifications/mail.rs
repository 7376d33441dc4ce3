//! Sending the outbox through the SMTP relay of `PLANSPOR_SMTP_URL`.

use std::time::Duration;

use chrono::Utc;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{Notification, queries};
use crate::db::Database;
use crate::error::ApiError;

/// Attempts before a notification is given up as undeliverable.
const MAX_ATTEMPTS: i32 = 10;
/// How long a claimed notification is held before another instance may take it.
const HOLD: Duration = Duration::from_secs(120);
/// Notifications taken per round.
const BATCH: i64 = 20;

/// The SMTP relay and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold the relay's password.
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

/// Why one e-mail was not sent.
#[derive(Debug)]
struct SendFailure {
    message: String,
    permanent: bool,
}

impl Mailer {
    /// A relay at `url` (`smtp://host:port`, `smtp://host?tls=required` for
    /// STARTTLS, `smtps://user:password@host` for TLS) sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("PLANSPOR_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("PLANSPOR_MAIL_FROM {from:?}: {e}"))?;
        Ok(Self { transport, from })
    }

    async fn send(&self, notification: &Notification) -> Result<(), SendFailure> {
        let permanent = |message: String| SendFailure {
            message,
            permanent: true,
        };
        let Some(address) = &notification.recipient_email else {
            return Err(permanent("the user has no e-mail address".into()));
        };
        let to: Mailbox = address
            .parse()
            .map_err(|e| permanent(format!("{address:?} is not an address: {e}")))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&notification.subject)
            // The outbox id: a copy sent again after a crash can be recognised.
            .message_id(Some(format!("<{}@planspor>", notification.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(notification.body.clone())
            .map_err(|e| permanent(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendFailure {
                permanent: e.is_permanent(),
                message: e.to_string(),
            })
    }
}

/// The delay before attempt `attempts + 1`: one minute, doubling, at most six hours.
fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    chrono::Duration::minutes((1_i64 << exponent).min(360))
}

/// Sends what is due in the outbox; returns how many the relay accepted.
pub async fn send_pending(database: &Database, mailer: &Mailer) -> Result<usize, ApiError> {
    let mut conn = database.conn().await?;
    let hold_until = Utc::now() + HOLD;
    let claimed = queries::claim(&mut conn, BATCH, hold_until).await?;
    let mut sent = 0;
    for notification in claimed {
        match mailer.send(&notification).await {
            Ok(()) => {
                queries::mark_sent(&mut conn, notification.id).await?;
                sent += 1;
            }
            Err(failure) => {
                let retry_at = (!failure.permanent && notification.attempts < MAX_ATTEMPTS)
                    .then(|| Utc::now() + backoff(notification.attempts));
                log::warn!(
                    "notification {} not sent (attempt {}): {}",
                    notification.id,
                    notification.attempts,
                    failure.message
                );
                queries::mark_failed(&mut conn, notification.id, &failure.message, retry_at)
                    .await?;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        assert_eq!(backoff(1), chrono::Duration::minutes(1));
        assert_eq!(backoff(2), chrono::Duration::minutes(2));
        assert_eq!(backoff(5), chrono::Duration::minutes(16));
        assert_eq!(backoff(10), chrono::Duration::minutes(360));
    }
}
