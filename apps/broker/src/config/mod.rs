//! Broker configuration: environment variables (the table in
//! `apps/broker/README.md`), optionally preceded by a TOML file
//! (`--config FILE`) that may set the same keys.
//!
//! Precedence: environment > file > defaults. File keys are the variable
//! names (`BT_LISTEN = "..."`) or the same without `BT_` in lower case
//! (`listen = "..."`). `host_secrets` and `host_keys` may also be TOML
//! tables (`{ id = "secret" }`, `{ id = "file:PATH" }`).
//!
//! Secrets live in [`Secret`], whose `Debug` never shows the value, so a
//! logged `Config` is safe.

use crate::mapping::RepMapping;

mod origins;
pub(crate) use origins::split_authority;
pub use origins::{parse_origins, OriginPattern};
use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// A value that must never be logged or sent to a browser.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself: call only where it is used (signing, Basic auth).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Why a configuration was refused: names the key and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    pub key: &'static str,
    pub message: String,
}

fn cfg_err(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        key,
        message: message.into(),
    }
}

/// Verifies Zendesk signed-URL tokens (RS256, the app's public key).
#[derive(Clone)]
pub struct ZendeskConfig {
    /// PEM of the app's RSA public key.
    pub public_key_pem: String,
    /// Expected `aud`; Zendesk puts the app installation URL there.
    pub audience: String,
    /// Accepted `iss` values (the account's Zendesk domain); empty = any.
    pub issuers: Vec<String>,
}

impl fmt::Debug for ZendeskConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZendeskConfig")
            .field(
                "public_key_pem",
                &format_args!("<{} bytes>", self.public_key_pem.len()),
            )
            .field("audience", &self.audience)
            .field("issuers", &self.issuers)
            .finish()
    }
}

/// Static files the broker serves next to its API.
#[derive(Debug, Clone, Default)]
pub struct StaticConfig {
    /// Served at `/` (demo pages). `BT_STATIC_DIR`.
    pub site_dir: Option<PathBuf>,
    /// Served at `/apps/` (built widget bundles, `target/dist`). `BT_DIST_DIR`.
    pub dist_dir: Option<PathBuf>,
    /// Served at `/packages/` (host packages, `target/packages`): the demo's
    /// help-center page loads the packaged single-file asset from here.
    pub packages_dir: Option<PathBuf>,
}

/// Everything the broker needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// `scheme://host[:port]`, no trailing slash.
    pub appliance_url: String,
    pub allow_insecure: bool,
    pub client_id: String,
    pub client_secret: Secret,
    /// Host id → HS256 secret.
    pub host_secrets: BTreeMap<String, Secret>,
    /// Host id → PEM of its RSA public key or X.509 certificate (RS256).
    /// Public, so not a [`Secret`]; a host is in this map or in
    /// `host_secrets`, never both.
    pub host_keys: BTreeMap<String, String>,
    pub audience: String,
    pub rep_mapping: RepMapping,
    pub allowed_origins: Vec<OriginPattern>,
    /// Requests per minute per caller identity; bursts up to as many.
    pub rate_limit: u32,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// How long get_logged_in_reps / get_support_teams answers are reused.
    pub reps_cache_ttl: Duration,
    /// Request bodies larger than this are refused (413 `invalid_input`).
    pub body_limit: usize,
    pub zendesk: Option<ZendeskConfig>,
    pub static_files: StaticConfig,
    /// The session write-back (off unless `BT_OUTBOUND_TOKEN` or `BT_POLL_SECONDS`).
    pub writeback: crate::writeback::WritebackConfig,
    /// Inbound connections: a request head (and a kept-alive connection's
    /// next one) must arrive within this (`BT_HEADER_TIMEOUT_MS`).
    pub header_timeout: Duration,
    /// Inbound request bodies: each part must arrive within this (`BT_BODY_TIMEOUT_MS`).
    pub body_timeout: Duration,
    /// Appliance answers larger than this are refused (`BT_APPLIANCE_MAX_BYTES`).
    pub appliance_max_bytes: usize,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_AUDIENCE: &str = "bt-broker";
pub const DEFAULT_RATE_LIMIT: u32 = 120;
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024;
pub const DEFAULT_HEADER_TIMEOUT_MS: u64 = 5000;
pub const DEFAULT_BODY_TIMEOUT_MS: u64 = 10_000;
pub const DEFAULT_APPLIANCE_MAX_BYTES: usize = 8 << 20;

