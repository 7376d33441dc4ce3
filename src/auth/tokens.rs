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
use std::sync::{Arc, Mutex};
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
}

/// Checks tokens against the configured keys and settings. Cheap to clone; shared by all
/// HTTP workers.
#[derive(Debug, Clone)]
pub struct TokenVerifier {
    keys: Arc<[TrustedKey]>,
    leeway: i64,
    verified: Arc<VerifiedCache>,
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
        check_key_ids(&candidates)?;
        let keys = candidates
            .into_iter()
            .map(|candidate| candidate.trusted(&settings))
            .collect();
        Ok(Self {
            keys,
            leeway: i64::try_from(settings.leeway_seconds).unwrap_or(i64::MAX),
            verified: Arc::default(),
        })
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
        let key = self.select_key(header.kid.as_deref())?;
        // The key, not the token, decides the algorithm (RFC 8725 §3.1).
        if Algorithm::from_str(&header.alg).ok() != Some(key.algorithm) {
            return Err(TokenError::AlgorithmMismatch);
        }
        let data =
            jsonwebtoken::decode::<Claims>(token, &key.key, &key.validation).map_err(refusal)?;
        self.accept(data.claims)
    }

    /// The key named by `kid`; without a `kid`, the only key, if there is only one.
    fn select_key(&self, kid: Option<&str>) -> Result<&TrustedKey, TokenError> {
        match (kid, &*self.keys) {
            (Some(kid), keys) => keys
                .iter()
                .find(|key| key.kid.as_deref() == Some(kid))
                .ok_or(TokenError::UnknownKeyId),
            (None, [only]) => Ok(only),
            (None, _) => Err(TokenError::MissingKeyId),
        }
    }

    /// The checks jsonwebtoken does not do, on claims whose signature already verified.
    fn accept(&self, claims: Claims) -> Result<VerifiedToken, TokenError> {
        check_issued_at(
            claims.iat.as_ref(),
            now_seconds().saturating_add(self.leeway),
        )?;
        let subject = claims
            .sub
            .filter(|sub| !sub.trim().is_empty())
            .ok_or(TokenError::MissingClaim("sub"))?;
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

/// A key that passed its checks, before it gets its `Validation`.
struct CandidateKey {
    kid: Option<String>,
    algorithm: Algorithm,
    key: DecodingKey,
}

impl CandidateKey {
    /// Accepts `key` for `algorithm` only if it is a valid, strong enough public key of
    /// that algorithm's type.
    fn checked(
        kid: Option<String>,
        algorithm: Algorithm,
        key: DecodingKey,
    ) -> Result<Self, KeyError> {
        check_usable(kid_label(kid.as_deref()), algorithm, &key)?;
        Ok(Self {
            kid,
            algorithm,
            key,
        })
    }

    /// The key with jsonwebtoken's checks for tokens signed with it.
    fn trusted(self, settings: &TokenSettings) -> TrustedKey {
        let mut validation = Validation::new(self.algorithm);
        validation.leeway = settings.leeway_seconds;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&REQUIRED_CLAIMS);
        TrustedKey {
            kid: self.kid,
            algorithm: self.algorithm,
            key: self.key,
            validation,
        }
    }
}

/// How a key is named in errors.
fn kid_label(kid: Option<&str>) -> &str {
    kid.unwrap_or("-")
}

/// Refuses HMAC, a key of another type than its algorithm, invalid key material, RSA under
/// 2048 bits and an EC curve that is not the algorithm's.
fn check_usable(kid: &str, algorithm: Algorithm, key: &DecodingKey) -> Result<(), KeyError> {
    let invalid = |reason| KeyError::InvalidKey {
        kid: kid.to_owned(),
        reason,
    };
    if algorithm.family() == AlgorithmFamily::Hmac {
        return Err(KeyError::UnsupportedAlgorithm {
            kid: kid.to_owned(),
            algorithm: format!("{algorithm:?}"),
        });
    }
    if key.family() != algorithm.family() {
        return Err(invalid("the key type does not match its algorithm"));
    }
    // Converting to a JWK parses RSA keys and checks Ed25519 length, which must come first:
    // jsonwebtoken's Ed25519 verifier slices the first 32 bytes and panics on fewer.
    let jwk = Jwk::from_decoding_key(key, Some(algorithm))
        .map_err(|_| invalid("not a valid public key"))?;
    check_strength(&jwk.algorithm, algorithm).map_err(invalid)?;
    // Building a verifier checks that EC and Ed25519 points are on their curve.
    (DEFAULT_PROVIDER.verifier_factory)(&algorithm, key)
        .map_err(|_| invalid("not a valid public key"))?;
    Ok(())
}

/// RSA modulus size and EC curve, the parts of a key's strength its type does not fix.
fn check_strength(params: &AlgorithmParameters, algorithm: Algorithm) -> Result<(), &'static str> {
    match params {
        AlgorithmParameters::RSA(rsa) if rsa_modulus_bits(&rsa.n) < MIN_RSA_BITS => {
            Err("RSA keys need at least 2048 bits")
        }
        AlgorithmParameters::EllipticCurve(ec) if curve_algorithm(&ec.curve) != Some(algorithm) => {
            Err("the curve does not match its algorithm")
        }
        _ => Ok(()),
    }
}

