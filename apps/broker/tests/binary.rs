//! `bt-broker` as a user runs it: serves, and stops cleanly on SIGTERM, on
//! its default single event loop and on several worker threads; a bad
//! `BT_WORKER_THREADS` is refused.
//!
//! `cargo test` builds the binary without the `sandbox` feature, as a
//! production build is: then `--sandbox` is refused and no sandbox code is
//! in the binary. Under `--features sandbox` the same tests assert the
//! opposite, and `--sandbox` prints its banner and serves the dev routes.

mod common;

use common::sign;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_bt-broker");

#[test]
fn a_bad_worker_thread_count_is_refused_with_the_variable_named() {
    for bad in ["0", "many", "257"] {
        let out = Command::new(BIN)
            .args(["--sandbox", "--port", "0"])
            .env("BT_WORKER_THREADS", bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "BT_WORKER_THREADS={bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("BT_WORKER_THREADS") && err.contains("from 1 to 256") && err.contains(bad),
            "{err}"
        );
    }
}

/// Strings only the sandbox and its dev routes put into a binary.
const SANDBOX_ONLY: [&str; 2] = ["/__sandbox/stats", "/dev/host-token"];

#[test]
fn only_a_sandbox_build_contains_the_sandbox() {
    let bytes = std::fs::read(BIN).unwrap();
    for needle in SANDBOX_ONLY {
        let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert_eq!(
            found,
            cfg!(feature = "sandbox"),
            "{needle:?} in {BIN} (feature sandbox: {})",
            cfg!(feature = "sandbox")
        );
    }
}