impl Config {
    /// A configuration with defaults for everything but the appliance and
    /// its API account. Validates the appliance URL like the loader does.
    pub fn new(
        appliance_url: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<Self, ConfigError> {
        let allow_insecure = false;
        Ok(Self {
            listen: DEFAULT_LISTEN.parse().expect("default listen address"),
            appliance_url: validate_appliance_url(appliance_url, allow_insecure)?,
            allow_insecure,
            client_id: client_id.to_owned(),
            client_secret: Secret::new(client_secret),
            host_secrets: BTreeMap::new(),
            host_keys: BTreeMap::new(),
            audience: DEFAULT_AUDIENCE.to_owned(),
            rep_mapping: RepMapping::EmailLocalPart,
            allowed_origins: Vec::new(),
            rate_limit: DEFAULT_RATE_LIMIT,
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(10),
            reps_cache_ttl: Duration::from_secs(5),
            body_limit: DEFAULT_BODY_LIMIT,
            zendesk: None,
            static_files: StaticConfig::default(),
            writeback: crate::writeback::WritebackConfig::default(),
            header_timeout: Duration::from_millis(DEFAULT_HEADER_TIMEOUT_MS),
            body_timeout: Duration::from_millis(DEFAULT_BODY_TIMEOUT_MS),
            appliance_max_bytes: DEFAULT_APPLIANCE_MAX_BYTES,
        })
    }

    /// Adds a calling host and its HS256 secret.
    pub fn with_host(mut self, id: &str, secret: &str) -> Self {
        self.host_secrets.insert(id.to_owned(), Secret::new(secret));
        self
    }

    /// Adds a calling host and the PEM of its RSA public key or certificate (RS256).
    pub fn with_host_key(mut self, id: &str, pem: &str) -> Self {
        self.host_keys.insert(id.to_owned(), pem.to_owned());
        self
    }

    /// Loads from the process environment and an optional TOML file.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        Self::load_overriding(file, &BTreeMap::new())
    }

    /// [`Config::load`], except that the keys in `overrides` take these
    /// values whatever the environment and the file say. `bt-broker
    /// --sandbox` points the broker at its sandbox appliance this way, so it
    /// reads and validates everything else exactly as a normal start does.
    pub fn load_overriding(
        file: Option<&std::path::Path>,
        overrides: &BTreeMap<&str, String>,
    ) -> Result<Self, ConfigError> {
        let text =
            match file {
                Some(p) => Some(std::fs::read_to_string(p).map_err(|e| {
                    cfg_err("--config", format!("cannot read {}: {e}", p.display()))
                })?),
                None => None,
            };
        Self::from_sources(
            |k| overrides.get(k).cloned().or_else(|| std::env::var(k).ok()),
            text.as_deref(),
        )
    }

