//! `POST /v1/session-keys` against the sandbox: queues, the shared token,
//! appliance failures and input checks.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn my_queue_key_has_the_contract_shape() {
    let h = Harness::start().await;
    let (status, body) = h
        .post_key(
            &token("alice@example.com"),
            json!({"external_key": "4711", "queue": "me", "ttl_seconds": 600}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let short_key = body["short_key"].as_str().unwrap();
    assert_eq!(short_key.len(), 7, "{body}");
    assert!(short_key.bytes().all(|b| b.is_ascii_digit()));
    assert!(body["key_url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/?ak=", h.sandbox.url())));
    let expires = time::OffsetDateTime::parse(
        body["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires.offset(), time::UtcOffset::UTC);
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
    let ahead = expires.unix_timestamp() - now() as i64;
    assert!(
        (590..=610).contains(&ahead),
        "ttl 600 → expires in {ahead} s"
    );
    assert_eq!(body["queue"], json!("me"));
    assert_eq!(body["mail_subject"], json!("Remote Support Invitation"));
    let mail = body["mail_body"].as_str().unwrap();
    assert!(
        mail.contains('\n')
            && mail.contains(short_key)
            && mail.contains(body["key_url"].as_str().unwrap()),
        "{mail}"
    );
    // The key works on the appliance's customer side.
    let page = h
        .http
        .get(body["key_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("rep_username:alice"));
}

#[tokio::test]
async fn every_queue_kind_maps_to_its_queue_id() {
    let h = Harness::start().await;
    let t = token("carol@example.com");
    for queue in [
        json!("general"),
        json!({"team": "2"}),
        json!({"issue": "billing"}),
        json!("me"),
    ] {
        let (status, body) = h
            .post_key(&t, json!({"external_key": "1", "queue": queue}))
            .await;
        assert_eq!(status, 200, "{queue}: {body}");
        assert_eq!(body["queue"], queue);
    }
    // No external key and no queue at all: my queue.
    let (status, body) = h.post_key(&t, json!({})).await;
    assert_eq!((status, &body["queue"]), (200, &json!("me")), "{body}");
}

#[tokio::test]
async fn two_hundred_concurrent_requests_share_one_token() {
    let h = Harness::start().await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let http = h.http.clone();
        let url = h.url("/v1/session-keys");
        let t = token(if i % 2 == 0 {
            "alice@example.com"
        } else {
            "carol@example.com"
        });
        tasks.spawn(async move {
            let r = http
                .post(url)
                .bearer_auth(t)
                .json(&json!({"external_key": format!("T-{i}"), "queue": "me"}))
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        });
    }
    let mut ok = 0;
    while let Some(res) = tasks.join_next().await {
        let (status, body) = res.unwrap();
        assert_eq!(status, 200, "{body}");
        ok += 1;
    }
    assert_eq!(ok, 200);
    assert_eq!(
        h.sb().token_requests(),
        1,
        "exactly one OAuth token request for 200 concurrent callers"
    );
    assert_eq!(h.sb().api_requests(), 200);
    assert_eq!(h.broker.state.metrics.token_refreshes_ok(), 1);
}

#[tokio::test]
async fn a_revoked_token_is_refetched_once_without_failing_the_caller() {
    let h = Harness::start().await;
    let t = token("alice@example.com");
    let (status, _) = h.post_key(&t, json!({"queue": "general"})).await;
    assert_eq!(status, 200);
    assert_eq!(h.sb().token_requests(), 1);

    h.sb().revoke_all_tokens();
    let (status, body) = h.post_key(&t, json!({"queue": "general"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(h.sb().token_requests(), 2, "one refetch");
    assert_eq!(h.sb().unauthorized_requests(), 1);

    // Revoked under concurrent load: still exactly one refetch.
    h.sb().revoke_all_tokens();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let http = h.http.clone();
        let url = h.url("/v1/session-keys");
        let t = t.clone();
        tasks.spawn(async move {
            http.post(url)
                .bearer_auth(t)
                .json(&json!({"queue": "general"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(
        h.sb().token_requests(),
        3,
        "one refetch for 50 callers that all met the 401"
    );
}

#[tokio::test]
async fn the_thirty_token_rule_does_not_hurt_a_broker_that_shares_its_token() {
    let h = Harness::start().await;
    let t = token("alice@example.com");
    assert_eq!(h.post_key(&t, json!({"queue": "general"})).await.0, 200);
    // Thirty other clients of the same API account each fetch a token: the
    // broker's token is now the oldest beyond thirty and silently dies.
    let http = client();
    for _ in 0..30 {
        let r = http
            .post(format!("{}/oauth2/token", h.sandbox.url()))
            .basic_auth(h.sandbox.client_id(), Some(h.sandbox.client_secret()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    assert_eq!(h.sb().valid_tokens(), 30);
    let (status, body) = h.post_key(&t, json!({"queue": "general"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        h.sb().unauthorized_requests(),
        1,
        "the broker met the 401 once and refetched"
    );
}

#[tokio::test]
async fn rep_not_found_and_rep_not_logged_in_say_what_to_do() {
    let h = Harness::start().await;
    let (status, body) = h
        .post_key(&token("dave@example.com"), json!({"queue": "me"}))
        .await;
    assert_eq!((status, code(&body)), (404, "rep_not_found"), "{body}");
    assert_eq!(
        message(&body),
        "No BeyondTrust representative with username 'dave' — ask your admin to map your account"
    );

    let (status, body) = h
        .post_key(&token("bob@example.com"), json!({"queue": "me"}))
        .await;
    assert_eq!((status, code(&body)), (409, "rep_not_available"), "{body}");
    assert_eq!(
        message(&body),
        "Log in to the BeyondTrust representative console, then try again"
    );

    // Bob logs in: now it works.
    assert!(h.sb().set_rep_logged_in("bob", true));
    let (status, body) = h
        .post_key(&token("bob@example.com"), json!({"queue": "me"}))
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_mapping_file_maps_identities_to_usernames() {
    let path = std::env::temp_dir().join(format!("bt-broker-map-{}.toml", std::process::id()));
    std::fs::write(&path, "[reps]\n\"a.smith@corp.example\" = \"alice\"\n").unwrap();
    let spec = format!("file:{}", path.display());
    let h = Harness::start_with(|c| {
        c.rep_mapping = bt_broker::mapping::RepMapping::parse(&spec).unwrap()
    })
    .await;
    let (status, body) = h
        .post_key(&token("A.Smith@corp.example"), json!({"queue": "me"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = h
        .post_key(&token("stranger@corp.example"), json!({"queue": "me"}))
        .await;
    assert_eq!((status, code(&body)), (404, "rep_not_found"), "{body}");
    assert!(
        message(&body).contains("'stranger@corp.example' is not mapped"),
        "{body}"
    );
    std::fs::remove_file(path).ok();
}

#[tokio::test]
async fn appliance_500_is_appliance_error_and_recovers() {
    let h = Harness::start().await;
    let t = token("alice@example.com");
    h.sb().set_fail_status(Some(500));
    let (status, body) = h.post_key(&t, json!({"queue": "general"})).await;
    assert_eq!((status, code(&body)), (502, "appliance_error"), "{body}");
    assert!(message(&body).contains("HTTP 500"), "{body}");
    h.sb().set_fail_status(None);
    assert_eq!(h.post_key(&t, json!({"queue": "general"})).await.0, 200);
}

#[tokio::test]
async fn appliance_timeout_is_504_appliance_unreachable() {
    let h = Harness::start_with(|c| c.request_timeout = Duration::from_millis(500)).await;
    let t = token("alice@example.com");
    assert_eq!(h.post_key(&t, json!({"queue": "general"})).await.0, 200);
    h.sb().set_latency(Duration::from_millis(4000));
    let started = std::time::Instant::now();
    let (status, body) = h.post_key(&t, json!({"queue": "general"})).await;
    assert_eq!(
        (status, code(&body)),
        (504, "appliance_unreachable"),
        "{body}"
    );
    assert!(
        message(&body).contains("did not answer within 500 ms"),
        "{body}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(3000),
        "the broker gave up at its 500 ms timeout, not after the 4 s answer"
    );
    h.sb().set_latency(Duration::ZERO);
}

#[tokio::test]
async fn an_unreachable_appliance_is_502_appliance_unreachable() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let h = Harness::start_with(|c| c.appliance_url = format!("http://127.0.0.1:{port}")).await;
    let (status, body) = h
        .post_key(&token("alice@example.com"), json!({"queue": "general"}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (502, "appliance_unreachable"),
        "{body}"
    );
    assert!(message(&body).contains("BT_APPLIANCE_URL"), "{body}");
    let r = h.http.get(h.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
}

#[tokio::test]
async fn wrong_client_credentials_are_appliance_auth_failed() {
    let h =
        Harness::start_with(|c| c.client_secret = bt_broker::Secret::new("not-the-secret")).await;
    let (status, body) = h
        .post_key(&token("alice@example.com"), json!({"queue": "general"}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (502, "appliance_auth_failed"),
        "{body}"
    );
    assert!(
        message(&body).contains("OAuth client id and secret"),
        "{body}"
    );
    let r = h.http.get(h.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let body: Value = r.json().await.unwrap();
    assert_eq!(code(&body), "appliance_auth_failed");
}

#[tokio::test]
async fn readyz_is_200_with_a_token_and_healthz_always() {
    let h = Harness::start().await;
    assert_eq!(
        h.http.get(h.url("/healthz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        h.http.get(h.url("/readyz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(h.sb().token_requests(), 1);
}

#[tokio::test]
async fn inputs_are_checked_with_the_limits_named() {
    let h = Harness::start().await;
    let t = token("alice@example.com");
    let cases = [
        (
            json!({"external_key": "1".repeat(1025)}),
            400,
            "external key: is too long: at most 1024 characters (got 1025)",
        ),
        (
            json!({"external_key": "a\u{7}b"}),
            400,
            "external key: must not contain control characters",
        ),
        (
            json!({"ttl_seconds": 10}),
            400,
            "ttl_seconds: must be between 60 and 86400",
        ),
        (
            json!({"ttl_seconds": 100000}),
            400,
            "ttl_seconds: must be between 60 and 86400",
        ),
        (json!({"queue": {"team": "abc"}}), 400, "team id"),
        (json!({"queue": {"team": "9"}}), 400, "no support team 9"),
        (json!({"queue": {"issue": "bad code!"}}), 400, "issue code"),
        (
            json!({"queue": {"issue": "unknown_issue"}}),
            400,
            "The issue could not be found",
        ),
        (json!({"queue": "everyone"}), 400, "not valid"),
        (json!({"extrnal_key": "1"}), 400, "unknown field"),
    ];
    for (body, want_status, needle) in cases {
        let (status, resp) = h.post_key(&t, body.clone()).await;
        assert_eq!(
            (status, code(&resp)),
            (want_status, "invalid_input"),
            "{body}: {resp}"
        );
        assert!(
            message(&resp).contains(needle),
            "{body}: {:?} lacks {needle:?}",
            message(&resp)
        );
    }
    // 1024 characters is fine.
    let (status, body) = h
        .post_key(&t, json!({"external_key": "é".repeat(1024)}))
        .await;
    assert_eq!(status, 200, "{body}");

    // Not JSON, and too large.
    let r = h
        .http
        .post(h.url("/v1/session-keys"))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let big = json!({"external_key": "x".repeat(20_000)});
    let r = h
        .http
        .post(h.url("/v1/session-keys"))
        .bearer_auth(&t)
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(code(&body), "invalid_input");
    assert!(message(&body).contains("16384 bytes"), "{body}");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404() {
    let h = Harness::start().await;
    let r = h.http.get(h.url("/v1/nothing")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(code(&body), "not_found");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_outcome() {
    let h = Harness::start().await;
    h.post_key(&token("alice@example.com"), json!({"queue": "general"}))
        .await;
    h.post_key(&token("dave@example.com"), json!({"queue": "me"}))
        .await;
    h.post_key("bad", json!({"queue": "me"})).await;
    let text = h
        .http
        .get(h.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        r#"bt_broker_requests_total{route="/v1/session-keys",outcome="ok"} 1"#,
        r#"bt_broker_requests_total{route="/v1/session-keys",outcome="rep_not_found"} 1"#,
        r#"bt_broker_requests_total{route="/v1/session-keys",outcome="unauthorized"} 1"#,
        r#"bt_broker_token_refreshes_total{outcome="ok"} 1"#,
        r#"bt_broker_appliance_calls_total{call="generate_session_key",outcome="ok"} 2"#,
        "bt_broker_request_duration_seconds_bucket",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}
