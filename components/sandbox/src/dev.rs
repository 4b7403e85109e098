//! The demo's dev-only broker routes, which `bt-broker --sandbox` merges
//! into its router (through `bt_broker::start_with`):
//!
//! - `GET /dev/host-token?sub=EMAIL`: a 10-minute HS256 host token for the
//!   dev host [`DEV_HOST`], so the demo pages can call the broker without
//!   holding its secret;
//! - `GET /apps/demo-settings.json` and, for the Halo demo page,
//!   `GET /apps/halo/config.json`: the widget settings an admin would give
//!   the demo's apps ([`demo_settings`]);
//! - `GET /dev/zendesk/tickets/{id}/comments.json`: the thread of a ticket
//!   in the Zendesk stand-in, for the demo's ticket page
//!   ([`ticket_thread_routes`]).
//!
//! They live in this crate, not in the broker, so that a broker built
//! without its `sandbox` feature cannot serve them.
//!
//! A token is minted only for a request whose `Host` is loopback
//! (`127.0.0.1`, `localhost`, `[::1]`, with or without the port): a page
//! on a DNS-rebound name (`evil.example` resolving to 127.0.0.1) sends its
//! own name as `Host` and as `Origin`, which passes the broker's
//! same-origin rule, so the Host is what tells the demo from an attacker.

use crate::state::{random_hex, unix_now};
use axum::extract::Query;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bt_core::wire::{ErrorBody, ErrorCode, HostClaims};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// The calling host the demo pages act as.
pub const DEV_HOST: &str = "demo";
/// Who a dev host token is for when the query names nobody.
pub const DEFAULT_SUBJECT: &str = "alice@example.com";
/// Lifetime of a dev host token, in seconds.
pub const TOKEN_LIFETIME_SECS: u64 = 600;

/// A fresh HS256 secret for [`DEV_HOST`]: 32 random bytes as 64 hex digits.
pub fn random_host_secret() -> String {
    random_hex(32)
}

/// Who the minted tokens claim to be: the broker must accept exactly this.
pub struct DevHost {
    /// The token's `iss`: a host id the broker has a secret for.
    pub id: String,
    /// That host's HS256 secret, as the broker has it.
    pub secret: String,
    /// The token's `aud`: the broker's `BT_AUDIENCE`.
    pub audience: String,
}

/// What an admin would configure for the demo: every Jump method on, the
/// sandbox's issues, Jumpoints and teams, and the sandbox as the appliance
/// (a loopback hostname, so links use http).
pub fn demo_settings(sandbox_url: &str) -> Value {
    let hostname = sandbox_url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    serde_json::json!({
        "hostname": hostname,
        "issues": "general_tech=General Technical Issues\nbilling=Billing",
        "jumpoints": "Network01\nHead Office",
        "teams": "1=Tier 1\n2=Tier 2",
        "allow_pinned_client": true,
        "allow_push_local": true,
        "allow_push_remote": true,
        "allow_rdp": true,
        "allow_remote_console": true,
        "allow_vpro": true,
        "allow_vnc": true,
        "allow_general_queue": true,
        "console": "desktop",
    })
}

/// The dev routes, stateless, ready to merge into the broker's router.
pub fn routes(host: DevHost, settings: Value) -> Router {
    let host = Arc::new(host);
    let settings = Arc::new(settings);
    let serve_settings = move || {
        let settings = settings.clone();
        async move { Json((*settings).clone()) }
    };
    Router::new()
        .route(
            "/dev/host-token",
            get(move |headers: HeaderMap, query: Query<TokenQuery>| {
                host_token(host.clone(), headers, query)
            }),
        )
        .route("/apps/demo-settings.json", get(serve_settings.clone()))
        .route("/apps/halo/config.json", get(serve_settings))
}

/// The demo ticket page's thread: the comments the write-back put in the
/// Zendesk stand-in, oldest first, as `{"comments": [{"id", "public",
/// "created_at", "plain_body"}]}` (fields of Zendesk's comment). Served by
/// the broker on the page's own origin, so the page holds no API token;
/// loopback `Host` only, like the dev host token.
pub fn ticket_thread_routes(zendesk: crate::zendesk_api::ZendeskHandle) -> Router {
    Router::new().route(
        "/dev/zendesk/tickets/{id}/comments.json",
        get(
            move |headers: HeaderMap, axum::extract::Path(id): axum::extract::Path<String>| {
                let zendesk = zendesk.clone();
                async move { ticket_thread(&zendesk, &headers, &id) }
            },
        ),
    )
}

fn ticket_thread(
    zendesk: &crate::zendesk_api::ZendeskHandle,
    headers: &HeaderMap,
    id: &str,
) -> Response {
    if let Some(refused) = loopback_only(headers, "The demo's ticket thread is served") {
        return refused;
    }
    let Ok(id) = id.parse::<u64>() else {
        return error(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidInput,
            "id: a Zendesk ticket id is a number".into(),
        );
    };
    let comments: Vec<Value> = zendesk
        .comments(id)
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "public": c.public,
                "created_at": crate::host_api::rfc3339(c.created_at),
                "plain_body": c.plain_body,
            })
        })
        .collect();
    let mut r = Json(serde_json::json!({ "comments": comments })).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("a header"));
    r
}

