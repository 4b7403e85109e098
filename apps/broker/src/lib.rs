//! `bt-broker`: the token-brokering backend (CONTRACTS.md §3).
//!
//! The broker holds the appliance's OAuth client secret, verifies who is
//! calling (HS256 host tokens, optionally Zendesk RS256 signed-URL tokens),
//! and turns their requests into Command/Reporting API calls with one shared
//! appliance token. [`sandbox`] is an embedded fake appliance for demos and
//! tests.
//!
//! In-process use (tests, demo):
//! ```no_run
//! # async fn demo() {
//! let sandbox = bt_broker::sandbox::start(bt_broker::sandbox::SandboxConfig::default()).await.unwrap();
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
pub mod sandbox;
pub mod server;
pub mod static_files;

pub use config::{Config, Secret};
pub use error::ApiError;
pub use server::{router, serve, start, AppState, RunningBroker, StartError};
