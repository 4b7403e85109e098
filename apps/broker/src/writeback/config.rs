//! The write-back's settings (docs/writeback.md), read through the broker's
//! one configuration path (`Config::from_sources`): the same environment /
//! TOML lookup, the same error shape naming the variable.

use crate::config::{ConfigError, Secret};
use std::path::PathBuf;
use std::time::Duration;

/// Where the queue lives when `BT_STATE` is not set.
pub const DEFAULT_STATE: &str = "sqlite:bt-broker.db";
pub const DEFAULT_RETRY_HOURS: u64 = 72;
/// How long a claimed job is held (`BT_WRITEBACK_LEASE_SECONDS`).
pub const DEFAULT_LEASE_SECONDS: u64 = 300;
/// A time entry's `summaryNotes` when `BT_AUTOTASK_SUMMARY_NOTES` is not set.
pub const DEFAULT_SUMMARY_NOTES: &str = "BeyondTrust remote support session";

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
    /// `BT_AUTOTASK_TIME_ENTRIES`: a time entry per session, off by default.
    pub time_entries: Option<TimeEntryConfig>,
}

/// What an Autotask time entry needs beyond the API user.
#[derive(Debug, Clone)]
pub struct TimeEntryConfig {
    /// `BT_AUTOTASK_ROLE_ID`: the `roleID` every entry is made under.
    pub role_id: i64,
    /// `BT_AUTOTASK_RESOURCE_DOMAIN`: the primary rep's appliance username
    /// `@` this is the e-mail of their Autotask resource.
    pub resource_domain: Option<String>,
    /// `BT_AUTOTASK_RESOURCE_ID`: the resource used when no rep matches.
    pub resource_id: Option<i64>,
    /// `BT_AUTOTASK_SUMMARY_NOTES`: the entry's `summaryNotes`.
    pub summary_notes: String,
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
    /// `BT_WRITEBACK_LEASE_SECONDS`: how long a claim holds; a crashed
    /// broker's jobs are taken by another instance after it.
    pub lease: Duration,
    pub zendesk: Option<ZendeskSinkConfig>,
    pub autotask: Option<AutotaskSinkConfig>,
    pub webhook: Option<WebhookSinkConfig>,
    pub salesforce: Option<super::sinks::salesforce::SalesforceSinkConfig>,
    pub agiloft: Option<super::sinks::agiloft::AgiloftSinkConfig>,
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
            lease: Duration::from_secs(DEFAULT_LEASE_SECONDS),
            zendesk: None,
            autotask: None,
            webhook: None,
            salesforce: None,
            agiloft: None,
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
            .field("lease", &self.lease)
            .field("zendesk", &self.zendesk)
            .field("autotask", &self.autotask)
            .field("webhook", &self.webhook)
            .field("salesforce", &self.salesforce)
            .field("agiloft", &self.agiloft)
            .finish()
    }
}

impl WritebackConfig {
    /// Whether the broker runs the write-back at all (an endpoint or polling).
    pub fn enabled(&self) -> bool {
        self.outbound_token.is_some() || self.poll_every.is_some()
    }

    pub fn has_sink(&self) -> bool {
        self.zendesk.is_some()
            || self.autotask.is_some()
            || self.webhook.is_some()
            || self.salesforce.is_some()
            || self.agiloft.is_some()
    }
}

pub(crate) fn err(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        key,
        message: message.into(),
    }
}

