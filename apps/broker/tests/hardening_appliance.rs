//! The appliance client under a slow, hostile or refusing appliance: the
//! reps/teams cache is single-flight without queueing, answers are read
//! with a size cap, OAuth failures back off, and timeouts name the one
//! that fired.

mod common;

use bt_broker::Secret;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

/// `n` concurrent `GET /v1/reps/me`, each answered 200; the wall time.
async fn concurrent_rep_me(h: &Harness, n: usize) -> Duration {
    let started = Instant::now();
    let t = token("alice@example.com");
    let calls = (0..n).map(|_| h.get(&t, "/v1/reps/me"));
    for (status, body) in futures_join_all(calls).await {
        assert_eq!(status, 200, "{body}");
    }
    started.elapsed()
}

/// Runs the futures concurrently on this task (no extra dependency).
async fn futures_join_all<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futs.map(Box::pin).collect();
    let mut out = Vec::new();
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.extend(
        results
            .into_iter()
            .map(|r| r.expect("every future finished")),
    );
    out
}

/// A broker with the reps cache at `ttl`, its token already fetched, and
/// a sandbox taking 2 s per API call: 5 concurrent callers are answered in
/// about 2 s, not one call time per caller ahead of them.
async fn five_callers_on_a_2_s_appliance(ttl: Duration) {
    let h = Harness::start_with(|c| c.reps_cache_ttl = ttl).await;
    // The token first, so only the reps call is slow.
    assert_eq!(
        h.http.get(h.url("/readyz")).send().await.unwrap().status(),
        200
    );
    h.sb().set_latency(Duration::from_secs(2));
    let took = concurrent_rep_me(&h, 5).await;
    assert!(
        took < Duration::from_millis(3500),
        "5 callers took {took:?}, not about 2 s (cache {ttl:?})"
    );
}

#[tokio::test]
async fn five_callers_on_a_slow_appliance_share_one_call() {
    five_callers_on_a_2_s_appliance(Duration::from_secs(5)).await;
}

#[tokio::test]
async fn without_the_cache_callers_do_not_queue() {
    five_callers_on_a_2_s_appliance(Duration::ZERO).await;
}

#[tokio::test]
async fn errors_are_shared_with_the_callers_that_waited() {
    let h = Harness::start().await;
    assert_eq!(
        h.http.get(h.url("/readyz")).send().await.unwrap().status(),
        200
    );
    h.sb().set_latency(Duration::from_secs(2));
    h.sb().set_fail_status(Some(500));
    let before = h.sb().api_requests();
    let started = Instant::now();
    let t = token("alice@example.com");
    let calls = (0..5).map(|_| h.get(&t, "/v1/reps/me"));
    for (status, body) in futures_join_all(calls).await {
        assert_eq!((status, code(&body)), (502, "appliance_error"), "{body}");
    }
    assert!(
        started.elapsed() < Duration::from_millis(3500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        h.sb().api_requests() - before,
        1,
        "one appliance call for five callers"
    );
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

#[tokio::test]
async fn a_300_mb_answer_is_cut_off_and_memory_stays_low() {
    let h = Harness::start_with(|c| c.request_timeout = Duration::from_secs(60)).await;
    assert_eq!(
        h.http.get(h.url("/readyz")).send().await.unwrap().status(),
        200
    );
    let before = vm_hwm_kib();
    h.sb().set_huge_answer(Some(300 << 20));
    let (status, body) = h.get(&token("alice@example.com"), "/v1/reps/me").await;
    let grown_mib = vm_hwm_kib().saturating_sub(before) / 1024;
    assert!(
        grown_mib < 100,
        "peak RSS grew by {grown_mib} MiB while the appliance sent 300 MB"
    );
    assert_eq!((status, code(&body)), (502, "appliance_error"), "{body}");
    assert!(message(&body).contains("BT_APPLIANCE_MAX_BYTES"), "{body}");
    h.sb().set_huge_answer(None);
    let (status, body) = h.get(&token("alice@example.com"), "/v1/reps/me").await;
    assert_eq!(status, 200, "{body}");
}

async fn general_key(h: &Harness) -> (u16, serde_json::Value) {
    h.post_key(&token("alice@example.com"), json!({"queue": "general"}))
        .await
}

#[tokio::test]
async fn an_appliance_refusing_every_token_gets_one_token_request_then_backoff() {
    let h = Harness::start().await;
    assert_eq!(general_key(&h).await.0, 200);
    let before = h.sb().token_requests();
    h.sb().set_fail_status(Some(401));
    let (status, body) = general_key(&h).await;
    assert_eq!(
        (status, code(&body)),
        (502, "appliance_auth_failed"),
        "{body}"
    );
    for _ in 0..5 {
        let started = Instant::now();
        let (status, body) = general_key(&h).await;
        assert_eq!(
            (status, code(&body)),
            (502, "appliance_auth_failed"),
            "{body}"
        );
        assert!(
            started.elapsed() < Duration::from_millis(300),
            "{:?}",
            started.elapsed()
        );
    }
    assert!(
        h.sb().token_requests() - before <= 1,
        "{} token requests for one failing burst",
        h.sb().token_requests() - before
    );
    // Recovered: after the backoff the broker tries again and succeeds.
    h.sb().set_fail_status(None);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (status, body) = general_key(&h).await;
    assert_eq!(status, 200, "{body}");
}

async fn wrong_secret() -> Harness {
    Harness::start_with(|c| c.client_secret = Secret::new("not-the-secret")).await
}

#[tokio::test]
async fn readyz_while_oauth_fails_serves_the_cached_failure() {
    let h = wrong_secret().await;
    for _ in 0..10 {
        let r = h.http.get(h.url("/readyz")).send().await.unwrap();
        assert_eq!(r.status(), 503);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(code(&body), "appliance_auth_failed", "{body}");
    }
    assert_eq!(h.sb().token_requests(), 1, "ten /readyz, one token request");
    // The backoff ends (1 s first), one more try, then a longer backoff.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    for _ in 0..5 {
        assert_eq!(
            h.http.get(h.url("/readyz")).send().await.unwrap().status(),
            503
        );
    }
    assert_eq!(h.sb().token_requests(), 2);
}

#[tokio::test]
async fn twenty_concurrent_callers_while_oauth_fails_make_one_token_request() {
    let h = wrong_secret().await;
    let t = token("alice@example.com");
    let calls = (0..20).map(|_| h.get(&t, "/v1/reps/me"));
    for (status, body) in futures_join_all(calls).await {
        assert_eq!(
            (status, code(&body)),
            (502, "appliance_auth_failed"),
            "{body}"
        );
    }
    assert_eq!(h.sb().token_requests(), 1);
}

#[tokio::test]
async fn a_connect_timeout_is_reported_as_the_connect_timeout() {
    // A listener whose accept queue is full: further connects hang (SYNs dropped).
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let _filler = std::net::TcpStream::connect(addr).unwrap();
    let sandbox = bt_sandbox::start(bt_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let mut config = config_for(&sandbox);
    config.appliance_url = format!("http://{addr}");
    config.connect_timeout = Duration::from_secs(1);
    config.request_timeout = Duration::from_secs(2);
    let broker = bt_broker::start(config).await.unwrap();
    let r = client()
        .get(format!("{}/readyz", broker.url()))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    let m = message(&body);
    assert!(
        m.contains("within 1 s") && m.contains("BT_CONNECT_TIMEOUT_MS"),
        "{body}"
    );
    assert!(!m.contains("2 s"), "{body}");
    drop(listener);
}