    /// Loads from `env` (a variable lookup) over an optional TOML text.
    pub fn from_sources(
        env: impl Fn(&str) -> Option<String>,
        toml_text: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let file = match toml_text {
            Some(t) => t
                .parse::<toml::Table>()
                .map_err(|e| cfg_err("--config", format!("not valid TOML: {e}")))?,
            None => toml::Table::new(),
        };
        let get = |key: &'static str| -> Result<Option<String>, ConfigError> {
            if let Some(v) = env(key) {
                return Ok(Some(v));
            }
            let short = key.trim_start_matches("BT_").to_ascii_lowercase();
            match file.get(key).or_else(|| file.get(&short)) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(toml::Value::Integer(i)) => Ok(Some(i.to_string())),
                Some(toml::Value::Boolean(b)) => Ok(Some(if *b { "1" } else { "0" }.into())),
                Some(toml::Value::Array(a)) => Ok(Some(
                    a.iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_owned)
                                .ok_or_else(|| cfg_err(key, "list items must be strings"))
                        })
                        .collect::<Result<Vec<_>, _>>()?
                        .join(","),
                )),
                Some(toml::Value::Table(t))
                    if key == "BT_HOST_SECRETS" || key == "BT_HOST_KEYS" =>
                {
                    Ok(Some(
                        t.iter()
                            .map(|(k, v)| {
                                v.as_str()
                                    .map(|s| format!("{k}={s}"))
                                    .ok_or_else(|| cfg_err(key, "values must be strings"))
                            })
                            .collect::<Result<Vec<_>, _>>()?
                            .join(","),
                    ))
                }
                Some(_) => Err(cfg_err(key, "unsupported TOML value type")),
            }
        };
        let required = |key: &'static str| -> Result<String, ConfigError> {
            get(key)?
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| cfg_err(key, "is required"))
        };
        let flag = |key: &'static str| -> Result<bool, ConfigError> {
            Ok(matches!(
                get(key)?.as_deref().map(str::trim),
                Some("1" | "true" | "yes" | "on")
            ))
        };
        let number =
            |key: &'static str, default: u64, min: u64, max: u64| -> Result<u64, ConfigError> {
                match get(key)? {
                    None => Ok(default),
                    Some(v) => match v.trim().parse::<u64>() {
                        Ok(n) if (min..=max).contains(&n) => Ok(n),
                        _ => Err(cfg_err(
                            key,
                            format!("must be a whole number between {min} and {max}"),
                        )),
                    },
                }
            };

        let allow_insecure = flag("BT_ALLOW_INSECURE")?;
        let appliance_url = validate_appliance_url(&required("BT_APPLIANCE_URL")?, allow_insecure)?;
        let listen = get("BT_LISTEN")?.unwrap_or_else(|| DEFAULT_LISTEN.into());
        let listen = listen.trim().parse::<SocketAddr>().map_err(|_| {
            cfg_err(
                "BT_LISTEN",
                format!("'{listen}' is not an address such as 127.0.0.1:8080"),
            )
        })?;

        let client_id = required("BT_CLIENT_ID")?;
        let client_secret = Secret::new(required("BT_CLIENT_SECRET")?);
        let host_secrets = parse_host_secrets(&get("BT_HOST_SECRETS")?.unwrap_or_default())?;
        let host_keys = parse_host_keys(&get("BT_HOST_KEYS")?.unwrap_or_default())?;
        if let Some(id) = host_keys.keys().find(|id| host_secrets.contains_key(*id)) {
            return Err(cfg_err(
                "BT_HOST_KEYS",
                format!("host '{id}' is also in BT_HOST_SECRETS: a host has either a shared secret (HS256) or a public key (RS256), never both; remove it from one of them"),
            ));
        }

        let audience = get("BT_AUDIENCE")?
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_AUDIENCE.into());
        let rep_mapping = RepMapping::parse(
            get("BT_REP_MAPPING")?
                .as_deref()
                .unwrap_or("email-local-part"),
        )
        .map_err(|m| cfg_err("BT_REP_MAPPING", m))?;
        let allowed_origins = parse_origins(&get("BT_ALLOWED_ORIGINS")?.unwrap_or_default())?;
        let rate_limit = number("BT_RATE_LIMIT", DEFAULT_RATE_LIMIT as u64, 1, 1_000_000)? as u32;
        let connect_timeout =
            Duration::from_millis(number("BT_CONNECT_TIMEOUT_MS", 3000, 1, 600_000)?);
        let request_timeout =
            Duration::from_millis(number("BT_REQUEST_TIMEOUT_MS", 10_000, 1, 600_000)?);
        let reps_cache_ttl = Duration::from_millis(number("BT_REPS_CACHE_MS", 5000, 0, 600_000)?);
        let body_limit =
            number("BT_BODY_LIMIT", DEFAULT_BODY_LIMIT as u64, 1024, 1 << 20)? as usize;

        let zendesk = match get("BT_ZENDESK_PUBLIC_KEY")?.filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(v) => {
                let pem = read_pem("BT_ZENDESK_PUBLIC_KEY", &v)?;
                jsonwebtoken::DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| {
                    cfg_err(
                        "BT_ZENDESK_PUBLIC_KEY",
                        format!("not an RSA public key in PEM form: {e}"),
                    )
                })?;
                let audience = required("BT_ZENDESK_AUDIENCE")?;
                let issuers = get("BT_ZENDESK_ISSUERS")?
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                Some(ZendeskConfig {
                    public_key_pem: pem,
                    audience,
                    issuers,
                })
            }
        };
        let static_files = StaticConfig {
            site_dir: get("BT_STATIC_DIR")?
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            dist_dir: get("BT_DIST_DIR")?
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            packages_dir: get("BT_PACKAGES_DIR")?
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        };

        let header_timeout = Duration::from_millis(number(
            "BT_HEADER_TIMEOUT_MS",
            DEFAULT_HEADER_TIMEOUT_MS,
            100,
            600_000,
        )?);
        let body_timeout = Duration::from_millis(number(
            "BT_BODY_TIMEOUT_MS",
            DEFAULT_BODY_TIMEOUT_MS,
            100,
            600_000,
        )?);
        let appliance_max_bytes = number(
            "BT_APPLIANCE_MAX_BYTES",
            DEFAULT_APPLIANCE_MAX_BYTES as u64,
            64 * 1024,
            1 << 30,
        )? as usize;

        let writeback = crate::writeback::config::load(&get)?;
        let config = Config {
            listen,
            appliance_url,
            allow_insecure,
            client_id,
            client_secret,
            host_secrets,
            host_keys,
            audience,
            rep_mapping,
            allowed_origins,
            rate_limit,
            connect_timeout,
            request_timeout,
            reps_cache_ttl,
            body_limit,
            zendesk,
            static_files,
            writeback,
            header_timeout,
            body_timeout,
            appliance_max_bytes,
        };
        if config.host_secrets.is_empty() && config.host_keys.is_empty() && config.zendesk.is_none()
        {
            return Err(cfg_err(
                "BT_HOST_SECRETS",
                "no calling host is configured: set id=secret[,id=secret...] (or BT_HOST_KEYS=id=file:PATH for hosts that sign RS256)",
            ));
        }
        Ok(config)
    }

    /// Whether the appliance URL is plain http to a non-loopback host (allowed
    /// only with `BT_ALLOW_INSECURE=1`; the broker logs a warning).
    pub fn is_insecure_remote(&self) -> bool {
        self.appliance_url.starts_with("http://") && !is_loopback_url(&self.appliance_url)
    }
}

