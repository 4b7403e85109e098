//! `bt-broker --sandbox` (feature `sandbox`): starts the stand-in appliance,
//! points the broker at it through the normal configuration path, adds the
//! dev host `demo` and the dev routes, and prints what a developer needs.
//!
//! The sandbox decides the appliance (`BT_APPLIANCE_URL`, `BT_CLIENT_ID`,
//! `BT_CLIENT_SECRET`) and the calling hosts (`BT_HOST_SECRETS` = the dev
//! host only); everything else comes from the environment and `--config` as
//! in a normal start.

use bt_broker::config::Config;
use bt_sandbox::dev::{self, DevHost, DEV_HOST};
use bt_sandbox::{RunningSandbox, SandboxConfig};
use std::collections::BTreeMap;

pub struct SandboxMode {
    sandbox: RunningSandbox,
    host_secret: String,
}

impl SandboxMode {
    pub async fn start() -> Result<Self, String> {
        let sandbox = bt_sandbox::start(SandboxConfig::default())
            .await
            .map_err(|e| format!("cannot start the sandbox appliance: {e}"))?;
        Ok(Self {
            sandbox,
            host_secret: dev::random_host_secret(),
        })
    }

    /// The keys the sandbox decides, for [`Config::load_overriding`].
    pub fn config_overrides(&self) -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("BT_APPLIANCE_URL", self.sandbox.url()),
            ("BT_CLIENT_ID", self.sandbox.client_id().to_owned()),
            ("BT_CLIENT_SECRET", self.sandbox.client_secret().to_owned()),
            (
                "BT_HOST_SECRETS",
                format!("{DEV_HOST}={}", self.host_secret),
            ),
        ])
    }

    /// The banner before the broker starts: the sandbox and the dev host.
    pub fn announce(&self, config: &Config) {
        println!("bt-broker sandbox mode");
        println!("  sandbox appliance : {}", self.sandbox.url());
        println!(
            "  dev host          : iss={DEV_HOST}, aud={}, HS256 secret {}",
            config.audience, self.host_secret
        );
        println!("  seeded reps       : alice (logged in), bob (logged out), carol (logged in)");
    }

    /// `/dev/host-token` and the demo settings, minting tokens the broker
    /// configured by `config` accepts.
    pub fn routes(&self, config: &Config) -> Result<axum::Router, String> {
        let secret = config
            .host_secrets
            .get(DEV_HOST)
            .ok_or("the dev host has no secret")?;
        let host = DevHost {
            id: DEV_HOST.to_owned(),
            secret: secret.expose().to_owned(),
            audience: config.audience.clone(),
        };
        Ok(dev::routes(host, dev::demo_settings(&self.sandbox.url())))
    }

    /// The banner once the broker listens at `url`.
    pub fn announce_broker(&self, url: &str) {
        println!("  broker            : {url}");
        println!("  demo host token   : {url}/dev/host-token?sub=alice@example.com");
    }
}
