//! Shared by the write-back tests: the sandbox appliance, the Zendesk and
//! Autotask stand-ins and a broker on loopback; outbound events posted as
//! the appliance posts them; a real PostgreSQL server in a temp dir.
#![allow(dead_code)]

use bt_broker::config::Secret;
use bt_broker::writeback::config::{
    AutotaskSinkConfig, TimeEntryConfig, WebhookSinkConfig, WritebackConfig, ZendeskSinkConfig,
};
use bt_broker::{Config, RunningBroker};
use bt_sandbox::autotask_api::{AutotaskConfig, RunningAutotask};
use bt_sandbox::zendesk_api::{RunningZendesk, ZendeskConfig};
use bt_sandbox::{RunningSandbox, SandboxConfig};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "outbound-token-0123456789abcdef";
pub const HOST_SECRET: &str = "host-secret-0123456789abcdef-zendesk";
pub const BIN: &str = env!("CARGO_BIN_EXE_bt-broker");

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "bt-wb-{name}-{}-{:x}",
            std::process::id(),
            bt_broker::writeback::random_u64()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn sqlite(&self) -> String {
        format!("sqlite:{}", self.0.join("state.db").display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the write-back tests run against.
pub struct Hosts {
    pub sandbox: RunningSandbox,
    pub zendesk: RunningZendesk,
    pub autotask: Option<RunningAutotask>,
}

impl Hosts {
    pub async fn start(with_autotask: bool) -> Self {
        let sandbox = bt_sandbox::start(SandboxConfig::default()).await.unwrap();
        let zendesk = bt_sandbox::zendesk_api::start(ZendeskConfig::default())
            .await
            .unwrap();
        let autotask = match with_autotask {
            true => Some(
                bt_sandbox::autotask_api::start(AutotaskConfig::default())
                    .await
                    .unwrap(),
            ),
            false => None,
        };
        Self {
            sandbox,
            zendesk,
            autotask,
        }
    }

    /// The write-back settings for these hosts on `state`.
    pub fn writeback(&self, state: &str) -> WritebackConfig {
        let z = ZendeskConfig::default();
        let a = AutotaskConfig::default();
        WritebackConfig {
            outbound_token: Some(Secret::new(TOKEN)),
            state: state.to_owned(),
            zendesk: Some(ZendeskSinkConfig {
                url: self.zendesk.url(),
                email: z.email,
                api_token: Secret::new(z.api_token),
            }),
            autotask: self.autotask.as_ref().map(|at| AutotaskSinkConfig {
                url: at.url(),
                username: a.username,
                secret: Secret::new(a.secret),
                integration_code: Secret::new(a.integration_code),
                note_type: 1,
                publish: 0,
                time_entries: None,
            }),
            ..WritebackConfig::default()
        }
    }

    /// The same as environment variables, for the `bt-broker` binary.
    pub fn env(&self, state: &str, listen: &str) -> Vec<(String, String)> {
        let z = ZendeskConfig::default();
        let mut env = vec![
            ("BT_APPLIANCE_URL", self.sandbox.url()),
            ("BT_CLIENT_ID", self.sandbox.client_id().to_owned()),
            ("BT_CLIENT_SECRET", self.sandbox.client_secret().to_owned()),
            ("BT_HOST_SECRETS", format!("demo={HOST_SECRET}")),
            ("BT_LISTEN", listen.to_owned()),
            ("BT_OUTBOUND_TOKEN", TOKEN.to_owned()),
            ("BT_STATE", state.to_owned()),
            ("BT_ZENDESK_URL", self.zendesk.url()),
            ("BT_ZENDESK_EMAIL", z.email),
            ("BT_ZENDESK_API_TOKEN", z.api_token),
            ("BT_REQUEST_TIMEOUT_MS", "3000".to_owned()),
            ("BT_LOG", "info".to_owned()),
        ];
        env.retain(|(_, v)| !v.is_empty());
        env.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    /// A broker in this process with `tweak`ed write-back settings.
    pub async fn broker(&self, state: &str, tweak: impl FnOnce(&mut Config)) -> RunningBroker {
        let mut c = Config::new(
            &self.sandbox.url(),
            self.sandbox.client_id(),
            self.sandbox.client_secret(),
        )
        .unwrap()
        .with_host("demo", HOST_SECRET);
        c.listen = "127.0.0.1:0".parse().unwrap();
        c.request_timeout = Duration::from_secs(3);
        c.writeback = self.writeback(state);
        tweak(&mut c);
        bt_broker::start(c).await.expect("broker")
    }
}

/// The stand-in's time entry settings: role 29683, reps found by their
/// username @ example.com (alice@example.com is a resource there).
pub fn time_entries() -> TimeEntryConfig {
    TimeEntryConfig {
        role_id: 29683,
        resource_domain: Some("example.com".into()),
        resource_id: None,
        summary_notes: "Remote support session".into(),
    }
}

/// Turns the Autotask time entries on (for tweak closures).
pub fn with_time_entries(c: &mut Config) {
    c.writeback
        .autotask
        .as_mut()
        .expect("the Autotask sink")
        .time_entries = Some(time_entries());
}

/// Webhook settings (for tweak closures).
pub fn webhook(url: &str) -> WebhookSinkConfig {
    WebhookSinkConfig {
        url: url.to_owned(),
        secret: Secret::new("webhook-secret-0123456789"),
    }
}

/// POSTs an outbound event the way the appliance does; the HTTP status.
pub async fn post_event(broker: &str, token: &str, fields: &[(&str, &str)]) -> u16 {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    reqwest::Client::new()
        .post(format!(
            "{broker}/v1/outbound-events?outbound_event_token={token}"
        ))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

pub fn end_event<'a>(lsid: &'a str, key: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("event", "support_conference_end"),
        ("version", "3"),
        ("timestamp", "1733240467"),
        ("appliance_id", "sandbox"),
        ("lsid", lsid),
        ("external_key", key),
    ]
}

pub fn survey_event<'a>(lsid: &'a str, key: &'a str) -> Vec<(&'static str, &'a str)> {
    let mut f = end_event(lsid, key);
    f[0].1 = "support_conference_customer_exit_survey_completed";
    f
}

/// Waits until `check` holds (polling), or panics with `what`.
pub async fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        if started.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `bt-broker writeback ARGS` on `state`; (exit code, stdout, stderr).
pub fn writeback_cli(state: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .arg("writeback")
        .args(args)
        .env("BT_STATE", state)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The real `bt-broker` binary on `state`, logging to `log`; SIGKILLed on
/// drop whatever the test did.
pub struct Broker(pub Child, pub String);

impl Broker {
    /// Starts it with [`Hosts::env`] and `extra` variables; waits for `/healthz`.
    pub async fn start(hosts: &Hosts, state: &str, log: &Path, extra: &[(&str, &str)]) -> Self {
        let listen = format!("127.0.0.1:{}", free_port());
        let out = || {
            Stdio::from(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(log)
                    .unwrap(),
            )
        };
        let child = Command::new(BIN)
            .envs(hosts.env(state, &listen))
            .envs(extra.iter().copied())
            .stdout(out())
            .stderr(out())
            .spawn()
            .unwrap();
        let b = Broker(child, format!("http://{listen}"));
        for _ in 0..200 {
            if reqwest::get(format!("{}/healthz", b.1))
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return b;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "bt-broker did not come up: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill9(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A free loopback port (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real PostgreSQL server for the test (stopped on drop).
#[allow(unused_imports)]
pub use bt_sandbox::postgres::TempPostgres as Postgres;
