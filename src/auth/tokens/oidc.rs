//! Keys from an OpenID Connect provider (Microsoft Entra ID, or KOMBIT's
//! Context Handler behind an OIDC broker): its discovery document names its
//! JWKS, which is fetched at start-up and again when a token names a key the
//! cache does not hold, which is how a provider's key rotation shows. Fetches
//! are single-flight, at most one per [`MIN_REFRESH_INTERVAL`], and bounded by
//! [`FETCH_TIMEOUT`]; a failed fetch keeps the keys already cached, so a
//! provider that is briefly down stops no one whose key is known. A token
//! with a known key never waits for the provider.

use std::time::Instant;

use super::*;

/// Where the discovery document lives, below the issuer (OpenID Connect Discovery 1.0 §4).
const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
/// The longest one fetch from the provider may take.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// How often an unknown `kid` may make planspor ask the provider again.
pub const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(30);
/// The largest discovery document or JWKS accepted.
const MAX_DOCUMENT_BYTES: usize = 512 * 1024;

/// The provider planspor fetches keys from.
#[derive(Debug)]
pub(super) struct OidcSource {
    /// The provider's discovery document.
    discovery_url: String,
    /// The provider's JWKS, from its discovery document.
    jwks_uri: String,
    /// When keys were last asked for; the lock makes refreshes single-flight.
    last_fetch: tokio::sync::Mutex<Instant>,
    /// How many times the JWKS was fetched (for the operator's log and tests).
    fetches: AtomicU64,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

/// Only https, or http to this machine (a local provider in development and tests).
fn check_url(url: &str) -> Result<(), KeyError> {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| {
            url.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    if url.starts_with("https://") || loopback {
        Ok(())
    } else {
        Err(KeyError::Provider {
            url: url.to_owned(),
            reason: "must be an https:// address (http only to this machine)".into(),
        })
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, KeyError> {
    check_url(url)?;
    let failed = |reason: String| KeyError::Provider {
        url: url.to_owned(),
        reason,
    };
    let client = awc::Client::builder().timeout(FETCH_TIMEOUT).finish();
    let mut response = client
        .get(url)
        .insert_header(("Accept", "application/json"))
        .send()
        .await
        .map_err(|e| failed(e.to_string()))?;
    if !response.status().is_success() {
        return Err(failed(format!("answered {}", response.status())));
    }
    let body = response
        .body()
        .limit(MAX_DOCUMENT_BYTES)
        .await
        .map_err(|e| failed(e.to_string()))?;
    serde_json::from_slice(&body).map_err(|e| failed(format!("not the JSON expected: {e}")))
}

/// The provider's signature keys; keys planspor cannot use (another
/// algorithm, too weak) are left out with a warning, as long as one is usable.
async fn fetch_keys(jwks_uri: &str) -> Result<Vec<CandidateKey>, KeyError> {
    let set: JwkSet = get_json(jwks_uri).await?;
    let mut keys = Vec::new();
    for jwk in set.keys.iter().filter(|jwk| is_for_signatures(jwk)) {
        match jwk_key(jwk) {
            Ok(key) => keys.push(key),
            Err(error) => log::warn!("identity provider key left out: {error}"),
        }
    }
    check_key_ids(&keys)?;
    Ok(keys)
}

impl TokenVerifier {
    /// Trusts the OpenID Connect provider `issuer_url`: reads its discovery
    /// document (whose `issuer` must be exactly `issuer_url`, which tokens'
    /// `iss` must then be) and its JWKS. `settings.issuer` is replaced by it.
    pub async fn discover(
        issuer_url: &str,
        mut settings: TokenSettings,
        user_claim: &str,
    ) -> Result<Self, KeyError> {
        let discovery_url = format!("{}{DISCOVERY_PATH}", issuer_url.trim_end_matches('/'));
        let discovery: Discovery = get_json(&discovery_url).await?;
        if discovery.issuer != issuer_url {
            return Err(KeyError::Provider {
                url: issuer_url.to_owned(),
                reason: format!(
                    "its discovery document names the issuer {:?}",
                    discovery.issuer
                ),
            });
        }
        settings.issuer = discovery.issuer;
        let candidates = fetch_keys(&discovery.jwks_uri).await?;
        let mut verifier = Self::from_candidates(candidates, settings)?;
        verifier.user_claim = user_claim.to_owned();
        verifier.source = Some(Arc::new(OidcSource {
            discovery_url,
            jwks_uri: discovery.jwks_uri,
            // A rotation right after start-up may be fetched at once.
            last_fetch: tokio::sync::Mutex::new(
                Instant::now()
                    .checked_sub(MIN_REFRESH_INTERVAL)
                    .unwrap_or_else(Instant::now),
            ),
            fetches: AtomicU64::new(1),
        }));
        Ok(verifier)
    }

    /// [`Self::verify`], and for a token whose key is unknown, the provider's
    /// keys fetched again (at most once per [`MIN_REFRESH_INTERVAL`]) before
    /// a second try.
    pub async fn verify_refreshing(&self, token: &str) -> Result<VerifiedToken, TokenError> {
        match self.verify(token) {
            Err(TokenError::UnknownKeyId) if self.source.is_some() => {
                self.refresh().await;
                self.verify(token)
            }
            verified => verified,
        }
    }

    /// The OpenID Connect provider's discovery document, in that mode.
    pub fn discovery_url(&self) -> Option<String> {
        self.source
            .as_ref()
            .map(|source| source.discovery_url.clone())
    }

    /// How many times the provider's JWKS was fetched (0 without a provider).
    pub fn key_fetches(&self) -> u64 {
        self.source
            .as_ref()
            .map_or(0, |source| source.fetches.load(Ordering::Relaxed))
    }

    async fn refresh(&self) {
        let Some(source) = &self.source else { return };
        // Requests with unknown keys queue here behind one fetch; the lock is
        // held at most FETCH_TIMEOUT.
        let mut last_fetch = source.last_fetch.lock().await;
        if last_fetch.elapsed() < MIN_REFRESH_INTERVAL {
            return;
        }
        *last_fetch = Instant::now();
        source.fetches.fetch_add(1, Ordering::Relaxed);
        match fetch_keys(&source.jwks_uri).await {
            Ok(candidates) => {
                let keys: Arc<[TrustedKey]> = candidates
                    .into_iter()
                    .map(|candidate| candidate.trusted(&self.settings))
                    .collect();
                log::info!("identity provider keys refreshed: {} keys", keys.len());
                *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
                // A token verified with a key the provider withdrew is no longer valid.
                self.verified.clear();
            }
            Err(error) => {
                log::warn!("identity provider keys not refreshed, the cached ones stay: {error}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn keys_come_over_https_or_from_this_machine_only() {
        for ok in [
            "https://login.microsoftonline.com/tenant/v2.0",
            "http://127.0.0.1:8123",
            "http://localhost/realms/x",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://idp.example.dk",
            "http://localhost.evil.dk",
            "ftp://x",
            "",
        ] {
            assert!(check_url(refused).is_err(), "{refused}");
        }
    }
}
