//! The broker's HTTP surface against what an attacker tries: silent and
//! slow connections, directory redirects, escapes from the static roots,
//! non-object bodies, error bodies and headers on every answer, and
//! keep-alive after an early refusal.

mod common;

use bt_broker::Config;
use common::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The broker configured through the loader (as `bt-broker` is), with `extra`.
fn loaded(sandbox: &bt_sandbox::RunningSandbox, extra: &[(&str, &str)]) -> Config {
    let mut vars: BTreeMap<String, String> = [
        ("BT_APPLIANCE_URL", sandbox.url()),
        ("BT_CLIENT_ID", sandbox.client_id().to_owned()),
        ("BT_CLIENT_SECRET", sandbox.client_secret().to_owned()),
        ("BT_HOST_SECRETS", format!("{HOST}={HOST_SECRET}")),
        ("BT_LISTEN", "127.0.0.1:0".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (k, v) in extra {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    Config::from_sources(|k| vars.get(k).cloned(), None).unwrap()
}

async fn with_limits(extra: &[(&str, &str)]) -> Harness {
    let sandbox = bt_sandbox::start(bt_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let config = loaded(&sandbox, extra);
    let broker = bt_broker::start(config).await.unwrap();
    Harness {
        sandbox,
        broker,
        http: client(),
    }
}

/// Reads until the peer closes (Ok(bytes)) or `limit` passes (Err).
async fn read_until_closed(s: &mut TcpStream, limit: Duration) -> Result<Vec<u8>, ()> {
    let mut all = Vec::new();
    let deadline = Instant::now() + limit;
    loop {
        let mut buf = [0u8; 4096];
        match tokio::time::timeout_at(deadline.into(), s.read(&mut buf)).await {
            Err(_) => return Err(()),
            Ok(Ok(0)) | Ok(Err(_)) => return Ok(all),
            Ok(Ok(n)) => all.extend_from_slice(&buf[..n]),
        }
    }
}

const LIMITS: &[(&str, &str)] = &[
    ("BT_HEADER_TIMEOUT_MS", "500"),
    ("BT_BODY_TIMEOUT_MS", "500"),
];

/// Asserts the broker closes (or answers and closes) `s` well within 1.5 s
/// of `started`, the limits being 500 ms.
async fn closed_in_time(s: &mut TcpStream, started: Instant, what: &str) {
    assert!(
        read_until_closed(s, Duration::from_secs(3)).await.is_ok(),
        "{what}: still open after 3 s"
    );
    soon_after(started, what);
}

fn soon_after(started: Instant, what: &str) {
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{what}: closed after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_silent_connection_is_closed_within_the_header_timeout() {
    let h = with_limits(LIMITS).await;
    let mut s = TcpStream::connect(h.broker.addr).await.unwrap();
    closed_in_time(&mut s, Instant::now(), "a silent connection").await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_within_the_header_timeout() {
    let h = with_limits(LIMITS).await;
    let mut s = TcpStream::connect(h.broker.addr).await.unwrap();
    let head = exchange(&mut s, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("an answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    closed_in_time(&mut s, Instant::now(), "an idle kept-alive connection").await;
}

#[tokio::test]
async fn a_slow_header_connection_is_closed_within_the_header_timeout() {
    let h = with_limits(LIMITS).await;
    let mut s = TcpStream::connect(h.broker.addr).await.unwrap();
    let started = Instant::now();
    s.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    let mut closed = false;
    for i in 0..30 {
        // One header byte every 100 ms: never a complete head.
        if s.write_all(if i % 2 == 0 { b"X" } else { b"y" })
            .await
            .is_err()
        {
            closed = true;
            break;
        }
        let mut buf = [0u8; 256];
        match tokio::time::timeout(Duration::from_millis(100), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                closed = true;
                break;
            }
            _ => {}
        }
    }
    assert!(closed, "a trickled header kept the connection open for 3 s");
    soon_after(started, "a trickled header");
}

#[tokio::test]
async fn a_stalled_body_is_answered_within_the_body_timeout() {
    let h = with_limits(LIMITS).await;
    let mut s = TcpStream::connect(h.broker.addr).await.unwrap();
    let head = format!(
        "POST /v1/session-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"queue\"",
        token("alice@example.com")
    );
    s.write_all(head.as_bytes()).await.unwrap();
    closed_in_time(&mut s, Instant::now(), "a stalled body").await;
}

#[test]
fn invalid_limits_name_the_variable_and_the_range() {
    for key in [
        "BT_HEADER_TIMEOUT_MS",
        "BT_BODY_TIMEOUT_MS",
        "BT_APPLIANCE_MAX_BYTES",
    ] {
        let vars: BTreeMap<&str, &str> = [
            ("BT_APPLIANCE_URL", "https://support.example.com"),
            ("BT_CLIENT_ID", "id"),
            ("BT_CLIENT_SECRET", "secret"),
            ("BT_HOST_SECRETS", "zendesk=0123456789abcdef0123"),
            (key, "0"),
        ]
        .into_iter()
        .collect();
        let e = Config::from_sources(|k| vars.get(k).map(|v| v.to_string()), None).unwrap_err();
        assert_eq!(e.key, key);
        assert!(e.message.contains("between"), "{e}");
    }
}

fn static_root(tag: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("bt-hardening-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for d in ["dist/sub", "site/demo", "site/.git", "dist/.hidden"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::write(root.join("dist/sub/index.html"), "<p>sub</p>").unwrap();
    std::fs::write(root.join("site/demo/index.html"), "<p>demo</p>").unwrap();
    std::fs::write(root.join("site/index.html"), "<p>root</p>").unwrap();
    std::fs::write(root.join("site/.git/config"), "[core]").unwrap();
    std::fs::write(root.join("site/.env"), "SECRET=1").unwrap();
    std::fs::write(root.join("dist/.hidden/a.js"), "x").unwrap();
    std::fs::write(root.join("outside.txt"), "outside the root").unwrap();
    std::os::unix::fs::symlink(root.join("outside.txt"), root.join("dist/leak.txt")).unwrap();
    std::os::unix::fs::symlink(root.join("outside.txt"), root.join("site/leak.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", root.join("site/etc")).unwrap();
    root
}

async fn static_harness(tag: &str) -> (Harness, reqwest::Client) {
    let root = static_root(tag);
    let h = Harness::start_with(|c| {
        c.static_files.dist_dir = Some(root.join("dist"));
        c.static_files.site_dir = Some(root.join("site"));
    })
    .await;
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (h, raw)
}

#[tokio::test]
async fn directory_redirects_stay_on_site_and_under_their_prefix() {
    let (h, raw) = static_harness("redirects").await;
    for (path, want) in [
        ("/apps/sub", "/apps/sub/"),
        ("/demo", "/demo/"),
        ("/apps/sub?x=1", "/apps/sub/?x=1"),
    ] {
        let r = raw.get(h.url(path)).send().await.unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        assert!(r.status().is_redirection(), "{path}: {}", r.status());
        assert_eq!(location.as_deref(), Some(want), "{path}");
    }
    for path in ["//demo", "///demo", "//apps/sub"] {
        let r = raw.get(h.url(path)).send().await.unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        assert!(
            location
                .as_deref()
                .is_none_or(|l| l.starts_with('/') && !l.starts_with("//") && !l.contains('\\')),
            "{path}: Location {location:?}"
        );
    }
    let r = raw.get(h.url("/apps/sub/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn symlinks_out_of_the_root_and_dotfiles_are_not_served() {
    let (h, raw) = static_harness("escapes").await;
    for path in [
        "/apps/leak.txt",
        "/leak.txt",
        "/etc/passwd",
        "/.git/config",
        "/.env",
        "/apps/.hidden/a.js",
        "/%2egit/config",
        "/apps/%2Ehidden/a.js",
    ] {
        let r = raw.get(h.url(path)).send().await.unwrap();
        let status = r.status();
        let body = r.text().await.unwrap();
        assert_eq!(status, 404, "{path} was served: {body:.80}");
        assert!(
            !body.contains("outside the root")
                && !body.contains("root:")
                && !body.contains("[core]"),
            "{path}"
        );
    }
    assert_eq!(raw.get(h.url("/demo/")).send().await.unwrap().status(), 200);
    assert_eq!(raw.get(h.url("/")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_json_array_body_is_refused() {
    let h = Harness::start().await;
    for body in [
        json!(["4711", "general"]),
        json!("general"),
        json!(42),
        json!(null),
    ] {
        let (status, answer) = h.post_key(&token("alice@example.com"), body.clone()).await;
        assert_eq!(
            (status, code(&answer)),
            (400, "invalid_input"),
            "{body}: {answer}"
        );
        assert!(
            message(&answer).contains("body") && message(&answer).contains("object"),
            "{answer}"
        );
    }
    let (status, _) = h
        .post_key(&token("alice@example.com"), json!({"queue": "general"}))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn every_api_answer_is_json_with_its_headers() {
    let h = Harness::start().await;
    let t = token("alice@example.com");
    let r = h
        .http
        .delete(h.url("/v1/session-keys"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let allow = r
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = r.json().await.expect("a JSON body on 405");
    assert!(body["error"]["code"].is_string(), "{body}");
    assert_eq!(allow.as_deref(), Some("POST"));
    let get = |path: &'static str| h.http.get(h.url(path)).bearer_auth(&t).send();
    for path in ["/v1", "/v1/", "/v1/nope"] {
        let r = get(path).await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
        let body: Value = r.json().await.expect("a JSON body");
        assert_eq!(code(&body), "not_found", "{path}: {body}");
    }
    let r = h
        .http
        .post(h.url("/v1/session-keys"))
        .bearer_auth(&t)
        .json(&json!({"queue": "general"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    for path in ["/v1/reps/me", "/healthz", "/readyz"] {
        let r = get(path).await.unwrap();
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
    }
}

/// One HTTP/1.1 exchange on `s`: the head of the answer, or None if closed.
async fn exchange(s: &mut TcpStream, request: &[u8]) -> Option<String> {
    s.write_all(request).await.ok()?;
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= len {
                return Some(head.to_owned());
            }
        }
    }
}

#[tokio::test]
async fn an_early_401_does_not_break_the_kept_alive_connection() {
    let h = Harness::start().await;
    let body = format!(
        "{{\"queue\":\"general\",\"external_key\":\"{}\"}}",
        "k".repeat(12_000)
    );
    let head = format!(
        "POST /v1/session-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let good = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut s = TcpStream::connect(h.broker.addr).await.unwrap();
    // The head and the start of the body; the 401 comes before the rest.
    let (start, rest) = body.split_at(1000);
    let first = exchange(&mut s, format!("{head}{start}").as_bytes())
        .await
        .expect("an answer");
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    let second = if first.to_ascii_lowercase().contains("connection: close") {
        // Told to: reconnect, as a keep-alive client does.
        let mut s = TcpStream::connect(h.broker.addr).await.unwrap();
        exchange(&mut s, good).await
    } else {
        // Kept open: the rest of the body, then the next request.
        let _ = s.write_all(rest.as_bytes()).await;
        exchange(&mut s, good).await
    };
    let second = second.expect("the next request is answered");
    assert!(second.starts_with("HTTP/1.1 200"), "{second}");

    // A burst through a pooled keep-alive client: no client errors.
    let mut errors = 0;
    for i in 0..50 {
        let bearer = if i % 2 == 0 {
            "nope".to_owned()
        } else {
            token("alice@example.com")
        };
        let r = h
            .http
            .post(h.url("/v1/session-keys"))
            .bearer_auth(bearer)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await;
        match r {
            Ok(r) => {
                let _ = r.bytes().await;
            }
            Err(_) => errors += 1,
        }
    }
    assert_eq!(errors, 0, "client errors in a burst of 50");
}
