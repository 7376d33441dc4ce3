//! The standalone issuer: planspor's own Ed25519 key, created once with
//! owner-only permissions, and the tokens it signs.

use super::*;

/// Signs planspor's own tokens (standalone mode only). Cheap to clone.
#[derive(Debug, Clone)]
pub struct TokenIssuer {
    pub(super) key: Arc<StandaloneKey>,
    pub(super) issuer: String,
    pub(super) audience: String,
}

/// The claims of a token planspor issues.
#[derive(Serialize)]
pub(super) struct IssuedClaims<'a> {
    pub(super) iss: &'a str,
    pub(super) aud: &'a str,
    pub(super) sub: &'a str,
    pub(super) iat: i64,
    pub(super) nbf: i64,
    pub(super) exp: i64,
    pub(super) jti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) email: Option<&'a str>,
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
pub(super) fn random_id() -> Result<String, KeyError> {
    let mut bytes = [0_u8; JTI_BYTES];
    getrandom::getrandom(&mut bytes).map_err(KeyError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The standalone Ed25519 key pair and its `kid`.
#[derive(Debug)]
pub(super) struct StandaloneKey {
    pub(super) signing: EncodingKey,
    pub(super) verifying: DecodingKey,
    pub(super) kid: String,
}

impl StandaloneKey {
    /// Reads the private key in `key_dir`, creating it first if there is none, and
    /// (re)writes the public key beside it.
    pub(super) fn load_or_create(key_dir: &Path) -> Result<Self, KeyError> {
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
    pub(super) fn from_signing_key(
        signing_key: &SigningKey,
        path: &Path,
    ) -> Result<Self, KeyError> {
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
    pub(super) fn candidate(&self) -> CandidateKey {
        CandidateKey {
            kid: Some(self.kid.clone()),
            algorithm: Algorithm::EdDSA,
            key: self.verifying.clone(),
        }
    }
}

/// The private key as PKCS#8 v1 (RFC 8410 §7 without the optional public key), the form
/// `openssl genpkey` writes, so the file can be inspected or replaced with the usual tools.
pub(super) fn pkcs8_v1(signing_key: &SigningKey) -> KeypairBytes {
    KeypairBytes {
        secret_key: signing_key.to_bytes(),
        public_key: None,
    }
}

/// Creates `key_dir` (mode 0700) if it is missing; an existing directory is left as it is.
pub(super) fn create_key_dir(key_dir: &Path) -> Result<(), KeyError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(key_dir)
        .map_err(|source| io_error(key_dir, source))
}

/// The private key at `path`, or `None` if there is no file.
pub(super) fn read_private_key(path: &Path) -> Result<Option<SigningKey>, KeyError> {
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
pub(super) fn create_private_key(path: &Path) -> Result<SigningKey, KeyError> {
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
pub(super) fn publish_private_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = temporary_path(path);
    let published =
        write_owner_only(&temporary, contents).and_then(|()| fs::hard_link(&temporary, path));
    // The link (if made) keeps the contents; the temporary name is no longer needed.
    let _ignored = fs::remove_file(&temporary);
    published
}

/// Creates `path` readable and writable by its owner only, and writes `contents` to disk.
pub(super) fn write_owner_only(path: &Path, contents: &[u8]) -> io::Result<()> {
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
pub(super) fn is_owner_only(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    metadata.permissions().mode() & 0o077 == 0
}

/// Whether only the owner may read or write the file (not checked off Unix).
#[cfg(not(unix))]
pub(super) fn is_owner_only(_metadata: &fs::Metadata) -> bool {
    true
}

/// (Re)writes the public key PEM at `path` if it is missing or not the private key's:
/// the private key is the source of truth, the public file only a copy for others.
pub(super) fn write_public_key(path: &Path, signing_key: &SigningKey) -> Result<(), KeyError> {
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
pub(super) fn temporary_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let unique = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(Default::default, |name| name.to_string_lossy());
    path.with_file_name(format!(".{name}.{}-{unique}.tmp", std::process::id()))
}