/// Bits in a base64url big-endian RSA modulus (0 if it does not decode).
fn rsa_modulus_bits(modulus: &str) -> usize {
    let bytes = URL_SAFE_NO_PAD.decode(modulus).unwrap_or_default();
    let significant: Vec<u8> = bytes.into_iter().skip_while(|byte| *byte == 0).collect();
    match significant.first() {
        Some(first) => significant.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

/// The ECDSA algorithm that goes with a curve.
fn curve_algorithm(curve: &EllipticCurve) -> Option<Algorithm> {
    match curve {
        EllipticCurve::P256 => Some(Algorithm::ES256),
        EllipticCurve::P384 => Some(Algorithm::ES384),
        _ => None,
    }
}

/// There must be a key, `kid`s must be unique, and with several keys every key needs one.
fn check_key_ids(keys: &[CandidateKey]) -> Result<(), KeyError> {
    if keys.is_empty() {
        return Err(KeyError::NoKeys);
    }
    let mut seen = HashSet::new();
    for key in keys {
        match &key.kid {
            Some(kid) if !seen.insert(kid.as_str()) => {
                return Err(KeyError::DuplicateKeyId(kid.clone()));
            }
            None if keys.len() > 1 => return Err(KeyError::MissingKeyId),
            _ => {}
        }
    }
    Ok(())
}

/// The keys of an external identity provider: the JWKS's, then the PEM files'.
fn external_keys(
    jwks_file: Option<&Path>,
    pem_keys: &[PemKey],
) -> Result<Vec<CandidateKey>, KeyError> {
    let mut keys = match jwks_file {
        Some(path) => read_jwks(path)?,
        None => Vec::new(),
    };
    for pem_key in pem_keys {
        keys.push(read_pem_key(pem_key)?);
    }
    Ok(keys)
}

/// The signature keys of a JWKS file.
fn read_jwks(path: &Path) -> Result<Vec<CandidateKey>, KeyError> {
    let text = fs::read(path).map_err(|source| io_error(path, source))?;
    let set: JwkSet = serde_json::from_slice(&text).map_err(|source| KeyError::InvalidJwks {
        path: path.to_owned(),
        source,
    })?;
    set.keys
        .iter()
        .filter(|jwk| is_for_signatures(jwk))
        .map(jwk_key)
        .collect()
}

/// Whether a JWK may verify signatures: not marked for encryption only.
fn is_for_signatures(jwk: &Jwk) -> bool {
    let use_allows = matches!(
        jwk.common.public_key_use,
        None | Some(PublicKeyUse::Signature)
    );
    let ops_allow = jwk
        .common
        .key_operations
        .as_ref()
        .is_none_or(|ops| ops.contains(&KeyOperations::Verify));
    use_allows && ops_allow
}

/// One JWK as a trusted key, with its `alg`, or the algorithm its type implies.
fn jwk_key(jwk: &Jwk) -> Result<CandidateKey, KeyError> {
    let kid = jwk.common.key_id.clone();
    let unsupported = |algorithm: String| KeyError::UnsupportedAlgorithm {
        kid: kid_label(kid.as_deref()).to_owned(),
        algorithm,
    };
    let algorithm = match jwk.common.key_algorithm {
        Some(declared) => {
            Algorithm::try_from(declared).map_err(|_| unsupported(declared.to_string()))?
        }
        None => implied_algorithm(&jwk.algorithm)
            .ok_or_else(|| unsupported(key_type(&jwk.algorithm)))?,
    };
    let key = DecodingKey::from_jwk(jwk).map_err(|_| KeyError::InvalidKey {
        kid: kid_label(kid.as_deref()).to_owned(),
        reason: "not a valid public key",
    })?;
    CandidateKey::checked(kid, algorithm, key)
}

/// The algorithm a JWK without `alg` is trusted for: RSA → RS256, P-256 → ES256,
/// Ed25519 → EdDSA; nothing for any other type (symmetric keys above all).
fn implied_algorithm(params: &AlgorithmParameters) -> Option<Algorithm> {
    match params {
        AlgorithmParameters::RSA(_) => Some(Algorithm::RS256),
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
            Some(Algorithm::ES256)
        }
        AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => {
            Some(Algorithm::EdDSA)
        }
        _ => None,
    }
}

/// A JWK's type, for an error message.
fn key_type(params: &AlgorithmParameters) -> String {
    match params {
        AlgorithmParameters::RSA(_) => "RSA".to_owned(),
        AlgorithmParameters::EllipticCurve(ec) => format!("EC {:?}", ec.curve),
        AlgorithmParameters::OctetKeyPair(okp) => format!("OKP {:?}", okp.curve),
        AlgorithmParameters::OctetKey(_) => "oct (symmetric)".to_owned(),
        _ => "of an unknown type".to_owned(),
    }
}

/// A public key from a PEM file, for its configured algorithm.
fn read_pem_key(pem_key: &PemKey) -> Result<CandidateKey, KeyError> {
    let pem = fs::read(&pem_key.path).map_err(|source| io_error(&pem_key.path, source))?;
    let parsed = match pem_key.algorithm.family() {
        AlgorithmFamily::Rsa => DecodingKey::from_rsa_pem(&pem),
        AlgorithmFamily::Ec => DecodingKey::from_ec_pem(&pem),
        AlgorithmFamily::Ed => DecodingKey::from_ed_pem(&pem),
        AlgorithmFamily::Hmac => {
            return Err(KeyError::UnsupportedAlgorithm {
                kid: pem_key.kid.clone(),
                algorithm: format!("{:?}", pem_key.algorithm),
            });
        }
    };
    let key = parsed.map_err(|source| KeyError::InvalidPem {
        path: pem_key.path.clone(),
        algorithm: pem_key.algorithm,
        source,
    })?;
    CandidateKey::checked(Some(pem_key.kid.clone()), pem_key.algorithm, key)
}

/// An I/O error about `path`.
fn io_error(path: &Path, source: io::Error) -> KeyError {
    KeyError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Signs planspor's own tokens (standalone mode only). Cheap to clone.
#[derive(Debug, Clone)]
pub struct TokenIssuer {
    key: Arc<StandaloneKey>,
    issuer: String,
    audience: String,
}

/// The claims of a token planspor issues.
#[derive(Serialize)]
struct IssuedClaims<'a> {
    iss: &'a str,
    aud: &'a str,
    sub: &'a str,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
}

impl TokenIssuer {
    /// Loads (or creates on first use) the standalone key in key_dir.
    pub fn load_or_create(key_dir: &Path, settings: &TokenSettings) -> Result<Self, KeyError> {
        check_settings(settings)?;
        install_crypto_provider();
        Ok(Self {
            key: Arc::new(StandaloneKey::load_or_create(key_dir)?),
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
        })
    }

    /// A signed EdDSA token: header {alg: EdDSA, typ: "JWT", kid: <RFC 7638 thumbprint of
    /// the public key>}, claims iss, aud, sub, iat, nbf (= iat), exp (= iat + ttl), jti
    /// (random), and optional name/email.
    pub fn issue(
        &self,
        subject: &str,
        name: Option<&str>,
        email: Option<&str>,
        ttl: Duration,
    ) -> Result<String, KeyError> {
        if subject.trim().is_empty() {
            return Err(KeyError::EmptySubject);
        }
        let now = now_seconds();
        let expires_at = i64::try_from(ttl.as_secs())
            .ok()
            .filter(|seconds| *seconds > 0)
            .and_then(|seconds| now.checked_add(seconds))
            .ok_or(KeyError::InvalidTtl)?;
        let claims = IssuedClaims {
            iss: &self.issuer,
            aud: &self.audience,
            sub: subject,
            iat: now,
            nbf: now,
            exp: expires_at,
            jti: random_id()?,
            name,
            email,
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.key.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.key.signing).map_err(KeyError::Signing)
    }
}

/// A random base64url identifier for `jti`.
fn random_id() -> Result<String, KeyError> {
    let mut bytes = [0_u8; JTI_BYTES];
    getrandom::getrandom(&mut bytes).map_err(KeyError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The standalone Ed25519 key pair and its `kid`.
#[derive(Debug)]
struct StandaloneKey {
    signing: EncodingKey,
    verifying: DecodingKey,
    kid: String,
}

impl StandaloneKey {
    /// Reads the private key in `key_dir`, creating it first if there is none, and
    /// (re)writes the public key beside it.
    fn load_or_create(key_dir: &Path) -> Result<Self, KeyError> {
        create_key_dir(key_dir)?;
        let private_path = key_dir.join(PRIVATE_KEY_FILE);
        let signing_key = match read_private_key(&private_path)? {
            Some(existing) => existing,
            None => create_private_key(&private_path)?,
        };
        write_public_key(&key_dir.join(PUBLIC_KEY_FILE), &signing_key)?;
        Self::from_signing_key(&signing_key, &private_path)
    }

    /// Both halves in jsonwebtoken's form, and the RFC 7638 thumbprint as `kid`.
    fn from_signing_key(signing_key: &SigningKey, path: &Path) -> Result<Self, KeyError> {
        let failed = |reason: String| KeyError::StandaloneKey {
            path: path.to_owned(),
            reason,
        };
        // EncodingKey::from_ed_der wants the PKCS#8 document...
        let pkcs8 = pkcs8_v1(signing_key)
            .to_pkcs8_der()
            .map_err(|error| failed(error.to_string()))?;
        let signing = EncodingKey::from_ed_der(pkcs8.as_bytes());
        // ...while DecodingKey::from_ed_der wants the raw 32-byte point, not DER: the JWK
        // form (base64url `x`) says what it means.
        let x = URL_SAFE_NO_PAD.encode(signing_key.verifying_key().as_bytes());
        let verifying =
            DecodingKey::from_ed_components(&x).map_err(|error| failed(error.to_string()))?;
        let kid = Jwk::from_decoding_key(&verifying, Some(Algorithm::EdDSA))
            .and_then(|jwk| jwk.thumbprint(ThumbprintHash::SHA256))
            .map_err(|error| failed(error.to_string()))?;
        Ok(Self {
            signing,
            verifying,
            kid,
        })
    }

    /// The public half, trusted for EdDSA only.
    fn candidate(&self) -> CandidateKey {
        CandidateKey {
            kid: Some(self.kid.clone()),
            algorithm: Algorithm::EdDSA,
            key: self.verifying.clone(),
        }
    }
}

/// The private key as PKCS#8 v1 (RFC 8410 §7 without the optional public key), the form
/// `openssl genpkey` writes, so the file can be inspected or replaced with the usual tools.
fn pkcs8_v1(signing_key: &SigningKey) -> KeypairBytes {
    KeypairBytes {
        secret_key: signing_key.to_bytes(),
        public_key: None,
    }
}

/// Creates `key_dir` (mode 0700) if it is missing; an existing directory is left as it is.
fn create_key_dir(key_dir: &Path) -> Result<(), KeyError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(key_dir)
        .map_err(|source| io_error(key_dir, source))
}

/// The private key at `path`, or `None` if there is no file.
fn read_private_key(path: &Path) -> Result<Option<SigningKey>, KeyError> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io_error(path, error)),
    };
    // Like ssh: a signing key others can read is a leaked key, so refuse to use it.
    if !is_owner_only(&metadata) {
        return Err(KeyError::InsecureKeyFile(path.to_owned()));
    }
    let pem = Zeroizing::new(fs::read_to_string(path).map_err(|source| io_error(path, source))?);
    SigningKey::from_pkcs8_pem(&pem)
        .map(Some)
        .map_err(|error| KeyError::StandaloneKey {
            path: path.to_owned(),
            reason: error.to_string(),
        })
}

