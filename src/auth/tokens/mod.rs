//! Bearer tokens: verifying them (and, in standalone mode, issuing them) as RFC 8725
//! (JWT Best Current Practices) asks.
//!
//! Trust is configured, never taken from the token: every key is loaded at start-up with
//! exactly one algorithm it may be used with, a token picks its key only through the
//! header's `kid`, and header members that point elsewhere for keys (`jku`, `x5u`, `jwk`,
//! `x5c`) are ignored. Because the key decides the algorithm, `alg: none` and the
//! "HS256 signed with the RSA public key as secret" confusion are refused before any
//! cryptography runs, and HMAC is never trusted at all.
//!
//! jsonwebtoken's own `Validation` checks the signature, `exp`, `nbf`, `iss` and `aud`
//! (all required here); this module adds what it leaves out: the header `typ` and `crit`,
//! a future `iat`, and a non-empty `sub`.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing;
use ed25519_dalek::pkcs8::{
    DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _, KeypairBytes,
};
use jsonwebtoken::crypto::CryptoProvider;
use jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{
    AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyOperations, PublicKeyUse, ThumbprintHash,
};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Number;
use sha2::{Digest as _, Sha256};

mod external;
mod oidc;
mod standalone;
#[cfg(test)]
mod tests;

use external::*;
pub use standalone::TokenIssuer;
use standalone::*;

/// Longest token accepted; anything longer is refused before it is decoded, so a client
/// cannot make the server base64-decode and parse megabytes.
const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// Largest clock-skew allowance accepted in [`TokenSettings::leeway_seconds`].
const MAX_LEEWAY_SECONDS: u64 = 60;
/// Header `typ` values accepted (compared case-insensitively, RFC 7515 §4.1.9).
const ACCEPTED_TYPES: [&str; 2] = ["JWT", "at+jwt"];
/// Claims a token must carry; jsonwebtoken checks their presence.
const REQUIRED_CLAIMS: [&str; 4] = ["exp", "iss", "aud", "sub"];
/// RFC 7518 §3.3: RSA keys of 2048 bits or more.
const MIN_RSA_BITS: usize = 2048;
/// The standalone private key (PKCS#8 PEM, mode 0600) inside `key_dir`.
const PRIVATE_KEY_FILE: &str = "token-signing-key.pem";
/// The standalone public key (SubjectPublicKeyInfo PEM) beside it, for whoever else must trust it.
const PUBLIC_KEY_FILE: &str = "token-signing-key.pub.pem";
/// Random bytes in a token's `jti`.
const JTI_BYTES: usize = 16;

/// How planspor trusts tokens: configured, never guessed from the token.
#[derive(Debug, Clone)]
pub enum TrustConfig {
    /// planspor signs its own tokens with an Ed25519 key kept in `key_dir`
    /// (created on first use: private key PKCS#8 PEM, file mode 0600; public key PEM beside it).
    Standalone {
        /// Directory holding the key pair; created (mode 0700) if missing.
        key_dir: PathBuf,
    },
    /// An external identity provider: public keys from a JWKS file and/or PEM files.
    External {
        /// A JSON Web Key Set file. Keys marked for encryption (`use: enc`, or `key_ops`
        /// without `verify`) are skipped; any other key must be usable or loading fails.
        jwks_file: Option<PathBuf>,
        /// Public keys in PEM files, each with its `kid` and its one algorithm.
        pem_keys: Vec<PemKey>,
    },
}

/// One public key in a PEM file, trusted for exactly one algorithm.
#[derive(Debug, Clone)]
pub struct PemKey {
    /// The `kid` tokens signed with this key carry in their header.
    pub kid: String,
    /// The only algorithm accepted with this key (HS* is refused at load).
    pub algorithm: Algorithm,
    /// The PEM file (`PUBLIC KEY`, or `RSA PUBLIC KEY` for RSA).
    pub path: PathBuf,
}

/// What a token must say about who issued it and for whom, and the allowed clock skew.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// The exact `iss` accepted (and written, in standalone mode).
    pub issuer: String,
    /// The value `aud` must contain (and the one written, in standalone mode).
    pub audience: String,
    /// Clock skew allowed on `exp`, `nbf` and `iat`; more than 60 is refused at construction.
    pub leeway_seconds: u64,
}

