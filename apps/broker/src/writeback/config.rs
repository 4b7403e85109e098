//! The write-back's settings (docs/writeback.md), read through the broker's
//! one configuration path (`Config::from_sources`): the same environment /
//! TOML lookup, the same error shape naming the variable.

use crate::config::{ConfigError, Secret};
use std::path::PathBuf;
use std::time::Duration;

/// Where the queue lives when `BT_STATE` is not set.
pub const DEFAULT_STATE: &str = "sqlite:bt-broker.db";
pub const DEFAULT_RETRY_HOURS: u64 = 72;

#[derive(Debug, Clone)]
pub struct ZendeskSinkConfig {
    /// `https://SUBDOMAIN.zendesk.com`, no trailing slash.
    pub url: String,
    pub email: String,
    pub api_token: Secret,
}

#[derive(Debug, Clone)]
pub struct AutotaskSinkConfig {
    /// `https://webservicesN.autotask.net/ATServicesRest/V1.0`, no trailing slash.
    pub url: String,
    pub username: String,
    pub secret: Secret,
    pub integration_code: Secret,
    pub note_type: i64,
    pub publish: i64,
}

#[derive(Debug, Clone)]
pub struct WebhookSinkConfig {
    pub url: String,
    pub secret: Secret,
}

#[derive(Clone)]
pub struct WritebackConfig {
    /// `BT_OUTBOUND_TOKEN`: enables `POST /v1/outbound-events`.
    pub outbound_token: Option<Secret>,
    /// `BT_STATE`: `sqlite:PATH` or `postgres://...`.
    pub state: String,
    /// `BT_POLL_SECONDS`: 0 = off.
    pub poll_every: Option<Duration>,
    pub templates_dir: Option<PathBuf>,
    /// How long a job is retried on retryable failures before it is parked.
    pub retry_for: Duration,
    pub zendesk: Option<ZendeskSinkConfig>,
    pub autotask: Option<AutotaskSinkConfig>,
    pub webhook: Option<WebhookSinkConfig>,
}

impl Default for WritebackConfig {
    /// Off: no endpoint, no polling, no sink.
    fn default() -> Self {
        Self {
            outbound_token: None,
            state: DEFAULT_STATE.into(),
            poll_every: None,
            templates_dir: None,
            retry_for: Duration::from_secs(DEFAULT_RETRY_HOURS * 3600),
            zendesk: None,
            autotask: None,
            webhook: None,
        }
    }
}

/// `BT_STATE` fit for a log line: a PostgreSQL URL's password is hidden.
pub fn redacted_state(state: &str) -> String {
    match url::Url::parse(state) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("redacted"));
            u.to_string()
        }
        _ => state.to_owned(),
    }
}

impl std::fmt::Debug for WritebackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WritebackConfig")
            .field("outbound_token", &self.outbound_token)
            .field("state", &redacted_state(&self.state))
            .field("poll_every", &self.poll_every)
            .field("templates_dir", &self.templates_dir)
            .field("retry_for", &self.retry_for)
            .field("zendesk", &self.zendesk)
            .field("autotask", &self.autotask)
            .field("webhook", &self.webhook)
            .finish()
    }
}

impl WritebackConfig {
    /// Whether the broker runs the write-back at all (an endpoint or polling).
    pub fn enabled(&self) -> bool {
        self.outbound_token.is_some() || self.poll_every.is_some()
    }

    pub fn has_sink(&self) -> bool {
        self.zendesk.is_some() || self.autotask.is_some() || self.webhook.is_some()
    }
}

fn err(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        key,
        message: message.into(),
    }
}

/// `https://...`, or `http://` to a loopback host; no trailing slash.
fn sink_url(key: &'static str, value: &str) -> Result<String, ConfigError> {
    let v = value.trim().trim_end_matches('/');
    let url = url::Url::parse(v).map_err(|e| {
        err(
            key,
            format!("'{v}' is not a URL such as https://example.com: {e}"),
        )
    })?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(err(
                key,
                "use https:// (http:// only for a loopback address such as 127.0.0.1)",
            ))
        }
        s => return Err(err(key, format!("scheme '{s}' is not https"))),
    }
    if url.host().is_none() || !url.username().is_empty() || url.query().is_some() {
        return Err(err(
            key,
            "give scheme://host[:port][/path] only, no credentials or query",
        ));
    }
    Ok(v.to_owned())
}

