//! `bt-broker --sandbox` as a user runs it: prints the dev host secret,
//! serves, and stops cleanly on SIGTERM, on its default single event loop
//! and on several worker threads; a bad `BT_WORKER_THREADS` is refused.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn sandbox_mode_serves_and_stops_on_sigterm() {
    serve_and_stop(None).await;
}

#[tokio::test]
async fn sandbox_mode_serves_on_several_worker_threads() {
    serve_and_stop(Some("3")).await;
}

#[test]
fn a_bad_worker_thread_count_is_refused_with_the_variable_named() {
    for bad in ["0", "many", "257"] {
        let out = Command::new(env!("CARGO_BIN_EXE_bt-broker"))
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

async fn serve_and_stop(worker_threads: Option<&str>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bt-broker"));
    cmd.env_remove("BT_WORKER_THREADS");
    if let Some(n) = worker_threads {
        cmd.env("BT_WORKER_THREADS", n);
    }
    let mut child = cmd
        .args(["--sandbox", "--port", "0"])
        .env("BT_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let (mut secret, mut url) = (None, None);
    while secret.is_none() || url.is_none() {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("bt-broker --sandbox printed its banner");
        if let Some(rest) = line.split("HS256 secret ").nth(1) {
            secret = Some(rest.trim().to_owned());
        }
        if let Some(rest) = line.strip_prefix("  broker            : ") {
            url = Some(rest.trim().to_owned());
        }
    }
    let (secret, url) = (secret.unwrap(), url.unwrap());
    assert_eq!(secret.len(), 64);
    let now = bt_broker::auth::now_unix();
    let token = encode(&Header::new(Algorithm::HS256), &json!({"iss": "demo", "aud": "bt-broker", "sub": "alice@example.com", "exp": now + 300, "iat": now}), &EncodingKey::from_secret(secret.as_bytes())).unwrap();
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{url}/v1/session-keys"))
        .bearer_auth(&token)
        .json(&json!({"external_key": "4711"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["short_key"].as_str().unwrap().len(), 7);
    // The dev token endpoint mints demo host tokens.
    let dev: Value = http
        .get(format!("{url}/dev/host-token?sub=carol@example.com"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
