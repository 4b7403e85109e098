//! CORS allow-list (`BT_ALLOWED_ORIGINS`, `*.` wildcards).
//!
//! An `Origin` is parsed before it is compared ([`Origin::parse`]): only a
//! bare `scheme://host[:port]` whose host is DNS labels (or an IP address)
//! can match, so `https://evil.com/.zendesk.com`, `…#.zendesk.com`,
//! `https://x@evil.zendesk.com` or a port that is not a number never match a
//! `https://*.zendesk.com` pattern, however they end.
//!
//! A request without `Origin` (a server, curl) passes. A same-origin request
//! (Origin equals the request's own host) passes. An allowed origin gets
//! `Access-Control-Allow-Origin` echoed back, and its preflight is answered
//! here. Any other origin is refused with 403 `forbidden_origin`, preflight
//! included, so a misconfigured host sees why instead of an opaque CORS error.

use crate::error::ApiError;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
const ALLOW_HEADERS: &str = "authorization, content-type";
const MAX_AGE: &str = "600";

/// A browser origin: `scheme://host[:port]` and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`, lower case.
    pub scheme: String,
    /// Lower case; an IPv6 address keeps its brackets.
    pub host: String,
    pub port: Option<u16>,
}

impl Origin {
    /// `None` for anything a browser would not send as an `Origin`: another
    /// scheme, a path (even `/`), query, fragment, userinfo, a backslash, an
    /// empty label, a port that is not 1–5 digits.
    pub fn parse(value: &str) -> Option<Origin> {
        let (scheme, rest) = value.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return None;
        }
        let (host, port) = match rest.strip_prefix('[') {
            Some(v6) => {
                let (inner, after) = v6.split_once(']')?;
                inner.parse::<std::net::Ipv6Addr>().ok()?;
                (&rest[..inner.len() + 2], after)
            }
            None => {
                let host_end = rest.find(':').unwrap_or(rest.len());
                let host = &rest[..host_end];
                if host.is_empty() || host.len() > 253 || !host.split('.').all(dns_label) {
                    return None;
                }
                (host, &rest[host_end..])
            }
        };
        let port = match port {
            "" => None,
            p => {
                let digits = p.strip_prefix(':')?;
                if digits.is_empty()
                    || digits.len() > 5
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return None;
                }
                Some(digits.parse::<u16>().ok()?)
            }
        };
        Some(Origin {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

/// A DNS label (or a part of a dotted IPv4 address): letters, digits, `-`.
fn dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn same_origin(origin: &Origin, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let authority = match origin.port {
        Some(p) => format!("{}:{p}", origin.host),
        None => origin.host.clone(),
    };
    authority.eq_ignore_ascii_case(host)
}

pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(origin) = request.headers().get(header::ORIGIN).cloned() else {
        return next.run(request).await;
    };
    let origin_str = origin.to_str().unwrap_or("").to_owned();
    let parsed = Origin::parse(&origin_str);
    if parsed
        .as_ref()
        .is_some_and(|o| same_origin(o, request.headers()))
    {
        return next.run(request).await;
    }
    let allowed = parsed.as_ref().is_some_and(|o| {
        state
            .config
            .allowed_origins
            .iter()
            .any(|p| p.matches_origin(o))
    });
    if !allowed {
        tracing::info!(origin = %origin_str, "refused a request from an origin not in BT_ALLOWED_ORIGINS");
        return ApiError::ForbiddenOrigin(origin_str.chars().take(200).collect()).into_response();
    }
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
        r
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

#[cfg(test)]
mod tests {
    use super::Origin;

    #[test]
    fn only_bare_origins_parse() {
        let o = Origin::parse("https://Acme.Zendesk.com:8443").unwrap();
        assert_eq!(
            (o.scheme.as_str(), o.host.as_str(), o.port),
            ("https", "acme.zendesk.com", Some(8443))
        );
        assert_eq!(Origin::parse("http://[::1]:8080").unwrap().host, "[::1]");
        // The attack shapes are in tests/hardening_auth.rs; these are the rest.
        for bad in [
            "https://a.zendesk.com:",
            "https://a.zendesk.com:123456",
            "ftp://a.zendesk.com",
            "null",
            "https://[nope]",
            "https://a_b.zendesk.com",
        ] {
            assert_eq!(Origin::parse(bad), None, "{bad}");
        }
    }
}