/// `id=secret[,id=secret...]`.
pub fn parse_host_secrets(value: &str) -> Result<BTreeMap<String, Secret>, ConfigError> {
    let mut map = BTreeMap::new();
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (id, secret) = item
            .split_once('=')
            .ok_or_else(|| cfg_err("BT_HOST_SECRETS", "each entry must be id=secret"))?;
        let (id, secret) = (id.trim(), secret.trim());
        if id.is_empty() || secret.is_empty() {
            return Err(cfg_err(
                "BT_HOST_SECRETS",
                "each entry must be id=secret with neither empty",
            ));
        }
        if secret.len() < 16 {
            return Err(cfg_err("BT_HOST_SECRETS", format!("the secret for host '{id}' is too short: use at least 16 characters (32 random bytes recommended)")));
        }
        if map.insert(id.to_owned(), Secret::new(secret)).is_some() {
            return Err(cfg_err(
                "BT_HOST_SECRETS",
                format!("host '{id}' is listed twice"),
            ));
        }
    }
    Ok(map)
}

/// `id=PEM-or-file:PATH[,...]`: each value an RSA public key or an X.509
/// certificate in PEM form, inline (`\n` may stand for line breaks) or read
/// from a file. Every key is decoded here, so a bad one stops the start.
pub fn parse_host_keys(value: &str) -> Result<BTreeMap<String, String>, ConfigError> {
    const KEY: &str = "BT_HOST_KEYS";
    let mut map = BTreeMap::new();
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (id, source) = item
            .split_once('=')
            .ok_or_else(|| cfg_err(KEY, "each entry must be id=PEM or id=file:PATH"))?;
        let (id, source) = (id.trim(), source.trim());
        if id.is_empty() || source.is_empty() {
            return Err(cfg_err(
                KEY,
                "each entry must be id=PEM or id=file:PATH with neither empty",
            ));
        }
        let pem = read_pem(KEY, source)?;
        jsonwebtoken::DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| {
            cfg_err(
                KEY,
                format!("the key of host '{id}' is not an RSA public key or X.509 certificate in PEM form: {e}"),
            )
        })?;
        if map.insert(id.to_owned(), pem).is_some() {
            return Err(cfg_err(KEY, format!("host '{id}' is listed twice")));
        }
    }
    Ok(map)
}

/// A PEM given inline (`\n` may stand for line breaks, as one-line
/// environment values need) or as `file:PATH`.
pub(crate) fn read_pem(key: &'static str, value: &str) -> Result<String, ConfigError> {
    match value.trim().strip_prefix("file:") {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| cfg_err(key, format!("cannot read {path}: {e}"))),
        None => Ok(value.replace("\\n", "\n")),
    }
}

