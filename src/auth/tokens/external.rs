//! Loading the keys planspor trusts: the identity provider's JWKS file or PEM
//! files, each key checked for strength and pinned to one algorithm.

use super::*;

/// A key that passed its checks, before it gets its `Validation`.
pub(super) struct CandidateKey {
    pub(super) kid: Option<String>,
    pub(super) algorithm: Algorithm,
    pub(super) key: DecodingKey,
}

impl CandidateKey {
    /// Accepts `key` for `algorithm` only if it is a valid, strong enough public key of
    /// that algorithm's type.
    pub(super) fn checked(
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
    pub(super) fn trusted(self, settings: &TokenSettings) -> TrustedKey {
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
pub(super) fn kid_label(kid: Option<&str>) -> &str {
    kid.unwrap_or("-")
}

/// Refuses HMAC, a key of another type than its algorithm, invalid key material, RSA under
/// 2048 bits and an EC curve that is not the algorithm's.
pub(super) fn check_usable(
    kid: &str,
    algorithm: Algorithm,
    key: &DecodingKey,
) -> Result<(), KeyError> {
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
pub(super) fn check_strength(
    params: &AlgorithmParameters,
    algorithm: Algorithm,
) -> Result<(), &'static str> {
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
pub(super) fn rsa_modulus_bits(modulus: &str) -> usize {
    let bytes = URL_SAFE_NO_PAD.decode(modulus).unwrap_or_default();
    let significant: Vec<u8> = bytes.into_iter().skip_while(|byte| *byte == 0).collect();
    match significant.first() {
        Some(first) => significant.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

/// The ECDSA algorithm that goes with a curve.
pub(super) fn curve_algorithm(curve: &EllipticCurve) -> Option<Algorithm> {
    match curve {
        EllipticCurve::P256 => Some(Algorithm::ES256),
        EllipticCurve::P384 => Some(Algorithm::ES384),
        _ => None,
    }
}

/// There must be a key, `kid`s must be unique, and with several keys every key needs one.
pub(super) fn check_key_ids(keys: &[CandidateKey]) -> Result<(), KeyError> {
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
pub(super) fn external_keys(
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
pub(super) fn read_jwks(path: &Path) -> Result<Vec<CandidateKey>, KeyError> {
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
pub(super) fn is_for_signatures(jwk: &Jwk) -> bool {
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
pub(super) fn jwk_key(jwk: &Jwk) -> Result<CandidateKey, KeyError> {
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
pub(super) fn implied_algorithm(params: &AlgorithmParameters) -> Option<Algorithm> {
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
pub(super) fn key_type(params: &AlgorithmParameters) -> String {
    match params {
        AlgorithmParameters::RSA(_) => "RSA".to_owned(),
        AlgorithmParameters::EllipticCurve(ec) => format!("EC {:?}", ec.curve),
        AlgorithmParameters::OctetKeyPair(okp) => format!("OKP {:?}", okp.curve),
        AlgorithmParameters::OctetKey(_) => "oct (symmetric)".to_owned(),
        _ => "of an unknown type".to_owned(),
    }
}

/// A public key from a PEM file, for its configured algorithm.
pub(super) fn read_pem_key(pem_key: &PemKey) -> Result<CandidateKey, KeyError> {
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
pub(super) fn io_error(path: &Path, source: io::Error) -> KeyError {
    KeyError::Io {
        path: path.to_owned(),
        source,
    }
}
