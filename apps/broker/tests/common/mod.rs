//! Shared test harness: a sandbox appliance and a broker on loopback
//! (ephemeral ports), real HTTP, real JWTs.
#![allow(dead_code)]

use bt_broker::{Config, RunningBroker};
use bt_sandbox::{RunningSandbox, SandboxConfig, SandboxHandle};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::time::Duration;

pub const HOST: &str = "zendesk";
pub const HOST_SECRET: &str = "host-secret-0123456789abcdef-zendesk";
pub const OTHER_HOST: &str = "halo";
pub const OTHER_SECRET: &str = "host-secret-fedcba9876543210-halo";

pub struct Harness {
    pub sandbox: RunningSandbox,
    pub broker: RunningBroker,
    pub http: reqwest::Client,
}

/// A config pointing at `sandbox`, listening on an ephemeral port.
pub fn config_for(sandbox: &RunningSandbox) -> Config {
    let mut c = Config::new(&sandbox.url(), sandbox.client_id(), sandbox.client_secret())
        .unwrap()
        .with_host(HOST, HOST_SECRET)
        .with_host(OTHER_HOST, OTHER_SECRET);
    c.listen = "127.0.0.1:0".parse().unwrap();
    c.rate_limit = 10_000;
    c
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a sandbox, lets `tweak` adjust the broker config, starts the broker.
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        Self::start_with_routes(tweak, |_, _| axum::Router::new()).await
    }

    /// [`Harness::start_with`], the broker also serving the routes `extra`
    /// makes for this sandbox and config.
    pub async fn start_with_routes(
        tweak: impl FnOnce(&mut Config),
        extra: impl FnOnce(&RunningSandbox, &Config) -> axum::Router,
    ) -> Self {
        let sandbox = bt_sandbox::start(SandboxConfig::default())
            .await
            .expect("sandbox");
        let mut config = config_for(&sandbox);
        tweak(&mut config);
        let routes = extra(&sandbox, &config);
        let broker = bt_broker::start_with(config, routes).await.expect("broker");
        Self {
            sandbox,
            broker,
            http: client(),
        }
    }

    pub fn sb(&self) -> SandboxHandle {
        self.sandbox.handle()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.broker.url())
    }

    pub async fn post_key(&self, token: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url("/v1/session-keys"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

/// `GET url`, its body as JSON.
pub async fn get_json(http: &reqwest::Client, url: &str) -> Value {
    http.get(url)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("a JSON body")
}

/// `GET url`, its body as text.
pub async fn get_text(http: &reqwest::Client, url: &str) -> String {
    http.get(url)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("a text body")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub fn now() -> u64 {
    bt_broker::auth::now_unix()
}

pub fn claims(sub: &str) -> Value {
    let now = now();
    json!({"iss": HOST, "aud": "bt-broker", "sub": sub, "exp": now + 300, "iat": now})
}

pub fn sign(claims: &Value, secret: &str) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// A valid host token for `sub`.
pub fn token(sub: &str) -> String {
    sign(&claims(sub), HOST_SECRET)
}

pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no code>")
}

pub fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or("<no message>")
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The Zendesk installation the fixture keys stand for (`aud` of its tokens).
pub const ZENDESK_AUD: &str = "https://acme.zendesk.com/api/v2/apps/installations/42.json";

/// An RS256 token over `claims`, signed with the fixture private key `key`.
pub fn rs256(claims: &Value, key: &str) -> String {
    let key = EncodingKey::from_rsa_pem(fixture(key).as_bytes()).unwrap();
    encode(&Header::new(Algorithm::RS256), claims, &key).unwrap()
}

/// Valid Zendesk signed-URL claims for `sub`, issued now for five minutes.
pub fn zendesk_claims_for(sub: &str) -> Value {
    let now = now();
    json!({"iss": "acme.zendesk.com", "aud": ZENDESK_AUD, "sub": sub, "exp": now + 300, "iat": now})
}

/// The broker's Zendesk verifier configured for the fixture installation.
pub fn zendesk_config() -> bt_broker::config::ZendeskConfig {
    bt_broker::config::ZendeskConfig {
        public_key_pem: fixture("zendesk_test_public.pem"),
        audience: ZENDESK_AUD.into(),
        issuers: vec!["acme.zendesk.com".into()],
    }
}