#[cfg(not(feature = "sandbox"))]
#[test]
fn without_the_feature_sandbox_mode_is_refused_with_how_to_get_it() {
    let out = Command::new(BIN)
        .args(["--sandbox", "--port", "0"])
        .env_remove("BT_WORKER_THREADS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("this build has no sandbox")
            && err.contains("cargo build -p bt-broker --features sandbox")
            && err.contains("cargo xtask demo"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing served, nothing announced");
}

/// Every `BT_*` set by the caller of the tests is dropped, so the child
/// sees only what a test gives it.
fn broker_command(worker_threads: Option<&str>) -> Command {
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("BT_") {
            cmd.env_remove(k);
        }
    }
    if let Some(n) = worker_threads {
        cmd.env("BT_WORKER_THREADS", n);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    cmd
}

/// Starts `cmd` and hands over its stdout line by line.
fn spawn(mut cmd: Command) -> (Child, Receiver<String>) {
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

fn next_line(lines: &Receiver<String>) -> String {
    lines
        .recv_timeout(Duration::from_secs(20))
        .expect("bt-broker printed what it listens on")
}

fn host_token(iss: &str, sub: &str, secret: &str) -> String {
    let now = common::now();
    sign(
        &json!({"iss": iss, "aud": "bt-broker", "sub": sub, "exp": now + 300, "iat": now}),
        secret,
    )
}

async fn a_key_is_served(url: &str, token: &str) {
    let r = reqwest::Client::new()
        .post(format!("{url}/v1/session-keys"))
        .bearer_auth(token)
        .json(&json!({"external_key": "4711"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["short_key"].as_str().unwrap().len(), 7);
}

async fn stops_on_sigterm(mut child: Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut exited = None;
    for _ in 0..100 {
        if let Some(s) = child.try_wait().unwrap() {
            exited = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let exited = exited.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("bt-broker did not stop within 5 s of SIGTERM")
    });
    assert!(exited.success(), "graceful exit, got {exited:?}");
}

#[cfg(not(feature = "sandbox"))]
mod production {
    use super::*;

    const SECRET: &str = "host-secret-0123456789abcdef-zendesk";

    #[tokio::test]
    async fn serves_and_stops_on_sigterm() {
        serve_and_stop(None).await;
    }

    #[tokio::test]
    async fn serves_on_several_worker_threads() {
        serve_and_stop(Some("3")).await;
    }

    /// Configured from the environment only, against a sandbox appliance in
    /// this process; the address comes from the `bt-broker listening` log.
    async fn serve_and_stop(worker_threads: Option<&str>) {
        let sandbox = bt_sandbox::start(bt_sandbox::SandboxConfig::default())
            .await
            .unwrap();
        let mut cmd = broker_command(worker_threads);
        cmd.args(["--port", "0"])
            .env("BT_LOG", "info")
            .env("BT_APPLIANCE_URL", sandbox.url())
            .env("BT_CLIENT_ID", sandbox.client_id())
            .env("BT_CLIENT_SECRET", sandbox.client_secret())
            .env("BT_HOST_SECRETS", format!("zendesk={SECRET}"));
        let (child, lines) = spawn(cmd);
        let url = loop {
            let line = next_line(&lines);
            let Ok(log) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if log["fields"]["message"] == "bt-broker listening" {
                break log["fields"]["url"].as_str().unwrap().to_owned();
            }
        };
        a_key_is_served(&url, &host_token("zendesk", "alice@example.com", SECRET)).await;
        let dev = reqwest::get(format!("{url}/dev/host-token")).await.unwrap();
        assert_eq!(dev.status(), 404, "no dev route in a production build");
        stops_on_sigterm(child).await;
    }
}

#[cfg(feature = "sandbox")]
mod sandbox_mode {
    use super::*;

    #[tokio::test]
    async fn sandbox_mode_serves_and_stops_on_sigterm() {
        serve_and_stop(None).await;
    }

    #[tokio::test]
    async fn sandbox_mode_serves_on_several_worker_threads() {
        serve_and_stop(Some("3")).await;
    }

    /// Prints the dev host secret and both addresses, serves keys, dev host
    /// tokens and the demo settings.
    async fn serve_and_stop(worker_threads: Option<&str>) {
        let mut cmd = broker_command(worker_threads);
        cmd.args(["--sandbox", "--port", "0"]).env("BT_LOG", "warn");
        let (child, lines) = spawn(cmd);
        let (mut secret, mut url, mut appliance) = (None, None, None);
        while secret.is_none() || url.is_none() || appliance.is_none() {
            let line = next_line(&lines);
            if let Some(rest) = line.split("HS256 secret ").nth(1) {
                secret = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.strip_prefix("  broker            : ") {
                url = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.strip_prefix("  sandbox appliance : ") {
                appliance = Some(rest.trim().to_owned());
            }
        }
        let (secret, url, appliance) = (secret.unwrap(), url.unwrap(), appliance.unwrap());
        assert_eq!(secret.len(), 64);
        a_key_is_served(&url, &host_token("demo", "alice@example.com", &secret)).await;

        let http = reqwest::Client::new();
        let dev = common::get_json(
            &http,
            &format!("{url}/dev/host-token?sub=carol@example.com"),
        )
        .await;
        assert_eq!(dev["expires_in"], 600);
        let r = http
            .get(format!("{url}/v1/reps/me"))
            .bearer_auth(dev["token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"logged_in": true, "display_name": "Carol"})
        );
        for path in ["/apps/demo-settings.json", "/apps/halo/config.json"] {
            let settings = common::get_json(&http, &format!("{url}{path}")).await;
            assert_eq!(
                settings["hostname"].as_str(),
                appliance.strip_prefix("http://"),
                "{path}"
            );
        }
        stops_on_sigterm(child).await;
    }
}

/// `cargo metadata` for the workspace, with `features` requested.
fn resolve(features: &[&str]) -> Value {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml");
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
            manifest,
        ])
        .args(features.iter().flat_map(|f| ["--features", f]))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The kinds (`normal`, `dev`, `build`) by which package `from` depends on
/// the package named `to`.
fn dependency_kinds(metadata: &Value, from: &str, to: &str) -> Vec<String> {
    let id_of = |name: &str| {
        metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["id"].clone())
            .unwrap_or_else(|| panic!("no package {name}"))
    };
    let (from, to) = (id_of(from), id_of(to));
    let node = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == from)
        .unwrap();
    node["deps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["pkg"] == to)
        .flat_map(|d| d["dep_kinds"].as_array().unwrap().clone())
        .map(|k| k["kind"].as_str().unwrap_or("normal").to_owned())
        .collect()
}

#[test]
fn the_broker_depends_on_the_sandbox_only_for_tests_or_with_the_feature() {
    let default = resolve(&[]);
    assert_eq!(
        dependency_kinds(&default, "bt-broker", "bt-sandbox"),
        ["dev"]
    );
    assert!(dependency_kinds(&default, "bt-sandbox", "bt-broker").is_empty());
    let mut with_feature =
        dependency_kinds(&resolve(&["bt-broker/sandbox"]), "bt-broker", "bt-sandbox");
    with_feature.sort();
    assert_eq!(with_feature, ["dev", "normal"]);
}
