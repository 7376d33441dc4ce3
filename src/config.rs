//! Configuration from environment variables, parsed once at start-up. A bad
//! value stops the service with a message naming the variable.

use std::path::PathBuf;
use std::time::Duration;

/// Where the database comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseSource {
    /// `DATABASE_URL` is set: use that server.
    External(String),
    /// No `DATABASE_URL`: run a private PostgreSQL cluster in the data directory.
    Embedded,
}

/// The service's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Which PostgreSQL to use.
    pub database: DatabaseSource,
    /// Address to listen on.
    pub bind: String,
    /// Directory for the embedded cluster and other state.
    pub data_dir: PathBuf,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Number of database connections.
    pub pool_size: usize,
    /// How long a request waits for a database connection before answering 503.
    pub pool_timeout: Duration,
    /// How tokens are trusted and checked.
    pub auth: AuthConfig,
    /// Counts below this are never shown across municipalities or in committee documents.
    pub small_count_threshold: u32,
    /// Requests per minute per caller and per IP (per instance).
    pub rate_limit_per_minute: u32,
    /// Browser origins allowed to call the API (CORS); none by default.
    pub cors_origins: Vec<String>,
    /// The SMTP relay reminders go through; without one they wait in the outbox.
    pub smtp_url: Option<String>,
    /// The sender of planspor's e-mails.
    pub mail_from: String,
    /// When reminders go out.
    pub reminders: crate::reminders::ReminderRules,
    /// Hosts webhooks may deliver to although they are internal (and over http).
    pub webhook_allowed_hosts: Vec<String>,
    /// Whether this instance runs the background jobs (reminders, e-mail, webhooks).
    pub background_jobs: bool,
}

/// Token settings: which keys are trusted, and what `iss`/`aud` must say.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// `standalone` (planspor's own Ed25519 key in the data directory) or `external`.
    pub mode: AuthMode,
    /// Required `iss`; also the issuer of the users planspor registers.
    pub issuer: String,
    /// Required `aud`.
    pub audience: String,
    /// Allowed clock skew for `exp`/`nbf`/`iat`, at most 60 s.
    pub leeway_seconds: u64,
}

/// Where the trusted keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMode {
    /// planspor signs its own tokens.
    Standalone,
    /// An external identity provider's keys: a JWKS file and/or PEM files `kid=ALG:path`.
    External {
        /// A JWKS file of the provider's public keys.
        jwks_file: Option<PathBuf>,
        /// PEM public keys as (`kid`, algorithm, path).
        pem_keys: Vec<(String, String, PathBuf)>,
    },
    /// An OpenID Connect provider: its keys from its discovery document's JWKS,
    /// fetched again when it rotates them.
    Oidc {
        /// The provider's issuer, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`.
        issuer_url: String,
        /// The claim that names the user (`sub`, or e.g. `oid` for Entra ID).
        user_claim: String,
    },
}

/// A configuration variable with a bad value.
#[derive(Debug, thiserror::Error)]
#[error("invalid {variable}={value:?}: {reason}")]
pub struct ConfigError {
    /// The variable's name.
    pub variable: &'static str,
    /// The value it had.
    pub value: String,
    /// Why it was refused.
    pub reason: String,
}

/// The log filter when `RUST_LOG` is unset (read by env_logger itself, in main).
pub const DEFAULT_LOG_FILTER: &str = "info";

