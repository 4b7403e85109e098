//! `bt-broker`: the token-brokering backend (its HTTP contract is in
//! `docs/broker-api.md`).
//!
//! The broker holds the appliance's OAuth client secret, verifies who is
//! calling (HS256 host tokens, optionally Zendesk RS256 signed-URL tokens),
//! and turns their requests into Command/Reporting API calls with one shared
//! appliance token.
//!
//! The library knows nothing of the demo. [`start_with`] / [`router_with`]
//! merge extra routes into the API (with its CORS, metrics and body-limit
//! layers, ahead of the static files); the `bt-broker` binary built with the
//! `sandbox` feature uses them to add the `bt-sandbox` crate's dev routes
//! for `--sandbox`. A production build has neither.
//!
//! In-process use (tests; `bt-sandbox` is a dev-dependency):
//! ```no_run
//! # async fn demo() {
//! let sandbox = bt_sandbox::start(bt_sandbox::SandboxConfig::default()).await.unwrap();
//! let mut config = bt_broker::Config::new(&sandbox.url(), sandbox.client_id(), sandbox.client_secret())
//!     .unwrap()
//!     .with_host("demo", "0123456789abcdef0123456789abcdef");
//! config.listen = "127.0.0.1:0".parse().unwrap();
//! let broker = bt_broker::start(config).await.unwrap();
//! println!("broker at {}", broker.url());
//! # }
//! ```

pub mod appliance;
pub mod auth;
pub mod config;
pub mod cors;
pub mod error;
pub mod handlers;
pub mod mapping;
pub mod metrics;
pub mod ratelimit;
pub mod server;
pub mod signed_url;
pub mod static_files;
pub mod writeback;
pub mod zendesk_identity;

pub use config::{Config, Secret};
pub use error::ApiError;
pub use server::{
    router, router_with, serve, start, start_with, AppState, RunningBroker, StartError,
};