/// The facts planspor takes from a token that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// `iss`, equal to the configured issuer.
    pub issuer: String,
    /// `sub`, never empty: whom the token speaks for.
    pub subject: String,
    /// `name`, when the token has one.
    pub name: Option<String>,
    /// `email`, when the token has one (not checked for format).
    pub email: Option<String>,
    /// `exp`, in seconds since the Unix epoch.
    pub expires_at: i64,
}

/// Why a token was refused. The text is short and safe to show a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The token is longer than 8 KiB; refused before any parsing.
    #[error("token is too long")]
    TooLong,
    /// Not three base64url parts, a header or payload that is not JSON, or a claim of the
    /// wrong type.
    #[error("token is malformed")]
    Malformed,
    /// The header `typ` is present and is neither `JWT` nor `at+jwt`.
    #[error("token type is not accepted")]
    WrongType,
    /// The header lists critical extensions (`crit`); planspor understands none
    /// (RFC 7515 §4.1.11).
    #[error("token uses critical header extensions")]
    CriticalHeader,
    /// The header has no `kid` while several keys are trusted.
    #[error("token does not name its signing key")]
    MissingKeyId,
    /// The header `kid` names no trusted key.
    #[error("token is signed with an unknown key")]
    UnknownKeyId,
    /// The header `alg` is not the one algorithm its key is trusted for; this is what
    /// refuses `none` and HS* (algorithm confusion).
    #[error("token algorithm is not accepted for its key")]
    AlgorithmMismatch,
    /// The signature does not match the header and payload.
    #[error("token signature is invalid")]
    BadSignature,
    /// A required claim (`exp`, `iss`, `aud`, `sub`) is missing, or `sub` is empty.
    #[error("token lacks the `{0}` claim")]
    MissingClaim(&'static str),
    /// The configured claim that names the user (`PLANSPOR_OIDC_USER_CLAIM`)
    /// is missing, empty or not a string.
    #[error("token lacks the claim that names the user")]
    MissingUserClaim,
    /// `exp` is in the past, beyond the leeway.
    #[error("token has expired")]
    Expired,
    /// `nbf` is in the future, beyond the leeway.
    #[error("token is not valid yet")]
    NotYetValid,
    /// `iat` is in the future, beyond the leeway.
    #[error("token was issued in the future")]
    IssuedInFuture,
    /// `iss` is not the configured issuer.
    #[error("token is from an untrusted issuer")]
    WrongIssuer,
    /// `aud` does not contain the configured audience.
    #[error("token is not meant for this service")]
    WrongAudience,
}