/// The variables, their defaults and meaning, as printed by `planspor --help`.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "DATABASE_URL",
        "(unset)",
        "PostgreSQL URL; unset runs an embedded cluster in PLANSPOR_DATA_DIR",
    ),
    (
        "PLANSPOR_BIND",
        "127.0.0.1:8080",
        "address and port to listen on",
    ),
    (
        "PLANSPOR_DATA_DIR",
        "./data",
        "directory for the embedded PostgreSQL cluster",
    ),
    (
        "PLANSPOR_BODY_LIMIT",
        "1048576",
        "largest request body in bytes",
    ),
    (
        "PLANSPOR_POOL_SIZE",
        "10",
        "database connections in the pool",
    ),
    (
        "PLANSPOR_POOL_TIMEOUT_MS",
        "2000",
        "wait for a connection before answering 503",
    ),
    (
        "PLANSPOR_AUTH_MODE",
        "standalone",
        "standalone (own Ed25519 key in PLANSPOR_DATA_DIR/keys) or external",
    ),
    (
        "PLANSPOR_TOKEN_ISSUER",
        "planspor",
        "required `iss` of tokens",
    ),
    (
        "PLANSPOR_TOKEN_AUDIENCE",
        "planspor-api",
        "required `aud` of tokens",
    ),
    (
        "PLANSPOR_TOKEN_LEEWAY_SECONDS",
        "30",
        "clock skew allowed for exp/nbf, 0-60",
    ),
    (
        "PLANSPOR_JWKS_FILE",
        "(unset)",
        "external mode: JWKS file with the provider's public keys",
    ),
    (
        "PLANSPOR_JWT_PEM_KEYS",
        "(unset)",
        "external mode: kid=ALG:path,... public keys as PEM (RS256, ES256, EdDSA)",
    ),
    (
        "PLANSPOR_OIDC_ISSUER",
        "(unset)",
        "external mode: OpenID Connect issuer whose discovery document and JWKS give the keys",
    ),
    (
        "PLANSPOR_OIDC_USER_CLAIM",
        "sub",
        "external mode with an OIDC issuer: the claim that names the user (e.g. oid)",
    ),
    (
        "PLANSPOR_SMALL_COUNT_THRESHOLD",
        "5",
        "counts below this are shown as <N, never as numbers",
    ),
    (
        "PLANSPOR_RATE_LIMIT_PER_MINUTE",
        "600",
        "requests per minute per caller and per IP, per instance (429 beyond)",
    ),
    (
        "PLANSPOR_CORS_ORIGINS",
        "(none)",
        "comma-separated browser origins allowed to call the API",
    ),
    (
        "PLANSPOR_SMTP_URL",
        "(unset)",
        "SMTP relay for reminders, e.g. smtp://relay.kommune.dk:587?tls=required; unset: the outbox is kept, not sent",
    ),
    (
        "PLANSPOR_MAIL_FROM",
        "planspor <planspor@localhost>",
        "sender of reminder e-mails",
    ),
    (
        "PLANSPOR_REMIND_DAYS_BEFORE",
        "7",
        "days before a value's due date that its owner is reminded, 0-60",
    ),
    (
        "PLANSPOR_REMIND_DAYS_AFTER",
        "1",
        "days after a missed due date that its owner is told, 1-60",
    ),
    (
        "PLANSPOR_WEBHOOK_ALLOWED_HOSTS",
        "(none)",
        "comma-separated hosts webhooks may reach although internal (also over http), e.g. 127.0.0.1",
    ),
    (
        "PLANSPOR_BACKGROUND_JOBS",
        "on",
        "on: this instance writes and sends reminders and delivers webhooks (safe on every instance); off: it only serves requests",
    ),
    (
        "RUST_LOG",
        DEFAULT_LOG_FILTER,
        "log filter (env_logger syntax)",
    ),
];

/// A variable's value, or its default from [`VARIABLES`] (the one place a
/// default is written; a default in parentheses means "unset").
fn setting(lookup: &impl Fn(&str) -> Option<String>, variable: &str) -> Option<String> {
    lookup(variable).or_else(|| {
        VARIABLES
            .iter()
            .find(|(name, _, _)| *name == variable)
            .map(|(_, default, _)| *default)
            .filter(|default| !default.starts_with('('))
            .map(str::to_owned)
    })
}

/// The text of `planspor --help`.
pub fn help_text() -> String {
    let mut text = String::from(
        "planspor: the system of record for Task Force development plans\n\n\
         Usage: planspor [--help | --print-openapi | admin <command> …]\n\
         (planspor render-pdf is the service's own PDF renderer, started by it)\n\n\
         Configuration (environment variables):\n",
    );
    for (name, default, meaning) in VARIABLES {
        text.push_str(&format!("  {name:<26} {meaning} [default: {default}]\n"));
    }
    text
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database = match lookup("DATABASE_URL").filter(|url| !url.is_empty()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                DatabaseSource::External(url)
            }
            Some(url) => {
                return Err(ConfigError {
                    variable: "DATABASE_URL",
                    value: url,
                    reason: "must start with postgres:// or postgresql://".into(),
                });
            }
            None => DatabaseSource::Embedded,
        };
        let bind = setting(&lookup, "PLANSPOR_BIND").unwrap_or_default();
        if bind
            .rsplit_once(':')
            .and_then(|(_, port)| port.parse::<u16>().ok())
            .is_none()
        {
            return Err(ConfigError {
                variable: "PLANSPOR_BIND",
                value: bind,
                reason: "must be host:port".into(),
            });
        }
        Ok(Self {
            database,
            bind,
            data_dir: PathBuf::from(setting(&lookup, "PLANSPOR_DATA_DIR").unwrap_or_default()),
            body_limit: number(&lookup, "PLANSPOR_BODY_LIMIT", 1..=(64 << 20))?,
            pool_size: number(&lookup, "PLANSPOR_POOL_SIZE", 1..=200)?,
            pool_timeout: Duration::from_millis(number(
                &lookup,
                "PLANSPOR_POOL_TIMEOUT_MS",
                1..=60_000,
            )? as u64),
            auth: auth_config(&lookup)?,
            small_count_threshold: number(&lookup, "PLANSPOR_SMALL_COUNT_THRESHOLD", 1..=100)?
                as u32,
            rate_limit_per_minute: number(&lookup, "PLANSPOR_RATE_LIMIT_PER_MINUTE", 1..=1_000_000)?
                as u32,
            cors_origins: cors_origins(&lookup)?,
            smtp_url: lookup("PLANSPOR_SMTP_URL").filter(|url| !url.trim().is_empty()),
            mail_from: setting(&lookup, "PLANSPOR_MAIL_FROM").unwrap_or_default(),
            reminders: crate::reminders::ReminderRules {
                days_before: number(&lookup, "PLANSPOR_REMIND_DAYS_BEFORE", 0..=60)? as u32,
                days_after: number(&lookup, "PLANSPOR_REMIND_DAYS_AFTER", 1..=60)? as u32,
            },
            webhook_allowed_hosts: lookup("PLANSPOR_WEBHOOK_ALLOWED_HOSTS")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|host| !host.is_empty())
                .map(str::to_owned)
                .collect(),
            background_jobs: switch(&lookup, "PLANSPOR_BACKGROUND_JOBS")?,
        })
    }
}

