//! Signing deliveries in the shape of the Standard Webhooks specification
//! (<https://www.standardwebhooks.com>), so receivers can verify them with its
//! libraries: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
//! keyed by the secret `whsec_<base64 key>`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{FieldCode, Refusal};

const PREFIX: &str = "whsec_";
/// Shortest and longest key, in bytes (the specification asks for 24–64).
const KEY_BYTES: std::ops::RangeInclusive<usize> = 24..=64;

/// A signing secret as the receiver is given it: `whsec_` and the base64 key.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A new secret of 32 random bytes.
    pub fn generate() -> Result<Self, String> {
        let mut key = [0_u8; 32];
        getrandom::getrandom(&mut key).map_err(|e| format!("no randomness for a secret: {e}"))?;
        Ok(Self(format!("{PREFIX}{}", STANDARD.encode(key))))
    }

    /// A secret the caller chose: `whsec_` and 24–64 bytes in base64.
    pub fn parse(text: String) -> Result<Self, Refusal> {
        let valid = text
            .strip_prefix(PREFIX)
            .and_then(|key| STANDARD.decode(key).ok())
            .is_some_and(|key| KEY_BYTES.contains(&key.len()));
        if valid {
            Ok(Self(text))
        } else {
            Err(Refusal::new(
                FieldCode::InvalidFormat,
                "must be whsec_ followed by 24–64 bytes in base64",
            ))
        }
    }

    /// A stored secret (written by [`Secret::generate`] or [`Secret::parse`]).
    pub fn stored(text: String) -> Self {
        Self(text)
    }

    /// The secret as the receiver is given it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn key(&self) -> Vec<u8> {
        self.0
            .strip_prefix(PREFIX)
            .and_then(|key| STANDARD.decode(key).ok())
            .unwrap_or_default()
    }

    /// `v1,<signature>` of the message `id` sent at `timestamp` (Unix seconds) with `body`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        // HMAC takes a key of any length, so new_from_slice cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key()) else {
            return String::new();
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_standard_webhooks_example() {
        // The example of the specification's reference libraries.
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()).expect("valid");
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_chosen_secret_is_whsec_and_enough_key() {
        assert!(Secret::parse("whsec_c2hvcnQ=".into()).is_err());
        assert!(Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()).is_err());
        let generated = Secret::generate().expect("a secret");
        assert!(Secret::parse(generated.expose().to_owned()).is_ok());
    }
}
