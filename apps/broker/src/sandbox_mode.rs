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
    /// The Zendesk stand-in the demo's write-back writes its notes into.
    zendesk: bt_sandbox::zendesk_api::RunningZendesk,
    /// The Salesforce stand-in the write-back upserts the demo Case's
    /// BeyondTrust Session records into.
    salesforce: bt_sandbox::salesforce_api::RunningSalesforce,
    outbound_token: String,
}

impl SandboxMode {
    pub async fn start() -> Result<Self, String> {
        let sandbox = bt_sandbox::start(SandboxConfig::default())
            .await
            .map_err(|e| format!("cannot start the sandbox appliance: {e}"))?;
        let zendesk = bt_sandbox::zendesk_api::start(Default::default())
            .await
            .map_err(|e| format!("cannot start the Zendesk stand-in: {e}"))?;
        let salesforce = bt_sandbox::salesforce_api::start(Default::default())
            .await
            .map_err(|e| format!("cannot start the Salesforce stand-in: {e}"))?;
        Ok(Self {
            sandbox,
            host_secret: dev::random_host_secret(),
            zendesk,
            salesforce,
            outbound_token: dev::random_host_secret(),
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
            // The write-back, end to end: the sandbox appliance posts its
            // outbound events to the broker, which writes into the stand-in.
            ("BT_OUTBOUND_TOKEN", self.outbound_token.clone()),
            ("BT_ZENDESK_URL", self.zendesk.url()),
            ("BT_ZENDESK_EMAIL", zendesk_defaults().email),
            ("BT_ZENDESK_API_TOKEN", zendesk_defaults().api_token),
            // A Case's sessions become records (a ticket number's, notes).
            ("BT_SALESFORCE_LOGIN_URL", self.salesforce.url()),
            ("BT_SALESFORCE_CLIENT_ID", salesforce_defaults().client_id),
            (
                "BT_SALESFORCE_USERNAME",
                salesforce_defaults().usernames[0].clone(),
            ),
            (
                "BT_SALESFORCE_PRIVATE_KEY",
                bt_sandbox::salesforce_api::DEV_PRIVATE_KEY.to_owned(),
            ),
            (
                "BT_STATE",
                std::env::var("BT_STATE").unwrap_or_else(|_| {
                    let file = std::env::temp_dir()
                        .join(format!("bt-broker-sandbox-{}.db", std::process::id()));
                    format!("sqlite:{}", file.display())
                }),
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
    /// configured by `config` accepts; the demo ticket's thread.
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
        Ok(dev::routes(host, dev::demo_settings(&self.sandbox.url()))
            // The demo's Zendesk ticket page shows the stand-in's thread.
            .merge(dev::ticket_thread_routes(self.zendesk.handle()))
            // The demo's Case page lists the stand-in's session records.
            .merge(dev::case_sessions_routes(self.salesforce.handle())))
    }

    /// The banner once the broker listens at `url`.
    pub fn announce_broker(&self, url: &str) {
        println!("  broker            : {url}");
        println!("  demo host token   : {url}/dev/host-token?sub=alice@example.com");
        self.sandbox.handle().set_outbound_recipient(&format!(
            "{url}/v1/outbound-events?outbound_event_token={}",
            self.outbound_token
        ));
        println!(
            "  end a demo session: curl -X POST '{}/__sandbox/end-session?external_key=4711'",
            self.sandbox.url()
        );
        println!(
            "  the ticket's notes: {}/agent/tickets/4711 (Zendesk stand-in)",
            self.zendesk.url()
        );
        println!(
            "  a Case's session  : curl -X POST '{}/__sandbox/end-session?external_key={}' (its record: /demo/salesforce/)",
            self.sandbox.url(),
            bt_sandbox::salesforce_api::DEMO_CASE
        );
    }
}

fn salesforce_defaults() -> bt_sandbox::salesforce_api::SalesforceConfig {
    bt_sandbox::salesforce_api::SalesforceConfig::default()
}

fn zendesk_defaults() -> bt_sandbox::zendesk_api::ZendeskConfig {
    bt_sandbox::zendesk_api::ZendeskConfig::default()
}