fn auth_config(lookup: &impl Fn(&str) -> Option<String>) -> Result<AuthConfig, ConfigError> {
    let mode = match setting(lookup, "PLANSPOR_AUTH_MODE").as_deref() {
        None | Some("standalone") => AuthMode::Standalone,
        Some("external") => external_keys(lookup)?,
        Some(other) => {
            return Err(ConfigError {
                variable: "PLANSPOR_AUTH_MODE",
                value: other.into(),
                reason: "must be standalone or external".into(),
            });
        }
    };
    let issuer = match &mode {
        AuthMode::Oidc { issuer_url, .. } => issuer_url.clone(),
        _ => setting(lookup, "PLANSPOR_TOKEN_ISSUER").unwrap_or_default(),
    };
    Ok(AuthConfig {
        mode,
        issuer,
        audience: setting(lookup, "PLANSPOR_TOKEN_AUDIENCE").unwrap_or_default(),
        leeway_seconds: number(lookup, "PLANSPOR_TOKEN_LEEWAY_SECONDS", 0..=60)? as u64,
    })
}

fn external_keys(lookup: &impl Fn(&str) -> Option<String>) -> Result<AuthMode, ConfigError> {
    if let Some(issuer_url) = lookup("PLANSPOR_OIDC_ISSUER") {
        return oidc_provider(lookup, issuer_url);
    }
    let jwks_file = lookup("PLANSPOR_JWKS_FILE").map(PathBuf::from);
    let raw = lookup("PLANSPOR_JWT_PEM_KEYS").unwrap_or_default();
    let mut pem_keys = Vec::new();
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let parsed = entry.split_once('=').and_then(|(kid, rest)| {
            let (alg, path) = rest.split_once(':')?;
            Some((kid.to_owned(), alg.to_owned(), PathBuf::from(path)))
        });
        match parsed {
            Some(key) => pem_keys.push(key),
            None => {
                return Err(ConfigError {
                    variable: "PLANSPOR_JWT_PEM_KEYS",
                    value: raw.clone(),
                    reason: "each key must be kid=ALG:path".into(),
                });
            }
        }
    }
    if jwks_file.is_none() && pem_keys.is_empty() {
        return Err(ConfigError {
            variable: "PLANSPOR_AUTH_MODE",
            value: "external".into(),
            reason: "needs PLANSPOR_OIDC_ISSUER, PLANSPOR_JWKS_FILE or PLANSPOR_JWT_PEM_KEYS"
                .into(),
        });
    }
    Ok(AuthMode::External {
        jwks_file,
        pem_keys,
    })
}