/// `https://...`, or `http://` to a loopback host; no trailing slash.
pub(crate) fn sink_url(key: &'static str, value: &str) -> Result<String, ConfigError> {
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

/// Reads a variable: trimmed, empty = unset.
pub(crate) type Lookup<'a> = &'a dyn Fn(&'static str) -> Result<Option<String>, ConfigError>;

/// Variable `key`, which the variable `because` makes required.
pub(crate) fn required(
    value: Lookup,
    key: &'static str,
    because: &str,
) -> Result<String, ConfigError> {
    value(key)?.ok_or_else(|| err(key, format!("is required with {because}")))
}
type Number<'a> = &'a dyn Fn(&'static str, u64, u64, u64) -> Result<u64, ConfigError>;

/// The time entry settings (`BT_AUTOTASK_TIME_ENTRIES` is on).
fn time_entries(value: Lookup, number: Number) -> Result<TimeEntryConfig, ConfigError> {
    const ON: &str = "BT_AUTOTASK_TIME_ENTRIES";
    const MAX_ID: u64 = i64::MAX as u64;
    if value("BT_AUTOTASK_ROLE_ID")?.is_none() {
        return Err(err(
            "BT_AUTOTASK_ROLE_ID",
            format!("is required with {ON}: the id of the Autotask role time is entered under"),
        ));
    }
    let role_id = number("BT_AUTOTASK_ROLE_ID", 0, 1, MAX_ID)? as i64;
    let resource_id = match value("BT_AUTOTASK_RESOURCE_ID")? {
        None => None,
        Some(_) => Some(number("BT_AUTOTASK_RESOURCE_ID", 0, 1, MAX_ID)? as i64),
    };
    let resource_domain =
        value("BT_AUTOTASK_RESOURCE_DOMAIN")?.map(|d| d.trim_start_matches('@').to_owned());
    if let Some(d) = &resource_domain {
        if d.is_empty() || !d.contains('.') || d.contains(['@', '/', ' ']) {
            return Err(err(
                "BT_AUTOTASK_RESOURCE_DOMAIN",
                format!("'{d}' is not a mail domain such as example.com"),
            ));
        }
    }
    if resource_domain.is_none() && resource_id.is_none() {
        return Err(err(
            "BT_AUTOTASK_RESOURCE_DOMAIN",
            format!("{ON} needs a resource: set BT_AUTOTASK_RESOURCE_DOMAIN (the rep's username @ it is their Autotask e-mail) and/or BT_AUTOTASK_RESOURCE_ID"),
        ));
    }
    let summary_notes =
        value("BT_AUTOTASK_SUMMARY_NOTES")?.unwrap_or_else(|| DEFAULT_SUMMARY_NOTES.to_owned());
    if summary_notes.chars().count() > MAX_SUMMARY_NOTES {
        return Err(err(
            "BT_AUTOTASK_SUMMARY_NOTES",
            format!("is too long: at most {MAX_SUMMARY_NOTES} characters"),
        ));
    }
    Ok(TimeEntryConfig {
        role_id,
        resource_domain,
        resource_id,
        summary_notes,
    })
}

/// Room left in `summaryNotes` (8,000 characters) for the session's marker.
pub const MAX_SUMMARY_NOTES: usize = 2_000;

/// Reads every write-back variable through `get` (the broker's lookup).
pub fn load(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<WritebackConfig, ConfigError> {
    let value = |key: &'static str| -> Result<Option<String>, ConfigError> {
        Ok(get(key)?
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty()))
    };
    let required = |key: &'static str, because: &str| required(&value, key, because);
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
    let switch = |key: &'static str| -> Result<bool, ConfigError> {
        match value(key)?.map(|v| v.to_ascii_lowercase()).as_deref() {
            None | Some("0" | "false" | "no" | "off") => Ok(false),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some(v) => Err(err(
                key,
                format!("'{v}' is neither on (1, true) nor off (0, false)"),
            )),
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
    let lease = number("BT_WRITEBACK_LEASE_SECONDS", DEFAULT_LEASE_SECONDS, 4, 3600)?;
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
            time_entries: match switch("BT_AUTOTASK_TIME_ENTRIES")? {
                false => None,
                true => Some(time_entries(&value, &number)?),
            },
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
    let salesforce = super::sinks::salesforce::config(&value, &sink_url)?;
    let agiloft = super::sinks::agiloft::config(&value, &sink_url)?;
    let config = WritebackConfig {
        outbound_token,
        state,
        poll_every: (poll > 0).then(|| Duration::from_secs(poll)),
        templates_dir,
        retry_for: Duration::from_secs(retry_hours * 3600),
        lease: Duration::from_secs(lease),
        zendesk,
        autotask,
        webhook,
        salesforce,
        agiloft,
    };
    if config.enabled() && !config.has_sink() {
        return Err(err(
            if config.outbound_token.is_some() { "BT_OUTBOUND_TOKEN" } else { "BT_POLL_SECONDS" },
            "the write-back is on but no sink is configured: set BT_ZENDESK_URL, BT_AUTOTASK_URL, BT_SALESFORCE_LOGIN_URL, BT_AGILOFT_URL or BT_WEBHOOK_URL (with their credentials)",
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
        let e = load_from(&[("BT_WRITEBACK_LEASE_SECONDS", "1")]).unwrap_err();
        assert_eq!(e.key, "BT_WRITEBACK_LEASE_SECONDS");
    }

    #[test]
    fn autotask_time_entries_are_off_by_default_and_need_a_role_and_a_resource() {
        let autotask = [
            ("BT_OUTBOUND_TOKEN", "0123456789abcdef"),
            (
                "BT_AUTOTASK_URL",
                "https://webservices5.autotask.net/ATServicesRest/V1.0",
            ),
            ("BT_AUTOTASK_USERNAME", "api@example.com"),
            ("BT_AUTOTASK_SECRET", "s"),
            ("BT_AUTOTASK_INTEGRATION_CODE", "c"),
        ];
        let with = |more: &[(&'static str, &'static str)]| {
            let mut all = autotask.to_vec();
            all.extend_from_slice(more);
            load_from(&all)
        };
        assert!(with(&[]).unwrap().autotask.unwrap().time_entries.is_none());
        let e = with(&[("BT_AUTOTASK_TIME_ENTRIES", "maybe")]).unwrap_err();
        assert_eq!(e.key, "BT_AUTOTASK_TIME_ENTRIES");
        let e = with(&[("BT_AUTOTASK_TIME_ENTRIES", "1")]).unwrap_err();
        assert_eq!(e.key, "BT_AUTOTASK_ROLE_ID");
        let e = with(&[
            ("BT_AUTOTASK_TIME_ENTRIES", "1"),
            ("BT_AUTOTASK_ROLE_ID", "29683"),
        ])
        .unwrap_err();
        assert_eq!(e.key, "BT_AUTOTASK_RESOURCE_DOMAIN");
        let e = with(&[
            ("BT_AUTOTASK_TIME_ENTRIES", "true"),
            ("BT_AUTOTASK_ROLE_ID", "29683"),
            ("BT_AUTOTASK_RESOURCE_DOMAIN", "not a domain"),
        ])
        .unwrap_err();
        assert_eq!(e.key, "BT_AUTOTASK_RESOURCE_DOMAIN");
        let t = with(&[
            ("BT_AUTOTASK_TIME_ENTRIES", "on"),
            ("BT_AUTOTASK_ROLE_ID", "29683"),
            ("BT_AUTOTASK_RESOURCE_DOMAIN", "@example.com"),
        ])
        .unwrap()
        .autotask
        .unwrap()
        .time_entries
        .unwrap();
        assert_eq!(
            (t.role_id, t.resource_domain.as_deref(), t.resource_id),
            (29683, Some("example.com"), None)
        );
        assert_eq!(t.summary_notes, DEFAULT_SUMMARY_NOTES);
    }
}
