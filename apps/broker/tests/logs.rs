//! No secret in the logs: every log line of a busy run (trace level, all
//! targets) is captured and searched for the client secret, the host secrets,
//! the bearer tokens and the appliance access tokens.
//!
//! Its own test binary, because it installs the process-wide subscriber.

mod common;

use base64::Engine;
use bt_sandbox::SandboxConfig;
use common::*;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test]
async fn no_secret_reaches_the_logs() {
    let capture = Capture::default();
    tracing_subscriber::fmt()
        .json()
        .with_writer(capture.clone())
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .init();

    let h = Harness::start().await;
    let alice = token("alice@example.com");
    let mut bearers = vec![alice.clone()];

    // Success, auth failures, appliance errors, a refetch after revocation.
    assert_eq!(
        h.post_key(&alice, json!({"external_key": "4711"})).await.0,
        200
    );
    assert_eq!(
        h.post_key(&token("bob@example.com"), json!({})).await.0,
        409
    );
    let bad = sign(
        &claims("alice@example.com"),
        "wrong-secret-0123456789abcdef",
    );
    bearers.push(bad.clone());
    assert_eq!(h.post_key(&bad, json!({})).await.0, 401);
    h.sb().revoke_all_tokens();
    assert_eq!(h.get(&alice, "/v1/sessions?external_key=4711").await.0, 200);
    assert_eq!(h.get(&alice, "/v1/reps/me").await.0, 200);
    h.sb().set_fail_status(Some(500));
    assert_eq!(h.post_key(&alice, json!({})).await.0, 502);
    h.sb().set_fail_status(None);

    // A broker with the wrong client secret (its secret must not leak either).
    let sb2 = bt_sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut c = config_for(&sb2);
    let wrong_secret = "wrong-client-secret-9f8e7d6c5b4a";
    c.client_secret = bt_broker::Secret::new(wrong_secret);
    let b2 = bt_broker::start(c).await.unwrap();
    let r = client()
        .post(format!("{}/v1/session-keys", b2.url()))
        .bearer_auth(&alice)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 502);

    let appliance_tokens = h.sb().token_history();
    h.broker.shutdown().await;
    b2.shutdown().await;

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture works: it saw the events we expect.
    for expected in [
        "fetched an appliance access token",
        "the appliance refused the access token",
        "appliance token request failed",
        "\"status\":401",
        "[redacted]",
    ] {
        assert!(
            logs.contains(expected),
            "expected {expected:?} in the captured logs"
        );
    }
    assert_eq!(appliance_tokens.len(), 2);
    let basic = |id: &str, secret: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    };
    let mut secrets: Vec<(String, String)> = vec![
        ("client secret".into(), h.sandbox.client_secret().into()),
        (
            "Basic credentials".into(),
            basic(h.sandbox.client_id(), h.sandbox.client_secret()),
        ),
        ("wrong client secret".into(), wrong_secret.into()),
        ("host secret".into(), HOST_SECRET.into()),
        ("other host secret".into(), OTHER_SECRET.into()),
    ];
    for b in &bearers {
        secrets.push(("bearer token".into(), b.clone()));
        // Nor its signature alone.
        secrets.push((
            "bearer signature".into(),
            b.rsplit('.').next().unwrap().to_owned(),
        ));
    }
    for t in appliance_tokens {
        secrets.push(("appliance access token".into(), t));
    }
    for (what, secret) in secrets {
        assert!(!logs.contains(&secret), "the {what} appears in the logs");
    }
}