/// A new random key, saved at `path` unless another process (the server and the
/// `issue-token` CLI may start together) saved one first, in which case that one is used.
fn create_private_key(path: &Path) -> Result<SigningKey, KeyError> {
    let mut seed = Zeroizing::new([0_u8; 32]);
    getrandom::getrandom(seed.as_mut_slice()).map_err(KeyError::Random)?;
    let signing_key = SigningKey::from_bytes(&seed);
    let pem = pkcs8_v1(&signing_key)
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|error| KeyError::StandaloneKey {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
    match publish_private_file(path, pem.as_bytes()) {
        Ok(()) => Ok(signing_key),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            read_private_key(path)?.ok_or_else(|| io_error(path, error))
        }
        Err(error) => Err(io_error(path, error)),
    }
}

/// Writes `contents` to a new owner-only file at `path`, all at once: written beside it
/// first, then hard-linked into place, which (unlike a rename) fails if `path` exists, so
/// no reader ever sees half a key and no existing key is ever replaced.
fn publish_private_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = temporary_path(path);
    let published =
        write_owner_only(&temporary, contents).and_then(|()| fs::hard_link(&temporary, path));
    // The link (if made) keeps the contents; the temporary name is no longer needed.
    let _ignored = fs::remove_file(&temporary);
    published
}