/// A configuration problem found while loading keys, or a failure to issue a token.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// [`TokenSettings::leeway_seconds`] is above 60.
    #[error("token leeway of {0} s is above the maximum of 60 s")]
    LeewayTooLarge(u64),
    /// [`TokenSettings::issuer`] or [`TokenSettings::audience`] is empty.
    #[error("the token {0} must not be empty")]
    EmptySetting(&'static str),
    /// A key file or directory could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The standalone private key file can be read or written by others than its owner.
    #[error("{0} must be accessible by its owner only (chmod 600)")]
    InsecureKeyFile(PathBuf),
    /// The standalone private key file is not an Ed25519 PKCS#8 key, or could not be encoded.
    #[error("standalone signing key {path}: {reason}")]
    StandaloneKey {
        /// The private key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A PEM file does not hold a public key of its configured algorithm's type.
    #[error("{path} is not a {algorithm:?} public key in PEM form: {source}")]
    InvalidPem {
        /// The PEM file.
        path: PathBuf,
        /// The algorithm configured for it.
        algorithm: Algorithm,
        /// What jsonwebtoken said.
        source: jsonwebtoken::errors::Error,
    },
    /// The JWKS file is not a JSON Web Key Set.
    #[error("{path} is not a JSON Web Key Set: {source}")]
    InvalidJwks {
        /// The JWKS file.
        path: PathBuf,
        /// Where the JSON is wrong.
        source: serde_json::Error,
    },
    /// A key's algorithm is HMAC, unknown to jsonwebtoken, or cannot be inferred from its type.
    #[error("key {kid}: algorithm {algorithm} is not accepted")]
    UnsupportedAlgorithm {
        /// The key's `kid` (or `-` when it has none).
        kid: String,
        /// The algorithm, or the key type when no algorithm could be inferred.
        algorithm: String,
    },
    /// A key is not a valid public key, does not fit its algorithm, or is too weak.
    #[error("key {kid}: {reason}")]
    InvalidKey {
        /// The key's `kid` (or `-` when it has none).
        kid: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two trusted keys have the same `kid`, so a token could not tell them apart.
    #[error("two trusted keys share the kid {0}")]
    DuplicateKeyId(String),
    /// Several keys are trusted and one has no `kid`, so no token could select it.
    #[error("with several trusted keys, every key needs a kid")]
    MissingKeyId,
    /// The configuration trusts no key at all.
    #[error("no token verification key is configured")]
    NoKeys,
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed: {0}")]
    Random(getrandom::Error),
    /// [`TokenIssuer::issue`] was asked for a token with an empty subject.
    #[error("a token needs a non-empty subject")]
    EmptySubject,
    /// [`TokenIssuer::issue`] was given a lifetime under one second, or too large to represent.
    #[error("a token lifetime must be at least one second and end before the year 292277026596")]
    InvalidTtl,
    /// jsonwebtoken could not sign the token.
    #[error("signing the token failed: {0}")]
    Signing(#[source] jsonwebtoken::errors::Error),
    /// The identity provider's discovery document or keys could not be used.
    #[error("identity provider {url}: {reason}")]
    Provider {
        /// What was asked for.
        url: String,
        /// What went wrong.
        reason: String,
    },
}

/// Checks tokens against the configured keys and settings. Cheap to clone; shared by all
/// HTTP workers.
#[derive(Debug, Clone)]
pub struct TokenVerifier {
    /// The trusted keys; replaced whole when an identity provider's are fetched again.
    keys: Arc<RwLock<Arc<[TrustedKey]>>>,
    settings: TokenSettings,
    leeway: i64,
    verified: Arc<VerifiedCache>,
    /// The claim that names the user (`sub` unless configured otherwise).
    user_claim: String,
    /// The OpenID Connect provider the keys come from, if any.
    source: Option<Arc<oidc::OidcSource>>,
}

/// Tokens that passed every check, by the SHA-256 of the token. Checking an
/// Ed25519 signature costs more CPU than the rest of a cheap read (about a third
/// of planspor's time under load; BENCHMARKS.md), and a client sends the same
/// token until it expires. Of the checks only `exp` depends on the time (`nbf`
/// and `iat` held once, so they still hold), so a hit is checked against `exp`
/// again; the trusted keys never change while the process runs.
#[derive(Debug, Default)]
struct VerifiedCache(Mutex<HashMap<[u8; 32], VerifiedToken>>);

/// Entries before the cache starts over (a few MB at most).
const VERIFIED_CACHE_CAPACITY: usize = 10_000;

impl VerifiedCache {
    fn key(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }

    /// The verified token, unless it is unknown or has expired by `now` (with `leeway`,
    /// as jsonwebtoken checks `exp`).
    fn get(&self, key: &[u8; 32], now: i64, leeway: i64) -> Option<VerifiedToken> {
        let mut entries = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match entries.get(key) {
            Some(token) if token.expires_at >= now.saturating_sub(leeway) => Some(token.clone()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Forgets every verified token: the keys they were verified with changed.
    fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }

    fn insert(&self, key: [u8; 32], token: VerifiedToken) {
        let mut entries = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= VERIFIED_CACHE_CAPACITY {
            entries.clear();
        }
        entries.insert(key, token);
    }
}

/// One key a token may be signed with, with everything needed to check such a token.
impl TokenVerifier {
    /// The user a token speaks for: `sub`, or the configured user claim.
    fn subject_of(&self, claims: &Claims) -> Result<String, TokenError> {
        let named = match self.user_claim.as_str() {
            "sub" => claims.sub.as_deref(),
            other => claims.other.get(other).and_then(serde_json::Value::as_str),
        };
        let missing = match self.user_claim.as_str() {
            "sub" => TokenError::MissingClaim("sub"),
            _ => TokenError::MissingUserClaim,
        };
        named
            .filter(|user| !user.trim().is_empty())
            .map(str::to_owned)
            .ok_or(missing)
    }
}

#[derive(Debug)]
struct TrustedKey {
    kid: Option<String>,
    algorithm: Algorithm,
    key: DecodingKey,
    /// jsonwebtoken's checks for this key: its one algorithm, `iss`, `aud`, the times.
    validation: Validation,
}

impl TokenVerifier {
    /// Loads every trusted key (in standalone mode: loads or creates the signing key, and
    /// trusts its public half for EdDSA only). Fails on any configuration problem rather
    /// than trusting less, or more, than configured.
    pub fn new(trust: &TrustConfig, settings: TokenSettings) -> Result<Self, KeyError> {
        check_settings(&settings)?;
        install_crypto_provider();
        let candidates = match trust {
            TrustConfig::Standalone { key_dir } => {
                vec![StandaloneKey::load_or_create(key_dir)?.candidate()]
            }
            TrustConfig::External {
                jwks_file,
                pem_keys,
            } => external_keys(jwks_file.as_deref(), pem_keys)?,
        };
        Self::from_candidates(candidates, settings)
    }

    fn from_candidates(
        candidates: Vec<CandidateKey>,
        settings: TokenSettings,
    ) -> Result<Self, KeyError> {
        check_settings(&settings)?;
        install_crypto_provider();
        check_key_ids(&candidates)?;
        let keys = candidates
            .into_iter()
            .map(|candidate| candidate.trusted(&settings))
            .collect();
        Ok(Self {
            keys: Arc::new(RwLock::new(keys)),
            leeway: i64::try_from(settings.leeway_seconds).unwrap_or(i64::MAX),
            settings,
            verified: Arc::default(),
            user_claim: "sub".to_owned(),
            source: None,
        })
    }

    /// The keys trusted now.
    fn current_keys(&self) -> Arc<[TrustedKey]> {
        self.keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Checks `token` (the compact JWS, without `Bearer `) and returns its facts, or the
    /// first reason to refuse it.
    pub fn verify(&self, token: &str) -> Result<VerifiedToken, TokenError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::TooLong);
        }
        let cache_key = VerifiedCache::key(token);
        if let Some(verified) = self.verified.get(&cache_key, now_seconds(), self.leeway) {
            return Ok(verified);
        }
        let verified = self.verify_uncached(token)?;
        self.verified.insert(cache_key, verified.clone());
        Ok(verified)
    }

    /// Every check of [`Self::verify`], without the cache.
    fn verify_uncached(&self, token: &str) -> Result<VerifiedToken, TokenError> {
        let header = RawHeader::read(token)?;
        check_type(header.typ.as_deref())?;
        if header.crit.is_some() {
            return Err(TokenError::CriticalHeader);
        }
        let keys = self.current_keys();
        let key = select_key(&keys, header.kid.as_deref())?;
        // The key, not the token, decides the algorithm (RFC 8725 §3.1).
        if Algorithm::from_str(&header.alg).ok() != Some(key.algorithm) {
            return Err(TokenError::AlgorithmMismatch);
        }
        let data =
            jsonwebtoken::decode::<Claims>(token, &key.key, &key.validation).map_err(refusal)?;
        self.accept(data.claims)
    }

    /// The checks jsonwebtoken does not do, on claims whose signature already verified.
    fn accept(&self, claims: Claims) -> Result<VerifiedToken, TokenError> {
        check_issued_at(
            claims.iat.as_ref(),
            now_seconds().saturating_add(self.leeway),
        )?;
        let subject = self.subject_of(&claims)?;
        let issuer = claims.iss.ok_or(TokenError::MissingClaim("iss"))?;
        let expires_at = claims
            .exp
            .as_ref()
            .and_then(numeric_date)
            .ok_or(TokenError::MissingClaim("exp"))?;
        Ok(VerifiedToken {
            issuer,
            subject,
            name: claims.name,
            email: claims.email,
            expires_at,
        })
    }
}

/// The header members this module looks at, read before jsonwebtoken parses the header:
/// jsonwebtoken's `Header` cannot represent `alg: none`, and its parse error would hide
/// why a token is refused.
/// The key named by `kid`; without a `kid`, the only key, if there is only one.
fn select_key<'k>(keys: &'k [TrustedKey], kid: Option<&str>) -> Result<&'k TrustedKey, TokenError> {
    match (kid, keys) {
        (Some(kid), keys) => keys
            .iter()
            .find(|key| key.kid.as_deref() == Some(kid))
            .ok_or(TokenError::UnknownKeyId),
        (None, [only]) => Ok(only),
        (None, _) => Err(TokenError::MissingKeyId),
    }
}

#[derive(Deserialize)]
struct RawHeader {
    alg: String,
    typ: Option<String>,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

impl RawHeader {
    /// The header of a compact JWS: exactly three dot-separated parts, the first base64url JSON.
    fn read(token: &str) -> Result<Self, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(_), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let json = URL_SAFE_NO_PAD
            .decode(header)
            .map_err(|_| TokenError::Malformed)?;
        serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)
    }
}

