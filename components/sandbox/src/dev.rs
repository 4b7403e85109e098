//! The demo's dev-only broker routes, which `bt-broker --sandbox` merges
//! into its router (through `bt_broker::start_with`):
//!
//! - `GET /dev/host-token?sub=EMAIL`: a 10-minute HS256 host token for the
//!   dev host [`DEV_HOST`], so the demo pages can call the broker without
//!   holding its secret;
//! - `GET /apps/demo-settings.json` and, for the Halo demo page,
//!   `GET /apps/halo/config.json`: the widget settings an admin would give
//!   the demo's apps ([`demo_settings`]).
//!
//! They live in this crate, not in the broker, so that a broker built
//! without its `sandbox` feature cannot serve them.

use crate::state::{random_hex, unix_now};
use axum::extract::Query;
use axum::http::StatusCode;
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
            get(move |query: Query<TokenQuery>| host_token(host.clone(), query)),
        )
        .route("/apps/demo-settings.json", get(serve_settings.clone()))
        .route("/apps/halo/config.json", get(serve_settings))
}

#[derive(Deserialize)]
struct TokenQuery {
    sub: Option<String>,
}

async fn host_token(host: Arc<DevHost>, Query(q): Query<TokenQuery>) -> Response {
    let sub = q
        .sub
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SUBJECT.into());
    match mint(&host, sub, unix_now() as u64) {
        Ok(token) => Json(serde_json::json!({"token": token, "expires_in": TOKEN_LIFETIME_SECS}))
            .into_response(),
        // The broker's error shape and outcome label, as its own handlers give.
        Err(e) => {
            let mut r = (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(ErrorBody::new(
                    ErrorCode::Internal,
                    format!("Internal error: {e}"),
                )),
            )
                .into_response();
            r.extensions_mut().insert(ErrorCode::Internal);
            r
        }
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
    fn demo_settings_name_the_sandbox_without_its_scheme() {
        let s = demo_settings("http://127.0.0.1:4321/");
        assert_eq!(s["hostname"], "127.0.0.1:4321");
        assert_eq!(s["console"], "desktop");
    }
}