/// Reads every write-back variable through `get` (the broker's lookup).
pub fn load(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<WritebackConfig, ConfigError> {
    let value = |key: &'static str| -> Result<Option<String>, ConfigError> {
        Ok(get(key)?
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty()))
    };
    let required = |key: &'static str, because: &str| -> Result<String, ConfigError> {
        value(key)?.ok_or_else(|| err(key, format!("is required with {because}")))
    };
    let number =
        |key: &'static str, default: u64, min: u64, max: u64| -> Result<u64, ConfigError> {
            match value(key)? {
                None => Ok(default),
                Some(v) => match v.parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => Ok(n),
                    _ => Err(err(
                        key,
                        format!("'{v}' is not a whole number from {min} to {max}"),
                    )),
                },
            }
        };
    let outbound_token = match value("BT_OUTBOUND_TOKEN")? {
        None => None,
        Some(t) if t.len() < 16 => {
            return Err(err(
                "BT_OUTBOUND_TOKEN",
                "is too short: use at least 16 characters (e.g. openssl rand -hex 24)",
            ))
        }
        Some(t) if t.len() > 200 => {
            return Err(err(
                "BT_OUTBOUND_TOKEN",
                "is too long: the appliance's recipient URL must stay under 256 characters; use at most 200",
            ))
        }
        Some(t) if !t.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b)) => {
            return Err(err(
                "BT_OUTBOUND_TOKEN",
                "may hold only letters, digits and - _ . ~ (it travels in a URL)",
            ))
        }
        Some(t) => Some(Secret::new(t)),
    };
    let state = value("BT_STATE")?.unwrap_or_else(|| DEFAULT_STATE.into());
    crate::writeback::store::StateUrl::parse(&state).map_err(|m| err("BT_STATE", m))?;
    let poll = number("BT_POLL_SECONDS", 0, 0, 86_400)?;
    let retry_hours = number("BT_WRITEBACK_RETRY_HOURS", DEFAULT_RETRY_HOURS, 1, 24 * 90)?;
    let templates_dir = value("BT_TEMPLATES_DIR")?.map(PathBuf::from);
    if let Some(d) = &templates_dir {
        if !d.is_dir() {
            return Err(err(
                "BT_TEMPLATES_DIR",
                format!("{} is not a directory", d.display()),
            ));
        }
    }
    let zendesk = match value("BT_ZENDESK_URL")? {
        None => None,
        Some(u) => Some(ZendeskSinkConfig {
            url: sink_url("BT_ZENDESK_URL", &u)?,
            email: required("BT_ZENDESK_EMAIL", "BT_ZENDESK_URL")?,
            api_token: Secret::new(required("BT_ZENDESK_API_TOKEN", "BT_ZENDESK_URL")?),
        }),
    };
    let autotask = match value("BT_AUTOTASK_URL")? {
        None => None,
        Some(u) => Some(AutotaskSinkConfig {
            url: sink_url("BT_AUTOTASK_URL", &u)?,
            username: required("BT_AUTOTASK_USERNAME", "BT_AUTOTASK_URL")?,
            secret: Secret::new(required("BT_AUTOTASK_SECRET", "BT_AUTOTASK_URL")?),
            integration_code: Secret::new(required(
                "BT_AUTOTASK_INTEGRATION_CODE",
                "BT_AUTOTASK_URL",
            )?),
            note_type: number("BT_AUTOTASK_NOTE_TYPE", 1, 0, 1_000_000)? as i64,
            publish: number("BT_AUTOTASK_PUBLISH", 0, 0, 1_000)? as i64,
        }),
    };
    let webhook = match value("BT_WEBHOOK_URL")? {
        None => None,
        Some(u) => {
            let secret = required("BT_WEBHOOK_SECRET", "BT_WEBHOOK_URL")?;
            if secret.len() < 16 {
                return Err(err(
                    "BT_WEBHOOK_SECRET",
                    "is too short: use at least 16 characters",
                ));
            }
            Some(WebhookSinkConfig {
                url: sink_url("BT_WEBHOOK_URL", &u)?,
                secret: Secret::new(secret),
            })
        }
    };
    let config = WritebackConfig {
        outbound_token,
        state,
        poll_every: (poll > 0).then(|| Duration::from_secs(poll)),
        templates_dir,
        retry_for: Duration::from_secs(retry_hours * 3600),
        zendesk,
        autotask,
        webhook,
    };
    if config.enabled() && !config.has_sink() {
        return Err(err(
            if config.outbound_token.is_some() { "BT_OUTBOUND_TOKEN" } else { "BT_POLL_SECONDS" },
            "the write-back is on but no sink is configured: set BT_ZENDESK_URL, BT_AUTOTASK_URL or BT_WEBHOOK_URL (with their credentials)",
        ));
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load_from(pairs: &[(&str, &str)]) -> Result<WritebackConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        load(&|k| Ok(map.get(k).cloned()))
    }

    #[test]
    fn off_by_default_and_each_sink_needs_its_credentials() {
        let c = load_from(&[]).unwrap();
        assert!(!c.enabled());
        assert_eq!(c.state, DEFAULT_STATE);
        let e = load_from(&[("BT_OUTBOUND_TOKEN", "0123456789abcdef")]).unwrap_err();
        assert!(e.message.contains("no sink"), "{e}");
        let e = load_from(&[("BT_OUTBOUND_TOKEN", "short")]).unwrap_err();
        assert_eq!(e.key, "BT_OUTBOUND_TOKEN");
        let e = load_from(&[("BT_ZENDESK_URL", "https://x.zendesk.com")]).unwrap_err();
        assert_eq!(e.key, "BT_ZENDESK_EMAIL");
        let e = load_from(&[
            ("BT_ZENDESK_URL", "http://x.zendesk.com"),
            ("BT_ZENDESK_EMAIL", "a@b"),
            ("BT_ZENDESK_API_TOKEN", "t"),
        ])
        .unwrap_err();
        assert!(e.message.contains("loopback"), "{e}");
        let c = load_from(&[
            ("BT_OUTBOUND_TOKEN", "0123456789abcdef"),
            ("BT_ZENDESK_URL", "http://127.0.0.1:9/"),
            ("BT_ZENDESK_EMAIL", "a@b"),
            ("BT_ZENDESK_API_TOKEN", "t"),
            ("BT_STATE", "postgres://u:p@127.0.0.1:5432/db"),
        ])
        .unwrap();
        assert_eq!(c.zendesk.unwrap().url, "http://127.0.0.1:9");
        let shown = format!(
            "{:?}",
            load_from(&[("BT_STATE", "postgres://bt:hunter2secret@db:5432/q")]).unwrap()
        );
        assert!(
            !shown.contains("hunter2secret") && shown.contains("postgres://bt:redacted@db:5432/q"),
            "{shown}"
        );
        let e = load_from(&[("BT_STATE", "mysql://x")]).unwrap_err();
        assert_eq!(e.key, "BT_STATE");
        let e = load_from(&[("BT_WRITEBACK_RETRY_HOURS", "0")]).unwrap_err();
        assert_eq!(e.key, "BT_WRITEBACK_RETRY_HOURS");
    }
}