/// The claims planspor reads. Everything is optional so that a missing claim reaches
/// jsonwebtoken's own check (and its precise error) instead of failing deserialization.
#[derive(Deserialize)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    /// Every other claim, for a configured user claim such as Entra ID's `oid`.
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
    exp: Option<Number>,
    iat: Option<Number>,
    name: Option<String>,
    email: Option<String>,
}

/// `typ`, when present, must be one of [`ACCEPTED_TYPES`]; the `application/` prefix may
/// be written out (RFC 7515 §4.1.9).
fn check_type(typ: Option<&str>) -> Result<(), TokenError> {
    let Some(typ) = typ else { return Ok(()) };
    let media_type = match typ.get(..12) {
        Some(prefix) if prefix.eq_ignore_ascii_case("application/") => &typ[12..],
        _ => typ,
    };
    if ACCEPTED_TYPES
        .iter()
        .any(|accepted| accepted.eq_ignore_ascii_case(media_type))
    {
        Ok(())
    } else {
        Err(TokenError::WrongType)
    }
}

/// Refuses an `iat` later than `latest` (now plus leeway).
fn check_issued_at(iat: Option<&Number>, latest: i64) -> Result<(), TokenError> {
    match iat.map(numeric_date) {
        None => Ok(()),
        Some(None) => Err(TokenError::Malformed),
        Some(Some(iat)) if iat > latest => Err(TokenError::IssuedInFuture),
        Some(Some(_)) => Ok(()),
    }
}