/// Creates `path` readable and writable by its owner only, and writes `contents` to disk.
fn write_owner_only(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file: File = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Whether only the owner may read or write the file.
#[cfg(unix)]
fn is_owner_only(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    metadata.permissions().mode() & 0o077 == 0
}

/// Whether only the owner may read or write the file (not checked off Unix).
#[cfg(not(unix))]
fn is_owner_only(_metadata: &fs::Metadata) -> bool {
    true
}

/// (Re)writes the public key PEM at `path` if it is missing or not the private key's:
/// the private key is the source of truth, the public file only a copy for others.
fn write_public_key(path: &Path, signing_key: &SigningKey) -> Result<(), KeyError> {
    let pem = signing_key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|error| KeyError::StandaloneKey {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
    if fs::read_to_string(path).is_ok_and(|current| current == pem) {
        return Ok(());
    }
    // Written beside it and renamed, so a reader never sees half a key.
    let temporary = temporary_path(path);
    fs::write(&temporary, &pem)
        .and_then(|()| fs::rename(&temporary, path))
        .map_err(|source| {
            let _ignored = fs::remove_file(&temporary);
            io_error(path, source)
        })
}

/// A name beside `path` that no other process or thread is using.
fn temporary_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let unique = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(Default::default, |name| name.to_string_lossy());
    path.with_file_name(format!(".{name}.{}-{unique}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use std::sync::atomic::AtomicUsize;

    /// Where the test-only keys live, relative to the crate root.
    const FIXTURE_DIR: &str = "tests/fixtures/keys";
    const ISSUER: &str = "https://idp.example.test";
    const AUDIENCE: &str = "planspor";
    const LEEWAY: u64 = 30;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(FIXTURE_DIR)
            .join(name)
    }

    fn read_fixture(name: &str) -> Vec<u8> {
        fs::read(fixture(name)).expect("the fixture is readable")
    }

    fn settings() -> TokenSettings {
        TokenSettings {
            issuer: ISSUER.to_owned(),
            audience: AUDIENCE.to_owned(),
            leeway_seconds: LEEWAY,
        }
    }

    fn pem_key(kid: &str, algorithm: Algorithm, file: &str) -> PemKey {
        PemKey {
            kid: kid.to_owned(),
            algorithm,
            path: fixture(file),
        }
    }

    fn external(
        jwks_file: Option<PathBuf>,
        pem_keys: Vec<PemKey>,
    ) -> Result<TokenVerifier, KeyError> {
        TokenVerifier::new(
            &TrustConfig::External {
                jwks_file,
                pem_keys,
            },
            settings(),
        )
    }

    /// Trusts jwks.json: rsa-1 (RS256), ec-1 (ES256), ed-1 (EdDSA).
    fn jwks_verifier() -> TokenVerifier {
        external(Some(fixture("jwks.json")), Vec::new()).expect("jwks.json loads")
    }

    /// Trusts rsa-1 alone, from its PEM file.
    fn rsa_verifier() -> TokenVerifier {
        external(
            None,
            vec![pem_key("rsa-1", Algorithm::RS256, "rsa-1.pub.pem")],
        )
        .expect("the RSA PEM loads")
    }

    fn now() -> i64 {
        now_seconds()
    }

    /// Claims that pass every check.
    fn claims() -> Value {
        let now = now();
        json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": "user-1",
            "iat": now, "nbf": now, "exp": now + 300,
            "name": "Ada Lovelace", "email": "ada@example.test",
        })
    }

    fn with(mut claims: Value, name: &str, value: Value) -> Value {
        claims[name] = value;
        claims
    }

    fn without(mut claims: Value, name: &str) -> Value {
        claims
            .as_object_mut()
            .expect("claims are an object")
            .remove(name);
        claims
    }

    fn encoding_key(algorithm: Algorithm, private_file: &str) -> EncodingKey {
        let pem = read_fixture(private_file);
        match algorithm.family() {
            AlgorithmFamily::Rsa => EncodingKey::from_rsa_pem(&pem),
            AlgorithmFamily::Ec => EncodingKey::from_ec_pem(&pem),
            AlgorithmFamily::Ed => EncodingKey::from_ed_pem(&pem),
            AlgorithmFamily::Hmac => panic!("HMAC keys are not fixtures"),
        }
        .expect("the private key fixture loads")
    }

    fn sign_with(header: &Header, private_file: &str, claims: &Value) -> String {
        jsonwebtoken::encode(header, claims, &encoding_key(header.alg, private_file))
            .expect("signing works")
    }

    fn sign(algorithm: Algorithm, private_file: &str, kid: Option<&str>, claims: &Value) -> String {
        let mut header = Header::new(algorithm);
        header.kid = kid.map(str::to_owned);
        sign_with(&header, private_file, claims)
    }

    /// A token signed by rsa-1, naming it.
    fn rsa_token(claims: &Value) -> String {
        sign(Algorithm::RS256, "rsa-1.pem", Some("rsa-1"), claims)
    }

    fn b64(bytes: impl AsRef<[u8]>) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A token assembled by hand, signature and all.
    fn forge(header: &Value, claims: &Value, signature: &str) -> String {
        format!(
            "{}.{}.{signature}",
            b64(header.to_string()),
            b64(claims.to_string())
        )
    }

    fn parts(token: &str) -> Vec<String> {
        token.split('.').map(str::to_owned).collect()
    }

    /// A directory removed when the test ends.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(label: &str) -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!(
                "planspor-tokens-{}-{label}-{n}",
                std::process::id()
            ));
            let _stale = fs::remove_dir_all(&path);
            Self(path)
        }

        fn keys(&self) -> PathBuf {
            self.0.join("keys")
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ignored = fs::remove_dir_all(&self.0);
        }
    }

    fn standalone(key_dir: &Path) -> TokenVerifier {
        let trust = TrustConfig::Standalone {
            key_dir: key_dir.to_owned(),
        };
        TokenVerifier::new(&trust, settings()).expect("the standalone verifier loads")
    }

    fn issuer(key_dir: &Path) -> TokenIssuer {
        TokenIssuer::load_or_create(key_dir, &settings()).expect("the standalone issuer loads")
    }

    fn kid_of(token: &str) -> Option<String> {
        jsonwebtoken::decode_header(token)
            .expect("the header decodes")
            .kid
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        fs::metadata(path)
            .expect("the file exists")
            .permissions()
            .mode()
            & 0o777
    }

    // --- standalone mode ---

    #[test]
    fn standalone_round_trip() {
        let dir = TempDir::new("round-trip");
        let token = issuer(&dir.keys())
            .issue(
                "user-7",
                Some("Grace Hopper"),
                Some("grace@example.test"),
                Duration::from_secs(600),
            )
            .expect("issuing works");
        let verified = standalone(&dir.keys())
            .verify(&token)
            .expect("an issued token verifies");
        assert_eq!(verified.issuer, ISSUER);
        assert_eq!(verified.subject, "user-7");
        assert_eq!(verified.name.as_deref(), Some("Grace Hopper"));
        assert_eq!(verified.email.as_deref(), Some("grace@example.test"));
        assert!((verified.expires_at - (now() + 600)).abs() <= 2);
    }

    #[test]
    fn issued_token_has_the_promised_header_and_claims() {
        let dir = TempDir::new("shape");
        let token = issuer(&dir.keys())
            .issue("user-7", None, None, Duration::from_secs(60))
            .expect("issuing works");
        let header = jsonwebtoken::decode_header(&token).expect("the header decodes");
        assert_eq!(header.alg, Algorithm::EdDSA);
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        let data =
            jsonwebtoken::dangerous::insecure_decode::<Value>(&token).expect("the claims decode");
        let claims = data.claims;
        assert_eq!(claims["iss"], ISSUER);
        assert_eq!(claims["aud"], AUDIENCE);
        assert_eq!(claims["nbf"], claims["iat"]);
        assert_eq!(
            claims["exp"].as_i64(),
            claims["iat"].as_i64().map(|iat| iat + 60)
        );
        assert_eq!(claims["jti"].as_str().map(str::len), Some(22));
        assert!(claims.get("name").is_none() && claims.get("email").is_none());
        let other = issuer(&dir.keys()).issue("user-7", None, None, Duration::from_secs(60));
        let other_claims =
            jsonwebtoken::dangerous::insecure_decode::<Value>(other.expect("issuing works"));
        assert_ne!(
            other_claims.expect("the claims decode").claims["jti"],
            claims["jti"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn standalone_key_is_owner_only_and_reused() {
        let dir = TempDir::new("reuse");
        let first = issuer(&dir.keys()).issue("u", None, None, Duration::from_secs(60));
        let private = dir.keys().join(PRIVATE_KEY_FILE);
        assert_eq!(mode(&private), 0o600);
        assert_eq!(mode(&dir.keys()), 0o700);
        let public = fs::read_to_string(dir.keys().join(PUBLIC_KEY_FILE))
            .expect("the public key is written");
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
        let private_pem = fs::read_to_string(&private).expect("the private key is written");
        assert!(private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));

        let second = issuer(&dir.keys()).issue("u", None, None, Duration::from_secs(60));
        assert_eq!(
            kid_of(&first.expect("issuing works")),
            kid_of(&second.expect("issuing works"))
        );
        assert_eq!(
            fs::read_to_string(&private).expect("still there"),
            private_pem
        );
    }

    #[test]
    fn standalone_kid_is_the_rfc_7638_thumbprint() {
        // RFC 8037 appendix A.1 key, whose thumbprint appendix A.3 gives.
        let dir = TempDir::new("rfc8037");
        fs::create_dir_all(dir.keys()).expect("the key dir is created");
        let seed = URL_SAFE_NO_PAD
            .decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
            .expect("the RFC seed decodes");
        let seed: [u8; 32] = seed.try_into().expect("the RFC seed has 32 bytes");
        let pem = pkcs8_v1(&SigningKey::from_bytes(&seed))
            .to_pkcs8_pem(LineEnding::LF)
            .expect("the RFC key encodes");
        write_owner_only(&dir.keys().join(PRIVATE_KEY_FILE), pem.as_bytes())
            .expect("the RFC key is saved");
        let token = issuer(&dir.keys()).issue("u", None, None, Duration::from_secs(60));
        assert_eq!(
            kid_of(&token.expect("issuing works")).as_deref(),
            Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        );
    }

    #[test]
    fn standalone_accepts_an_openssl_generated_key() {
        let dir = TempDir::new("openssl");
        fs::create_dir_all(dir.keys()).expect("the key dir is created");
        write_owner_only(
            &dir.keys().join(PRIVATE_KEY_FILE),
            &read_fixture("ed25519.pem"),
        )
        .expect("key saved");
        let token = issuer(&dir.keys()).issue("u", None, None, Duration::from_secs(60));
        let token = token.expect("issuing works");
        assert!(standalone(&dir.keys()).verify(&token).is_ok());
        // The issuer really signs with the file's key: its public half, trusted from the
        // fixture under the issued kid, verifies the token.
        let kid = kid_of(&token).expect("issued tokens name their key");
        let fixture_trust = external(
            None,
            vec![pem_key(&kid, Algorithm::EdDSA, "ed25519.pub.pem")],
        );
        assert!(
            fixture_trust
                .expect("the fixture loads")
                .verify(&token)
                .is_ok()
        );
    }

    #[cfg(unix)]
    #[test]
    fn standalone_key_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = TempDir::new("insecure");
        issuer(&dir.keys());
        let private = dir.keys().join(PRIVATE_KEY_FILE);
        fs::set_permissions(&private, fs::Permissions::from_mode(0o644)).expect("chmod works");
        let refused = TokenIssuer::load_or_create(&dir.keys(), &settings());
        assert!(matches!(refused, Err(KeyError::InsecureKeyFile(path)) if path == private));
    }

    #[test]
    fn standalone_trusts_only_eddsa() {
        let dir = TempDir::new("eddsa-only");
        let token = issuer(&dir.keys()).issue("u", None, None, Duration::from_secs(60));
        let kid = kid_of(&token.expect("issuing works"));
        // Algorithm confusion: HS256 keyed with the published public key.
        let public = fs::read(dir.keys().join(PUBLIC_KEY_FILE)).expect("the public key is written");
        let mut header = Header::new(Algorithm::HS256);
        header.kid = kid;
        let forged = jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(&public));
        let refused = standalone(&dir.keys()).verify(&forged.expect("HS256 signing works"));
        assert_eq!(refused, Err(TokenError::AlgorithmMismatch));
    }

    #[test]
    fn issuing_needs_a_subject_and_a_lifetime() {
        let dir = TempDir::new("issue-args");
        let issuer = issuer(&dir.keys());
        let one_minute = Duration::from_secs(60);
        assert!(matches!(
            issuer.issue(" ", None, None, one_minute),
            Err(KeyError::EmptySubject)
        ));
        assert!(matches!(
            issuer.issue("u", None, None, Duration::ZERO),
            Err(KeyError::InvalidTtl)
        ));
        assert!(matches!(
            issuer.issue("u", None, None, Duration::MAX),
            Err(KeyError::InvalidTtl)
        ));
    }

    // --- keys from PEM files and from a JWKS ---

    #[test]
    fn rs256_es256_and_eddsa_keys_from_pem_files() {
        let verifier = external(
            None,
            vec![
                pem_key("rsa-1", Algorithm::RS256, "rsa-1.pub.pem"),
                pem_key("ec-1", Algorithm::ES256, "ec-p256.pub.pem"),
                pem_key("ed-1", Algorithm::EdDSA, "ed25519.pub.pem"),
            ],
        )
        .expect("the PEM keys load");
        for (algorithm, private, kid) in [
            (Algorithm::RS256, "rsa-1.pem", "rsa-1"),
            (Algorithm::ES256, "ec-p256.pem", "ec-1"),
            (Algorithm::EdDSA, "ed25519.pem", "ed-1"),
        ] {
            let verified = verifier.verify(&sign(algorithm, private, Some(kid), &claims()));
            assert_eq!(
                verified.map(|token| token.subject).as_deref(),
                Ok("user-1"),
                "{kid}"
            );
        }
    }

    #[test]
    fn rs256_es256_and_eddsa_keys_from_a_jwks() {
        let verifier = jwks_verifier();
        for (algorithm, private, kid) in [
            (Algorithm::RS256, "rsa-1.pem", "rsa-1"),
            (Algorithm::ES256, "ec-p256.pem", "ec-1"),
            (Algorithm::EdDSA, "ed25519.pem", "ed-1"),
        ] {
            let verified = verifier.verify(&sign(algorithm, private, Some(kid), &claims()));
            assert_eq!(
                verified.map(|token| token.subject).as_deref(),
                Ok("user-1"),
                "{kid}"
            );
        }
    }

    #[test]
    fn key_rotation_both_jwks_keys_verify() {
        let verifier =
            external(Some(fixture("jwks-rotation.json")), Vec::new()).expect("the JWKS loads");
        let old = sign(Algorithm::RS256, "rsa-1.pem", Some("rsa-1"), &claims());
        let new = sign(Algorithm::RS256, "rsa-2.pem", Some("rsa-2"), &claims());
        assert!(verifier.verify(&old).is_ok());
        assert!(verifier.verify(&new).is_ok());
        // Each kid is bound to its own key.
        let crossed = sign(Algorithm::RS256, "rsa-2.pem", Some("rsa-1"), &claims());
        assert_eq!(verifier.verify(&crossed), Err(TokenError::BadSignature));
    }

    #[test]
    fn token_without_kid_is_accepted_with_a_single_key() {
        let token = sign(Algorithm::RS256, "rsa-1.pem", None, &claims());
        assert!(rsa_verifier().verify(&token).is_ok());
    }

    #[test]
    fn verifier_and_issuer_can_be_shared_by_workers() {
        fn shared<T: Clone + Send + Sync + 'static>() {}
        shared::<TokenVerifier>();
        shared::<TokenIssuer>();
    }

    // --- refusals, one per reason ---

    #[test]
    fn token_over_8_kib_is_refused() {
        let padded = with(claims(), "padding", json!("x".repeat(MAX_TOKEN_BYTES)));
        assert_eq!(
            rsa_verifier().verify(&rsa_token(&padded)),
            Err(TokenError::TooLong)
        );
        assert_eq!(
            rsa_verifier().verify(&"a".repeat(MAX_TOKEN_BYTES + 1)),
            Err(TokenError::TooLong)
        );
    }

    #[test]
    fn malformed_token_is_refused() {
        let verifier = rsa_verifier();
        let token = rsa_token(&claims());
        for bad in ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig", "e30.e30.sig"] {
            assert_eq!(verifier.verify(bad), Err(TokenError::Malformed), "{bad:?}");
        }
        assert_eq!(
            verifier.verify(&format!("{token}.extra")),
            Err(TokenError::Malformed)
        );
        // A validly signed payload that is not JSON.
        let message = format!(
            "{}.{}",
            b64(json!({"alg": "RS256", "kid": "rsa-1"}).to_string()),
            b64("not json")
        );
        let key = encoding_key(Algorithm::RS256, "rsa-1.pem");
        let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::RS256);
        let not_json = format!("{message}.{}", signature.expect("signing works"));
        assert_eq!(verifier.verify(&not_json), Err(TokenError::Malformed));
    }

    #[test]
    fn token_without_kid_is_refused_when_several_keys_are_trusted() {
        let token = sign(Algorithm::RS256, "rsa-1.pem", None, &claims());
        assert_eq!(
            jwks_verifier().verify(&token),
            Err(TokenError::MissingKeyId)
        );
    }

    #[test]
    fn unknown_kid_is_refused() {
        let token = sign(Algorithm::RS256, "rsa-1.pem", Some("rsa-9"), &claims());
        assert_eq!(
            jwks_verifier().verify(&token),
            Err(TokenError::UnknownKeyId)
        );
        assert_eq!(rsa_verifier().verify(&token), Err(TokenError::UnknownKeyId));
    }

    #[test]
    fn alg_none_is_refused() {
        for alg in ["none", "None", "NONE"] {
            let with_kid = forge(
                &json!({"alg": alg, "typ": "JWT", "kid": "rsa-1"}),
                &claims(),
                "",
            );
            assert_eq!(
                rsa_verifier().verify(&with_kid),
                Err(TokenError::AlgorithmMismatch)
            );
            let without_kid = forge(&json!({"alg": alg}), &claims(), "");
            assert_eq!(
                rsa_verifier().verify(&without_kid),
                Err(TokenError::AlgorithmMismatch)
            );
        }
    }

    #[test]
    fn hs256_signed_with_the_public_key_is_refused() {
        // The classic algorithm confusion: the public key PEM used as the HMAC secret.
        let public_pem = read_fixture("rsa-1.pub.pem");
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("rsa-1".to_owned());
        let forged =
            jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(&public_pem));
        let forged = forged.expect("HS256 signing works");
        assert_eq!(
            rsa_verifier().verify(&forged),
            Err(TokenError::AlgorithmMismatch)
        );
        assert_eq!(
            jwks_verifier().verify(&forged),
            Err(TokenError::AlgorithmMismatch)
        );
    }

    #[test]
    fn alg_other_than_the_keys_is_refused() {
        // A real RS384 signature by the right key: still refused, rsa-1 is trusted for RS256 only.
        let rs384 = sign(Algorithm::RS384, "rsa-1.pem", Some("rsa-1"), &claims());
        assert_eq!(
            jwks_verifier().verify(&rs384),
            Err(TokenError::AlgorithmMismatch)
        );
        // An RSA token naming the EC key.
        let crossed = sign(Algorithm::RS256, "rsa-1.pem", Some("ec-1"), &claims());
        assert_eq!(
            jwks_verifier().verify(&crossed),
            Err(TokenError::AlgorithmMismatch)
        );
    }

    #[test]
    fn tampered_payload_is_refused() {
        let token = rsa_token(&claims());
        let [header, _, signature] = <[String; 3]>::try_from(parts(&token)).expect("three parts");
        let promoted = with(claims(), "sub", json!("admin"));
        let tampered = format!("{header}.{}.{signature}", b64(promoted.to_string()));
        assert_eq!(
            rsa_verifier().verify(&tampered),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn a_verified_token_does_not_vouch_for_a_tampered_one() {
        let verifier = rsa_verifier();
        let token = rsa_token(&claims());
        let first = verifier.verify(&token).expect("a good token verifies");
        assert_eq!(
            verifier.verify(&token),
            Ok(first),
            "the cached answer is the same"
        );
        let [header, _, signature] = <[String; 3]>::try_from(parts(&token)).expect("three parts");
        let promoted = with(claims(), "sub", json!("admin"));
        let tampered = format!("{header}.{}.{signature}", b64(promoted.to_string()));
        assert_eq!(verifier.verify(&tampered), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_cached_token_still_expires() {
        let cache = VerifiedCache::default();
        let token = VerifiedToken {
            issuer: "planspor".into(),
            subject: "someone".into(),
            name: None,
            email: None,
            expires_at: 1_000,
        };
        let key = VerifiedCache::key("header.payload.signature");
        cache.insert(key, token.clone());
        assert_eq!(
            cache.get(&key, 1_000 + 30, 30),
            Some(token),
            "within the leeway"
        );
        assert_eq!(cache.get(&key, 1_000 + 31, 30), None, "expired");
        assert_eq!(cache.get(&key, 0, 30), None, "and forgotten");
    }

    #[test]
    fn tampered_signature_is_refused() {
        for (algorithm, private, kid) in [
            (Algorithm::RS256, "rsa-1.pem", "rsa-1"),
            (Algorithm::ES256, "ec-p256.pem", "ec-1"),
            (Algorithm::EdDSA, "ed25519.pem", "ed-1"),
        ] {
            let token = sign(algorithm, private, Some(kid), &claims());
            let [header, payload, signature] =
                <[String; 3]>::try_from(parts(&token)).expect("three parts");
            let mut bytes = URL_SAFE_NO_PAD
                .decode(signature)
                .expect("the signature decodes");
            bytes[10] ^= 0x01;
            let tampered = format!("{header}.{payload}.{}", b64(&bytes));
            assert_eq!(
                jwks_verifier().verify(&tampered),
                Err(TokenError::BadSignature),
                "{kid}"
            );
            let truncated = format!("{header}.{payload}.{}", b64(&bytes[..bytes.len() - 1]));
            assert_eq!(
                jwks_verifier().verify(&truncated),
                Err(TokenError::BadSignature),
                "{kid}"
            );
        }
    }

    #[test]
    fn missing_exp_is_refused() {
        let token = rsa_token(&without(claims(), "exp"));
        assert_eq!(
            rsa_verifier().verify(&token),
            Err(TokenError::MissingClaim("exp"))
        );
    }

    #[test]
    fn expired_token_is_refused() {
        let expired = with(claims(), "exp", json!(now() - 2 * LEEWAY as i64));
        assert_eq!(
            rsa_verifier().verify(&rsa_token(&expired)),
            Err(TokenError::Expired)
        );
        // Within the leeway, clock skew is forgiven.
        let just_expired = with(claims(), "exp", json!(now() - 5));
        assert!(rsa_verifier().verify(&rsa_token(&just_expired)).is_ok());
    }

    #[test]
    fn future_nbf_is_refused() {
        let early = with(claims(), "nbf", json!(now() + 2 * LEEWAY as i64));
        assert_eq!(
            rsa_verifier().verify(&rsa_token(&early)),
            Err(TokenError::NotYetValid)
        );
        let slightly_early = with(claims(), "nbf", json!(now() + 5));
        assert!(rsa_verifier().verify(&rsa_token(&slightly_early)).is_ok());
        // nbf is optional.
        assert!(
            rsa_verifier()
                .verify(&rsa_token(&without(claims(), "nbf")))
                .is_ok()
        );
    }

    #[test]
    fn future_iat_is_refused() {
        let future = with(claims(), "iat", json!(now() + 2 * LEEWAY as i64));
        assert_eq!(
            rsa_verifier().verify(&rsa_token(&future)),
            Err(TokenError::IssuedInFuture)
        );
        let slightly_future = with(claims(), "iat", json!(now() + 5));
        assert!(rsa_verifier().verify(&rsa_token(&slightly_future)).is_ok());
        // iat is optional.
        assert!(
            rsa_verifier()
                .verify(&rsa_token(&without(claims(), "iat")))
                .is_ok()
        );
    }

    #[test]
    fn wrong_or_missing_issuer_is_refused() {
        let other = with(claims(), "iss", json!("https://evil.example.test"));
        assert_eq!(
            rsa_verifier().verify(&rsa_token(&other)),
            Err(TokenError::WrongIssuer)
        );
        let missing = without(claims(), "iss");
        assert_eq!(
            rsa_verifier().verify(&rsa_token(&missing)),
            Err(TokenError::MissingClaim("iss"))
        );
    }

    #[test]
    fn wrong_or_missing_audience_is_refused() {
        let verifier = rsa_verifier();
        let other = with(claims(), "aud", json!("another-service"));
        assert_eq!(
            verifier.verify(&rsa_token(&other)),
            Err(TokenError::WrongAudience)
        );
        let others = with(claims(), "aud", json!(["another-service", "a-third"]));
        assert_eq!(
            verifier.verify(&rsa_token(&others)),
            Err(TokenError::WrongAudience)
        );
        let missing = without(claims(), "aud");
        assert_eq!(
            verifier.verify(&rsa_token(&missing)),
            Err(TokenError::MissingClaim("aud"))
        );
        // An array naming planspor among others is fine.
        let shared = with(claims(), "aud", json!(["another-service", AUDIENCE]));
        assert!(verifier.verify(&rsa_token(&shared)).is_ok());
    }

    #[test]
    fn wrong_typ_is_refused() {
        let verifier = rsa_verifier();
        let typed = |typ: Option<&str>| {
            let mut header = Header::new(Algorithm::RS256);
            header.typ = typ.map(str::to_owned);
            verifier.verify(&sign_with(&header, "rsa-1.pem", &claims()))
        };
        for refused in ["JWE", "secevent+jwt", "dpop+jwt", "JOSE", ""] {
            assert_eq!(
                typed(Some(refused)),
                Err(TokenError::WrongType),
                "{refused:?}"
            );
        }
        for accepted in [
            None,
            Some("JWT"),
            Some("jwt"),
            Some("at+jwt"),
            Some("AT+JWT"),
            Some("application/at+jwt"),
        ] {
            assert!(typed(accepted).is_ok(), "{accepted:?}");
        }
    }

    #[test]
    fn critical_header_extension_is_refused() {
        let mut header = Header::new(Algorithm::RS256);
        header.crit = Some(vec!["exp".to_owned()]);
        let token = sign_with(&header, "rsa-1.pem", &claims());
        assert_eq!(
            rsa_verifier().verify(&token),
            Err(TokenError::CriticalHeader)
        );
    }

    #[test]
    fn missing_or_empty_subject_is_refused() {
        for claims in [
            without(claims(), "sub"),
            with(claims(), "sub", json!("")),
            with(claims(), "sub", json!("  ")),
        ] {
            assert_eq!(
                rsa_verifier().verify(&rsa_token(&claims)),
                Err(TokenError::MissingClaim("sub"))
            );
        }
    }

    #[test]
    fn claim_of_the_wrong_type_is_refused() {
        for (name, value) in [
            ("exp", json!("tomorrow")),
            ("iat", json!("now")),
            ("name", json!(42)),
        ] {
            let odd = with(claims(), name, value);
            assert_eq!(
                rsa_verifier().verify(&rsa_token(&odd)),
                Err(TokenError::Malformed),
                "{name}"
            );
        }
    }

    // --- configuration problems ---

    #[test]
    fn leeway_over_60_seconds_is_refused() {
        let lax = TokenSettings {
            leeway_seconds: 61,
            ..settings()
        };
        let trust = TrustConfig::External {
            jwks_file: Some(fixture("jwks.json")),
            pem_keys: Vec::new(),
        };
        assert!(matches!(
            TokenVerifier::new(&trust, lax.clone()),
            Err(KeyError::LeewayTooLarge(61))
        ));
        let dir = TempDir::new("leeway");
        assert!(matches!(
            TokenIssuer::load_or_create(&dir.keys(), &lax),
            Err(KeyError::LeewayTooLarge(61))
        ));
        assert!(
            !dir.keys().exists(),
            "nothing is created for a refused configuration"
        );
    }

    #[test]
    fn empty_issuer_or_audience_is_refused() {
        let trust = TrustConfig::External {
            jwks_file: Some(fixture("jwks.json")),
            pem_keys: Vec::new(),
        };
        let no_issuer = TokenSettings {
            issuer: String::new(),
            ..settings()
        };
        let no_audience = TokenSettings {
            audience: " ".to_owned(),
            ..settings()
        };
        assert!(matches!(
            TokenVerifier::new(&trust, no_issuer),
            Err(KeyError::EmptySetting("issuer"))
        ));
        assert!(matches!(
            TokenVerifier::new(&trust, no_audience),
            Err(KeyError::EmptySetting("audience"))
        ));
    }

    #[test]
    fn hmac_algorithms_are_never_trusted() {
        let hmac = external(None, vec![pem_key("h", Algorithm::HS256, "rsa-1.pub.pem")]);
        assert!(matches!(hmac, Err(KeyError::UnsupportedAlgorithm { .. })));
        let dir = TempDir::new("oct-jwks");
        fs::create_dir_all(&dir.0).expect("the dir is created");
        let jwks = dir.0.join("oct.json");
        let oct = json!({"keys": [{"kty": "oct", "k": b64("secret"), "kid": "h", "alg": "HS256"}]});
        fs::write(&jwks, oct.to_string()).expect("the JWKS is written");
        assert!(matches!(
            external(Some(jwks.clone()), Vec::new()),
            Err(KeyError::UnsupportedAlgorithm { .. })
        ));
        // Without alg, nothing can be inferred for a symmetric key either.
        let oct = json!({"keys": [{"kty": "oct", "k": b64("secret"), "kid": "h"}]});
        fs::write(&jwks, oct.to_string()).expect("the JWKS is written");
        assert!(matches!(
            external(Some(jwks), Vec::new()),
            Err(KeyError::UnsupportedAlgorithm { .. })
        ));
    }

    #[test]
    fn unusable_keys_are_refused() {
        // An RSA key declared as ES256, and an EC key declared as RS256.
        let rsa_as_ec = external(None, vec![pem_key("x", Algorithm::ES256, "rsa-1.pub.pem")]);
        assert!(matches!(rsa_as_ec, Err(KeyError::InvalidPem { .. })));
        let ec_as_rsa = external(
            None,
            vec![pem_key("x", Algorithm::RS256, "ec-p256.pub.pem")],
        );
        assert!(matches!(
            ec_as_rsa,
            Err(KeyError::InvalidPem { .. } | KeyError::InvalidKey { .. })
        ));
        // A P-256 key declared for ES384.
        let wrong_curve = external(
            None,
            vec![pem_key("x", Algorithm::ES384, "ec-p256.pub.pem")],
        );
        assert!(matches!(wrong_curve, Err(KeyError::InvalidKey { .. })));
        // A private key where a public one belongs.
        let private = external(None, vec![pem_key("x", Algorithm::RS256, "rsa-1.pem")]);
        assert!(matches!(
            private,
            Err(KeyError::InvalidPem { .. } | KeyError::InvalidKey { .. })
        ));
        // A missing file.
        let missing = external(None, vec![pem_key("x", Algorithm::RS256, "no-such.pem")]);
        assert!(matches!(missing, Err(KeyError::Io { .. })));
    }

    #[test]
    fn malformed_jwks_entries_are_refused() {
        let dir = TempDir::new("bad-jwks");
        fs::create_dir_all(&dir.0).expect("the dir is created");
        let jwks = dir.0.join("jwks.json");
        let cases = [
            json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "short", "x": b64([7; 16])}]}),
            json!({"keys": [{"kty": "RSA", "kid": "rsa-1k", "n": b64([0xc5; 128]), "e": "AQAB"}]}),
            json!({"keys": [{
                "kty": "EC", "crv": "P-256", "kid": "off-curve",
                "x": b64([1; 32]), "y": b64([2; 32]),
            }]}),
        ];
        for case in cases {
            fs::write(&jwks, case.to_string()).expect("the JWKS is written");
            let refused = external(Some(jwks.clone()), Vec::new());
            assert!(
                matches!(refused, Err(KeyError::InvalidKey { .. })),
                "{case}: {refused:?}"
            );
        }
        fs::write(&jwks, "{\"keys\": 3}").expect("the JWKS is written");
        assert!(matches!(
            external(Some(jwks), Vec::new()),
            Err(KeyError::InvalidJwks { .. })
        ));
    }

    #[test]
    fn jwks_encryption_keys_are_skipped() {
        let dir = TempDir::new("enc-jwks");
        fs::create_dir_all(&dir.0).expect("the dir is created");
        let mut set: Value =
            serde_json::from_slice(&read_fixture("jwks-rotation.json")).expect("JSON");
        set["keys"][1]["use"] = json!("enc");
        let jwks = dir.0.join("jwks.json");
        fs::write(&jwks, set.to_string()).expect("the JWKS is written");
        let verifier = external(Some(jwks), Vec::new()).expect("the JWKS loads");
        let rsa_2 = sign(Algorithm::RS256, "rsa-2.pem", Some("rsa-2"), &claims());
        assert_eq!(verifier.verify(&rsa_2), Err(TokenError::UnknownKeyId));
        assert!(verifier.verify(&rsa_token(&claims())).is_ok());
    }

    #[test]
    fn key_ids_must_be_present_and_unique() {
        let duplicate = external(
            Some(fixture("jwks.json")),
            vec![pem_key("rsa-1", Algorithm::RS256, "rsa-2.pub.pem")],
        );
        assert!(matches!(duplicate, Err(KeyError::DuplicateKeyId(kid)) if kid == "rsa-1"));
        assert!(matches!(external(None, Vec::new()), Err(KeyError::NoKeys)));
        let dir = TempDir::new("kidless-jwks");
        fs::create_dir_all(&dir.0).expect("the dir is created");
        let mut set: Value =
            serde_json::from_slice(&read_fixture("jwks-rotation.json")).expect("JSON");
        set["keys"][1]
            .as_object_mut()
            .expect("a JWK is an object")
            .remove("kid");
        let jwks = dir.0.join("jwks.json");
        fs::write(&jwks, set.to_string()).expect("the JWKS is written");
        assert!(matches!(
            external(Some(jwks), Vec::new()),
            Err(KeyError::MissingKeyId)
        ));
    }

    #[test]
    fn refusal_reasons_are_short_and_plain() {
        let reasons = [
            TokenError::TooLong,
            TokenError::AlgorithmMismatch,
            TokenError::MissingClaim("sub"),
            TokenError::WrongAudience,
        ];
        for reason in reasons {
            let text = reason.to_string();
            assert!(text.starts_with("token ") && text.len() < 60, "{text}");
        }
        assert_eq!(
            TokenError::MissingClaim("exp").to_string(),
            "token lacks the `exp` claim"
        );
    }
}