fn is_loopback_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let (host, _) = split_authority(rest);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `https://host[:port]`; `http://` only for loopback hosts or when
/// `allow_insecure`. Returns the URL without a trailing slash.
pub fn validate_appliance_url(value: &str, allow_insecure: bool) -> Result<String, ConfigError> {
    const KEY: &str = "BT_APPLIANCE_URL";
    let value = value.trim();
    let url = url::Url::parse(value).map_err(|_| {
        cfg_err(
            KEY,
            format!("'{value}' is not a URL such as https://support.example.com"),
        )
    })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(cfg_err(
            KEY,
            "needs a host, e.g. https://support.example.com",
        ));
    }
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
        || url.path() != "/"
    {
        return Err(cfg_err(KEY, "give the appliance's address only (scheme://host[:port]), without path, query or credentials"));
    }
    let base = url.as_str().trim_end_matches('/').to_owned();
    match url.scheme() {
        "https" => Ok(base),
        "http" if is_loopback_url(&base) || allow_insecure => Ok(base),
        "http" => Err(cfg_err(KEY, "must use https:// (plain http is accepted only for loopback addresses or with BT_ALLOW_INSECURE=1)")),
        other => Err(cfg_err(KEY, format!("scheme '{other}' is not supported: use https://"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const BASE: &[(&str, &str)] = &[
        ("BT_APPLIANCE_URL", "https://support.example.com/"),
        ("BT_CLIENT_ID", "id"),
        ("BT_CLIENT_SECRET", "very-secret-value"),
        (
            "BT_HOST_SECRETS",
            "zendesk=0123456789abcdef0123,halo=fedcba9876543210fedc",
        ),
    ];

    #[test]
    fn loads_defaults_and_redacts_secrets() {
        let c = Config::from_sources(env(BASE), None).unwrap();
        assert_eq!(c.appliance_url, "https://support.example.com");
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.audience, "bt-broker");
        assert_eq!(c.rate_limit, 120);
        assert_eq!(c.host_secrets.len(), 2);
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("very-secret-value") && !dbg.contains("0123456789abcdef"),
            "{dbg}"
        );
        assert!(dbg.contains("[redacted]"));
    }

    #[test]
    fn http_only_for_loopback_or_when_insecure_is_allowed() {
        assert!(validate_appliance_url("http://127.0.0.1:9000", false).is_ok());
        assert!(validate_appliance_url("http://localhost:9000", false).is_ok());
        assert!(validate_appliance_url("http://[::1]:9000", false).is_ok());
        let e = validate_appliance_url("http://support.example.com", false).unwrap_err();
        assert!(e.to_string().contains("BT_ALLOW_INSECURE=1"), "{e}");
        assert_eq!(
            validate_appliance_url("http://support.example.com", true).unwrap(),
            "http://support.example.com"
        );
        assert!(validate_appliance_url("https://support.example.com/login", false).is_err());
        assert!(validate_appliance_url("support.example.com", false).is_err());
        assert!(validate_appliance_url("ftp://support.example.com", false).is_err());
    }

    #[test]
    fn toml_file_sets_the_same_keys_and_env_wins() {
        let toml = r#"
            BT_APPLIANCE_URL = "https://file.example.com"
            client_id = "from-file"
            client_secret = "s3cret-from-file"
            rate_limit = 10
            allowed_origins = ["https://*.zendesk.com", "https://app.example.com"]
            [host_secrets]
            demo = "0123456789abcdef0123"
        "#;
        let c = Config::from_sources(env(&[("BT_CLIENT_ID", "from-env")]), Some(toml)).unwrap();
        assert_eq!(c.appliance_url, "https://file.example.com");
        assert_eq!(c.client_id, "from-env");
        assert_eq!(c.client_secret.expose(), "s3cret-from-file");
        assert_eq!(c.rate_limit, 10);
        assert_eq!(c.allowed_origins.len(), 2);
        assert!(c.host_secrets.contains_key("demo"));
    }

    #[test]
    fn errors_name_the_key() {
        let e = Config::from_sources(env(&BASE[..2]), None).unwrap_err();
        assert_eq!(e.key, "BT_CLIENT_SECRET");
        let mut bad = BASE.to_vec();
        bad.push(("BT_RATE_LIMIT", "lots"));
        assert_eq!(
            Config::from_sources(env(&bad), None).unwrap_err().key,
            "BT_RATE_LIMIT"
        );
        assert!(parse_host_secrets("a=short")
            .unwrap_err()
            .message
            .contains("at least 16"));
        assert!(parse_host_secrets("noequals").is_err());
    }

    #[test]
    fn zendesk_key_and_insecure_flag() {
        let key = format!(
            "file:{}/tests/fixtures/zendesk_test_public.pem",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut pairs = BASE.to_vec();
        pairs.push(("BT_ZENDESK_PUBLIC_KEY", &key));
        assert_eq!(
            Config::from_sources(env(&pairs), None).unwrap_err().key,
            "BT_ZENDESK_AUDIENCE"
        );
        pairs.push((
            "BT_ZENDESK_AUDIENCE",
            "https://acme.zendesk.com/api/v2/apps/installations/1.json",
        ));
        let c = Config::from_sources(env(&pairs), None).unwrap();
        let z = c.zendesk.as_ref().unwrap();
        assert!(z.public_key_pem.contains("BEGIN PUBLIC KEY"));
        assert!(!format!("{c:?}").contains("BEGIN PUBLIC KEY"));
        let bad = [
            ("BT_ZENDESK_PUBLIC_KEY", "not a pem"),
            ("BT_ZENDESK_AUDIENCE", "x"),
        ];
        let e = Config::from_sources(env(&[BASE, &bad].concat()), None).unwrap_err();
        assert_eq!(e.key, "BT_ZENDESK_PUBLIC_KEY");

        let insecure = [
            ("BT_APPLIANCE_URL", "http://support.example.com"),
            ("BT_ALLOW_INSECURE", "1"),
        ];
        let c = Config::from_sources(env(&[&insecure[..], &BASE[1..]].concat()), None).unwrap();
        assert!(c.is_insecure_remote());
        assert!(!Config::new("http://127.0.0.1:9", "i", "s")
            .unwrap()
            .is_insecure_remote());
    }

    #[test]
    fn host_keys_from_a_file_and_never_next_to_a_secret() {
        let cert = format!(
            "file:{}/tests/fixtures/salesforce_test.crt",
            env!("CARGO_MANIFEST_DIR")
        );
        let toml = format!("[host_keys]\nsalesforce = \"{cert}\"\n");
        let c = Config::from_sources(env(BASE), Some(&toml)).unwrap();
        assert!(c.host_keys["salesforce"].contains("BEGIN CERTIFICATE"));
        let both = [("BT_HOST_KEYS", format!("zendesk={cert}"))];
        let both: Vec<(&str, &str)> = both.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let e = Config::from_sources(env(&[BASE, &both].concat()), None).unwrap_err();
        assert_eq!(e.key, "BT_HOST_KEYS");
        assert!(
            e.message.contains("'zendesk'") && e.message.contains("never both"),
            "{e}"
        );
        let e = parse_host_keys("sf=file:/nonexistent/sf.crt").unwrap_err();
        assert!(e.message.contains("/nonexistent/sf.crt"), "{e}");
    }

    #[test]
    fn origin_patterns() {
        let p = OriginPattern::parse("https://*.zendesk.com").unwrap();
        assert!(p.matches("https://acme.zendesk.com"));
        assert!(p.matches("https://a.b.zendesk.com"));
        assert!(!p.matches("https://zendesk.com"));
        assert!(!p.matches("https://evilzendesk.com"));
        assert!(!p.matches("http://acme.zendesk.com"));
        assert!(!p.matches("https://acme.zendesk.com.evil.com"));
        assert!(!p.matches("https://acme.zendesk.com:8443"));
        let exact = OriginPattern::parse("http://127.0.0.1:8080").unwrap();
        assert!(exact.matches("http://127.0.0.1:8080"));
        assert!(!exact.matches("http://127.0.0.1:8081"));
        let default_port = OriginPattern::parse("app.example.com").unwrap();
        assert!(default_port.matches("https://app.example.com:443"));
        assert_eq!(default_port.csp_source(), "https://app.example.com");
        assert!(OriginPattern::parse("https://a.*.com").is_err());
        assert!(OriginPattern::parse("https://a.com/path").is_err());
    }
}