/// `GET /dev/salesforce/cases/{id}/sessions`: the demo Case's
/// `BeyondTrust_Session__c` records in the Salesforce stand-in (what its
/// related list shows), for the demo's Case page; loopback only.
pub fn case_sessions_routes(salesforce: crate::salesforce_api::SalesforceHandle) -> Router {
    Router::new().route(
        "/dev/salesforce/cases/{id}/sessions",
        get(
            move |headers: HeaderMap, axum::extract::Path(id): axum::extract::Path<String>| {
                let salesforce = salesforce.clone();
                async move {
                    if let Some(refused) =
                        loopback_only(&headers, "The demo's Case sessions are served")
                    {
                        return refused;
                    }
                    let records = salesforce.case_records(&id);
                    let mut r = Json(serde_json::json!({ "records": records })).into_response();
                    r.headers_mut()
                        .insert(header::CACHE_CONTROL, "no-store".parse().expect("a header"));
                    r
                }
            },
        ),
    )
}

#[derive(Deserialize)]
struct TokenQuery {
    sub: Option<String>,
}

/// `127.0.0.1`, `localhost` or `[::1]`, optionally with a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((inner, rest)) if rest.is_empty() || is_port(rest) => return inner == "::1",
            _ => return false,
        },
        None => match host.split_once(':') {
            Some((name, port)) if is_port(&format!(":{port}")) => name,
            Some(_) => return false,
            None => host,
        },
    };
    name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost")
}

fn is_port(p: &str) -> bool {
    p.strip_prefix(':')
        .is_some_and(|d| !d.is_empty() && d.len() <= 5 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The 403 for a request whose `Host` is not loopback (see the module
/// docs: DNS rebinding); `what` says what is refused, e.g. "Dev host
/// tokens are minted".
fn loopback_only(headers: &HeaderMap, what: &str) -> Option<Response> {
    let request_host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    (!is_loopback_host(request_host)).then(|| {
        error(
            StatusCode::FORBIDDEN,
            ErrorCode::ForbiddenOrigin,
            format!("{what} only for http://127.0.0.1, localhost or [::1]: open the demo at its loopback address"),
        )
    })
}

/// The broker's error shape and outcome label, as its own handlers give.
fn error(status: StatusCode, code: ErrorCode, message: String) -> Response {
    let mut r = (status, Json(ErrorBody::new(code, message))).into_response();
    r.extensions_mut().insert(code);
    r
}

async fn host_token(
    host: Arc<DevHost>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    if let Some(refused) = loopback_only(&headers, "Dev host tokens are minted") {
        return refused;
    }
    let sub = q
        .sub
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SUBJECT.into());
    match mint(&host, sub, unix_now() as u64) {
        Ok(token) => Json(serde_json::json!({"token": token, "expires_in": TOKEN_LIFETIME_SECS}))
            .into_response(),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            format!("Internal error: {e}"),
        ),
    }
}

/// An HS256 host token for `sub`, issued at `now` (UNIX seconds).
pub fn mint(host: &DevHost, sub: String, now: u64) -> Result<String, jsonwebtoken::errors::Error> {
    let claims = HostClaims {
        iss: host.id.clone(),
        aud: host.audience.clone(),
        sub,
        exp: now + TOKEN_LIFETIME_SECS,
        iat: now,
    };
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(host.secret.as_bytes()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_carry_the_dev_host_and_expire_in_ten_minutes() {
        let host = DevHost {
            id: DEV_HOST.into(),
            secret: random_host_secret(),
            audience: "bt-broker".into(),
        };
        assert_eq!(host.secret.len(), 64);
        let token = mint(&host, "carol@example.com".into(), 1_000).unwrap();
        let mut check = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        check.set_audience(&["bt-broker"]);
        check.validate_exp = false;
        let claims = jsonwebtoken::decode::<HostClaims>(
            &token,
            &jsonwebtoken::DecodingKey::from_secret(host.secret.as_bytes()),
            &check,
        )
        .unwrap()
        .claims;
        assert_eq!(
            (
                claims.iss.as_str(),
                claims.sub.as_str(),
                claims.iat,
                claims.exp
            ),
            ("demo", "carol@example.com", 1_000, 1_600)
        );
    }

    #[test]
    fn only_loopback_hosts() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost:1",
            "LOCALHOST",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "127.0.0.1.evil.example",
            "127.0.0.1:80x",
            "[::2]:80",
            "",
            "localhost:",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn demo_settings_name_the_sandbox_without_its_scheme() {
        let s = demo_settings("http://127.0.0.1:4321/");
        assert_eq!(s["hostname"], "127.0.0.1:4321");
        assert_eq!(s["console"], "desktop");
    }
}