/// A JSON NumericDate (seconds, possibly fractional) as whole seconds.
fn numeric_date(value: &Number) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|seconds| seconds.is_finite())
            .map(|seconds| seconds as i64)
    })
}

/// Seconds since the Unix epoch (0 if the clock is set before it).
fn now_seconds() -> i64 {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    i64::try_from(seconds).unwrap_or(i64::MAX)
}

/// Translates jsonwebtoken's reason into ours. Anything not listed is a shape problem.
fn refusal(error: jsonwebtoken::errors::Error) -> TokenError {
    match error.kind() {
        ErrorKind::InvalidSignature => TokenError::BadSignature,
        ErrorKind::InvalidAlgorithm => TokenError::AlgorithmMismatch,
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
        ErrorKind::InvalidAudience => TokenError::WrongAudience,
        ErrorKind::MissingRequiredClaim(claim) => REQUIRED_CLAIMS
            .into_iter()
            .find(|required| *required == claim.as_str())
            .map_or(TokenError::Malformed, TokenError::MissingClaim),
        _ => TokenError::Malformed,
    }
}

/// Refuses settings that would weaken every check.
fn check_settings(settings: &TokenSettings) -> Result<(), KeyError> {
    if settings.leeway_seconds > MAX_LEEWAY_SECONDS {
        return Err(KeyError::LeewayTooLarge(settings.leeway_seconds));
    }
    if settings.issuer.trim().is_empty() {
        return Err(KeyError::EmptySetting("issuer"));
    }
    if settings.audience.trim().is_empty() {
        return Err(KeyError::EmptySetting("audience"));
    }
    Ok(())
}

/// Pins jsonwebtoken to its RustCrypto backend for the whole process. jsonwebtoken picks
/// the backend from its crate features and panics on first use if Cargo feature
/// unification ever turns on both backends; installing it explicitly removes that trap.
fn install_crypto_provider() {
    // An error only means a provider is installed already (by an earlier call here, or by
    // the application on purpose): either way there is one, which is all that matters.
    let _already_installed = CryptoProvider::install_default(&DEFAULT_PROVIDER);
}
