//! The token rules, each refused case by itself (RFC 8725).

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

fn external(jwks_file: Option<PathBuf>, pem_keys: Vec<PemKey>) -> Result<TokenVerifier, KeyError> {
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
    let public =
        fs::read_to_string(dir.keys().join(PUBLIC_KEY_FILE)).expect("the public key is written");
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
    let forged = jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(&public_pem));
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
    let mut set: Value = serde_json::from_slice(&read_fixture("jwks-rotation.json")).expect("JSON");
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
    let mut set: Value = serde_json::from_slice(&read_fixture("jwks-rotation.json")).expect("JSON");
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

/// A local OpenID Connect provider on 127.0.0.1: its discovery document, and
/// a JWKS that a test swaps (a key rotation) or takes down (an outage).
struct Provider {
    url: String,
    jwks: Arc<Mutex<String>>,
    up: Arc<std::sync::atomic::AtomicBool>,
    _server: actix_web::dev::ServerHandle,
}

impl Provider {
    async fn start(jwks_fixture: &str) -> Self {
        use actix_web::{App, HttpResponse, HttpServer, web};
        let jwks = Arc::new(Mutex::new(
            String::from_utf8(read_fixture(jwks_fixture)).expect("utf-8"),
        ));
        let up = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let (served_jwks, served_up, issuer) = (jwks.clone(), up.clone(), url.clone());
        let server = HttpServer::new(move || {
            let (jwks, up, issuer) = (served_jwks.clone(), served_up.clone(), issuer.clone());
            App::new()
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to(move || {
                        let issuer = issuer.clone();
                        async move {
                            HttpResponse::Ok().json(
                                json!({"issuer": issuer, "jwks_uri": format!("{issuer}/jwks")}),
                            )
                        }
                    }),
                )
                .route(
                    "/jwks",
                    web::get().to(move || {
                        let (jwks, up) = (jwks.clone(), up.clone());
                        async move {
                            if up.load(Ordering::SeqCst) {
                                let body = jwks.lock().expect("the JWKS").clone();
                                HttpResponse::Ok()
                                    .content_type("application/json")
                                    .body(body)
                            } else {
                                HttpResponse::ServiceUnavailable().finish()
                            }
                        }
                    }),
                )
        })
        .workers(1)
        .listen(listener)
        .expect("listening")
        .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self {
            url,
            jwks,
            up,
            _server: handle,
        }
    }

    fn rotate_to(&self, jwks_fixture: &str) {
        *self.jwks.lock().expect("the JWKS") =
            String::from_utf8(read_fixture(jwks_fixture)).expect("utf-8");
    }

    fn claims(&self) -> Value {
        with(claims(), "iss", json!(self.url))
    }
}

#[actix_web::test]
async fn an_oidc_provider_is_discovered_and_its_rotated_key_fetched_once() {
    let provider = Provider::start("jwks.json").await;
    let verifier = TokenVerifier::discover(&provider.url, settings(), "sub")
        .await
        .expect("the provider is discovered");
    assert_eq!(verifier.key_fetches(), 1);
    let ec = sign(
        Algorithm::ES256,
        "ec-p256.pem",
        Some("ec-1"),
        &provider.claims(),
    );
    let verified = verifier.verify_refreshing(&ec).await.expect("a known key");
    assert_eq!(
        verified.issuer, provider.url,
        "iss is the provider's issuer"
    );

    // The provider rotates: rsa-2 is new. The first token naming it fetches the JWKS again.
    provider.rotate_to("jwks-rotation.json");
    let rotated = sign(
        Algorithm::RS256,
        "rsa-2.pem",
        Some("rsa-2"),
        &provider.claims(),
    );
    assert_eq!(verifier.verify(&rotated), Err(TokenError::UnknownKeyId));
    assert!(verifier.verify_refreshing(&rotated).await.is_ok());
    assert_eq!(verifier.key_fetches(), 2);
    assert_eq!(
        verifier.verify_refreshing(&ec).await,
        Err(TokenError::UnknownKeyId),
        "a key the provider withdrew is no longer trusted"
    );

    // An unknown kid again, right away: no third fetch, the answer comes at once.
    let unknown = sign(
        Algorithm::RS256,
        "rsa-2.pem",
        Some("rsa-9"),
        &provider.claims(),
    );
    assert_eq!(
        verifier.verify_refreshing(&unknown).await,
        Err(TokenError::UnknownKeyId)
    );
    assert_eq!(verifier.key_fetches(), 2, "at most one fetch per interval");
}

#[actix_web::test]
async fn the_cached_keys_keep_working_while_the_provider_is_down() {
    let provider = Provider::start("jwks-rotation.json").await;
    let verifier = TokenVerifier::discover(&provider.url, settings(), "sub")
        .await
        .expect("the provider is discovered");
    provider.up.store(false, Ordering::SeqCst);
    let token = sign(
        Algorithm::RS256,
        "rsa-1.pem",
        Some("rsa-1"),
        &provider.claims(),
    );
    assert!(verifier.verify_refreshing(&token).await.is_ok());
    let unknown = sign(
        Algorithm::RS256,
        "rsa-1.pem",
        Some("rsa-7"),
        &provider.claims(),
    );
    assert_eq!(
        verifier.verify_refreshing(&unknown).await,
        Err(TokenError::UnknownKeyId)
    );
    assert_eq!(verifier.key_fetches(), 2, "it tried once, and failed");
    assert!(
        verifier.verify_refreshing(&token).await.is_ok(),
        "a failed fetch keeps the cached keys"
    );
}

#[actix_web::test]
async fn a_configured_claim_names_the_user_and_a_provider_must_be_who_it_says() {
    let provider = Provider::start("jwks.json").await;
    let verifier = TokenVerifier::discover(&provider.url, settings(), "oid")
        .await
        .expect("the provider is discovered");
    let with_oid = with(
        provider.claims(),
        "oid",
        json!("00000000-aaaa-bbbb-cccc-000000000001"),
    );
    let token = sign(Algorithm::ES256, "ec-p256.pem", Some("ec-1"), &with_oid);
    let verified = verifier.verify_refreshing(&token).await.expect("valid");
    assert_eq!(verified.subject, "00000000-aaaa-bbbb-cccc-000000000001");
    let without = sign(
        Algorithm::ES256,
        "ec-p256.pem",
        Some("ec-1"),
        &provider.claims(),
    );
    assert_eq!(verifier.verify(&without), Err(TokenError::MissingUserClaim));

    let wrong_issuer = format!("{}/", provider.url);
    assert!(matches!(
        TokenVerifier::discover(&wrong_issuer, settings(), "sub").await,
        Err(KeyError::Provider { .. })
    ));
    assert!(matches!(
        TokenVerifier::discover("http://idp.example.dk", settings(), "sub").await,
        Err(KeyError::Provider { .. })
    ));
}