/// An OIDC issuer's keys, alone: key files beside it would outlive its rotations.
fn oidc_provider(
    lookup: &impl Fn(&str) -> Option<String>,
    issuer_url: String,
) -> Result<AuthMode, ConfigError> {
    let bad = |reason: &str| ConfigError {
        variable: "PLANSPOR_OIDC_ISSUER",
        value: issuer_url.clone(),
        reason: reason.into(),
    };
    if lookup("PLANSPOR_JWKS_FILE").is_some() || lookup("PLANSPOR_JWT_PEM_KEYS").is_some() {
        return Err(bad(
            "takes the keys from the provider; leave PLANSPOR_JWKS_FILE and PLANSPOR_JWT_PEM_KEYS unset",
        ));
    }
    if !issuer_url.starts_with("https://") && !issuer_url.starts_with("http://") {
        return Err(bad("must be the issuer's https:// address"));
    }
    let issuer = lookup("PLANSPOR_TOKEN_ISSUER");
    if issuer.as_ref().is_some_and(|iss| *iss != issuer_url) {
        return Err(bad(
            "differs from PLANSPOR_TOKEN_ISSUER; tokens' iss is the provider's issuer",
        ));
    }
    let user_claim = lookup("PLANSPOR_OIDC_USER_CLAIM").unwrap_or_else(|| "sub".into());
    if user_claim.trim().is_empty() {
        return Err(ConfigError {
            variable: "PLANSPOR_OIDC_USER_CLAIM",
            value: user_claim,
            reason: "must name a claim".into(),
        });
    }
    Ok(AuthMode::Oidc {
        issuer_url,
        user_claim,
    })
}

fn cors_origins(lookup: &impl Fn(&str) -> Option<String>) -> Result<Vec<String>, ConfigError> {
    let raw = lookup("PLANSPOR_CORS_ORIGINS").unwrap_or_default();
    let origins: Vec<String> = raw
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
        .collect();
    match origins
        .iter()
        .find(|o| !(o.starts_with("https://") || o.starts_with("http://")) || o.ends_with('/'))
    {
        Some(bad) => Err(ConfigError {
            variable: "PLANSPOR_CORS_ORIGINS",
            value: raw.clone(),
            reason: format!("{bad:?} is not an origin like https://plan.example.dk"),
        }),
        None => Ok(origins),
    }
}

fn switch(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
) -> Result<bool, ConfigError> {
    match setting(lookup, variable).as_deref() {
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        other => Err(ConfigError {
            variable,
            value: other.unwrap_or_default().to_owned(),
            reason: "must be on or off".into(),
        }),
    }
}

fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<usize, ConfigError> {
    let value = setting(lookup, variable).unwrap_or_default();
    match value.trim().parse::<usize>() {
        Ok(number) if range.contains(&number) => Ok(number),
        _ => Err(ConfigError {
            variable,
            value,
            reason: format!(
                "must be a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn defaults_run_embedded_on_localhost() {
        let config = config(&[]).expect("defaults are valid");
        assert_eq!(config.database, DatabaseSource::Embedded);
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert_eq!(config.body_limit, 1 << 20);
        assert_eq!(config.pool_size, 10);
        assert_eq!(config.auth.issuer, "planspor");
        assert_eq!(config.rate_limit_per_minute, 600);
    }

    #[test]
    fn every_default_in_the_help_is_one_the_parser_accepts() {
        for (name, default, _) in VARIABLES {
            if default.starts_with('(') || *name == "RUST_LOG" {
                continue;
            }
            config(&[(name, default)]).unwrap_or_else(|e| panic!("{name}={default}: {e:?}"));
        }
    }

    #[test]
    fn an_oidc_issuer_gives_the_keys_and_the_accepted_issuer() {
        let entra = "https://login.microsoftonline.com/tenant/v2.0";
        let parsed = config(&[
            ("PLANSPOR_AUTH_MODE", "external"),
            ("PLANSPOR_OIDC_ISSUER", entra),
            ("PLANSPOR_OIDC_USER_CLAIM", "oid"),
        ])
        .expect("valid");
        assert_eq!(
            parsed.auth.mode,
            AuthMode::Oidc {
                issuer_url: entra.into(),
                user_claim: "oid".into()
            }
        );
        assert_eq!(parsed.auth.issuer, entra, "tokens' iss is the provider's");
        for clash in [
            ("PLANSPOR_JWKS_FILE", "/etc/keys.json"),
            ("PLANSPOR_TOKEN_ISSUER", "https://other.example.dk"),
        ] {
            let error = config(&[
                ("PLANSPOR_AUTH_MODE", "external"),
                ("PLANSPOR_OIDC_ISSUER", entra),
                clash,
            ])
            .expect_err("one source of keys and issuer");
            assert_eq!(error.variable, "PLANSPOR_OIDC_ISSUER");
        }
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let error = config(&[("PLANSPOR_POOL_SIZE", "many")]).expect_err("not a number");
        assert_eq!(error.variable, "PLANSPOR_POOL_SIZE");
        let error = config(&[("DATABASE_URL", "mysql://x")]).expect_err("not postgres");
        assert_eq!(error.variable, "DATABASE_URL");
        let error = config(&[("PLANSPOR_BIND", "localhost")]).expect_err("no port");
        assert_eq!(error.variable, "PLANSPOR_BIND");
    }
}
