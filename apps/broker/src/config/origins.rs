//! `BT_ALLOWED_ORIGINS`: the browser origins the broker answers (CORS) and
//! may be framed by (CSP `frame-ancestors`), exact or with a leading `*.`.

use super::{cfg_err, ConfigError};

/// An allowed browser origin: exact (`https://app.example.com`) or with a
/// leading `*.` label wildcard in the host (`https://*.zendesk.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    /// Host suffix after `*.` for wildcards, the whole host otherwise.
    host: String,
    wildcard: bool,
    port: Option<u16>,
    /// As configured, for the CSP `frame-ancestors` source list.
    source: String,
}

impl OriginPattern {
    /// `https://host[:port]`, `http://host[:port]`, `https://*.suffix`; a
    /// pattern without a scheme means `https`.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim().trim_end_matches('/');
        if value.is_empty() {
            return Err("empty origin".into());
        }
        let (scheme, rest) = match value.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("https".to_owned(), value),
        };
        if scheme != "https" && scheme != "http" {
            return Err(format!("origin '{value}': scheme must be https or http"));
        }
        if rest.contains(['/', '?', '#', '@']) {
            return Err(format!(
                "origin '{value}': give scheme://host[:port] only, no path"
            ));
        }
        let (host, port) = if rest.starts_with('[') {
            match rest.split_once(']') {
                Some((h, after)) => (&rest[..h.len() + 1], after.strip_prefix(':')),
                None => return Err(format!("origin '{value}': bad IPv6 address")),
            }
        } else {
            match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            }
        };
        let port = match port {
            None => None,
            Some(p) => Some(
                p.parse::<u16>()
                    .map_err(|_| format!("origin '{value}': bad port"))?,
            ),
        };
        let host = host.to_ascii_lowercase();
        let (wildcard, host) = match host.strip_prefix("*.") {
            Some(suffix) => (true, suffix.to_owned()),
            None => (false, host),
        };
        if host.is_empty() || host.contains('*') {
            return Err(format!(
                "origin '{value}': only a leading '*.' wildcard is allowed"
            ));
        }
        Ok(Self {
            source: format!(
                "{scheme}://{}{host}{}",
                if wildcard { "*." } else { "" },
                port.map(|p| format!(":{p}")).unwrap_or_default()
            ),
            scheme,
            host,
            wildcard,
            port,
        })
    }

    /// Does a browser `Origin` header value match? The value is parsed
    /// first ([`crate::cors::Origin::parse`]): anything but a bare
    /// `scheme://host[:port]` never matches.
    pub fn matches(&self, origin: &str) -> bool {
        crate::cors::Origin::parse(origin).is_some_and(|o| self.matches_origin(&o))
    }

    /// Does a parsed origin match? A wildcard stands for one or more whole
    /// DNS labels before the suffix.
    pub fn matches_origin(&self, origin: &crate::cors::Origin) -> bool {
        if origin.scheme != self.scheme {
            return false;
        }
        let default_port = if self.scheme == "https" { 443 } else { 80 };
        if origin.port.unwrap_or(default_port) != self.port.unwrap_or(default_port) {
            return false;
        }
        if self.wildcard {
            origin
                .host
                .strip_suffix(&self.host)
                .and_then(|labels| labels.strip_suffix('.'))
                .is_some_and(|labels| !labels.is_empty())
        } else {
            origin.host == self.host
        }
    }

    /// The pattern as a CSP source expression.
    pub fn csp_source(&self) -> &str {
        &self.source
    }
}

/// `host[:port]` → (host, port); `[v6]:port` keeps the brackets.
pub(crate) fn split_authority(rest: &str) -> (&str, Option<u16>) {
    if rest.starts_with('[') {
        if let Some((h, after)) = rest.split_once(']') {
            let port = after.strip_prefix(':').and_then(|p| p.parse().ok());
            return (&rest[..h.len() + 1], port);
        }
        return (rest, None);
    }
    match rest.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h, p.parse().ok()),
        _ => (rest, None),
    }
}

pub fn parse_origins(value: &str) -> Result<Vec<OriginPattern>, ConfigError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|o| OriginPattern::parse(o).map_err(|m| cfg_err("BT_ALLOWED_ORIGINS", m)))
        .collect()
}
